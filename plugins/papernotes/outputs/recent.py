"""The "Recently added" page: every entry by the date it was added (history.py), newest first,
grouped by month, in the one row format. Pure: the library and renderer in, a page out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from papernotes.index.library import Library
from papernotes.notes.model import Entry
from papernotes.outputs.registry import PAGE, BuildContext, Output, declare, whole_library_page
from papernotes.render.page_shell import GeneratedPage
from papernotes.render.views import EntryView, Renderer

TITLE = "Recently added"


@dataclass(frozen=True, slots=True)
class Month:
    id: str  # "2024-09", the heading's anchor
    title: str  # "September 2024"
    views: list[EntryView]


def newest_first(library: Library) -> list[tuple[Entry, datetime]]:
    """Dated entries, newest first; entries added together keep the site's row order."""
    dated = [(e, d) for e in library.entries if (d := library.added(e)) is not None]
    dated.sort(key=lambda pair: library.sort_key(pair[0]))
    dated.sort(key=lambda pair: pair[1], reverse=True)  # stable: ties stay in row order
    return dated


def months(library: Library, renderer: Renderer) -> list[Month]:
    groups: dict[str, Month] = {}
    for entry, date in newest_first(library):
        key = f"{date:%Y-%m}"
        if key not in groups:
            groups[key] = Month(key, f"{date:%B %Y}", [])
        groups[key].views.append(renderer.view(entry))
    return list(groups.values())


def page(library: Library, renderer: Renderer, url: str, feed_url: str | None) -> GeneratedPage:
    """The page at site-relative `url`; `feed_url` (site-relative) is linked when feeds are made."""
    return GeneratedPage(TITLE, partial(_body, library, renderer, url, feed_url))


def _body(library: Library, renderer: Renderer, url: str, feed_url: str | None) -> str:
    groups = months(library, renderer)
    return renderer.templates.body("recent.html", months=groups, total=sum(len(m.views) for m in groups),
                         undated=len(library.entries) - sum(len(m.views) for m in groups), feed_url=feed_url, base=url)


@declare
def recently_added(build: BuildContext) -> Iterable[Output]:
    src = build.paths.recent
    if src:
        yield whole_library_page(build, src, PAGE, page(build.library, build.renderer, build.url(src), build.feed_url))
