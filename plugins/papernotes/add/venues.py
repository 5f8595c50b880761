"""A venue from the texts that name it: a journal reference, a comment, an event, a proceedings title.

Two ways of reading, one per kind of source (`Paper.venue_rule`):

* **Known venues only** (arXiv): a venue the library or aliases.yml already knows, named in the
  journal reference or comment ("Accepted to CVPR 2024", "NIPS 2014", "CVPR'22"), and not as
  something merely submitted ("Submitted to NeurIPS 2023" is no venue). Otherwise none: the
  entry says `[arXiv YYYY]`.
* **Any venue** (Crossref, BibTeX): a known venue first; then a publisher's long name shortened
  by a small table ("IEEE Transactions on Pattern Analysis and Machine Intelligence" -> TPAMI),
  an acronym in parentheses ("... Pattern Recognition (CVPR)"), an acronym with its year
  ("Computer Vision – ECCV 2020"), or a short plain name ("Nature"). Otherwise none: the entry
  gives the year alone and the command says which text it could not read.

Pure functions; the library's side (what is known, how it is spelled) is `reconcile.LibraryView`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

# Long names as publishers write them -> (venue, qualifier) as notes write them. The first match wins,
# so a workshop's name comes before its conference's. Matched without case, spaces and dashes folded.
LONG_NAMES: tuple[tuple[str, str, str], ...] = (
    ("conference on computer vision and pattern recognition workshops", "CVPR", "Workshops"),
    ("computer vision and pattern recognition", "CVPR", ""),
    ("international conference on computer vision workshops", "ICCV", "Workshops"),
    ("international conference on computer vision", "ICCV", ""),
    ("european conference on computer vision", "ECCV", ""),
    ("winter conference on applications of computer vision", "WACV", ""),
    ("british machine vision conference", "BMVC", ""),
    ("international conference on 3d vision", "3DV", ""),
    ("neural information processing systems", "NeurIPS", ""),
    ("international conference on machine learning", "ICML", ""),
    ("international conference on learning representations", "ICLR", ""),
    ("aaai conference on artificial intelligence", "AAAI", ""),
    ("international joint conference on artificial intelligence", "IJCAI", ""),
    ("north american chapter of the association for computational linguistics", "NAACL", ""),
    ("empirical methods in natural language processing", "EMNLP", ""),
    ("annual meeting of the association for computational linguistics", "ACL", ""),
    ("international conference on robotics and automation", "ICRA", ""),
    ("international conference on intelligent robots and systems", "IROS", ""),
    ("knowledge discovery and data mining", "KDD", ""),
    ("medical image computing and computer assisted intervention", "MICCAI", ""),
    ("transactions on pattern analysis and machine intelligence", "TPAMI", ""),
    ("international journal of computer vision", "IJCV", ""),
    ("acm transactions on graphics", "TOG", ""),
    ("transactions on image processing", "TIP", ""),
    ("transactions on visualization and computer graphics", "TVCG", ""),
    ("transactions on neural networks and learning systems", "TNNLS", ""),
    ("journal of machine learning research", "JMLR", ""),
    ("transactions on machine learning research", "TMLR", ""),
    ("communications of the acm", "CACM", ""),
    ("proceedings of the ieee", "Proc. IEEE", ""),
)
# Words that are a publisher's, not a venue's, in `(IEEE)` or `IEEE 2016`.
_NOT_VENUES = frozenset({"IEEE", "ACM", "CVF", "IEEE/CVF", "LNCS", "SPIE", "USA", "UK", "PMLR", "CEUR", "VOL", "NO"})
_PARENTHESISED = re.compile(r"\(([A-Z0-9][A-Za-z0-9&+/-]*[A-Z0-9])\)")
_ACRONYM_YEAR = re.compile(r"(?<![\w/])([A-Z0-9][A-Za-z0-9&-]*[A-Z])\s?['’]?\s?((?:19|20)\d\d)(?!\d)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_YEAR_AFTER = re.compile(r"^\s*['’]?\s*(?:(?P<full>(?:19|20)\d\d)|(?P<short>\d\d))(?!\d)")
_NOT_ACCEPTED = re.compile(r"\b(?:submitted|submission|under review|in review|rejected|resubmitted)\b[^.;:]*$", re.IGNORECASE)
_DASHES = re.compile(r"[\s\-‐‑‒–—_]+")


@dataclass(frozen=True, slots=True)
class VenueTag:
    """A venue as an entry's first tag writes it: `[name year qualifier]`."""

    name: str
    year: int | None = None
    qualifier: str = ""

    @property
    def tag(self) -> str:
        return " ".join(str(part) for part in (self.name, self.year, self.qualifier) if part)


def known_mentions(text: str, known: Mapping[str, str]) -> Iterator[VenueTag]:
    """Venues of `known` (a name as it may be written -> the library's spelling) that `text` names as
    accepted or published, in the order written, each with the year written next to it (or None).

    An acronym-like name (two capitals or more: CVPR, NeurIPS) matches in any case; a word (Nature,
    Science) only as written, so "the nature of" is no venue.
    """
    found: list[tuple[int, int, str]] = []
    for written, canonical in known.items():
        flags = re.IGNORECASE if sum(c.isupper() for c in written) >= 2 else 0
        for m in re.finditer(rf"(?<![\w]){re.escape(written)}(?![\w])", text, flags):
            found.append((m.start(), -len(written), canonical))
    taken: list[tuple[int, int]] = []
    for start, negative_length, canonical in sorted(found):
        end = start - negative_length
        if any(s < end and start < e for s, e in taken):  # inside a longer name already read
            continue
        taken.append((start, end))
        if _NOT_ACCEPTED.search(text[max(0, start - 60) : start]):
            continue
        yield VenueTag(canonical, year_after(text, end))


def year_after(text: str, end: int) -> int | None:
    """The year written right after a name: `CVPR 2022`, `CVPR2022`, `CVPR'22`, `CVPR '22`."""
    m = _YEAR_AFTER.match(text[end:])
    if not m:
        return None
    return int(m.group("full")) if m.group("full") else 2000 + int(m.group("short"))


def year_in(text: str) -> int | None:
    """The first year 1900-2099 written anywhere in `text`."""
    m = _YEAR.search(text)
    return int(m.group(1)) if m else None


def shorten(text: str) -> VenueTag | None:
    """A publisher's venue text as notes write the venue: the `LONG_NAMES` table, an acronym in
    parentheses, an acronym with its year, or the text itself when it is a short plain name."""
    folded = _DASHES.sub(" ", text).casefold()
    for long_name, short, qualifier in LONG_NAMES:
        if _DASHES.sub(" ", long_name) in folded:
            return VenueTag(short, year_in(text), qualifier)
    for m in _PARENTHESISED.finditer(text):
        if m.group(1).upper() not in _NOT_VENUES and sum(c.isupper() for c in m.group(1)) >= 2:
            return VenueTag(m.group(1), year_in(text))
    for m in _ACRONYM_YEAR.finditer(text):
        if m.group(1).upper() not in _NOT_VENUES and sum(c.isupper() for c in m.group(1)) >= 2:
            return VenueTag(m.group(1), int(m.group(2)))
    if plain_name(text):
        return VenueTag(text)
    return None


def plain_name(text: str) -> bool:
    """A name short and plain enough to be a venue tag as it is: `Nature`, `Neural Computation`,
    `Commun. ACM`; not a proceedings title, a series, or anything with a number or a comma."""
    return (0 < len(text) <= 40 and not re.search(r"[\d,;:()\[\]]", text)
            and not text.casefold().startswith(("proceedings", "lecture notes", "advances in")))
