"""The shell of a generated page: its front matter, its `<h1>`, and `GeneratedPage`, its title and body.

A generated page's `File` holds front matter only (`page_markdown`), so Markdown has nothing to
do; its heading (`page_heading`) and body are HTML put in after Markdown.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from papernotes.notes.slugs import github_slug


@functools.lru_cache(maxsize=1 << 16)  # every author and tag page, every build: the same titles again
def page_markdown(title: str, *, search_title_only: bool = True) -> str:
    """What a generated page's `File` holds: front matter only, so Markdown has nothing to do.

    The title goes in front matter, HTML-escaped: Material prints `page.meta.title` as is
    (and `page.title | striptags` would decode an h1's `&lt;` into a live `<`). The heading
    itself is `page_heading`, put before the body after Markdown. `search: exclude` keeps
    Material's search from parsing the page (the plugin indexes its title alone) and
    `glightbox: false` keeps the lightbox plugin off a page without images.
    """
    search = "search:\n  exclude: true\n" if search_title_only else ""
    return f"---\ntitle: {yaml_string(html.escape(title))}\n{search}glightbox: false\n---\n"


_SURROGATE_PAIR = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})")


def yaml_string(text: str) -> str:
    """`text` as a double-quoted YAML scalar: JSON's escapes, but a character beyond U+FFFF
    (an emoji) as YAML's `\\UXXXXXXXX`, since YAML refuses JSON's surrogate pairs."""
    def joined(match: re.Match[str]) -> str:
        high, low = int(match.group(1), 16), int(match.group(2), 16)
        return f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08x}"

    return _SURROGATE_PAIR.sub(joined, json.dumps(text))


def heading_id(title: str) -> str:
    """The id of a generated page's `<h1>`: GitHub's slug of its title, as a Markdown heading would get."""
    return github_slug(title) or "top"


def page_meta(title: str, *, search_title_only: bool = True) -> dict[str, Any] | None:
    """What MkDocs' YAML reading of `page_markdown`'s front matter gives, made without YAML (a
    fresh dict). tests/build/test_lean.py checks it against MkDocs."""
    meta: dict[str, Any] = {"title": html.escape(title)}
    if search_title_only:
        meta["search"] = {"exclude": True}
    meta["glightbox"] = False
    return meta


def page_heading(title: str) -> str:
    """A generated page's `<h1>`, escaped, with the id the theme's skip link and TOC point to."""
    return f'<h1 id="{html.escape(heading_id(title))}">{html.escape(title)}</h1>'


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    """A page made from the whole library (the explorer, stats, recently added): its title, and
    its body made only when the page is built. Its module in `outputs/` declares it as an `Output`."""

    title: str
    body: Callable[[], str]
