"""The output registry: every page and file the plugin adds to the site, declared in one list.

An `Output` says where it goes (`src`, a path in docs/), what it is (`kind`), which named
inputs it depends on (`inputs`) and how it is made (`render`, a pure function of those
inputs and the plugin's code). The plugin's `on_files` asks `outputs(site)` for the list
and adds one `File.generated` per output; nothing else in the plugin knows the page types.

The inputs are the page's fingerprint: `cache.fingerprint(output.inputs())` must change
whenever `output.render()` would. Under `mkdocs serve` a page whose fingerprint is
unchanged is not rendered again (see `cache.py`), so an input left out of `inputs` is a page
left stale; tests/test_incremental.py compares every rebuild with a clean build to catch it.
For template pages the inputs are simply the template's context (`Renderer.*_view`), so
they cannot drift from what the body reads.

Adding a page type (an explorer, a stats page, a feed) is one declaration:

    @declare
    def stats(site: Site) -> Iterable[Output]:
        yield Output("stats.md", HIDDEN, title="Statistics",
                     inputs=lambda: stats_context(site.library),
                     render=lambda: stats_html(site.library))

Kinds: `PAGE` (a page listed in the laid-out nav), `HIDDEN` (a page kept out of the nav,
like each author page) and `FILE` (a file written as is: `render()` gives its text, or
`abs_src_path` names a file to copy). A user's own file at the same `src` wins. Order in
`DECLARATIONS` is the order files are added (and, for `PAGE`s, their order in the nav).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from importlib.resources import files as package_files
from typing import Any, Literal

from papernotes.index.library import Author, Library, Tag, src_to_url
from papernotes.mkdocs_plugin.config import PapernotesConfig
from papernotes.notes.model import Entry
from papernotes.outputs import explorer, exports, recent, stats
from papernotes.render.renderer import GeneratedPage, Renderer, page_heading, page_markdown, page_meta
from papernotes.serve.fingerprints import fingerprint

Kind = Literal["page", "hidden", "file"]
PAGE: Kind = "page"
HIDDEN: Kind = "hidden"
FILE: Kind = "file"
CSS_URI = "papernotes/papernotes.css"
CITE_JS_URI = "papernotes/papernotes-cite.js"


@dataclass(frozen=True, slots=True)
class Output:
    """One generated page or file.

    `inputs()` returns the named inputs (a dict, tuple, or any value `cache.fingerprint`
    takes); `render()` returns a page's body (HTML put after its title) or a file's text.
    """

    src: str
    kind: Kind
    title: str = ""
    inputs: Callable[[], Any] | None = None
    render: Callable[[], str] | None = None
    abs_src_path: str | None = None
    # A cheap digest that is equal only when `inputs()` would be (None: not known). Under `mkdocs
    # serve`, a page whose digest is the last build's is not rendered again, nor even computed.
    depends: Callable[[], str] | None = None

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
class Site:
    """What declarations read: the library, its renderer and the plugin's options."""

    library: Library
    renderer: Renderer
    config: PapernotesConfig
    use_directory_urls: bool = True
    # The Atom feeds (path -> text), made by the plugin when the site has a site_url and dates.
    feeds: Mapping[str, str] = field(default_factory=dict)
    feed_url: str | None = None
    # A digest of every note's source, in order (a note as parsed is made from its source and path
    # alone); None: `everything` fingerprints the notes as parsed.
    sources: str | None = None
    _memo: dict[str, str] = field(default_factory=dict)
    _digests: dict[int, bytes] = field(default_factory=dict)  # id(entry) -> entry_digest, this build
    _hashers: dict[str, Any] = field(default_factory=dict)  # "base": the hash of `parameters()`, copied by `depends_on`

    def parameters(self) -> str:
        """One fingerprint of what every author and tag page reads besides its own entries: the
        plugin's options, the site's URL style, the renderer's page URLs, the aliases."""
        if "parameters" not in self._memo:
            lib = self.library
            self._memo["parameters"] = fingerprint(sorted(self.config.items()), self.use_directory_urls,
                                                   self.renderer.urls, lib.aliases, lib.options, default=repr)
        return self._memo["parameters"]

    def entry_digest(self, entry: Entry) -> bytes:
        """What a row or a page's summary shows of an entry: its parsed fields but not its position
        in the note (a bullet added above it changes nothing on its pages), and its view (the
        names and URLs of its authors, tags and note, its BibTeX and date added)."""
        key = id(entry)
        digest = self._digests.get(key)
        if digest is None:
            e = entry
            shown = (e.path, e.heading, e.title, e.priority, e.tags, e.links, e.authors, e.topics, e.section,
                     e.venues, e.venue, e.year, self.renderer.view(e))
            # Remembered by value across rebuilds (an unchanged entry's fields are the same strings)
            digest = self._digests[key] = self.renderer.fragments.get(("entry-digest", *shown), partial(_digest, shown))
        return digest

    def depends_on(self, own: Any, entries: Sequence[Entry] = ()) -> str:
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

    def everything(self) -> str:
        """One fingerprint of all the library is made of: every note as parsed, page URLs, aliases,
        options and dates added. The input of pages that show the whole library (the explorer,
        stats, recently added): any change to any note makes them again. Made once per build."""
        if "all" not in self._memo:
            lib = self.library
            dates = [(e.path, e.line, d.isoformat()) for e in lib.entries if (d := lib.added(e)) is not None]
            notes = self.sources if self.sources is not None else list(lib.documents.values())
            self._memo["all"] = fingerprint(notes, lib.page_urls, lib.aliases, lib.options,
                                            dates, self.feed_url, default=repr)
        return self._memo["all"]


