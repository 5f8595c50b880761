"""The stats page (`stats/`): the library at a glance, as bar charts with their numbers in tables.

Charts are inline SVG written here by hand, not made by a charting library. pygal, the
well-kept Python option, embeds its own stylesheet with fixed colours (theming it to
Material's light and dark palettes means overriding its CSS) and, for its tooltips, a
script from a CDN unless told otherwise; a horizontal bar chart is a `<rect>` and two
`<text>` per bar, so hand-written SVG is smaller, needs no dependency, and takes its
colours from Material's CSS variables (`--md-primary-fg-color`, `--md-default-fg-color`),
so the same markup follows both palettes. Every label is escaped (`markupsafe.escape`),
each chart has a `<title>`, each bar is a link to the explorer filtered to it, and every
number is also in an HTML table below its chart.

Pure functions of the `Library`; `Library.added` gives the dates for the per-month chart.
"""

from __future__ import annotations

import functools
import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup, escape

from papernotes.index.library import Library
from papernotes.index.tags import Tag
from papernotes.outputs.paths import EXPLORER_STYLE_URI
from papernotes.outputs.registry import PAGE, BuildContext, Output, declare
from papernotes.render.views import Renderer

TITLE = "Stats"
TOP = 15  # bars of the venue, author and organisation charts; the rest of the venues are "other"
WIDTH, LABEL_WIDTH, BAR_HEIGHT, ROW_HEIGHT = 400, 130, 16, 22
BAR_WIDTH = WIDTH - LABEL_WIDTH - 50  # room for the count after the longest bar
LABEL_CHARS = 20  # longer labels are cut with "…" in the chart (the full text is in the bar's title and the table)


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    count: int
    query: dict[str, str]  # the explorer query the bar links to ({}: every paper)


@dataclass(frozen=True, slots=True)
class Chart:
    id: str
    title: str
    column: str  # heading of the table's first column
    bars: tuple[Bar, ...]
    empty: str  # said instead of the chart when it has no bars
    note: str = ""


def per_year(library: Library) -> Chart:
    years = Counter(e.year for e in library.entries)
    bars = [Bar(str(y), n, {"year": str(y)}) for y, n in sorted((y, n) for y, n in years.items() if y is not None)]
    if years.get(None):
        bars.append(Bar("no year", years[None], {"year": "none"}))
    return Chart("per-year", "Papers per year", "Year", tuple(bars), "No papers yet.")


def top_venues(library: Library) -> tuple[list[Tag], list[Tag]]:
    """The `TOP` venue tags with most papers, and the rest: the venue chart's bars and its "other".

    The explorer's `venue=other` is this same "other" (explorer.py's `topVenues`): the papers
    with a venue, none of them among the top.
    """
    ranked = sorted((t for t in library.tags.values() if t.kind == "venue"), key=lambda t: (-len(t.entries), t.name.casefold(), t.slug))
    return ranked[:TOP], ranked[TOP:]


def per_venue(library: Library) -> Chart:
    top, rest = top_venues(library)
    bars = [Bar(t.name, len(t.entries), {"tag": t.slug}) for t in top]
    in_top = {id(e) for t in top for e in t.entries}
    with_venue = in_top.union(id(e) for t in rest for e in t.entries)
    other = len(with_venue - in_top)
    if other:
        bars.append(Bar("other", other, {"venue": "other"}))
    none = sum(1 for e in library.entries if id(e) not in with_venue)
    if none:
        bars.append(Bar("no venue", none, {"venue": "none"}))
    note = f"The {TOP} venues with most papers; “other” counts papers at the remaining {len(rest)}." if rest else ""
    return Chart("per-venue", "Papers per venue", "Venue", tuple(bars), "No papers yet.", note)


def per_priority(library: Library) -> Chart:
    """Cumulative, as the explorer's priority filter is a minimum: each bar is the list its link opens."""
    exact = Counter(e.priority for e in library.entries)
    labels = {3: "★★★ must-read", 2: "★★ or more", 1: "★ or more", 0: "all papers"}
    bars = [Bar(labels[p], sum(exact[q] for q in range(p, 4)), {"priority": str(p)} if p else {}) for p in (3, 2, 1, 0)]
    return Chart("per-priority", "Papers by priority", "Priority", tuple(bars) if library.entries else (), "No papers yet.",
                 "Each bar counts the papers marked at least that much (★★★ must-read, ★★ important, ★ notable).")


def top_authors(library: Library) -> Chart:
    # The TOP most frequent of 20,000 authors: no sort of them all, no folded name kept on each.
    authors = heapq.nsmallest(TOP, library.authors.values(), key=lambda a: (-len(a.entries), a.name.casefold(), a.slug))
    bars = [Bar(a.name, len(a.entries), {"author": a.slug}) for a in authors]
    return Chart("authors", "Most frequent authors", "Author", tuple(bars), "No authors yet.")


