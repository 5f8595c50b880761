"""Settled pages: generated pages MkDocs is not asked to build again, their file left as the last build wrote it.

A generated author or tag page whose dependency digest (`outputs.Output.digest`: its subject
and its entries as rows show them) is the one its output on disk was made from, when what a
page outside the nav shows of it (nav_views.py: with `navigation.prune`, the top-level items
only, so a new note that is not the Notes section's first changes nothing) and the build date
are the last build's too, is *settled*: its `File` is added as `EXCLUDED`,
so MkDocs makes no `Page` of it and runs no hook for it, and the file MkDocs wrote last build
stays in `site_dir` (see site_dir.py). What the rest of the site reads of it is given back as
the last build made it: its entries in Material's search index, in their place
(search_entries.py), and its line in `sitemap.xml` (`template_context` here). Links to it
resolve as to any file (MkDocs' note that it is "excluded from the built site" is dropped).

Settling is on only with the plugins whose per-page work this accounts for (`SETTLE_PLUGINS`);
when that view of the nav or the date changed, the candidates go back through MkDocs (`_populate_page`,
from `on_env`) like any page.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_date

from papernotes.serve.fingerprints import fingerprint
from papernotes.serve.nav_views import NavViews
from papernotes.serve.site_dir import SiteDir
from papernotes.serve.sitemap import SITEMAP
from papernotes.serve.stores import Cache

# Plugins whose work for a page is accounted for when it is settled: Material's search (its
# entries are kept), macros and glightbox (nothing for a generated page), this plugin.
SETTLE_PLUGINS = frozenset({"material.plugins.search.plugin", "mkdocs_macros.plugin", "mkdocs_glightbox.plugin",
                            "papernotes.mkdocs_plugin.plugin"})
# Where MkDocs logs what a page links to: `mkdocs.structure.pages`, or under the `properdocs`
# command ProperDocs' module standing in for it, which logs under its own name.
PAGES_LOGGER = Page.__module__
# Looked up once: an Enum member read off its class costs a descriptor call (20,000 pages a build).
_NOT_IN_NAV, _EXCLUDED = InclusionLevel.NOT_IN_NAV, InclusionLevel.EXCLUDED
_EXCLUDED_LINK = re.compile(r"^Doc file '.*' contains a link to '(?P<target>.*)' which is excluded from the built site\.$",
                            re.S)


def settling_allowed(config: MkDocsConfig) -> bool:
    """Whether pages may be settled with this config's plugins (see SETTLE_PLUGINS)."""
    return all(type(plugin).__module__ in SETTLE_PLUGINS for plugin in config.plugins.values())