def _digest(value: Any) -> bytes:
    return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=16).digest()


Declaration = Callable[[Site], Iterable[Output]]
DECLARATIONS: list[Declaration] = []


def declare(function: Declaration) -> Declaration:
    """Add a declaration to the registry (in definition order)."""
    DECLARATIONS.append(function)
    return function


def outputs(site: Site) -> list[Output]:
    """Every output of the site, in declaration order; the first output at a path wins."""
    seen: set[str] = set()
    result = []
    for declaration in DECLARATIONS:
        for output in declaration(site):
            if output.src not in seen:
                seen.add(output.src)
                result.append(output)
    return result


def project(value: Any) -> Any:
    """What templates read of a library object, for fingerprints (`cache.fingerprint`'s `default`).

    Author and tag pages show a count of entries, not the entries themselves (those come as
    views, which are fingerprinted by value). NotImplemented: fingerprint it by value.
    """
    if isinstance(value, Author):
        return ("author", value.key, value.name, value.slug, value.url, value.homepage, len(value.entries))
    if isinstance(value, Tag):
        return ("tag", value.key, value.kind, value.name, value.slug, value.url, len(value.entries))
    return NotImplemented


def _template_page(src: str, kind: Kind, title: str, renderer: Renderer,
                   view: Callable[[], tuple[str, dict[str, Any]]], *, depends: Callable[[], str] | None = None) -> Output:
    def render() -> str:
        template, context = view()
        return renderer.body(template, **context)

    return Output(src, kind, title=title, inputs=view, render=render, depends=depends)


# -- the declarations ----------------------------------------------------------------------


@declare
def stylesheet_and_script(site: Site) -> Iterable[Output]:
    yield _package_file(CSS_URI)
    yield _package_file(CITE_JS_URI)


@declare
def must_read(site: Site) -> Iterable[Output]:
    yield _template_page(site.config.must_read, PAGE, "Must-read", site.renderer, site.renderer.must_read_view,
                         depends=partial(site.depends_on, "must-read", site.library.priority_entries()))


def _tags_index_digest(site: Site, view: Callable[[], tuple[str, dict[str, Any]]]) -> str:
    _, context = view()
    return site.depends_on(([(g["kind"], g["title"], [project(t) for t in g["tags"]]) for g in context["groups"]],
                            context["base"], context["explorer_url"]))


def _authors_index_digest(site: Site, view: Callable[[], tuple[str, dict[str, Any]]]) -> str:
    _, context = view()
    return site.depends_on((context["letters"], context["total"], context["base"]))


def _whole_library_page(site: Site, src: str, kind: Kind, page: GeneratedPage) -> Output:
    return Output(src, kind, title=page.title, inputs=site.everything, render=page.body)


def _package_file(uri: str) -> Output:
    return Output(uri, FILE, abs_src_path=str(package_files("papernotes.render") / "assets" / uri.rsplit("/", 1)[1]))


