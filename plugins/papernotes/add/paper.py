"""A paper's metadata as a source gave it, before it becomes an entry.

arXiv, Crossref and BibTeX records all become a `Paper`; `entries.draft` turns one into the
fields of an entry by the same rules whatever the source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# How a paper's venue texts are read (`entries.draft`): "known" (arXiv) takes a venue only when the
# library or aliases.yml knows it, else `[arXiv YYYY]`; "any" (Crossref, BibTeX) also shortens a
# publisher's name for it ("2016 IEEE Conference on ... (CVPR)" -> CVPR), else the year alone.
VenueRule = Literal["known", "any"]


@dataclass(frozen=True)
class Paper:
    """One paper's metadata. `source` says where it came from, for messages (`arXiv:2304.02643v1`, `refs.bib:12`)."""

    source: str
    title: str
    authors: tuple[str, ...]
    year: int | None  # arXiv: the first version's; Crossref and BibTeX: the publication's
    arxiv_id: str | None = None  # without version
    doi: str | None = None
    url: str | None = None  # the paper's page, linked as [[pdf]]
    # Texts that may name the venue, most telling first (journal reference, comment; event, proceedings, journal).
    venue_texts: tuple[str, ...] = ()
    venue_rule: VenueRule = "any"
    preprint: bool = False  # an arXiv paper (or a BibTeX record of one): `[arXiv YYYY]` when no venue is found
    update_year: int | None = None  # arXiv: the year of the version that carries the comment
    text: str = ""  # abstract and comment: where a code repository may be named
