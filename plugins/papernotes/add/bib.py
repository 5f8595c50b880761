"""BibTeX exports (Zotero, Google Scholar, DBLP) read into `Paper`s, one per record, nothing fetched.

Read with bibtexparser 2, the BibTeX library the project already uses for `papers.bib`, with its own
middlewares: `LatexDecodingMiddleware` (pylatexenc underneath) turns `Doll{\\'a}r` into `Dollár` and
`\\&` into `&` while keeping braced groups, so that `SeparateCoAuthors` and `SplitNameParts` still see
`{Google Research}` as one name; the braces left are then dropped. Names become `First von Last Jr`
(DBLP's homonym numbers, `Jian Sun 0001`, dropped). What each exporter writes, and what is read:

* the arXiv id from `eprint` (with `archivePrefix`/`eprinttype` arXiv), a `journal` like Google
  Scholar's "arXiv preprint arXiv:2304.02643", DBLP's CoRR `volume = {abs/2304.02643}`, Zotero's
  `note = {arXiv:2304.02643 [cs]}`, an arXiv `url`, or arXiv's DOI `10.48550/arXiv.2304.02643`;
* the venue from `booktitle` or `journal` (not arXiv's or CoRR's), read as Crossref's is (`venues`);
* the link: arXiv's abstract page, else the DOI, else the record's `url`.

A record without a title, or one bibtexparser cannot read, is a problem with its `file:line`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import bibtexparser
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from bibtexparser.model import Entry as BibEntry

from papernotes.add.identifiers import BadIdentifier, parse_identifier
from papernotes.add.paper import Paper
from papernotes.notes.grammar import is_safe_url

_ARXIV_IN_TEXT = re.compile(r"(?:arxiv[:\s]*|abs/)(\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Za-z]{2})?/\d{7})(?:v\d+)?", re.IGNORECASE)
_PREPRINT_VENUE = re.compile(r"^\s*(?:arxiv\b|corr\b|arxiv preprint)", re.IGNORECASE)
_HOMONYM_NUMBER = re.compile(r"\s+\d{4}$")  # DBLP's `0001`
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


@dataclass(frozen=True)
class BibReading:
    """What a BibTeX file gave: papers in file order, and one line per record that could not be read."""

    papers: list[Paper]
    problems: list[str]


def read_bib(text: str, display: str) -> BibReading:
    """The papers of a BibTeX file's text (`display` is its path as shown in messages)."""
    library = bibtexparser.parse_string(text, append_middleware=[
        LatexDecodingMiddleware(keep_braced_groups=True), SeparateCoAuthors(), SplitNameParts()])
    problems: list[tuple[int, str]] = []
    for block in library.failed_blocks:
        reason = " ".join(str(getattr(block, "error", "") or "not a BibTeX record").split())
        line = (block.start_line or 0) + 1
        problems.append((line, f"{display}:{line}: cannot read this record ({reason}): skipped"))
    papers = []
    for entry in library.entries:
        paper = _paper(entry, display)
        if isinstance(paper, str):
            problems.append(((entry.start_line or 0) + 1, paper))
        else:
            papers.append(paper)
    return BibReading(papers, [message for _, message in sorted(problems)])


def _paper(entry: BibEntry, display: str) -> Paper | str:
    source = f"{display}:{(entry.start_line or 0) + 1}"
    fields = {key.lower(): value for key, value in ((f.key, f.value) for f in entry.fields)}
    title = _text(fields.get("title"))
    if not title:
        return f"{source}: @{entry.entry_type}{{{entry.key}, ...}} has no title: skipped"
    arxiv_id = _arxiv_id(fields)
    doi = _doi(_text(fields.get("doi")))
    venue_texts = [text for key in ("booktitle", "journal", "journaltitle")
                   if (text := _text(fields.get(key))) and not _PREPRINT_VENUE.match(text)]
    publisher = _text(fields.get("publisher"))
    preprint = arxiv_id is not None and (not venue_texts or publisher.casefold() == "arxiv")
    url = _text(fields.get("url"))
    link: str | None
    if arxiv_id:
        link = f"https://arxiv.org/abs/{arxiv_id}"
    elif doi:
        link = f"https://doi.org/{doi}"
    else:
        link = url if url.lower().startswith(("http://", "https://")) and is_safe_url(url) else None
    year = _YEAR.search(_text(fields.get("year")) or _text(fields.get("date")))
    return Paper(
        source=source,
        title=title,
        authors=tuple(_names(fields.get("author"))),
        year=int(year.group(1)) if year else None,
        arxiv_id=arxiv_id,
        doi=doi,
        url=link,
        venue_texts=tuple(venue_texts),
        venue_rule="any",
        preprint=preprint,
        text=" ".join(t for t in (_text(fields.get("abstract")), _text(fields.get("note")), url) if t),
    )


def _text(value: object) -> str:
    """A decoded field value as plain text: braces that only protected case dropped, spaces collapsed."""
    if not isinstance(value, str):
        return ""
    return " ".join(value.replace("{", "").replace("}", "").split())


def _names(value: object) -> list[str]:
    names = []
    for person in value if isinstance(value, list) else []:
        parts = [*person.first, *person.von, *person.last, *person.jr] if hasattr(person, "first") else [str(person)]
        name = _HOMONYM_NUMBER.sub("", _text(" ".join(parts)))
        if name and name.casefold() != "others":  # BibTeX's `and others`: et al.
            names.append(name)
    return names


def _arxiv_id(fields: dict[str, object]) -> str | None:
    prefix = (_text(fields.get("archiveprefix")) or _text(fields.get("eprinttype"))).casefold()
    eprint = _text(fields.get("eprint"))
    candidates = [eprint] if eprint and prefix in ("arxiv", "") else []
    candidates += [_text(fields.get(key)) for key in ("journal", "volume", "note", "url", "doi", "howpublished")]
    for text in candidates:
        if not text:
            continue
        for attempt in (text, *(m.group(1) for m in _ARXIV_IN_TEXT.finditer(text))):
            try:
                found = parse_identifier(attempt)
            except BadIdentifier:
                continue
            if found.kind == "arxiv":
                return found.value
    return None


def _doi(text: str) -> str | None:
    if not text:
        return None
    try:
        found = parse_identifier(text)
    except BadIdentifier:
        return None
    return found.value if found.kind == "doi" else None
