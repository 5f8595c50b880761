"""The Must-read page: every entry marked with a priority (★ to ★★★), grouped by note."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from papernotes.notes.model import Entry
from papernotes.outputs.registry import PAGE, BuildContext, Output, declare, template_page

TITLE = "Must-read"


def context(build: BuildContext) -> tuple[str, dict[str, Any]]:
    """The page's template and everything it reads."""
    renderer, library = build.renderer, build.library
    by_note: dict[str, list[Entry]] = {}
    for entry in library.priority_entries():
        by_note.setdefault(entry.path, []).append(entry)
    groups = [{"title": renderer.titles[path], "url": library.page_urls.get(path, ""), "views": renderer.views(entries)}
              for path, entries in sorted(by_note.items())]
    total = sum(len(g["views"]) for g in groups)
    return "must_read.html", {"groups": groups, "total": total, "base": build.url(build.paths.must_read)}


@declare
def must_read(build: BuildContext) -> Iterable[Output]:
    yield template_page(build, build.paths.must_read, PAGE, TITLE, partial(context, build),
                        digest=partial(build.page_digest, "must-read", build.library.priority_entries()))
