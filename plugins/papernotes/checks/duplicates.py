"""The `duplicate-paper` rule: the same paper entered twice, in one note or in two.

Papers are the same by `notes.identity` (arXiv id, DOI, normalised title), the identity
the dates added and the BibTeX export use too.
"""

from __future__ import annotations

from collections.abc import Iterable

from papernotes.notes.grammar import duplicate_title_key
from papernotes.notes.identity import PaperKey, paper_keys
from papernotes.notes.model import Diagnostic, Document, Entry, line_ref


def duplicate_papers(documents: Iterable[Document]) -> list[Diagnostic]:
    """An entry whose arXiv id, DOI or normalised title was already seen (reported at the later one)."""
    first: dict[PaperKey, Entry] = {}
    result = []
    for doc in documents:
        for entry in doc.entries:
            reasons: list[str] = []
            earlier: Entry | None = None
            for key in paper_keys(entry):
                other = first.setdefault(key, entry)
                if other is entry:
                    continue
                if earlier is None:
                    earlier = other
                if other is earlier:
                    reasons.append(key[0] if key[0] == "title" else f"{key[0]} {key[1]}")
            if earlier is None or _grammar_reported(entry, earlier, reasons):
                continue
            where = line_ref(earlier.path, earlier.line, entry.path)
            result.append(Diagnostic(entry.path, entry.line, 1, "warning", "duplicate-paper",
                                     f"same paper as {where} (same {' and '.join(reasons)}); keep one entry"))
    return result


def _grammar_reported(entry: Entry, earlier: Entry, reasons: list[str]) -> bool:
    """The grammar already reports the same title twice on one page (`duplicate-title`)."""
    return (entry.path == earlier.path and reasons == ["title"]
            and duplicate_title_key(entry.title) == duplicate_title_key(earlier.title))
