"""The MkDocs plugin: a thin layer of event hooks over grammar, library, render and outputs.

Build flow (all build state lives in a `_Build` made fresh in `on_config`, so the
one-process rebuilds of `mkdocs serve` never see stale entries; only the rebuild cache
of `incremental.py` lives across them, and it reuses nothing it cannot prove unchanged):

* on_startup: `mkdocs serve` (not `--dirty`) turns the rebuild cache on.
* on_files: serve the top-level assets folder, parse every note, build the
  library, report diagnostics as `path:line:col: message [rule]` warnings
  (so `--strict` fails), add every output of the registry (`outputs.py`) as a
  `File.generated(...)` file (a user's own file at the same path wins),
  and lay out the nav when mkdocs.yml has none.
* on_pre_page: a generated page skips the Markdown pass (`lean.py`); a note's goes
  through the rebuild cache.
* on_page_markdown: render entries, contents and figures of a note.
* on_page_content: add a generated page's heading and body (raw HTML, made only now).
* on_page_context: a generated page's search entry is its title.
* on_env / on_post_page: the rebuild cache picks the pages whose theme output is
  unchanged, and keeps the theme output of the others.
"""
from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from pymdownx.slugs import slugify

from papernotes.checks.library_checks import cap, diagnose, format_diagnostic, load_aliases, read_source, symlink_problem
from papernotes.index.history import History
from papernotes.index.library import Aliases, Library, LibraryOptions, src_to_url
from papernotes.mkdocs_plugin import generated_pages as lean
from papernotes.mkdocs_plugin import macros
from papernotes.mkdocs_plugin.config import PapernotesConfig
from papernotes.mkdocs_plugin.log_filters import MACROS_LOGGER, PAGES_LOGGER, Chatter, Repeats
from papernotes.notes.figures import Layout, plan_figures
from papernotes.notes.grammar import decode, normalise_newlines, parse
from papernotes.notes.model import Diagnostic, Document
from papernotes.notes.slugs import page_anchors
from papernotes.outputs import feeds
from papernotes.outputs import registry as outputs
from papernotes.render.renderer import Renderer, SiteUrls, md_escape, page_heading, sections_only
from papernotes.serve.collector import Pause
from papernotes.serve.incremental import Incremental
from papernotes.serve.watcher import poll_notes_faster

log = get_plugin_logger(__name__)
CSS_URI = outputs.CSS_URI
CITE_JS_URI = outputs.CITE_JS_URI
IDLE_COLLECT_SECONDS = 0.3  # under serve: the collection after a rebuild, once the browsers have reloaded


@dataclass
class _Build:
    """Everything one build knows; replaced on every build."""

    layout: Layout
    documents: dict[str, Document] = field(default_factory=dict)
    lines: dict[str, list[str]] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)  # src_uri -> path shown in messages
    figure_urls: dict[str, dict[tuple[int, int], str | None]] = field(default_factory=dict)
    library: Library | None = None
    renderer: Renderer | None = None
    generated: dict[str, outputs.Output] = field(default_factory=dict)  # src_uri -> what the registry declared
    head: dict[str | None, str] = field(default_factory=dict)  # src_uri (None: every page) -> feed <link>s for <head>
    # Notes not parsed (binary, a 2 MB line) -> why: shown instead of the text, no link warnings from MkDocs.
    unchecked: dict[str, str] = field(default_factory=dict)
    reported: set[tuple[str, str]] = field(default_factory=set)  # (src_uri, url) the plugin reported: not repeated
    sources: str | None = None  # a digest of every note's text (`outputs.Site.sources`)


