"""The output registry: every page and file the plugin adds to the site, each declared beside the code that makes it.

An `Output` says where it goes (`src`, a path in docs/, from `outputs/paths.py`), what it is
(`kind`), which named inputs it depends on (`inputs`) and how it is made (`render`, a pure
function of those inputs and the plugin's code). Each module named in `DECLARING_MODULES`
declares the outputs of one page or file type with `@declare`: a function of the build
(`BuildContext`) that yields them. The plugin's `on_files` asks `outputs(build)` for the list
and adds one `File.generated` per output; nothing else in the plugin knows the page types.

The inputs are the page's fingerprint: `serve.fingerprints.fingerprint(output.inputs())` must change
whenever `output.render()` would. Under `mkdocs serve` a page whose fingerprint is
unchanged is not rendered again (see `serve/bodies.py`), so an input left out of `inputs` is a
page left stale; tests/serve/test_incremental.py compares every rebuild with a clean build to catch
it. For template pages the inputs are simply the template's context, so they cannot drift from
what the body reads.

Adding a page type (an explorer, a stats page, a feed) is one module with one declaration,
named in `DECLARING_MODULES`:

    @declare
    def stats(build: BuildContext) -> Iterable[Output]:
        yield Output("stats.md", HIDDEN, title="Statistics",
                     inputs=lambda: stats_context(build.library),
                     render=lambda: stats_html(build.library))

Kinds: `PAGE` (a page listed in the laid-out nav), `HIDDEN` (a page kept out of the nav,
like each author page) and `FILE` (a file written as is: `render()` gives its text, or
`abs_src_path` names a file to copy). A user's own file at the same `src` wins, and a
`README.md` beside an `index.md` output (MkDocs makes it its folder's index). The order of
`DECLARING_MODULES` is the order files are added (and, for `PAGE`s, their order in the nav),
whichever of them happens to be imported first.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal

from papernotes.index.authors import Author
from papernotes.index.changes import LibraryChanges
from papernotes.index.library import Library
from papernotes.index.tags import Tag
from papernotes.index.urls import src_to_url
from papernotes.notes.model import Entry
from papernotes.outputs.paths import FEED, OutputPaths
from papernotes.render.page_shell import GeneratedPage, page_heading, page_markdown, page_meta
from papernotes.render.views import Renderer
from papernotes.serve.fingerprints import fingerprint

Kind = Literal["page", "hidden", "file"]
PAGE: Kind = "page"
HIDDEN: Kind = "hidden"
FILE: Kind = "file"


@dataclass(slots=True)
class Output:
    """One generated page or file.

    `inputs()` returns the named inputs (a dict, tuple, or any value `fingerprint`
    takes); `render()` returns a page's body (HTML put after its title) or a file's text.
    Nothing changes an Output once made; it is not a frozen dataclass only because a build
    makes 20,000 of them (an author page each), and a frozen dataclass's `__init__` sets each
    field through `object.__setattr__`.
    """

    src: str
    kind: Kind
    title: str = ""
    inputs: Callable[[], Any] | None = None
    render: Callable[[], str] | None = None
    abs_src_path: str | None = None
    # A cheap digest that is equal only when `inputs()` would be (None: not known). Under `mkdocs
    # serve`, a page whose digest is the last build's is not rendered again, nor even computed.
    digest: Callable[[], str] | None = None

    @property
    def is_page(self) -> bool:
        return self.kind != FILE

    def markdown(self, *, search_title_only: bool = True) -> str:
        """What a page's `File` holds: its front matter (title); heading and body are added after Markdown."""
        return page_markdown(self.title, search_title_only=search_title_only)

    def meta(self, *, search_title_only: bool = True) -> dict[str, Any] | None:
        """What MkDocs reads of `markdown()`'s front matter, made directly (None: let YAML read it)."""
        return page_meta(self.title, search_title_only=search_title_only)

    def as_markdown(self) -> str:
        """The same page written by hand as one Markdown file (the benchmark's comparison)."""
        return f"{self.markdown(search_title_only=False)}\n{page_heading(self.title)}\n{self.render() if self.render else ''}\n"


