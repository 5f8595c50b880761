"""`papers.bib`: every paper's BibTeX record (`render/bibtex.py`), sorted by key."""

from __future__ import annotations

from papernotes.render.bibtex import Bibliography

NAME = "papers.bib"


def text(bibliography: Bibliography) -> str:
    """The file: the records sorted by key, a newline between them."""
    return "\n".join(c.bibtex for c in sorted(bibliography.citations, key=lambda c: c.key))
