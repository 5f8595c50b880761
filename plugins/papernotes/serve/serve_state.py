"""What of the rebuild cache is kept on disk for the next `serve`, and how it is written and read back.

Kept: every store of the cache (stores.py), less what a page that can be settled needs only
when it cannot (`SETTLED_NEED_NOT`); the pieces of whole-library outputs worth keeping
(`FRAGMENT_MIN`), by their key's digest; the last build's page key; MkDocs' sitemap as last
rendered (sitemap.py); the generated pages' paths and URLs (settled_pages.py); what the last
build left in `site_dir` (site_dir.py); the slow pure functions' results (notes/memo.py). Not
kept: the notes as parsed, Jinja's compiled templates (code: never read from a file someone
else could have written), MkDocs' `File`s; the first build makes them again.

On disk (cache_file.py for the files themselves), in the folder warm_start.py holds:

* `index`: compressed JSON: what the state was made with (`record`, checked by warm_start.py),
  the packs it uses, and one row per value, [key, fingerprint, pack number, offset, length];
* `pack-*.bin`: values, back to back, each encoded by its store's codec (`_CODECS`: JSON, UTF-8
  text, or the page store's zlib data as it is held in memory).

Packs are never changed once written. A save writes one new pack with the values put since the
last save (a store's `saved` says which are on disk already) and a new index; when less than
half of the packs' bytes are still used, it writes every value into one new pack instead. Packs
no index uses are removed. A save runs on another thread: `still()` is asked between steps (and
between slices of the index's JSON) and it stops, writing nothing that counts, as soon as a
build has begun.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from markupsafe import Markup

from papernotes.notes import memo
from papernotes.serve import cache_file, markdown_pass
from papernotes.serve.settled_pages import SettledPages
from papernotes.serve.site_dir import SiteDir
from papernotes.serve.sitemap import KeptSitemap
from papernotes.serve.stores import Cache, Fragments, Packed, Store

INDEX = "index"
_STEP = 256  # values encoded between two looks at `still()`
COMPACT_BELOW = 0.5  # share of the packs' bytes still used under which a save writes one pack anew
COMPACT_FROM = 4 << 20  # ... once the packs hold this many bytes
FRAGMENT_MIN = 256  # characters: a fragment shorter than this is not kept on disk
# What a page that could be settled last build (an author or tag page, its output in site_dir
# by its digest) needs only when it cannot be settled after all, which is when its nav or its
# content changed, and then these are made again anyway: its theme output (nine tenths of what
# the cache would weigh at 16x), its body and its search entries by content. Its entries in the
# search index (`indexed`) and its digest are what settles it: those are kept.
SETTLED_NEED_NOT = frozenset({"pages", "bodies", "search"})


def _compressed_json(value: Any, still: Callable[[], bool]) -> list[bytes]:
    """`value` as compressed JSON, in pieces, `still()` asked between them: the index of a 16x
    library is 12 MB of JSON, and one `json.dumps` of it would hold the GIL for a quarter of a
    second, which a build beginning meanwhile would wait for."""
    packer = zlib.compressobj(1)
    out: list[bytes] = []
    for text in cache_file.json_pieces(value):
        if not still():
            raise Stopped
        out.append(packer.compress(text.encode("utf-8")))
    out.append(packer.flush())
    return out


def _json_bytes(value: Any) -> bytes:
    return zlib.compress(json.dumps(value, separators=(",", ":")).encode("utf-8"), 1)


def _json_value(data: bytes | memoryview) -> Any:
    return json.loads(zlib.decompress(data))


def _plain_json_bytes(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode("utf-8")  # a page's few search entries: zlib would cost more


def _plain_json_value(data: bytes | memoryview) -> Any:
    return json.loads(bytes(data))


def _text_bytes(value: str) -> bytes:
    return zlib.compress(value.encode("utf-8", "surrogatepass"), 1)


def _text_value(data: bytes | memoryview) -> str:
    return zlib.decompress(data).decode("utf-8", "surrogatepass")


def _piece_bytes(value: str) -> bytes:
    return _text_bytes(("M" if isinstance(value, Markup) else "S") + value)  # Markup is not escaped again


def _piece_value(data: bytes | memoryview) -> str:
    text = _text_value(data)
    return Markup(text[1:]) if text[:1] == "M" else text[1:]


def _encoded(value: Any, encode: Callable[[Any], bytes]) -> bytes | memoryview:
    """A store's value as a pack holds it (one still `Packed` is as it was read)."""
    return value.data if type(value) is Packed else encode(value)


