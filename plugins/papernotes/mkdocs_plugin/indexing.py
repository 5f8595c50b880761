"""The library of one build: the notes' entries indexed with the aliases, dated by git history, and their renderer."""

from __future__ import annotations

import os

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files

from papernotes.index.aliases import Aliases, load_aliases
from papernotes.index.changes import library_changes
from papernotes.index.history import History
from papernotes.index.library import Library, LibraryOptions
from papernotes.mkdocs_plugin.build_state import BuildState
from papernotes.mkdocs_plugin.config import PapernotesConfig
from papernotes.mkdocs_plugin.project import project_root
from papernotes.notes.model import Diagnostic, Entry
from papernotes.render.bibtex import Bibliography
from papernotes.render.views import Renderer
from papernotes.serve.stores import Fragments

log = get_plugin_logger(__name__)


def index_notes(build: BuildState, files: Files, config: MkDocsConfig, options: PapernotesConfig, *, history: History,
                fragments: Fragments | None, last: BuildState | None = None) -> None:
    """`build.aliases`, `build.library` (with the dates entries were added, when `options.dates`)
    and `build.renderer` (with `fragments`, the pieces kept across rebuilds under serve); with
    `last`, the last complete build under serve, `build.changes`: what changed since."""
    build.aliases = aliases = _load_aliases(project_root(config), options, build.file_problems)
    build.library = library = Library(
        build.documents.values(), {src: files.get_file_from_path(src).url for src in build.documents},  # type: ignore[union-attr]  # each note came from `files`
        LibraryOptions(use_directory_urls=config.use_directory_urls, authors_dir=options.authors_dir,
                       tags_dir=options.tags_dir, min_papers=options.min_papers, section_topics=options.section_topics),
        aliases, last=last.library if last is not None else None)
    if options.dates:
        dates, messages = history.added_dates(config.docs_dir, build.documents)
        library.added_dates.update(dates)
        for severity, message in messages:
            (log.warning if severity == "warning" else log.info)(message)
    build.renderer = renderer = Renderer(library, fragments=fragments, last=last.renderer if last is not None else None)
    if last is not None and last.library is not None and last.renderer is not None:
        before = last.renderer.bibliography
        build.changes = changes = library_changes(last.library, library,
                                                  lambda entry, old: _bibtex(renderer.bibliography, entry) == _bibtex(before, old))
        if changes is not None:
            renderer.take_from(last.renderer, changes)


def _bibtex(bibliography: Bibliography, entry: Entry) -> str | None:
    """The entry's BibTeX record, which rows and exports show and the library does not hold."""
    record = bibliography.get(entry)
    return record.bibtex if record is not None else None


def _load_aliases(root: str, options: PapernotesConfig, problems: list[Diagnostic]) -> Aliases:
    if not options.aliases:
        return Aliases()
    aliases, found = load_aliases(os.path.join(root, options.aliases), options.aliases)
    problems += found
    return aliases
