"""Slugs: GitHub-style heading anchors (Unicode kept) and ASCII page slugs.

Anchors must match what GitHub's Markdown preview generates, so a link copied
from the preview keeps working on the site. Page slugs (authors, tags) are
ASCII-folded so that URLs are readable and safe on every filesystem.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

from pymdownx.slugs import slugify as _pymdownx_slugify
from slugify import slugify as _ascii_slugify

from papernotes.notes.grammar import plain_text
from papernotes.notes.memo import kept
from papernotes.notes.model import Document

_github = _pymdownx_slugify(case="lower")
# Emphasis markers are markup, not text: GitHub slugs `_Lumiere_` as `lumiere`. Underscores
# inside words (`snake_case`) are text, as CommonMark says.
_EMPHASIS = (
    re.compile(r"(\*\*|~~)(?=\S)(.+?)(?<=\S)\1"),
    re.compile(r"(?<!\w)(__)(?=\S)(.+?)(?<=\S)\1(?!\w)"),
    re.compile(r"(\*)(?=[^\s*])(.+?)(?<=[^\s*])\1"),
    re.compile(r"(?<!\w)(_)(?=[^\s_])(.+?)(?<=[^\s_])\1(?!\w)"),
)


def visible_text(heading_markdown: str) -> str:
    """What a reader sees of a heading: links as their text, emphasis markers dropped."""
    text = plain_text(heading_markdown)
    for pattern in _EMPHASIS:
        text = pattern.sub(r"\2", text)
    return text


@functools.lru_cache(maxsize=1 << 16)  # pure; every rebuild slugs every heading and generated page title again
@kept("github_slug")
def github_slug(heading_markdown: str) -> str:
    """Slug of a heading as GitHub computes it from the heading's visible text."""
    return str(_github(visible_text(heading_markdown), "-"))


def github_unique(base: str, occurrences: dict[str, int]) -> str:
    """github-slugger's de-duplication: `x`, then `x-1`, `x-2`... skipping ids already taken.

    `occurrences` holds every id taken so far on the page (with how many repeats of it were
    numbered); the heading ids of the site (`extensions.github_ids`) and the anchors the
    checks and the index expect (`page_anchors`) both come from here, so they cannot drift.
    """
    slug = base
    while slug in occurrences:
        occurrences[base] += 1
        slug = f"{base}-{occurrences[base]}"
    occurrences[slug] = 0
    return slug


def page_anchors(doc: Document) -> dict[int, str]:
    """Heading line -> anchor, unique per page the way GitHub makes them (`x`, `x-1`, ...)."""
    occurrences: dict[str, int] = {}
    return {heading.line: github_unique(github_slug(heading.text), occurrences) for heading in doc.headings}


def entry_anchors(doc: Document, anchors: dict[int, str] | None = None) -> dict[int, str]:
    """Entry heading line -> its short, stable anchor, from the title alone (`#segment-anything`).

    GitHub's anchor of an entry is the slug of its whole heading (`#-cvpr-2023-segment-anything-pdf`):
    long, and it changes when a tag or link is added. The short one is what the site's
    permalinks, rows and exports use; the long one keeps working beside it. Repeats get
    `-2`, `-3`; a short anchor never takes another heading's GitHub anchor (`anchors`).
    """
    anchors = page_anchors(doc) if anchors is None else anchors
    taken = set(anchors.values())
    bases = {e.line: github_slug(e.title) or anchors.get(e.line, "") or "paper" for e in doc.entries}
    used: set[str] = set()
    result: dict[int, str] = {}

    def free(slug: str, entry_line: int) -> bool:
        return slug not in used and (slug not in taken or slug == anchors.get(entry_line))

    # A title's own slug first, so `Segment Anything 2` keeps `segment-anything-2` whatever comes before it.
    for entry in doc.entries:
        if free(bases[entry.line], entry.line):
            used.add(bases[entry.line])
            result[entry.line] = bases[entry.line]
    all_bases = set(bases.values())
    for entry in doc.entries:
        if entry.line in result:
            continue
        base, n = bases[entry.line], 2
        while not free(f"{base}-{n}", entry.line) or f"{base}-{n}" in all_bases:
            n += 1
        used.add(f"{base}-{n}")
        result[entry.line] = f"{base}-{n}"
    return dict(sorted(result.items()))


@functools.lru_cache(maxsize=1 << 16)  # pure and slow (transliteration); every rebuild asks again for every name
@kept("ascii_fold")  # and every `serve` start
def ascii_fold(text: str) -> str:
    """`text` transliterated to lowercase ASCII words joined by `-` (may be empty).

    The backend is named: with "auto", python-slugify looks for Unidecode on every call
    (slow when it is absent) and slugs would change on a machine where it is present.
    """
    return _ascii_slugify(text, max_length=80, word_boundary=True, backend="text-unidecode")


def ascii_slug(text: str, fallback_prefix: str = "x") -> str:
    """Readable ASCII slug (`José Lezama` -> `jose-lezama`, CJK transliterated).

    Text with nothing to transliterate (punctuation, emoji) gets a stable hash
    so it still has a page. Only `[a-z0-9-]` can come out: never `/` or `..`.
    """
    slug = ascii_fold(text)
    if not slug:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
        slug = f"{fallback_prefix}-{digest}"
    return slug


Key = TypeVar("Key", bound=Hashable)


def assign_unique(keys: Iterable[Key], base_slugs: Mapping[Key, str], reserved: set[str]) -> dict[Key, str]:
    """Give every key a distinct slug: the first (in `keys` order) keeps the base, later ones `-2`, `-3`...

    Not GitHub's `-1` rule (`github_unique`) on purpose: these are the site's own page names
    (authors, tags), where the second `kaiming-he` reads as `kaiming-he-2`, and every
    published author and tag URL depends on the numbering staying as it is.
    """
    taken = set(reserved)
    result: dict[Key, str] = {}
    for key in keys:
        base = base_slugs[key]
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        result[key] = slug
    return result