@dataclass(frozen=True, slots=True)
class BuildContext:
    """What declarations read of one build: the library, its renderer, the plugin's options, the
    feeds made; and the digests of what pages show, made once for every page that reads them."""

    library: Library
    renderer: Renderer
    config: Mapping[str, Any]  # the plugin's options (`PapernotesConfig`), validated
    use_directory_urls: bool = True
    # The Atom feeds (path -> text), made by the plugin when the site has a site_url.
    feeds: Mapping[str, str] = field(default_factory=dict)
    # A digest of every note's source, in order (a note as parsed is made from its source and path
    # alone); None: `whole_library` fingerprints the notes as parsed.
    sources: str | None = None
    # Under `mkdocs serve`: what changed since the last build (None: everything may have), and
    # that build's context, whose digests of what did not change this one takes.
    changes: LibraryChanges | None = None
    last: BuildContext | None = None
    _memo: dict[str, Any] = field(default_factory=dict)
    _urls: dict[str, str] = field(default_factory=dict)  # src -> URL, this build: pages ask for the same few
    _digests: dict[int, bytes] = field(default_factory=dict)  # id(entry) -> entry_digest, this build
    _hashers: dict[str, Any] = field(default_factory=dict)  # "base": the hash of `parameters()`, copied by `page_digest`
    _pages: dict[str, tuple[Any, str]] = field(default_factory=dict)  # src -> (own, digest) of `subject_digest`, this build

    def __post_init__(self) -> None:
        last = self.last
        if last is not None:  # one build back only: the last build's own `last` goes
            object.__setattr__(last, "last", None)
            object.__setattr__(last, "changes", None)
            if self.changes is None or last.parameters() != self.parameters():
                object.__setattr__(self, "last", None)

    @property
    def paths(self) -> OutputPaths:
        """Where this build's outputs go."""
        paths = self._memo.get("paths")
        if paths is None:
            paths = self._memo["paths"] = OutputPaths.of(self.config, feeds=bool(self.feeds))
        return paths

    @property
    def memo(self) -> dict[str, Any]:
        """Values made once per build; under serve the next build reads its last build's (`last.memo`)."""
        return self._memo

    @property
    def feed_url(self) -> str | None:
        """The site's feed (site-relative), when feeds are made."""
        return FEED if FEED in self.feeds else None

    def url(self, src: str) -> str:
        """The site-relative URL of the page at `src`."""
        url = self._urls.get(src)
        if url is None:
            url = self._urls[src] = src_to_url(src, self.use_directory_urls)
        return url

    def parameters(self) -> str:
        """One fingerprint of what every author and tag page reads besides its own entries: the
        plugin's options (and so every generated page's URL), the site's URL style. Not the
        aliases file: what a page shows of it (names after aliases, spellings, homepages, links
        to author and tag pages) is in its own digest and its entries' (`entry_digest`: the
        view), so an alias added for one author makes only the pages that show it again."""
        if "parameters" not in self._memo:
            lib = self.library
            self._memo["parameters"] = fingerprint(sorted(self.config.items()), self.use_directory_urls,
                                                   lib.options, default=repr)
        parameters: str = self._memo["parameters"]
        return parameters

    def entry_digest(self, entry: Entry) -> bytes:
        """What a row or a page's summary shows of an entry: its parsed fields but not its position
        in the note (a bullet added above it changes nothing on its pages), and its view (the
        names and URLs of its authors, tags and note, its BibTeX and date added)."""
        key = id(entry)
        digest = self._digests.get(key)
        if digest is None and self.last is not None and self.changes is not None:
            old = self.changes.previous_entry(entry)  # shows the same as this one: same digest
            digest = self.last._digests.get(id(old)) if old is not None else None
            if digest is not None:
                self._digests[key] = digest
        if digest is None:
            e = entry
            shown = (e.path, e.heading, e.title, e.priority, e.tags, e.links, e.authors, e.topics, e.section,
                     e.venues, e.venue, e.year, self.renderer.view(e))
            # Remembered by value across rebuilds (an unchanged entry's fields are the same strings)
            digest = self._digests[key] = self.renderer.fragments.get(("entry-digest", *shown), partial(_digest, shown))
        return digest

    def page_digest(self, own: Any, entries: Sequence[Entry] = ()) -> str:
        """The digest of a page showing `own` (what it reads of its subject, made plain: strings,
        numbers, tuples and lists, whose repr is exact) and `entries`, in order."""
        base = self._hashers.get("base")
        if base is None:  # the parameters hashed once, copied for each of 20,000 pages
            base = self._hashers["base"] = hashlib.blake2b(self.parameters().encode(), digest_size=20)
        h = base.copy()
        h.update(repr(own).encode("utf-8", "surrogatepass"))
        for entry in entries:
            h.update(self.entry_digest(entry))
        return h.hexdigest()

    def subject_digest(self, src: str, own: Any, entries: Sequence[Entry], *, changed: bool) -> str:
        """`page_digest` of the page at `src`, which shows one author or tag (`own`) and its entries:
        the last build's when the subject did not change (`LibraryChanges`) and `own` is equal."""
        if not changed and self.last is not None:
            hit = self.last._pages.get(src)
            if hit is not None and hit[0] == own:
                self._pages[src] = hit
                return hit[1]
        digest = self.page_digest(own, entries)
        self._pages[src] = (own, digest)
        return digest

    def whole_library(self) -> str:
        """One fingerprint of all the library is made of: every note as parsed, page URLs, aliases,
        options and dates added. The input of pages that show the whole library (the explorer,
        stats, recently added): any change to any note makes them again. Made once per build."""
        if "all" not in self._memo:
            lib = self.library
            dates = [(e.path, e.line, d.isoformat()) for e in lib.entries if (d := lib.added(e)) is not None]
            notes = self.sources if self.sources is not None else list(lib.documents.values())
            self._memo["all"] = fingerprint(notes, lib.page_urls, lib.aliases, lib.options,
                                            dates, self.feed_url, default=repr)
        everything: str = self._memo["all"]
        return everything


