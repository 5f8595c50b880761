"""What templates see of an entry (`EntryView`), and the rows of every generated list.

`Renderer` makes both for one build: an entry's view once, and a row once per entry and page
depth, shared by every page that lists it. Text put into Markdown goes through
`note_page.md_escape`; everything else through Jinja's autoescaping (`environment.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from papernotes.index.authors import Author
from papernotes.index.changes import LibraryChanges
from papernotes.index.library import Library
from papernotes.notes.grammar import is_safe_url, plain_text
from papernotes.notes.model import Document, Entry
from papernotes.render.bibtex import Bibliography
from papernotes.render.environment import Templates
from papernotes.serve.stores import Fragments

PRIORITY_SYMBOLS = {0: "", 1: "★", 2: "★★", 3: "★★★"}
PRIORITY_LABELS = {0: "", 1: "notable", 2: "important", 3: "must-read"}
ROW_AUTHOR_LIMIT = 12  # longer author lists are cut in generated rows (the note shows all)


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
    """A tag as an entry's heading shows it: the text as written, its kind, its page's URL."""

    text: str
    kind: str
    url: str


class Renderer:
    """One build's entries as templates show them, and the templates they are shown with.

    `fragments`: where pieces made from an entry's values (its row, its heading on its note,
    a note's contents) are kept by those values; under `mkdocs serve` the rebuild cache's,
    kept across rebuilds (`cache.Fragments`), else one for this build.
    """

    def __init__(self, library: Library, bibliography: Bibliography | None = None, fragments: Fragments | None = None, *,
                 last: Renderer | None = None) -> None:
        """`last`: the last build's renderer (under serve), whose BibTeX records are taken if its entries read the same."""
        self.library = library
        self.fragments = fragments if fragments is not None else Fragments()
        self.bibliography: Bibliography = bibliography or Bibliography(
            library.entries, library.added, last=last.bibliography if last is not None else None)
        self.templates = Templates(self.fragments, rows_html=self.rows_html)
        self.titles = {path: doc_title(doc) for path, doc in library.documents.items()}  # note path -> `doc_title`
        self._views: dict[int, EntryView] = {}
        self._last: tuple[Renderer, LibraryChanges] | None = None

    def take_from(self, last: Renderer, changes: LibraryChanges) -> None:
        """Under serve: an entry `changes` finds the same as one of `last`'s library shows what it
        showed there, so its view is taken from `last` when `last` made it."""
        self._last = (last, changes)
        last._last = None  # one build back only

    def view(self, entry: Entry) -> EntryView:
        """The entry as templates see it; cached for the library's own entries."""
        key = id(entry)
        cached = self._views.get(key)
        if cached is not None:
            return cached
        if self._last is not None:
            last, changes = self._last
            old = changes.previous_entry(entry)
            cached = last._views.get(id(old)) if old is not None else None
            if cached is not None:
                self._views[key] = cached
                return cached
        lib = self.library
        authors = tuple((lib.authors[k].name, lib.authors[k].url) if k in lib.authors else (k, None) for k in lib.author_keys(entry))
        venue_year = " ".join(str(x) for x in (entry.venue, entry.year) if x)
        orgs = tuple((text, tag.url + (f"#{fragment}" if fragment else ""))
                     for text, tag, fragment in lib.entry_tags(entry) if tag.kind == "org")
        # A link without a URL (`[[pdf]]()`, reported by the grammar) has nowhere to go: left out of the rows.
        links = tuple((link.label or "link", link.url, is_safe_url(link.url)) for link in entry.links if link.url)
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
            note_title=self.titles.get(entry.path, entry.path), note_url=lib.page_urls.get(entry.path, ""),
            bibtex=record.bibtex.strip() if record else "",
            added=f"{added.day} {added:%b %Y}" if added else "", added_iso=f"{added:%Y-%m-%d}" if added else "",
            orgs=orgs, links=links)
        if lib.owns(entry):
            self._views[key] = view
        return view

    def shown_now(self) -> set[int]:
        """The ids of the views of every entry, as the library shows them now: a piece kept by value
        (`Fragments`) whose key holds one of them (a row, an entry on its note) is still current.
        Under serve the rebuild cache keeps those across builds that do not ask for them, and only
        those: a piece of an entry since edited is garbage. Views of entries not edited are the
        last build's objects (`take_from`), so identity is enough and costs no hashing."""
        return {id(self.view(e)) for e in self.library.entries}

    def views(self, entries: list[Entry], *, ordered: bool = False) -> list[EntryView]:
        """The entries' views in row order (`ordered`: the library's lists already are)."""
        return [self.view(e) for e in (entries if ordered else sorted(entries, key=self.library.sort_key))]

    def row_html(self, v: EntryView, base: str, note: bool = True, venue: bool = True, year: bool = True) -> Markup:
        """One row of a generated list (`macros.html`'s `row`) for a page at `base`, remembered.

        Links in a row depend only on the page's depth, so an entry's row is rendered once
        for all the author and tag pages it appears on: Jinja macro calls and escaping were
        most of the plugin's time. `note`, `venue`, `year`: whether the row names the entry's
        note, venue and year (a venue page grouped by year says both already).
        """
        depth = self.templates.depth(base)
        # by value: equal views render equal rows (ids of uncached views get reused)
        return self.fragments.get(("row", v, note, venue, year, depth),
                                  lambda: Markup(self.templates.macros.row(v, depth, note, venue, year)))

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
            macros = self.templates.macros
            link = str(macros.author_link(own.name, self.templates.rel(own.url, base)))
            rows = rows.replace(link, str(macros.own_name(own.name)))
        return Markup(rows)
