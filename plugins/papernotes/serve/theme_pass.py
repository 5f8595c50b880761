"""A page's theme pass (its template, `on_page_context`, `on_post_page`), reused when all it reads is unchanged.

In `on_env` every page's output fingerprint is made of its content, title, TOC, meta, URL,
the whole nav (titles, URLs, order) and the build date; a hit sets the page's template
(`page.meta["template"]`, MkDocs' public way for a page to pick one) to a template that
prints the HTML the theme made last time. Other plugins still see the page in
`on_page_context` and `on_post_page` (the search index gets its entries; `on_post_page`
hooks run on the same HTML as before), and MkDocs writes the file as usual.
"""

from __future__ import annotations

from typing import Any

from jinja2 import ChoiceLoader, DictLoader, Environment
from markupsafe import Markup
from mkdocs.structure.files import File
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

from papernotes.serve.fingerprints import fingerprint
from papernotes.serve.stores import CompiledTemplates, PageStore

REUSE_TEMPLATE = "papernotes/reused-page.html"


class ThemePass:
    """Each page's theme output by its fingerprint, in the cache's `pages` store."""

    def __init__(self, pages: PageStore) -> None:
        self.pages = pages
        self.bytecode = CompiledTemplates()  # the theme's compiled templates, across builds
        self.reused: set[str] = set()  # src_uri of the pages given the reuse template, this build
        self._outputs: dict[str, str] = {}  # src_uri -> output fingerprint, this build

    def begin(self) -> None:
        self._outputs, self.reused = {}, set()

    def nav_fingerprint(self, env: Environment, nav: Navigation) -> str:
        """on_env, first: the theme's templates compiled once per process; what every page reads of the nav."""
        env.bytecode_cache = self.bytecode
        return fingerprint(_nav(nav.items), [p.url for p in nav.pages], nav.homepage.url if nav.homepage is not None else None)

    def plan(self, env: Environment, all_pages: list[File], nav_fp: str) -> dict[int, str]:
        """on_env: pages whose output is unchanged get the reuse template. Returns, by `id(page)`,
        the fingerprint of what the search index reads of each page (search_entries.py)."""
        pages = [f.page for f in all_pages if f.page is not None and f.inclusion.is_included()]
        contents: dict[int, str] = {}
        for page in pages:
            # what the search index reads of a page, then what the theme reads too
            content_fp = contents[id(page)] = fingerprint(page.url, page.title, page.meta, _toc(page.toc), page.content,
                                                          default=repr)
            fp = fingerprint(nav_fp, content_fp, page.file.src_uri, page.file.dest_uri, page.update_date,
                             page.edit_url, page.canonical_url)
            self._outputs[page.file.src_uri] = fp
            if self.pages.has(page.file.src_uri, fp) and "template" not in page.meta:
                page.meta["template"] = REUSE_TEMPLATE
                self.reused.add(page.file.src_uri)
        return contents

    def install(self, env: Environment) -> None:
        """on_env, last: the reuse template, which prints a page's HTML as the theme made it last build."""
        env.loader = ChoiceLoader([DictLoader({REUSE_TEMPLATE: "{{ papernotes_reused(page) }}"}), env.loader])  # type: ignore[list-item]  # MkDocs' theme environment always has a loader
        env.globals["papernotes_reused"] = self._reused_html

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