def _rendered_bytes(value: dict[str, Any]) -> bytes:
    return _json_bytes(markdown_pass.to_plain(value))


def _rendered_value(data: bytes | memoryview) -> dict[str, Any]:
    return markdown_pass.from_plain(_json_value(data))


# store -> (encode, decode); decode None: the value is kept as the bytes on disk (the page store's
# values are zlib data already, inflated by `PageStore.get`). `digests` keeps fingerprints only.
_CODECS: dict[str, tuple[Callable[[Any], bytes], Callable[[bytes | memoryview], Any] | None]] = {
    "rendered": (_rendered_bytes, _rendered_value),
    "bodies": (_text_bytes, _text_value),
    "search": (_plain_json_bytes, _plain_json_value),
    "indexed": (_plain_json_bytes, _plain_json_value),
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
    settled: SettledPages
    memos: Any = None  # where the kept functions' results are on disk (notes/memo.py), if unchanged since

    def stores(self) -> dict[str, Store[Any]]:
        return {"rendered": self.cache.rendered, "bodies": self.cache.bodies, "search": self.cache.search,
                "indexed": self.cache.indexed, "pages": self.cache.pages, "digests": self.cache.digests}


@dataclass
class Saved:
    """A save that reached the disk: where each value is, for the parts to remember (`apply`)."""

    packs: dict[str, int]  # pack name -> its length
    saved: dict[str, dict[str, tuple[str, Any]]] = field(default_factory=dict)  # store -> key -> (fp, where)
    fragments: dict[str, Any] = field(default_factory=dict)  # piece fingerprint -> where
    digests: dict[Any, str] = field(default_factory=dict)  # piece key -> fingerprint
    memos: Any = None
    values: int = 0
    written: int = 0  # bytes of the new pack


class _Pack:
    """The new pack a save writes, and where each value it keeps is."""

    def __init__(self, folder: str, compact: bool) -> None:
        self.folder, self.compact = folder, compact
        self.name = f"pack-{uuid.uuid4().hex[:16]}.bin"
        self.chunks: list[bytes | memoryview] = []
        self.offset = 0
        self.used: dict[str, int] = {}  # pack name -> its number in the index's rows
        self._old: dict[str, memoryview] = {}

    def row(self, where: tuple[str, int, int]) -> list[int]:
        """`where` as an index row says it: [pack number, offset, length]."""
        return [self.used.setdefault(where[0], len(self.used)), where[1], where[2]]

    def add(self, data: bytes | memoryview) -> tuple[str, int, int]:
        self.chunks.append(data)
        self.offset += len(data)
        self.used.setdefault(self.name, len(self.used))
        return self.name, self.offset - len(data), len(data)

    def keep(self, on_disk: tuple[str, int, int] | None, data: Callable[[], bytes | memoryview]) -> tuple[str, int, int]:
        """Where a value is: where it is already (`on_disk`), or in this pack (compacting: always)."""
        if on_disk is None:
            return self.add(data())
        if not self.compact:
            self.used.setdefault(on_disk[0], len(self.used))
            return on_disk
        if on_disk[0] not in self._old:
            self._old[on_disk[0]] = cache_file.read(os.path.join(self.folder, on_disk[0]), "pack")[1]
        return self.add(self._old[on_disk[0]][on_disk[1]:on_disk[1] + on_disk[2]])


def save(folder: str, parts: Parts, record: dict[str, Any], packs: dict[str, int], still: Callable[[], bool]) -> Saved:
    """Write the state of `parts` into `folder` as `index.next` and a new pack (`packs`: those the
    current index uses, by length). Raises Stopped when `still()` turns false; the caller then
    renames `index.next` to `index` while no build can begin, and `apply`s the result."""
    stores = parts.stores()
    snapshot = {name: (store.items(), dict(store.saved)) for name, store in stores.items()}
    fragments = parts.cache.fragments
    pieces, digests, pieces_saved = fragments.items(), dict(fragments.digests), dict(fragments.saved)
    page_key, kept_sitemap, paths = parts.cache.page_key, dict(parts.sitemap.kept), parts.settled.kept_paths()
    memos, memos_changed = memo.export(), memo.changed()
    site_files = parts.site.saved_files()
    if not still():
        raise Stopped
    live = sum(w[2] for _items, saved in snapshot.values() for _fp, w in saved.values() if w is not None)
    live += sum(w[2] for w in pieces_saved.values())
    total = sum(packs.values())
    pack = _Pack(folder, total >= COMPACT_FROM and live < COMPACT_BELOW * total)
    result = Saved(packs={})
    index_stores: dict[str, list[list[Any]]] = {}
    for store_name, (items, saved) in snapshot.items():
        encode = _CODECS[store_name][0] if store_name in _CODECS else None
        rows: list[list[Any]] = []
        now: dict[str, tuple[str, Any]] = {}
        for n, (key, fp, value) in enumerate(items):
            if n % _STEP == 0 and not still():
                raise Stopped
            if store_name in SETTLED_NEED_NOT and key in paths:
                continue  # a page that can be settled is used from site_dir as it is
            if encode is None:  # fingerprints only
                rows.append([key, fp])
                now[key] = (fp, None)
                continue
            kept = saved.get(key)
            where = pack.keep(kept[1] if kept is not None and kept[0] == fp else None, partial(_encoded, value, encode))
            rows.append([key, fp, *pack.row(where)])
            # the same tuple when nothing moved: a save makes no new long-lived objects for what it did not write
            now[key] = kept if kept is not None and kept[1] is where else (fp, where)
        index_stores[store_name] = rows
        result.saved[store_name] = now
        result.values += len(rows)
    piece_rows, kinds = _save_pieces(pack, pieces, digests, pieces_saved, result=result, still=still)
    memos_where = pack.keep(parts.memos if not memos_changed else None,
                            lambda: b"".join(_compressed_json(memos, still)))
    sitemap = {template: [key, *pack.row(pack.add(_text_bytes(text)))] for template, (key, text) in kept_sitemap.items()}
    if pack.chunks:
        cache_file.write(os.path.join(folder, pack.name), "pack", pack.chunks)
        result.written = pack.offset
    result.packs = {name: (pack.offset if name == pack.name else packs[name]) for name in pack.used}
    result.memos = memos_where
    if not still():
        raise Stopped
    index = {"record": record, "packs": [[name, result.packs[name]] for name in pack.used], "stores": index_stores,
             "page_key": page_key, "fragments": {"kinds": kinds, "rows": piece_rows}, "memos": pack.row(memos_where),
             "sitemap": sitemap,
             "paths": {src: list(p) for src, p in paths.items()},
             "site": {"files": site_files}}
    cache_file.write(os.path.join(folder, INDEX + ".next"), "index", _compressed_json(index, still))
    return result


def _save_pieces(pack: _Pack, pieces: list[tuple[Any, Any]], digests: dict[Any, str], saved: dict[str, Any], *,
                 result: Saved, still: Callable[[], bool]) -> tuple[list[list[Any]], list[str]]:
    """The fragments worth keeping (text of `FRAGMENT_MIN` characters or more: a smaller piece costs
    less to make again than to find by its key), by the fingerprint of their key."""
    rows: list[list[Any]] = []
    kinds: set[str] = set()
    for n, (key, value) in enumerate(pieces):
        if n % _STEP == 0 and not still():
            raise Stopped
        if not isinstance(value, str) or len(value) < FRAGMENT_MIN:
            continue
        digest = digests.get(key) or Fragments.key_digest(key)
        where = pack.keep(saved.get(digest), partial(_piece_bytes, value))
        result.fragments[digest] = where
        result.digests[key] = digest
        rows.append([digest, *pack.row(where)])
        kinds.add(Fragments.kind(key))
    result.values += len(rows)
    return rows, sorted(kinds)


def apply(parts: Parts, saved: Saved) -> None:
    """The save is on disk: each part now knows where its values are kept (none changed since:
    the caller holds off any build)."""
    for name, store in parts.stores().items():
        store.saved = saved.saved.get(name, {})
    parts.cache.fragments.saved, parts.cache.fragments.digests = saved.fragments, saved.digests
    parts.memos = saved.memos
    memo.saved()


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
    packs: list[tuple[str, memoryview]]  # by number: (name, body)

    def names(self) -> dict[str, int]:
        """The packs the index uses, by name, with their lengths."""
        return {name: len(body) for name, body in self.packs}


def load(folder: str) -> Loaded:
    """The index and packs in `folder`, every file checked (cache_file.py); CacheFileError if any is not right."""
    _header, index = cache_file.read_json(os.path.join(folder, INDEX), "index")
    if not isinstance(index, dict) or not isinstance(index.get("record"), dict) or not isinstance(index.get("packs"), list):
        raise cache_file.CacheFileError("index is damaged")
    packs = []
    for item in index["packs"]:
        name, length = item if isinstance(item, list) and len(item) == 2 else ("", None)
        if not (isinstance(name, str) and name.startswith("pack-") and os.sep not in name and "/" not in name):
            raise cache_file.CacheFileError("index is damaged")
        _header, body = cache_file.read(os.path.join(folder, name), "pack")
        if len(body) != length:
            raise cache_file.CacheFileError(f"{name} is not the pack the index names")
        packs.append((name, body))
    return Loaded(index["record"], index, packs)


def restore(loaded: Loaded, parts: Parts, site_root: str) -> bool:
    """Put what `loaded` holds into `parts` (their stores empty), its files in `site_root`; True if
    they are as the index says (else the build ends with a full walk of it). Raises
    CacheFileError if the index is damaged: the caller then empties `parts`, which may hold some of it."""
    index, packs = loaded.index, loaded.packs
    try:
        stores = parts.stores()
        for name, rows in index["stores"].items():
            store = stores[name]
            if name not in _CODECS:
                store.restore((key, fp, True, None) for key, fp in rows)
                continue
            store.restore(_values(rows, packs, _CODECS[name][1]))
        parts.cache.page_key = str(index["page_key"])
        fragments = parts.cache.fragments
        rows = index["fragments"]["rows"]
        fragments.from_disk = {digest: Packed(_slice(packs, *where), _piece_value) for digest, *where in rows}
        fragments.saved = {digest: _where(packs, *where) for digest, *where in rows}
        fragments.kinds_on_disk = frozenset(index["fragments"]["kinds"])
        tables = _json_value(_slice(packs, *index["memos"]))
        parts.memos = _where(packs, *index["memos"])
        parts.sitemap.kept = {template: (str(key), _text_value(_slice(packs, *where)))
                              for template, (key, *where) in index["sitemap"].items()}
        parts.settled.restore_paths({str(src): (str(dest), str(url)) for src, (dest, url) in index["paths"].items()}, site_root)
        whole = parts.site.restore(site_root, index["site"]["files"])  # where it is now, not where it was
    except (KeyError, TypeError, ValueError, IndexError, zlib.error) as exc:
        raise cache_file.CacheFileError(f"index is damaged ({type(exc).__name__})") from None
    memo.load(tables)  # last: nothing of a damaged index gets into the functions' memos
    return whole


def _values(rows: list[list[Any]], packs: list[tuple[str, memoryview]],
            decode: Callable[[bytes | memoryview], Any] | None) -> list[tuple[str, str, Any, Any]]:
    out = []
    for key, fp, number, start, length in rows:  # 100,000 rows at 16x: `_slice`'s checks, inline
        if type(key) is not str or type(fp) is not str or type(number) is not int or number < 0:
            raise TypeError(key)
        name, body = packs[number]
        if type(start) is not int or type(length) is not int or start < 0 or length < 0 or start + length > len(body):
            raise ValueError(key)
        data = body[start:start + length]
        out.append((key, fp, data if decode is None else Packed(data, decode), (name, start, length)))
    return out


def _slice(packs: list[tuple[str, memoryview]], number: int, start: int, length: int) -> memoryview:
    if not (isinstance(number, int) and 0 <= number < len(packs)):
        raise ValueError(number)
    body = packs[number][1]
    if not (isinstance(start, int) and isinstance(length, int) and start >= 0 and length >= 0 and start + length <= len(body)):
        raise ValueError(number)
    return body[start:start + length]


def _where(packs: list[tuple[str, memoryview]], number: int, start: int, length: int) -> tuple[str, int, int]:
    return packs[number][0], start, length
