"""Incremental rebuilds under `mkdocs serve`: the glue between MkDocs' build loop and `cache.py`.

MkDocs 1.6 builds every page in two passes (`mkdocs.commands.build`): `_populate_page`
reads the source, runs `on_page_markdown`, the Markdown pass (`page.render`) and
`on_page_content`; then, once every page is read (`on_env`), `_build_page` renders the
theme template (`on_page_context`, template, `on_post_page`) and writes the file. A page
is reused at two points:

1. The Markdown pass. `on_pre_page` wraps the page's `render`: when it is called, the
   Markdown every `on_page_markdown` hook made is final, and it is the fingerprint, with
   the page's path and URL and every file lookup the last pass made to resolve links
   (each must give the same file again). A hit restores the HTML, TOC, title and
   anchors, and replays the log records the pass emitted, so warnings (and `--strict`)
   stay the same.
2. The theme. In `on_env` every page's output fingerprint is made of its content,
   title, TOC, meta, URL, the whole nav (titles, URLs, order) and the build date; a hit
   sets the page's template (`page.meta["template"]`, MkDocs' public way for a page to
   pick one) to a template that prints the HTML the theme made last time. Other plugins
   still see the page in `on_page_context` and `on_post_page` (the search index gets
   its entries; `on_post_page` hooks run on the same HTML as before), and MkDocs writes
   the file as usual into the freshly cleaned `site_dir`.

3. Not at all: a generated author or tag page whose dependency digest (`outputs.Output.depends`:
   its subject and its entries as rows show them) is the one its output on disk was made from,
   when the nav and the build date are the last build's too, is *settled*: its `File` is
   added as `EXCLUDED`, so MkDocs makes no `Page` of it and runs no hook for it, and the file
   MkDocs wrote last build stays in `site_dir` (see sitedir.py). What the rest of the site
   reads of it is given back as the last build made it: its entries in Material's search
   index, in their place, and its line in `sitemap.xml`. Links to it resolve as to any
   file (MkDocs' note that it is "excluded from the built site" is dropped). Settling is on
   only with the plugins whose per-page work this accounts for (`SETTLE_PLUGINS`); when the
   nav or the date changed, the candidates go back through MkDocs (`_populate_page`, from
   `on_env`) like any page.

Everything not fingerprinted per page goes into `environment()`: mkdocs.yml, the
environment variables it may read, the versions of MkDocs, the theme and the Markdown
extensions, the plugin's own code, `overrides/`. When it changes, the cache is emptied:
a full rebuild. The cache is emptied too after a failed build. Only `mkdocs serve` (not
`--dirty`, not `build`) uses it, and only on the MkDocs version these assumptions are
pinned against (tests/test_incremental.py); any other version builds in full every time.
"""

from __future__ import annotations

import functools
import importlib.metadata
import logging
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from typing import Any
from urllib.parse import urljoin, urlsplit

import mkdocs
from jinja2 import ChoiceLoader, DictLoader, Environment
from markupsafe import Markup
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_date
from watchdog.observers.polling import PollingObserver

from papernotes.notes.model import Document
from papernotes.serve.fingerprints import fingerprint
from papernotes.serve.site_dir import SiteDir
from papernotes.serve.stores import Cache, CompiledTemplates, Fragments

# Plugins whose work for a page is accounted for when it is settled: Material's search (its
# entries are kept), macros and glightbox (nothing for a generated page), this plugin.
SETTLE_PLUGINS = frozenset({"material.plugins.search.plugin", "mkdocs_macros.plugin", "mkdocs_glightbox.plugin",
                            "papernotes.mkdocs_plugin.plugin"})
_EXCLUDED_LINK = re.compile(r"^Doc file '.*' contains a link to '(?P<target>.*)' which is excluded from the built site\.$",
                            re.S)
PINNED_MKDOCS = ("1.6.",)  # the build loop described above; tests/test_incremental.py pins it
REUSE_TEMPLATE = "papernotes/reused-page.html"
_PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "mkdocs-glightbox",
             "mkdocs-macros-plugin")


