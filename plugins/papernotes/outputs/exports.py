"""Machine-readable outputs: papers.json, tags.json, authors.json (papers.bib: `papers_bib.py`).

Documented in docs/exports.md. Records are plain JSON values in a stable order so
two builds of the same notes produce byte-identical files.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from functools import partial
from typing import Any

from papernotes.index.authors import Author
from papernotes.index.library import Library
from papernotes.notes.grammar import plain_text
from papernotes.outputs.paths import EXPORTS
from papernotes.outputs.registry import FILE, BuildContext, Output, declare
from papernotes.render.bibtex import Bibliography
from papernotes.serve.stores import Fragments


def _dump(records: list[dict[str, Any]]) -> str:
    """One record per line: readable diffs, and json's C encoder (any `indent` means the pure-Python one)."""
    return _lines([_line(record) for record in records])


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False)


def _lines(lines: list[str]) -> str:
    return "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"


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
            # `[[pdf]]()` is reported by the grammar (`link-url`) and is no link to anyone reading the file.
            "links": [{"label": link.label, "url": link.url} for link in e.links if link.url],
            "bibkey": bib.get(e).key,  # type: ignore[union-attr]  # every entry has a record
            "added": _iso(library.added(e)),
        }
        for e in library.entries
    ]


def tags(library: Library) -> list[dict[str, Any]]:
    return [
        {"name": t.name, "kind": t.kind, "slug": t.slug, "url": t.url, "count": len(t.entries),
         "papers": [library.entry_url(e) for e in t.entries], "aliases": t.aliases}
        for t in library.tags.values()
    ]


def authors(library: Library) -> list[dict[str, Any]]:
    return [_author(library, a) for a in library.authors.values()]


def _author(library: Library, a: Author) -> dict[str, Any]:
    return {"name": a.name, "slug": a.slug, "url": a.url, "count": len(a.entries),
            "papers": [library.entry_url(e) for e in a.entries],  # in row order already
            "aliases": a.aliases,
            "coauthors": [{"name": c.name, "count": n} for c, n in library.ranked_coauthors(a)],
            "homepage": a.homepage}


def _authors_text(library: Library, fragments: Fragments) -> str:
    """authors.json, each author's line kept by what it is made from: under `mkdocs serve` an edit
    makes again only the lines of the authors it touched (ranking co-authors was most of the cost)."""
    lines = []
    for a in library.authors.values():
        # Co-authors are ranked by count and name alone (names are distinct: one per identity).
        key = ("authors.json", a.name, a.slug, a.url, tuple([library.entry_url(e) for e in a.entries]), tuple(a.aliases),
               tuple([(library.authors[k].name, n) for k, n in a.coauthors.items()]), a.homepage)
        lines.append(fragments.get(key, partial(_author_line, library, a)))
    return _lines(lines)


def _author_line(library: Library, a: Author) -> str:
    return _line(_author(library, a))


def _iso(date: datetime | None) -> str | None:
    return date.isoformat() if date else None


def render_all(library: Library, bibliography: Bibliography | None = None,
               fragments: Fragments | None = None) -> dict[str, str]:
    """File name -> text, for each of `EXPORTS`. `fragments`: pieces kept across rebuilds (`cache.Fragments`)."""
    return {"papers.json": _dump(papers(library, bibliography)), "tags.json": _dump(tags(library)),
            "authors.json": _authors_text(library, fragments if fragments is not None else Fragments())}


@declare
def export_files(build: BuildContext) -> Iterable[Output]:
    if not build.paths.exports:
        return
    texts: dict[str, str] = {}

    def text(name: str) -> str:
        if not texts:  # one pass makes them all
            texts.update(render_all(build.library, build.renderer.bibliography, build.renderer.fragments))
        return texts[name]

    for name in EXPORTS:
        # Made from the whole library (JSON of every entry; under `mkdocs serve` again only when
        # a note, URL, alias, option or date changed).
        yield Output(name, FILE, inputs=build.whole_library, render=partial(text, name))
