"""Tags: what a written `[tag]` or `#topic` means, and a tag page's record.

A written tag reads as one or more venues, years and organisations (`TagReader`,
the one reading chips, tag pages, exports and checks share); every tag page is a
`Tag` of one of the `TAG_KINDS`, listed in that order on the tags index.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from papernotes.index.aliases import Aliases
from papernotes.index.names import name_key
from papernotes.notes.grammar import QUALIFIER_WORDS, name_readings, qualifier_word, split_tag
from papernotes.notes.model import Entry

TagKind = Literal["venue", "year", "org", "topic"]
TAG_KINDS: tuple[TagKind, ...] = ("venue", "year", "org", "topic")
TAG_KIND_TITLES = {"venue": "Venues", "year": "Years", "org": "Organisations and other tags", "topic": "Topics"}


@dataclass(frozen=True, slots=True)
class TagReading:
    """What one part of a written tag means (`TagReader.read`)."""

    kind: TagKind  # "venue", "year" or "org"
    name: str  # the tag's name after aliases.yml (`NIPS` -> `NeurIPS`)
    label: str  # the name as written (`NIPS`)
    year: int | None = None
    qualifier: str = ""
    # When the qualifier could instead continue the venue's name: that name (`[Nature 2023 Methods]` -> "Nature Methods").
    other_name: str | None = None

    @property
    def key(self) -> tuple[TagKind, str]:
        return self.kind, name_key(self.name)

    @property
    def fragment(self) -> str:
        """The year's anchor on the venue's page (`[CVPR 2023]` -> "2023")."""
        return str(self.year) if self.kind == "venue" and self.year else ""

    @property
    def text(self) -> str:
        """As a chip reads it: `NeurIPS 2023 · Oral`."""
        head = " ".join(str(x) for x in (self.label if self.kind == "venue" else None, self.year) if x) or self.label
        return f"{head} · {self.qualifier}" if self.qualifier else head


class TagReader:
    """What written tags mean in one library: the one answer for chips, tag pages, exports and checks.

    A part with a year is a venue (or a year alone). A part without one is a venue when its
    name, or the start of it, is a venue elsewhere in the library or listed under `venues:`
    in aliases.yml (case-insensitive, after aliases); otherwise an organisation or other tag.
    A tag none of whose parts is a venue or a year stays one tag, commas and all.

    Qualifier words (`Workshop`, `Oral`, those under `qualifiers:`) make part of a venue's
    name only where aliases.yml names the longer venue (`venues: [CVPR Workshop]`, or
    `tags: {CVPRW: [CVPR Workshop]}`), never because another note wrote it: how one tag
    reads with them follows from the tag and aliases.yml alone.
    """

    def __init__(self, tag_lists: Iterable[Iterable[str]], aliases: Aliases) -> None:
        self.aliases = aliases
        self.declared = {name_key(name) for name in aliases.venues} | set(aliases.tags) | \
            {name_key(name) for name in aliases.tags.values()}
        self.venue_keys = {name_key(aliases.tag(name)) for name in aliases.venues}
        self.qualifier_words = QUALIFIER_WORDS | {qualifier_word(w) for q in aliases.qualifiers for w in q.split()}
        for tags in tag_lists:
            for tag in tags:
                for part in split_tag(tag):
                    if part.venue:
                        name, _ = self._declared_venue(part.venue, part.qualifier)
                        self.venue_keys.add(name_key(aliases.tag(name)))
        self._read: dict[str, tuple[TagReading, ...]] = {}

    def is_venue(self, name: str) -> bool:
        return name_key(self.aliases.tag(name)) in self.venue_keys

    def read(self, text: str) -> tuple[TagReading, ...]:
        """The readings of a written `[tag]`, one per comma-separated part, in order."""
        found = self._read.get(text)
        if found is None:
            found = self._read[text] = self._reading(text)
        return found

    def _reading(self, text: str) -> tuple[TagReading, ...]:
        readings = []
        for part in split_tag(text):
            if part.year is not None and part.venue is None:
                readings.append(TagReading("year", str(part.year), str(part.year), part.year, part.qualifier))
                continue
            if part.venue is not None:
                label, qualifier = self._longest_venue(part.venue, part.qualifier)
            else:
                found_venue = next(((n, q) for n, q in name_readings(part.text) if self.is_venue(n)), None)
                if found_venue is None:
                    readings.append(TagReading("org", self.aliases.tag(part.text), part.text))
                    continue
                label, qualifier = found_venue
            readings.append(TagReading("venue", self.aliases.tag(label), label, part.year, qualifier,
                                       self._other_name(label, qualifier)))
        if all(r.kind == "org" for r in readings):
            return (TagReading("org", self.aliases.tag(text), text),)
        return tuple(readings)

    def _longest_venue(self, venue: str, qualifier: str) -> tuple[str, str]:
        """`Nature` + `Methods Comment` -> ("Nature Methods", "Comment") when Nature Methods is a venue;
        through a qualifier word only to a venue aliases.yml names (`CVPR` + `Workshop` -> "CVPR Workshop")."""
        words = qualifier.split()
        for k in range(len(words), 0, -1):
            longer = f"{venue} {' '.join(words[:k])}"
            if self._names(longer) or (self.is_venue(longer) and not self._has_qualifier_word(words[:k])):
                return longer, " ".join(words[k:])
        return venue, qualifier

    def _declared_venue(self, venue: str, qualifier: str) -> tuple[str, str]:
        """`_longest_venue` through aliases.yml alone (what the venue keys are made of)."""
        words = qualifier.split()
        for k in range(len(words), 0, -1):
            longer = f"{venue} {' '.join(words[:k])}"
            if self._names(longer):
                return longer, " ".join(words[k:])
        return venue, qualifier

    def _names(self, name: str) -> bool:
        """Whether aliases.yml names `name`: under `venues:`, or under `tags:` as a tag or a spelling of one."""
        return name_key(name) in self.declared

    def _has_qualifier_word(self, words: list[str]) -> bool:
        return any(qualifier_word(word) in self.qualifier_words for word in words)

    def _other_name(self, label: str, qualifier: str) -> str | None:
        """The venue name a qualifier's leading words would make, unless they are qualifier words."""
        name = []
        for word in qualifier.split():
            folded = qualifier_word(word)
            if not folded or not folded[0].isalpha() or folded in self.qualifier_words:
                break
            name.append(word)
        return f"{label} {' '.join(name)}" if name else None


