"""MkDocs' `sitemap.xml` under `mkdocs serve`: rendered again only when a page's line in it changed.

At 16x the sitemap is 20,000 `<url>` elements, rendered again for an edit to one note. MkDocs'
own template reads of every page `is_link`, `canonical_url`, `abs_url` and `update_date`, in
order: when those are the same, its output is the last build's. A theme's own sitemap
template is left alone (what it reads is not known).
"""

from __future__ import annotations

import os
from typing import Any

import mkdocs

from papernotes.serve.fingerprints import fingerprint

SITEMAP = "sitemap.xml"


class KeptSitemap:
    """The last build's sitemap, by what the template read of every page."""

    def __init__(self) -> None:
        self.kept: dict[str, tuple[str, str]] = {}  # template name -> (digest of what it read, its output)
        # In this process: template name -> (what it read, as read, and the output in `kept` it made),
        # compared as it is (20,000 pages' lines: cheaper than their digest).
        self.read: dict[str, tuple[list[Any], str]] = {}

    def pre_template(self, template: Any, name: str) -> Any:
        """on_pre_template: MkDocs' sitemap template, wrapped; any other template as it is."""
        return _Sitemap(template, self) if _mkdocs_sitemap(template, name) else template

    def forget(self) -> None:
        self.kept, self.read = {}, {}


class _Sitemap:
    """MkDocs' sitemap template, whose output is the last build's when what it reads is the same."""

    def __init__(self, template: Any, sitemap: KeptSitemap) -> None:
        self.template, self.sitemap = template, sitemap

    def render(self, context: Any) -> str:
        pages = context.get("pages") or []
        read = [self.template.filename, *[(p.page.is_link, p.page.canonical_url, p.page.abs_url, p.page.update_date) for p in pages]]
        kept, last = self.sitemap.kept, self.sitemap.read.get(SITEMAP)
        hit = kept.get(SITEMAP)
        if hit is not None and last is not None and last[1] is hit[1] and last[0] == read:
            return hit[1]
        key = fingerprint(repr(read))
        if hit is None or hit[0] != key:
            hit = kept[SITEMAP] = (key, self.template.render(context))
        self.sitemap.read[SITEMAP] = (read, hit[1])
        return hit[1]


def _mkdocs_sitemap(template: Any, name: str) -> bool:
    """The sitemap template MkDocs ships (what `_Sitemap` knows it reads), not a theme's own."""
    filename = getattr(template, "filename", None) or ""
    return name == SITEMAP and os.path.normpath(filename) == os.path.join(
        os.path.dirname(os.path.abspath(mkdocs.__file__)), "templates", SITEMAP)
