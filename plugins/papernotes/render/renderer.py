"""Rendering: the library into Markdown/HTML for note pages and generated pages.

Templates (`templates/*.html`) and styles (`assets/papernotes.css`) ship as package
data. Every value from a note goes through Jinja's autoescaping; text put into
Markdown (page titles, entry headings) goes through `md_escape`. Generated HTML
uses links relative to the page it is on, so the site works from any base URL
and from `file://`.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any
from urllib.parse import unquote

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from papernotes.index.library import TAG_KIND_TITLES, Author, Library, Tag, depth_base, relative_url
from papernotes.notes.grammar import is_safe_url, plain_text
from papernotes.notes.model import Document, Entry
from papernotes.notes.slugs import entry_anchors, github_slug
from papernotes.outputs.bibtex import Bibliography
from papernotes.serve.stores import CompiledTemplates, Fragments

PRIORITY_SYMBOLS = {0: "", 1: "★", 2: "★★", 3: "★★★"}
PRIORITY_LABELS = {0: "", 1: "notable", 2: "important", 3: "must-read"}
# A 500-author paper would give each of its authors a page of 499 links (250,000 in all):
# pages show the most frequent co-authors; authors.json keeps them all.
COAUTHOR_LIMIT = 100
ROW_AUTHOR_LIMIT = 12  # longer author lists are cut in generated rows (the note shows all)
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


def doc_title(doc: Document) -> str:
    """A note's human name: front-matter title, else its `# Title`, else its file name."""
    title = doc.meta.get("title") if isinstance(doc.meta, dict) else None
    if isinstance(title, str) and title.strip():
        return title.strip()
    if doc.title_line is not None:
        for heading in doc.headings:
            if heading.line == doc.title_line:
                return plain_text(heading.text) or doc.path
    stem = doc.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem.replace("_", " ").replace("-", " ").strip().capitalize() or doc.path


@dataclass(frozen=True, slots=True)
class EntryView:
    """What every template needs of one entry, computed once per build."""

    anchor: str
    url: str
    title: str
    priority: int
    priority_symbol: str
    priority_label: str
    venue_year: str
    venue: str
    year: str
    all_authors: tuple[tuple[str, str | None], ...]
    shown_authors: tuple[tuple[str, str | None], ...]
    hidden_authors: int
    note_title: str
    note_url: str
    qualifier: str = ""  # on a venue's page: what the entry's tag adds to the venue (`Oral`)
    bibtex: str = ""  # the paper's BibTeX record (bibtex.py), for the Cite control
    added: str = ""  # date added, as shown ("12 Sep 2024"), from history.py
    added_iso: str = ""  # the same date as YYYY-MM-DD, for <time datetime>
    orgs: tuple[tuple[str, str], ...] = ()  # organisation tags as written, with their tag page's URL
    links: tuple[tuple[str, str, bool], ...] = ()  # resource links: (label, URL, whether it is safe to link)


@dataclass(frozen=True, slots=True)
class Chip:
    text: str
    kind: str
    url: str


@dataclass(frozen=True, slots=True)
class SiteUrls:
    """Site-relative URLs of the generated index pages."""

    must_read: str
    tags: str
    authors: str
    explorer: str | None = None  # the explorer page: tag and author pages link to it, pre-filtered


def page_markdown(title: str, *, search_title_only: bool = True) -> str:
    """What a generated page's `File` holds: front matter only, so Markdown has nothing to do.

    The title goes in front matter, HTML-escaped: Material prints `page.meta.title` as is
    (and `page.title | striptags` would decode an h1's `&lt;` into a live `<`). The heading
    itself is `page_heading`, put before the body after Markdown. `search: exclude` keeps
    Material's search from parsing the page (the plugin indexes its title alone) and
    `glightbox: false` keeps the lightbox plugin off a page without images.
    """
    search = "search:\n  exclude: true\n" if search_title_only else ""
    return f"---\ntitle: {yaml_string(html.escape(title))}\n{search}glightbox: false\n---\n"


_SURROGATE_PAIR = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})")


def yaml_string(text: str) -> str:
    """`text` as a double-quoted YAML scalar: JSON's escapes, but a character beyond U+FFFF
    (an emoji) as YAML's `\\UXXXXXXXX`, since YAML refuses JSON's surrogate pairs."""
    def joined(match: re.Match[str]) -> str:
        high, low = int(match.group(1), 16), int(match.group(2), 16)
        return f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08x}"

    return _SURROGATE_PAIR.sub(joined, json.dumps(text))


