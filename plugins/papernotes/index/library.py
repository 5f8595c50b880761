"""The library: every parsed note, indexed once per build.

`Library` builds authors, tags, anchors, URLs and the one row order from `Document`s.
Pure functions of the parsed entries (no MkDocs import): the plugin, the CLI and
the tests get the same answer from the same input. What a name, a tag or a URL is
lives beside it (`names`, `tags`, `urls`); this module puts them together.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from papernotes.index.aliases import Aliases
from papernotes.index.authors import Author
from papernotes.index.names import name_key, topic_key
from papernotes.index.tags import TAG_KINDS, Tag, TagKind, TagReader, TagReading
from papernotes.index.urls import src_to_url
from papernotes.notes.grammar import plain_text, set_venues
from papernotes.notes.model import Document, Entry, Venue
from papernotes.notes.slugs import ascii_slug, assign_unique, entry_anchors, page_anchors


def row_sort_key(entry: Entry) -> tuple[int, int, str, str, int]:
    """The one order of every generated list: priority desc, year desc, title, then position."""
    return (-entry.priority, -(entry.year or 0), plain_text(entry.title).casefold(), entry.path, entry.line)


def aligned_entries(before: list[Entry], now: list[Entry]) -> tuple[list[tuple[Entry, Entry]], list[Entry], list[Entry]]:
    """A note's entries now paired with its entries before: (entry now, entry before) pairs, then
    the entries added and removed. Those of the longest run at the start and at the end whose
    titles and authors match pair up, so an entry added, removed or edited anywhere leaves the
    others paired with themselves; with as many entries as before, the middle ones pair by place.
    A pairing is a guess to check, never a claim: its users compare each pair (`index.changes`
    in full, `Library` the authors and order)."""
    start, most = 0, min(len(before), len(now))
    while start < most and _alike(before[start], now[start]):
        start += 1
    end = 0
    while end < most - start and _alike(before[-1 - end], now[-1 - end]):
        end += 1
    pairs = [(now[i], before[i]) for i in range(start)]
    pairs += [(now[len(now) - 1 - i], before[len(before) - 1 - i]) for i in range(end)]
    if len(before) == len(now):  # an edit in place: the middle ones pair too
        pairs += [(now[i], before[i]) for i in range(start, len(now) - end)]
        return pairs, [], []
    return pairs, now[start:len(now) - end], before[start:len(before) - end]


def _alike(before: Entry, now: Entry) -> bool:
    return before.title == now.title and before.authors == now.authors


@dataclass
class LibraryOptions:
    """The plugin options the index needs (the MkDocs config's, so this module needs no MkDocs)."""

    use_directory_urls: bool = True
    authors_dir: str = "authors"
    tags_dir: str = "tags"
    min_papers: int = 1
    section_topics: bool = True


class Library:
    """Every entry of the site, with authors, tags, anchors and URLs. Built once per build.

    One class of about 200 lines because it is one thing, the build's index: every answer
    (an entry's URL, an author's entries, a tag's chips) reads the same per-entry tables
    made once in `__init__`, which split classes would have to hand each other.
    """

    def __init__(self, documents: Iterable[Document], page_urls: Mapping[str, str],
                 options: LibraryOptions | None = None, aliases: Aliases | None = None, *, last: Library | None = None) -> None:
        """`last`: the last build's library (under `mkdocs serve`), from which the authors no changed
        note names are taken (`_index_authors`); the result is the same without it."""
        self.options = options or LibraryOptions()
        self.aliases = aliases or Aliases()
        self.documents = {doc.path: doc for doc in sorted(documents, key=lambda d: d.path)}
        self.page_urls = dict(page_urls)
        self.entries: list[Entry] = [e for doc in self.documents.values() for e in doc.entries]
        self.reader = TagReader((e.tags for e in self.entries), self.aliases)
        for entry in self.entries:  # before the sort keys: the year is the first venue's
            readings = [r for text in entry.tags for r in self.reader.read(text)]
            set_venues(entry, [Venue(r.name, r.year, r.qualifier) for r in readings if r.kind == "venue"],
                       next((r.year for r in readings if r.year is not None), None))
        # Heading line -> GitHub's anchor (every heading), and -> the short anchor of each entry.
        self.page_anchors: dict[str, dict[int, str]] = {path: page_anchors(doc) for path, doc in self.documents.items()}
        self.entry_anchors: dict[str, dict[int, str]] = {path: entry_anchors(doc, self.page_anchors[path])
                                                         for path, doc in self.documents.items()}
        # Per entry, once: asked for on every page and export the entry is in.
        self._sort_keys = {id(e): row_sort_key(e) for e in self.entries}
        self._entry_urls = {id(e): self._url_of(e) for e in self.entries}
        self._ranked_coauthors: dict[str, list[tuple[Author, int]]] = {}
        self._author_keys: dict[int, list[str]] = {}  # id(entry) -> author_keys(entry)
        self.added_dates: dict[int, datetime] = {}  # id(entry) -> date added (from git history; filled by history.py)
        self._slug_layout: tuple[dict[str, str], list[str], dict[str, str]] = ({}, [], {})  # (base slugs, order, slugs) of the authors
        self.authors = self._index_authors(last if last is not None and last.options == self.options
                                           and last.aliases == self.aliases else None)
        self.tags = self._index_tags()
        for entry in self.entries:  # each venue named as its tag page is
            if entry.venues:
                set_venues(entry, [Venue(self._venue_name(v.name), v.year, v.qualifier) for v in entry.venues], entry.year)

    # -- entries ---------------------------------------------------------------------------

    def added(self, entry: Entry) -> datetime | None:
        return self.added_dates.get(id(entry))

    def anchor(self, entry: Entry) -> str:
        """The entry's short anchor (`segment-anything`): permalinks, rows, feeds and exports use it."""
        found = self.entry_anchors.get(entry.path, {}).get(entry.line)
        return found if found is not None else self.github_anchor(entry)

    def github_anchor(self, entry: Entry) -> str:
        """GitHub's anchor of the entry's whole heading (`-cvpr-2023-segment-anything-pdf`), kept working."""
        return self.page_anchors.get(entry.path, {}).get(entry.line, "")

    def owns(self, entry: Entry) -> bool:
        """Whether `entry` is one of the library's own (they live as long as it does, so ids are stable)."""
        return id(entry) in self._sort_keys

    def entry_url(self, entry: Entry) -> str:
        url = self._entry_urls.get(id(entry))
        return url if url is not None else self._url_of(entry)

    def _url_of(self, entry: Entry) -> str:
        page = self.page_urls.get(entry.path)
        return f"{page if page is not None else src_to_url(entry.path, self.options.use_directory_urls)}#{self.anchor(entry)}"

    def sort_key(self, entry: Entry) -> tuple[int, int, str, str, int]:
        """`row_sort_key`, computed once per entry of the library."""
        key = self._sort_keys.get(id(entry))
        return key if key is not None else row_sort_key(entry)

    @functools.cached_property
    def row_order(self) -> list[Entry]:
        """Every entry in the one row order (priority, year, title): sorted once per build."""
        return sorted(self.entries, key=self.sort_key)

    def priority_entries(self) -> list[Entry]:
        return sorted((e for e in self.entries if e.priority > 0), key=self.sort_key)

    def author_keys(self, entry: Entry) -> list[str]:
        """Distinct author identities of an entry, in written order (a repeated name counts once)."""
        keys = self._author_keys.get(id(entry))
        return keys if keys is not None else self._authors_of(entry)[0]

    def _authors_of(self, entry: Entry) -> tuple[list[str], list[tuple[str, str, str]]]:
        """(author_keys, every author as written: (key, name after aliases, name as written))."""
        written = []
        for name in entry.authors:
            canonical = self.aliases.author(name)
            written.append((name_key(canonical), canonical, name))
        keys = list(dict.fromkeys(key for key, _, _ in written if key))
        return keys, written

    def ranked_coauthors(self, author: Author) -> list[tuple[Author, int]]:
        """An author's co-authors, most shared papers first, then by family name (author page and authors.json)."""
        ranked = self._ranked_coauthors.get(author.key)
        if ranked is None:
            ranked = self._ranked_coauthors[author.key] = sorted(
                ((self.authors[k], n) for k, n in author.coauthors.items()),
                key=lambda pair: (-pair[1], pair[0].rank_name))
        return ranked

    def entry_tags(self, entry: Entry) -> list[tuple[str, Tag, str]]:
        """(text shown, tag, fragment) for each chip shown on the entry: one per part of a tag."""
        chips: list[tuple[str, Tag, str]] = []
        for text in entry.tags:
            for reading in self.written_tag(text):
                if reading.key in self.tags:
                    chips.append((reading.text, self.tags[reading.key], reading.fragment))
        for topic in entry.topics:
            key, _ = self._topic(topic)
            if key in self.tags:
                chips.append(("#" + topic, self.tags[key], ""))
        return chips

    # -- indexing --------------------------------------------------------------------------

    def _page(self, folder: str, slug: str) -> str:
        return src_to_url(f"{folder}/{slug}.md", self.options.use_directory_urls)

    def _index_authors(self, last: Library | None = None) -> dict[str, Author]:
        """Every author, in slug order. With `last`, an author named only by entries paired with one
        of `last`'s naming the same authors and sorting the same (`_kept_entries`) is taken from it,
        with this build's entries; only the others are counted again."""
        kept: dict[int, tuple[Entry, Entry]] = {}
        spellings: dict[str, Counter[str]] = defaultdict(Counter)
        written_as: dict[str, Counter[str]] = defaultdict(Counter)
        entries: dict[str, list[Entry]] = defaultdict(list)
        coauthors: dict[str, Counter[str]] = defaultdict(Counter)
        touched: set[str] | None = None
        if last is not None:
            kept, others_now, others_before = self._kept_entries(last)
            touched = set()
            for entry in others_before:
                touched.update(last.author_keys(entry))
            for entry in others_now:
                touched.update(self._authors_of(entry)[0])
        for entry in self.entries:
            pair = kept.get(id(entry))
            if pair is not None:
                keys = self._author_keys[id(entry)] = last.author_keys(pair[1])  # type: ignore[union-attr]  # `kept` is filled with `last`
                if touched.isdisjoint(keys):  # type: ignore[union-attr]  # `touched` is set with `last`
                    continue  # its authors are taken from `last`
            keys, written = self._authors_of(entry)
            self._author_keys[id(entry)] = keys
            for key, canonical, name in written:
                if touched is None or key in touched:
                    spellings[key][" ".join(canonical.split())] += 1
                    written_as[key][" ".join(name.split())] += 1
            for key in keys:
                if touched is None or key in touched:
                    entries[key].append(entry)
                    if len(keys) > 1:  # every other author of the entry once (`update` counts in C)
                        counter = coauthors[key]
                        counter.update(keys)
                        del counter[key]
        before: dict[str, Author] = {}
        if last is not None and touched is not None:
            mapped = {id(old): entry for entry, old in kept.values()}
            for key, author in last.authors.items():
                if key not in touched:
                    before[key] = author
                    entries[key] = [mapped[id(e)] for e in author.entries]
        display = {key: before[key].name if key in before else _most_common(spellings[key]) for key in entries}
        order, slugs = self._author_slugs(display, touched, last)
        authors: dict[str, Author] = {}
        for key in order:
            has_page = len(entries[key]) >= self.options.min_papers
            old_author = before.get(key)
            if old_author is not None and old_author.slug == slugs[key] and (old_author.url is not None) == has_page:
                url = old_author.url  # the same page
            else:
                url = self._page(self.options.authors_dir, slugs[key]) if has_page else None
            if old_author is not None:
                author = Author.__new__(Author)  # a copy: its names, counts and remembered family name as they were
                author.__dict__.update(old_author.__dict__)
                author.slug, author.url, author.entries = slugs[key], url, entries[key]
            else:
                author = Author(key=key, name=display[key], slug=slugs[key], url=url,
                                entries=sorted(entries[key], key=self.sort_key), spellings=spellings[key],
                                homepage=self.aliases.homepages.get(key), coauthors=coauthors[key], written=written_as[key])
            authors[key] = author
        return authors

    def _author_slugs(self, display: dict[str, str], touched: set[str] | None,
                      last: Library | None) -> tuple[list[str], dict[str, str]]:
        """The authors in slug order, and their slugs: the first of a base slug keeps it, later
        ones get `-2`, `-3`... With `last`, when the same authors are there and every author
        counted again (`touched`) has the base slug it had, both are the last build's: every other
        author shows the name it showed there, so has its base slug too."""
        layout = last._slug_layout if last is not None and touched is not None else None
        if (layout is not None and layout[0].keys() == display.keys()
                and all(layout[0][k] == ascii_slug(display[k], "author") for k in touched if k in display)):  # type: ignore[union-attr]  # `touched` is set with `last`
            base_slugs, order, slugs = layout
        else:
            base_slugs = {k: ascii_slug(display[k], "author") for k in display}  # transliteration is slow: once per author
            order = sorted(display, key=lambda k: (base_slugs[k], k))
            slugs = assign_unique(order, base_slugs, {"index"})
        self._slug_layout = (base_slugs, order, slugs)
        return order, slugs

    def _kept_entries(self, last: Library) -> tuple[dict[int, tuple[Entry, Entry]], list[Entry], list[Entry]]:
        """The entries whose authors' records hold from `last`: {id(entry here): (the entry, the entry
        paired with it in `last`)} for each pair (`aligned_entries`) naming the same authors and
        sorting the same, lines apart (it keeps its place among each author's entries); then every
        other entry here, and every other entry of `last` (added, removed, edited, in a note new
        or gone)."""
        kept: dict[int, tuple[Entry, Entry]] = {}
        others_now: list[Entry] = []
        others_before: list[Entry] = []
        for path, doc in self.documents.items():
            before = last.documents.get(path)
            if before is None:
                others_now += doc.entries
                continue
            pairs, added, removed = aligned_entries(before.entries, doc.entries)
            others_now += added
            others_before += removed
            for entry, old in pairs:
                if entry.authors != old.authors or self.sort_key(entry)[:-1] != last.sort_key(old)[:-1]:  # lines may move: not their order
                    others_now.append(entry)
                    others_before.append(old)
                else:
                    kept[id(entry)] = (entry, old)
        for path, doc in last.documents.items():
            if path not in self.documents:
                others_before += doc.entries
        return kept, others_now, others_before

    def written_tag(self, text: str) -> tuple[TagReading, ...]:
        """What a written `[tag]` means, part by part (`TagReader.read`): `[CVPR 2014, TPAMI 2016]`
        is venue CVPR (year 2014) and venue TPAMI (year 2016)."""
        return self.reader.read(text)

    def _venue_name(self, name: str) -> str:
        tag = self.tags.get(("venue", name_key(name)))
        return tag.name if tag is not None else name

    def _topic(self, topic: str) -> tuple[tuple[TagKind, str], str]:
        canonical = self.aliases.tag(topic)
        return ("topic", topic_key(canonical)), canonical

    def tag_occurrences(self, entry: Entry) -> Iterable[tuple[tuple[TagKind, str], str, str, TagReading | None]]:
        """Every tag an entry belongs to, with the spelling it uses there after aliases.yml and as
        written (and the reading, for venues)."""
        for text in entry.tags:
            for reading in self.written_tag(text):
                yield reading.key, reading.name, reading.label, reading
                if reading.fragment:  # a venue with a year also files the entry under its year
                    yield ("year", reading.fragment), reading.fragment, reading.fragment, None
        topics = list(entry.topics)
        if self.options.section_topics and entry.section:
            topics.insert(0, entry.section)
        for topic in topics:
            key, canonical = self._topic(topic)
            yield key, canonical, topic, None

    def _index_tags(self) -> dict[tuple[TagKind, str], Tag]:
        found: dict[tuple[TagKind, str], tuple[Counter[str], list[Entry]]] = {}
        written: dict[tuple[TagKind, str], Counter[str]] = defaultdict(Counter)
        marks: dict[tuple[TagKind, str], dict[int, tuple[int | None, str]]] = defaultdict(dict)
        spaced: dict[str, str] = {}  # a tag as written -> its spaces made single (tags repeat)
        for entry in self.entries:
            for key, spelling, as_written, reading in self.tag_occurrences(entry):
                if not key[1]:
                    continue
                slot = found.get(key)
                if slot is None:
                    slot = found[key] = (Counter(), [])
                counter, entries = slot
                counter[spelling] += 1
                single = spaced.get(as_written)
                if single is None:
                    single = spaced[as_written] = " ".join(as_written.split())
                written[key][single] += 1
                if not entries or entries[-1] is not entry:
                    entries.append(entry)
                if reading is not None and reading.kind == "venue":
                    marks[key].setdefault(id(entry), (reading.year, reading.qualifier))
        order = sorted(found, key=lambda k: (TAG_KINDS.index(k[0]), k[1]))
        names = {k: _most_common(found[k][0]) for k in order}
        slugs = assign_unique(order, {k: ascii_slug(names[k], "tag") for k in order}, {"index"})
        return {
            k: Tag(key=k[1], kind=k[0], name=names[k], slug=slugs[k],
                   url=self._page(self.options.tags_dir, slugs[k]),
                   entries=sorted(found[k][1], key=self.sort_key), spellings=found[k][0], marks=marks.get(k, {}),
                   written=written[k])
            for k in order
        }

    def tags_by_kind(self) -> dict[TagKind, list[Tag]]:
        """Tags grouped by kind: years newest first, the other kinds by count (desc) then name."""
        groups: dict[TagKind, list[Tag]] = {kind: [] for kind in TAG_KINDS}
        for tag in self.tags.values():
            groups[tag.kind].append(tag)
        for kind, tags in groups.items():
            if kind == "year":
                tags.sort(key=lambda t: (-int(t.key) if t.key.isdigit() else 0, t.slug))
            else:
                tags.sort(key=lambda t: (-len(t.entries), t.name.casefold(), t.slug))
        return groups


def _most_common(counter: Counter[str]) -> str:
    """Most frequent spelling; ties go to the first one seen (Counter keeps insertion order)."""
    best = max(counter.values())
    return next(name for name, count in counter.items() if count == best)
