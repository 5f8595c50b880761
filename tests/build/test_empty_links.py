"""A resource link written without a URL (`[[pdf]]()`) is reported and exported nowhere (issue 22, point 4).

Not in `papers.json` (no `{"url": ""}`), not in `papers.bib`, not in the rows of generated lists or the
explorer; `papernotes check` and the build report it as they did. Unit tests, then one small build.
"""

from __future__ import annotations

import json

from papernotes.index.library import Library
from papernotes.notes.grammar import parse
from papernotes.outputs import exports, papers_bib
from papernotes.render.views import Renderer
from support.sites import build, write_site

CODE = "https://github.com/owner/repo"
NOTE = ("# Note\n\n## Vision\n\n"
        f"### [!!] [CVPR 2023] Both Links [[pdf]]() [[code]]({CODE})\n_Ada Lovelace_\n\n"
        "### [!] [ICCV 2023] Only An Empty One [[pdf]]( )\n_Ada Lovelace_\n\n"
        "### [!!!] [ECCV 2022] A Broken One [[pdf]](javascript:alert(1))\n_Ada Lovelace_\n")


def library() -> Library:
    return Library([parse(NOTE, "note.md")], {"note.md": "note/"})


def test_the_grammar_still_reports_an_empty_link():
    doc = parse(NOTE, "note.md")
    assert [(d.line, d.code, d.message) for d in doc.diagnostics if d.code == "link-url"] == [
        (5, "link-url", "link [[pdf]] has no URL: write [[pdf]](https://...)"),
        (8, "link-url", "link [[pdf]] has no URL: write [[pdf]](https://...)")]


def test_papers_json_leaves_empty_links_out():
    records = {r["title"]: r["links"] for r in exports.papers(library())}
    assert records == {"Both Links": [{"label": "code", "url": CODE}], "Only An Empty One": [],
                       "A Broken One": [{"label": "pdf", "url": "javascript:alert(1)"}]}  # not empty: as before


def test_rows_leave_empty_links_out_and_still_mark_broken_ones():
    lib = library()
    renderer = Renderer(lib)
    assert [renderer.view(e).links for e in lib.entries] == [(("code", CODE, True),), (), (("pdf", "javascript:alert(1)", False),)]


def test_papers_bib_takes_the_first_link_with_a_url():
    lib = library()
    text = papers_bib.text(Renderer(lib).bibliography)
    assert f"url = {{{CODE}}}" in text and "url = {}" not in text
    assert text.count("url = ") == 1  # the empty and the unsafe link give no url field


def test_a_built_site_shows_and_exports_no_empty_link(tmp_path):
    root = write_site(tmp_path / "site", {"index.md": "# Home\n", "note.md": NOTE})
    site = build(root)
    assert sum("link [[pdf]] has no URL" in m for m in site.warnings) == 2  # reported, as before
    assert '"url": ""' not in site.read("papers.json")
    assert all(link["url"] for paper in json.loads(site.read("papers.json")) for link in paper["links"])
    assert "url = {}" not in site.read("papers.bib")
    explorer_data = site.read("papernotes/explorer-data.js")
    assert '["pdf",""' not in explorer_data.replace(" ", "") and '["code","' + CODE in explorer_data.replace(" ", "")
    for page in ("must-read.md", "papers.md", "tags/cvpr.md", "tags/iccv.md", "authors/ada-lovelace.md"):
        html = site.page(page)
        assert "no URL" not in html, page  # the title a link without a URL had in a row
    assert site.page("must-read.md").count("pn-link--broken") == 1  # the javascript: one, still shown as not linked