def heading_id(title: str) -> str:
    """The id of a generated page's `<h1>`: GitHub's slug of its title, as a Markdown heading would get."""
    return github_slug(title) or "top"


def page_meta(title: str, *, search_title_only: bool = True) -> dict[str, Any] | None:
    """What MkDocs' YAML reading of `page_markdown`'s front matter gives, made without YAML (a
    fresh dict). tests/test_lean.py checks it against MkDocs."""
    meta: dict[str, Any] = {"title": html.escape(title)}
    if search_title_only:
        meta["search"] = {"exclude": True}
    meta["glightbox"] = False
    return meta


def page_heading(title: str) -> str:
    """A generated page's `<h1>`, escaped, with the id the theme's skip link and TOC point to."""
    return f'<h1 id="{html.escape(heading_id(title))}">{html.escape(title)}</h1>'


def _compact(markup: str) -> str:
    """Drop blank lines: a blank line would end a raw HTML block in Markdown."""
    return "\n".join(line for line in markup.splitlines() if line.strip())


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    """A page made from the whole library (the explorer, stats, recently added): its title, and
    its body made only when the page is built. `outputs.py` declares it as an `Output`."""

    title: str
    body: Callable[[], str]


_COMPILED = CompiledTemplates()  # the package's templates, compiled once per process (a Renderer is made every build)


