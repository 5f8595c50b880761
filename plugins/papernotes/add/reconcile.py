"""The library as `papernotes add` sees it: how it spells authors, venues and tags, and which papers it holds.

A new entry is written the way the library already writes things, so that it adds no problem to
`papernotes check`: an author who looks like one the library knows, by the alias check's own rule
(`checks.author_spellings.alias_reason`: case, accents, initials, a trailing number), is written as
the library writes them (aliases.yml's canonical name first, then the most used spelling); a venue
as its tag page names it (`NIPS` -> `NeurIPS` through aliases.yml; `IEEE TPAMI` -> `TPAMI` when
the library writes it so); a paper is the same paper as an entry when they share an arXiv id, a DOI
or a title key (`notes.identity.paper_keys`, the duplicate check's identity).
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from papernotes.checks.author_spellings import alias_reason
from papernotes.checks.tag_spellings import squash_tag, venue_core
from papernotes.index.aliases import Aliases
from papernotes.index.library import Library
from papernotes.index.names import name_key, topic_key
from papernotes.notes.identity import paper_keys, paper_keys_of
from papernotes.notes.model import Document, Entry

_NOT_A_VENUE_TO_FIND = frozenset({"arxiv", "corr"})  # a preprint server is the fallback, not a venue to read


@dataclass(frozen=True, slots=True)
class Location:
    """Where the library has something: a note's path as shown to the user, and a line."""

    path: str
    line: int  # 0: not in a note yet (a paper added earlier in the same command; `path` says which)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True, slots=True)
class Respelled:
    """An author name written as the library writes it."""

    given: str
    written: str
    reason: str  # "aliases.yml", or alias_reason's words
    where: Location | None  # an entry of the library with that spelling


@dataclass(frozen=True, slots=True)
class KnownName:
    """A name a venue may be written as, and the venue as the library spells it."""

    written: str
    venue: str
    any_case: bool  # aliases.yml's variants are stored case-folded: match them in any case


class LibraryView:
    """Spellings and paper identities of a set of parsed notes (`display` maps their paths to what the user sees)."""

    def __init__(self, documents: Iterable[Document], aliases: Aliases | None = None,
                 display: Mapping[str, str] | None = None) -> None:
        self.aliases = aliases or Aliases()
        self.documents = list(documents)
        self.display = dict(display or {})
        self.library = Library(self.documents, {}, aliases=self.aliases)
        self._authors: Counter[str] = Counter()
        self._author_at: dict[str, Location] = {}
        self._by_family: dict[str, list[str]] = defaultdict(list)
        self._papers: dict[tuple[str, str], list[Location]] = defaultdict(list)
        for entry in self.library.entries:
            self.index_entry(entry)

    # -- what the library holds ----------------------------------------------------------

    def where(self, entry: Entry) -> Location:
        return Location(self.display.get(entry.path, entry.path), entry.line)

    def index_entry(self, entry: Entry, location: Location | None = None) -> None:
        """Count an entry's authors and paper keys (the library's, or one added in this run)."""
        at = location or self.where(entry)
        for name in entry.authors:
            self._count_author(name, Location(at.path, entry.author_line or at.line) if location is None else at)
        for key in paper_keys(entry):
            if at not in self._papers[key]:
                self._papers[key].append(at)

    def _count_author(self, name: str, at: Location) -> None:
        spelling = " ".join(self.aliases.author(name).split())
        if spelling not in self._authors:
            self._by_family[_family_key(spelling)].append(spelling)
            self._author_at[spelling] = at
        self._authors[spelling] += 1

    def holders(self, urls: Iterable[str], title: str) -> list[tuple[Location, str]]:
        """Every place the library holds the paper with these link URLs and title, with why it is the same paper."""
        found: dict[Location, list[str]] = {}
        for kind, value in paper_keys_of(tuple(urls), title):
            reason = kind if kind == "title" else f"{kind} {value}"
            for at in self._papers.get((kind, value), []):
                if reason not in found.setdefault(at, []):
                    found[at].append(reason)
        return [(at, " and ".join(reasons)) for at, reasons in sorted(found.items(), key=lambda kv: (kv[0].path, kv[0].line))]

    # -- authors -------------------------------------------------------------------------

    def author(self, name: str) -> Respelled | None:
        """How the library writes `name` when it writes it otherwise; None when it is written as given."""
        name = " ".join(name.split())
        canonical = self.aliases.author(name)
        if canonical != name:
            return Respelled(name, canonical, "aliases.yml", self._author_at.get(canonical))
        if name in self._authors:
            return None
        matches = [(s, reason) for s in self._by_family.get(_family_key(name), []) if (reason := alias_reason(s, name))]
        if not matches:
            return None
        # The spelling the alias check would suggest: no trailing number, most used, accented, fullest.
        best, reason = max(matches, key=lambda m: (not m[0][-1:].isdigit(), self._authors[m[0]], _fold(m[0]) != m[0].casefold(),
                                                   len(m[0])))
        return Respelled(name, best, reason, self._author_at.get(best))

    # -- venues and tags -----------------------------------------------------------------

    def venue(self, name: str) -> str:
        """`name` as the library's venue tag page names it (after aliases.yml), or as aliases.yml gives it."""
        canonical = self.aliases.tag(name)
        # Written with or without a publisher's name, in another case or spacing: one venue to the tag-variant check.
        same = [tag for (kind, _), tag in self.library.tags.items() if kind == "venue" and venue_core(tag.name) == venue_core(canonical)]
        if same:
            return max(same, key=lambda t: (len(t.entries), name_key(t.name) == name_key(canonical),
                                            squash_tag(t.name) == squash_tag(canonical))).name
        return canonical

    def is_known_venue(self, name: str) -> bool:
        return self.library.reader.is_venue(self.venue(name))

    def known_venues(self) -> list[KnownName]:
        """Every way the library or aliases.yml writes a venue, with the venue as the library spells it."""
        known: dict[str, KnownName] = {}

        def add(written: str, any_case: bool) -> None:
            written = " ".join(written.split())
            if written and name_key(written) not in _NOT_A_VENUE_TO_FIND and written not in known:
                known[written] = KnownName(written, self.venue(written), any_case)

        for entry in self.library.entries:
            for text in entry.tags:
                for reading in self.library.written_tag(text):
                    if reading.kind == "venue":
                        add(reading.label, False)
        for name in self.aliases.venues:
            add(name, False)
        for variant, canonical in self.aliases.tags.items():
            if self.library.reader.is_venue(canonical):
                add(canonical, False)
                add(variant, True)
        return list(known.values())

    def tag(self, text: str) -> str:
        """An extra `[tag]` as the library writes it (`meta ai` -> `Meta AI`), or as given."""
        canonical = self.aliases.tag(text)
        for (kind, _), tag in self.library.tags.items():
            if kind in ("org", "venue") and squash_tag(tag.name) == squash_tag(canonical):
                return tag.name
        return canonical

    def topic(self, text: str) -> str:
        """A `#topic` as the library's topics lines write it (the check compares those, not section names), or as given."""
        key = topic_key(self.aliases.tag(text))
        written = Counter(topic for entry in self.library.entries for topic in entry.topics if topic_key(topic) == key)
        return written.most_common(1)[0][0] if written else text


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def _family_key(name: str) -> str:
    """The last word, folded and without a trailing number: the alias check compares only names that share it."""
    words = name.rstrip("0123456789").split()
    return _fold(words[-1]).strip(".") if words else ""
