"""The shortcuts taken for speed at scale give exactly what the plain way gives (no MkDocs)."""

from __future__ import annotations

import json
import posixpath
import random
import re

import markdown
import pytest
from papernotes.index.aliases import Aliases
from papernotes.index.library import Library, LibraryOptions
from papernotes.index.urls import depth_base, relative_url, src_to_url
from papernotes.notes.grammar import parse
from papernotes.outputs.exports import _dump
from papernotes.render.note_page import Fills, note_markdown
from papernotes.render.views import Renderer

NOTES = {
    "a.md": "# A\n\n## Video\n\n### [!!] [CVPR 2023] [OpenAI] First & <b>bold</b> [[pdf]](https://x.org/?a=1&b=2)\n"
            "_Ada Lovelace, José Lezama, Bo Xu_\n\n### [NeurIPS 2021] Second\n_Ada Lovelace, Grace Hopper_\n",
    "sub/b.md": "# B\n\n### [!] [ICML 2020] Third \ue000 0\ue000 odd title\n_Ada Lovelace, Bo Xu_\n",
}


def renderer(use_directory_urls: bool) -> Renderer:
    docs = [parse(text, path) for path, text in NOTES.items()]
    urls = {path: src_to_url(path, use_directory_urls) for path in NOTES}
    lib = Library(docs, urls, LibraryOptions(use_directory_urls=use_directory_urls), Aliases())
    return Renderer(lib)


def _resolve(page_url: str, href: str) -> str:
    """Where a link `href` on the page at `page_url` leads, as a site path (what a browser does)."""
    path, _, fragment = href.partition("#")
    folder = page_url if page_url.endswith("/") or page_url in ("", ".") else posixpath.dirname(page_url)
    target = posixpath.normpath(posixpath.join("/", folder, path))
    if path.endswith("/") and target != "/":
        target += "/"
    return target.lstrip("/") + ("#" + fragment if fragment else "")


@pytest.mark.parametrize("use_directory_urls", [True, False])
def test_a_row_rendered_once_leads_to_the_same_places_from_every_page(use_directory_urls):
    r = renderer(use_directory_urls)
    macro = r.templates.macros.row
    bases = [a.url for a in r.library.authors.values()] + [t.url for t in r.library.tags.values()]
    bases += [src_to_url("must-read.md", use_directory_urls), "./", "sub/b/" if use_directory_urls else "sub/b.html"]
    views = r.views(r.library.entries)
    assert len(views) == 3
    href = re.compile(r'href="([^"]*)"')
    for base in bases:
        for v in views:
            for note in (True, False):
                cached, exact = str(r.row_html(v, base, note)), str(macro(v, base, note))  # exact: links from this page
                assert href.sub("", cached) == href.sub("", exact), (v.title, base)
                assert [_resolve(base, h) for h in href.findall(cached)] == [_resolve(base, h) for h in href.findall(exact)]
    by_depth: dict[str, set[str]] = {}
    for base in bases:
        by_depth.setdefault(depth_base(base), set()).add(str(r.row_html(views[0], base)))
    assert all(len(rows) == 1 for rows in by_depth.values())  # one rendering per depth
    assert len(r.fragments) <= len(views) * 2 * len(by_depth)  # rows are all the renderer made (fragments)


def test_links_from_a_depth_base_lead_where_exact_links_lead():
    rng = random.Random(5)
    parts = ["a", "b", "authors", "tags", "x", "n"]

    def page(directory: bool) -> str:
        segments = [rng.choice(parts) for _ in range(rng.randint(0, 3))]
        if directory:
            return "/".join(segments) + "/" if segments else ""
        return "/".join([*segments, rng.choice(parts) + ".html"])

    for _ in range(5000):
        directory = rng.random() < 0.5
        target, base = page(directory) + rng.choice(["", "#x"]), page(directory)
        assert _resolve(base, relative_url(target, depth_base(base))) == _resolve(base, relative_url(target, base)), (target, base)


def test_a_title_with_private_use_characters_is_shown_as_written():
    r = renderer(True)
    odd = next(v for v in r.views(r.library.entries) if v.title.startswith("Third"))
    html = str(r.row_html(odd, "authors/ada-lovelace/"))
    assert "Third \ue000 0\ue000 odd title" in html and 'href="../../sub/b/#' in html


