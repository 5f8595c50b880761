"""Queries of the library for pages that opt in to mkdocs-macros.

    {{ papers(tag="CVPR", priority=3) }}   {{ papers(author="Yin Cui") }}
    {{ paper_count }} papers by {{ author_count }} authors

Macros render only on pages whose front matter says `render_macros: true`
(mkdocs.yml sets the macros plugin's `render_by_default: false`), so a note
containing `{{` or `{%` (LaTeX, code) is never altered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger

from papernotes.index.library import Library
from papernotes.index.names import name_key, topic_key
from papernotes.notes.model import Entry
from papernotes.render.views import Renderer

log = get_plugin_logger(__name__)


def select(library: Library, *, tag: str | None = None, author: str | None = None, priority: int | None = None,
           year: int | None = None, note: str | None = None) -> list[Entry]:
    """Entries matching every given filter (tag: any kind, case-insensitive; priority: at least)."""
    entries = library.entries
    if tag is not None:
        wanted = {name_key(library.aliases.tag(tag.lstrip("#"))), topic_key(library.aliases.tag(tag.lstrip("#")))}
        keep = {id(e) for t in library.tags.values() if t.key in wanted or name_key(t.name) in wanted for e in t.entries}
        entries = [e for e in entries if id(e) in keep]
    if author is not None:
        found = library.authors.get(name_key(library.aliases.author(author)))
        keep = {id(e) for e in found.entries} if found else set()
        entries = [e for e in entries if id(e) in keep]
    if priority is not None:
        entries = [e for e in entries if e.priority >= int(priority)]
    if year is not None:
        entries = [e for e in entries if e.year == int(year)]
    if note is not None:
        entries = [e for e in entries if e.path == note]
    return entries


VARIABLES = ("paper_count", "author_count", "tag_count", "must_read_count", "note_count")


def variables(library: Library) -> dict[str, int]:
    return {
        "paper_count": len(library.entries),
        "author_count": len(library.authors),
        "tag_count": len(library.tags),
        "must_read_count": sum(1 for e in library.entries if e.priority == 3),
        "note_count": sum(1 for d in library.documents.values() if d.entries),
    }


def make_papers_macro(state: Callable[[], tuple[Library, Renderer] | None],
                      page_url: Callable[[], str]) -> Callable[..., str]:
    """`papers(...)`: the matching entries as the site's one row format (an HTML list)."""

    def papers(*, limit: int | None = None, **filters: Any) -> str:
        current = state()
        if current is None:
            return ""
        library, renderer = current
        views = renderer.views(select(library, **filters))
        if limit is not None:
            views = views[: int(limit)]
        if not views:
            return '<p class="pn-summary">No matching papers.</p>'
        return renderer.templates.html("rows.html", views=views, base=page_url())

    return papers


def register(config: MkDocsConfig, state: Callable[[], tuple[Library, Renderer] | None]) -> Any | None:
    """on_config: offer `papers(...)` and the counts to mkdocs-macros, if it is on (None: it is not).
    `state()` is this build's library and renderer, once on_files has made them."""
    plugin = config.plugins.get("macros")
    if plugin is None or not hasattr(plugin, "register_macros"):
        return None
    if plugin.config.get("render_by_default", True):
        log.warning("mkdocs.yml: set `render_by_default: false` for the macros plugin, so notes containing "
                    "'{{' or '{%%' are never altered; pages opt in with `render_macros: true`")

    def page_url() -> str:
        page = getattr(plugin, "page", None)
        return page.url if page is not None else ""

    plugin.register_macros({"papers": make_papers_macro(state, page_url)})
    plugin.register_variables(dict.fromkeys(VARIABLES, 0))  # real values once the library is built
    return plugin


def publish_variables(plugin: Any | None, library: Library | None) -> None:
    """on_files: the counts of this build's library, for the macros plugin (`register`'s result)."""
    if plugin is not None and library is not None:
        plugin.variables.update(variables(library))


def verbose(config: MkDocsConfig) -> bool:
    """Whether mkdocs-macros is asked to be verbose (`verbose: true`): its INFO chatter is then kept."""
    plugin = config.plugins.get("macros")
    return bool(plugin is not None and getattr(plugin, "config", {}).get("verbose"))
