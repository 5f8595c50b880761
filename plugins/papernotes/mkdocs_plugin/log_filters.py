"""Calm build output: logging filters the plugin installs for one build (`BuildFilters`; no MkDocs import).

* `Repeats`: MkDocs' own warning about a link or figure the plugin already reported
  (with line and column) is dropped: one problem, one line. So is every link warning
  about a note the plugin did not check (a 2 MB line of images would give 100,000).
* `Chatter`: mkdocs-macros logs a dozen INFO lines on every build; they show with
  `mkdocs build --verbose` or the macros plugin's `verbose: true` only.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

MACROS_LOGGER = "mkdocs.plugins.mkdocs_macros.util"
# "Doc file 'a.md' contains a link 'x.png', but the target is not found among documentation files."
_MKDOCS_LINK = re.compile(r"^Doc file '(?P<src>.*?)' contains (?:a link|an unrecognized relative link) '(?P<url>.*)'"
                          r"(?:, but | but |, it was )", re.S)


def mkdocs_link(message: str) -> tuple[str, str] | None:
    """(page src_uri, url) of MkDocs' warning about a link, or None for any other message."""
    m = _MKDOCS_LINK.match(message) if message.startswith("Doc file '") else None
    return (m.group("src"), m.group("url")) if m else None


class Repeats(logging.Filter):
    """Drops MkDocs' link warnings for which `reported(src_uri, url)` is true."""

    def __init__(self, reported: Callable[[str, str], bool]) -> None:
        super().__init__()
        self.reported = reported

    def filter(self, record: logging.LogRecord) -> bool:
        link = mkdocs_link(record.msg) if isinstance(record.msg, str) else None
        return link is None or not self.reported(*link)


class Chatter(logging.Filter):
    """Keeps a logger's INFO (and lower) records only when `verbose` or MkDocs runs with `--verbose`."""

    def __init__(self, verbose: bool) -> None:
        super().__init__()
        self.verbose = verbose

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.INFO or self.verbose or logging.getLogger("mkdocs").getEffectiveLevel() <= logging.DEBUG


class BuildFilters:
    """The filters of one build on MkDocs' and mkdocs-macros' loggers. They hold this build's state:
    another build in the same process (`mkdocs serve` runs on_config again before every rebuild)
    must not see them, so they are removed when the build ends or fails."""

    def __init__(self) -> None:
        self._installed: list[tuple[logging.Logger, logging.Filter]] = []

    def install(self, reported: Callable[[str, str], bool], verbose: bool, pages_logger: str) -> None:
        """`pages_logger`: where the engine logs what a page links to (`settled_pages.PAGES_LOGGER`:
        MkDocs' `mkdocs.structure.pages`, or ProperDocs' own module's name under `properdocs`)."""
        self._installed = [(logging.getLogger(pages_logger), Repeats(reported)), (logging.getLogger(MACROS_LOGGER), Chatter(verbose))]
        for logger, flt in self._installed:
            logger.addFilter(flt)

    def remove(self) -> None:
        for logger, flt in self._installed:
            logger.removeFilter(flt)
        self._installed = []
