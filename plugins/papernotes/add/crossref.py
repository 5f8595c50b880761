"""Crossref's REST API: one work's metadata, read into a `Paper`.

    GET https://api.crossref.org/works/10.1109%2FCVPR.2016.90

The answer (Crossref's REST API documentation, "Work") is JSON: `{"status": "ok", "message-type":
"work", "message": {...}}` with `title` (a list), `author` (a list of `given`/`family`, or `name`
for an organisation, with `sequence` "first"/"additional"), `container-title` (a list: the
journal, or the proceedings; Springer lists the series first), `short-container-title`, `event`
(`name`, `acronym`, `start`), the dates `published-print`, `published-online`, `published` and
`issued` as `date-parts`, `type` (`proceedings-article`, `journal-article`, `book-chapter`, ...)
and an optional JATS `abstract`. A DOI Crossref does not know is HTTP 404 with a plain-text body.
Crossref is free and needs no key; it limits clients by answering 429.

Why not `habanero` or `crossrefapi` from PyPI: both fetch nothing at import, but both are
`requests` wrappers whose one use here would be to build this URL and call `json.loads`; habanero
also pins bibtexparser 1, which this project's BibTeX export cannot use (it is on bibtexparser 2).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import quote

from papernotes.add.identifiers import PaperId
from papernotes.add.paper import Paper
from papernotes.add.transport import FetchError, Transport, fetch, status_problem

API = "https://api.crossref.org/works/"
_BLOCK_TAG = re.compile(r"</?(?:jats:)?(?:p|title|sec|list|list-item)\b[^>]*>")  # JATS paragraphs: a space between
_TAG = re.compile(r"<[^>]+>")  # inline markup (`H<sub>2</sub>O`, `<i>in vivo</i>`): nothing between
_DATES = ("published-print", "issued", "published", "published-online", "created")


class CrossrefClient:
    """Fetches works by DOI from Crossref's REST API."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    def url(self, paper: PaperId) -> str:
        return API + quote(paper.value, safe="")  # Crossref asks for DOIs URL-encoded, slash included

    def fetch(self, paper: PaperId) -> Paper:
        """The work's metadata; `FetchError` saying what failed and what to do."""
        response = fetch(self.transport, self.url(paper), paper)
        if response.status == 404:
            raise FetchError(f"{paper}: Crossref does not know this DOI (HTTP 404); check it at "
                             f"https://doi.org/{paper.value}, or add the paper by hand")
        problem = status_problem(response, "Crossref")
        if problem:
            raise FetchError(f"{paper}: {problem}")
        return parse_work(response.body, paper)


def parse_work(body: bytes, paper: PaperId) -> Paper:
    """The work in a `/works/{doi}` answer; `FetchError` when it is not the documented JSON."""
    broken = f"{paper}: Crossref's answer is not the JSON its API documents"
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FetchError(f"{broken} ({exc}); try again later, or add the paper by hand") from None
    work = data.get("message") if isinstance(data, dict) else None
    if not isinstance(work, dict) or not isinstance(data, dict) or data.get("message-type") != "work":
        raise FetchError(f"{broken} (no work in it); try again later, or add the paper by hand")
    title = _join(work.get("title"))
    if not title:
        raise FetchError(f"{paper}: Crossref has no title for this DOI; add the paper by hand")
    subtitle = _join(work.get("subtitle"))
    if subtitle and subtitle.casefold() not in title.casefold():
        title = f"{title}: {subtitle}"
    event: dict[str, Any] = work["event"] if isinstance(work.get("event"), dict) else {}
    containers = [_clean(t) for t in _list(work.get("container-title"))]
    # Most telling first: the event, then the proceedings or journal (Springer's series, first in its list, last).
    texts = [_clean(event.get("acronym")), _clean(event.get("name")), *reversed(containers),
             *(_clean(t) for t in _list(work.get("short-container-title")))]
    kind = str(work.get("type") or "")
    event_year = _date_year(event.get("start")) if kind == "proceedings-article" else None
    return Paper(
        source=str(paper),
        title=title,
        authors=tuple(_authors(work.get("author"))),
        year=event_year or next((y for key in _DATES if (y := _date_year(work.get(key)))), None),
        doi=str(work.get("DOI") or paper.value),
        url=f"https://doi.org/{work.get('DOI') or paper.value}",
        venue_texts=tuple(dict.fromkeys(t for t in texts if t)),
        venue_rule="any",
        text=_clean(work.get("abstract")),
    )


def _authors(value: Any) -> list[str]:
    names = []
    for person in _list(value):
        if not isinstance(person, dict):
            continue
        name = " ".join(_clean(person.get(part)) for part in ("given", "family", "suffix") if person.get(part))
        name = name or _clean(person.get("name"))  # an organisation
        if name.strip():
            names.append(" ".join(name.split()))
    return names


def _date_year(value: Any) -> int | None:
    """The year of a Crossref date: `{"date-parts": [[2016, 6]]}` -> 2016."""
    try:
        year = value["date-parts"][0][0]
    except (KeyError, IndexError, TypeError):
        return None
    return year if isinstance(year, int) and 1000 <= year <= 9999 else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value else []


def _join(value: Any) -> str:
    return next((text for text in (_clean(v) for v in _list(value)) if text), "")


def _clean(value: Any) -> str:
    """Plain text of a Crossref string: JATS or HTML tags (`<i>`, `<jats:p>`) and entities removed, spaces collapsed."""
    if not isinstance(value, str):
        return ""
    return " ".join(html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", value))).split())