def _relpath_reference(url: str, base: str) -> str:
    """relative_url as first written, on posixpath.relpath."""
    path, _, fragment = url.partition("#")
    if base != ".":
        head, tail = posixpath.split(base)
        base = head if "." in tail else base
    rel = posixpath.relpath("/" + path, "/" + base) if path not in ("", "./") else posixpath.relpath("/", "/" + base)
    if path.endswith("/") or path in ("", "./"):
        rel = rel.rstrip("/") + "/" if rel != "." else "./"
    return rel + ("#" + fragment if fragment else "")


def test_relative_url_agrees_with_posixpath_relpath():
    rng = random.Random(3)
    parts = ["a", "b", "authors", "x.html", "index.html", ".", "..", "", "note", "c.d"]

    def path() -> str:
        text = "/".join(rng.choice(parts) for _ in range(rng.randint(0, 4)))
        return text + ("/" if rng.random() < 0.3 else "")

    for _ in range(5000):
        url = path() + (rng.choice(["#x", "#", ""]))
        base = rng.choice([path(), "./", "."])
        assert relative_url(url, base) == _relpath_reference(url, base), (url, base)


@pytest.mark.parametrize("records", [[], [{"a": 1}], [{"name": "José", "papers": ["a/#x"]}, {"name": "<b>"}]])
def test_exports_are_one_json_record_per_line(records):
    text = _dump(records)
    assert json.loads(text) == records and text.endswith("\n")
    assert text.count("\n") == (1 if not records else len(records) + 2)


def _note_html(rend: Renderer, path: str, *, slots: bool, text: str | None = None) -> tuple[str, str]:
    """(the note's Markdown, its HTML as the site shows it) with what Markdown does not read filled in after it, or inline."""
    text = NOTES[path] if text is None else text
    doc = parse(text, path) if text != NOTES[path] else rend.library.documents[path]
    fills = Fills() if slots else None
    markdown_text = note_markdown(rend, doc, text.split("\n"), rend.library.page_anchors[path], contents=True,
                                  figure_urls={}, fills=fills)
    html = markdown.markdown(markdown_text, extensions=["attr_list", "md_in_html", "toc"])
    return markdown_text, fills.fill(html) if fills is not None else html


def test_meta_lines_contents_and_priorities_filled_in_after_markdown_give_the_inline_html_and_leave_the_markdown_alone():
    plain = renderer(True)
    for path in NOTES:
        filled, inline = _note_html(plain, path, slots=True)[1], _note_html(plain, path, slots=False)[1]
        assert filled == inline and 'class="pn-contents"' in filled and "pn-entry--p" in filled and "pn-slot" not in filled
    # An author renamed in aliases.yml: the meta lines change, the Markdown a note is rendered from does not.
    docs = [parse(text, path) for path, text in NOTES.items()]
    merged = Library(docs, {p: src_to_url(p, True) for p in NOTES}, LibraryOptions(),
                     Aliases(authors={"ada lovelace": "Augusta Ada King"}))
    before, after = _note_html(plain, "a.md", slots=True), _note_html(Renderer(merged), "a.md", slots=True)
    assert before[0] == after[0]
    assert "Augusta Ada King" in after[1] and "Augusta Ada King" not in before[1]
    assert after[1] == _note_html(Renderer(merged), "a.md", slots=False)[1]
    # A priority raised: the heading's class, its row in the contents and its meta change; the Markdown does not.
    raised_text = NOTES["a.md"].replace("### [NeurIPS", "### [!!!] [NeurIPS", 1)
    assert raised_text != NOTES["a.md"]
    raised_docs = [parse(raised_text if p == "a.md" else t, p) for p, t in NOTES.items()]
    raised = Renderer(Library(raised_docs, {p: src_to_url(p, True) for p in NOTES}, LibraryOptions(), Aliases()))
    lifted = _note_html(raised, "a.md", slots=True, text=raised_text)
    assert lifted[0] == before[0]
    assert lifted[1] != before[1] and 'pn-entry--p3" data-priority="3"' in lifted[1]
    assert lifted[1] == _note_html(raised, "a.md", slots=False, text=raised_text)[1]


def test_a_slot_or_heading_a_note_writes_itself_stays_as_written():
    fills = Fills()
    first = fills.slot("<p>meta</p>")
    fills.heading(2, "-x", "x")
    written = '<div class="pn-slot" data-papernotes-slot="5"></div><h3 class="pn-entry" id="y">'
    assert fills.fill(first + written) == "<p>meta</p>" + written
    assert fills.fill('<h3 class="pn-entry" id="x">') == ('<h3 class="pn-entry pn-entry--p2" data-priority="2" id="x">'
                                                         '<span class="pn-anchor" id="-x"></span>')
    assert fills.anchors == {"-x"}
