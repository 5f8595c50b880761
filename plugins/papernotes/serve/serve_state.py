"""What of the rebuild cache is kept on disk for the next `serve`, and how it is written and read back.

Kept: every store of the cache (stores.py) but the fragments, the last build's page key, MkDocs'
sitemap as last rendered (sitemap.py), and what the last build left in `site_dir`
(site_dir.py). Not kept: the notes as parsed, Jinja's compiled templates (code: never read
from a file someone else could have written), MkDocs' `File`s; the first build makes them again.

On disk (cache_file.py for the files themselves), in the folder warm_start.py holds:

* `index`: compressed JSON: what the state was made with (`record`, checked by warm_start.py),
  and per store one row per value, [key, fingerprint, pack, offset, length];
* `pack-*.bin`: values, back to back, each encoded by its store's codec (`_CODECS`: JSON, UTF-8
  text, or the page store's zlib data as it is held in memory).

Packs are never changed once written. A save writes one new pack with the values put since the
last save (a store's `saved` says which are on disk already) and a new index; when less than
half of the packs' bytes are still used, it writes every value into one new pack instead. Packs
no index uses are removed. A save runs on another thread: `still()` is asked between steps and
it stops (writing nothing that counts) as soon as a build has begun.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from papernotes.serve import cache_file, markdown_pass
from papernotes.serve.site_dir import SiteDir
from papernotes.serve.sitemap import KeptSitemap
from papernotes.serve.stores import Cache, Packed, Store

INDEX = "index"
_STEP = 256  # values encoded between two looks at `still()`
COMPACT_BELOW = 0.5  # share of the packs' bytes still used under which a save writes one pack anew
COMPACT_FROM = 4 << 20  # ... once the packs hold this many bytes


def _json_bytes(value: Any) -> bytes:
    return zlib.compress(json.dumps(value, separators=(",", ":")).encode("utf-8"), 1)


def _json_value(data: bytes | memoryview) -> Any:
    return json.loads(zlib.decompress(data))


def _text_bytes(value: str) -> bytes:
    return zlib.compress(value.encode("utf-8", "surrogatepass"), 1)


def _text_value(data: bytes | memoryview) -> str:
    return zlib.decompress(data).decode("utf-8", "surrogatepass")


def _rendered_bytes(value: dict[str, Any]) -> bytes:
    return _json_bytes(markdown_pass.to_plain(value))


def _rendered_value(data: bytes | memoryview) -> dict[str, Any]:
    return markdown_pass.from_plain(_json_value(data))


# store -> (encode, decode); decode None: the value is kept as the bytes on disk (the page store's
# values are zlib data already, inflated by `PageStore.get`). `digests` keeps fingerprints only.
_CODECS: dict[str, tuple[Callable[[Any], bytes], Callable[[bytes | memoryview], Any] | None]] = {
    "rendered": (_rendered_bytes, _rendered_value),
    "bodies": (_text_bytes, _text_value),
    "search": (_json_bytes, _json_value),
    "indexed": (_json_bytes, _json_value),
    "pages": (bytes, None),
}


class Stopped(Exception):
    """A build began while a save was under way: the save is dropped."""


@dataclass
class Parts:
    """What is kept of one `serve` process's rebuild cache."""

    cache: Cache
    site: SiteDir
    sitemap: KeptSitemap

    def stores(self) -> dict[str, Store[Any]]:
        return {"rendered": self.cache.rendered, "bodies": self.cache.bodies, "search": self.cache.search,
                "indexed": self.cache.indexed, "pages": self.cache.pages, "digests": self.cache.digests}


@dataclass
class Saved:
    """A save that reached the disk: what the index says, for the stores to remember (`apply`)."""

    packs: dict[str, int]  # pack name -> its length
    saved: dict[str, dict[str, tuple[str, Any]]] = field(default_factory=dict)  # store -> key -> (fp, where)
    values: int = 0
    written: int = 0  # bytes of the new pack


