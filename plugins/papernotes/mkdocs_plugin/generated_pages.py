"""Generated pages in MkDocs' page loop, costing no more than the smallest hand-written page.

A generated page's `File` holds front matter only (`render.page_markdown`); its heading and
body are HTML added after Markdown (`page_content`). Four costs that help no reader are skipped:

* the Markdown pass: a page with no Markdown gets what Python-Markdown makes of an empty
  text (no HTML, no TOC) without building a Markdown instance;
* search: Material's search plugin leaves a page with `search: exclude` unparsed, and the
  plugin indexes the title alone, as Material would index a page holding only its title,
  so searching an author's or tag's name still finds its page (with MkDocs' own search
  plugin, which ignores `search: exclude`, the page is parsed as before);
* mkdocs-glightbox leaves a page with `glightbox: false` alone (there are no images);
* reading the front matter: when the page's source is the one the plugin wrote, its meta is
  the dict that YAML would have made of it (`render.page_meta`), made without YAML.

tests/build/test_lean.py and tests/serve/test_internals.py pin what this relies on in MkDocs 1.6 and Material 9.
"""

from __future__ import annotations

import html
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.meta import get_data

from papernotes.outputs import registry as outputs
from papernotes.render.page_shell import heading_id, page_heading
from papernotes.serve.incremental import Incremental

MATERIAL_SEARCH = "material.plugins.search.plugin"


def make_lean(page: Page, output: outputs.Output, config: MkDocsConfig) -> None:
    """on_pre_page: the page's front matter is read without YAML and its Markdown pass is skipped."""
    search_title_only = title_only_search(config)
    known_source(page, output.markdown(search_title_only=search_title_only), output.meta(search_title_only=search_title_only))
    skip_markdown(page, output.title)


def page_content(content: str, output: outputs.Output, incremental: Incremental) -> str | None:
    """on_page_content: the page's heading and body (raw HTML, made only now, through the rebuild
    cache under serve); None for a page the registry gives no body."""
    if output.render is None or output.inputs is None:
        return None
    body = incremental.body(output.src, output.inputs, output.render, outputs.project, output.digest)
    return f"{content}{page_heading(output.title)}\n{body}"


def add_search_entry(page: Page, config: MkDocsConfig) -> None:
    """on_page_context, after Material's search: a page it left unparsed (`search: exclude`) is found by its title."""
    search = material_search(config)
    if search is not None and (page.meta.get("search") or {}).get("exclude"):
        index_title(search, page)


def skip_markdown(page: Page, title: str) -> None:
    """The page's Markdown pass gives what its heading alone gives (a TOC of its `<h1>`, which the
    theme's "Skip to content" link points to), without running Markdown."""

    def render(config: MkDocsConfig, files: Files) -> None:
        if (page.markdown or "").strip():  # someone put Markdown in: render it for real
            Page.render(page, config, files)
            return
        anchor = heading_id(title)
        page.content, page._title_from_render = "", None
        page.toc = get_toc([{"level": 1, "id": anchor, "name": html.escape(title), "children": []}])
        page.present_anchor_ids, page.links_to_anchors = {anchor}, {}

    page.render = render  # type: ignore[method-assign]  # MkDocs calls page.render: replacing it per page is the hook (tests pin it)


def known_source(page: Page, source: str, meta: dict[str, Any] | None) -> None:
    """The page's `read_source` gives `meta` and no Markdown when its source is `source`
    (what `Page.read_source` gets from MkDocs' YAML front matter reading of it)."""

    def read_source(config: MkDocsConfig) -> None:
        text = config.plugins.on_page_read_source(page=page, config=config)
        if text is None:
            text = page.file.content_string
        if meta is not None and text == source:
            page.markdown, page.meta = "", meta
        else:
            page.markdown, page.meta = get_data(text)

    page.read_source = read_source  # type: ignore[method-assign]  # likewise MkDocs' page.read_source


def title_only_search(config: MkDocsConfig) -> bool:
    """Whether generated pages are searched by their title alone (Material's search is on), not parsed."""
    return material_search(config) is not None


def material_search(config: MkDocsConfig) -> Any | None:
    """Material's search plugin, if it is on and keeps its entries where we expect them."""
    for plugin in config.plugins.values():
        if (type(plugin).__module__ == MATERIAL_SEARCH and plugin.config.get("enabled", True)
                and isinstance(getattr(getattr(plugin, "search_index", None), "entries", None), list)):
            return plugin
    return None


def index_title(search: Any, page: Page) -> None:
    """The search entry of a page holding only its title (see `SearchIndex.create_entry_for_section`)."""
    search.search_index.entries.append({"location": page.url, "title": str(page.meta.get("title", page.title)),
                                        "text": ""})
