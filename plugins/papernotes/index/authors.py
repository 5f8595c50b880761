"""An author as the index knows them: one person under every spelling aliases.yml merges.

The record an author page, the A-Z index, the explorer and `authors.json` read. Kept
apart from the names' rules (`index.names`) because it is the library's record of a
person, built by `Library`, not a function of a name.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field

from papernotes.index.names import family_name, index_key
from papernotes.notes.model import Entry


@dataclass
class Author:
    """One author: their entries in row order, spellings seen, co-authors and, with a page, its URL.

    `spellings` counts the names after aliases.yml (the most frequent is `name`); `written`
    counts them as the notes write them, so a spelling aliases.yml merged is still known.
    """

    key: str
    name: str
    slug: str
    url: str | None
    entries: list[Entry]
    spellings: Counter[str]
    homepage: str | None = None
    coauthors: Counter[str] = field(default_factory=Counter)
    written: Counter[str] = field(default_factory=Counter)

    @functools.cached_property  # asked for each author page every build (its digest)
    def aliases(self) -> list[str]:
        """Every other spelling the notes write for this author, sorted: `authors.json` and the page's "Also written"."""
        return sorted(s for s in self.written if s != self.name)

    @functools.cached_property  # parsing a name is slow-ish (~0.1 ms): once per author
    def family_name(self) -> str:
        return family_name(self.name)

    @functools.cached_property  # co-author lists are sorted by it on every author page
    def folded_name(self) -> str:
        return self.name.casefold()

    @functools.cached_property  # co-authors are ranked by it (`Library.ranked_coauthors`), after the count
    def rank_name(self) -> tuple[str, str, str]:
        return self.family_name.casefold(), self.folded_name, self.name

    @property
    def letter(self) -> str:
        """The A-Z index letter: the family name's first letter, transliterated (`Öztürk` -> O, CJK too)."""
        return index_key(self.name)[1]

    @property
    def index_key(self) -> tuple[bool, str, str, str, str]:
        """Where the A-Z index files the author: letters first ("#" last), then family and full name."""
        return (*index_key(self.name), self.slug)
