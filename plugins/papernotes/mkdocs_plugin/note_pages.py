"""A note's page in MkDocs' page loop: its entries, contents and figures rendered into its Markdown.

Entries are rendered from the note as parsed in on_files (positions and anchors known), unless
another plugin changed the Markdown first: then what was given is parsed and rendered again.
"""

from __future__ import annotations

from mkdocs.structure.pages import Page

from papernotes.mkdocs_plugin.build_state import BuildState
from papernotes.notes.grammar import parse
from papernotes.notes.model import Document
from papernotes.notes.slugs import page_anchors
from papernotes.render import note_page
from papernotes.render.note_page import md_escape, sections_only


def note_markdown(markdown: str, page: Page, build: BuildState, contents: bool) -> str | None:
    """on_page_markdown: the note's Markdown with its entries rendered (None: not a note, left alone).
    `contents` is the plugin's option; a note may turn its contents block off."""
    if build.renderer is None:
        return None
    src = page.file.src_uri
    if src in build.unchecked:
        # Not a hand-written note: rendering it would take minutes and show nothing readable.
        return f"> **Not shown:** {md_escape(build.unchecked[src])}.\n"
    doc = build.documents.get(src)
    if doc is None or not (doc.entries or doc.figures):
        return None
    lines, anchors, figure_urls = build.lines[src], build.library.page_anchors[src] if build.library else {}, build.figure_urls.get(src, {})
    full = "\n".join(lines)
    prefix = full[: len(full) - len(markdown)]
    if not full.endswith(markdown) or (prefix and not prefix.endswith("\n")):
        # Another plugin changed the text: render what we were given, positions re-read.
        doc = parse(markdown, src)
        lines, anchors = markdown.split("\n"), page_anchors(doc)
        figure_urls = {}
        prefix = ""
    if doc.entries and "description" not in page.meta:
        page.meta["description"] = note_page.description(build.renderer, doc)
    return note_page.note_markdown(build.renderer, doc, lines, anchors, contents=has_contents(doc, contents), figure_urls=figure_urls,
                               start=prefix.count("\n"))


def trim_toc(page: Page, build: BuildState, contents: bool) -> None:
    """on_page_content: a note with a contents block lists its papers there; the theme's TOC keeps the sections."""
    doc = build.documents.get(page.file.src_uri)
    if doc is not None and has_contents(doc, contents):
        sections_only(page.toc)


def has_contents(doc: Document, contents: bool) -> bool:
    """Whether the note gets a contents block (`contents`: the plugin's option)."""
    return bool(contents and doc.entries and doc.options.get("contents", True) is not False)