def unsupported() -> str | None:
    """Why pages cannot be reused with this MkDocs (None: they can)."""
    if not mkdocs.__version__.startswith(PINNED_MKDOCS):
        return f"MkDocs {mkdocs.__version__} is not a version the rebuild cache is tested with"
    for name in ("render", "read_source"):
        if not callable(getattr(Page, name, None)):
            return f"Page.{name} is missing"
    if not (hasattr(Page, "present_anchor_ids") and hasattr(Page, "links_to_anchors")
            and "_title_from_render" in Page.__init__.__code__.co_names):
        return "Page lacks the attributes a Markdown pass sets"
    if not callable(getattr(mkdocs_build, "_populate_page", None)):
        return "mkdocs.commands.build._populate_page is missing"
    return None


NOTES_POLL_SECONDS = 0.1  # how often `serve` looks for a saved note (MkDocs: 0.5 s for everything)
BUILD_DELAY_SECONDS = 0.02  # how long `serve` waits for more changes before building (MkDocs: 0.1 s)


def poll_notes_faster(server: Any, paths: list[str], seconds: float = NOTES_POLL_SECONDS) -> bool:
    """`mkdocs serve` notices a change by polling (watchdog's PollingObserver, every 0.5 s): on
    average a quarter of a second passes before a saved note starts a rebuild, and then it waits
    0.1 s more for further changes. Watch `paths` (docs/, where notes are saved) again with a
    shorter interval (theme folders keep MkDocs'), and wait 0.02 s: the changes of one save are
    seen by one poll, and a change during a build starts another build, as before.
    Returns False, changing nothing, if the server is not the one this was written for."""
    observer = getattr(server, "observer", None)
    watched = getattr(server, "_watched_paths", None)
    if not (isinstance(observer, PollingObserver) and isinstance(getattr(observer, "_timeout", None), (int, float))
            and isinstance(watched, dict) and callable(getattr(server, "unwatch", None))
            and isinstance(getattr(server, "build_delay", None), (int, float))):
        return False
    server.build_delay = min(server.build_delay, BUILD_DELAY_SECONDS)
    saved = observer._timeout
    observer._timeout = seconds  # what `schedule` gives new emitters (watchdog 2-7)
    try:
        for path in paths:
            path = os.path.abspath(path)
            if watched.get(path) == 1:
                server.unwatch(path)
                server.watch(path)
    finally:
        observer._timeout = saved
    return True


def _settling(config: MkDocsConfig) -> bool:
    """Whether pages may be settled with this config's plugins (see SETTLE_PLUGINS)."""
    return all(type(plugin).__module__ in SETTLE_PLUGINS for plugin in config.plugins.values())


@dataclass(frozen=True)
class _Listed:
    """What MkDocs' `sitemap.xml` template reads of a page (`Page._set_canonical_url`, `update_date`)."""

    canonical_url: str | None
    abs_url: str | None
    update_date: str
    is_link: bool = False


@dataclass(frozen=True)
class _SettledFile:
    page: _Listed


def _listed(file: File, site_url: str | None, date: str) -> _SettledFile:
    if site_url:
        base = site_url if site_url.endswith("/") else site_url + "/"
        url = file.url
        if url.startswith(("/", ".")) or ":" in url or "/." in url:
            canonical = urljoin(base, url)
            return _SettledFile(_Listed(canonical, urlsplit(canonical).path, date))
        # A plain relative URL (`authors/ada/`) joins by concatenation (a thousand pages a millisecond).
        return _SettledFile(_Listed(base + url, _path(base) + url, date))
    return _SettledFile(_Listed(None, None, date))


@functools.lru_cache(maxsize=8)
def _path(base: str) -> str:
    return urlsplit(base).path


