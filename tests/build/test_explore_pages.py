"""The explorer (`papers/`) and stats (`stats/`) pages: built sites read back.

The functions that make them: tests/unit/outputs/test_explorer_stats.py."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser

import pytest
from papernotes.outputs import explorer
from support.libgen import generate
from support.paths import FIXTURES

HOSTILE = """# Hostile names

### [!!] [<script>alert(1)</script>] [A & B "Co" 'x'] [CVPR 2023] <b>Bold</b> & "quoted" title
_<img src=x onerror=alert(2)>, 王小明, Zoë 🦊 Fox, {long}_

### [!] [清华大学] [ICML 2021] 中文标题 with emoji 🎉
_王小明_

### An entry with no year and no venue
_Nobody Special_
""".replace("{long}", "Averyveryverylongauthorname" * 8)


def _data(site) -> dict:
    text = site.read("papernotes/explorer-data.js")
    assert text.startswith("window.papernotesExplorer=") and text.endswith(";\n")
    return json.loads(text[len("window.papernotesExplorer="):-2])


class _Tables(HTMLParser):
    """Every table of a page: id -> rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: list[list[str]] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._table = self.tables.setdefault(dict(attrs).get("id") or str(len(self.tables)), [])
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._table is not None:
            self._table[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return {k: rows[1:] for k, rows in parser.tables.items()}  # without the header row


@pytest.fixture(scope="module")
def big_site(tmp_path_factory):
    """450 generated entries (three static explorer pages) plus the hostile names."""
    from support.sites import build, write_site

    docs: dict[str, str | bytes] = dict(generate(450, 5, seed=11))
    docs["hostile.md"] = HOSTILE
    docs["index.md"] = "# Home\n"
    return build(write_site(tmp_path_factory.mktemp("explore") / "project", docs))


# -- the explorer -------------------------------------------------------------------------------

def test_explorer_lists_every_entry_across_its_static_pages(big_site):
    papers = json.loads(big_site.read("papers.json"))
    assert len(papers) == 453
    first = big_site.page("papers.md")
    assert re.search(r'<p class="pn-summary pn-explorer__count" data-papernotes-count aria-live="polite" aria-atomic="true">453 papers', first)
    rows = 0
    for number in (1, 2, 3):
        html = big_site.page(explorer.ExplorerPaths("papers.md", True).page_src(number))
        rows += html.count('<li class="pn-row ')
        for n in (1, 2, 3):  # every page links to the others
            assert (f'<span aria-current="page">{n}</span>' if n == number else f">{n}</a>") in html
    assert rows == 453
    assert not (big_site.site_dir / "papers" / "4").exists()
    assert '<form class="pn-explorer__controls" role="search" aria-label="Filter the papers" hidden>' in first
    assert '<script src="../papernotes/explorer-data.js" defer></script>' in first
    assert (big_site.site_dir / "papernotes/explorer.js").read_text(encoding="utf-8").startswith("/* papernotes explorer")


def test_explorer_filters_fold_behind_one_toggle_and_static_pages_have_no_controls(big_site):
    """One button folds every filter but the search box (explorer.js folds it on phones); the
    no-match panel waits hidden. Without JavaScript the whole form stays hidden, and the static
    pages 2..n, read without it, have neither."""
    first = big_site.page("papers.md")
    start = first.index('<form class="pn-explorer__controls"')
    form = first[start:first.index("</form>", start)]
    toggle = '<button type="button" class="md-button pn-explorer__toggle" aria-expanded="true" aria-controls="pn-filters">Filters'
    assert form.index('id="pn-q"') < form.index(toggle) < form.index('<div class="pn-explorer__filters" id="pn-filters">')
    panel = form[form.index('id="pn-filters"'):form.index('<div class="pn-explorer__active"')]
    assert [m for m in re.findall(r'<(?:input|select) id="([^"]+)"', form) if f'id="{m}"' not in panel] == ["pn-q"]
    assert '<button type="button" class="md-button pn-explorer__reset" hidden>Clear all filters</button>' in form
    assert '<div class="pn-explorer__empty" hidden>' in first
    assert first.index("data-papernotes-count") < first.index("pn-explorer__empty") < first.index("pn-explorer__list")
    second = big_site.page(explorer.ExplorerPaths("papers.md", True).page_src(2))
    for part in ("pn-explorer__controls", "pn-explorer__toggle", "pn-explorer__empty", "explorer.js"):
        assert part not in second, part


def test_explorer_data_agrees_with_the_exports(big_site):
    data = _data(big_site)
    papers = json.loads(big_site.read("papers.json"))
    tags = json.loads(big_site.read("tags.json"))
    authors = json.loads(big_site.read("authors.json"))
    assert len(data["papers"]) == len(papers)
    assert [t[2] for t in data["tags"]] == [t["slug"] for t in tags]
    assert [a[1] for a in data["authors"]] == [a["slug"] for a in authors]
    per_tag = Counter(t for p in data["papers"] for t in p[7])
    assert [per_tag[i] for i in range(len(tags))] == [t["count"] for t in tags]
    per_author = Counter(a for p in data["papers"] for a in p[6])
    assert [per_author[i] for i in range(len(authors))] == [a["count"] for a in authors]
    assert Counter(p[4] or None for p in data["papers"]) == Counter(p["year"] for p in papers)
    assert sorted(data["order"]["title"]) == sorted(data["order"]["year"]) == list(range(len(papers)))
    assert data["order"]["added"] == []  # no dates: the sort is not offered
    assert 'value="added"' not in big_site.page("papers.md")
    # links are relative to the explorer page, so the site works under any base URL and from file://
    _note, url = data["notes"][0]
    assert url.startswith("../") and not url.startswith("../..")


def test_hostile_names_stay_text(big_site):
    data = big_site.read("papernotes/explorer-data.js")
    assert "<script>alert(1)</script>" in data  # as JSON string content, for the script to escape
    html = big_site.page("papers.md")
    assert "<script>alert" not in html and "<img src=x" not in html
    stats_html = big_site.page("stats.md")
    assert "<script>alert" not in stats_html and "<img src=x" not in stats_html
    assert "清华大学" in stats_html and "王小明" in data and "Zoë 🦊 Fox" in data


def test_filter_further_links(big_site):
    tags = {t["name"]: t for t in json.loads(big_site.read("tags.json"))}
    cvpr = tags["CVPR"]
    tag_page = big_site.read(cvpr["url"] + "index.html")
    assert f'<a class="pn-filter-further" href="../../papers/?tag={cvpr["slug"]}">Filter further</a>' in tag_page
    author = next(a for a in json.loads(big_site.read("authors.json")) if a["name"] == "王小明")
    author_page = big_site.read(author["url"] + "index.html")
    assert f'href="../../papers/?author={author["slug"]}">Filter further</a>' in author_page
    index = big_site.page("tags/index.md")
    assert index.count('class="pn-filter-further pn-filter-link"') == len(tags)


def test_nav_has_all_papers_after_must_read_and_stats(big_site):
    nav = re.findall(r'<a href="[^"]*" class="md-nav__link[^"]*">\s*<span class="md-ellipsis">\s*([^<]+?)\s*</span>', big_site.page("index.md"))
    assert nav.index("All papers") == nav.index("Must-read") + 1
    assert "Stats" in nav


# -- stats ----------------------------------------------------------------------------------------

def test_stats_tables_equal_counts_from_the_exports(big_site):
    papers = json.loads(big_site.read("papers.json"))
    tags = json.loads(big_site.read("tags.json"))
    authors = json.loads(big_site.read("authors.json"))
    found = tables(big_site.page("stats.md"))
    years = Counter(p["year"] for p in papers)
    expected = [[str(y), str(n)] for y, n in sorted((y, n) for y, n in years.items() if y)] + [["no year", str(years[None])]]
    assert found["per-year-table"] == expected
    priority = Counter(p["priority"] for p in papers)
    assert found["per-priority-table"] == [["★★★ must-read", str(priority[3])], ["★★ or more", str(priority[3] + priority[2])],
                                           ["★ or more", str(priority[3] + priority[2] + priority[1])], ["all papers", str(len(papers))]]
    venues = sorted((t for t in tags if t["kind"] == "venue"), key=lambda t: (-t["count"], t["name"].casefold()))
    rows = found["per-venue-table"]
    assert rows[: len(venues[:15])] == [[t["name"], str(t["count"])] for t in venues[:15]]
    with_venue = {u for t in venues for u in t["papers"]}
    assert rows[-1] == ["no venue", str(len(papers) - len(with_venue))]
    top = sorted(authors, key=lambda a: (-a["count"], a["name"].casefold()))[:15]
    assert [int(n) for _, n in found["authors-table"]] == [a["count"] for a in top]
    assert "No dates" in big_site.page("stats.md")


def test_stats_svg_is_well_formed_and_labels_are_text(big_site):
    html = big_site.page("stats.md")
    svgs = re.findall(r'<svg class="pn-chart".*?</svg>', html, flags=re.S)
    assert len(svgs) == 5  # year, venue, priority, authors, organisations; no dates for the sixth
    texts = []
    for svg in svgs:
        root = ET.fromstring(svg)
        assert root.find("{http://www.w3.org/2000/svg}title") is not None
        assert [e for e in root.iter() if e.tag.endswith("script") or e.tag.endswith("img")] == []
        texts += ["".join(e.itertext()) for e in root.iter("{http://www.w3.org/2000/svg}title")]
        for link in root.iter("{http://www.w3.org/2000/svg}a"):
            assert link.get("href").startswith("../papers/?") or link.get("href") == "../papers/"
            texts.append(link.get("aria-label"))  # a linked bar's name: what it shows, then where it goes
        texts += ["".join(e.itertext()) for e in root.iter("{http://www.w3.org/2000/svg}text")]
    # A bar's name (its title, or a linked bar's aria-label) and its label carry the text as written.
    # (a long label is cut on the bar; the name then gives it whole).
    assert any(re.search(r"<script>alert\(1\)</script>\)?,? ", t) for t in texts)
    assert any(re.match(r'A & B "Co" \'x\':? 1 paper', t) for t in texts)


def test_empty_library_builds_both_pages_and_says_so(make_site):
    site = make_site({"index.md": "# Home\n\nNothing yet.\n"})
    assert site.warnings == []
    assert "No papers yet" in site.page("papers.md")
    assert ">0 papers" in site.page("papers.md")
    stats_html = site.page("stats.md")
    assert "No papers yet" in stats_html and "pn-chart" not in stats_html
    assert _data(site)["papers"] == []


def test_explorer_and_stats_paths_are_options(make_site):
    site = make_site({"n.md": "### [CVPR 2023] A\n_X Y_\n"}, plugin={"explorer": "browse/all.md", "stats": "numbers.md"},
                     config={"use_directory_urls": False})
    assert site.warnings == []
    assert (site.site_dir / "browse/all.html").is_file() and (site.site_dir / "numbers.html").is_file()
    assert 'href="browse/all.html?year=2023"' in site.read("numbers.html")
    assert "../papernotes/explorer-data.js" in site.read("browse/all.html")


MANY_VENUES = FIXTURES / "many_venues.md"


def test_other_no_venue_and_no_year_bars_link_to_their_explorer_filters(make_site):
    """18 venues (the rest past 15 are "other"), entries with no venue and no year: every bar is a link,
    and the explorer's data names the same top 15 the chart shows, so `venue=other` counts what the bar counts."""
    site = make_site({"many.md": MANY_VENUES.read_text(encoding="utf-8")})
    assert site.warnings == []
    html = site.page("stats.md")
    found = tables(html)
    named = dict(re.findall(r'<a class="pn-chart__row" href="([^"]+)" aria-label="([^"]+)">', html))
    for href, label in (("../papers/?venue=other", "other 3 papers"), ("../papers/?venue=none", "no venue 2 papers"),
                        ("../papers/?year=none", "no year 2 papers")):
        assert named[href].startswith(label)  # the bar links there ...
        assert f'<td><a href="{href}">{label.rsplit(" ", 2)[0]}</a></td>' in html  # ... and so does its table row
    bars = {label: int(n) for label, n in found["per-venue-table"]}
    assert (bars["other"], bars["no venue"]) == (3, 2)
    assert dict(found["per-year-table"])["no year"] == "2"
    # Every bar of every chart links to the explorer (each row of the tables too).
    svgs = re.findall(r'<svg class="pn-chart".*?</svg>', html, flags=re.S)
    bars_drawn = sum(svg.count('<rect class="pn-chart__bar"') for svg in svgs)
    assert sum(svg.count('<a class="pn-chart__row" href="../papers/') for svg in svgs) == bars_drawn == sum(len(rows) for rows in found.values())
    assert html.count('<td><a href="../papers/') == bars_drawn
    # The explorer's "other": papers with a venue, none in topVenues (the chart's 15 bars, in its order).
    data = _data(site)
    top = [data["tags"][i][0] for i in data["topVenues"]]
    assert top == [label for label, _ in found["per-venue-table"][:15]] and "Small A" not in top
    venue_tags = {i for i, t in enumerate(data["tags"]) if t[1] == "venue"}
    kinds = Counter("none" if not venue_tags & set(p[7]) else "other" if not set(data["topVenues"]) & set(p[7]) else "top"
                    for p in data["papers"])
    assert (kinds["other"], kinds["none"]) == (bars["other"], bars["no venue"])


def test_a_users_own_page_wins(make_site):
    site = make_site({"n.md": "### A\n", "stats.md": "# My own stats\n"})
    assert "My own stats" in site.page("stats.md") and "pn-stats" not in site.page("stats.md")
