"""Paper identity: when two entries are the same paper.

An entry is known by the arXiv ids and DOIs of its links, then by its normalised title.
The `duplicate-paper` check, the dates added from git history (an entry keeps its date
while it is the same paper) and the BibTeX export (one record per paper) all ask here,
so they agree on what one paper is.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import unquote

from papernotes.notes.grammar import plain_text
from papernotes.notes.model import Entry

PaperKey = tuple[str, str]  # (kind, value): ("arXiv id", "2304.02643"), ("DOI", ...), ("title", ...)

_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf|html|format)/((?:\d{4}\.\d{4,5})|(?:[a-z-]+(?:\.[A-Za-z]{2})?/\d{7}))", re.I)
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s?#]+)", re.I)
_NON_WORD = re.compile(r"[^\w]+")
_MIN_TITLE_KEY = 8  # shorter normalised titles ("Intro") say nothing about identity


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case and accents dropped: `José` -> `jose`."""
    if text.isascii():
        return text.casefold()
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def title_key(title: str) -> str:
    """Title identity: visible text, accents and punctuation dropped, case-folded."""
    return " ".join(_NON_WORD.sub(" ", fold(plain_text(title))).split())


def paper_keys(entry: Entry) -> list[PaperKey]:
    """(kind, value) identities of an entry: arXiv ids and DOIs of its links, then its title."""
    return list(paper_keys_of(tuple(link.url for link in entry.links), entry.title))


@lru_cache(maxsize=1 << 16)  # pure; asked for every entry by checks, BibTeX (several times) and history, every rebuild
def paper_keys_of(urls: tuple[str, ...], title: str) -> tuple[PaperKey, ...]:
    """`paper_keys` of an entry with these link URLs and title."""
    keys: list[PaperKey] = []
    for url in urls:
        if m := _ARXIV.search(url):
            keys.append(("arXiv id", m.group(1).lower()))
        elif m := _DOI.search(unquote(url)):
            keys.append(("DOI", m.group(1).rstrip(".").lower()))
    title = title_key(title)
    if len(title) >= _MIN_TITLE_KEY:
        keys.append(("title", title))
    return tuple(keys)
