"""Incremental rebuilds under `mkdocs serve`: the façade the plugin's hooks drive, over one stage per module.

MkDocs 1.6 builds every page in two passes (`mkdocs.commands.build`): `_populate_page`
reads the source, runs `on_page_markdown`, the Markdown pass (`page.render`) and
`on_page_content`; then, once every page is read (`on_env`), `_build_page` renders the
theme template (`on_page_context`, template, `on_post_page`) and writes the file. A page's
work is reused, each stage proving its input unchanged by a fingerprint (fingerprints.py)
and keeping its results in the cache (stores.py):

* its source, parsed (parsed_notes.py), and a generated page's body (bodies.py);
* its Markdown pass (markdown_pass.py);
* its theme pass (theme_pass.py), proven unchanged by what the page shows of the nav
  (nav_views.py) among the rest, with its search entries (search_entries.py), and the
  sitemap listing every page (sitemap.py);
* or no pass at all: a generated page whose output on disk was made from the same inputs
  is *settled* (settled_pages.py), and the file MkDocs wrote last build stays in
  `site_dir`, which is kept between rebuilds (site_dir.py).

Everything not fingerprinted per page goes into the environment fingerprint
(environment.py): when it changes, the cache is emptied and the rebuild is a full one. The
cache is emptied too after a failed build. Only `mkdocs serve` (not `--dirty`, not `build`)
uses it, and only on the engine versions these assumptions are pinned against
(`PINNED_ENGINES`: MkDocs 1.6, and the ProperDocs releases tests/serve/test_properdocs.py ran the
serve tests through; tests/serve/test_incremental.py and tests/serve/test_internals.py pin the internals);
any other engine or version builds in full every time.

The cache and the site outlive the process (warm_start.py): the next `serve` of the project
starts from them when everything they were made with is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from typing import Any

import mkdocs
from jinja2 import Environment
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from papernotes.notes.model import Document
from papernotes.serve.bodies import GeneratedBodies
from papernotes.serve.environment import components
from papernotes.serve.fingerprints import fingerprint
from papernotes.serve.markdown_pass import MarkdownPass
from papernotes.serve.parsed_notes import ParsedNotes
from papernotes.serve.search_entries import SearchEntries, lend_to
from papernotes.serve.serve_state import Parts
from papernotes.serve.settled_pages import SettledPages
from papernotes.serve.site_dir import SiteDir
from papernotes.serve.sitemap import KeptSitemap
from papernotes.serve.stores import Cache, Fragments
from papernotes.serve.theme_files import ThemeFiles
from papernotes.serve.theme_pass import ThemePass
from papernotes.serve.warm_start import DEFAULT_FOLDER, WarmStart

# The engines and versions whose build loop is the one described above, as tests/serve/test_incremental.py
# pins it. `mkdocs` is the module the plugin imports as `mkdocs`: MkDocs' own, or ProperDocs' under
# the `properdocs` command, which puts its modules in place of every `mkdocs.*` import (its
# `__name__` then says so). MkDocs 1.6 is frozen; ProperDocs is maintained and its internals may
# move in any release, so only the releases tests/serve/test_properdocs.py ran the serve tests against
# are trusted. Any other engine or version builds in full every time: slower, never a wrong page.
PINNED_ENGINES: dict[str, tuple[str, ...]] = {"mkdocs": ("1.6.",), "properdocs": ("1.6.7",)}


def engine() -> tuple[str, str]:
    """The engine the plugin runs in and its version: ("mkdocs", "1.6.1"), ("properdocs", "1.6.7")."""
    return mkdocs.__name__, mkdocs.__version__


def unsupported() -> str | None:
    """Why pages cannot be reused with this engine (None: they can)."""
    name, version = engine()
    pinned = PINNED_ENGINES.get(name)
    if pinned is None or not (version in pinned or version.startswith(tuple(p for p in pinned if p.endswith(".")))):
        return f"{name} {version} is not a version the rebuild cache is tested with"
    for name in ("render", "read_source"):
        if not callable(getattr(Page, name, None)):
            return f"Page.{name} is missing"
    if not (hasattr(Page, "present_anchor_ids") and hasattr(Page, "links_to_anchors")
            and "_title_from_render" in Page.__init__.__code__.co_names):
        return "Page lacks the attributes a Markdown pass sets"
    if not callable(getattr(mkdocs_build, "_populate_page", None)):
        return "mkdocs.commands.build._populate_page is missing"
    return None


class Incremental:
    """The rebuild cache of one `mkdocs serve` process, driven by the plugin's hooks.

    Every stage is off (the build goes through MkDocs as usual) unless `enabled`; each hook's
    method hands off to the stage it concerns."""

    def __init__(self) -> None:
        self.cache = Cache()
        self.enabled = False
        self.reason: str | None = "not serving"
        self.site = SiteDir()  # what was written into site_dir, across builds
        self.notes = ParsedNotes()
        self.markdown = MarkdownPass(self.cache.rendered)
        self.settled_pages = SettledPages(self.cache, self.site)
        self.bodies = GeneratedBodies(self.cache.bodies, self.settled_pages.digest)
        self.theme = ThemePass(self.cache.pages)
        self.theme_files = ThemeFiles()  # the theme's static files, listed once per environment
        self.search = SearchEntries(self.cache)
        self.sitemap = KeptSitemap()
        self.disk = WarmStart()  # the cache and site kept on disk for the next `serve`
        self._parts = Parts(self.cache, self.site, self.sitemap, self.settled_pages)  # what of them is kept
        self._full_walk = True  # site_dir is checked in full at the end of the next build
        self.reusing = False  # this build may reuse the cache's work (not the first, nor after a change of environment)

    # -- life cycle -----------------------------------------------------------------------

    def startup(self, command: str, dirty: bool) -> None:
        if self.disk.opened:  # a `serve` before this one in the same process, not shut down
            self.disk.shutdown(self._parts)
        self.reason = "not `mkdocs serve`" if command != "serve" else "`--dirty`" if dirty else unsupported()
        self.enabled = self.reason is None

    def begin(self, config: MkDocsConfig, keep: str | None = DEFAULT_FOLDER) -> None:
        """on_config: a new build; a changed environment empties the cache (full rebuild). The first
        build of `serve` may take the cache from disk (`keep`: its folder beside mkdocs.yml; None: none)."""
        self.theme.begin()
        self.bodies.forget_memo()
        self.search.begin()
        self.settled_pages.begin(config, self.enabled)
        self.notes.begin()
        self.reusing = False
        if not self.enabled:
            return
        self.disk.pause()
        first = not self.disk.opened
        if first:
            self.disk.open(config, keep)
        self.theme.share_compiled(config)
        self.disk.redirect(config)  # before the environment, which holds site_dir
        parts = components(config)
        environment = fingerprint(parts)
        self.theme_files.install(config, environment)
        if first:
            whole = self.disk.load(parts, self._parts)
            if whole is not None:
                self.cache.environment = environment
                self._full_walk = not whole
        self.reusing = self.cache.start(environment)
        if not self.reusing:
            self._forget()  # a full rebuild: nothing is taken from before
        self.disk.building(parts)

    def pre_build(self, site_dir: str) -> None:
        """on_pre_build: `site_dir` is kept; only files that changed are written (see site_dir.py)."""
        if self.enabled:
            self.site.begin(site_dir)

    def post_build(self, shown: AbstractSet[int] | None = None) -> None:
        """on_post_build, after every other plugin: remove from `site_dir` what this build did not make;
        keep what the next build may reuse (`shown`: the views whose pieces this build did not ask
        for are still current, `Fragments.end`)."""
        self.site.finish(full=not self.settled_pages.settling or self._full_walk)
        self._full_walk = False
        self.settled_pages.end(self.enabled)
        if self.enabled:
            self.cache.fragments.end(shown)
            self.disk.built(self._parts)  # written after the browsers reload
        self.notes.end()

    def failed(self) -> None:
        """on_build_error: what this build stored may be half made; start again from nothing."""
        self.disk.failed()
        self.site.failed()
        self.settled_pages.failed()
        self._forget()
        self.notes.begin()
        self.cache.clear()
        self.theme.bytecode.clear()
        self.bodies.forget_memo()

    def _forget(self) -> None:
        """What is kept of the last build outside the cache: nothing is taken from it any more."""
        self.notes.forget()
        self.settled_pages.forget()
        self.sitemap.forget()
        self._full_walk = True  # and site_dir is checked in full afterwards

    def shutdown(self) -> None:
        self.disk.shutdown(self._parts)  # what the last build left, saved for the next `serve`
        self.site.failed()
        self.cache.close()
        self.enabled, self.reason = False, "shut down"

    @property
    def fragments(self) -> Fragments | None:
        """Pieces of the whole-library outputs, kept across rebuilds (None: not serving; a build keeps its own)."""
        return self.cache.fragments if self.enabled else None

    def stats(self) -> dict[str, int]:
        return {**self.cache.stats(), "reused_pages": len(self.theme.reused), "settled_pages": len(self.settled_pages.settled)}

    # -- on_files ----------------------------------------------------------------------------

    def parse(self, text: str, src: str, parse: Callable[[str, str], Document]) -> Document:
        """A note as parsed; under serve, parsed again only when its text changed."""
        return self.notes.parse(text, src, parse) if self.enabled else parse(text, src)

    def generated_file(self, file: File, content: str) -> None:
        """on_files: a generated file with this content, which MkDocs writes itself (see site_dir.py)."""
        if self.enabled:
            self.site.written_by_mkdocs(file.abs_dest_path, content.encode("utf-8"))

    def page_file(self, config: MkDocsConfig, src: str, content: str, inclusion: InclusionLevel, digest: str) -> File:
        """The `File` of a generated page with a dependency digest, settled if it can be."""
        return self.settled_pages.page_file(config, src, content, inclusion, digest)

    def body(self, src: str, inputs: Callable[[], Any], render: Callable[[], str],
             default: Callable[[Any], Any], depends: Callable[[], str] | None = None) -> str:
        """A generated page's body (on_page_content) or file's text (on_files), made again only when
        what it is made of changed."""
        return self.bodies.body(src, inputs, render, default, depends) if self.enabled else render()

    # -- pages ----------------------------------------------------------------------------

    def wrap_render(self, page: Page) -> None:
        """on_pre_page: the page's Markdown pass goes through the cache."""
        if self.enabled:
            self.markdown.wrap_render(page)

    def plan(self, env: Environment, files: Files, nav: Navigation, search: Any | None, config: MkDocsConfig, *,
             owner: Any = None) -> None:
        """on_env: which settled pages stay settled; which pages' theme output is reused. `owner`:
        the plugin, whose on_page_context gives pages' HTML back (`page_context`)."""
        self.bodies.forget_memo()
        if not self.enabled:
            return
        views = self.theme.nav_views(env, nav, config)
        dated = self.theme.reads_date(env, self.cache.environment)
        all_pages = self.settled_pages.confirm(files, config, search, views, dated)
        self.cache.keep_only({f.src_uri for f in files})  # generated files' texts are kept in `bodies` too
        contents = self.theme.plan(env, all_pages, views)
        if search is not None:
            self.search.wrap(search.search_index, contents, self.theme.reused, all_pages, self.settled_pages.settled,
                             lend=lend_to(config.plugins.events.get("page_context", []), search, owner))
        self.theme.install(env)

    def page_context(self, page: Page) -> None:
        """on_page_context, right after Material's search: the HTML it was lent back (search_entries.py)."""
        self.search.give_back(page)

    def store(self, output: str, page: Page) -> None:
        """on_post_page, before other plugins: the theme's output, for the next build."""
        self.theme.store(output, page)

    # -- what is built after the pages --------------------------------------------------------

    def pre_template(self, template: Any, name: str) -> Any:
        """on_pre_template: MkDocs' sitemap, rendered again only when a page's line in it changed."""
        return self.sitemap.pre_template(template, name) if self.enabled else template

    def template_context(self, context: Any, name: str, config: MkDocsConfig) -> Any:
        """on_template_context: `sitemap.xml` lists settled pages too, in their place."""
        return self.settled_pages.template_context(context, name, config)

    def finish_search(self) -> None:
        """on_post_build, before the search plugin writes its index: the last settled pages' entries."""
        self.search.finish()
