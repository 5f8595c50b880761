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
    key: object = None  # what the note was made from, for the next build (None: not to be reused)
    parsed_here = full.endswith(markdown) and (not prefix or prefix.endswith("\n"))  # the text the plugin parsed
    if not parsed_here:
        # Another plugin changed the text, or the note was saved after the plugin read it: render
        # what we were given, positions re-read. Its entries are not the library's (no BibTeX
        # record, no date), so what is made of them is this build's only: never reused.
        doc = parse(markdown, src)
        lines, anchors = markdown.split("\n"), page_anchors(doc)
        figure_urls = {}
        prefix = ""
    with_contents = has_contents(doc, contents)
    made = None
    if parsed_here:
        key = (markdown, anchors, figure_urls, with_contents)
        made = _last_made(build, src, doc, key)
    if made is None:
        fills = note_page.Fills()
        made = (note_page.description(build.renderer, doc) if doc.entries else None,
                note_page.note_markdown(build.renderer, doc, lines, anchors, contents=with_contents, figure_urls=figure_urls,
                                        start=prefix.count("\n"), fills=fills), fills)
    build.notes_made[src] = (key, made)
    if made[0] is not None and "description" not in page.meta:
        page.meta["description"] = made[0]
    return made[1]


def note_content(html: str, page: Page, build: BuildState) -> str | None:
    """on_page_content: a note's HTML with what its Markdown left out put in (`Fills`; None: not a note made here)."""
    made = build.notes_made.get(page.file.src_uri)
    if made is None:
        return None
    fills = made[1][2]
    found = getattr(page, "present_anchor_ids", None)  # MkDocs' anchors of the page, for its links check
    if fills.anchors and found is not None:  # as MkDocs finds them in raw HTML the Markdown holds
        page.present_anchor_ids = found | fills.anchors
    return fills.fill(html)


def _last_made(build: BuildState, src: str, doc: Document, key: object) -> tuple[str | None, str, note_page.Fills] | None:
    """The last build's description and Markdown of the note, when it was made from the same text,
    anchors, figures and contents option and `index.changes` finds each of its entries the same
    (so each shows the same: the rows, chips, links and authors the Markdown is made of)."""
    changes, last = build.changes, build.notes_before.get(src)
    if changes is None or last is None or last[0] is None or last[0] != key:
        return None
    return last[1] if all(changes.previous_entry(e) is not None for e in doc.entries) else None


def trim_toc(page: Page, build: BuildState, contents: bool) -> None:
    """on_page_content: a note with a contents block lists its papers there; the theme's TOC keeps the sections."""
    doc = build.documents.get(page.file.src_uri)
    if doc is not None and has_contents(doc, contents):
        sections_only(page.toc)


def has_contents(doc: Document, contents: bool) -> bool:
    """Whether the note gets a contents block (`contents`: the plugin's option)."""
    return bool(contents and doc.entries and doc.options.get("contents", True) is not False)