def top_organisations(library: Library) -> Chart:
    orgs = sorted((t for t in library.tags.values() if t.kind == "org"), key=lambda t: (-len(t.entries), t.name.casefold(), t.slug))[:TOP]
    bars = [Bar(t.name, len(t.entries), {"tag": t.slug}) for t in orgs]
    return Chart("organisations", "Most frequent organisations and other tags", "Tag", tuple(bars), "No organisation tags yet.")


def per_month(library: Library) -> Chart:
    months = Counter(d.strftime("%Y-%m") for d in (library.added(e) for e in library.entries) if d is not None)
    bars: list[Bar] = []
    if months:
        first, last = min(months), max(months)
        year, month = int(first[:4]), int(first[5:])
        while f"{year:04d}-{month:02d}" <= last:  # every month in the span, empty ones too
            key = f"{year:04d}-{month:02d}"
            bars.append(Bar(key, months[key], {"added": key, "sort": "added"}))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    undated = len(library.entries) - sum(months.values())
    note = f"{undated} paper{'s' if undated != 1 else ''} without a date are not counted." if months and undated else ""
    return Chart("per-month", "Papers added per month", "Month", tuple(bars),
                 "No dates: the notes' history (git) gives no date an entry was added.", note)


def charts(library: Library) -> list[Chart]:
    return [per_year(library), per_venue(library), per_priority(library), top_authors(library),
            top_organisations(library), per_month(library)]


def href(explorer: str, query: dict[str, str]) -> str:
    """The link of a bar: the explorer (relative to the stats page) with the bar's filter."""
    return explorer + ("?" + urlencode(query) if query else "")


def _cut(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def svg(chart: Chart, explorer: str) -> Markup:
    """A horizontal bar chart; colours are CSS classes (explore.css), every label escaped."""
    top = max((b.count for b in chart.bars), default=0) or 1
    height = len(chart.bars) * ROW_HEIGHT + 8
    title_id = f"chart-{chart.id}-title"
    parts = [f'<svg class="pn-chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
             f'aria-labelledby="{title_id}" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{title_id}">{escape(chart.title)}</title>']
    for i, bar in enumerate(chart.bars):
        y = 4 + i * ROW_HEIGHT
        width = round(bar.count / top * BAR_WIDTH, 1) if bar.count else 0
        middle = y + BAR_HEIGHT / 2
        shapes = (f'<text class="pn-chart__label" x="{LABEL_WIDTH - 6}" y="{middle}">{escape(_cut(bar.label))} </text>'
                  f'<rect class="pn-chart__bar" x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" rx="2"/>'
                  f'<text class="pn-chart__value" x="{LABEL_WIDTH + width + 5}" y="{middle}">{bar.count}</text>')
        # The accessible name starts with the text the bar shows (label, count), as WCAG 2.5.3 asks;
        # the space after the label (SVG does not render it) keeps the two apart in the element's text.
        cut = _cut(bar.label)
        label = f"{cut} {bar.count} paper{'s' if bar.count != 1 else ''}{f' ({bar.label})' if cut != bar.label else ''}, open in the explorer"
        parts.append(f'<a class="pn-chart__row" href="{escape(href(explorer, bar.query))}" aria-label="{escape(label)}">{shapes}</a>')
    parts.append("</svg>")
    return Markup("".join(parts))


def values(library: Library, stats_url: str, explorer_url: str, style_url: str) -> dict[str, Any]:
    """Everything the page shows, made plain (its charts, counts, links): the page's inputs. A
    bullet added under an entry changes none of it, so under `mkdocs serve` the page stays as it was."""
    return {"charts": charts(library), "entries": len(library.entries),
            "notes": sum(1 for d in library.documents.values() if d.entries), "authors": len(library.authors),
            "tags": len(library.tags), "base": stats_url, "style_url": style_url, "explorer_url": explorer_url}


def body(renderer: Renderer, shown: dict[str, Any]) -> str:
    """The page's body, from its `values`."""
    explorer = renderer.templates.rel(shown["explorer_url"], shown["base"])
    drawn = [{"chart": c, "svg": svg(c, explorer) if c.bars else None,
              "rows": [(b, href(explorer, b.query)) for b in c.bars]} for c in shown["charts"]]
    return renderer.templates.body("stats.html", **{**shown, "charts": drawn})


@declare
def stats_page(build: BuildContext) -> Iterable[Output]:
    paths = build.paths
    shown = functools.cache(partial(values, build.library, build.url(paths.stats), build.url(paths.explorer), EXPLORER_STYLE_URI))
    yield Output(paths.stats, PAGE, title=TITLE, inputs=shown, render=lambda: body(build.renderer, shown()))