class SettledPages:
    """Which generated pages this build settles, and what it keeps of the last build to decide it."""

    def __init__(self, cache: Cache, site: SiteDir) -> None:
        self.cache, self.site = cache, site
        self.settling = False  # this build may settle pages
        self.digests: dict[str, str] = {}  # src_uri -> dependency digest, this build
        self.candidates: dict[str, File] = {}  # pages added as settled, this build
        self.settled: dict[str, File] = {}  # ... and still settled after on_env
        self.page_key = ""  # what a settled page's theme output depends on besides itself (its view of the nav, date), this build
        self.all_pages: list[File] = []  # every documentation page of this build, in MkDocs' order
        self._links_filter = _SettledLinks(self.candidates)
        self._dests: dict[str, str] = {}  # src_uri -> a generated page's abs_dest_path, last build
        self._dests_now: dict[str, str] = {}
        self._kept_files: dict[str, tuple[str, File]] = {}  # src_uri -> (content, File) of the pages settled last build
        self._kept_files_now: dict[str, tuple[str, File]] = {}
        # A generated page's (dest_uri, url) as MkDocs works them out: from the process before (a
        # warm start), for the first build's new Files; and for the next process (`kept_paths`).
        self._paths: dict[str, tuple[str, str]] = {}
        # The last `kept_paths`, with the (site_dir, use_directory_urls) it was worked out for: a new
        # `File` of a page takes its paths from it too (the first edit after a full build makes 20,000).
        self._worked: tuple[tuple[str, bool], dict[str, tuple[str, str]]] = (("", True), {})
        self._layout: tuple[str, bool] = ("", True)  # the last build's site_dir and use_directory_urls
        self._sitemap_lines: dict[str, tuple[str, str | None, str, _SitemapFile]] = {}  # src -> (url, site_url, date, line)

    def begin(self, config: MkDocsConfig, enabled: bool) -> None:
        """on_config: nothing settled yet."""
        self.digests, self.page_key, self.settled = {}, "", {}
        self.candidates.clear()  # the links filter holds it
        self.settling = enabled and settling_allowed(config)
        self._dests_now, self._kept_files_now = {}, {}
        self._layout = (config.site_dir, config.use_directory_urls)
        if enabled:
            logging.getLogger(PAGES_LOGGER).addFilter(self._links_filter)

    def digest(self, src: str) -> str | None:
        """The dependency digest a generated page was given this build (None: it has none)."""
        return self.digests.get(src)

    def page_file(self, config: MkDocsConfig, src: str, content: str, inclusion: InclusionLevel, digest: str) -> File:
        """on_files: the `File` of a generated page with a dependency digest, settled if it can be
        (`settle`). A page settled in the last build and made of the same Markdown is the same
        `File` again: MkDocs works out each new File's paths and URL (at 16x, 20,000 a build),
        and a settled one is read by nothing but its URL and paths."""
        kept = self._kept_files.get(src)
        if kept is not None and kept[0] == content and kept[1].page is None:
            file = kept[1]
            file.inclusion = inclusion
        else:
            file = File.generated(config, src, content=content, inclusion=inclusion)
            paths = self._paths.get(src)
            if paths is None and self._worked[0] == self._layout:
                paths = self._worked[1].get(src)
            if paths is not None:  # as MkDocs works them out (in this process or the one before): same page, same settings
                file.dest_uri, file.url = paths
        self._kept_files_now[src] = (content, file)
        self.settle(file, digest)
        return file

    def settle(self, file: File, digest: str) -> None:
        """on_files: a generated page with a dependency digest; added as settled if its output on
        disk was made from the same digest (whether it stays settled is decided in `confirm`)."""
        src = file.src_uri
        self.digests[src] = digest
        if file.inclusion is not _NOT_IN_NAV or not self.settling:
            return  # a page in the nav stays in it
        dest = self._dests.get(src) or file.abs_dest_path  # MkDocs makes it anew for each File
        self._dests_now[src] = dest
        if self.cache.digests.get(src, digest) and self.site.was_written(dest):
            file.inclusion = _EXCLUDED
            self.candidates[src] = file

    def confirm(self, files: Files, config: MkDocsConfig, search: Any | None, views: NavViews,
                dated: bool = True) -> list[File]:
        """on_env: the candidates stay settled if what a page outside the nav shows of it (`views`)
        and the date (if the theme shows it: `dated`) are the last build's and their output and search entries are there; any
        other goes through MkDocs now, like every page. Returns every documentation page, settled
        or not, in MkDocs' order."""
        # A candidate the nav lists (mkdocs.yml's `nav:`) has a Page of the nav's making: it is
        # not outside the nav, so its view is not `views.outside`; it is built like any page.
        in_nav = {src: f for src, f in self.candidates.items() if f.page is not None}
        self._send_back(in_nav, config, files)
        self.page_key = fingerprint(views.outside, get_build_date() if dated else None)
        back = self.candidates if self.page_key != self.cache.page_key else {
            src: f for src, f in self.candidates.items()
            if src in in_nav or (search is not None and self.cache.indexed.get(src, "") is None)
            or not self.site.keep(self._dests_now[src])}
        self._send_back({src: f for src, f in back.items() if src not in in_nav}, config, files)
        self.settled = {src: f for src, f in self.candidates.items() if src not in back}
        self.all_pages = list(files.documentation_pages(inclusion=InclusionLevel.all))
        return self.all_pages

    @staticmethod
    def _send_back(back: dict[str, File], config: MkDocsConfig, files: Files) -> None:
        """Candidates that are not settled after all: read as MkDocs reads every page."""
        for file in back.values():
            file.inclusion = InclusionLevel.NOT_IN_NAV
            page = file.page if file.page is not None else Page(None, file, config)
            mkdocs_build._populate_page(page, config, files)

    def template_context(self, context: Any, name: str, config: MkDocsConfig) -> Any:
        """on_template_context: `sitemap.xml` lists settled pages too, in their place.

        The line of every page that may be settled next build (a generated page with a digest) is
        kept for it, made now if need be: a build that settles none (the first) makes them all
        (20,000 at 16x), so the first edit after it does not."""
        if name != SITEMAP or not (self.settled or self.settling) or not isinstance(context.get("pages"), list):
            return context
        listed: list[Any] = []
        date = get_build_date()
        site_url = config.site_url
        settled, lines, digests = self.settled, self._sitemap_lines, self.digests
        made: dict[str, tuple[str, str | None, str, _SitemapFile]] = {}
        for file in self.all_pages:
            src = file.src_uri
            if src in settled or src in digests:
                line = lines.get(src)  # the last build's, if the page's URL, the site's and the date are the same
                if line is None or line[0] != file.url or line[1] != site_url or line[2] != date:
                    line = (file.url, site_url, date, sitemap_file(file, site_url, date))
                made[src] = line
                if src in settled:
                    listed.append(line[3])
                    continue
            if file.inclusion.is_included():
                listed.append(file)
        self._sitemap_lines = made
        if settled:
            context["pages"] = listed
        return context

    def end(self, enabled: bool) -> None:
        """on_post_build: remember what each generated page's output on disk was made from, and
        the `File` of each page still settled."""
        logging.getLogger(PAGES_LOGGER).removeFilter(self._links_filter)
        if enabled:
            for src, digest in self.digests.items():
                self.cache.digests.put(src, digest, True)
            self.cache.page_key = self.page_key
        self._dests, self._dests_now = self._dests_now, {}
        self._kept_files = {src: kept for src, kept in self._kept_files_now.items()
                            if src in self.settled and kept[1].page is None}
        self._kept_files_now, self._paths = {}, {}

    def failed(self) -> None:
        """on_build_error: nothing of this build or the last is used again."""
        logging.getLogger(PAGES_LOGGER).removeFilter(self._links_filter)
        self.forget()
        self._dests_now, self._kept_files_now = {}, {}

    def forget(self) -> None:
        self._dests, self._kept_files, self._paths = {}, {}, {}

    def kept_paths(self) -> dict[str, tuple[str, str]]:
        """(dest_uri, url) of each generated page that could be settled last build, for the next
        process: worked out as `File.generated` does, on the save's thread (not the reload path)."""
        layout = self._layout
        site_dir, use_directory_urls = layout
        worked = self._worked[1] if self._worked[0] == layout else {}
        out = {}
        for src in list(self._dests):
            paths = worked.get(src)
            if paths is None:
                file = File(src, None, site_dir, use_directory_urls)
                paths = (file.dest_uri, file.url)
            out[src] = paths
        self._worked = (layout, out)
        return out

    def restore_paths(self, paths: dict[str, tuple[str, str]], site_dir: str) -> None:
        """Another process's `kept_paths` (its site_dir and settings are this one's: the cache records them)."""
        self._paths = paths
        self._dests = {src: os.path.normpath(os.path.join(site_dir, dest)) for src, (dest, _url) in paths.items()}


