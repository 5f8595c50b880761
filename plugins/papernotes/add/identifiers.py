"""What `papernotes add ID` was given: an arXiv id or URL, or a DOI or DOI URL.

    2304.02643  arXiv:2304.02643v2  https://arxiv.org/abs/2304.02643  https://arxiv.org/pdf/2304.02643v1.pdf
    hep-th/9901001  10.1109/CVPR.2016.90  doi:10.1038/nature14539  https://doi.org/10.1145/3528223.3530127

arXiv's own DOIs (`10.48550/arXiv.2304.02643`, registered with DataCite, which Crossref does not
know) are read as the arXiv id they name. Pure functions, no network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote

# New-style ids (since 2007): YYMM.NNNN, five digits from 2015; old-style: archive(.SUBJ)/YYMMNNN.
_ARXIV_ID = r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Za-z]{2})?/\d{7})(?P<version>v\d+)?"
_ARXIV_BARE = re.compile(rf"^(?:arxiv:\s*)?{_ARXIV_ID}$", re.IGNORECASE)
_ARXIV_URL = re.compile(rf"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html|format)/{_ARXIV_ID}(?:\.pdf)?/?(?:[?#].*)?$",
                        re.IGNORECASE)
_DOI = re.compile(r"^(?:doi:\s*|(?:https?://)?(?:dx\.)?doi\.org/)?(?P<doi>10\.\d{4,9}/\S+)$", re.IGNORECASE)
_ARXIV_DOI = re.compile(rf"^10\.48550/arxiv\.{_ARXIV_ID}$", re.IGNORECASE)

EXAMPLES = "an arXiv id or URL (2304.02643, arXiv:2304.02643v2, https://arxiv.org/abs/2304.02643) " \
           "or a DOI (10.1109/CVPR.2016.90, https://doi.org/10.1109/CVPR.2016.90)"


@dataclass(frozen=True, slots=True)
class PaperId:
    """A paper to fetch: `kind` "arxiv" (`value` without version; `version` like "v2" or "") or "doi"."""

    kind: Literal["arxiv", "doi"]
    value: str
    version: str = ""

    def __str__(self) -> str:
        return f"arXiv:{self.value}{self.version}" if self.kind == "arxiv" else f"DOI {self.value}"


class BadIdentifier(ValueError):
    """Text that is neither an arXiv id nor a DOI."""


def parse_identifier(text: str) -> PaperId:
    """The paper `text` names; `BadIdentifier` with the accepted forms when it names none."""
    raw = text.strip()
    for pattern in (_ARXIV_BARE, _ARXIV_URL):
        if m := pattern.match(raw):
            return _arxiv(m)
    if m := _DOI.match(unquote(raw)):
        doi = m.group("doi").rstrip(".,;")
        if arxiv := _ARXIV_DOI.match(doi):
            return _arxiv(arxiv)
        return PaperId("doi", doi)
    raise BadIdentifier(f"{text!r} is neither {EXAMPLES}")


def _arxiv(m: re.Match[str]) -> PaperId:
    ident = m.group("id")
    if "/" not in ident:
        month, number = int(ident[2:4]), ident.partition(".")[2]
        # YYMM with a real month; four digits after the dot until 1412, five from 1501 (arXiv's identifier scheme).
        if not 1 <= month <= 12 or (len(number) == 5) != (int(ident[:4]) >= 1501):
            raise BadIdentifier(f"{m.group(0)!r} is not a valid arXiv id (YYMM.NNNNN: a month 01-12, five digits "
                                "after the dot since 2015, four before); check it")
    # Old-style archives are lower case (`hep-th`), their subject class upper case (`math.AG`): as arXiv writes them.
    if "/" in ident:
        archive, number = ident.split("/")
        name, _, subject = archive.partition(".")
        ident = f"{name.lower()}{'.' + subject.upper() if subject else ''}/{number}"
    return PaperId("arxiv", ident, (m.group("version") or "").lower())
