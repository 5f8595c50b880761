"""Tags as the notes mean them (issue 13), built: venue pages, the tags index and the exports count what the entries imply.

Every row of the issue's table in one note; the rows one by one: tests/unit/index/test_tags.py.
"""

from __future__ import annotations

import json
import re

from papernotes.index.aliases import Aliases
from papernotes.index.library import Library
from papernotes.index.urls import src_to_url
from papernotes.notes.grammar import parse
from papernotes.outputs.exports import papers, tags
from support.sites import write_site


# As in tests/unit/index/test_tags.py.
def library(*notes: tuple[str, str], aliases: str = "") -> Library:
    docs = [parse(text, path) for path, text in notes]
    return Library(docs, {path: src_to_url(path, True) for path, _ in notes}, aliases=Aliases.from_yaml(aliases, "a.yml")[0])


ALL_ROWS = """# Venues

### [CVPR 2014, TPAMI 2016] Two Venues
_Ada Lovelace_

### [IJCV 2017, BMVC 2016] Two More Venues
_Ada Lovelace_

### [NeurIPS 2023 Oral] Oral Paper
_Alan Turing_

### [CVPR 2018 spotlight] Spotlight Paper
_Alan Turing_

### [ECCV 2018 Best Paper Award] Best Paper
_Alan Turing_

### [NeurIPS 2024 Workshop] Workshop Paper
_Alan Turing_

### [Nature Method 2023 Comment] Comment Paper
_Alan Turing_

### [NeurIPS] Yearless Paper
_Grace Hopper_

### [CVPR workshop] Yearless Workshop Paper
_Grace Hopper_

### [CVPR 2014, TPAMI 2016, IJCV 2018 Oral] Three Venues
_Grace Hopper_

### [ECCV 2020 (Best Paper, Honorable Mention)] Punctuated Qualifier
_Grace Hopper_

### [OpenAI 2023] Venue Named Like An Organisation
_Grace Hopper_

### [OpenAI] [Google] Organisation Named Like A Venue
_Grace Hopper_
"""

# What the entries above imply, worked out by hand.
EXPECTED = {
    "venue": {"CVPR": 4, "TPAMI": 2, "IJCV": 2, "BMVC": 1, "NeurIPS": 3, "ECCV": 2, "Nature Method": 1, "OpenAI": 2},
    "year": {"2014": 2, "2016": 3, "2017": 1, "2018": 3, "2020": 1, "2023": 3, "2024": 1},
    "org": {"Google": 1},
}


def test_the_build_counts_and_shows_tags_as_meant(tmp_path):
    from support.sites import build

    root = write_site(tmp_path / "p", {"venues.md": ALL_ROWS})
    site = build(root)
    records = json.loads(site.read("tags.json"))
    by_kind = {kind: {r["name"]: r["count"] for r in records if r["kind"] == kind} for kind in EXPECTED}
    assert by_kind == EXPECTED
    names = [r["name"].casefold() for r in records if r["kind"] != "topic"]
    assert len(names) == len(set(names)), "one record per tag name"

    index = site.page("tags/index.md")
    listed = re.findall(r'class="pn-chip pn-chip--(\w+)" href="[^"]*">([^<]*)</a> <span class="pn-count">(\d+)</span>', index)
    shown = {kind: {name: int(n) for k, name, n in listed if k == kind} for kind in EXPECTED}
    assert shown == EXPECTED
    assert len([name for _, name, _ in listed]) == len({name for _, name, _ in listed}), "each name once on the index"

    cvpr = site.page("tags/cvpr.md")
    assert "4 papers" in cvpr
    assert re.findall(r'<h2 id="(\w+)">', cvpr) == ["2018", "2014", "undated"]
    assert '<span class="pn-row__qualifier">Spotlight</span>' in cvpr
    assert '<span class="pn-row__qualifier">Workshop</span>' in cvpr
    tpami = site.page("tags/tpami.md")
    assert re.findall(r'<h2 id="(\w+)">', tpami) == ["2016"]
    # Grouped under the year the entries give TPAMI (2016, not the first venue's 2014); the rows do not
    # repeat venue and year (issue 9's polish list).
    assert tpami.count('class="pn-row ') == 2 and 'class="pn-row__venue"' not in tpami
    eccv = site.page("tags/eccv.md")
    assert '<span class="pn-row__qualifier">Best Paper, Honorable Mention</span>' in eccv

    note = site.page("venues.md")
    assert '<a class="pn-chip pn-chip--venue" href="../tags/neurips/#2023">NeurIPS 2023 · Oral</a>' in note
    assert '<a class="pn-chip pn-chip--venue" href="../tags/tpami/#2016">TPAMI 2016</a>' in note
    assert '<a class="pn-chip pn-chip--venue" href="../tags/cvpr/">CVPR · Workshop</a>' in note
    assert '<a class="pn-chip pn-chip--venue" href="../tags/openai/">OpenAI</a>' in note

    paper = {p["title"]: p for p in json.loads(site.read("papers.json"))}
    assert paper["Three Venues"]["venues"] == [{"name": "CVPR", "year": 2014, "qualifier": ""},
                                              {"name": "TPAMI", "year": 2016, "qualifier": ""},
                                              {"name": "IJCV", "year": 2018, "qualifier": "Oral"}]
    assert (paper["Three Venues"]["venue"], paper["Three Venues"]["year"]) == ("CVPR", 2014)
    assert (paper["Yearless Paper"]["venue"], paper["Yearless Paper"]["year"]) == ("NeurIPS", None)


def test_exports_of_a_library_agree_with_its_tags():
    lib = library(("venues.md", ALL_ROWS))
    records = {(r["kind"], r["name"]): r["count"] for r in tags(lib)}
    for paper in papers(lib):
        for venue in paper["venues"]:
            assert ("venue", venue["name"]) in records
    assert sum(len(p["venues"]) for p in papers(lib)) == sum(EXPECTED["venue"].values())


def test_an_author_page_counts_each_venue_an_entry_names(make_site):
    site = make_site({"a.md": "### [CVPR 2014, TPAMI 2016] A\n_Ada Lovelace_\n\n### [CVPR 2014 Oral] [CVPR 2014] B\n_Ada Lovelace_\n\n"
                               "### [2021] C\n_Ada Lovelace_\n"})
    summary = site.page("authors/ada-lovelace.md").split('class="pn-summary">', 1)[1].split("</p>", 1)[0]
    assert "CVPR 2014 (2), 2021 (1), TPAMI 2016 (1)" in summary


def test_venue_and_qualifier_text_is_escaped(make_site):
    site = make_site({"a.md": '### [<img src=x onerror=alert(1)> 2023 <script>alert(2)</script>] A\n_Ada Lovelace_\n'})
    note, index = site.page("a.md"), site.page("tags/index.md")
    record = json.loads(site.read("tags.json"))[0]
    assert record["kind"] == "venue"
    venue = site.page(f"tags/{record['slug']}.md")
    for html in (note, index, venue):
        assert "<img src=x" not in html and "<script>alert(2)" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; 2023 · &lt;script&gt;alert(2)&lt;/script&gt;" in note
    assert '<span class="pn-row__qualifier">&lt;script&gt;alert(2)&lt;/script&gt;</span>' in venue
