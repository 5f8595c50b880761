"""Plain data produced by the grammar and consumed by every other layer.

Nothing here knows about MkDocs: these are the values the parser returns, the
CLI prints and the plugin renders, and the one way a diagnostic's message points
at another place (`line_ref`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem in a note, pinned to a file position (1-based line and column)."""

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message} [{self.code}]"


def line_ref(path: str, line: int, here: str) -> str:
    """How a diagnostic about `here` names another place: `line 12` in the same file, else `other.md:12`."""
    return f"line {line}" if path == here else f"{path}:{line}"


@dataclass(frozen=True, slots=True)
class Link:
    """A resource link written `[[label]](url)` in an entry heading."""

    label: str
    url: str
    col: int


@dataclass(frozen=True, slots=True)
class Figure:
    """An image `![alt](url)` found in a note; `col`/`end_col` span the whole image syntax."""

    alt: str
    url: str
    line: int
    col: int
    end_col: int


@dataclass(frozen=True, slots=True)
class InlineLink:
    """A Markdown link `[text](url)` anywhere outside code (headings included); `url` has no title or `<>`."""

    text: str
    url: str
    line: int
    col: int


@dataclass(frozen=True, slots=True)
class Heading:
    """Any ATX heading outside code, in document order (used for GitHub-style anchors)."""

    level: int
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Venue:
    """A venue an entry names: `[NeurIPS 2023 Oral]` -> Venue("NeurIPS", 2023, "Oral")."""

    name: str
    year: int | None = None
    qualifier: str = ""


@dataclass(slots=True)
class Entry:
    """One paper entry: a level-3 heading with its author line and body."""

    path: str
    line: int
    heading: str
    title: str
    priority: int = 0
    tags: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    authors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    section: str | None = None
    # The venues the tags name, in written order; `venue` and `year` are the first venue's (the year:
    # the first written one when that venue has none). The grammar fills them from the tags alone
    # (`[NeurIPS 2023 Oral]`); a `Library` reads them again knowing every note (`[NeurIPS]` alone is a
    # venue when NeurIPS is one elsewhere) and names each venue as its tag page does.
    venues: tuple[Venue, ...] = ()
    venue: str | None = None
    year: int | None = None
    author_line: int | None = None
    topics_line: int | None = None
    end_line: int = 0
    figures: tuple[Figure, ...] = ()

    @property
    def header_end_line(self) -> int:
        """Last line of the heading block (heading, author line, topics line)."""
        return max(self.line, self.author_line or 0, self.topics_line or 0)

    def copy(self) -> Entry:
        """A shallow copy, as `dataclasses.replace(entry)` makes it in a tenth of the time (under
        `mkdocs serve` every build copies every entry: 6,400 at 16x). Every field is copied: a
        field added to `Entry` and not here leaves the copy without it (tests/unit/notes pins it)."""
        new = object.__new__(Entry)
        new.path, new.line, new.heading, new.title, new.priority = self.path, self.line, self.heading, self.title, self.priority
        new.tags, new.links, new.authors, new.topics, new.section = self.tags, self.links, self.authors, self.topics, self.section
        new.venues, new.venue, new.year = self.venues, self.venue, self.year
        new.author_line, new.topics_line, new.end_line, new.figures = self.author_line, self.topics_line, self.end_line, self.figures
        return new


@dataclass(slots=True)
class Document:
    """Everything the grammar knows about one note."""

    path: str
    meta: dict[str, Any] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    links: list[InlineLink] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Line range (1-based, inclusive) of a hand-written contents list to replace, if any.
    contents_block: tuple[int, int] | None = None
    # Line of the page's leading `# Title`, so generated contents can follow it.
    title_line: int | None = None
    # Number of lines taken by YAML front matter (MkDocs strips them before rendering).
    body_start: int = 1

    @property
    def options(self) -> dict[str, Any]:
        """The page's `papernotes:` front-matter switches ({} when absent or not a mapping)."""
        value = self.meta.get("papernotes")
        return value if isinstance(value, dict) else {}