def save(folder: str, parts: Parts, record: dict[str, Any], packs: dict[str, int], still: Callable[[], bool]) -> Saved:
    """Write the state of `parts` into `folder` as `index.next` and a new pack (`packs`: those the
    current index uses, by length). Raises Stopped when `still()` turns false; the caller then
    renames `index.next` to `index` while no build can begin, and `apply`s the result."""
    stores = parts.stores()
    snapshot = {name: (store.items(), dict(store.saved)) for name, store in stores.items()}
    page_key, kept_sitemap = parts.cache.page_key, dict(parts.sitemap.kept)
    site_files = parts.site.saved_files()
    if not still():
        raise Stopped
    live = sum(where[2] for _items, saved in snapshot.values() for _fp, where in saved.values() if where is not None)
    total = sum(packs.values())
    compact = total >= COMPACT_FROM and live < COMPACT_BELOW * total
    name = f"pack-{uuid.uuid4().hex[:16]}.bin"
    chunks: list[bytes | memoryview] = []
    offset = 0
    used: dict[str, int] = {}
    old: dict[str, bytes] = {}

    def add(data: bytes | memoryview) -> tuple[str, int, int]:
        nonlocal offset
        chunks.append(data)
        offset += len(data)
        return name, offset - len(data), len(data)

    def reread(where: tuple[str, int, int]) -> memoryview:
        if where[0] not in old:
            old[where[0]] = cache_file.read(os.path.join(folder, where[0]), "pack")[1]
        return memoryview(old[where[0]])[where[1]:where[1] + where[2]]

    result = Saved(packs={})
    index_stores: dict[str, list[list[Any]]] = {}
    for store_name, (items, saved) in snapshot.items():
        encode = _CODECS[store_name][0] if store_name in _CODECS else None
        rows: list[list[Any]] = []
        now: dict[str, tuple[str, Any]] = {}
        for n, (key, fp, value) in enumerate(items):
            if n % _STEP == 0 and not still():
                raise Stopped
            if encode is None:  # fingerprints only
                rows.append([key, fp])
                now[key] = (fp, None)
                continue
            kept = saved.get(key)
            on_disk = kept[1] if kept is not None and kept[0] == fp else None
            if on_disk is not None and not compact:
                where: tuple[str, int, int] = on_disk
            elif type(value) is Packed:
                where = add(value.data)
            elif store_name == "pages":
                where = add(value)  # held as it is written
            else:
                where = add(reread(on_disk) if on_disk is not None else encode(value))
            used[where[0]] = 1
            rows.append([key, fp, where[0], where[1], where[2]])
            now[key] = (fp, where)
            result.values += 1
        index_stores[store_name] = rows
        result.saved[store_name] = now
    sitemap = {}
    for template, (key, text) in kept_sitemap.items():
        sitemap[template] = [key, *add(_text_bytes(text))]
        used[name] = 1
    if chunks:
        cache_file.write(os.path.join(folder, name), "pack", b"".join(chunks))
        result.written = offset
    result.packs = {pack: (offset if pack == name else packs[pack]) for pack in used}
    if not still():
        raise Stopped
    index = {"record": record, "packs": result.packs, "stores": index_stores, "page_key": page_key,
             "sitemap": sitemap, "site": {"files": site_files}}
    cache_file.write_json(os.path.join(folder, INDEX + ".next"), "index", index)
    return result


def apply(parts: Parts, saved: Saved) -> None:
    """The save is on disk: each store now knows where its values are kept (none changed since:
    the caller holds off any build)."""
    for name, store in parts.stores().items():
        store.saved = saved.saved.get(name, {})


def remove_unused(folder: str, packs: dict[str, int]) -> None:
    """Remove the packs and half-written files no index uses (`packs`: those the index on disk uses)."""
    for entry in os.listdir(folder):
        if (entry.startswith("pack-") and entry not in packs) or cache_file.TEMP_MARK in entry or entry == INDEX + ".next":
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(folder, entry))


@dataclass
class Loaded:
    """An index read back, with its packs, checked but not yet put back into a cache."""

    record: dict[str, Any]
    index: dict[str, Any]
    packs: dict[str, memoryview]


def load(folder: str) -> Loaded:
    """The index and packs in `folder`, every file checked (cache_file.py); CacheFileError if any is not right."""
    _header, index = cache_file.read_json(os.path.join(folder, INDEX), "index")
    if not isinstance(index, dict) or not isinstance(index.get("record"), dict) or not isinstance(index.get("packs"), dict):
        raise cache_file.CacheFileError("index is damaged")
    packs = {}
    for name, length in index["packs"].items():
        if not (isinstance(name, str) and name.startswith("pack-") and os.sep not in name and "/" not in name):
            raise cache_file.CacheFileError("index is damaged")
        _header, body = cache_file.read(os.path.join(folder, name), "pack")
        if len(body) != length:
            raise cache_file.CacheFileError(f"{name} is not the pack the index names")
        packs[name] = memoryview(body)
    return Loaded(index["record"], index, packs)


def restore(loaded: Loaded, parts: Parts, site_root: str) -> bool:
    """Put what `loaded` holds into `parts` (their stores empty), its files in `site_root`; True if
    they are as the index says (else the build ends with a full walk of it). Raises
    CacheFileError if the index is damaged: the caller then empties `parts`, which may hold some of it."""
    index = loaded.index
    try:
        stores = parts.stores()
        for name, rows in index["stores"].items():
            decode = _CODECS[name][1] if name in _CODECS else None
            store = stores[name]
            if name not in _CODECS:
                store.restore((key, fp, True, None) for key, fp in rows)
                continue
            store.restore(_values(rows, loaded.packs, decode))
        parts.cache.page_key = str(index["page_key"])
        parts.sitemap.kept = {template: (str(key), _text_value(_slice(loaded.packs, pack, start, length)))
                              for template, (key, pack, start, length) in index["sitemap"].items()}
        return parts.site.restore(site_root, index["site"]["files"])  # where it is now, not where it was
    except (KeyError, TypeError, ValueError, IndexError, zlib.error) as exc:
        raise cache_file.CacheFileError(f"index is damaged ({type(exc).__name__})") from None


def _values(rows: list[list[Any]], packs: dict[str, memoryview],
            decode: Callable[[bytes | memoryview], Any] | None) -> list[tuple[str, str, Any, Any]]:
    out = []
    for key, fp, pack, start, length in rows:
        if not (isinstance(key, str) and isinstance(fp, str)):
            raise TypeError(key)
        data = _slice(packs, pack, start, length)
        out.append((key, fp, data if decode is None else Packed(data, decode), (pack, start, length)))
    return out


def _slice(packs: dict[str, memoryview], pack: str, start: int, length: int) -> memoryview:
    body = packs[pack]
    if not (isinstance(start, int) and isinstance(length, int) and start >= 0 and length >= 0 and start + length <= len(body)):
        raise ValueError(pack)
    return body[start:start + length]
