"""The explorer: every entry on one page (`papers/`), filtered in the browser, the URL as its state.

Pure functions of the `Library` (and the `Renderer`, for the one row format of every
generated list). What the build makes:

* the explorer page itself: the filter controls (hidden until the script runs), the count
  (`data-papernotes-count`, `aria-live`), and the first `PAGE_SIZE` rows in the default
  order, rendered statically by `macros.html`'s `row`;
* static pages 2..n (`papers/2/` ...) with the rest of the rows, linked from a pager, so a
  reader without JavaScript still reaches every entry. At 16x (6,400 entries) one page of
  every row would be about 4.5 MB of HTML for every visitor; paged, the explorer is the
  first 200 rows plus a compact data file;
* `papernotes/explorer-data.js`: the library as compact arrays (indices into note, author
  and tag tables; each row's organisation chips, resource links and BibTeX record, the record
  as fields with shared words and values the script can rebuild left out), assigned to
  `window.papernotesExplorer`. A script, not JSON fetched at
  run time, so it loads from `file://` too; its links are relative to the explorer page, so
  the site works under any base URL.

`render/assets/explorer.js` (plain JavaScript, no framework, no network) reads the URL
(`?q=&tag=&venue=&author=&priority=&year=&added=&sort=`), filters, counts tags under the current
filters, renders the matching rows in the same format, and writes the URL back
(`pushState` for a chosen filter, `replaceState` while typing), so views can be shared and
back/forward work.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

from papernotes.index.authors import Author
from papernotes.index.changes import LibraryChanges
from papernotes.index.library import Library
from papernotes.index.tags import TAG_KIND_TITLES, TAG_KINDS, TagKind
from papernotes.index.urls import src_to_url
from papernotes.notes.grammar import plain_text
from papernotes.outputs.assets import package_file
from papernotes.outputs.paths import EXPLORER_ADDRESS_URI, EXPLORER_DATA_URI, EXPLORER_SCRIPT_URI, EXPLORER_STYLE_URI, explorer_page
from papernotes.outputs.registry import FILE, HIDDEN, PAGE, BuildContext, Output, declare
from papernotes.outputs.stats import top_venues
from papernotes.render.bibtex import Citation, latex_escape
from papernotes.render.page_shell import GeneratedPage
from papernotes.render.views import PRIORITY_LABELS, PRIORITY_SYMBOLS, ROW_AUTHOR_LIMIT, Renderer, doc_title

PAGE_SIZE = 200  # rows per static page, and rows the script shows before "Show more"
SORTS = ("priority", "year", "added", "title")


@dataclass(frozen=True, slots=True)
class ExplorerPaths:
    """Where the explorer's pages go: `papers.md` -> `papers/2.md`, `papers/3.md`, ..."""

    src: str
    use_directory_urls: bool

    @property
    def url(self) -> str:
        return src_to_url(self.src, self.use_directory_urls)

    def page_src(self, number: int) -> str:
        """Source path of static page `number` (1 is the explorer itself)."""
        return explorer_page(self.src, number)

    def page_url(self, number: int) -> str:
        return src_to_url(self.page_src(number), self.use_directory_urls)


