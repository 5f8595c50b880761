"""Machine-readable outputs: papers.json, tags.json, authors.json, papers.bib.

Documented in docs/exports.md. Records are plain JSON values in a stable order so
two builds of the same notes produce byte-identical files.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from .bibtex import Bibliography
from .grammar import plain_text
from .library import Library


def _dump(records: list[dict[str, Any]]) -> str:
    """One record per line: readable diffs, and json's C encoder (any `indent` means the pure-Python one)."""
    if not records:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(record, ensure_ascii=False) for record in records) + "\n]\n"


def papers(library: Library, bibliography: Bibliography | None = None) -> list[dict[str, Any]]:
    """One record per entry, sorted by page then line."""
    bib = bibliography or Bibliography(library.entries, library.added)
    return [
        {
            "id": library.anchor(e),
            "url": library.entry_url(e),
            "page": e.path,
            "line": e.line,
            "section": e.section,
            "title": plain_text(e.title),
            "priority": e.priority,
            "tags": list(e.tags),
            "topics": list(e.topics),
            "venue": e.venue,
            "year": e.year,
            "venues": [{"name": v.name, "year": v.year, "qualifier": v.qualifier} for v in e.venues],
            "authors": list(e.authors),
            "links": [{"label": link.label, "url": link.url} for link in e.links],
            "bibkey": bib.get(e).key,  # type: ignore[union-attr]  # every entry has a record
            "added": _iso(library.added(e)),
        }
        for e in library.entries
    ]


def tags(library: Library) -> list[dict[str, Any]]:
    return [
        {"name": t.name, "kind": t.kind, "slug": t.slug, "url": t.url, "count": len(t.entries),
         "papers": [library.entry_url(e) for e in t.entries]}
        for t in library.tags.values()
    ]


def authors(library: Library) -> list[dict[str, Any]]:
    return [
        {"name": a.name, "slug": a.slug, "url": a.url, "count": len(a.entries),
         "papers": [library.entry_url(e) for e in a.entries],  # in row order already
         "aliases": sorted(s for s in a.spellings if s != a.name),
         "coauthors": [{"name": c.name, "count": n} for c, n in library.ranked_coauthors(a)],
         "homepage": a.homepage}
        for a in library.authors.values()
    ]


NAMES = ("papers.json", "tags.json", "authors.json", "papers.bib")


def _iso(date: datetime | None) -> str | None:
    return date.isoformat() if date else None


def render_all(library: Library, bibliography: Bibliography | None = None) -> dict[str, str]:
    """File name -> text (JSON, and BibTeX for papers.bib)."""
    bib = bibliography or Bibliography(library.entries, library.added)
    return {"papers.json": _dump(papers(library, bib)), "tags.json": _dump(tags(library)),
            "authors.json": _dump(authors(library)), "papers.bib": bib.render()}
