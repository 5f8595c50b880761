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
        self.kept: dict[str, tuple[str, str]] = {}  # template name -> (what it read, its output)

    def pre_template(self, template: Any, name: str) -> Any:
        """on_pre_template: MkDocs' sitemap template, wrapped; any other template as it is."""
        return _Sitemap(template, self.kept) if _mkdocs_sitemap(template, name) else template

    def forget(self) -> None:
        self.kept = {}


class _Sitemap:
    """MkDocs' sitemap template, whose output is the last build's when what it reads is the same."""

    def __init__(self, template: Any, kept: dict[str, tuple[str, str]]) -> None:
        self.template, self.kept = template, kept

    def render(self, context: Any) -> str:
        pages = context.get("pages") or []
        key = fingerprint(self.template.filename, repr([
            (p.page.is_link, p.page.canonical_url, p.page.abs_url, p.page.update_date) for p in pages]))
        hit = self.kept.get(SITEMAP)
        if hit is not None and hit[0] == key:
            return hit[1]
        output: str = self.template.render(context)
        self.kept[SITEMAP] = (key, output)
        return output


def _mkdocs_sitemap(template: Any, name: str) -> bool:
    """The sitemap template MkDocs ships (what `_Sitemap` knows it reads), not a theme's own."""
    filename = getattr(template, "filename", None) or ""
    return name == SITEMAP and os.path.normpath(filename) == os.path.join(
        os.path.dirname(os.path.abspath(mkdocs.__file__)), "templates", SITEMAP)
