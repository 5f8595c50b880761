"""What the plugin knows of one build: its notes as read, the library and renderer made of them, what it generated.

A `BuildState` is made fresh in every `on_files` (`reading.read_notes`), so the one-process
rebuilds of `mkdocs serve` never see stale entries; only the rebuild cache (serve/) and the last
complete build's state (compared with this one's by `index.changes`) live across builds, and
nothing is reused that a comparison does not prove unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mkdocs.structure.pages import Page

from papernotes.index.aliases import Aliases
from papernotes.index.changes import LibraryChanges
from papernotes.index.library import Library
from papernotes.notes.figures import Layout
from papernotes.notes.model import Diagnostic, Document
from papernotes.outputs import registry as outputs
from papernotes.outputs.paths import OutputPaths
from papernotes.render.note_page import Fills
from papernotes.render.views import Renderer


@dataclass
class BuildState:
    """Everything one build knows; replaced on every build."""

    layout: Layout
    documents: dict[str, Document] = field(default_factory=dict)
    lines: dict[str, list[str]] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)  # src_uri -> path shown in messages
    figure_urls: dict[str, dict[tuple[int, int], str | None]] = field(default_factory=dict)
    # Notes not parsed (binary, a 2 MB line) -> why: shown instead of the text, no link warnings from MkDocs.
    unchecked: dict[str, str] = field(default_factory=dict)
    file_problems: list[Diagnostic] = field(default_factory=list)  # unreadable notes, a bad aliases file
    sources: str | None = None  # a digest of every note's text (`outputs.BuildContext.sources`)
    aliases: Aliases = field(default_factory=Aliases)
    library: Library | None = None
    renderer: Renderer | None = None
    changes: LibraryChanges | None = None  # under serve: what changed since the last build (`index.changes`)
    context: outputs.BuildContext | None = None  # what the declarations read (generation.py)
    # src_uri -> (what a note's Markdown was made from, (its description, its Markdown, its entries'
    # meta lines)): this build's (note_pages.py), and the last complete build's under serve.
    notes_made: dict[str, tuple[object, tuple[str | None, str, Fills]]] = field(default_factory=dict)
    notes_before: dict[str, tuple[object, tuple[str | None, str, Fills]]] = field(default_factory=dict)
    generated: dict[str, outputs.Output] = field(default_factory=dict)  # src_uri -> what the registry declared
    paths: OutputPaths | None = None  # where this build's outputs go (generation.py), for the link checks
    head: dict[str | None, str] = field(default_factory=dict)  # src_uri (None: every page) -> feed <link>s for <head>
    reported: set[tuple[str, str]] = field(default_factory=set)  # (src_uri, url) the plugin reported: not repeated

    def generated_page(self, page: Page) -> outputs.Output | None:
        """The registry's declaration of `page`, if the plugin generated it (a user's own file at its path is not)."""
        output = self.generated.get(page.file.src_uri)
        return output if output is not None and output.is_page and page.file.generated_by is not None else None

    def already_reported(self, src: str, url: str) -> bool:
        """Whether MkDocs' own warning about `url` in note `src` would repeat what the plugin reported."""
        return src in self.unchecked or (src, url) in self.reported