@declare
def explorer_pages(site: Site) -> Iterable[Output]:
    """The explorer (`papers/`, in the nav) and its static pages 2..n (readers without JavaScript)."""
    paths = explorer.ExplorerPaths(site.config.explorer, site.use_directory_urls)
    lib, memo = site.library, {}

    def depends(number: int) -> str:
        """A page's digest: its rows' entries, and what its pager and controls read of the library."""
        if not memo:
            memo["entries"] = explorer.ordered_entries(lib)
            memo["own"] = (len(lib.entries), explorer.page_count(lib), sorted({t.kind for t in lib.tags.values()}),
                           any(lib.added(e) is not None for e in lib.entries))
        size = explorer.PAGE_SIZE
        return site.depends_on(("explorer", number, memo["own"]), memo["entries"][(number - 1) * size: number * size])

    for number, (src, page) in enumerate(explorer.pages(lib, site.renderer, paths).items(), start=1):
        yield Output(src, PAGE if src == paths.src else HIDDEN, title=page.title, inputs=site.everything,
                     render=page.body, depends=partial(depends, number))
    for uri in (explorer.SCRIPT_URI, explorer.ADDRESS_URI, explorer.STYLE_URI):
        yield _package_file(uri)
    data = partial(explorer.data_script, site.library, site.renderer, paths)
    yield Output(explorer.DATA_URI, FILE, inputs=site.everything, render=data)


@declare
def recently_added(site: Site) -> Iterable[Output]:
    if site.config.recent:
        url = src_to_url(site.config.recent, site.use_directory_urls)
        yield _whole_library_page(site, site.config.recent, PAGE, recent.page(site.library, site.renderer, url, site.feed_url))


@declare
def tags(site: Site) -> Iterable[Output]:
    r = site.renderer
    view = functools.cache(r.tags_index_view)  # read for the digest, then for the page when it changed
    yield _template_page(f"{site.config.tags_dir}/index.md", PAGE, "Tags", r, view, depends=partial(_tags_index_digest, site, view))
    for tag in site.library.tags.values():
        title = r.tag_title(tag)
        own = (project(tag), title, r.tag_feeds.get(tag.url))
        yield _template_page(f"{site.config.tags_dir}/{tag.slug}.md", HIDDEN, title, r, partial(r.tag_view, tag),
                             depends=partial(site.depends_on, own, tag.entries))


@declare
def authors(site: Site) -> Iterable[Output]:
    r = site.renderer
    view = functools.cache(r.authors_index_view)  # 20,000 authors sorted once, not twice
    yield _template_page(f"{site.config.authors_dir}/index.md", PAGE, "Authors", r, view,
                         depends=partial(_authors_index_digest, site, view))
    for author in site.library.authors.values():
        if author.url is not None:
            own = (project(author), sorted(author.spellings))
            yield _template_page(f"{site.config.authors_dir}/{author.slug}.md", HIDDEN, author.name, r,
                                 partial(r.author_view, author), depends=partial(site.depends_on, own, author.entries))


@declare
def stats_page(site: Site) -> Iterable[Output]:
    paths = explorer.ExplorerPaths(site.config.explorer, site.use_directory_urls)
    url = src_to_url(site.config.stats, site.use_directory_urls)
    yield _whole_library_page(site, site.config.stats, PAGE, stats.page(site.library, site.renderer, url, paths.url, explorer.STYLE_URI))


@declare
def export_files(site: Site) -> Iterable[Output]:
    if not site.config.exports:
        return
    texts: dict[str, str] = {}

    def text(name: str) -> str:
        if not texts:  # one pass makes all three
            texts.update(exports.render_all(site.library, site.renderer.bibliography, site.renderer.fragments))
        return texts[name]

    for name in exports.NAMES:
        # Made from the whole library (BibTeX and JSON of every entry; under `mkdocs serve`
        # again only when a note, URL, alias, option or date changed).
        yield Output(name, FILE, inputs=site.everything, render=partial(text, name))


@declare
def atom_feeds(site: Site) -> Iterable[Output]:
    """feed.xml and the per-tag feeds; the plugin makes them (they need site_url)."""
    for path, text in site.feeds.items():
        yield Output(path, FILE, inputs=partial(str, text), render=partial(str, text))