def _digest(value: Any) -> bytes:
    return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def project(value: Any) -> Any:
    """What templates read of a library object, for fingerprints (`fingerprint`'s `default`).

    Author and tag pages show a count of entries, not the entries themselves (those come as
    views, which are fingerprinted by value). NotImplemented: fingerprint it by value.
    """
    if isinstance(value, Author):
        return ("author", value.key, value.name, value.slug, value.url, value.homepage, len(value.entries))
    if isinstance(value, Tag):
        return ("tag", value.key, value.kind, value.name, value.slug, value.url, len(value.entries))
    return NotImplemented


def template_page(build: BuildContext, src: str, kind: Kind, title: str, context: Callable[[], tuple[str, dict[str, Any]]], *,
                  digest: Callable[[], str] | None = None) -> Output:
    """A page made by one template from its context (`context()` gives the template's name and
    context); the context is the page's inputs."""
    def render() -> str:
        template, values = context()
        return build.renderer.templates.body(template, **values)

    return Output(src, kind, title=title, inputs=context, render=render, digest=digest)


def whole_library_page(build: BuildContext, src: str, kind: Kind, page: GeneratedPage) -> Output:
    """A page made from the whole library: made again when anything in it changes."""
    return Output(src, kind, title=page.title, inputs=build.whole_library, render=page.body)


# -- the declarations ----------------------------------------------------------------------

Declaration = Callable[[BuildContext], Iterable[Output]]
DECLARATIONS: list[Declaration] = []
# The modules of outputs/ that declare outputs, in the order of their outputs.
DECLARING_MODULES = ("assets", "home", "must_read", "explorer", "recent", "tags", "authors", "stats", "exports", "papers_bib", "feeds")


def _position(declaration: Declaration) -> int:
    """Where a declaration goes: its module's place in `DECLARING_MODULES`; any other after them."""
    package, _, name = declaration.__module__.rpartition(".")
    return DECLARING_MODULES.index(name) if package == __package__ and name in DECLARING_MODULES else len(DECLARING_MODULES)


def declare(function: Declaration) -> Declaration:
    """Add a declaration to the registry: in its module's place, after those of its module declared before it."""
    DECLARATIONS.append(function)
    DECLARATIONS.sort(key=_position)  # stable
    return function


def declarations() -> list[Declaration]:
    """Every declaration, in order. The declaring modules are imported here, when first needed,
    not when this module is: each of them imports this one for `declare`."""
    for name in DECLARING_MODULES:
        importlib.import_module(f"{__package__}.{name}")
    return DECLARATIONS


def outputs(build: BuildContext) -> list[Output]:
    """Every output of the site, in declaration order; the first output at a path wins."""
    seen: set[str] = set()
    result = []
    for declaration in declarations():
        for output in declaration(build):
            if output.src not in seen:
                seen.add(output.src)
                result.append(output)
    return result
