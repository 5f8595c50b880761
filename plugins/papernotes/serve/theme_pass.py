"""A page's theme pass (its template, `on_page_context`, `on_post_page`), reused when all it reads is unchanged.

In `on_env` every page's output fingerprint is made of its content, title, TOC, meta, URL,
what it shows of the nav (nav_views.py: with Material's `navigation.prune`, the top-level
items, its own ancestors and siblings and its neighbours; else the whole nav) and the build
date, if the theme shows it (`reads_date`: Material does not, and a page made yesterday is
then today's too); a hit sets the page's template
(`page.meta["template"]`, MkDocs' public way for a page to pick one) to a template that
prints the HTML the theme made last time. Other plugins still see the page in
`on_page_context` and `on_post_page` (the search index gets its entries; `on_post_page`
hooks run on the same HTML as before), and MkDocs writes the file as usual.
"""

from __future__ import annotations

from typing import Any

from jinja2 import ChoiceLoader, DictLoader, Environment
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from papernotes.serve.fingerprints import fingerprint
from papernotes.serve.nav_views import NavViews, why_whole
from papernotes.serve.page_shells import SHELL_TEMPLATE, PageShells
from papernotes.serve.stores import CompiledTemplates, PageStore

REUSE_TEMPLATE = "papernotes/reused-page.html"
DATE_NAMES = ("update_date", "build_date_utc")  # what MkDocs gives templates of the build's date
TEMPLATE_FILES = (".html", ".xml", ".j2", ".jinja", ".jinja2", ".txt")


class ThemePass:
    """Each page's theme output by its fingerprint, in the cache's `pages` store."""

    def __init__(self, pages: PageStore) -> None:
        self.pages = pages
        self.bytecode = CompiledTemplates()  # the theme's compiled templates, across builds
        self.reused: set[str] = set()  # src_uri of the pages given the reuse template, this build
        self._outputs: dict[str, str] = {}  # src_uri -> output fingerprint, this build
        self.whole_nav_reason: str | None = None  # why pages show the whole nav, this build (None: each its view)
        self.dated = True  # a page's theme output may show the build's date (`reads_date`)
        self._dated_for = ""  # the environment `dated` was found for
        self.shells = PageShells()  # pages of one kind made from one proven shell
        self._nav_urls: set[str] = set()  # every URL the nav links to, this build

    def begin(self) -> None:
        self._outputs, self.reused = {}, set()
        self.shells.begin()

    def share_compiled(self, config: MkDocsConfig) -> None:
        """on_config: every Jinja environment the theme makes this build keeps its compiled templates
        in `bytecode` (Material's search makes three in its own `on_config`, to translate its labels,
        and compiled `partials/language.html` and its includes in each, on every build)."""
        theme, made = config.theme, config.theme.get_env

        def get_env() -> Environment:
            env = made()
            env.bytecode_cache = self.bytecode
            return env

        theme.get_env = get_env  # type: ignore[method-assign]  # this build's Theme only (the config is loaded anew for each)

    def nav_views(self, env: Environment, nav: Navigation, config: MkDocsConfig) -> NavViews:
        """on_env, first: the theme's templates compiled once per process; what each page shows of the nav."""
        env.bytecode_cache = self.bytecode
        self.whole_nav_reason = why_whole(config)
        self._nav_urls = _linked(nav.items)
        return NavViews(nav, whole=self.whole_nav_reason is not None)

    def reads_date(self, env: Environment, environment: str) -> bool:
        """on_env: whether a template of the theme names the build's date (MkDocs' sitemap.xml aside:
        it is no page's output, and sitemap.py keeps it by its dates). Found once per `environment`,
        which holds the theme's files. The date is not in a page's fingerprint otherwise: the same
        page made the next morning is the same page (a warm start after a night reuses it)."""
        if environment != self._dated_for or not environment:
            names = env.list_templates(filter_func=lambda n: n.endswith(TEMPLATE_FILES) and n != "sitemap.xml")
            loader = env.loader
            self.dated = loader is None or any(
                any(date in loader.get_source(env, name)[0] for date in DATE_NAMES) for name in names)
            self._dated_for = environment
        return self.dated

    def plan(self, env: Environment, all_pages: list[File], views: NavViews) -> dict[int, str]:
        """on_env: pages whose output is unchanged get the reuse template. Returns, by `id(page)`,
        the fingerprint of what the search index reads of each page (search_entries.py)."""
        pages = [f.page for f in all_pages if f.page is not None and f.inclusion.is_included()]
        contents: dict[int, str] = {}
        made: list[tuple[Page, str]] = []  # the pages the theme must make, with their nav views
        for page in pages:
            # what the search index reads of a page, then what the theme reads too
            content_fp = contents[id(page)] = fingerprint(page.url, page.title, page.meta, _toc(page.toc), page.content,
                                                          default=repr)
            view = views.of(page)
            fp = fingerprint(view, content_fp, page.file.src_uri, page.file.dest_uri, page.update_date if self.dated else None,
                             page.edit_url, page.canonical_url)
            self._outputs[page.file.src_uri] = fp
            if self.pages.has(page.file.src_uri, fp) and "template" not in page.meta:
                page.meta["template"] = REUSE_TEMPLATE
                self.reused.add(page.file.src_uri)
            else:
                made.append((page, view))
        self.shells.plan(made, self._nav_urls, self.dated)
        return contents

    def output_fingerprint(self, src: str) -> str | None:
        """The fingerprint of everything a page's theme output was proven by this build (None: not planned)."""
        return self._outputs.get(src)

    def install(self, env: Environment) -> None:
        """on_env, last: the reuse template, which prints a page's HTML as the theme made it last build."""
        env.loader = ChoiceLoader([DictLoader({REUSE_TEMPLATE: "{{ papernotes_reused(page) }}",
                                               SHELL_TEMPLATE: "{{ papernotes_shell() }}"}), env.loader])  # type: ignore[list-item]  # MkDocs' theme environment always has a loader
        env.globals["papernotes_reused"] = self._reused_html
        self.shells.install(env)

    def _reused_html(self, page: Page) -> Markup:
        src = page.file.src_uri
        html = self.pages.get(src, self._outputs[src])
        if html is None:  # emptied under us (cannot happen within one build)
            raise RuntimeError(f"papernotes: the cached output of {src} is gone; the next rebuild is a full one")
        return Markup(html)

    def store(self, output: str, page: Page) -> None:
        """on_post_page, before other plugins: the theme's output, for the next build."""
        src = page.file.src_uri
        fp = self._outputs.get(src)
        if fp is not None and src not in self.reused:
            self.pages.put(src, fp, output)


def _linked(items: Any) -> set[str]:
    """The URLs of every page and link in the nav."""
    urls: set[str] = set()
    for item in items:
        if getattr(item, "children", None):
            urls |= _linked(item.children)
        url = getattr(item, "url", None)
        if isinstance(url, str):
            urls.add(url)
    return urls


def _toc(items: Any) -> list[Any]:
    return [(i.title, i.id, i.level, _toc(i.children)) for i in items]

