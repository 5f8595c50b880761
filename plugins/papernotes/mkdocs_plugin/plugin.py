"""The MkDocs plugin: event hooks, each handing off to a named stage of this package.

The hooks, in the order MkDocs calls them:

* on_startup: `mkdocs serve` (not `--dirty`) turns the rebuild cache on (serve/incremental.py); under
  serve the feeds ask mkdocs.yml for its site_url (feed_links.py).
* on_config: a new build: the collector paused, log filters on, Markdown extensions and CSS added
  (site_config.py), macros offered (macros.py), the cache told (a changed environment empties it;
  the first build of `serve` may start from the cache kept on disk, serve/warm_start.py).
* on_pre_build: under serve, `site_dir` is kept and only changed files are written (serve/site_dir.py).
* on_files: notes read (reading.py), indexed (indexing.py), outputs generated (generation.py),
  problems logged (diagnostics.py), the nav laid out (nav.py).
* on_nav: the nav, kept for on_env.
* on_pre_page: a generated page skips YAML and the Markdown pass (generated_pages.py); a note's
  Markdown pass goes through the cache.
* on_page_markdown: a note's entries, contents and figures rendered (note_pages.py).
* on_page_content: a note gets its entries' meta lines (after Markdown) and its TOC keeps its sections; a generated page gets its heading and body.
* on_env: the cache settles pages and picks those whose theme output is unchanged.
* on_pre_template: MkDocs' sitemap template, reused while no page's line in it changed (serve/sitemap.py).
* on_template_context: the sitemap lists settled pages too (serve/settled_pages.py).
* on_page_context: a page's HTML given back after Material's search (serve/search_entries.py);
  a generated page's search entry is its title.
* on_post_page: the theme's output kept for the cache, then feed links added to `<head>` (feed_links.py).
* on_post_build: first, settled pages' search entries; last, `site_dir` tidied, the filters removed,
  the collector resumed.
* on_build_error: the cache emptied (what the build stored may be half made), the filters removed,
  the collector resumed.
* on_serve: docs/ polled more often (serve/watcher.py); the assets folder and aliases file watched.
* on_shutdown: the cache saved for the next `serve` (serve/warm_start.py) and let go.

All build state lives in a `BuildState` made fresh in on_files; only the rebuild cache lives
across the builds of one `mkdocs serve`, and it reuses nothing it cannot prove unchanged.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from papernotes.index.history import History
from papernotes.index.library import Library
from papernotes.mkdocs_plugin import generated_pages, macros
from papernotes.mkdocs_plugin.build_state import BuildState
from papernotes.mkdocs_plugin.config import PapernotesConfig
from papernotes.mkdocs_plugin.diagnostics import report_diagnostics
from papernotes.mkdocs_plugin.feed_links import add_feed_links, feed_site_url
from papernotes.mkdocs_plugin.generation import generate_outputs
from papernotes.mkdocs_plugin.indexing import index_notes
from papernotes.mkdocs_plugin.log_filters import BuildFilters
from papernotes.mkdocs_plugin.nav import NavLayout
from papernotes.mkdocs_plugin.note_pages import note_content, note_markdown, trim_toc
from papernotes.mkdocs_plugin.project import add_assets_folder, watched_paths
from papernotes.mkdocs_plugin.reading import read_notes
from papernotes.mkdocs_plugin.site_config import extend_mkdocs_config
from papernotes.notes.model import Diagnostic
from papernotes.render.views import Renderer
from papernotes.serve.collector import Pause
from papernotes.serve.incremental import Incremental
from papernotes.serve.settled_pages import PAGES_LOGGER
from papernotes.serve.watcher import poll_notes_faster

log = get_plugin_logger(__name__)
IDLE_COLLECT_SECONDS = 0.3  # under serve: the collection after a rebuild, once the browsers have reloaded


class PapernotesPlugin(BasePlugin[PapernotesConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.build: BuildState | None = None
        self._last: BuildState | None = None  # under serve, the last complete build
        self.diagnostics: list[Diagnostic] = []
        self.history = History()  # git history of the notes, cached by HEAD across serve rebuilds
        self.incremental = Incremental()  # kept across the rebuilds of `mkdocs serve` (on_startup)
        self._filters = BuildFilters()
        self._nav = NavLayout()
        self._nav_items: Navigation | None = None
        self._macros_plugin: Any = None
        self._gc = Pause()  # the cyclic collector kept off the whole heap while a build runs (serve/collector.py)
        self.serving = False  # `mkdocs serve` (on_startup); MkDocs' `build()` alone is a build

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"  # serve replaces site_url by the preview's (feed_links.feed_site_url)
        self.incremental.startup(command, dirty)
        if command == "serve" and not dirty and not self.incremental.enabled:
            # Said once: the preview still shows the right pages, only each rebuild takes longer.
            log.info("every rebuild of the preview is a full one: %s", self.incremental.reason)

    # Before mkdocs-macros (priority 0), so its chatter while configuring is filtered already.
    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.build, self.diagnostics = None, []
        self._filters.remove()
        if not self.config.enabled:
            return None
        self._gc.pause()
        self._filters.install(self._already_reported, macros.verbose(config), PAGES_LOGGER)
        extend_mkdocs_config(config)
        self._nav.begin(config)
        self._macros_plugin = macros.register(config, self._library_and_renderer)
        self.incremental.begin(config, self.config.serve_cache)
        if self.incremental.reusing:
            self._gc.hold()  # a rebuild: no collection until it ends (serve/collector.py)
        return config

    # First: MkDocs cleans site_dir right after on_pre_build (the rebuild cache keeps it).
    @event_priority(100)
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.incremental.pre_build(config.site_dir)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if not self.config.enabled:
            return files
        add_assets_folder(files, config, self.config)
        last, self._last = (self._last if self.incremental.enabled else None), None
        if last is not None:
            last.changes = None  # one build back only: not the library before it
        build = self.build = read_notes(files, config, self.config, self.incremental.parse)
        build.notes_before = last.notes_made if last is not None else {}
        index_notes(build, files, config, self.config, history=self.history, fragments=self.incremental.fragments, last=last)
        macros.publish_variables(self._macros_plugin, build.library)
        generate_outputs(build, files, config, self.config, self.incremental,
                         site_url=feed_site_url(config, serving=self.serving), last=last)
        self.diagnostics = report_diagnostics(build, files, self.config)
        self._nav.lay_out(config, build, files, self.config.notes_section)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        self._nav_items = nav
        return nav

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page | None:
        generated = self.build.generated_page(page) if self.build is not None else None
        if generated is not None:
            generated_pages.make_lean(page, generated, config)
        else:
            self.incremental.wrap_render(page)
        return page

    # Before mkdocs-macros (priority 0): entries are rendered from the source as parsed in on_files.
    @event_priority(50)
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        return note_markdown(markdown, page, self.build, self.config.contents) if self.build is not None else None

    # Before other plugins (priority 0), so they see the whole page.
    @event_priority(50)
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if self.build is None:
            return None
        trim_toc(page, self.build, self.config.contents)
        generated = self.build.generated_page(page)
        if generated is not None:
            return generated_pages.page_content(html, generated, self.incremental)
        return note_content(html, page, self.build)

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
        if self._nav_items is not None:
            self.incremental.plan(env, files, self._nav_items, generated_pages.material_search(config), config, owner=self)
        self._nav_items = None
        return env

    def on_pre_template(self, template: Any, *, template_name: str, config: MkDocsConfig) -> Any:
        return self.incremental.pre_template(template, template_name)

    def on_template_context(self, context: Any, *, template_name: str, config: MkDocsConfig) -> Any:
        return self.incremental.template_context(context, template_name, config)

    # After the search plugin (priority 0): a generated page's search entry is its title alone.
    @event_priority(-100)
    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        self.incremental.page_context(page)
        if self.build is not None and self.build.generated_page(page) is not None:
            generated_pages.add_search_entry(page, config)
        return context

    # First of all plugins: the theme's output as it was, for the rebuild cache; then feed
    # autodiscovery, added after storing, so a reused page gets it the same way.
    @event_priority(100)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        self.incremental.store(output, page)
        return add_feed_links(output, page, self.build)

    # First: settled pages' search entries go in before the search plugin writes its index.
    @event_priority(100)
    def _on_post_build_first(self, *, config: MkDocsConfig) -> None:
        self.incremental.finish_search()

    # Last of all plugins: what they wrote into site_dir is final.
    @event_priority(-100)
    def _on_post_build_last(self, *, config: MkDocsConfig) -> None:
        self._filters.remove()
        renderer = self.build.renderer if self.build is not None and self.incremental.enabled else None
        self.incremental.post_build(renderer.shown_now() if renderer is not None else None)
        self._last = self.build if self.incremental.enabled else None  # compared with the next build's (`index.changes`)
        self._gc.resume(IDLE_COLLECT_SECONDS if self.incremental.enabled else None)

    on_post_build = CombinedEvent(_on_post_build_first, _on_post_build_last)

    def on_build_error(self, *, error: Exception) -> None:
        self._filters.remove()
        self.incremental.failed()  # what this build stored may be half made
        self._last = None
        self._gc.resume()

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        if self.incremental.enabled:
            poll_notes_faster(server, [config.docs_dir])
        for path in watched_paths(config, self.config):
            server.watch(path)
        return server

    def on_shutdown(self) -> None:
        self.incremental.shutdown()

    def _already_reported(self, src: str, url: str) -> bool:
        return self.build is not None and self.build.already_reported(src, url)

    def _library_and_renderer(self) -> tuple[Library, Renderer] | None:
        build = self.build
        return (build.library, build.renderer) if build and build.library and build.renderer else None
