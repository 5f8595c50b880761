"""Fingerprints and the rebuild cache of `mkdocs serve` (no MkDocs import).

A fingerprint is a hash of a value's canonical encoding: two values with the same
fingerprint make the same output. The cache keeps, per page, the last result and the
fingerprint of what made it; `get` gives a result back only for the same fingerprint.
Correctness first (the Angular `incremental` rule): reuse is allowed only when the
fingerprint is equal, and anything not fingerprinted (see `incremental.environment`)
empties the whole cache.

Three stores, one per stage of a page (see incremental.py):

* `rendered`: a page's Markdown pass (HTML, TOC, anchors), by its final Markdown;
* `bodies`:   a generated page's body, by its registry inputs (`outputs.Output.inputs`);
* `pages`:    a page's HTML out of the theme, kept in files in a folder of its own
  outside `site_dir` (MkDocs cleans `site_dir` before every build), made on first use
  and removed by `close()` (and at interpreter exit, whatever happens).
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import hashlib
import os
import shutil
import struct
import tempfile
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def fingerprint(*parts: Any, default: Callable[[Any], Any] | None = None) -> str:
    """A hex digest of `parts` encoded canonically (type-tagged, length-prefixed).

    Takes None, bool, int, float, str, bytes, tuples/lists, dicts (in their order: order
    is output), sets (sorted); anything else goes through `default`, which returns what
    stands for it (one of those) or NotImplemented; then dataclasses go by class and
    fields, and anything else raises TypeError.
    """
    h = hashlib.blake2b(digest_size=20)
    _feed(h, parts, default)
    return h.hexdigest()


def _feed(h: Any, value: Any, default: Callable[[Any], Any] | None) -> None:
    update = h.update
    if value is None or isinstance(value, bool):
        update(b"N" if value is None else b"T" if value else b"F")
    elif isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        update(b"s" + struct.pack("<Q", len(data)) + data)
    elif isinstance(value, int):
        data = str(value).encode()
        update(b"i" + struct.pack("<Q", len(data)) + data)
    elif isinstance(value, float):
        update(b"f" + struct.pack("<d", value))
    elif isinstance(value, bytes):
        update(b"b" + struct.pack("<Q", len(value)) + value)
    elif isinstance(value, (tuple, list)):
        update(b"l" + struct.pack("<Q", len(value)))
        for item in value:
            _feed(h, item, default)
    elif isinstance(value, dict):
        update(b"d" + struct.pack("<Q", len(value)))
        for key, item in value.items():
            _feed(h, key, default)
            _feed(h, item, default)
    elif isinstance(value, (set, frozenset)):
        items = sorted(fingerprint(item, default=default) for item in value)
        update(b"S" + struct.pack("<Q", len(items)) + "".join(items).encode())
    else:
        projected = NotImplemented if default is None else default(value)
        if projected is not NotImplemented:
            _feed(h, (type(value).__qualname__, projected), default)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            _feed(h, type(value).__qualname__, default)
            _feed(h, [getattr(value, f.name) for f in dataclasses.fields(value)], default)
        else:
            raise TypeError(f"cannot fingerprint a {type(value).__name__}")


class Store(Generic[T]):
    """Results by key (a page's path), each kept with the fingerprint of what made it."""

    def __init__(self) -> None:
        self._items: dict[str, tuple[str, T]] = {}
        self.hits = self.misses = 0

    def get(self, key: str, fp: str) -> T | None:
        item = self._items.get(key)
        if item is not None and item[0] == fp:
            self.hits += 1
            return item[1]
        self.misses += 1
        return None

    def put(self, key: str, fp: str, value: T) -> None:
        self._items[key] = (fp, value)

    def keep_only(self, keys: set[str]) -> None:
        """Forget pages that are gone (a deleted note, an author with no paper left)."""
        for key in [k for k in self._items if k not in keys]:
            del self._items[key]

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


class FileStore:
    """Like `Store`, with the values (a page's HTML) in files of a private temporary folder."""

    def __init__(self, prefix: str = "papernotes-serve-") -> None:
        self._prefix = prefix
        self._folder: str | None = None
        self._names: dict[str, tuple[str, str]] = {}  # key -> (fingerprint, file name)
        self._next = 0
        self.hits = self.misses = 0

    @property
    def folder(self) -> str | None:
        return self._folder

    def has(self, key: str, fp: str) -> bool:
        item = self._names.get(key)
        return item is not None and item[0] == fp and self._folder is not None

    def get(self, key: str, fp: str) -> str | None:
        item = self._names.get(key)
        if item is None or item[0] != fp or self._folder is None:
            self.misses += 1
            return None
        try:
            with open(os.path.join(self._folder, item[1]), encoding="utf-8", newline="") as fh:
                text = fh.read()
        except OSError:  # someone cleaned the folder: make the page again
            del self._names[key]
            self.misses += 1
            return None
        self.hits += 1
        return text

    def put(self, key: str, fp: str, value: str) -> None:
        if self._folder is None:
            self._folder = tempfile.mkdtemp(prefix=self._prefix)
            atexit.register(shutil.rmtree, self._folder, True)
        item = self._names.get(key)
        if item is None:
            item = (fp, f"{self._next}.html")
            self._next += 1
        name = item[1]
        with open(os.path.join(self._folder, name), "w", encoding="utf-8", newline="") as fh:
            fh.write(value)
        self._names[key] = (fp, name)

    def keep_only(self, keys: set[str]) -> None:
        for key in [k for k in self._names if k not in keys]:
            _, name = self._names.pop(key)
            if self._folder is not None:
                with contextlib.suppress(OSError):
                    os.remove(os.path.join(self._folder, name))

    def clear(self) -> None:
        self.keep_only(set())

    def close(self) -> None:
        """Remove the folder and everything in it."""
        self._names.clear()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def __len__(self) -> int:
        return len(self._names)


@dataclasses.dataclass
class Cache:
    """What one `mkdocs serve` process keeps between rebuilds."""

    environment: str = ""  # fingerprint of everything not fingerprinted per page (see incremental.environment)
    rendered: Store[Any] = dataclasses.field(default_factory=Store)
    bodies: Store[str] = dataclasses.field(default_factory=Store)
    pages: FileStore = dataclasses.field(default_factory=FileStore)

    def start(self, environment: str) -> bool:
        """Begin a build; empties the cache when the environment changed. True if anything may be reused."""
        if environment != self.environment:
            self.clear()
            self.environment = environment
            return False
        return True

    def clear(self) -> None:
        self.environment = ""
        self.rendered.clear()
        self.bodies.clear()
        self.pages.clear()

    def keep_only(self, keys: set[str]) -> None:
        self.rendered.keep_only(keys)
        self.bodies.keep_only(keys)
        self.pages.keep_only(keys)

    def close(self) -> None:
        self.clear()
        self.pages.close()

    def stats(self) -> dict[str, int]:
        return {f"{name}_{kind}": getattr(getattr(self, name), kind)
                for name in ("rendered", "bodies", "pages") for kind in ("hits", "misses")}
