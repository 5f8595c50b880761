"""Where the outputs go: every path a config gives, known without reading a note.

The declarations (`outputs/*.py`) put their outputs at these paths, and `papernotes check`
resolves links against them (`OutputPaths.__contains__`), so a link to a generated page or
file gets the same answer from the check as from the build. Paths that depend on the notes
(a page per tag and author, a feed per tag, the explorer's static pages 2..n) are known by
their folder only. Without a site_url no feed is made, and `not_made` says so in a broken
link's message. Imports nothing heavier than `posixpath`: the CLI reads it on every run.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

CSS_URI = "papernotes/papernotes.css"
CITE_JS_URI = "papernotes/papernotes-cite.js"
EXPLORER_SCRIPT_URI = "papernotes/explorer.js"
EXPLORER_ADDRESS_URI = "papernotes/explorer-address.js"  # run at once, before the theme reads the address
EXPLORER_STYLE_URI = "papernotes/explore.css"  # the stats page's charts use it too
EXPLORER_DATA_URI = "papernotes/explorer-data.js"
EXPORTS = ("papers.json", "tags.json", "authors.json")
BIBTEX = "papers.bib"
FEED = "feed.xml"
HOME = "index.md"  # the home page, made when the notes have none (outputs/home.py)


def explorer_page(explorer: str, number: int) -> str:
    """Source path of the explorer's static page `number` (1 is the explorer itself):
    `papers.md` -> `papers/2.md`, `papers/index.md` -> `papers/2.md`."""
    if number == 1:
        return explorer
    return posixpath.join(explorer_folder(explorer), f"{number}.md")


def explorer_folder(explorer: str) -> str:
    """The folder of the explorer's static pages 2..n."""
    stem = explorer[:-3]
    return posixpath.dirname(stem) if posixpath.basename(stem) in ("index", "README") else stem


@dataclass(frozen=True, slots=True)
class OutputPaths:
    """The paths of one config's outputs (the plugin's options, validated: `PapernotesConfig`)."""

    must_read: str
    recent: str | None  # None: the "Recently added" page is left out
    explorer: str
    stats: str
    tags_dir: str
    authors_dir: str
    exports: bool  # papers.json, tags.json, authors.json and papers.bib
    feeds: bool  # feed.xml and a feed per venue and topic tag: made when the site has a site_url

    OPTIONS: ClassVar[tuple[str, ...]] = ("must_read", "recent", "explorer", "stats", "tags_dir", "authors_dir", "exports")

    @classmethod
    def of(cls, options: Mapping[str, Any], *, feeds: bool) -> OutputPaths:
        """The paths of the plugin's `options` (the `OPTIONS` of them); `feeds`: whether the site has a `site_url`."""
        return cls(**{name: options[name] for name in cls.OPTIONS}, feeds=feeds)

    @property
    def tags_index(self) -> str:
        return f"{self.tags_dir}/index.md"

    def tag_page(self, slug: str) -> str:
        return f"{self.tags_dir}/{slug}.md"

    @property
    def authors_index(self) -> str:
        return f"{self.authors_dir}/index.md"

    def author_page(self, slug: str) -> str:
        return f"{self.authors_dir}/{slug}.md"

    def files(self) -> list[str]:
        """Every output whose path does not depend on the notes, in the registry's order."""
        listed = [CSS_URI, CITE_JS_URI, HOME, self.must_read, self.explorer, EXPLORER_SCRIPT_URI, EXPLORER_ADDRESS_URI,
                  EXPLORER_STYLE_URI, EXPLORER_DATA_URI, *([self.recent] if self.recent else []), self.tags_index,
                  self.authors_index, self.stats]
        if self.exports:
            listed += [*EXPORTS, BIBTEX]
        if self.feeds:
            listed.append(FEED)
        return listed

    def is_feed(self, src: str) -> bool:
        """Whether `src` is where a feed goes: `feed.xml`, or a tag's `tags/<slug>/feed.xml`."""
        folder, _, name = src.rpartition("/")
        return name == FEED and (not folder or (folder.startswith(f"{self.tags_dir}/") and folder.count("/") == self.tags_dir.count("/") + 1))

    def not_made(self, src: str) -> str | None:
        """Why the plugin makes no `src` with this config though it would with another, for a broken link's message."""
        if not self.feeds and self.is_feed(src):
            return "the Atom feeds are made only when mkdocs.yml has a site_url, as their links must be absolute"
        return None

    def __contains__(self, src: object) -> bool:
        """Whether the plugin makes `src` for some notes: one of `files()`, a static page of the
        explorer, or anything in the tags or authors folder (tag and author pages, tag feeds:
        those only with a site_url, as `feed.xml`)."""
        if not isinstance(src, str) or self.not_made(src) is not None:
            return False
        if src in self.files() or src.startswith((f"{self.tags_dir}/", f"{self.authors_dir}/")):
            return True
        name = src.rpartition("/")[2]
        number = name.removesuffix(".md")
        return name.endswith(".md") and number.isdigit() and src == explorer_page(self.explorer, int(number)) != self.explorer
