"""A note's page: its Markdown with each entry's heading, tags, links and authors rendered, its
figures named (or boxed when missing), and a generated contents block.

Functions of the build's `Renderer`, called by the plugin for each note. Text put into
Markdown (entry headings) goes through `md_escape`; the HTML parts are templates
(`entry_meta.html`, `contents.html`), remembered by what they show (`Renderer.fragments`).
"""

from __future__ import annotations

import html
import posixpath
import re
from typing import Any
from urllib.parse import unquote

from papernotes.notes.grammar import is_safe_url, plain_text
from papernotes.notes.model import Document, Entry
from papernotes.notes.slugs import entry_anchors
from papernotes.render.views import Chip, EntryView, Renderer, doc_title

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")  # Python-Markdown's escapable characters


def md_escape(text: str) -> str:
    """Text to put in Markdown so it renders as exactly that text, never as markup or HTML."""
    text = html.escape(text, quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text)


def missing_figure_html(url: str) -> str:
    """The box shown for a figure that is not in the repository: a short text naming the file.

    Only the file name: the relative path (`../assets/fig/8.png`) means nothing to a reader.
    `data-search-exclude` keeps the box out of search results and their snippets.
    """
    name = posixpath.basename(unquote(url.split("#", 1)[0].split("?", 1)[0]).rstrip("/")) or url
    return f'<span class="pn-missing-figure" data-search-exclude>Figure not available ({html.escape(name)})</span>'


def sections_only(toc: Any, max_level: int = 2) -> None:
    """Cut a page's table of contents (MkDocs' `page.toc`) down to headings of `max_level` and above.

    A note with generated contents lists its papers there, with their priorities; the theme's
    table of contents then keeps only the sections, so the papers are not listed twice.
    """
    for item in toc:
        item.children = [child for child in item.children if child.level <= max_level]
        sections_only(item.children, max_level)


def note_markdown(renderer: Renderer, doc: Document, lines: list[str], anchors: dict[int, str], *, contents: bool,
                  figure_urls: dict[tuple[int, int], str | None], start: int = 0, metas: list[str] | None = None) -> str:
    """The note's Markdown with entries rendered; `lines` are the full source lines.

    `figure_urls` maps a figure's (line, col) to its rewritten URL, or None to show a
    "figure not available" box instead. Returns the text from line index `start` on
    (MkDocs has already taken the front matter off). With `metas`, each entry's meta line
    (its tags, links and authors: one raw HTML block, which Markdown keeps as it is) is a
    slot in the Markdown and its HTML is appended to `metas`, for `fill_slots` after Markdown:
    a note's Markdown then changes only with what Markdown reads of it (an author renamed in
    aliases.yml or a tag's page moved changes metas only, and its Markdown pass is reused).
    """
    out = list(lines)
    page_url = renderer.library.page_urls.get(doc.path, "")
    names = figure_names(renderer, doc)
    for figure in sorted(doc.figures, key=lambda f: (f.line, f.col), reverse=True):  # right to left keeps columns valid
        key = (figure.line, figure.col)
        url = figure_urls.get(key, figure.url)
        text = out[figure.line - 1]
        if url is None:
            box = missing_figure_html(figure.url)
            out[figure.line - 1] = text[: figure.col - 1] + box + text[figure.end_col - 1 :]
            continue
        # `![alt](url...)`: the alt runs from col+2 for len(alt) characters, the rest follows it.
        alt_end = figure.col + 1 + len(figure.alt)
        alt = text[figure.col + 1 : alt_end] if figure.alt.strip() else md_escape(names[key])
        rest = text[alt_end : figure.end_col - 1].replace(figure.url, url, 1)
        out[figure.line - 1] = text[: figure.col - 1] + "![" + alt + rest + text[figure.end_col - 1 :]
    short = entry_anchors(doc, anchors)
    for entry in doc.entries:
        heading = entry_heading(renderer.view(entry), anchors.get(entry.line, ""), short[entry.line])
        meta = entry_meta(renderer, entry, page_url)
        if metas is not None:  # the meta line (raw HTML, kept by Markdown as it is) put in after Markdown (`fill_slots`)
            metas.append(meta)
            meta = slot(len(metas) - 1)
        out[entry.line - 1] = f"{heading}\n\n{meta}\n"
        for extra in (entry.author_line, entry.topics_line):
            if extra:
                out[extra - 1] = ""
    if contents and doc.entries:
        block = ["", contents_block(renderer, doc, anchors, short), ""]
        if doc.contents_block:
            first, last = doc.contents_block
            out[first - 1 : last] = block
        elif doc.title_line:
            out[doc.title_line : doc.title_line] = block
        else:
            out[start:start] = block
    return "\n".join(out[start:])


_SLOT = '<div class="pn-meta-slot" data-papernotes-meta="{}"></div>'
_SLOTS = re.compile(r'<div class="pn-meta-slot" data-papernotes-meta="(\d+)"></div>')


