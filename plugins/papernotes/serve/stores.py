"""The rebuild cache of `mkdocs serve`: results kept between rebuilds, each with the fingerprint of what made it (no MkDocs import).

The cache keeps, per page, the last result and the fingerprint (fingerprints.py) of what made
it; `get` gives a result back only for the same fingerprint. Correctness first (the Angular
`incremental` rule): reuse is allowed only when the fingerprint is equal, and anything not
fingerprinted (see `environment.environment`) empties the whole cache.

`Cache` holds one store per stage of a page that may be reused (the stages are in this folder):

* `rendered`: a page's Markdown pass (HTML, TOC, anchors), by its final Markdown (markdown_pass.py);
* `bodies`:   a generated page's body, by its registry inputs or dependency digest (bodies.py);
* `search`:   a page's search index entries, by what the search plugin reads of it (search_entries.py);
* `indexed`:  what each page added to the search index, in order (a settled page's is added again);
* `pages`:    a page's HTML out of the theme, compressed in memory (theme_pass.py);
* `digests`:  a generated page's dependency digest when its output on disk was made (settled_pages.py);

and `fragments`, the pieces of the outputs made from the whole library: an entry's row HTML, a
note's entry heading, an author's JSON record, each by the value it is made from.
`CompiledTemplates` keeps Jinja's compiled templates for the life of the process.

A store can be kept on disk for the next `serve` (warm_start.py, serve_state.py): `restore`
puts back values still encoded (`Packed`, opened when first asked for), and each store
remembers where each value it holds is kept already (`saved`), so that the next save writes
only what changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import zlib
from collections.abc import Callable, Hashable, Iterable
from collections.abc import Set as AbstractSet
from typing import Any, Generic, TypeVar

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

T = TypeVar("T")


class Packed:
    """A value as the serve cache on disk keeps it, decoded when it is first asked for."""

    __slots__ = ("data", "decode")

    def __init__(self, data: bytes | memoryview, decode: Callable[[bytes | memoryview], Any]) -> None:
        self.data, self.decode = data, decode

    def open(self) -> Any:
        return self.decode(self.data)


class Store(Generic[T]):
    """Results by key (a page's path), each kept with the fingerprint of what made it."""

    def __init__(self) -> None:
        self._items: dict[str, tuple[str, T]] = {}
        # key -> (fingerprint, where the value is kept on disk): values not put again since they
        # were saved or restored (serve_state.py); what `put` replaces is dropped from it.
        self.saved: dict[str, tuple[str, Any]] = {}
        self.hits = self.misses = 0

    def get(self, key: str, fp: str) -> T | None:
        item = self._items.get(key)
        if item is not None and item[0] == fp:
            self.hits += 1
            value: Any = item[1]
            if type(value) is Packed:
                value = value.open()
                self._items[key] = (fp, value)
            return value  # type: ignore[no-any-return]  # whatever `make` made for this key
        self.misses += 1
        return None

    def put(self, key: str, fp: str, value: T) -> None:
        self._items[key] = (fp, value)
        self.saved.pop(key, None)

    def keep_only(self, keys: set[str]) -> None:
        """Forget pages that are gone (a deleted note, an author with no paper left)."""
        for key in [k for k in self._items if k not in keys]:
            del self._items[key]
            self.saved.pop(key, None)

    def clear(self) -> None:
        self._items.clear()
        self.saved.clear()

    def items(self) -> list[tuple[str, str, Any]]:
        """(key, fingerprint, value) of every result, the value still `Packed` if it was never asked for."""
        return [(key, fp, value) for key, (fp, value) in list(self._items.items())]

    def restore(self, items: Iterable[tuple[str, str, Any, Any]]) -> None:
        """Put back (key, fingerprint, value or `Packed`, where it is kept) as a save left them."""
        for key, fp, value, where in items:
            self._items[key] = (fp, value)
            self.saved[key] = (fp, where)

    def __len__(self) -> int:
        return len(self._items)


class PageStore(Store[bytes]):
    """Like `Store`, for a page's HTML out of the theme: kept compressed (a tenth of the size).

    In memory rather than read back from `site_dir`: what is written there is the page after
    every plugin's `on_post_page`, not the theme's output, and reading 20,000 small files back
    costs more than inflating them; nothing is left on disk when the process ends.
    """

    def has(self, key: str, fp: str) -> bool:
        item = self._items.get(key)
        return item is not None and item[0] == fp

    def get(self, key: str, fp: str) -> str | None:  # type: ignore[override]  # kept compressed, given back as text
        packed = super().get(key, fp)
        return None if packed is None else zlib.decompress(packed).decode("utf-8", "surrogatepass")

    def put(self, key: str, fp: str, value: str) -> None:  # type: ignore[override]  # likewise, taken as text
        super().put(key, fp, zlib.compress(value.encode("utf-8", "surrogatepass"), 1))

    def size(self) -> int:
        """Bytes held (compressed)."""
        return sum(len(v[1]) for v in self._items.values())


_MISSING: Any = object()


class Fragments:
    """Pieces of outputs by the value they are made from, kept from one build to the next.

    The key is everything the piece is made from, as a hashable value (a tuple of strings,
    numbers and frozen dataclasses such as `render.EntryView`), compared by value: equal keys
    make equal pieces, so a hit is correct by construction, and an edit to one entry makes
    only its own pieces again. Bounded: `end()` (once a build is over) forgets every piece
    that build did not ask for, but those its caller says are still current. Without `end()`
    it is a memo of one build (what `mkdocs build` gets: a fresh one per build).
    """

    def __init__(self) -> None:
        self._last: dict[Hashable, Any] = {}  # what the previous build asked for
        self._now: dict[Hashable, Any] = {}  # what this build asked for
        self.hits = self.misses = 0
        # Kept on disk for the next process (serve_state.py), by `key_digest`.
        self.from_disk: dict[str, Any] = {}  # key digest -> piece (or `Packed`) a previous process left
        self.kinds_on_disk: frozenset[str] = frozenset()  # the kinds (a key's first item) among them
        self.digests: dict[Hashable, str] = {}  # key -> its digest, of the pieces known on disk
        self.saved: dict[str, Any] = {}  # key digest -> where the piece is on disk

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        value = self._now.get(key, _MISSING)
        if value is _MISSING:
            value = self._last.pop(key, _MISSING)
            if value is _MISSING and self.from_disk:
                value = self._from_disk(key)
            if value is _MISSING:
                value = make()
                self.misses += 1
            else:
                self.hits += 1
            self._now[key] = value
        return value  # type: ignore[no-any-return]  # whatever `make` made for this key

    @staticmethod
    def kind(key: Hashable) -> str:
        """A key's kind: its first item, when that is a string ("row", "entry", ...)."""
        return key[0] if type(key) is tuple and key and type(key[0]) is str else ""

    @staticmethod
    def key_digest(key: Hashable) -> str:
        """What a piece is kept on disk by: a digest of its key's repr, which is exact for what keys
        are made of (strings, numbers, tuples, frozen dataclasses), as the output registry's entry
        digests are; an object whose repr is not its value (an address) only never matches.
        A tenth of what `fingerprint` costs, for a key holding a whole `EntryView`."""
        return hashlib.blake2b(repr(key).encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()

    def _from_disk(self, key: Hashable) -> Any:
        if self.kind(key) not in self.kinds_on_disk:
            return _MISSING  # none of its kind was kept: not worth a digest of the key
        digest = self.key_digest(key)
        value = self.from_disk.pop(digest, _MISSING)
        if value is not _MISSING:
            self.digests[key] = digest
            if type(value) is Packed:
                value = value.open()
        return value

    def end(self, shown: AbstractSet[int] | None = None) -> None:
        """A build is over: keep what it asked for and, of the rest, each piece whose key's second
        item is one of the objects in `shown` (by id: the views of every entry shown now, so a page
        made again next build, which this build left as it was, finds its rows); forget the rest."""
        if shown is not None:  # what this build did not ask for is what `get` left in `_last`
            kept: dict[Hashable, Any] = {key: value for key, value in self._last.items()
                                         if type(key) is tuple and len(key) > 1 and id(key[1]) in shown}
            kept.update(self._now)
            self._now = kept
        self._last, self._now = self._now, {}
        self.from_disk = {}  # the first build after a warm start took what it needed

    def items(self) -> list[tuple[Hashable, Any]]:
        """(key, piece) of what the last build asked for."""
        return list(self._last.items())

    def clear(self) -> None:
        self._last, self._now = {}, {}
        self.from_disk, self.digests, self.saved = {}, {}, {}

    def __len__(self) -> int:
        return len(self._last) + len(self._now)


@dataclasses.dataclass
class Cache:
    """What one `mkdocs serve` process keeps between rebuilds."""

    environment: str = ""  # fingerprint of everything not fingerprinted per page (environment.py)
    rendered: Store[Any] = dataclasses.field(default_factory=Store)
    bodies: Store[str] = dataclasses.field(default_factory=Store)
    search: Store[list[dict[str, Any]]] = dataclasses.field(default_factory=Store)
    pages: PageStore = dataclasses.field(default_factory=PageStore)
    # A generated page's dependency digest (`outputs.Output.digest`) when its output on disk was
    # made, and what each page added to the search index (a settled page's is added again).
    digests: Store[bool] = dataclasses.field(default_factory=Store)
    indexed: Store[list[dict[str, Any]]] = dataclasses.field(default_factory=Store)
    page_key: str = ""  # what every page's theme output depended on last build besides itself (nav, date)
    fragments: Fragments = dataclasses.field(default_factory=Fragments)

    def start(self, environment: str) -> bool:
        """Begin a build; empties the cache when the environment changed. True if anything may be reused."""
        if environment != self.environment:
            self.clear()
            self.environment = environment
            return False
        return True

    def clear(self) -> None:
        self.environment = self.page_key = ""
        for store in self._stores():
            store.clear()
        self.fragments.clear()

    def keep_only(self, keys: set[str]) -> None:
        for store in self._stores():
            store.keep_only(keys)

    def _stores(self) -> tuple[Store[Any], ...]:
        return (self.rendered, self.bodies, self.search, self.pages, self.digests, self.indexed)

    def close(self) -> None:
        self.clear()

    def stats(self) -> dict[str, int]:
        return {f"{name}_{kind}": getattr(getattr(self, name), kind)
                for name in ("rendered", "bodies", "search", "pages", "digests", "fragments") for kind in ("hits", "misses")}


class CompiledTemplates(BytecodeCache):
    """Compiled Jinja templates kept in memory for the life of the process (Jinja checks each
    entry against its template's source, so an edited template is compiled again). Used for the
    plugin's own templates (render/renderer.py) and, under `mkdocs serve`, the theme's (theme_pass.py):
    both get a new Jinja environment every build."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()
