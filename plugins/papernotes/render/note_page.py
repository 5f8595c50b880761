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
from dataclasses import dataclass, field
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
                  figure_urls: dict[tuple[int, int], str | None], start: int = 0, fills: Fills | None = None) -> str:
    """The note's Markdown with entries rendered; `lines` are the full source lines.

    `figure_urls` maps a figure's (line, col) to its rewritten URL, or None to show a
    "figure not available" box instead. Returns the text from line index `start` on
    (MkDocs has already taken the front matter off). With `fills`, what Markdown does not read
    is left for `fill` to put in the HTML after Markdown: each entry's meta line (its tags,
    links and authors) and the contents block, raw HTML blocks Markdown keeps as they are, are
    slots, and each entry heading's priority class is set by its id. A note's Markdown then
    changes only with what Markdown reads of it: an author renamed in aliases.yml, a tag's
    page moved or a priority raised changes the fills only, and its Markdown pass is reused.
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
        v = renderer.view(entry)
        github, anchor = anchors.get(entry.line, ""), short[entry.line]
        heading = entry_heading(v, github, anchor, fills is None)
        meta = entry_meta(renderer, entry, page_url)
        if fills is not None:
            fills.heading(v.priority, github, anchor)
            meta = fills.slot(meta)
        out[entry.line - 1] = f"{heading}\n\n{meta}\n"
        for extra in (entry.author_line, entry.topics_line):
            if extra:
                out[extra - 1] = ""
    if contents and doc.entries:
        made = contents_block(renderer, doc, anchors, short)
        if fills is not None:  # the slot carries the block's id: MkDocs finds anchors in raw HTML
            made = fills.slot(made, _replaced_anchor(doc, anchors))
        block = ["", made, ""]
        if doc.contents_block:
            first, last = doc.contents_block
            out[first - 1 : last] = block
        elif doc.title_line:
            out[doc.title_line : doc.title_line] = block
        else:
            out[start:start] = block
    return "\n".join(out[start:])


_SLOT = '<div class="pn-slot" data-papernotes-slot="{}"{}></div>'
_FILLED = re.compile(r'<div class="pn-slot" data-papernotes-slot="(\d+)"(?: id="[^"]*")?></div>|<h3 class="pn-entry" id="([^"]*)">')


@dataclass
class Fills:
    """What `note_markdown` leaves out of a note's Markdown, put in its HTML after Markdown by `fill`:
    the HTML of each slot, and how each entry heading opens (its priority's class, GitHub's anchor),
    by the heading's id as in HTML."""

    html: list[str] = field(default_factory=list)
    openings: dict[str, str] = field(default_factory=dict)
    anchors: set[str] = field(default_factory=set)  # GitHub's anchors the openings add, for MkDocs' links check

    def slot(self, made: str, anchor: str = "") -> str:
        """The slot, in the Markdown, of a raw HTML block; `anchor`: the block's id, kept on the slot."""
        self.html.append(made)
        return _SLOT.format(len(self.html) - 1, f' id="{html.escape(anchor)}"' if anchor else "")

    def heading(self, priority: int, github: str, anchor: str) -> None:
        """An entry heading made without `inline` (`entry_heading`): how it opens in HTML."""
        id_ = html.escape(anchor)
        self.openings[id_] = (f'<h3 class="pn-entry pn-entry--p{priority}" data-priority="{priority}" id="{id_}">'
                              + _alias(github, anchor))
        if github and github != anchor:
            self.anchors.add(github)

    def fill(self, text: str) -> str:
        """A note's HTML out of Markdown with each slot replaced by its block and each entry heading
        opened as `entry_heading` inline opens it. A slot or heading the note wrote itself stays as written."""
        return _FILLED.sub(self._filled, text)

    def _filled(self, match: re.Match[str]) -> str:
        if match.group(2) is None:
            n = int(match.group(1))
            return self.html[n] if n < len(self.html) else match.group(0)
        return self.openings.get(match.group(2), match.group(0))


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


def entry_heading(v: EntryView, github: str, anchor: str, inline: bool = True) -> str:
    """The entry's Markdown heading, id'd by its short `anchor`; GitHub's anchor of the heading as
    written (`github`) stays a target too, on an empty element opening it. Without `inline`, the
    heading is only its title and id: `Fills.fill` gives it the rest after Markdown."""
    # GitHub slugs keep `_`: unescaped, `-_b_-` in the id is read as emphasis and attr_list
    # drops the whole `{: ...}`, so the entry loses its anchor and classes.
    escaped = anchor.replace("_", r"\_")
    if not inline:
        return f"### {md_escape(v.title)} {{: #{escaped} .pn-entry }}"
    alias = _alias(github, anchor)
    return f"### {alias}{md_escape(v.title)} {{: #{escaped} .pn-entry .pn-entry--p{v.priority} data-priority=\"{v.priority}\" }}"


def _alias(github: str, anchor: str) -> str:
    return f'<span class="pn-anchor" id="{html.escape(github)}"></span>' if github and github != anchor else ""


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
    replaced = _replaced_anchor(doc, anchors)
    key = ("contents", tuple((s["title"], s["anchor"], tuple(tuple(v.values()) for v in s["views"])) for s in sections),
           len(doc.entries), marked, replaced)  # everything the template reads
    return renderer.fragments.get(key, lambda: renderer.templates.html("contents.html", sections=sections, total=len(doc.entries),
                                                                       marked=marked, anchor=replaced))


def _replaced_anchor(doc: Document, anchors: dict[int, str]) -> str:
    """The anchor of the hand-kept `## Contents` heading the generated block replaces ("" if none)."""
    return anchors.get(doc.contents_block[0], "") if doc.contents_block else ""
