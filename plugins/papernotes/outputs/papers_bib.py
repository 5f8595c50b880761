"""`papers.bib`: every paper's BibTeX record (`render/bibtex.py`), sorted by key."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from papernotes.outputs.paths import BIBTEX
from papernotes.outputs.registry import FILE, BuildContext, Output, declare
from papernotes.render.bibtex import Bibliography


def text(bibliography: Bibliography) -> str:
    """The file: the records sorted by key, a newline between them."""
    return "\n".join(c.bibtex for c in sorted(bibliography.citations, key=lambda c: c.key))


@declare
def papers_bib(build: BuildContext) -> Iterable[Output]:
    if build.paths.exports:  # the `exports` option covers the BibTeX with the JSON
        yield Output(BIBTEX, FILE, inputs=build.whole_library, render=partial(text, build.renderer.bibliography))
