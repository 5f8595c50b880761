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

from papernotes.index.library import Library
from papernotes.index.names import name_key, topic_key
from papernotes.notes.model import Entry
from papernotes.render.views import Renderer


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
