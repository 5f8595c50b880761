"""The author pages: the A-Z index of every author (`authors/`), and a page per author with at
least `min_papers` entries (`authors/<slug>/`): their papers, venues and co-authors."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from markupsafe import Markup

from papernotes.index.authors import Author
from papernotes.outputs.registry import HIDDEN, PAGE, BuildContext, Output, declare, project, template_page
from papernotes.render.environment import Templates

TITLE = "Authors"
# A 500-author paper would give each of its authors a page of 499 links (250,000 in all):
# pages show the most frequent co-authors; authors.json keeps them all.
COAUTHOR_LIMIT = 100


def index_context(build: BuildContext) -> tuple[str, dict[str, Any]]:
    """The A-Z index: under each letter, each author as the page shows them (name, link, count).
    The template lists them with `list_items`, each item remembered by what it shows: at 16x
    the index lists 20,000 authors, and an edit changes a few of them."""
    base, rel = build.url(build.paths.authors_index), build.renderer.templates.rel
    letters: dict[str, list[tuple[str, str, int]]] = {}
    for key, author in sorted((a.index_key, a) for a in build.library.authors.values()):  # keys end with the slug: unique
        letters.setdefault(key[1], []).append((author.name, rel(author.url, base) if author.url else "", len(author.entries)))
    return "authors_index.html", {"letters": list(letters.items()), "total": len(build.library.authors), "base": base}


class Coauthors:
    """`macros.html`'s `coauthor` items, the same on every author page: made once per author and count."""

    def __init__(self, templates: Templates) -> None:
        self.templates = templates
        self._items: dict[tuple[str, int], Markup] = {}

    def item(self, other: Author, count: int) -> Markup:
        key = (other.key, count)
        item = self._items.get(key)
        if item is None:
            href = self.templates.rel(other.url, other.url) if other.url else None  # author pages are all as deep
            item = self._items[key] = Markup(self.templates.macros.coauthor(other.name, href, count))
        return item


def author_context(build: BuildContext, coauthors: Coauthors, author: Author) -> tuple[str, dict[str, Any]]:
    """An author page's template and everything it reads."""
    assert author.url is not None
    views = build.renderer.views(author.entries, ordered=True)
    venues: Counter[str] = Counter()
    for v, e in zip(views, author.entries, strict=True):  # each venue an entry names (with a year) counts
        venues.update(list(dict.fromkeys(f"{x.name} {x.year}" for x in e.venues if x.year)) or ([v.venue_year] if e.year else []))
    ranked = build.library.ranked_coauthors(author)
    items = Markup("\n".join([coauthors.item(c, n) for c, n in ranked[:COAUTHOR_LIMIT]]))
    return "author_page.html", {"author": author, "views": views,
                                "venues": sorted(venues.items(), key=lambda kv: (-kv[1], kv[0])),
                                "coauthors": items, "more_coauthors": max(0, len(ranked) - COAUTHOR_LIMIT),
                                "aliases": author.aliases, "base": author.url, "index_url": build.url(build.paths.authors_index),
                                "explorer_url": build.url(build.paths.explorer)}


INDEX_DIGEST = "authors-index-digest"  # where a build keeps the A-Z index's digest (`BuildContext.memo`)


def _index_digest(build: BuildContext, context: Callable[[], tuple[str, dict[str, Any]]]) -> str:
    """The A-Z index's digest: the last build's when every author it lists shows the same line."""
    last, changes = build.last, build.changes
    digest = last.memo.get(INDEX_DIGEST) if last is not None and changes is not None else None
    if digest is None or changes is None or not changes.same_authors(build.library.authors, _index_line):
        _, values = context()
        digest = build.page_digest((values["letters"], values["total"], values["base"]))
    build.memo[INDEX_DIGEST] = digest
    return digest


def _index_line(author: Author) -> tuple[str, str | None, int]:
    """What the A-Z index shows of an author (and files them by)."""
    return author.name, author.url, len(author.entries)


@declare
def authors(build: BuildContext) -> Iterable[Output]:
    paths = build.paths
    index = functools.cache(partial(index_context, build))  # 20,000 authors sorted once, not twice
    yield template_page(build, paths.authors_index, PAGE, TITLE, index, digest=partial(_index_digest, build, index))
    coauthors = Coauthors(build.renderer.templates)
    for author in build.library.authors.values():
        if author.url is not None:
            own = (project(author), author.aliases)
            src = paths.author_page(author.slug)
            changed = build.changes is None or build.changes.author_changed(author)
            yield template_page(build, src, HIDDEN, author.name, partial(author_context, build, coauthors, author),
                                digest=partial(build.subject_digest, src, own, author.entries, changed=changed))
