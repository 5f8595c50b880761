"""Atom feeds of the newest additions: `feed.xml` for the site, `tags/<slug>/feed.xml` per venue and topic.

Made with feedgen (pinned in requirements.txt): well kept, writes valid Atom with lxml, and
escapes every value. Each entry is a paper added to the notes (history.py dates it): its
title, an absolute link to its anchor on its note page, `published` = date added, its
authors, its tags as categories, and its first bullets as a plain-text summary. Feeds need
absolute links, so they are made only when `site_url` is set; then always, empty while no
entry is dated, so that whether `feed.xml` exists follows from mkdocs.yml alone, as
`papernotes check` reads it (`outputs/paths.py`). Pure module: no MkDocs import.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from feedgen.feed import FeedGenerator

from papernotes.index.library import Library
from papernotes.index.tags import Tag
from papernotes.notes.grammar import plain_text
from papernotes.notes.model import Entry
from papernotes.outputs.paths import FEED
from papernotes.outputs.recent import newest_first
from papernotes.outputs.registry import FILE, BuildContext, Output, declare
from papernotes.serve.stores import Fragments

SUMMARY_BULLETS = 3
FEED_TAG_KINDS = ("venue", "topic")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # `updated` of a feed with no entry (a tag none of whose papers is dated)
_BULLET = re.compile(r"^[-*+]\s+(.*)$")
_EMPHASIS = re.compile(r"(\*\*|__|~~|(?<![\w*])\*|(?<!\w)_)(?=\S)(.+?)(?<=\S)\1(?![\w*])")


@dataclass(frozen=True, slots=True)
class SiteIdentity:
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


@dataclass(frozen=True, slots=True)
class Item:
    """What a feed shows of one entry (by value: a feed is kept across rebuilds by its items)."""

    url: str  # absolute
    title: str
    added: datetime
    authors: tuple[str, ...]
    categories: tuple[tuple[str, str], ...]  # (term, label)
    summary: str


def item(library: Library, lines: Mapping[str, list[str]], site: SiteIdentity, entry: Entry, added: datetime) -> Item:
    return Item(site.url + library.entry_url(entry), plain_text(entry.title) or "(untitled)", added, tuple(entry.authors),
                tuple((tag.slug, tag.name if tag.kind != "topic" else text) for text, tag, _ in library.entry_tags(entry)),
                summary(entry, lines.get(entry.path, [])))


def atom(library: Library, lines: Mapping[str, list[str]], site: SiteIdentity, dated: list[tuple[Entry, datetime]], *,
         path: str, title: str, page_url: str, fragments: Fragments | None = None) -> str:
    """The Atom feed at site-relative `path` of `dated` (entries and dates added, newest first).

    `fragments`: feeds kept from the build before, by everything they show (`cache.Fragments`)."""
    items = tuple(item(library, lines, site, entry, added) for entry, added in dated)
    key = ("atom", site, path, title, page_url, items)
    return (fragments if fragments is not None else Fragments()).get(key, partial(_atom, site, items, path=path, title=title, page_url=page_url))


def _atom(site: SiteIdentity, items: tuple[Item, ...], *, path: str, title: str, page_url: str) -> str:
    fg = FeedGenerator()
    fg.id(site.url + path)
    fg.title(title)
    fg.link(href=site.url + page_url, rel="alternate", type="text/html")
    fg.link(href=site.url + path, rel="self", type="application/atom+xml")
    fg.updated(max((i.added for i in items), default=_EPOCH))  # the newest addition: two builds of one commit agree
    for i in items:
        entry = fg.add_entry(order="append")
        entry.id(i.url)
        entry.title(i.title)
        entry.link(href=i.url, rel="alternate", type="text/html")
        entry.published(i.added)
        entry.updated(i.added)
        for name in i.authors:
            entry.author({"name": name})
        for term, label in i.categories:
            entry.category(term=term, label=label)
        if i.summary:
            entry.summary(i.summary, type="text")
    atom: bytes = fg.atom_str(pretty=True)
    return atom.decode("utf-8")


def feeds(library: Library, lines: Mapping[str, list[str]], site: SiteIdentity, *, tags_dir: str,
          limit: int = 50, fragments: Fragments | None = None) -> dict[str, str]:
    """Site-relative path -> Atom text: the site's feed, and one per venue and topic tag.

    Empty feeds when no entry is dated (not built from a git repository, or `dates: false`:
    history.py says so). `fragments`: feeds kept from the build before (`cache.Fragments`); a
    feed none of whose items changed is not written again.
    """
    dated = newest_first(library)
    rank = {id(e): i for i, (e, _) in enumerate(dated)}
    out = {FEED: atom(library, lines, site, dated[:limit], path=FEED, title=site.name, page_url="", fragments=fragments)}
    for tag in library.tags.values():
        if tag.kind in FEED_TAG_KINDS:
            path = tag_feed_path(tags_dir, tag)
            name = tag.name if tag.kind != "topic" else f"#{tag.name}"
            mine = sorted(rank[id(e)] for e in tag.entries if id(e) in rank)[:limit]
            out[path] = atom(library, lines, site, [dated[i] for i in mine], path=path,
                             title=f"{site.name}: {name}", page_url=tag.url, fragments=fragments)
    return out


def head_link(href: str, title: str) -> str:
    """An autodiscovery `<link>` for a page's `<head>`."""
    return f'<link rel="alternate" type="application/atom+xml" title="{html.escape(title)}" href="{html.escape(href)}">'


@declare
def atom_feeds(build: BuildContext) -> Iterable[Output]:
    """feed.xml and the per-tag feeds; the plugin makes them (`feeds`: they need the site's address)."""
    for path, text in build.feeds.items():
        yield Output(path, FILE, inputs=partial(str, text), render=partial(str, text))