def slot(n: int) -> str:
    """Where the `n`th entry's meta line goes in a note's Markdown (and, verbatim, in its HTML)."""
    return _SLOT.format(n)


def fill_slots(html: str, metas: list[str]) -> str:
    """A note's HTML out of Markdown with each slot replaced by its meta line (`note_markdown`)."""
    return _SLOTS.sub(lambda m: metas[int(m.group(1))] if int(m.group(1)) < len(metas) else m.group(0), html)


def figure_names(renderer: Renderer, doc: Document) -> dict[tuple[int, int], str]:
    """A name for each of the note's figures, by (line, col): "Segment Anything — figure 2".

    A figure is named after the entry it belongs to and its position in that entry; a
    figure outside every entry after the note and its position among those. Used as
    alt text (and so as the name of the lightbox's zoom link) when the note gives none.
    """
    names: dict[tuple[int, int], str] = {}
    for entry in doc.entries:
        if not entry.figures:  # most have none: no view made for them
            continue
        title = renderer.view(entry).title
        for n, figure in enumerate(entry.figures, 1):
            names[(figure.line, figure.col)] = f"{title} — figure {n}"
    loose = [f for f in doc.figures if (f.line, f.col) not in names]
    note_title = renderer.titles.get(doc.path) or doc_title(doc)
    for n, figure in enumerate(loose, 1):
        names[(figure.line, figure.col)] = f"{note_title} — figure {n}"
    return names


def description(renderer: Renderer, doc: Document) -> str:
    """A note's meta description: how many papers, and the first titles (must-reads first).

    Escaped here because themes insert `page.meta.description` into an attribute unescaped.
    """
    titles = [renderer.view(e).title for e in sorted(doc.entries, key=renderer.library.sort_key)[:3]]
    text = f"{len(doc.entries)} paper notes: " + "; ".join(titles) + ("…" if len(doc.entries) > 3 else "")
    return html.escape(text, quote=True)


def entry_heading(v: EntryView, github: str, anchor: str) -> str:
    """The entry's Markdown heading, id'd by its short `anchor`; GitHub's anchor of the heading as
    written (`github`) stays a target too, on an empty element inside it."""
    # GitHub slugs keep `_`: unescaped, `-_b_-` in the id is read as emphasis and attr_list
    # drops the whole `{: ...}`, so the entry loses its anchor and classes.
    escaped = anchor.replace("_", r"\_")
    alias = f'<span class="pn-anchor" id="{html.escape(github)}"></span>' if github and github != anchor else ""
    return f"### {md_escape(v.title)}{alias} {{: #{escaped} .pn-entry .pn-entry--p{v.priority} data-priority=\"{v.priority}\" }}"


def entry_meta(renderer: Renderer, entry: Entry, base: str) -> str:
    """The entry's meta line (its tags, links, date, Cite and authors), one raw HTML block.
    Remembered by what it shows."""
    v = renderer.view(entry)
    chips = tuple(Chip(text, tag.kind, tag.url + (f"#{fragment}" if fragment else ""))
                  for text, tag, fragment in renderer.library.entry_tags(entry))
    written = tuple((link.label, link.url) for link in entry.links)

    def make() -> str:
        links = [{"label": label, "url": url, "safe": is_safe_url(url)} for label, url in written]
        return renderer.templates.html("entry_meta.html", v=v, chips=chips, links=links, base=base)

    return renderer.fragments.get(("entry-meta", v, chips, written, base), make)


def contents_block(renderer: Renderer, doc: Document, anchors: dict[int, str], short: dict[int, str] | None = None) -> str:
    """The generated contents block; it carries the anchor of the hand-kept `## Contents` heading it replaces."""
    short = entry_anchors(doc, anchors) if short is None else short
    sections: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    entry_lines = {e.line: e for e in doc.entries}
    for heading in doc.headings:
        if heading.level <= 2 and heading.line != doc.title_line and (doc.contents_block is None or heading.line != doc.contents_block[0]):
            current = {"title": plain_text(heading.text), "anchor": anchors.get(heading.line, ""), "views": []}
            sections.append(current)
        elif heading.line in entry_lines:
            if current is None:
                current = {"title": "Papers", "anchor": "", "views": []}
                sections.append(current)
            view = renderer.view(entry_lines[heading.line])
            current["views"].append({"priority": view.priority, "priority_symbol": view.priority_symbol,
                                     "priority_label": view.priority_label, "title": view.title,
                                     "venue_year": view.venue_year, "anchor": short.get(heading.line, view.anchor)})
    sections = [s for s in sections if s["views"]]
    marked = sum(1 for e in doc.entries if e.priority)
    replaced = anchors.get(doc.contents_block[0], "") if doc.contents_block else ""
    key = ("contents", tuple((s["title"], s["anchor"], tuple(tuple(v.values()) for v in s["views"])) for s in sections),
           len(doc.entries), marked, replaced)  # everything the template reads
    return renderer.fragments.get(key, lambda: renderer.templates.html("contents.html", sections=sections, total=len(doc.entries),
                                                                       marked=marked, anchor=replaced))