def page_count(library: Library) -> int:
    return max(1, -(-len(library.entries) // PAGE_SIZE))


def ordered_entries(library: Library) -> list[Any]:
    """Every entry in the one row order (priority, year, title)."""
    return library.row_order


def pages(library: Library, renderer: Renderer, paths: ExplorerPaths) -> dict[str, GeneratedPage]:
    """Source path -> page: the explorer, then its static pages 2..n."""
    count = page_count(library)
    shared = partial(_shared, library, {})
    out = {paths.src: GeneratedPage("All papers", partial(_body, library, renderer, paths, 1, shared))}
    for number in range(2, count + 1):
        out[paths.page_src(number)] = GeneratedPage(f"All papers, page {number} of {count}",
                                                    partial(_body, library, renderer, paths, number, shared))
    return out


def _shared(library: Library, memo: dict[str, Any]) -> dict[str, Any]:
    """What every static page reads of the whole library, made once for all of them (at 16x there
    are 32 pages: sorting 6,400 entries and asking each for its date once per page was most of their cost)."""
    if not memo:
        memo["entries"] = ordered_entries(library)
        memo["has_dates"] = any(library.added(e) is not None for e in library.entries)
        memo["kinds"] = [(kind, TAG_KIND_TITLES[kind]) for kind in TAG_KINDS
                         if any(t.kind == kind for t in library.tags.values())]
    return memo


def _body(library: Library, renderer: Renderer, paths: ExplorerPaths, number: int,
          shared: Callable[[], dict[str, Any]]) -> str:
    common = shared()
    base = paths.page_url(number)
    entries = common["entries"]
    count = page_count(library)
    shown = entries[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    pager = [(n, paths.page_url(n)) for n in range(1, count + 1)] if count > 1 else []
    return renderer.templates.body(
        "explorer.html", explorer=number == 1, number=number, pages=count, pager=pager, total=len(entries),
        first=(number - 1) * PAGE_SIZE + 1, last=(number - 1) * PAGE_SIZE + len(shown),
        views=renderer.views(shown, ordered=True), base=base, explorer_url=paths.url, kinds=common["kinds"],
        has_dates=common["has_dates"], priorities=[(p, PRIORITY_SYMBOLS[p], PRIORITY_LABELS[p]) for p in (1, 2, 3)],
        data_url=EXPLORER_DATA_URI, script_url=EXPLORER_SCRIPT_URI, address_url=EXPLORER_ADDRESS_URI, style_url=EXPLORER_STYLE_URI)


@dataclass(frozen=True, slots=True)
class Parts:
    """What the data says of one entry that no index into the note, author or tag tables is in:
    under `mkdocs serve` an entry `index.changes` finds the same takes the last build's."""

    title: str
    folded_title: str  # the title order's key
    anchor: str
    venue_year: str
    author_keys: tuple[str, ...]
    added: str
    words: tuple[Any, ...] | str | int  # its BibTeX record (`_record_words`)
    orgs: tuple[tuple[tuple[TagKind, str], str, str], ...]  # (tag key, text as written, fragment) of each organisation chip
    links: tuple[tuple[str, str, int], ...]


def _parts(library: Library, renderer: Renderer, entry: Any) -> Parts:
    view = renderer.view(entry)
    added = library.added(entry)
    keys = tuple(k for k in library.author_keys(entry) if k in library.authors)
    citation = renderer.bibliography.get(entry)
    names = " and ".join(library.authors[k].name for k in keys)
    words = _record_words(view.bibtex, citation, view.title, names, next((url for _, url, safe in view.links if safe), None))
    orgs = tuple(((tag.kind, tag.key), text, fragment) for text, tag, fragment in library.entry_tags(entry) if tag.kind == "org")
    return Parts(view.title, plain_text(entry.title).casefold(), view.anchor, view.venue_year, keys,
                 added.strftime("%Y-%m-%d") if added else "", words, orgs,
                 tuple((label, url, int(safe)) for label, url, safe in view.links))


def data(library: Library, renderer: Renderer, paths: ExplorerPaths, *, changes: LibraryChanges | None = None,
         last: dict[str, Any] | None = None, kept: dict[str, Any] | None = None) -> dict[str, Any]:
    """The library as the script reads it: compact arrays, links relative to the explorer page.
    With `changes` and `last` (what the last build kept: each entry's `Parts` under PARTS, the
    author table under AUTHORS), an entry found the same takes its parts from there, and the
    table is taken when no author shows otherwise; `kept` receives this build's, for the next."""
    made = _made(library, renderer, paths, changes=changes, last=last, kept=kept)
    made["papers"] = [json.loads(text) for text in made["papers"]]
    return made


# The one JSON layout of the data (`json.dumps` with these options; one encoder, not one a call).
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _made(library: Library, renderer: Renderer, paths: ExplorerPaths, *, changes: LibraryChanges | None,
          last: dict[str, Any] | None, kept: dict[str, Any] | None) -> dict[str, Any]:
    """`data`, each paper as its JSON text. A paper's text is the last build's (`PAPERS`: by
    id(entry)) when the entry was found the same (so its note, priority, year, tags and parts are)
    and the tables its numbers point into (notes, authors, tags, BibTeX words) are the same."""
    base = paths.url
    rel = renderer.templates.rel
    notes = list(library.documents)
    note_index = {path: i for i, path in enumerate(notes)}
    authors = list(library.authors.values())
    author_index = {a.key: i for i, a in enumerate(authors)}
    # Author links all look alike (`../authors/<slug>/`): stored once as a template, not 20,000 times.
    template = ["", ""]
    sample = next((a for a in authors if a.url), None)
    if sample is not None and sample.url:
        template = list(rel(sample.url, base).rsplit(sample.slug, 1))
    tags = list(library.tags.values())
    tag_of: dict[int, list[int]] = {}
    for i, tag in enumerate(tags):
        for entry in tag.entries:
            tag_of.setdefault(id(entry), []).append(i)
    tag_index = {id(t): i for i, t in enumerate(tags)}
    tag_at = {(t.kind, t.key): i for i, t in enumerate(tags)}
    entries = ordered_entries(library)
    parts: dict[int, Parts] = kept.setdefault(PARTS, {}) if kept is not None else {}
    last_parts: dict[int, Parts] | None = last.get(PARTS) if last is not None else None
    olds: dict[int, Any] = {}
    for entry in entries:
        old = changes.previous_entry(entry) if changes is not None and last_parts is not None else None
        hit = last_parts.get(id(old)) if last_parts is not None and old is not None else None
        parts[id(entry)] = hit if hit is not None else _parts(library, renderer, entry)
        if hit is not None:
            olds[id(entry)] = old
    bib_words = _bib_words([parts[id(e)].words for e in entries])
    tables = (notes, [a.key for a in authors], [(t.kind, t.key, t.name) for t in tags], bib_words)
    last_texts: dict[int, str] = (
        last[PAPERS] if last is not None and PAPERS in last and last.get(TABLES) == tables else {})
    word_index = {w: i for i, w in enumerate(bib_words)}
    texts: dict[int, str] = {}
    papers = []
    for entry in entries:
        part = parts[id(entry)]
        old = olds.get(id(entry))
        text = last_texts.get(id(old)) if old is not None else None
        if text is None:
            orgs = []
            for key, text, fragment in part.orgs:  # [tag], [tag, text as written] or [tag, text or 0, fragment]
                chip: list[Any] = [tag_at[key], 0 if text == tags[tag_at[key]].name else text, fragment]
                while len(chip) > 1 and not chip[-1]:
                    chip.pop()
                orgs.append(chip)
            paper = [part.title, note_index.get(entry.path, 0), part.anchor, entry.priority, entry.year or 0,
                     part.venue_year, [author_index[k] for k in part.author_keys], tag_of.get(id(entry), []), part.added,
                     _bib_record(part.words, word_index), orgs, [list(link) for link in part.links]]
            while len(paper) > 9 and not paper[-1]:  # no links, chips or record: left off, not written as [] or 0
                paper.pop()
            text = _JSON.encode(paper)
        texts[id(entry)] = text
        papers.append(text)
    if kept is not None:
        kept[PAPERS], kept[TABLES] = texts, tables
    position = {id(e): i for i, e in enumerate(entries)}
    by_title = sorted(entries, key=lambda e: (parts[id(e)].folded_title, position[id(e)]))
    by_year = sorted(entries, key=lambda e: (-(e.year or 0), position[id(e)]))
    dated = [e for e in entries if library.added(e) is not None]
    by_added = sorted(dated, key=lambda e: (-library.added(e).timestamp(), position[id(e)]))  # type: ignore[union-attr]  # `dated` holds dated entries only
    by_added += [e for e in entries if library.added(e) is None]
    return {
        "version": 1,
        "pageSize": PAGE_SIZE,
        "authorLimit": ROW_AUTHOR_LIMIT,
        "kinds": {kind: TAG_KIND_TITLES[kind] for kind in TAG_KINDS},
        "notes": [[doc_title(library.documents[path]), rel(library.page_urls.get(path, ""), base)] for path in notes],
        "authors": _authors(authors, rel, base, template, changes=changes, last=last.get(AUTHORS) if last is not None else None,
                            kept=kept),
        "authorUrl": template,
        "tags": [[t.name, t.kind, t.slug, rel(t.url, base)] for t in tags],
        "topVenues": [tag_index[id(t)] for t in top_venues(library)[0]],  # `venue=other`: at none of these
        "bibWords": bib_words,
        "papers": papers,
        "order": {"year": [position[id(e)] for e in by_year], "title": [position[id(e)] for e in by_title],
                  "added": [position[id(e)] for e in by_added] if dated else []},
    }


def _authors(authors: list[Author], rel: Callable[[str, str], str], base: str, template: list[str], *,
             changes: LibraryChanges | None, last: tuple[Any, list[Any]] | None, kept: dict[str, Any] | None) -> list[Any]:
    """The data's author table, [name, slug, link]: the last build's (`last`: what it was made for,
    the table) when every author shows the same name, slug and URL and the links are alike."""
    made_for = (base, template)
    if last is not None and changes is not None and last[0] == made_for and changes.same_authors(
            {a.key: a for a in authors}, _table_row):
        table = last[1]
    else:
        table = [[a.name, a.slug, _author_link(a.slug, rel(a.url, base), template) if a.url else 0] for a in authors]
    if kept is not None:
        kept[AUTHORS] = (made_for, table)
    return table


def _table_row(author: Author) -> tuple[str, str, str | None]:
    return author.name, author.slug, author.url


def braced_title(title: str) -> str | None:
    """`bibtex.protect_capitals` of a plain ASCII title, as explorer.js makes it (None: not such a title)."""
    if not title.isascii() or latex_escape(title) != title:
        return None
    return " ".join(f"{{{word}}}" if re.search("[A-Z]", word) else word for word in title.split(" "))


def _bib_words(records: list[tuple[Any, ...] | str | int]) -> list[str]:
    """The BibTeX records' shared words for the Cite control (`records`: `_record_words`'s, in row order).

    A record is `[type, key, field, value, field, value, ...]` (`_bib_record`); the type, field
    names and every value used by more than one record (`{arXiv}`, `{2023}`, `{CVPR}`) are
    numbers into this word list, most frequent first. Values the script can make from the row's
    own data are negative numbers: -1 the title with its capitalised words braced, -2 the row's
    author names joined by " and ", -3 the URL of the row's first safe link. The script lays the
    words out as `bibtex.layout` does; a record it would not give back exactly (one without
    fields) is kept as its text; no record is 0.
    """
    counts: Counter[str] = Counter()
    for words in records:
        if isinstance(words, tuple):
            counts.update(w for w in words[:1] + words[2:] if isinstance(w, str))
    return sorted((w for w, n in counts.items() if n > 1), key=lambda w: (-counts[w], w))


def _bib_record(words: tuple[Any, ...] | str | int, index: dict[str, int]) -> Any:
    """One row's record: its words (`_record_words`), shared ones as numbers into the word list
    (`index`: word -> its place), the key always as text."""
    if not isinstance(words, tuple):
        return words
    return [index.get(w, w) if i != 1 and isinstance(w, str) else w for i, w in enumerate(words)]


@lru_cache(maxsize=1 << 16)  # pure; under `mkdocs serve` every rebuild asks again for every entry
def _record_words(text: str, citation: Citation | None, title: str, authors: str,
                  url: str | None) -> tuple[Any, ...] | str | int:
    """One entry's record for `_bib_record`: its words (the values the row gives as -1, -2, -3),
    or its text when explorer.js would not rebuild it exactly, or 0 for none."""
    if not text or citation is None or not citation.fields:  # explorer.js writes an empty line in a record without fields
        return text or 0
    made = {braced_title(title): -1, authors: -2, url: -3}
    return (citation.entry_type, citation.key,
            *(word for name, value in citation.fields for word in (name, made.get(value, value))))


def _author_link(slug: str, link: str, template: list[str]) -> str | int:
    """1 when the template makes the link, else the link itself."""
    return 1 if link == f"{template[0]}{slug}{template[1]}" else link


MEMO = "explorer"  # where a build keeps what the next takes (`BuildContext.memo`): its entries' `Parts` and
# papers' texts by id(entry), the tables those texts' numbers point into, the author table, the script's text
PARTS, PAPERS, TABLES, AUTHORS, TEXT = "parts", "papers", "tables", "authors", "text"


def data_script(library: Library, renderer: Renderer, paths: ExplorerPaths, build: BuildContext | None = None) -> str:
    """`explorer-data.js`: one assignment, so `<script src>` loads it from `file://` as from a server.
    `build`: the build, whose last build's parts are taken where an entry did not change."""
    if build is None:
        return _script(_made(library, renderer, paths, changes=None, last=None, kept=None))
    last = build.last.memo.get(MEMO) if build.last is not None else None
    kept = build.memo.setdefault(MEMO, {})
    changes = build.changes
    if last is not None and changes is not None and TEXT in last and changes.shows_the_same:
        # The library shows what it showed (`LibraryChanges.shows_the_same`), and the data shows no line.
        olds = [(id(e), id(changes.same[id(e)])) for e in library.entries]
        last_parts, last_papers = last[PARTS], last[PAPERS]
        kept[PARTS] = {new: last_parts[old] for new, old in olds}
        kept[PAPERS] = {new: last_papers[old] for new, old in olds}
        kept[TABLES], kept[AUTHORS], kept[TEXT] = last[TABLES], last[AUTHORS], last[TEXT]
        return str(last[TEXT])
    text = kept[TEXT] = _script(_made(library, renderer, paths, changes=changes, last=last, kept=kept))
    return text


def _script(made: dict[str, Any]) -> str:
    """The script of `_made`'s data: the JSON `json.dumps` would write of it, its papers' texts put in as they are."""
    fields = ",".join(f"{_JSON.encode(key)}:{'[' + ','.join(value) + ']' if key == 'papers' else _JSON.encode(value)}"
                      for key, value in made.items())
    return f"window.papernotesExplorer={{{fields}}};\n"


@declare
def explorer_pages(build: BuildContext) -> Iterable[Output]:
    """The explorer (`papers/`, in the nav), its static pages 2..n (readers without JavaScript), its script and data."""
    paths = ExplorerPaths(build.paths.explorer, build.use_directory_urls)
    lib = build.library
    memo: dict[str, Any] = {}  # what every page's digest reads, made for the first one asked

    def digest(number: int) -> str:
        """A page's digest: its rows' entries, and what its pager and controls read of the library."""
        if not memo:
            memo["entries"] = ordered_entries(lib)
            memo["own"] = (len(lib.entries), page_count(lib), sorted({t.kind for t in lib.tags.values()}),
                           any(lib.added(e) is not None for e in lib.entries))
        return build.page_digest(("explorer", number, memo["own"]), memo["entries"][(number - 1) * PAGE_SIZE: number * PAGE_SIZE])

    for number, (src, page) in enumerate(pages(lib, build.renderer, paths).items(), start=1):
        yield Output(src, PAGE if src == paths.src else HIDDEN, title=page.title, inputs=build.whole_library,
                     render=page.body, digest=partial(digest, number))
    for uri in (EXPLORER_SCRIPT_URI, EXPLORER_ADDRESS_URI, EXPLORER_STYLE_URI):
        yield package_file(uri)
    yield Output(EXPLORER_DATA_URI, FILE, inputs=build.whole_library, render=partial(data_script, lib, build.renderer, paths, build))
