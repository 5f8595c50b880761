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

Everything not fingerprinted per page goes into `environment()`: mkdocs.yml, the
environment variables it may read, the versions of MkDocs, the theme and the Markdown
extensions, the plugin's own code, `overrides/`. When it changes, the cache is emptied:
a full rebuild. The cache is emptied too after a failed build. Only `mkdocs serve` (not
`--dirty`, not `build`) uses it, and only on the MkDocs version these assumptions are
pinned against (tests/test_incremental.py); any other version builds in full every time.
"""

from __future__ import annotations

import importlib.metadata
import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import mkdocs
from jinja2 import ChoiceLoader, DictLoader, Environment
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

from .cache import Cache, CompiledTemplates, Fragments, fingerprint
from .sitedir import SiteDir

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
    return None


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
    here = os.path.dirname(os.path.abspath(__file__))
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

    # -- life cycle -----------------------------------------------------------------------

    def startup(self, command: str, dirty: bool) -> None:
        self.reason = "not `mkdocs serve`" if command != "serve" else "`--dirty`" if dirty else unsupported()
        self.enabled = self.reason is None

    def begin(self, config: MkDocsConfig) -> None:
        """on_config: a new build; a changed environment empties the cache (full rebuild)."""
        self._outputs, self._reused, self._memo = {}, set(), {}
        if self.enabled:
            self.cache.start(environment(config))

    def pre_build(self, site_dir: str) -> None:
        """on_pre_build: `site_dir` is kept; only files that changed are written (see sitedir.py)."""
        if self.enabled:
            self.site.begin(site_dir)

    def post_build(self) -> None:
        """on_post_build, after every other plugin: remove from `site_dir` what this build did not make."""
        self.site.finish()
        if self.enabled:
            self.cache.fragments.end()

    @property
    def fragments(self) -> Fragments | None:
        """Pieces of the whole-library outputs, kept across rebuilds (None: not serving; a build keeps its own)."""
        return self.cache.fragments if self.enabled else None

    def failed(self) -> None:
        """on_build_error: what this build stored may be half made; start again from nothing."""
        self.site.failed()
        self.cache.clear()
        self._bytecode.clear()
        self._memo = {}

    def shutdown(self) -> None:
        self.site.failed()
        self.cache.close()
        self.enabled, self.reason = False, "shut down"

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
             default: Callable[[Any], Any]) -> str:
        """on_page_content: a generated page's body (on_files: a generated file's text), made again
        only when its inputs changed."""
        if not self.enabled:
            return render()
        fp = fingerprint(inputs(), default=default, memo=self._memo)
        html = self.cache.bodies.get(src, fp)
        if html is None:
            html = render()
            self.cache.bodies.put(src, fp, html)
        return html

    # -- pass 2: the theme ----------------------------------------------------------------

    def plan(self, env: Environment, files: Files, nav: Navigation, search: Any | None = None) -> None:
        """on_env: each page's output fingerprint; pages whose output is unchanged get the reuse template."""
        self._memo = {}
        if not self.enabled:
            return
        env.bytecode_cache = self._bytecode
        pages = [f.page for f in files.documentation_pages() if f.page is not None]
        self.cache.keep_only({f.src_uri for f in files})  # generated files' texts are kept in `bodies` too
        nav_fp = fingerprint(_nav(nav.items), [p.url for p in nav.pages],
                             nav.homepage.url if nav.homepage is not None else None)
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
                return
            start = len(index.entries)
            original(page)
            if fp is not None:
                self.cache.search.put(page.file.src_uri, fp, [dict(entry) for entry in index.entries[start:]])

        index.add_entry_from_context = add_entry_from_context

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
        return {**self.cache.stats(), "reused_pages": len(self._reused)}
