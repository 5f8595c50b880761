"""Atom feeds of the newest additions: `feed.xml` for the site, `tags/<slug>/feed.xml` per venue and topic.

Made with feedgen (pinned in requirements.txt): well kept, writes valid Atom with lxml, and
escapes every value. Each entry is a paper added to the notes (history.py dates it): its
title, an absolute link to its anchor on its note page, `published` = date added, its
authors, its tags as categories, and its first bullets as a plain-text summary. Feeds need
absolute links, so they are made only when `site_url` is set. Pure module: no MkDocs import.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator

from .grammar import plain_text
from .library import Library, Tag
from .model import Entry
from .recent import newest_first

FEED = "feed.xml"
SUMMARY_BULLETS = 3
FEED_TAG_KINDS = ("venue", "topic")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # `updated` of a feed with no entry (a tag none of whose papers is dated)
_BULLET = re.compile(r"^[-*+]\s+(.*)$")
_EMPHASIS = re.compile(r"(\*\*|__|~~|(?<![\w*])\*|(?<!\w)_)(?=\S)(.+?)(?<=\S)\1(?![\w*])")


@dataclass(frozen=True, slots=True)
class Site:
    """What feeds need of the site: its address (ends with `/`) and name."""

    url: str
    name: str


def tag_feed_path(tags_dir: str, tag: Tag) -> str:
    return f"{tags_dir}/{tag.slug}/{FEED}"


def summary(entry: Entry, lines: list[str]) -> str:
    """The entry's first top-level bullets as plain text, one per line (figures and empty bullets skipped)."""
    found: list[str] = []
    for text in lines[entry.header_end_line : entry.end_line]:
        m = _BULLET.match(text)
        if m:
            bullet = _EMPHASIS.sub(r"\2", plain_text(m.group(1))).lstrip("!").strip()
            if any(c.isalnum() for c in bullet):
                found.append(bullet)
        if len(found) == SUMMARY_BULLETS:
            break
    return "\n".join(found)


def atom(library: Library, lines: Mapping[str, list[str]], site: Site, dated: list[tuple[Entry, datetime]], *,
         path: str, title: str, page_url: str) -> str:
    """The Atom feed at site-relative `path` of `dated` (entries and dates added, newest first)."""
    fg = FeedGenerator()
    fg.id(site.url + path)
    fg.title(title)
    fg.link(href=site.url + page_url, rel="alternate", type="text/html")
    fg.link(href=site.url + path, rel="self", type="application/atom+xml")
    fg.updated(max((d for _, d in dated), default=_EPOCH))  # the newest addition: two builds of one commit agree
    for entry, added in dated:
        url = site.url + library.entry_url(entry)
        item = fg.add_entry(order="append")
        item.id(url)
        item.title(plain_text(entry.title) or "(untitled)")
        item.link(href=url, rel="alternate", type="text/html")
        item.published(added)
        item.updated(added)
        for name in entry.authors:
            item.author({"name": name})
        for text, tag, _ in library.entry_tags(entry):
            item.category(term=tag.slug, label=tag.name if tag.kind != "topic" else text)
        text = summary(entry, lines.get(entry.path, []))
        if text:
            item.summary(text, type="text")
    return fg.atom_str(pretty=True).decode("utf-8")


def feeds(library: Library, lines: Mapping[str, list[str]], site: Site, *, tags_dir: str,
          limit: int = 50) -> dict[str, str]:
    """Site-relative path -> Atom text: the site's feed, and one per venue and topic tag.

    None of them when no entry is dated (not built from a git repository: history.py says so).
    """
    dated = newest_first(library)
    if not dated:
        return {}
    rank = {id(e): i for i, (e, _) in enumerate(dated)}
    out = {FEED: atom(library, lines, site, dated[:limit], path=FEED, title=site.name, page_url="")}
    for tag in library.tags.values():
        if tag.kind in FEED_TAG_KINDS:
            path = tag_feed_path(tags_dir, tag)
            name = tag.name if tag.kind != "topic" else f"#{tag.name}"
            mine = sorted(rank[id(e)] for e in tag.entries if id(e) in rank)[:limit]
            out[path] = atom(library, lines, site, [dated[i] for i in mine], path=path,
                             title=f"{site.name}: {name}", page_url=tag.url)
    return out


def head_link(href: str, title: str) -> str:
    """An autodiscovery `<link>` for a page's `<head>`."""
    return f'<link rel="alternate" type="application/atom+xml" title="{html.escape(title)}" href="{html.escape(href)}">'
