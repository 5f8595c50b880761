"""The plugin's options in mkdocs.yml (`plugins: - papernotes: {...}`)."""

from __future__ import annotations

import posixpath

from mkdocs.config import base
from mkdocs.config import config_options as c


class SafePath(c.Type[str]):
    """A relative path that stays inside its folder: no absolute paths, no `..`."""

    def __init__(self, default: str) -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        value = super().run_validation(value)
        norm = posixpath.normpath(str(value).replace("\\", "/"))
        if norm in ("", ".") or norm == ".." or norm.startswith("../") or posixpath.isabs(norm):
            raise base.ValidationError(f"must be a relative path inside the project, got {value!r}")
        return norm


class PageOrOff(SafePath):
    """A generated page's source path, or `false`/`null` to leave the page out."""

    def run_validation(self, value: object) -> str | None:  # type: ignore[override]  # `false`/`null` leave the page out: wider than Type[str]'s return
        if value is None or value is False:
            return None
        return super().run_validation(value)


class PapernotesConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Turn the plugin off without removing it (e.g. `enabled: !ENV [PAPERNOTES, true]`)."""

    contents = c.Type(bool, default=True)
    """Put a generated contents block at the top of every note (a page can say `papernotes: {contents: false}`)."""

    must_read = SafePath("must-read.md")
    """Source path of the generated Must-read page."""

    recent = PageOrOff("recent.md")
    """Source path of the generated "Recently added" page (entries by date added); `null` leaves it out."""

    feed_entries = c.Type(int, default=50)
    """How many of the newest additions `feed.xml` and the per-tag feeds carry (feeds need `site_url`)."""

    explorer = SafePath("papers.md")
    """Source path of the explorer ("All papers"): every entry, filtered in the browser; its static
    pages 2..n (for readers without JavaScript) go in the folder of the same name (`papers/2.md`)."""

    stats = SafePath("stats.md")
    """Source path of the stats page: papers per year, venue, priority, author, organisation and month added."""

    tags_dir = SafePath("tags")
    """Folder of the tag index (`tags/`) and per-tag pages (`tags/<slug>/`)."""

    authors_dir = SafePath("authors")
    """Folder of the author index (`authors/`) and per-author pages (`authors/<slug>/`)."""

    assets_dir = SafePath("assets")
    """Top-level folder (beside mkdocs.yml) served with the site under the same name; notes link to it as `../assets/...`."""

    aliases = c.Optional(c.Type(str))
    """YAML file (relative to mkdocs.yml) merging author and tag spellings; see docs/contributing.md."""

    min_papers = c.Type(int, default=1)
    """Authors with fewer entries are listed on the author index without a page of their own."""

    section_topics = c.Type(bool, default=True)
    """Treat the `##` section an entry stands under as one of its topics."""

    notes_section = c.Type(str, default="Notes")
    """Nav section the notes go in when mkdocs.yml has no `nav:` ("" puts them at the top level).

    In a section, Material's `navigation.prune` leaves the list of notes out of every page
    outside it (the author and tag pages), which keeps big sites' builds linear."""

    exports = c.Type(bool, default=True)
    """Write papers.json, tags.json and authors.json at the site root."""

    dates = c.Type(bool, default=True)
    """Date each entry by the git history of its note (shown on the note, in papers.json, the recent page and feeds)."""

    serve_cache = PageOrOff(".papernotes-cache")
    """Folder (beside mkdocs.yml) where `mkdocs serve` keeps its rebuild cache and site for the next
    `serve` to start from; `false` keeps them in memory only. `mkdocs build` never uses it."""

    disable = c.ListOfItems(c.Type(str), default=[])
    """Rule codes (e.g. `duplicate-title`) not to report."""