class PapernotesPlugin(BasePlugin[PapernotesConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.build: _Build | None = None
        self.diagnostics: list[Diagnostic] = []
        self.history = History()  # git history of the notes, cached by HEAD across serve rebuilds
        self.incremental = Incremental()  # kept across the rebuilds of `mkdocs serve` (on_startup)
        self._nav_items: Navigation | None = None
        self._macros_plugin: Any = None
        self._gc = Pause()  # the cyclic collector kept off the whole heap while a build runs (gcpause.py)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.incremental.startup(command, dirty)

    def on_shutdown(self) -> None:
        self.incremental.shutdown()

    # -- configuration ---------------------------------------------------------------------

    # Before mkdocs-macros (priority 0), so its chatter while configuring is filtered already.
    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.build, self.diagnostics = None, []
        self._remove_filters()
        if not self.config.enabled:
            return None
        self._gc.pause()
        self._install_filters(config)
        # Entry headings carry their anchor and classes as `{: #id .class }`.
        if "attr_list" not in config.markdown_extensions:
            config.markdown_extensions.append("attr_list")
        # Heading ids exactly GitHub's, repeats `-1`, `-2` included, so in-page links written on GitHub work.
        if "papernotes.extensions.github_ids" not in config.markdown_extensions:
            config.markdown_extensions.append("papernotes.extensions.github_ids")
        # GitHub-compatible anchors for ordinary headings, so links copied from GitHub work.
        toc = config.mdx_configs.setdefault("toc", {})
        toc.setdefault("slugify", slugify(case="lower"))
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        if CITE_JS_URI not in [str(script) for script in config.extra_javascript]:
            config.extra_javascript.append(CITE_JS_URI)
        # A nav we laid out in an earlier build of the same config is not the user's.
        self._nav_configured = config.nav is not None and config.nav is not getattr(self, "_laid_out_nav", None)
        self._register_macros(config)
        self.incremental.begin(config)
        return config

    def _install_filters(self, config: MkDocsConfig) -> None:
        macros_plugin = config.plugins.get("macros")
        verbose = bool(macros_plugin is not None and getattr(macros_plugin, "config", {}).get("verbose"))
        def reported(src: str, url: str) -> bool:
            build = self.build
            return build is not None and (src in build.unchecked or (src, url) in build.reported)

        self._filters = [(logging.getLogger(PAGES_LOGGER), Repeats(reported)), (logging.getLogger(MACROS_LOGGER), Chatter(verbose))]
        for logger, flt in self._filters:
            logger.addFilter(flt)

    def _remove_filters(self) -> None:
        for logger, flt in getattr(self, "_filters", []):
            logger.removeFilter(flt)
        self._filters = []

    # First: MkDocs cleans site_dir right after on_pre_build (the rebuild cache keeps it).
    @event_priority(100)
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.incremental.pre_build(config.site_dir)

    # First: settled pages' search entries go in before the search plugin writes its index.
    @event_priority(100)
    def _on_post_build_first(self, *, config: MkDocsConfig) -> None:
        self.incremental.finish_search()

    # Last of all plugins: what they wrote into site_dir is final.
    @event_priority(-100)
    def _on_post_build_last(self, *, config: MkDocsConfig) -> None:
        # The filters hold this build's state: another build in the same process must not see them.
        # (`mkdocs serve` runs on_config again before every rebuild.)
        self._remove_filters()
        self.incremental.post_build()
        self._gc.resume(IDLE_COLLECT_SECONDS if self.incremental.enabled else None)

    on_post_build = CombinedEvent(_on_post_build_first, _on_post_build_last)

    def on_pre_template(self, template: Any, *, template_name: str, config: MkDocsConfig) -> Any:
        return self.incremental.pre_template(template, template_name)

    def on_template_context(self, context: Any, *, template_name: str, config: MkDocsConfig) -> Any:
        return self.incremental.template_context(context, template_name, config)

    def on_build_error(self, *, error: Exception) -> None:
        self._remove_filters()
        self.incremental.failed()  # what this build stored may be half made
        self._gc.resume()

    def _register_macros(self, config: MkDocsConfig) -> None:
        """Offer `papers(...)` and counts to mkdocs-macros (pages opt in with `render_macros: true`)."""
        self._macros_plugin = None
        plugin = config.plugins.get("macros")
        if plugin is None or not hasattr(plugin, "register_macros"):
            return
        if plugin.config.get("render_by_default", True):
            log.warning("mkdocs.yml: set `render_by_default: false` for the macros plugin, so notes containing "
                        "'{{' or '{%%' are never altered; pages opt in with `render_macros: true`")

        def state() -> tuple[Library, Renderer] | None:
            build = self.build
            return (build.library, build.renderer) if build and build.library and build.renderer else None

        def page_url() -> str:
            page = getattr(plugin, "page", None)
            return page.url if page is not None else ""

        self._macros_plugin = plugin
        plugin.register_macros({"papers": macros.make_papers_macro(state, page_url)})
        plugin.register_variables(dict.fromkeys(macros.VARIABLES, 0))  # real values once the library is built

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        if self.incremental.enabled:
            poll_notes_faster(server, [config.docs_dir])
        root = _root(config)
        for path in (os.path.join(root, self.config.assets_dir), self.config.aliases and os.path.join(root, self.config.aliases)):
            if path and os.path.exists(path):
                server.watch(path)
        return server

    # -- collect ---------------------------------------------------------------------------

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if not self.config.enabled:
            return files
        root = _root(config)
        layout = Layout(docs_dir=_posix(os.path.relpath(config.docs_dir, root)), assets_dir=self.config.assets_dir.strip("/"))
        build = self.build = _Build(layout=layout)
        self._add_assets(files, config, root)

        problems: list[Diagnostic] = []
        sources = hashlib.blake2b(digest_size=20)
        for file in files.documentation_pages():
            if file.generated_by:
                continue
            display = _posix(os.path.relpath(file.abs_src_path, root)) if file.abs_src_path else file.src_uri
            text = self._read(file, display, problems, root)
            source = (text or "").encode("utf-8", "surrogatepass")
            sources.update(f"{len(file.src_uri)}:{file.src_uri}{len(source)}:".encode("utf-8", "surrogatepass") + source)
            doc = self.incremental.parse(text or "", file.src_uri, parse)
            build.documents[file.src_uri] = doc
            build.lines[file.src_uri] = normalise_newlines(text or "").split("\n")
            build.display[file.src_uri] = display
            if text is None:
                build.unchecked[file.src_uri] = next((d.message for d in problems if d.path == display), "")
            self._figures(doc, files)

        build.sources = sources.hexdigest()
        aliases = self._load_aliases(root, problems)
        build.library = library = Library(
            build.documents.values(), {src: files.get_file_from_path(src).url for src in build.documents},  # type: ignore[union-attr]
            LibraryOptions(use_directory_urls=config.use_directory_urls, authors_dir=self.config.authors_dir,
                           tags_dir=self.config.tags_dir, min_papers=self.config.min_papers,
                           section_topics=self.config.section_topics),
            aliases)
        if self.config.dates:
            dates, messages = self.history.added_dates(config.docs_dir, build.documents)
            library.added_dates.update(dates)
            for severity, message in messages:
                (log.warning if severity == "warning" else log.info)(message)
        urls = SiteUrls(must_read=src_to_url(self.config.must_read, config.use_directory_urls),
                        tags=src_to_url(f"{self.config.tags_dir}/index.md", config.use_directory_urls),
                        authors=src_to_url(f"{self.config.authors_dir}/index.md", config.use_directory_urls),
                        explorer=src_to_url(self.config.explorer, config.use_directory_urls))
        build.renderer = renderer = Renderer(library, urls, fragments=self.incremental.fragments)
        if self._macros_plugin is not None:
            self._macros_plugin.variables.update(macros.variables(library))
        self._generate(files, config, library, renderer)
        self._report(diagnose(build.documents.values(), build.display, layout,
                              lambda src: files.get_file_from_path(src) is not None, aliases=aliases,
                              file_problems=problems, disable=self.config.disable, limit=None))
        if not self._nav_configured:
            config.nav = self._laid_out_nav = self._nav(files)
        return files

    def _read(self, file: File, display: str, problems: list[Diagnostic], root: str) -> str | None:
        """The note's text, read as `papernotes check` reads it (None: not a note to parse).

        What MkDocs renders follows: a file that is not UTF-8 is shown with replacement
        characters (MkDocs would abort reading it) and a binary file as an empty page.
        """
        link = symlink_problem(file.abs_src_path, root, display) if file.abs_src_path else None
        if link is not None:
            problems.append(link)
            file.content_string = ""
            return None
        try:
            data = file.content_bytes
        except OSError as exc:
            problems.append(Diagnostic(display, 1, 1, "error", "unreadable", f"cannot read the file: {exc.strerror}"))
            file.content_string = ""
            return None
        text, found = read_source(data, display)
        problems += found
        if any(d.code == "binary" for d in found):
            file.content_string = ""
        elif any(d.code == "long-line" for d in found):
            file.content_string = text  # over-long lines replaced by a notice; the rest of the note is shown
        elif any(d.code == "encoding" for d in found):
            file.content_string = decode(data, display)[0]
        return text

    def _add_assets(self, files: Files, config: MkDocsConfig, root: str) -> None:
        """Serve the top-level assets folder as `assets/` (a file of the same name in docs/ wins)."""
        folder = os.path.join(root, self.config.assets_dir)
        if not os.path.isdir(folder) or os.path.realpath(folder).startswith(os.path.realpath(config.docs_dir) + os.sep):
            return
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith(".") or name.endswith(".md"):
                    continue
                src = _posix(os.path.relpath(os.path.join(dirpath, name), root))
                if files.get_file_from_path(src) is None:
                    files.append(File(src, src_dir=root, dest_dir=config.site_dir, use_directory_urls=config.use_directory_urls))

    def _figures(self, doc: Document, files: Files) -> None:
        assert self.build is not None
        plan = plan_figures(doc, self.build.layout, lambda src: files.get_file_from_path(src) is not None)
        self.build.figure_urls[doc.path] = plan.urls

    def _load_aliases(self, root: str, problems: list[Diagnostic]) -> Aliases:
        if not self.config.aliases:
            return Aliases()
        aliases, found = load_aliases(os.path.join(root, self.config.aliases), self.config.aliases)
        problems += found
        return aliases

    def _report(self, diagnostics: list[Diagnostic]) -> None:
        """Log what `papernotes check` prints (same rules, order and limit), so `--strict` fails alike."""
        assert self.build is not None
        by_display = {shown: src for src, shown in self.build.display.items()}
        urls: dict[str, dict[tuple[int, int], list[str]]] = {}
        for d in diagnostics:  # those left out of the log by the limit too: they were reported, as a count
            src = by_display.get(d.path)
            if src is not None and d.code in ("missing-figure", "broken-link"):
                if src not in urls:
                    urls[src] = self._urls_by_position(src)
                self.build.reported.update((src, url) for url in urls[src].get((d.line, d.col), ()))
        self.diagnostics = cap(diagnostics)
        for d in self.diagnostics:
            {"error": log.error, "warning": log.warning}.get(d.severity, log.info)(format_diagnostic(d))

    def _urls_by_position(self, src: str) -> dict[tuple[int, int], list[str]]:
        """URLs of a note's figures and links by position (MkDocs' own warning about a reported one is dropped)."""
        assert self.build is not None
        doc = self.build.documents[src]
        found: dict[tuple[int, int], list[str]] = {}
        for item in (*doc.figures, *doc.links):
            found.setdefault((item.line, item.col), []).append(item.url)
        return found

    # -- generate --------------------------------------------------------------------------

    def _generate(self, files: Files, config: MkDocsConfig, library: Library, renderer: Renderer) -> None:
        """Add every output of the registry (`outputs.py`) to `files`; a user's own file at the same path wins."""
        assert self.build is not None
        feeds_made = self._feeds(config, library, renderer)
        site = outputs.Site(library, renderer, self.config, use_directory_urls=config.use_directory_urls, sources=self.build.sources,
                            feeds=feeds_made, feed_url=feeds.FEED if feeds_made else None)
        search_title_only = lean.material_search(config) is not None
        for output in outputs.outputs(site):
            if output.src in files.src_uris:
                continue
            if output.is_page:
                inclusion = InclusionLevel.UNDEFINED if output.kind == outputs.PAGE else InclusionLevel.NOT_IN_NAV
                markdown = output.markdown(search_title_only=search_title_only)
                if output.depends is not None and self.incremental.enabled:
                    file = self.incremental.page_file(config, output.src, markdown, inclusion, output.depends())
                else:
                    file = File.generated(config, output.src, content=markdown, inclusion=inclusion)
                files.append(file)
            else:
                content = (None if output.abs_src_path else "" if output.render is None
                           else output.render() if output.inputs is None
                           else self.incremental.body(output.src, output.inputs, output.render, outputs.project))
                files.append(File.generated(config, output.src, content=content, abs_src_path=output.abs_src_path))
            self.build.generated[output.src] = output  # a page's body is made in on_page_content

    def _feeds(self, config: MkDocsConfig, library: Library, renderer: Renderer) -> dict[str, str]:
        """feed.xml and the per-tag feeds (path -> text), linked from every page's <head>; none without site_url."""
        assert self.build is not None
        if not config.site_url:
            log.info("no site_url in mkdocs.yml: the Atom feeds are not made (they need absolute links)")
            return {}
        site = feeds.Site(config.site_url.rstrip("/") + "/", config.site_name)
        made = feeds.feeds(library, self.build.lines, site, tags_dir=self.config.tags_dir, limit=self.config.feed_entries,
                           fragments=renderer.fragments)
        if not made:
            return {}
        self.build.head[None] = feeds.head_link(site.url + feeds.FEED, config.site_name)
        for tag in library.tags.values():
            if tag.kind in feeds.FEED_TAG_KINDS:
                path = feeds.tag_feed_path(self.config.tags_dir, tag)
                renderer.tag_feeds[tag.url] = path
                self.build.head[f"{self.config.tags_dir}/{tag.slug}.md"] = feeds.head_link(site.url + path, f"{config.site_name}: {tag.name}")
        return made

    def _nav(self, files: Files) -> list[Any]:
        """Home, the notes (in a `notes_section`), Must-read, Tags, Authors, then every other page."""
        assert self.build is not None
        generated = {o.src: o.title for o in self.build.generated.values() if o.kind == outputs.PAGE}
        pages = [f.src_uri for f in files.documentation_pages(inclusion=InclusionLevel.is_in_nav)
                 if f.src_uri not in generated]
        home = [p for p in pages if p in ("index.md", "README.md")][:1]
        notes = [p for p in pages if p not in home and self.build.documents.get(p) and self.build.documents[p].entries]
        rest = [p for p in pages if p not in home and p not in notes]
        nav: list[Any] = [{"Home": p} for p in home]
        nav += [{self.config.notes_section: notes}] if self.config.notes_section and notes else notes
        nav += [{title: src} for src, title in generated.items() if files.get_file_from_path(src) is not None]
        return nav + rest

    # -- render ----------------------------------------------------------------------------

    # Before mkdocs-macros (priority 0): entries are rendered from the source as parsed in on_files.
    @event_priority(50)
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        build = self.build
        if build is None or build.renderer is None:
            return None
        src = page.file.src_uri
        if src in build.unchecked:
            # Not a hand-written note: rendering it would take minutes and show nothing readable.
            return f"> **Not shown:** {md_escape(build.unchecked[src])}.\n"
        doc = build.documents.get(src)
        if doc is None or not (doc.entries or doc.figures):
            return None
        lines, anchors, figure_urls = build.lines[src], build.library.page_anchors[src] if build.library else {}, build.figure_urls.get(src, {})
        full = "\n".join(lines)
        prefix = full[: len(full) - len(markdown)]
        if not full.endswith(markdown) or (prefix and not prefix.endswith("\n")):
            # Another plugin changed the text: render what we were given, positions re-read.
            doc = parse(markdown, src)
            lines, anchors = markdown.split("\n"), page_anchors(doc)
            figure_urls = {}
            prefix = ""
        if doc.entries and "description" not in page.meta:
            page.meta["description"] = build.renderer.description(doc)
        contents = self._has_contents(doc)
        return build.renderer.note(doc, lines, anchors, contents=contents, figure_urls=figure_urls,
                                   start=prefix.count("\n"))

    def _has_contents(self, doc: Document) -> bool:
        return bool(self.config.contents and doc.entries and doc.options.get("contents", True) is not False)

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page | None:
        generated = self._generated_page(page)
        if generated is not None:
            search_title_only = lean.material_search(config) is not None
            lean.known_source(page, generated.markdown(search_title_only=search_title_only),
                              generated.meta(search_title_only=search_title_only))
            lean.skip_markdown(page, generated.title)
        else:
            self.incremental.wrap_render(page)
        return page

    def _generated_page(self, page: Page) -> outputs.Output | None:
        output = self.build.generated.get(page.file.src_uri) if self.build is not None else None
        return output if output is not None and output.is_page and page.file.generated_by is not None else None

    # Before other plugins (priority 0), so they see the whole page.
    @event_priority(50)
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if self.build is None:
            return None
        doc = self.build.documents.get(page.file.src_uri)
        if doc is not None and self._has_contents(doc):
            sections_only(page.toc)  # the generated contents lists the papers: the theme's toc keeps the sections
        generated = self._generated_page(page)
        if generated is None or generated.render is None or generated.inputs is None:
            return None
        body = self.incremental.body(generated.src, generated.inputs, generated.render, outputs.project, generated.depends)
        return f"{html}{page_heading(generated.title)}\n{body}"

    # After the search plugin (priority 0): a generated page's search entry is its title alone.
    @event_priority(-100)
    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        search = lean.material_search(config) if self._generated_page(page) is not None else None
        if search is not None and (page.meta.get("search") or {}).get("exclude"):
            lean.index_title(search, page)
        return context

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        self._nav_items = nav
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
        if self._nav_items is not None:
            self.incremental.plan(env, files, self._nav_items, lean.material_search(config), config)
        self._nav_items = None
        return env

    # First of all plugins: the theme's output as it was, for the rebuild cache; then feed
    # autodiscovery (the site's feed on every page, a tag's own feed on its page too), added
    # after storing, so a reused page gets it the same way.
    @event_priority(100)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        self.incremental.store(output, page)
        head = self.build.head if self.build is not None else {}
        links = "".join(link for link in (head.get(None), head.get(page.file.src_uri)) if link)
        return output.replace("</head>", links + "</head>", 1) if links else output


def _root(config: MkDocsConfig) -> str:
    return os.path.dirname(os.path.abspath(config.config_file_path)) if config.config_file_path else os.getcwd()


def _posix(path: str) -> str:
    return path.replace(os.sep, "/")