@dataclass
class Tag:
    """A tag page: one venue, year, organisation or topic, with its entries in row order."""

    key: str
    kind: TagKind
    name: str
    slug: str
    url: str
    entries: list[Entry]
    spellings: Counter[str] = field(default_factory=Counter)  # after aliases.yml: the most frequent is `name`
    written: Counter[str] = field(default_factory=Counter)  # as the notes write them (`NIPS` on NeurIPS)
    # Venue tags: id(entry) -> the (year, qualifier) the entry gives this venue (its first mention).
    marks: dict[int, tuple[int | None, str]] = field(default_factory=dict)

    @property
    def aliases(self) -> list[str]:
        """Every other spelling the notes write for this tag, sorted (`tags.json`)."""
        return sorted(s for s in self.written if s != self.name)

    def year_of(self, entry: Entry) -> int | None:
        """The entry's year at this venue (`[CVPR 2014, TPAMI 2016]` is 2016 on TPAMI's page)."""
        mark = self.marks.get(id(entry))
        return mark[0] if mark is not None else entry.year

    def qualifier_of(self, entry: Entry) -> str:
        mark = self.marks.get(id(entry))
        return mark[1] if mark is not None else ""

    def by_year(self) -> list[tuple[int | None, list[Entry]]]:
        """Entries grouped by their year at this venue, newest first (venue pages)."""
        groups: dict[int | None, list[Entry]] = defaultdict(list)
        for entry in self.entries:
            groups[self.year_of(entry)].append(entry)
        return sorted(groups.items(), key=lambda kv: -(kv[0] or 0))
