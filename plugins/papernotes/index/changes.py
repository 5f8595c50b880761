"""What one build's library changed from the last build's, found by comparing the two by value.

Under `mkdocs serve` an edit touches one note; the outputs made from every author, tag or entry
(the author and tag pages' digests, the exports, the explorer's data, the A-Z index) use
`LibraryChanges` to make again only what the edit touched, and take the rest from the last build.

The proof that a part is unchanged is a comparison, never a guess:

* an entry is *the same* as the last build's entry at its place in a note (entries added or removed
  apart: `library.aligned_entries`) when its parsed fields
  are equal but for where it is in the note (`Entry` equality, lines apart: a bullet added above
  it moves it, and nothing outside its note's own page shows a line but `papers.json`, whose
  lines are taken only where the line is the same), its note's URL,
  title and entries' anchors are, its tags read the same, every author and tag it names shows
  the same name and URL, its date added is the same (with another aliases.yml: none of its
  topics is merged otherwise), and `same_extra` (the renderer's check of
  what the library does not hold, its BibTeX record) says so: everything a row shows of it
  (`render.views.EntryView`);
* an author (a tag) is *changed* when it is new, gone, shows another name, slug, URL or homepage
  (with another aliases.yml: or other spellings),
  or holds an entry that is not the same (an entry added, removed or edited, or one whose
  co-author was renamed). Everything an author's page, index line or `authors.json` record
  shows is made of its own fields and its entries, so an author not changed shows the same.

tests/property/test_library_changes.py checks these claims on random edits of random libraries: every
entry found the same has the same view, every author and tag not changed the same page context.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TypeVar

from papernotes.index.authors import Author
from papernotes.index.library import Library, aligned_entries
from papernotes.index.names import name_key
from papernotes.index.tags import Tag, TagKind
from papernotes.notes.model import Document, Entry

TagKey = tuple[TagKind, str]
K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class LibraryChanges:
    """What differs between `previous` and the current library (see the module's docstring)."""

    previous: Library
    same: dict[int, Entry]  # id(current entry) -> the previous build's entry, where the two show the same
    authors: frozenset[str]  # keys of the authors changed (new and gone ones too)
    tags: frozenset[TagKey]  # keys of the tags changed
    notes: bool = False  # every note is there as it was, in the same order: its URL, title and entries' anchors

    @property
    def shows_the_same(self) -> bool:
        """Whether the library shows what the last one showed: every note as it was, every entry the
        same (moved down its note, maybe), no author or tag changed. What is made of the library as
        a whole and shows no line (the explorer's data, tags.json, authors.json) is then the last build's."""
        return self.notes and not self.authors and not self.tags and len(self.same) == sum(
            len(doc.entries) for doc in self.previous.documents.values())

    def previous_entry(self, entry: Entry) -> Entry | None:
        """The last build's entry `entry` is the same as, or None."""
        return self.same.get(id(entry))

    def author_changed(self, author: Author) -> bool:
        return author.key in self.authors

    def tag_changed(self, tag: Tag) -> bool:
        return (tag.kind, tag.key) in self.tags

    def same_authors(self, now: Mapping[str, Author], shown: Callable[[Author], object]) -> bool:
        """Whether the library's authors (`now`) are the last build's, each showing the same `shown`
        (an author not changed shows the same name, slug, URL, homepage and entries anyway)."""
        before = self.previous.authors
        return len(before) == len(now) and all(
            key in before and key in now and shown(before[key]) == shown(now[key]) for key in self.authors)


def library_changes(previous: Library | None, current: Library,
                    same_extra: Callable[[Entry, Entry], bool] | None = None) -> LibraryChanges | None:
    """What changed from `previous` to `current`; None when everything may have (no last library,
    or other options: every author and tag is made again)."""
    if previous is None or previous.options != current.options:
        return None
    # With another aliases.yml, an unchanged note may mean other authors and tags: an entry with
    # a topic whose merge changed is not the same, and authors and tags compare their spellings
    # too (as written, with their counts: equal counts give equal "also written as" lists).
    merged = previous.aliases != current.aliases
    remerged = _remerged_topics(previous, current) if merged else frozenset()
    authors = _changed(previous.authors, current.authors, _author_shown_merged if merged else _author_shown)
    tags = _changed(previous.tags, current.tags, _tag_shown_merged if merged else _tag_shown)
    same: dict[int, Entry] = {}
    readings: dict[str, bool] = {}  # a tag as written -> whether it reads the same in both
    touched_now: list[Entry] = []
    touched_before: list[Entry] = []
    notes = list(previous.documents) == list(current.documents)
    for path, doc in current.documents.items():
        before = previous.documents.get(path)
        if before is None or not _same_note(previous, current, before, doc):
            notes = False
            touched_now += doc.entries
            if before is not None:
                touched_before += before.entries
            continue
        pairs, added, removed = aligned_entries(before.entries, doc.entries)
        if added or removed:
            notes = False
            touched_now += added
            touched_before += removed
        # Every entry where it was with the anchor it had (the usual case): no pair's need asking.
        anchored = previous.entry_anchors.get(path) == current.entry_anchors.get(path)
        for entry, old in pairs:
            if ((anchored or previous.anchor(old) == current.anchor(entry))
                    and _same_entry((previous, current), (old, entry), authors, tags, readings)
                    and (not remerged or remerged.isdisjoint(_topic_keys(current, entry)))
                    and (same_extra is None or same_extra(entry, old))):
                same[id(entry)] = old
            else:
                touched_now.append(entry)
                touched_before.append(old)
    for path, doc in previous.documents.items():
        if path not in current.documents:
            touched_before += doc.entries
    for library, entries in ((current, touched_now), (previous, touched_before)):
        for entry in entries:
            authors.update(library.author_keys(entry))
            tags.update(_tag_keys(library, entry))
    return LibraryChanges(previous, same, frozenset(authors), frozenset(tags), notes)


def _author_shown(author: Author) -> tuple[object, ...]:
    return author.name, author.slug, author.url, author.homepage


def _tag_shown(tag: Tag) -> tuple[object, ...]:
    return tag.name, tag.slug, tag.url


def _author_shown_merged(author: Author) -> tuple[object, ...]:
    return *_author_shown(author), author.written


def _tag_shown_merged(tag: Tag) -> tuple[object, ...]:
    return *_tag_shown(tag), tag.written


def _remerged_topics(previous: Library, current: Library) -> frozenset[str]:
    """Spellings (`name_key`s) that aliases.yml's `tags:` merges otherwise now: a topic so written
    is filed under another tag, or shows another name. Bracketed tags are compared by their
    readings (`_same_entry`), which hold every aliases.yml rule they follow."""
    before, now = previous.aliases.tags, current.aliases.tags
    return frozenset(key for key in before.keys() | now.keys() if before.get(key) != now.get(key))


def _topic_keys(library: Library, entry: Entry) -> Iterable[str]:
    """The `name_key`s of the topics the entry is filed under (its section's too, when sections are topics)."""
    if library.options.section_topics and entry.section:
        yield name_key(entry.section)
    for topic in entry.topics:
        yield name_key(topic)


def _changed(before: Mapping[K, V], now: Mapping[K, V], shown: Callable[[V], tuple[object, ...]]) -> set[K]:
    """Keys new, gone, or showing something else."""
    changed = set(before.keys() ^ now.keys())
    for key, value in now.items():
        old = before.get(key)
        if old is not None and shown(old) != shown(value):
            changed.add(key)
    return changed


def _same_note(previous: Library, current: Library, before: Document, now: Document) -> bool:
    """Whether a note's entries can be compared one by one: the note's URL and title
    (`render.views.doc_title`: front matter, `# Title`, file name) unchanged."""
    path = now.path
    return (previous.page_urls.get(path) == current.page_urls.get(path)
            and before.meta == now.meta and _title_heading(before) == _title_heading(now))


def _title_heading(doc: Document) -> tuple[int | None, str | None]:
    return doc.title_line, next((h.text for h in doc.headings if h.line == doc.title_line), None)


def _same_entry(libraries: tuple[Library, Library], pair: tuple[Entry, Entry], authors: set[str], tags: set[TagKey],
                readings: dict[str, bool]) -> bool:
    """Whether an entry shows the same as `old`, the last build's at its place (see the module's docstring)."""
    (previous, current), (old, entry) = libraries, pair
    if (old != entry and unplaced(old) != unplaced(entry)) or previous.added(old) != current.added(entry):
        return False
    keys = current.author_keys(entry)
    if keys != previous.author_keys(old) or not authors.isdisjoint(keys):
        return False
    # Its tags read the same (the library's venue names can make a tag a venue): its tag pages
    # are the same; their names and URLs are unchanged unless they are in `tags`.
    for text in entry.tags:
        same = readings.get(text)
        if same is None:
            same = readings[text] = current.written_tag(text) == previous.written_tag(text)
        if not same:
            return False
    return not tags or tags.isdisjoint(_tag_keys(current, entry))


def unplaced(entry: Entry) -> Entry:
    """The entry as it would be at the top of its note: every line number it holds made 0 (those
    of its heading, author and topics lines, its end and its figures), whether it has them kept."""
    return replace(entry, line=0, author_line=None if entry.author_line is None else 0,
                   topics_line=None if entry.topics_line is None else 0, end_line=0,
                   figures=tuple(replace(f, line=0) for f in entry.figures))


def _tag_keys(library: Library, entry: Entry) -> Iterable[TagKey]:
    return (key for key, *_ in library.tag_occurrences(entry))
