"""The tag pages: the index of every tag by kind (`tags/`), and a page per tag (`tags/<slug>/`).

A venue's page groups its entries by year and names on each row what the entry's tag adds to
the venue (`Oral`); a year's page leaves the year off its rows. A venue or topic tag's page
links its Atom feed when the site has feeds.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import partial
from typing import Any

from papernotes.index.tags import TAG_KIND_TITLES, Tag
from papernotes.notes.model import Entry
from papernotes.outputs.feeds import tag_feed_path
from papernotes.outputs.registry import HIDDEN, PAGE, BuildContext, Output, declare, project, template_page
from papernotes.render.views import EntryView, Renderer

TITLE = "Tags"


def tag_title(tag: Tag) -> str:
    """A tag page's title: the tag as written, a topic with its `#`."""
    return tag.name if tag.kind != "topic" else f"#{tag.name}"


def feed_url(build: BuildContext, tag: Tag) -> str | None:
    """The tag's Atom feed (site-relative), when one is made."""
    path = tag_feed_path(build.paths.tags_dir, tag)
    return path if path in build.feeds else None


def index_context(build: BuildContext) -> tuple[str, dict[str, Any]]:
    """The index's template and everything it reads."""
    groups = [{"kind": kind, "title": TAG_KIND_TITLES[kind], "tags": tags} for kind, tags in build.library.tags_by_kind().items()]
    return "tags_index.html", {"groups": groups, "base": build.url(build.paths.tags_index), "explorer_url": build.url(build.paths.explorer)}


def tag_context(build: BuildContext, tag: Tag) -> tuple[str, dict[str, Any]]:
    """A tag page's template and everything it reads."""
    renderer = build.renderer
    groups = [(year, [_at_venue(renderer, tag, e) for e in entries]) for year, entries in tag.by_year()] if tag.kind == "venue" else []
    # A venue page's year groups say the venue and the year; a year's page says the year.
    return "tag_page.html", {"tag": tag, "show_venue": tag.kind != "venue", "show_year": tag.kind not in ("venue", "year"),
                             "kind_title": TAG_KIND_TITLES[tag.kind].lower(), "groups": groups,
                             "views": renderer.views(tag.entries, ordered=True), "base": tag.url,
                             "index_url": build.url(build.paths.tags_index), "feed_url": feed_url(build, tag),
                             "explorer_url": build.url(build.paths.explorer)}


def _at_venue(renderer: Renderer, tag: Tag, entry: Entry) -> EntryView:
    """The entry's row on a venue's page: this venue's year and the entry's qualifier for it."""
    view, year, qualifier = renderer.view(entry), tag.year_of(entry), tag.qualifier_of(entry)
    venue_year = " ".join(str(x) for x in (tag.name, year) if x)
    return view if (venue_year, qualifier) == (view.venue_year, view.qualifier) else \
        replace(view, venue_year=venue_year, qualifier=qualifier)


def _index_digest(build: BuildContext, context: Callable[[], tuple[str, dict[str, Any]]]) -> str:
    _, values = context()
    return build.page_digest(([(g["kind"], g["title"], [project(t) for t in g["tags"]]) for g in values["groups"]],
                              values["base"], values["explorer_url"]))


@declare
def tags(build: BuildContext) -> Iterable[Output]:
    paths = build.paths
    index = functools.cache(partial(index_context, build))  # read for the digest, then for the page when it changed
    yield template_page(build, paths.tags_index, PAGE, TITLE, index, digest=partial(_index_digest, build, index))
    for tag in build.library.tags.values():
        title = tag_title(tag)
        own = (project(tag), title, feed_url(build, tag))
        src = paths.tag_page(tag.slug)
        changed = build.changes is None or build.changes.tag_changed(tag)
        yield template_page(build, src, HIDDEN, title, partial(tag_context, build, tag),
                            digest=partial(build.subject_digest, src, own, tag.entries, changed=changed))
