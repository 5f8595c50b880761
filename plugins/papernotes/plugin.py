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

import os
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from pymdownx.slugs import slugify

from . import lean, macros, outputs
from .config import PapernotesConfig
from .figures import Layout, plan_figures
from .grammar import decode, normalise_newlines, parse
from .incremental import Incremental
from .library import Aliases, Library, LibraryOptions, src_to_url
from .model import Diagnostic, Document
from .render import Renderer, SiteUrls, page_heading
from .slugs import page_anchors

log = get_plugin_logger(__name__)
CSS_URI = outputs.CSS_URI


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


class PapernotesPlugin(BasePlugin[PapernotesConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.build: _Build | None = None
        self.diagnostics: list[Diagnostic] = []
        self.incremental = Incremental()  # kept across the rebuilds of `mkdocs serve` (on_startup)
        self._nav_items: Navigation | None = None
        self._macros_plugin: Any = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.incremental.startup(command, dirty)

    def on_shutdown(self) -> None:
        self.incremental.shutdown()

    def on_build_error(self, *, error: Exception) -> None:
        self.incremental.failed()

    # -- configuration ---------------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.build, self.diagnostics = None, []
        if not self.config.enabled:
            return None
        # Entry headings carry their anchor and classes as `{: #id .class }`.
        if "attr_list" not in config.markdown_extensions:
            config.markdown_extensions.append("attr_list")
        # GitHub-compatible anchors for ordinary headings, so links copied from GitHub work.
        toc = config.mdx_configs.setdefault("toc", {})
        toc.setdefault("slugify", slugify(case="lower"))
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        # A nav we laid out in an earlier build of the same config is not the user's.
        self._nav_configured = config.nav is not None and config.nav is not getattr(self, "_laid_out_nav", None)
        self._register_macros(config)
        self.incremental.begin(config)
        return config

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

        for file in files.documentation_pages():
            if file.generated_by:
                continue
            display = _posix(os.path.relpath(file.abs_src_path, root)) if file.abs_src_path else file.src_uri
            text = self._read(file, display)
            doc = parse(text, file.src_uri)
            build.documents[file.src_uri] = doc
            build.lines[file.src_uri] = normalise_newlines(text).split("\n")
            build.display[file.src_uri] = display
            self._report(doc.diagnostics, display)
            self._figures(doc, files, display)

        aliases = self._load_aliases(root)
        build.library = library = Library(
            build.documents.values(), {src: files.get_file_from_path(src).url for src in build.documents},  # type: ignore[union-attr]
            LibraryOptions(use_directory_urls=config.use_directory_urls, authors_dir=self.config.authors_dir,
                           tags_dir=self.config.tags_dir, min_papers=self.config.min_papers,
                           section_topics=self.config.section_topics),
            aliases)
        urls = SiteUrls(must_read=src_to_url(self.config.must_read, config.use_directory_urls),
                        tags=src_to_url(f"{self.config.tags_dir}/index.md", config.use_directory_urls),
                        authors=src_to_url(f"{self.config.authors_dir}/index.md", config.use_directory_urls))
        build.renderer = renderer = Renderer(library, urls)
        if self._macros_plugin is not None:
            self._macros_plugin.variables.update(macros.variables(library))
        self._generate(files, config, library, renderer)
        if not self._nav_configured:
            config.nav = self._laid_out_nav = self._nav(files)
        return files

    def _read(self, file: File, display: str) -> str:
        """The page's text; a file that is not UTF-8 is reported and shown with replacement characters."""
        try:
            return file.content_string
        except UnicodeDecodeError:
            text, problems = decode(file.content_bytes, display)
            self._report(problems, display)
            file.content_string = text  # MkDocs would otherwise abort reading it
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

    def _figures(self, doc: Document, files: Files, display: str) -> None:
        assert self.build is not None
        plan = plan_figures(doc, self.build.layout, lambda src: files.get_file_from_path(src) is not None)
        self._report(plan.diagnostics, display)
        self.build.figure_urls[doc.path] = plan.urls

    def _load_aliases(self, root: str) -> Aliases:
        if not self.config.aliases:
            return Aliases()
        path = os.path.join(root, self.config.aliases)
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError) as exc:
            self._report([Diagnostic(self.config.aliases, 1, 1, "warning", "aliases", f"cannot read aliases file: {exc}")],
                         self.config.aliases)
            return Aliases()
        aliases, problems = Aliases.from_yaml(text, self.config.aliases)
        self._report(problems, self.config.aliases)
        return aliases

    def _report(self, diagnostics: list[Diagnostic], display: str) -> None:
        for d in diagnostics:
            if d.code in self.config.disable:
                continue
            d = Diagnostic(display, d.line, d.col, d.severity, d.code, d.message)
            self.diagnostics.append(d)
            message = "%s:%d:%d: %s [%s]"
            {"error": log.error, "warning": log.warning}.get(d.severity, log.info)(message, d.path, d.line, d.col, d.message, d.code)

    # -- generate --------------------------------------------------------------------------

    def _generate(self, files: Files, config: MkDocsConfig, library: Library, renderer: Renderer) -> None:
        """Add every output of the registry (`outputs.py`) to `files`; a user's own file at the same path wins."""
        assert self.build is not None
        search_title_only = lean.material_search(config) is not None
        for output in outputs.outputs(outputs.Site(library, renderer, self.config)):
            if output.src in files.src_uris:
                continue
            if output.is_page:
                inclusion = InclusionLevel.UNDEFINED if output.kind == outputs.PAGE else InclusionLevel.NOT_IN_NAV
                files.append(File.generated(config, output.src, content=output.markdown(search_title_only=search_title_only),
                                                 inclusion=inclusion))
            else:
                content = None if output.abs_src_path else output.render() if output.render else ""
                files.append(File.generated(config, output.src, content=content, abs_src_path=output.abs_src_path))
            self.build.generated[output.src] = output  # a page's body is made in on_page_content

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
        contents = self.config.contents and doc.options.get("contents", True) is not False
        return build.renderer.note(doc, lines, anchors, contents=contents, figure_urls=figure_urls,
                                   start=prefix.count("\n"))

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page | None:
        if self._generated_page(page) is not None:
            lean.skip_markdown(page)
        else:
            self.incremental.wrap_render(page)
        return page

    def _generated_page(self, page: Page) -> outputs.Output | None:
        output = self.build.generated.get(page.file.src_uri) if self.build is not None else None
        return output if output is not None and output.is_page and page.file.generated_by is not None else None

    # Before other plugins (priority 0), so they see the whole page.
    @event_priority(50)
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        generated = self._generated_page(page)
        if generated is None or generated.render is None or generated.inputs is None:
            return None
        body = self.incremental.body(generated.src, generated.inputs, generated.render, outputs.project)
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
            self.incremental.plan(env, files, self._nav_items, lean.material_search(config))
        self._nav_items = None
        return env

    # First of all plugins: the theme's output as it was, for the rebuild cache.
    @event_priority(100)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        self.incremental.store(output, page)
        return output


def _root(config: MkDocsConfig) -> str:
    return os.path.dirname(os.path.abspath(config.config_file_path)) if config.config_file_path else os.getcwd()


def _posix(path: str) -> str:
    return path.replace(os.sep, "/")
