"""One side of a comparison: its notes parsed by the one parser, checked by the same `diagnose`
`papernotes check` runs, and indexed into the same `Library` the build makes.

The settings (docs folder, aliases file, disabled rules, the generated pages) are the side's own:
the caller reads them from that side's mkdocs.yml, so a change to aliases.yml or to `disable:` is
part of what is compared.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass

from papernotes.changes.trees import Tree
from papernotes.checks.report import diagnose
from papernotes.index.aliases import Aliases
from papernotes.index.library import Library, LibraryOptions
from papernotes.notes.figures import Layout
from papernotes.notes.grammar import parse
from papernotes.notes.model import Diagnostic, Document, Entry
from papernotes.notes.source import normalise_newlines, read_source


@dataclass(frozen=True)
class Settings:
    """What `papernotes check` and the library read from one side's mkdocs.yml."""

    layout: Layout  # docs and assets folders, relative to the project root
    generated: Callable[[str], bool]  # site paths of pages the plugin adds at build time
    aliases_file: str | None = None  # relative to the project root
    disable: tuple[str, ...] = ()
    section_topics: bool = True


@dataclass
class Snapshot:
    """A side's notes, the problems `papernotes check` finds in them, and their library."""

    label: str
    documents: dict[str, Document]  # by site path (relative to the docs folder)
    display: dict[str, str]  # site path -> path relative to the project root, as reports show it
    diagnostics: list[Diagnostic]  # every one, not capped at 20 per rule: a 21st is a change too
    library: Library
    lines: dict[str, list[str]]  # each note's lines, by the path shown

    def location(self, entry: Entry) -> str:
        return f"{self.display.get(entry.path, entry.path)}:{entry.line}"

    def line_text(self, d: Diagnostic) -> str:
        """The text of the line a problem is on, stripped ("" for a file that is not a note)."""
        lines = self.lines.get(d.path, [])
        return lines[d.line - 1].strip() if 0 < d.line <= len(lines) else ""


def _aliases(tree: Tree, name: str | None) -> tuple[Aliases, list[Diagnostic]]:
    """The side's aliases file, with the problems `load_aliases` reports for a file on disk."""
    if not name:
        return Aliases(), []
    data = tree.read_file(name)
    if data is None:
        return Aliases(), [Diagnostic(name, 1, 1, "warning", "aliases", "cannot read aliases file: No such file or directory")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Aliases(), [Diagnostic(name, 1, 1, "warning", "aliases", "cannot read aliases file: not valid UTF-8")]
    return Aliases.from_yaml(text, name)


def take(tree: Tree, settings: Settings) -> Snapshot:
    """Read, parse, check and index the notes of `tree`."""
    docs = settings.layout.docs_dir
    paths = tree.note_paths(docs)
    contents = tree.read_notes(paths)
    documents: dict[str, Document] = {}
    display: dict[str, str] = {}
    found: list[Diagnostic] = []
    lines: dict[str, list[str]] = {}
    for path in paths:
        data = contents[path]
        if isinstance(data, Diagnostic):
            found.append(data)
            if data.code == "symlink":  # a link out of the project or to nothing is not a note
                continue
            text: str | None = None
        else:
            text, problems = read_source(data, path)
            found += problems
        src = posixpath.relpath(path, docs)
        documents[src] = parse(text or "", src)
        display[src] = path
        lines[path] = normalise_newlines(text or "").split("\n")
    aliases, alias_problems = _aliases(tree, settings.aliases_file)
    assets = settings.layout.assets_dir + "/"

    def exists(src: str) -> bool:
        # As `papernotes check` answers it: a docs file, a generated page, or a file under assets/.
        return tree.exists(posixpath.join(docs, src)) or settings.generated(src) or (src.startswith(assets) and tree.exists(src))

    diagnostics = diagnose(documents.values(), display, settings.layout, exists, aliases=aliases,
                           file_problems=[*found, *alias_problems], disable=settings.disable, limit=None)
    # After the checks, as `papernotes check` runs them: the library names each entry's venues anew.
    library = Library(documents.values(), {}, LibraryOptions(section_topics=settings.section_topics), aliases)
    return Snapshot(tree.label, documents, display, diagnostics, library, lines)
