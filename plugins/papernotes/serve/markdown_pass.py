"""A page's Markdown pass (`Page.render`), reused when its final Markdown and its links are unchanged.

`on_pre_page` wraps the page's `render`: when it is called, the Markdown every
`on_page_markdown` hook made is final, and it is the fingerprint, with the page's path and
URL and every file lookup the last pass made to resolve links (each must give the same file
again). A hit restores what `Page.render` sets (HTML, TOC, title, anchors, links to
anchors) and replays the log records the pass emitted, so warnings (and `--strict`) stay
the same. `to_plain` and `from_plain` turn a pass's result into plain data and back, for the
cache kept on disk (serve_state.py).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from papernotes.serve.fingerprints import fingerprint
from papernotes.serve.stores import Store


class MarkdownPass:
    """Each page's Markdown pass by its fingerprint, in the cache's `rendered` store."""

    def __init__(self, rendered: Store[Any]) -> None:
        self.rendered = rendered

    def wrap_render(self, page: Page) -> None:
        """on_pre_page: the page's Markdown pass goes through the cache."""
        page.render = partial(self._render, page, page.render)  # type: ignore[method-assign]  # the Markdown pass's hook point (pinned by tests)

    def _render(self, page: Page, original: Callable[[MkDocsConfig, Files], None], config: MkDocsConfig,
                files: Files) -> None:
        file = page.file
        fp = fingerprint(page.markdown, file.src_uri, file.url, file.dest_uri)
        hit = self.rendered.get(file.src_uri, fp)
        if hit is not None and all(_identity(files.get_file_from_path(p)) == i for p, i in hit["lookups"].items()):
            page.content, page.toc, page._title_from_render = hit["content"], hit["toc"], hit["title"]
            page.present_anchor_ids = set(hit["anchors"])
            # Each target was looked up by the last pass, and gives the same file again (checked above).
            page.links_to_anchors = None if hit["links"] is None else {
                files.get_file_from_path(src): dict(links) for src, links in hit["links"].items()}  # type: ignore[misc]  # each file was found again: the lookups were checked above
            for record in hit["records"]:
                logging.getLogger(record.name).handle(record)
            return
        recording = _RecordingFiles(files)
        with _capturing() as capture:
            original(config, recording)  # type: ignore[arg-type]  # forwards every Files method, recording lookups
        self.rendered.put(file.src_uri, fp, {
            "lookups": recording.lookups, "content": page.content, "toc": page.toc, "title": page._title_from_render,
            "anchors": frozenset(page.present_anchor_ids or ()),
            "links": None if page.links_to_anchors is None else {
                f.src_uri: dict(links) for f, links in page.links_to_anchors.items()},
            "records": capture.records})


class _RecordingFiles:
    """`files` as the Markdown pass sees it, remembering every lookup it makes to resolve a link."""

    def __init__(self, files: Files) -> None:
        self._files = files
        self.lookups: dict[str, tuple[str, str, str] | None] = {}

    def get_file_from_path(self, path: str) -> File | None:
        file = self._files.get_file_from_path(path)
        self.lookups[path] = _identity(file)
        return file

    def __getattr__(self, name: str) -> Any:
        return getattr(self._files, name)


def _identity(file: File | None) -> tuple[str, str, str] | None:
    return None if file is None else (file.src_uri, file.url, file.dest_uri)


class _Capture(logging.Handler):
    """Log records of this thread while a Markdown pass runs (the server logs from another thread)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.thread = threading.get_ident()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.records.append(record)


@contextmanager
def _capturing() -> Iterator[_Capture]:
    capture = _Capture()
    root = logging.getLogger()
    root.addHandler(capture)
    try:
        yield capture
    finally:
        root.removeHandler(capture)


# -- a pass's result as plain data, for the cache kept on disk -----------------------------------

_RECORD_FIELDS = ("name", "levelno", "levelname", "pathname", "lineno", "funcName", "module", "filename")


def to_plain(result: dict[str, Any]) -> dict[str, Any]:
    """A Markdown pass's result (what `_render` stores) as JSON-ready data; `from_plain` reverses it."""
    return {"lookups": [[path, None if i is None else list(i)] for path, i in result["lookups"].items()],
            "content": result["content"], "toc": _toc_plain(result["toc"]), "title": result["title"],
            "anchors": sorted(result["anchors"]), "links": result["links"],
            # a record's message is kept as it reads: its arguments may be any object
            "records": [{**{f: getattr(r, f, None) for f in _RECORD_FIELDS}, "msg": r.getMessage()} for r in result["records"]]}


def from_plain(plain: dict[str, Any]) -> dict[str, Any]:
    return {"lookups": {path: None if i is None else tuple(i) for path, i in plain["lookups"]},
            "content": plain["content"], "toc": TableOfContents(_toc_items(plain["toc"])), "title": plain["title"],
            "anchors": frozenset(plain["anchors"]), "links": plain["links"],
            "records": [logging.makeLogRecord({**r, "args": None}) for r in plain["records"]]}


def _toc_plain(items: Any) -> list[Any]:
    return [[i.title, i.id, i.level, _toc_plain(i.children)] for i in items]


def _toc_items(plain: list[Any]) -> list[AnchorLink]:
    items = []
    for title, id_, level, children in plain:
        link = AnchorLink(title, id_, level)
        link.children = _toc_items(children)
        items.append(link)
    return items
