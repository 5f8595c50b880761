"""Nothing lost at scale: every entry the parser finds in a generated library of a few
thousand entries is on its note page, in its contents block, on each of its tags' pages,
on each of its authors' pages (or the author index under `min_papers`) and in papers.json,
exactly once each."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from html import unescape
from urllib.parse import unquote, urljoin

import pytest
from markupsafe import escape
from papernotes.notes.grammar import parse
from support.libgen import generate
from support.sites import Site, build, write_site

pytestmark = pytest.mark.slow

ENTRIES, NOTES = 2000, 8
ROW_TITLE = re.compile(r'<a class="pn-row__title" href="([^"]*)"')
CONTENTS = re.compile(r'<nav class="pn-contents"[^>]*>(.*?)</nav>', re.S)
HREF = re.compile(r'href="([^"]*)"')
DATED = re.compile(r"^(.+?) ((?:19|20)\d\d)(?: .*)?$")
ENTRY_ID = re.compile(r'<h3 class="pn-entry[^"]*"[^>]* id="([^"]*)"')


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> tuple[Site, dict[str, list]]:
    docs = generate(ENTRIES, NOTES, seed=2026)
    root = write_site(tmp_path_factory.mktemp("lib") / "project", {"index.md": "# Home\n", **docs},
                      plugin={"min_papers": 2})
    site = build(root)
    parsed = {name: parse(text, name).entries for name, text in docs.items()}
    return site, parsed


def _page_html(site: Site, url: str) -> str:
    path = site.site_dir / unquote(url)
    return (path / "index.html" if url.endswith("/") or not url else path).read_text(encoding="utf-8")


def _resolve(page_url: str, href: str) -> str:
    """A row's relative href as a site-relative URL (`note_00/#anchor`)."""
    absolute = urljoin("https://site.invalid/" + page_url, unescape(href))
    return unquote(absolute.removeprefix("https://site.invalid/"))


def _rows(site: Site, page_url: str) -> list[str]:
    return [_resolve(page_url, href) for href in ROW_TITLE.findall(_page_html(site, page_url))]


@pytest.fixture(scope="module")
def papers(library) -> list[dict]:
    site, _ = library
    return json.loads(site.read("papers.json"))


@pytest.fixture(scope="module")
def url_of(papers) -> dict[tuple[str, int], str]:
    return {(p["page"], p["line"]): unquote(p["url"]) for p in papers}


def test_build_is_clean_and_big_enough(library):
    site, parsed = library
    # Generated names such as 'Ximena 芳 892' and 'Ximena 芳 105' look like one person to the
    # author-alias rule (as `papernotes check` says too): nothing else is reported.
    assert [w for w in site.warnings if not w.endswith("[author-alias]")] == []
    assert sum(len(entries) for entries in parsed.values()) == ENTRIES


def test_papers_json_has_each_parsed_entry_once(library, papers):
    _, parsed = library
    expected = [(name, e.line, e.title, e.priority, list(e.authors)) for name in sorted(parsed) for e in parsed[name]]
    assert [(p["page"], p["line"], p["title"], p["priority"], p["authors"]) for p in papers] == expected
    assert len({p["url"] for p in papers}) == len(papers)


def test_each_entry_is_on_its_note_page_and_in_its_contents_block(library, papers):
    site, parsed = library
    by_page = defaultdict(list)
    for p in papers:
        by_page[p["page"]].append(p["id"])
    for name, entries in parsed.items():
        html = site.page(name)
        ids = [unescape(i) for i in ENTRY_ID.findall(html)]
        assert ids == by_page[name]  # every entry heading, in order, with its anchor, once
        assert len(ids) == len(entries)
        blocks = CONTENTS.findall(html)
        assert len(blocks) == 1
        links = [unescape(h)[1:] for h in HREF.findall(blocks[0]) if h.startswith("#")]
        entry_links = Counter(link for link in links if link in set(ids))
        assert sorted(entry_links) == sorted(ids)
        assert set(entry_links.values()) == {1}


def test_each_entry_is_on_each_of_its_tags_pages(library, url_of):
    site, parsed = library
    expected: dict[tuple[str, str], set[str]] = defaultdict(set)
    # libgen writes `[Venue YYYY]`, `[V1 Y1, V2 Y2]`, `[Venue YYYY qualifier]`, `[Venue]`, `[Venue workshop]`, `[Org]`.
    dated = {_key(m.group(1)) for entries in parsed.values() for e in entries for tag in e.tags
             for part in tag.split(", ") if (m := DATED.match(part))}
    for name, entries in parsed.items():
        for e in entries:
            url = url_of[(name, e.line)]
            for tag in e.tags:
                for part in tag.split(", "):
                    m = DATED.match(part)
                    if m:
                        expected[("year", m.group(2))].add(url)
                        expected[("venue", _key(m.group(1)))].add(url)
                    elif _key(part.removesuffix(" workshop")) in dated:
                        expected[("venue", _key(part.removesuffix(" workshop")))].add(url)
                    else:
                        expected[("org", _key(part))].add(url)
            for topic in (e.section, *e.topics):
                expected[("topic", _key(topic))].add(url)
    tags = json.loads(site.read("tags.json"))
    assert len(tags) == len(expected)
    for record in tags:
        rows = _rows(site, record["url"])
        assert len(rows) == len(set(rows)), record["name"]  # no duplicates
        assert set(rows) == expected[(record["kind"], _key(record["name"]))], record["name"]
        assert record["count"] == len(rows)
        assert sorted(unquote(u) for u in record["papers"]) == sorted(rows)


def test_each_entry_is_on_each_of_its_authors_pages_or_the_index(library, url_of):
    site, parsed = library
    expected: dict[str, set[str]] = defaultdict(set)
    for name, entries in parsed.items():
        for e in entries:
            for author in e.authors:
                expected[_key(author)].add(url_of[(name, e.line)])
    authors = json.loads(site.read("authors.json"))
    assert {_key(a["name"]) for a in authors} == set(expected)
    index = _page_html(site, "authors/")
    without_page = 0
    for record in authors:
        want = expected[_key(record["name"])]
        assert record["count"] == len(want)
        if record["url"] is None:
            without_page += 1
            assert len(want) < 2
            assert f'<li>{escape(record["name"])} <span class="pn-count">{len(want)}</span></li>' in index
            continue
        rows = _rows(site, record["url"])
        assert len(rows) == len(set(rows)), record["name"]
        assert set(rows) == want, record["name"]
        assert f'href="../authors/{record["slug"]}/">{escape(record["name"])}</a> <span class="pn-count">{len(want)}</span>' in index
    assert 0 < without_page < len(authors)  # min_papers=2 really left some authors on the index only


def test_must_read_lists_exactly_the_priority_entries(library, url_of):
    site, parsed = library
    want = {url_of[(name, e.line)] for name, entries in parsed.items() for e in entries if e.priority}
    rows = _rows(site, "must-read/")
    assert len(rows) == len(set(rows)) == len(want)
    assert set(rows) == want