class _SettledLinks(logging.Filter):
    """Drops MkDocs' INFO that a note links to a settled page ("excluded from the built site")."""

    def __init__(self, settled: dict[str, File]) -> None:
        super().__init__()
        self.settled = settled

    def filter(self, record: logging.LogRecord) -> bool:
        m = _EXCLUDED_LINK.match(record.msg) if isinstance(record.msg, str) and "excluded" in record.msg else None
        return m is None or m.group("target") not in self.settled


@dataclass(frozen=True)
class _SitemapPage:
    """What MkDocs' `sitemap.xml` template reads of a page (`Page._set_canonical_url`, `update_date`)."""

    canonical_url: str | None
    abs_url: str | None
    update_date: str
    is_link: bool = False


@dataclass(frozen=True)
class _SitemapFile:
    """A settled page's `File` as the sitemap template reads it (`file.page`)."""

    page: _SitemapPage


def sitemap_file(file: File, site_url: str | None, date: str) -> _SitemapFile:
    """A settled page's line in `sitemap.xml`, with the URLs `Page` would give it."""
    if site_url:
        base = site_url if site_url.endswith("/") else site_url + "/"
        url = file.url
        if url.startswith(("/", ".")) or ":" in url or "/." in url:
            canonical = urljoin(base, url)
            return _SitemapFile(_SitemapPage(canonical, urlsplit(canonical).path, date))
        # A plain relative URL (`authors/ada/`) joins by concatenation (a thousand pages a millisecond).
        return _SitemapFile(_SitemapPage(base + url, _path(base) + url, date))
    return _SitemapFile(_SitemapPage(None, None, date))


@functools.lru_cache(maxsize=8)
def _path(base: str) -> str:
    return urlsplit(base).path
