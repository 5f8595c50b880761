"""The `stale-contents` rule: a hand-kept contents list that misses sections.

The site replaces such a list with a generated one, but GitHub's preview shows it
as written, so the gap is a notice, not a warning.
"""

from __future__ import annotations

from collections.abc import Iterable

from papernotes.notes.grammar import plain_text
from papernotes.notes.model import Diagnostic, Document
from papernotes.notes.slugs import page_anchors


def stale_contents(documents: Iterable[Document]) -> list[Diagnostic]:
    """A hand-kept `## Contents` list that misses `##` sections."""
    result = []
    for doc in documents:
        if doc.contents_block is None:
            continue
        start, end = doc.contents_block
        anchors = page_anchors(doc)
        listed = {link.url[1:] for link in doc.links if start <= link.line <= end and link.url.startswith("#")}
        missing = [h for h in doc.headings if h.level == 2 and h.line != start and anchors[h.line] not in listed]
        if missing and listed:
            names = ", ".join(repr(plain_text(h.text)) for h in missing)
            result.append(Diagnostic(doc.path, start, 1, "info", "stale-contents",
                                     f"hand-kept contents list misses {len(missing)} section(s): {names} "
                                     "(the site shows a generated list; GitHub shows this one)"))
    return result
