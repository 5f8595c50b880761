"""Material's search index under `mkdocs serve`: a page's entries kept while what search reads of it is unchanged.

Material's search plugin parses every page's HTML for its entries (`SearchIndex.add_entry_from_context`,
from its `on_page_context`). Wrapping that method on this build's index:

* a page whose content, title, TOC and meta are unchanged gets the entries its last build made;
* what each page adds is recorded, so a settled page (settled_pages.py), which MkDocs does not
  build, gets its entries back in the place its page comes (MkDocs builds pages in the order
  of `files`); the last of them go in by `finish`, before the search plugin writes its index;
* Material's `on_page_context` next removes `data-search-*="..."` attributes from the page's
  HTML with a regex run over all of it (the A-Z index of 20,000 authors is 2 MB). A page
  with none is lent an empty string for it, and its HTML is given back (`give_back`) by the
  plugin's `on_page_context`, when that is the next one MkDocs calls (`lend_to`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from papernotes.serve.stores import Cache

# What Material's search `on_page_context` removes from a page's HTML (`re.sub(r"\s?data-search-\w+=\"[^\"]+\"", "", ...)`):
# a page without it is unchanged by that, and its literal start is found fast.
_REMOVED = re.compile(r'data-search-\w+="[^"]+"')


class SearchEntries:
    """Search entries by page, in the cache's `search` (by content) and `indexed` (as added) stores."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self._finish: Callable[[], None] | None = None
        self._lending = False
        self._lent: dict[int, tuple[Page, str]] = {}  # id(page) -> (page, its HTML), from Material's hook to ours

    def begin(self) -> None:
        self._finish = None
        self._lending, self._lent = False, {}

    def wrap(self, index: Any, contents: dict[int, str], reused: set[str], all_pages: list[File],
             settled: dict[str, File], *, lend: bool = False) -> None:
        """on_env: `contents` is what search reads of each page (by `id(page)`), `reused` the pages
        whose HTML comes from the cache, `all_pages` every page in MkDocs' order; `lend`: the plugin's
        `on_page_context` comes right after Material's (`lend_to`)."""
        self._lending = lend
        self._reuse_entries(index, contents, reused)
        self._keep_order(index, all_pages, settled)

    def give_back(self, page: Page) -> None:
        """The plugin's on_page_context, right after Material's: the page's HTML as it was."""
        lent = self._lent.pop(id(page), None)
        if lent is not None:
            page.content = lent[1]

    def _lend(self, page: Page) -> None:
        if self._lending and page.content and not _REMOVED.search(page.content):
            self._lent[id(page)] = (page, page.content)
            page.content = ""

    def finish(self) -> None:
        """on_post_build, before the search plugin writes its index: the last settled pages' entries."""
        if self._finish is not None:
            self._finish()
            self._finish = None

    def _reuse_entries(self, index: Any, contents: dict[int, str], reused: set[str]) -> None:
        original = index.add_entry_from_context

        def add_entry_from_context(page: Page) -> None:
            fp = contents.get(id(page))
            hit = None if fp is None else self.cache.search.get(page.file.src_uri, fp)
            if hit is not None:
                index.entries.extend(dict(entry) for entry in hit)
                if page.file.src_uri in reused:
                    # Its HTML comes from the cache: nothing reads `content` again, and Material's
                    # on_page_context would next run a regex over all of it (a 200-entry note).
                    page.content = ""
                self._lend(page)
                return
            start = len(index.entries)
            original(page)
            if fp is not None:
                self.cache.search.put(page.file.src_uri, fp, [dict(entry) for entry in index.entries[start:]])
            self._lend(page)

        index.add_entry_from_context = add_entry_from_context

    def _keep_order(self, index: Any, all_pages: list[File], settled: dict[str, File]) -> None:
        """Record what each page adds to the search index (Material's entries, then a generated
        page's title entry from the plugin's on_page_context); put settled pages' entries back
        where their page comes."""
        add = index.add_entry_from_context
        order = {f.src_uri: n for n, f in enumerate(all_pages)}
        pending = sorted((order[src], src) for src in settled)
        state: dict[str, Any] = {"next": 0, "open": None, "start": 0}

        def close() -> None:
            if state["open"] is not None:
                self.cache.indexed.put(state["open"], "", [dict(e) for e in index.entries[state["start"]:]])
                state["open"] = None

        def flush(before: int) -> None:
            while state["next"] < len(pending) and pending[state["next"]][0] < before:
                index.entries.extend(dict(e) for e in self.cache.indexed.get(pending[state["next"]][1], "") or ())
                state["next"] += 1

        def add_entry_from_context(page: Page) -> None:
            close()
            flush(order.get(page.file.src_uri, len(order)))
            state["open"], state["start"] = page.file.src_uri, len(index.entries)
            add(page)

        def finish() -> None:
            close()
            flush(len(order) + 1)

        index.add_entry_from_context = add_entry_from_context
        self._finish = finish


def lend_to(handlers: list[Any], search: Any, plugin: Any) -> bool:
    """Whether `plugin`'s on_page_context is the one MkDocs calls right after the search plugin's
    (`handlers`: the `page_context` event's, in order), so a page's HTML lent away is back before
    anything else reads it."""
    at = [getattr(h, "__self__", None) for h in handlers]
    return search in at and plugin in at and at.index(plugin) == at.index(search) + 1