class _KeptSitemap:
    """MkDocs' `sitemap.xml` template, whose output is the last build's when what it reads of
    every page (`is_link`, `canonical_url`, `abs_url`, `update_date`, in order) is the same
    (at 16x, 20,000 `<url>` elements rendered again for an edit to one note)."""

    def __init__(self, template: Any, kept: dict[str, tuple[str, str]]) -> None:
        self.template, self.kept = template, kept

    def render(self, context: Any) -> str:
        pages = context.get("pages") or []
        key = fingerprint(self.template.filename, repr([
            (p.page.is_link, p.page.canonical_url, p.page.abs_url, p.page.update_date) for p in pages]))
        hit = self.kept.get("sitemap.xml")
        if hit is not None and hit[0] == key:
            return hit[1]
        output = self.template.render(context)
        self.kept["sitemap.xml"] = (key, output)
        return output


def _mkdocs_sitemap(template: Any, name: str) -> bool:
    """The sitemap template MkDocs ships (what `_KeptSitemap` knows it reads), not a theme's own."""
    filename = getattr(template, "filename", None) or ""
    return name == "sitemap.xml" and os.path.normpath(filename) == os.path.join(
        os.path.dirname(os.path.abspath(mkdocs.__file__)), "templates", "sitemap.xml")


class _SettledLinks(logging.Filter):
    """Drops MkDocs' INFO that a note links to a settled page ("excluded from the built site")."""

    def __init__(self, settled: dict[str, File]) -> None:
        super().__init__()
        self.settled = settled

    def filter(self, record: logging.LogRecord) -> bool:
        m = _EXCLUDED_LINK.match(record.msg) if isinstance(record.msg, str) and "excluded" in record.msg else None
        return m is None or m.group("target") not in self.settled


def _walk_files(folder: str) -> Iterator[tuple[str, int, int]]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue
            yield os.path.relpath(path, folder), stat.st_size, stat.st_mtime_ns


