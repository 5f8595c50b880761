"""arXiv's API: one paper's Atom entry, read into a `Paper`.

    GET https://export.arxiv.org/api/query?id_list=2304.02643v2&max_results=1

The answer is an Atom feed (arXiv API User's Manual, "Outline of an Atom feed"): per paper an
`<entry>` with `<id>` (`http://arxiv.org/abs/2304.02643v2`, the version suffixed), `<published>`
(the first version), `<updated>` (this version), a `<title>` and `<summary>` wrapped across lines,
one `<author><name>` each, and `arxiv:` extension elements: `arxiv:comment`, `arxiv:journal_ref`,
`arxiv:doi`, `arxiv:primary_category`. An id arXiv does not know gives a feed with no entry (or, from
the older service, an entry with no title); an id it cannot read gives one entry whose `<id>` is
`http://arxiv.org/api/errors#...` and whose `<summary>` says why. Each case is one clear error.

arXiv asks for one request every three seconds: a client waits between its own requests.

Why not the `arxiv` package from PyPI: it fetches nothing at import, but it brings `feedparser`
and `requests`, its HTTP goes through a `requests.Session` (a test would replace the session
rather than replay files through this project's one transport), it reads an unknown id as an
empty result and an error entry as an exception of its own, and the five fields used here are
twenty lines of `xml.etree`. The standard library's expat parser refuses external entities and
bounds entity expansion; a document type declaration is refused outright (a feed never has one).
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from urllib.parse import quote

from papernotes.add.identifiers import PaperId
from papernotes.add.paper import Paper
from papernotes.add.transport import FetchError, Transport, fetch, status_problem

API = "https://export.arxiv.org/api/query"
INTERVAL = 3.0  # seconds between two requests: arXiv's terms of use for its API
NS = {"atom": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}
_ENTRY_ID = re.compile(r"arxiv\.org/abs/(.+?)(v\d+)?$")


class ArxivClient:
    """Fetches papers from arXiv's API, one request at a time and at most one every `INTERVAL` seconds."""

    def __init__(self, transport: Transport, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.transport = transport
        self.clock = clock
        self.sleep = sleep
        self._last: float | None = None  # when this client last asked (a client lives for one command)

    def url(self, paper: PaperId) -> str:
        return f"{API}?id_list={quote(paper.value + paper.version, safe='/')}&max_results=1"

    def fetch(self, paper: PaperId) -> Paper:
        """The paper's metadata; `FetchError` saying what failed and what to do."""
        if self._last is not None:
            wait = self._last + INTERVAL - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last = self.clock()
        response = fetch(self.transport, self.url(paper), paper)
        problem = status_problem(response, "arXiv")
        if problem:
            raise FetchError(f"{paper}: {problem}")
        return parse_feed(response.body, paper)


def parse_feed(body: bytes, paper: PaperId) -> Paper:
    """The entry for `paper` in an API answer; `FetchError` for an unknown id, an error entry or a broken feed."""
    broken = f"{paper}: arXiv's answer is not the Atom feed its API documents"
    if b"<!DOCTYPE" in body[:1024].upper():
        raise FetchError(f"{broken} (it declares a document type); try again later, or add the paper by hand")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise FetchError(f"{broken} ({exc}); try again later, or add the paper by hand") from None
    if root.tag != f"{{{NS['atom']}}}feed":
        raise FetchError(f"{broken} (its root is <{_local(root.tag)}>); try again later, or add the paper by hand")
    entries = root.findall("atom:entry", NS)
    for entry in entries:
        ident = _text(entry, "atom:id")
        if "/api/errors" in ident:
            reason = _text(entry, "atom:summary") or ident.rpartition("#")[2].replace("_", " ")
            raise FetchError(f"{paper}: arXiv cannot read this id ({reason}); check the id")
    found = next((e for e in entries if _entry_id(e)[0].lower() == paper.value.lower()), None)
    if found is None or not _text(found, "atom:title"):
        raise FetchError(f"{paper}: arXiv has no paper with this id; check the id "
                         f"(https://arxiv.org/abs/{paper.value}{paper.version})")
    return _paper(found, paper)


def _paper(entry: ET.Element, paper: PaperId) -> Paper:
    ident, version = _entry_id(entry)
    comment = _text(entry, "arxiv:comment")
    journal_ref = _text(entry, "arxiv:journal_ref")
    authors = tuple(name for author in entry.findall("atom:author", NS) if (name := _text(author, "atom:name")))
    return Paper(
        source=f"arXiv:{ident}{version or paper.version}",
        title=_text(entry, "atom:title"),
        authors=authors,
        year=_year(_text(entry, "atom:published")),
        arxiv_id=ident,
        doi=_text(entry, "arxiv:doi") or None,
        url=f"https://arxiv.org/abs/{ident}",
        venue_texts=tuple(t for t in (journal_ref, comment) if t),
        venue_rule="known",
        preprint=True,
        update_year=_year(_text(entry, "atom:updated")),
        text=" ".join(t for t in (_text(entry, "atom:summary"), comment) if t),
    )


def _entry_id(entry: ET.Element) -> tuple[str, str]:
    """(`2304.02643`, `v2`) from the entry's `<id>http://arxiv.org/abs/2304.02643v2</id>`."""
    m = _ENTRY_ID.search(_text(entry, "atom:id"))
    return (m.group(1), m.group(2) or "") if m else ("", "")


def _text(element: ET.Element, path: str) -> str:
    """An element's text with its line wrapping undone (titles and summaries wrap)."""
    found = element.find(path, NS)
    return " ".join((found.text or "").split()) if found is not None else ""


def _year(timestamp: str) -> int | None:
    return int(timestamp[:4]) if timestamp[:4].isdigit() else None


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]
