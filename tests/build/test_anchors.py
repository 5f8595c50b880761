"""Anchors exactly as GitHub makes them, so in-page links written on GitHub work on the site."""

from __future__ import annotations

import json
import re

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st
from papernotes.notes.grammar import parse
from papernotes.notes.slugs import entry_anchors, page_anchors
from pymdownx.slugs import slugify
from support.commands import papernotes

HEADINGS = ("# Notes\n\n## 回到目录\n\n## Intro\n\n## 回到目录\n\n## Intro\n\n## intro-1\n\n## 回到目录\n\n"
            "### `code_name` and *emphasis*\n\n## Q&A: what?\n\n## Q&A: what?\n")


def ids(html: str) -> list[str]:
    return re.findall(r'<h[1-6][^>]* id="([^"]*)"', html)


def test_heading_ids_are_githubs_repeats_included():
    md = markdown.Markdown(extensions=["attr_list", "toc", "papernotes.extensions.github_ids"],
                           extension_configs={"toc": {"slugify": slugify(case="lower"), "permalink": True}})
    html = md.convert(HEADINGS)
    assert ids(html) == ["notes", "回到目录", "intro", "回到目录-1", "intro-1", "intro-1-1", "回到目录-2",
                         "code_name-and-emphasis", "qa-what", "qa-what-1"]
    # The same anchors the checks compute from the source (slugs.page_anchors, github-slugger's rule).
    assert ids(html) == list(page_anchors(parse(HEADINGS, "n.md")).values())


def test_repeated_headings_on_a_built_page_link_as_on_github(make_site):
    note = HEADINGS + "\n[back](#回到目录-1) [intro again](#intro-1-1)\n"
    site = make_site({"n.md": note})
    html = site.page("n.md")
    assert 'id="回到目录-1"' in html and 'id="回到目录_1"' not in html
    assert 'href="#回到目录-1"' in html
    assert site.warnings == []


def test_generated_contents_block_carries_the_replaced_headings_anchor(make_site):
    for title, anchor in (("Contents", "contents"), ("目录", "目录")):
        note = (f"# N\n\n## {title}\n- [A](#a)\n\n## A\n\n### [!] First paper\n_Ada Lovelace_\n\n"
                f"[back to top](#{anchor})\n")
        html = make_site({"n.md": note}).page("n.md")
        assert f'<nav class="pn-contents" id="{anchor}"' in html
        assert html.count(f'id="{anchor}"') == 1 and f'href="#{anchor}"' in html


def test_entries_have_a_short_anchor_and_keep_githubs_long_one(make_site):
    note = ("# N\n\n## Segment Anything\n\n"
            "### [!!!] [Meta AI] Segment Anything [[pdf]](https://arxiv.org/abs/2304.02643)\n_Ada Lovelace_\n\n"
            "### [ICCV 2023] Segment Anything 2 [[pdf]](https://arxiv.org/abs/2408.00714)\n_Ada Lovelace_\n\n"
            "### [CVPR 2023] Segment Anything\n_Alan Turing_\n\n"
            "Links: [short](#segment-anything-2) [long](#-meta-ai-segment-anything-pdf)\n")
    doc = parse(note, "n.md")
    github = page_anchors(doc)
    short = entry_anchors(doc, github)
    # From the title; never another heading's GitHub anchor (the section `## Segment Anything`
    # has `segment-anything`, the second entry's title slugs to `segment-anything-2`).
    assert list(short.values()) == ["segment-anything-3", "segment-anything-2", "segment-anything-4"]
    assert not set(short.values()) & (set(github.values()) - {github[e.line] for e in doc.entries})
    site = make_site({"n.md": note}, config={"markdown_extensions": ["attr_list", "md_in_html", {"toc": {"permalink": True}}]})
    html = site.page("n.md")
    assert ids(html)[:3] == ["n", "segment-anything", "segment-anything-3"]
    assert '<span class="pn-anchor" id="-meta-ai-segment-anything-pdf"></span>' in html
    assert 'class="headerlink" href="#segment-anything-3"' in html  # the ¶ permalink is the short one
    assert [w for w in site.warnings if "duplicate-title" not in w] == []  # MkDocs finds both anchors
    papers = {p["line"]: p for p in json.loads(site.read("papers.json"))}
    assert papers[5]["id"] == "segment-anything-3" and papers[5]["url"].endswith("n/#segment-anything-3")


def test_mkdocs_finds_the_github_anchor_of_an_entry_heading_put_in_after_markdown(make_site):
    """The span holding GitHub's anchor of an entry heading is added after Markdown (`Fills`):
    MkDocs' check of links to anchors still finds it, from another page too."""
    note = "# N\n\n### [!!] [CVPR 2023] [Meta AI] Segment Anything [[pdf]](https://arxiv.org/abs/2304.02643)\n_Ada Lovelace_\n"
    links = "# L\n\n[short](n.md#segment-anything) [long](n.md#-cvpr-2023-meta-ai-segment-anything-pdf)\n"
    site = make_site({"n.md": note, "l.md": links},
                     config={"validation": {"anchors": "warn"},
                             "markdown_extensions": ["attr_list", "md_in_html", {"toc": {"permalink": True}}]})
    assert 'id="-cvpr-2023-meta-ai-segment-anything-pdf"' in site.page("n.md")
    assert [w for w in site.warnings if "anchor" in w or "#" in w] == []


def test_check_accepts_links_to_either_anchor(tmp_path):
    from support.sites import write_site

    note = ("# N\n\n### [!!!] [Meta AI] Segment Anything [[pdf]](https://arxiv.org/abs/2304.02643)\n_Ada Lovelace_\n\n"
            "[a](#segment-anything) [b](#-meta-ai-segment-anything-pdf) [c](n.md#segment-anything) [d](#segment-anythin)\n")
    root = write_site(tmp_path / "s", {"n.md": note})
    out = papernotes(root, "check").stdout.splitlines()
    assert out == ["docs/n.md:6:87: warning: no heading with anchor #segment-anythin on this page; "
                   "did you mean #segment-anything? [broken-link]"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["Intro", "intro", "Intro 1", "intro-1", "Intro-2", "目录", "目录 1", "A b", "a-b", "Q&A"]),
                min_size=1, max_size=12))
def test_rendered_ids_match_the_checks_anchors_for_any_run_of_repeats(titles):
    text = "\n\n".join(f"## {t}" for t in titles) + "\n"
    md = markdown.Markdown(extensions=["attr_list", "toc", "papernotes.extensions.github_ids"],
                           extension_configs={"toc": {"slugify": slugify(case="lower")}})
    assert ids(md.convert(text)) == list(page_anchors(parse(text, "n.md")).values())