def environment(config: MkDocsConfig) -> str:
    """The fingerprint of everything a page's output depends on that pages are not fingerprinted by."""
    parts: list[Any] = []
    for path in (config.config_file_path,):
        try:
            with open(path or "", "rb") as fh:
                parts.append(fh.read())
        except OSError:
            parts.append(None)
    parts.append(sorted(os.environ.items()))  # `!ENV` values in mkdocs.yml
    parts.append([config.site_url, config.site_dir, config.docs_dir, config.use_directory_urls])
    for name in _PACKAGES:
        try:
            parts.append((name, importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            parts.append((name, None))
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the whole papernotes package
    parts.append(list(_walk_files(here)))  # the plugin's code, templates and CSS
    custom_dir = config.theme.custom_dir
    if custom_dir and os.path.isdir(custom_dir):
        parts.append(list(_walk_files(custom_dir)))
    return fingerprint(*parts)


def _toc(items: Any) -> list[Any]:
    return [(i.title, i.id, i.level, _toc(i.children)) for i in items]


def _nav(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, Section):
            out.append(("section", item.title, _nav(item.children)))
        elif isinstance(item, Link):
            out.append(("link", item.title, item.url))
        elif isinstance(item, Page):
            out.append(("page", item.title, item.url, item.file.src_uri))
        else:
            out.append(("other", repr(item)))
    return out


class _RecordingFiles:
    """`files` as the Markdown pass sees it, remembering every lookup it makes to resolve a link."""

    def __init__(self, files: Files) -> None:
        self._files = files
        self.lookups: dict[str, tuple[str, str, str] | None] = {}

    def get_file_from_path(self, path: str) -> File | None:
        file = self._files.get_file_from_path(path)
        self.lookups[path] = _identity(file)
        return file

    def __getattr__(self, name: str) -> Any:
        return getattr(self._files, name)


def _identity(file: File | None) -> tuple[str, str, str] | None:
    return None if file is None else (file.src_uri, file.url, file.dest_uri)


class _Capture(logging.Handler):
    """Log records of this thread while a Markdown pass runs (the server logs from another thread)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.thread = threading.get_ident()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.records.append(record)


@contextmanager
def _capturing() -> Iterator[_Capture]:
    capture = _Capture()
    root = logging.getLogger()
    root.addHandler(capture)
    try:
        yield capture
    finally:
        root.removeHandler(capture)


class Incremental:
    """The rebuild cache of one `mkdocs serve` process, driven by the plugin's hooks."""

    def __init__(self) -> None:
        self.cache = Cache()
        self.enabled = False
        self.reason: str | None = "not serving"
        self._outputs: dict[str, str] = {}  # src_uri -> output fingerprint, this build
        self._reused: set[str] = set()
        self._memo: dict[int, tuple[Any, bytes]] = {}  # fingerprints of objects met on many pages, this build
        self._bytecode = CompiledTemplates()  # the theme's compiled templates, across builds
        self.site = SiteDir()  # what was written into site_dir, across builds
        self.settling = False  # this build may settle pages (see the module's docstring, point 3)
        self._digests: dict[str, str] = {}  # src_uri -> dependency digest, this build
        self._candidates: dict[str, File] = {}  # pages added as settled, this build
        self.settled: dict[str, File] = {}  # ... and still settled after on_env
        self._page_key = ""
        self._finish_search: Callable[[], None] | None = None
        self._links_filter = _SettledLinks(self._candidates)
        self._all_pages: list[File] = []
        self._full_walk = True
        self._parsed: dict[str, tuple[str, Document]] = {}  # src_uri -> (text, document as parsed), last build
        self._parsed_now: dict[str, tuple[str, Document]] = {}
        self._dests: dict[str, str] = {}  # src_uri -> a generated page's abs_dest_path, last build
        self._templates: dict[str, tuple[str, str]] = {}  # static template -> (what it read, its output)
        self._dests_now: dict[str, str] = {}
        self._files: dict[str, tuple[str, File]] = {}  # src_uri -> (content, File) of the pages settled last build
        self._files_now: dict[str, tuple[str, File]] = {}

    # -- life cycle -----------------------------------------------------------------------

    def startup(self, command: str, dirty: bool) -> None:
        self.reason = "not `mkdocs serve`" if command != "serve" else "`--dirty`" if dirty else unsupported()
        self.enabled = self.reason is None

    def begin(self, config: MkDocsConfig) -> None:
        """on_config: a new build; a changed environment empties the cache (full rebuild)."""
        self._outputs, self._reused, self._memo = {}, set(), {}
        self._digests, self._page_key, self._finish_search = {}, "", None
        self._candidates.clear()
        self.settled = {}
        self.settling = self.enabled and _settling(config)
        self._parsed_now, self._dests_now, self._files_now = {}, {}, {}
        if self.enabled:
            if not self.cache.start(environment(config)):
                self._forget()  # a full rebuild: nothing is taken from before
            logging.getLogger("mkdocs.structure.pages").addFilter(self._links_filter)

    def pre_build(self, site_dir: str) -> None:
        """on_pre_build: `site_dir` is kept; only files that changed are written (see sitedir.py)."""
        if self.enabled:
            self.site.begin(site_dir)

    def post_build(self) -> None:
        """on_post_build, after every other plugin: remove from `site_dir` what this build did not make;
        remember what each generated page's output on disk was made from."""
        self.site.finish(full=not self.settling or self._full_walk)
        self._full_walk = False
        logging.getLogger("mkdocs.structure.pages").removeFilter(self._links_filter)
        if self.enabled:
            for src, digest in self._digests.items():
                self.cache.depends.put(src, digest, True)
            self.cache.page_key = self._page_key
            self.cache.fragments.end()
        self._parsed, self._parsed_now = self._parsed_now, {}  # only the notes of this build
        self._dests, self._dests_now = self._dests_now, {}
        self._files = {src: kept for src, kept in self._files_now.items() if src in self.settled and kept[1].page is None}
        self._files_now = {}

    @property
    def fragments(self) -> Fragments | None:
        """Pieces of the whole-library outputs, kept across rebuilds (None: not serving; a build keeps its own)."""
        return self.cache.fragments if self.enabled else None

    def failed(self) -> None:
        """on_build_error: what this build stored may be half made; start again from nothing."""
        logging.getLogger("mkdocs.structure.pages").removeFilter(self._links_filter)
        self.site.failed()
        self._forget()
        self._parsed_now, self._dests_now, self._files_now = {}, {}, {}
        self.cache.clear()
        self._bytecode.clear()
        self._memo = {}

    def _forget(self) -> None:
        """What is kept of the last build outside the cache: nothing is taken from it any more."""
        self._parsed, self._dests, self._templates, self._files = {}, {}, {}, {}
        self._full_walk = True  # and site_dir is checked in full afterwards

    def shutdown(self) -> None:
        self.site.failed()
        self.cache.close()
        self.enabled, self.reason = False, "shut down"

    # -- parsing -------------------------------------------------------------------------

    def parse(self, text: str, src: str, parse: Callable[[str, str], Document]) -> Document:
        """on_files: a note as parsed; under serve, parsed again only when its text changed. The
        library re-reads an entry's venues in place, so each build gets fresh copies of the entries."""
        if not self.enabled:
            return parse(text, src)
        hit = self._parsed.get(src)
        if hit is None or hit[0] != text:
            hit = (text, parse(text, src))
        self._parsed_now[src] = hit
        doc = hit[1]
        return replace(doc, meta=dict(doc.meta), entries=[replace(e) for e in doc.entries],
                       diagnostics=list(doc.diagnostics))

    # -- pass 1: Markdown -----------------------------------------------------------------

    def wrap_render(self, page: Page) -> None:
        """on_pre_page: the page's Markdown pass goes through the cache."""
        if self.enabled:
            page.render = partial(self._render, page, page.render)  # type: ignore[method-assign]

    def _render(self, page: Page, original: Callable[[MkDocsConfig, Files], None], config: MkDocsConfig,
                files: Files) -> None:
        file = page.file
        fp = fingerprint(page.markdown, file.src_uri, file.url, file.dest_uri)
        hit = self.cache.rendered.get(file.src_uri, fp)
        if hit is not None and all(_identity(files.get_file_from_path(p)) == i for p, i in hit["lookups"].items()):
            page.content, page.toc, page._title_from_render = hit["content"], hit["toc"], hit["title"]
            page.present_anchor_ids = set(hit["anchors"])
            page.links_to_anchors = None if hit["links"] is None else {
                files.get_file_from_path(src): dict(links) for src, links in hit["links"].items()}
            for record in hit["records"]:
                logging.getLogger(record.name).handle(record)
            return
        recording = _RecordingFiles(files)
        with _capturing() as capture:
            original(config, recording)  # type: ignore[arg-type]
        self.cache.rendered.put(file.src_uri, fp, {
            "lookups": recording.lookups, "content": page.content, "toc": page.toc, "title": page._title_from_render,
            "anchors": frozenset(page.present_anchor_ids or ()),
            "links": None if page.links_to_anchors is None else {
                f.src_uri: dict(links) for f, links in page.links_to_anchors.items()},
            "records": capture.records})

    # -- a generated page's body ----------------------------------------------------------

    def body(self, src: str, inputs: Callable[[], Any], render: Callable[[], str],
             default: Callable[[Any], Any], depends: Callable[[], str] | None = None) -> str:
        """on_page_content: a generated page's body (on_files: a generated file's text), made again
        only when its inputs changed: known by its dependency digest where it has one (its inputs
        are then not even computed), else by the fingerprint of its inputs."""
        if not self.enabled:
            return render()
        if depends is not None:
            digest = self._digests.get(src) or depends()
            fp = f"depends:{digest}"
        else:
            fp = fingerprint(inputs(), default=default, memo=self._memo)
        html = self.cache.bodies.get(src, fp)
        if html is None:
            html = render()
            self.cache.bodies.put(src, fp, html)
        return html

    # -- point 3: settled pages -------------------------------------------------------------

    def page_file(self, config: MkDocsConfig, src: str, content: str, inclusion: InclusionLevel, digest: str) -> File:
        """on_files: the `File` of a generated page with a dependency digest, settled if it can be
        (`settle`). A page settled in the last build and made of the same Markdown is the same
        `File` again: MkDocs works out each new File's paths and URL (at 16x, 20,000 a build),
        and a settled one is read by nothing but its URL and paths."""
        kept = self._files.get(src)
        if kept is not None and kept[0] == content and kept[1].page is None:
            file = kept[1]
            file.inclusion = inclusion
        else:
            file = File.generated(config, src, content=content, inclusion=inclusion)
        self._files_now[src] = (content, file)
        self.settle(file, digest)
        return file

    def settle(self, file: File, digest: str) -> None:
        """on_files: a generated page with a dependency digest; added as settled if its output on
        disk was made from the same digest (whether it stays settled is decided in `plan`)."""
        self._digests[file.src_uri] = digest
        if file.inclusion != InclusionLevel.NOT_IN_NAV or not self.settling:
            return  # a page in the nav stays in it
        dest = self._dests.get(file.src_uri) or file.abs_dest_path  # MkDocs makes it anew for each File
        self._dests_now[file.src_uri] = dest
        if self.cache.depends.get(file.src_uri, digest) and self.site.was_written(dest):
            file.inclusion = InclusionLevel.EXCLUDED
            self._candidates[file.src_uri] = file

    def _confirm(self, files: Files, config: MkDocsConfig, search: Any | None) -> None:
        """on_env: the candidates stay settled if the nav and date are the last build's and their
        output and search entries are there; any other goes through MkDocs now, like every page."""
        back = self._candidates if self._page_key != self.cache.page_key else {
            src: f for src, f in self._candidates.items()
            if (search is not None and self.cache.indexed.get(src, "") is None) or not self.site.keep(self._dests_now[src])}
        for file in back.values():
            file.inclusion = InclusionLevel.NOT_IN_NAV
            page = Page(None, file, config)
            mkdocs_build._populate_page(page, config, files)
        self.settled = {src: f for src, f in self._candidates.items() if src not in back}

    def pre_template(self, template: Any, name: str) -> Any:
        """on_pre_template: MkDocs' sitemap, rendered again only when a page's line in it changed."""
        return _KeptSitemap(template, self._templates) if self.enabled and _mkdocs_sitemap(template, name) else template

    def template_context(self, context: Any, name: str, config: MkDocsConfig) -> Any:
        """on_template_context: `sitemap.xml` lists settled pages too, in their place."""
        if name != "sitemap.xml" or not self.settled or not isinstance(context.get("pages"), list):
            return context
        listed: list[Any] = []
        date = get_build_date()
        site_url = config.site_url
        for file in self._all_pages:
            if file.src_uri in self.settled:
                listed.append(_listed(file, site_url, date))
            elif file.inclusion.is_included():
                listed.append(file)
        context["pages"] = listed
        return context

    def finish_search(self) -> None:
        """on_post_build, before the search plugin writes its index: the last settled pages' entries."""
        if self._finish_search is not None:
            self._finish_search()
            self._finish_search = None

    # -- pass 2: the theme ----------------------------------------------------------------

    def plan(self, env: Environment, files: Files, nav: Navigation, search: Any | None = None,
             config: MkDocsConfig | None = None) -> None:
        """on_env: each page's output fingerprint; pages whose output is unchanged get the reuse template."""
        self._memo = {}
        if not self.enabled:
            return
        env.bytecode_cache = self._bytecode
        nav_fp = fingerprint(_nav(nav.items), [p.url for p in nav.pages],
                             nav.homepage.url if nav.homepage is not None else None)
        self._page_key = fingerprint(nav_fp, get_build_date())
        if config is not None:
            self._confirm(files, config, search)
        self._all_pages = list(files.documentation_pages(inclusion=InclusionLevel.all))
        pages = [f.page for f in self._all_pages if f.page is not None and f.inclusion.is_included()]
        self.cache.keep_only({f.src_uri for f in files})  # generated files' texts are kept in `bodies` too
        contents: dict[int, str] = {}
        for page in pages:
            # what the search index reads of a page, then what the theme reads too
            content_fp = contents[id(page)] = fingerprint(page.url, page.title, page.meta, _toc(page.toc), page.content,
                                                          default=repr)
            fp = fingerprint(nav_fp, content_fp, page.file.src_uri, page.file.dest_uri, page.update_date,
                             page.edit_url, page.canonical_url)
            self._outputs[page.file.src_uri] = fp
            if self.cache.pages.has(page.file.src_uri, fp) and "template" not in page.meta:
                page.meta["template"] = REUSE_TEMPLATE
                self._reused.add(page.file.src_uri)
        if search is not None:
            self._wrap_search(search.search_index, contents)
            self._keep_search_order(search.search_index)
        env.loader = ChoiceLoader([DictLoader({REUSE_TEMPLATE: "{{ papernotes_reused(page) }}"}), env.loader])  # type: ignore[list-item]
        env.globals["papernotes_reused"] = self._reused_html

    def _wrap_search(self, index: Any, contents: dict[int, str]) -> None:
        """Material's search entries of a page whose content, title, TOC and meta are unchanged are
        the entries its last build made (Material parses every page's HTML for them)."""
        original = index.add_entry_from_context

        def add_entry_from_context(page: Page) -> None:
            fp = contents.get(id(page))
            hit = None if fp is None else self.cache.search.get(page.file.src_uri, fp)
            if hit is not None:
                index.entries.extend(dict(entry) for entry in hit)
                if page.file.src_uri in self._reused:
                    # Its HTML comes from the cache: nothing reads `content` again, and Material's
                    # on_page_context would next run a regex over all of it (a 200-entry note).
                    page.content = ""
                return
            start = len(index.entries)
            original(page)
            if fp is not None:
                self.cache.search.put(page.file.src_uri, fp, [dict(entry) for entry in index.entries[start:]])

        index.add_entry_from_context = add_entry_from_context

    def _keep_search_order(self, index: Any) -> None:
        """Record what each page adds to the search index (Material's entries, then a generated
        page's title entry from the plugin's on_page_context); put settled pages' entries back
        where their page comes (MkDocs builds pages in the order of `files`)."""
        add = index.add_entry_from_context
        order = {f.src_uri: n for n, f in enumerate(self._all_pages)}
        pending = sorted((order[src], src) for src in self.settled)
        state: dict[str, Any] = {"next": 0, "open": None, "start": 0}

        def close() -> None:
            if state["open"] is not None:
                self.cache.indexed.put(state["open"], "", [dict(e) for e in index.entries[state["start"]:]])
                state["open"] = None

        def flush(before: int) -> None:
            while state["next"] < len(pending) and pending[state["next"]][0] < before:
                index.entries.extend(dict(e) for e in self.cache.indexed.get(pending[state["next"]][1], "") or ())
                state["next"] += 1

        def add_entry_from_context(page: Page) -> None:
            close()
            flush(order.get(page.file.src_uri, len(order)))
            state["open"], state["start"] = page.file.src_uri, len(index.entries)
            add(page)

        def finish() -> None:
            close()
            flush(len(order) + 1)

        index.add_entry_from_context = add_entry_from_context
        self._finish_search = finish

    def _reused_html(self, page: Page) -> Markup:
        src = page.file.src_uri
        html = self.cache.pages.get(src, self._outputs[src])
        if html is None:  # emptied under us (cannot happen within one build)
            raise RuntimeError(f"papernotes: the cached output of {src} is gone; the next rebuild is a full one")
        return Markup(html)

    def store(self, output: str, page: Page) -> None:
        """on_post_page, before other plugins: the theme's output, for the next build."""
        src = page.file.src_uri
        fp = self._outputs.get(src)
        if fp is not None and src not in self._reused:
            self.cache.pages.put(src, fp, output)

    def stats(self) -> dict[str, int]:
        return {**self.cache.stats(), "reused_pages": len(self._reused), "settled_pages": len(self.settled)}
