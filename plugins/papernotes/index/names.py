"""Names as the index knows them: identity keys, family names, and where the A-Z index files a name.

One key per name (`name_key`) merges spellings that differ in case, width or spacing;
topics merge `-` and `_` with spaces too (`topic_key`). The family name, found by
nameparser and a few particle rules, is what the A-Z index of authors sorts and
letters by (`index_key`).
"""

from __future__ import annotations

import functools
import unicodedata

from nameparser import HumanName
from nameparser.config import CONSTANTS as NAME_CONSTANTS

from papernotes.notes.memo import kept
from papernotes.notes.slugs import ascii_fold


@functools.lru_cache(maxsize=1 << 17)  # pure; asked ~30 times per entry each build (index, checks, explorer)
def name_key(name: str) -> str:
    """Identity of a name: NFKC-normalised, whitespace-collapsed, case-folded."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


def topic_key(name: str) -> str:
    """Identity of a topic: `name_key` with `-` and `_` read as spaces (`#self-supervised` is `#self_supervised`)."""
    return name_key(name.replace("-", " ").replace("_", " "))


@functools.lru_cache(maxsize=1 << 17)  # pure; under `mkdocs serve` every rebuild sorts every author again
@kept("index_key")
def index_key(name: str) -> tuple[bool, str, str, str]:
    """(no letter, the letter, folded family name, folded name) of a name, for the A-Z index."""
    family = family_name(name)
    letter = "#"
    for char in family:
        folded = _transliterated(char)
        if folded:
            letter = folded[0].upper() if folded[0].isalpha() else "#"
            break
    return letter == "#", letter, family.casefold(), name.casefold()


_MORE_PARTICLES = frozenset({"den", "ter", "ten", "zu", "zur", "het", "'t"})  # Dutch/German ones nameparser lacks


@functools.lru_cache(maxsize=1 << 16)  # pure; under `mkdocs serve` every rebuild asks again for every author
@kept("family_name")  # nameparser: the slowest part of a warm start's index, the same every start
def family_name(name: str) -> str:
    """The part of a name the A-Z index files it under: `Martin Luther King Jr.` -> `King`,
    `Ludwig van Beethoven` -> `Beethoven`, `Aäron van den Oord` -> `Oord`.

    nameparser splits off titles, suffixes and nicknames and keeps particles with the last
    name (`van Beethoven`); lowercase particles are then dropped, as Dutch and German
    indexes do. A capitalised particle is part of the name as its bearer writes it
    (`Van den Bosch` under V, `De Niro` under D). A name nameparser finds no last name in
    (`Ng`, `何恺明`, a lone title) is filed under the whole name.
    """
    words = HumanName(name).last.split()
    while len(words) > 1 and words[0].islower() and (words[0] in NAME_CONSTANTS.prefixes or words[0] in _MORE_PARTICLES):
        words.pop(0)
    return " ".join(words) or " ".join(name.split()) or name


@functools.lru_cache(maxsize=4096)
def _transliterated(char: str) -> str:
    """One character as ascii_slug spells it ('' for punctuation); transliterating is slow, characters repeat."""
    return ascii_fold(char)