class Renderer:
    """The library's pieces of HTML and Markdown, made for one build.

    `fragments`: where pieces made from an entry's values (its row, its heading on its note,
    a note's contents) are kept by those values; under `mkdocs serve` the rebuild cache's,
    kept across rebuilds (`cache.Fragments`), else one for this build.
    """

    def __init__(self, library: Library, urls: SiteUrls, bibliography: Bibliography | None = None,
                 fragments: Fragments | None = None) -> None:
        self.library = library
        self.urls = urls
        self.fragments = fragments if fragments is not None else Fragments()
        self.bibliography = bibliography or Bibliography(library.entries, library.added)
        self.tag_feeds: dict[str, str] = {}  # tag page URL -> its Atom feed (site-relative), when feeds are made
        # auto_reload off: templates are package data, and a Renderer lives for one build only;
        # otherwise every render stats the template files again.
        self.env = Environment(loader=PackageLoader("papernotes.render", "templates"), autoescape=True, auto_reload=False,
                               trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined,
                               bytecode_cache=_COMPILED)
        self.env.filters["rel"] = self._rel
        self.env.globals["rows_html"] = self.rows_html
        self.env.globals["author_items"] = self.author_items
        self._macros: Any = self.env.get_template("macros.html").module  # `row` and `coauthor`, called per item
        self._depths: dict[str, str] = {}  # page URL -> its depth_base
        self._links: dict[tuple[str, str], str] = {}  # (URL, depth_base) -> relative link
        self._coauthors: dict[tuple[str, int], Markup] = {}
        self._views: dict[int, EntryView] = {}
        self._titles = {path: doc_title(doc) for path, doc in library.documents.items()}

    # -- shared pieces ---------------------------------------------------------------------

    def html(self, template: str, **context: Any) -> str:
        """Markup to put into Markdown: without blank lines, which would end a raw HTML block."""
        return _compact(self.body(template, **context))

    def body(self, template: str, **context: Any) -> str:
        """Markup that goes into the page after Markdown (a generated page's body)."""
        return self.env.get_template(template).render(**context)

    def _depth(self, base: str) -> str:
        depth = self._depths.get(base)
        if depth is None:
            depth = self._depths[base] = depth_base(base)
        return depth

    def _rel(self, url: str, base: str) -> str:
        """`url` from the page at `base`, made from its `depth_base`: the same link serves every
        page as deep, so it is computed once per depth."""
        key = (url, self._depth(base))
        link = self._links.get(key)
        if link is None:
            link = self._links[key] = relative_url(*key)
        return link

    def row_html(self, v: EntryView, base: str, note: bool = True, venue: bool = True, year: bool = True) -> Markup:
        """One row of a generated list (`macros.html`'s `row`) for a page at `base`, remembered.

        Links in a row depend only on the page's depth, so an entry's row is rendered once
        for all the author and tag pages it appears on: Jinja macro calls and escaping were
        most of the plugin's time. `note`, `venue`, `year`: whether the row names the entry's
        note, venue and year (a venue page grouped by year says both already).
        """
        depth = self._depth(base)
        # by value: equal views render equal rows (ids of uncached views get reused)
        return self.fragments.get(("row", v, note, venue, year, depth),
                                  lambda: Markup(self._macros.row(v, depth, note, venue, year)))

    def rows_html(self, views: list[EntryView], base: str, note: bool = True, *, venue: bool = True, year: bool = True,
                  own: Author | None = None) -> Markup:
        """Rows of a list; on `own`'s author page their name is emphasised, not a link to the page itself.

        The rows are the cached ones, shared by every page as deep: the author's link in them
        is swapped for the emphasised name here, one string replacement per row.
        """
        if not views:
            return Markup()
        rows = "\n".join([self.row_html(v, base, note, venue, year) for v in views]) + "\n"
        if own is not None and own.url is not None:
            link = str(self._macros.author_link(own.name, self._rel(own.url, base)))
            rows = rows.replace(link, str(self._macros.own_name(own.name)))
        return Markup(rows)

    def view(self, entry: Entry) -> EntryView:
        """The entry as templates see it; cached for the library's own entries."""
        key = id(entry)
        cached = self._views.get(key)
        if cached is not None:
            return cached
        lib = self.library
        authors = tuple((lib.authors[k].name, lib.authors[k].url) if k in lib.authors else (k, None) for k in lib.author_keys(entry))
        venue_year = " ".join(str(x) for x in (entry.venue, entry.year) if x)
        orgs = tuple((text, tag.url + (f"#{fragment}" if fragment else ""))
                     for text, tag, fragment in lib.entry_tags(entry) if tag.kind == "org")
        links = tuple((link.label or "link", link.url, is_safe_url(link.url)) for link in entry.links)
        anchor = lib.anchor(entry)
        limit = ROW_AUTHOR_LIMIT
        record, added = self.bibliography.get(entry), lib.added(entry)
        view = EntryView(
            anchor=anchor, url=f"{lib.page_urls.get(entry.path, '')}#{anchor}",
            title=plain_text(entry.title) or "(untitled)", priority=entry.priority,
            priority_symbol=PRIORITY_SYMBOLS[entry.priority], priority_label=PRIORITY_LABELS[entry.priority],
            venue_year=venue_year, venue=entry.venue or "", year=str(entry.year or ""), all_authors=authors,
            shown_authors=authors if len(authors) <= limit else authors[: limit - 2],
            hidden_authors=0 if len(authors) <= limit else len(authors) - (limit - 2),
            note_title=self._titles.get(entry.path, entry.path), note_url=lib.page_urls.get(entry.path, ""),
            bibtex=record.bibtex.strip() if record else "",
            added=f"{added.day} {added:%b %Y}" if added else "", added_iso=f"{added:%Y-%m-%d}" if added else "",
            orgs=orgs, links=links)
        if lib.owns(entry):
            self._views[key] = view
        return view

    def views(self, entries: list[Entry], *, ordered: bool = False) -> list[EntryView]:
        """The entries' views in row order (`ordered`: the library's lists already are)."""
        return [self.view(e) for e in (entries if ordered else sorted(entries, key=self.library.sort_key))]

    # -- note pages ------------------------------------------------------------------------

    def note(self, doc: Document, lines: list[str], anchors: dict[int, str], *, contents: bool,
             figure_urls: dict[tuple[int, int], str | None], start: int = 0) -> str:
        """The note's Markdown with entries rendered; `lines` are the full source lines.

        `figure_urls` maps a figure's (line, col) to its rewritten URL, or None to show a
        "figure not available" box instead. Returns the text from line index `start` on
        (MkDocs has already taken the front matter off).
        """
        out = list(lines)
        page_url = self.library.page_urls.get(doc.path, "")
        names = self.figure_names(doc)
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
            out[entry.line - 1] = self._entry_header(entry, anchors.get(entry.line, ""), short[entry.line], page_url)
            for extra in (entry.author_line, entry.topics_line):
                if extra:
                    out[extra - 1] = ""
        if contents and doc.entries:
            block = ["", self.contents(doc, anchors, short), ""]
            if doc.contents_block:
                first, last = doc.contents_block
                out[first - 1 : last] = block
            elif doc.title_line:
                out[doc.title_line : doc.title_line] = block
            else:
                out[start:start] = block
        return "\n".join(out[start:])

    def figure_names(self, doc: Document) -> dict[tuple[int, int], str]:
        """A name for each of the note's figures, by (line, col): "Segment Anything — figure 2".

        A figure is named after the entry it belongs to and its position in that entry; a
        figure outside every entry after the note and its position among those. Used as
        alt text (and so as the name of the lightbox's zoom link) when the note gives none.
        """
        names: dict[tuple[int, int], str] = {}
        for entry in doc.entries:
            title = self.view(entry).title
            for n, figure in enumerate(entry.figures, 1):
                names[(figure.line, figure.col)] = f"{title} — figure {n}"
        loose = [f for f in doc.figures if (f.line, f.col) not in names]
        note_title = self._titles.get(doc.path) or doc_title(doc)
        for n, figure in enumerate(loose, 1):
            names[(figure.line, figure.col)] = f"{note_title} — figure {n}"
        return names

    def description(self, doc: Document) -> str:
        """A note's meta description: how many papers, and the first titles (must-reads first).

        Escaped here because themes insert `page.meta.description` into an attribute unescaped.
        """
        titles = [self.view(e).title for e in sorted(doc.entries, key=self.library.sort_key)[:3]]
        text = f"{len(doc.entries)} paper notes: " + "; ".join(titles) + ("…" if len(doc.entries) > 3 else "")
        return html.escape(text, quote=True)

    def _entry_header(self, entry: Entry, github: str, anchor: str, base: str) -> str:
        """The entry's heading, id'd by its short `anchor`; GitHub's anchor of the heading as written
        (`github`) stays a target too, on an empty element inside it."""
        v = self.view(entry)
        chips = tuple(Chip(text, tag.kind, tag.url + (f"#{fragment}" if fragment else ""))
                      for text, tag, fragment in self.library.entry_tags(entry))
        written = tuple((link.label, link.url) for link in entry.links)
        return self.fragments.get(("entry", v, chips, written, github, anchor, base),
                                  lambda: self._make_entry_header(v, chips, written, github=github, anchor=anchor, base=base))

    def _make_entry_header(self, v: EntryView, chips: tuple[Chip, ...], written: tuple[tuple[str, str], ...], *,
                           github: str, anchor: str, base: str) -> str:
        links = [{"label": label, "url": url, "safe": is_safe_url(url)} for label, url in written]
        meta = self.html("entry_meta.html", v=v, chips=chips, links=links, base=base)
        # GitHub slugs keep `_`: unescaped, `-_b_-` in the id is read as emphasis and attr_list
        # drops the whole `{: ...}`, so the entry loses its anchor and classes.
        anchor = anchor.replace("_", r"\_")
        alias = f'<span class="pn-anchor" id="{html.escape(github)}"></span>' if github and github != anchor.replace(r"\_", "_") else ""
        heading = f"### {md_escape(v.title)}{alias} {{: #{anchor} .pn-entry .pn-entry--p{v.priority} data-priority=\"{v.priority}\" }}"
        return f"{heading}\n\n{meta}\n"

    def contents(self, doc: Document, anchors: dict[int, str], short: dict[int, str] | None = None) -> str:
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
                view = self.view(entry_lines[heading.line])
                current["views"].append({"priority": view.priority, "priority_symbol": view.priority_symbol,
                                         "priority_label": view.priority_label, "title": view.title,
                                         "venue_year": view.venue_year, "anchor": short.get(heading.line, view.anchor)})
        sections = [s for s in sections if s["views"]]
        marked = sum(1 for e in doc.entries if e.priority)
        replaced = anchors.get(doc.contents_block[0], "") if doc.contents_block else ""
        key = ("contents", tuple((s["title"], s["anchor"], tuple(tuple(v.values()) for v in s["views"])) for s in sections),
               len(doc.entries), marked, replaced)  # everything the template reads
        return self.fragments.get(key, lambda: self.html("contents.html", sections=sections, total=len(doc.entries),
                                                         marked=marked, anchor=replaced))

    # -- generated pages -------------------------------------------------------------------
    # Each page is a template and its context (`*_view`): the context is everything the body
    # reads, so `outputs.py` fingerprints it to tell whether the page changed.

    def must_read_view(self) -> tuple[str, dict[str, Any]]:
        by_note: dict[str, list[Entry]] = {}
        for entry in self.library.priority_entries():
            by_note.setdefault(entry.path, []).append(entry)
        groups = [{"title": self._titles[path], "url": self.library.page_urls.get(path, ""), "views": self.views(entries)}
                  for path, entries in sorted(by_note.items())]
        total = sum(len(g["views"]) for g in groups)
        return "must_read.html", {"groups": groups, "total": total, "base": self.urls.must_read}

    def tags_index_view(self) -> tuple[str, dict[str, Any]]:
        groups = [{"kind": kind, "title": TAG_KIND_TITLES[kind], "tags": tags}
                  for kind, tags in self.library.tags_by_kind().items()]
        return "tags_index.html", {"groups": groups, "base": self.urls.tags, "explorer_url": self.urls.explorer}

    @staticmethod
    def tag_title(tag: Tag) -> str:
        return tag.name if tag.kind != "topic" else f"#{tag.name}"

    def tag_view(self, tag: Tag) -> tuple[str, dict[str, Any]]:
        groups = [(year, [self._at_venue(tag, e) for e in entries]) for year, entries in tag.by_year()] if tag.kind == "venue" else []
        # A venue page's year groups say the venue and the year; a year's page says the year.
        return "tag_page.html", {"tag": tag, "show_venue": tag.kind != "venue", "show_year": tag.kind not in ("venue", "year"),
                                 "kind_title": TAG_KIND_TITLES[tag.kind].lower(), "groups": groups,
                                 "views": self.views(tag.entries, ordered=True), "base": tag.url, "index_url": self.urls.tags,
                                 "feed_url": self.tag_feeds.get(tag.url), "explorer_url": self.urls.explorer}

    def _at_venue(self, tag: Tag, entry: Entry) -> EntryView:
        """The entry's row on a venue's page: this venue's year and the entry's qualifier for it."""
        view, year, qualifier = self.view(entry), tag.year_of(entry), tag.qualifier_of(entry)
        venue_year = " ".join(str(x) for x in (tag.name, year) if x)
        return view if (venue_year, qualifier) == (view.venue_year, view.qualifier) else \
            replace(view, venue_year=venue_year, qualifier=qualifier)

    def authors_index_view(self) -> tuple[str, dict[str, Any]]:
        """The A-Z index: under each letter, each author as the page shows them (name, link, count)."""
        base = self.urls.authors
        letters: dict[str, list[tuple[str, str, int]]] = {}
        for key, author in sorted((a.index_key, a) for a in self.library.authors.values()):  # keys end with the slug: unique
            letters.setdefault(key[1], []).append((author.name, self._rel(author.url, base) if author.url else "", len(author.entries)))
        return "authors_index.html", {"letters": list(letters.items()), "total": len(self.library.authors), "base": base}

    def author_items(self, authors: list[tuple[str, str, int]]) -> Markup:
        """The A-Z index's list items (`macros.html`'s `author_item`), each remembered by what it
        shows: at 16x the index lists 20,000 authors, and an edit changes a few of them."""
        make = self._macros.author_item
        return Markup("".join([f"{self.fragments.get(('author-item', *a), partial(make, *a))}\n" for a in authors]))

    def _coauthor_html(self, other: Author, count: int) -> Markup:
        """`macros.html`'s `coauthor`, the same on every author page: made once per author and count."""
        key = (other.key, count)
        item = self._coauthors.get(key)
        if item is None:
            href = self._rel(other.url, other.url) if other.url else None  # author pages are all as deep
            item = self._coauthors[key] = Markup(self._macros.coauthor(other.name, href, count))
        return item

    def author_view(self, author: Author) -> tuple[str, dict[str, Any]]:
        assert author.url is not None
        views = self.views(author.entries, ordered=True)
        venues: Counter[str] = Counter()
        for v, e in zip(views, author.entries, strict=True):  # each venue an entry names (with a year) counts
            venues.update(list(dict.fromkeys(f"{x.name} {x.year}" for x in e.venues if x.year)) or ([v.venue_year] if e.year else []))
        ranked = self.library.ranked_coauthors(author)
        coauthors = Markup("\n".join([self._coauthor_html(c, n) for c, n in ranked[:COAUTHOR_LIMIT]]))
        aliases = sorted(s for s in author.spellings if s != author.name)
        return "author_page.html", {"author": author, "views": views,
                                    "venues": sorted(venues.items(), key=lambda kv: (-kv[1], kv[0])),
                                    "coauthors": coauthors, "more_coauthors": max(0, len(ranked) - COAUTHOR_LIMIT),
                                    "aliases": aliases, "base": author.url, "index_url": self.urls.authors,
                                    "explorer_url": self.urls.explorer}
