"""Machine-readable outputs: papers.json, tags.json, authors.json (papers.bib: `papers_bib.py`).

Documented in docs/exports.md. Records are plain JSON values in a stable order so
two builds of the same notes produce byte-identical files.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from papernotes.index.authors import Author
from papernotes.index.changes import LibraryChanges
from papernotes.index.library import Library
from papernotes.index.tags import Tag
from papernotes.notes.grammar import plain_text
from papernotes.notes.model import Entry
from papernotes.outputs.paths import EXPORTS
from papernotes.outputs.registry import FILE, BuildContext, Output, declare
from papernotes.render.bibtex import Bibliography


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
    return [_paper(library, bib, e) for e in library.entries]


def _paper(library: Library, bib: Bibliography, e: Entry) -> dict[str, Any]:
    return {
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


def tags(library: Library) -> list[dict[str, Any]]:
    return [_tag(library, t) for t in library.tags.values()]


def _tag(library: Library, t: Tag) -> dict[str, Any]:
    return {"name": t.name, "kind": t.kind, "slug": t.slug, "url": t.url, "count": len(t.entries),
            "papers": [library.entry_url(e) for e in t.entries], "aliases": t.aliases}


def authors(library: Library) -> list[dict[str, Any]]:
    return [_author(library, a) for a in library.authors.values()]


def _author(library: Library, a: Author) -> dict[str, Any]:
    return {"name": a.name, "slug": a.slug, "url": a.url, "count": len(a.entries),
            "papers": [library.entry_url(e) for e in a.entries],  # in row order already
            "aliases": a.aliases,
            "coauthors": [{"name": c.name, "count": n} for c, n in library.ranked_coauthors(a)],
            "homepage": a.homepage}


@dataclass
class ExportLines:
    """The exports' lines, each by what it is made from: an entry, a tag, an author. Under
    `mkdocs serve` the next build takes the lines of what `index.changes` finds unchanged."""

    papers: dict[int, str] = field(default_factory=dict)  # id(entry) -> its papers.json line
    tags: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, key) -> its tags.json line
    authors: dict[str, str] = field(default_factory=dict)  # key -> its authors.json line
    texts: dict[str, str] = field(default_factory=dict)  # tags.json and authors.json as written


def _iso(date: datetime | None) -> str | None:
    return date.isoformat() if date else None


def render_all(library: Library, bibliography: Bibliography | None = None, *, changes: LibraryChanges | None = None,
               last: ExportLines | None = None, lines: ExportLines | None = None) -> dict[str, str]:
    """File name -> text, for each of `EXPORTS`. With `changes` and `last` (the last build's lines),
    the lines of entries, tags and authors that did not change are the last build's; `lines`
    receives this build's, for the next."""
    bib = bibliography or Bibliography(library.entries, library.added)
    made = lines if lines is not None else ExportLines()
    reuse = last if changes is not None else None
    for e in library.entries:
        old = changes.previous_entry(e) if reuse is not None and changes is not None else None
        # An entry the same but moved (`index.changes`) has another "line": its record is made again.
        line = reuse.papers.get(id(old)) if reuse is not None and old is not None and old.line == e.line else None
        made.papers[id(e)] = line if line is not None else _line(_paper(library, bib, e))
    papers = _lines(list(made.papers.values()))
    if reuse is not None and changes is not None and changes.shows_the_same and reuse.texts:
        # No tag or author changed, and every entry's URL is as it was: both files as they were.
        made.tags, made.authors, made.texts = reuse.tags, reuse.authors, reuse.texts
        return {"papers.json": papers, **reuse.texts}
    for t in library.tags.values():
        key = (t.kind, t.key)
        line = reuse.tags.get(key) if reuse is not None and changes is not None and not changes.tag_changed(t) else None
        made.tags[key] = line if line is not None else _line(_tag(library, t))
    for a in library.authors.values():
        line = reuse.authors.get(a.key) if reuse is not None and changes is not None and not changes.author_changed(a) else None
        made.authors[a.key] = line if line is not None else _line(_author(library, a))
    made.texts = {"tags.json": _lines(list(made.tags.values())), "authors.json": _lines(list(made.authors.values()))}
    return {"papers.json": papers, **made.texts}


LINES = "export-lines"  # where a build keeps its `ExportLines` (`BuildContext.memo`)


@declare
def export_files(build: BuildContext) -> Iterable[Output]:
    if not build.paths.exports:
        return
    texts: dict[str, str] = {}

    def text(name: str) -> str:
        if not texts:  # one pass makes them all
            last = build.last.memo.get(LINES) if build.last is not None else None
            texts.update(render_all(build.library, build.renderer.bibliography, changes=build.changes, last=last,
                                    lines=build.memo.setdefault(LINES, ExportLines())))
        return texts[name]

    for name in EXPORTS:
        # Made from the whole library (JSON of every entry; under `mkdocs serve` again only when
        # a note, URL, alias, option or date changed, and then line by line from what changed).
        yield Output(name, FILE, inputs=build.whole_library, render=partial(text, name))
