"""Notes as parsed last build, kept under `mkdocs serve`: a note is parsed again only when its text changed.

Parsing is a pure function of the note's text and path, so the text is the whole key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from papernotes.notes.model import Document


class ParsedNotes:
    """src_uri -> (text, document as parsed): the last build's, and this build's so far."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[str, Document]] = {}
        self._now: dict[str, tuple[str, Document]] = {}

    def parse(self, text: str, src: str, parse: Callable[[str, str], Document]) -> Document:
        """The note as `parse(text, src)` makes it. The library re-reads an entry's venues in
        place, so each build gets fresh copies of the entries."""
        hit = self._last.get(src)
        if hit is None or hit[0] != text:
            hit = (text, parse(text, src))
        self._now[src] = hit
        doc = hit[1]
        return replace(doc, meta=dict(doc.meta), entries=[e.copy() for e in doc.entries],
                       diagnostics=list(doc.diagnostics))

    def begin(self) -> None:
        self._now = {}

    def end(self) -> None:
        """Only the notes of this build are kept: a deleted note is forgotten."""
        self._last, self._now = self._now, {}

    def forget(self) -> None:
        self._last = {}
