"""Reading every note into a new `BuildState`: text as `papernotes check` reads it, parsed, with its figures planned.

What MkDocs renders of a note follows the same reading: a file that is not UTF-8 is shown
with replacement characters (MkDocs would abort reading it), a binary file as an empty page,
an over-long line replaced by a notice.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from papernotes.mkdocs_plugin.build_state import BuildState
from papernotes.mkdocs_plugin.config import PapernotesConfig
from papernotes.mkdocs_plugin.project import posix, project_root
from papernotes.notes.figures import Layout, plan_figures
from papernotes.notes.grammar import parse
from papernotes.notes.model import Diagnostic, Document
from papernotes.notes.source import decode, normalise_newlines, read_source, symlink_problem

# How a note's text becomes a Document: `parse` itself, or the rebuild cache in front of it.
Parser = Callable[[str, str, Callable[[str, str], Document]], Document]


def read_notes(files: Files, config: MkDocsConfig, options: PapernotesConfig, parse_with: Parser) -> BuildState:
    """Every hand-written documentation page of `files`, read and parsed; `parse_with(text, src, parse)`."""
    root = project_root(config)
    layout = Layout(docs_dir=posix(os.path.relpath(config.docs_dir, root)), assets_dir=options.assets_dir.strip("/"))
    build = BuildState(layout=layout)
    problems = build.file_problems
    sources = hashlib.blake2b(digest_size=20)
    for file in files.documentation_pages():
        if file.generated_by:
            continue
        display = posix(os.path.relpath(file.abs_src_path, root)) if file.abs_src_path else file.src_uri
        text = _read(file, display, problems, root)
        source = (text or "").encode("utf-8", "surrogatepass")
        sources.update(f"{len(file.src_uri)}:{file.src_uri}{len(source)}:".encode("utf-8", "surrogatepass") + source)
        doc = parse_with(text or "", file.src_uri, parse)
        build.documents[file.src_uri] = doc
        build.lines[file.src_uri] = normalise_newlines(text or "").split("\n")
        build.display[file.src_uri] = display
        if text is None:
            build.unchecked[file.src_uri] = next((d.message for d in problems if d.path == display), "")
        build.figure_urls[doc.path] = plan_figures(doc, layout, lambda src: files.get_file_from_path(src) is not None).urls
    build.sources = sources.hexdigest()
    return build


def _read(file: File, display: str, problems: list[Diagnostic], root: str) -> str | None:
    """The note's text, read as `papernotes check` reads it (None: not a note to parse); what
    MkDocs will render of it is set here too (`file.content_string`)."""
    link = symlink_problem(file.abs_src_path, root, display) if file.abs_src_path else None
    if link is not None:
        problems.append(link)
        file.content_string = ""
        return None
    try:
        data = file.content_bytes
    except OSError as exc:
        problems.append(Diagnostic(display, 1, 1, "error", "unreadable", f"cannot read the file: {exc.strerror}"))
        file.content_string = ""
        return None
    text, found = read_source(data, display)
    problems += found
    if any(d.code == "binary" for d in found):
        file.content_string = ""
    elif any(d.code == "long-line" for d in found):
        file.content_string = text or ""  # over-long lines replaced by a notice; the rest of the note is shown
    elif any(d.code == "encoding" for d in found):
        file.content_string = decode(data, display)[0]
    return text
