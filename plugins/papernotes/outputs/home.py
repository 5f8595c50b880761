"""The home page (`index.md`) of notes that have none: the library at a glance.

A repository's existing notes used as `docs_dir` often have no `index.md`, and MkDocs then
makes no page at the site's root. This one says how many papers, must-reads, authors, notes
and tags there are, shows the most important marked papers and the newest additions (when
the notes' history dates them) in the one row format, and links every generated listing.
A user's own `index.md`, or a `README.md` at the top of docs/ (which MkDocs makes the home),
always wins: the plugin then adds nothing at the root (mkdocs_plugin/generation.py).

Its input is the whole library (`whole_library_page`), the fingerprint the explorer, stats and
"Recently added" share: any change to any note makes it again under `mkdocs serve`.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from functools import partial

from papernotes.index.library import Library
from papernotes.notes.model import Entry
from papernotes.outputs.paths import HOME
from papernotes.outputs.registry import PAGE, BuildContext, Output, declare, whole_library_page
from papernotes.render.page_shell import GeneratedPage

TITLE = "Home"
MUST_READ_SHOWN = 10  # the most important marked papers; the Must-read page has them all
RECENT_SHOWN = 5  # the newest additions; the "Recently added" page has them all


def newest(library: Library, count: int) -> list[Entry]:
    """The `count` newest dated entries, in the "Recently added" page's order (newest first,
    entries added together in row order), without sorting every dated entry."""
    dated = [(e, d) for e in library.entries if (d := library.added(e)) is not None]
    return [e for e, _ in heapq.nsmallest(count, dated, key=lambda pair: (-pair[1].timestamp(), library.sort_key(pair[0])))]


def page(build: BuildContext) -> GeneratedPage:
    return GeneratedPage(TITLE, partial(_body, build))


def _body(build: BuildContext) -> str:
    library, renderer, paths = build.library, build.renderer, build.paths
    marked = library.priority_entries()
    return renderer.templates.body(
        "home.html", base=build.url(HOME), papers=len(library.entries), marked=len(marked),
        authors=len(library.authors), tags=len(library.tags),
        notes=sum(1 for doc in library.documents.values() if doc.entries),
        must_read=renderer.views(marked[:MUST_READ_SHOWN], ordered=True),
        recent=renderer.views(newest(library, RECENT_SHOWN), ordered=True),
        explorer_url=build.url(paths.explorer), must_read_url=build.url(paths.must_read),
        recent_url=build.url(paths.recent) if paths.recent else None, tags_url=build.url(paths.tags_index),
        authors_url=build.url(paths.authors_index), stats_url=build.url(paths.stats), feed_url=build.feed_url)


@declare
def home(build: BuildContext) -> Iterable[Output]:
    yield whole_library_page(build, HOME, PAGE, page(build))
