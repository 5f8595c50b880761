"""The plugin inside real MkDocs builds: diagnostics, rendering, generated pages, exports."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
import yaml
from mkdocs.exceptions import Abort
from papernotes.render.page_shell import page_heading
from support.sites import build, write_site

NOTE = """# My note

## Contents
- [Vision](#vision)

## Vision

### [!!!] [CVPR 2023] [Google] Great Paper [[pdf]](https://arxiv.org/abs/1) [[code]](https://github.com/x/y)
_Ada Lovelace, José Lezama and Yin Cui_
Tags: #diffusion
- a note ![](../assets/fig/a.png)

### [ICML 2021] Plain Paper
_Yin Cui_

### advantages
- not an entry
"""


def test_entries_render_with_anchor_highlight_chips_buttons_authors(make_site):
    site = make_site({"note.md": NOTE}, assets={"fig/a.png": b"\x89PNG"})
    assert site.warnings == []
    html = site.page("note.md")
    assert re.search(r'<h3 class="pn-entry pn-entry--p3" data-priority="3" id="great-paper">'
                     r'<span class="pn-anchor" id="-cvpr-2023-google-great-paper-pdf-code"></span>Great Paper', html)
    assert 'class="pn-badge pn-badge--p3"' in html
    assert '<a class="pn-chip pn-chip--venue" href="../tags/cvpr/#2023">CVPR 2023</a>' in html
    assert '<a class="pn-chip pn-chip--org" href="../tags/google/">Google</a>' in html
    assert '<a class="pn-chip pn-chip--topic" href="../tags/diffusion/">#diffusion</a>' in html
    assert '<a class="md-button pn-link" href="https://arxiv.org/abs/1">pdf</a>' in html
    assert '<a href="../authors/jose-lezama/">José Lezama</a>' in html
    assert "Tags: #diffusion" not in html and "_Ada Lovelace" not in html
    assert '<h3 id="advantages">advantages' in html  # ordinary heading untouched
    assert '<img alt="Great Paper — figure 1" src="../assets/fig/a.png"' in html  # named: the note gave no alt
    assert (site.site_dir / "assets/fig/a.png").read_bytes() == b"\x89PNG"


def test_figures_without_alt_are_named_after_their_entry_and_position(make_site):
    note = """# Figures [and] notes

![](../assets/a.png)

### [CVPR 2023] Segment [Anything] `v2`
_Ada Lovelace_
- ![](../assets/a.png) ![A diagram by its author](../assets/b.png)
- ![ ](https://example.org/c.png "remote")
"""
    site = make_site({"note.md": note}, assets={"a.png": b"x", "b.png": b"x"})
    assert site.warnings == []
    images = re.findall(r"<img [^>]*>", site.page("note.md").split('<article', 1)[1])
    assert images == [
        '<img alt="Figures [and] notes — figure 1" src="../assets/a.png" />',
        '<img alt="Segment [Anything] v2 — figure 1" src="../assets/a.png" />',
        '<img alt="A diagram by its author" src="../assets/b.png" />',
        '<img alt="Segment [Anything] v2 — figure 3" src="https://example.org/c.png" title="remote" />',
    ]


def test_generated_contents_replaces_the_hand_written_one(make_site):
    html = make_site({"note.md": NOTE}, assets={"fig/a.png": b"x"}).page("note.md")
    assert html.count('class="pn-contents"') == 1
    # The hand-kept heading is gone; the generated block carries its anchor, so `#contents` links still work.
    assert html.count('id="contents"') == 1 and '<nav class="pn-contents" id="contents"' in html
    contents = html.split('class="pn-contents"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="#vision">Vision</a> <span class="pn-count">2</span>' in contents
    assert '<a href="#great-paper">Great Paper</a>' in contents
    assert 'class="pn-row pn-row--p3"' in contents and 'class="pn-row pn-row--p0"' in contents
    assert html.index("pn-contents") < html.index('id="vision"')


@pytest.mark.parametrize(("front", "plugin"), [("---\npapernotes:\n  contents: false\n---\n", {}), ("", {"contents": False})])
def test_contents_can_be_turned_off(make_site, front, plugin):
    html = make_site({"note.md": front + "### [!] T\n"}, plugin=plugin).page("note.md")
    assert "pn-contents" not in html and "pn-entry--p1" in html


def test_contents_goes_after_the_title_when_there_is_no_hand_written_list(make_site):
    html = make_site({"note.md": "# Title\n\nIntro.\n\n### [!] T\n"}).page("note.md")
    assert html.index(">Title<") < html.index("pn-contents") < html.index("Intro.")


BAD_ENTRIES = """## S
### [!] [X] Unclosed authors
_Ada Lovelace, Alan Turing

### [!!!] [CVPR 2023] [[pdf]](https://a.org)

### [X] No url [[pdf]]

### [X] [!!] Late marker

### [X] Spaced url [[pdf]](t https://arxiv.org/abs/2)

### [X] Twice

### [Y] Twice
"""


def test_bad_entries_warn_with_file_and_line_and_still_appear(make_site):
    site = make_site({"bad.md": BAD_ENTRIES})
    warnings = [w for w in site.warnings if w.startswith("papernotes:")]
    expected = [("3", "author-line"), ("5", "empty-title"), ("7", "link-url"), ("9", "priority-order"),
                ("11", "url-space"), ("15", "duplicate-title")]
    got = [(m.group(1), m.group(2)) for w in warnings if (m := re.match(r"papernotes: docs/bad\.md:(\d+):\d+: .* \[([\w-]+)\]$", w))]
    assert got == expected, warnings
    papers = json.loads(site.read("papers.json"))
    assert len(papers) == 7
    html = site.page("bad.md")
    assert all(f'id="{p["id"]}"' in html for p in papers)
    assert "(untitled)" in html and "pn-link--broken" in html


def test_strict_build_fails_on_a_bad_entry(tmp_path):
    root = write_site(tmp_path / "p", {"bad.md": "### [X] No url [[pdf]]\n"})
    with pytest.raises(Abort):
        build(root, strict=True)


def test_disabled_rule_is_not_reported(make_site):
    site = make_site({"bad.md": "### [X] A\n### [X] A\n"}, plugin={"disable": ["duplicate-title"]})
    assert site.warnings == []


def test_missing_figure_is_a_warning_with_its_line(make_site):
    site = make_site({"note.md": "### [X] T\n\n![](../assets/nope.png)\n"})
    expected = "papernotes: docs/note.md:3:1: figure not found: ../assets/nope.png: add the file or fix the path [missing-figure]"
    assert expected in site.warnings
    # Reported once: MkDocs' own "contains a link '../assets/nope.png'" warning is not repeated.
    assert not [w for w in site.warnings if "nope.png" in w and w != expected]


def test_missing_figure_placeholder_switch(make_site):
    front = "---\npapernotes:\n  missing_figures: placeholder\n---\n"
    site = make_site({"note.md": front + "### [X] T\n- ![](../assets/nope.png)\n"})
    assert [w for w in site.warnings if "papernotes" in w] == []
    assert '<span class="pn-missing-figure" data-search-exclude>Figure not available (nope.png)</span>' in site.page("note.md")


def test_missing_figure_placeholder_names_the_file_and_stays_out_of_search(make_site):
    """The box says which file is missing in words, not as a relative path, and search never shows it."""
    front = "---\npapernotes:\n  missing_figures: placeholder\n---\n"
    site = make_site({"note.md": front + "# N\n\n### [X] Kiwi\n_A_\n- A figure: ![chart](../assets/fig_n/8%20b.png?raw=1) here.\n"})
    page = site.page("note.md")
    assert "Figure not available (8 b.png)" in page
    assert "../assets/fig_n" not in page
    index = site.read("search/search_index.json")
    assert "Kiwi" in index and "A figure:" in index  # the entry and its text are searchable...
    assert "not available" not in index and "8 b.png" not in index and "fig_n" not in index  # ...the box is not


def test_figure_outside_docs_and_assets_is_reported(make_site):
    site = make_site({"note.md": "### [X] T\n![](../../etc/passwd.png)\n"})
    assert any("points outside" in w for w in site.warnings)


def test_invalid_utf8_names_the_file_and_line_and_the_rest_builds(make_site):
    bad = "### [!] [X] Good entry\n_A_\n\n### [X] Bad \xff entry\n".encode("latin-1")
    site = make_site({"bad.md": bad, "good.md": "### [!!] [Y] Other\n"})
    assert any(re.match(r"papernotes: docs/bad\.md:4:\d+: not valid UTF-8", w) for w in site.warnings), site.warnings
    titles = [p["title"] for p in json.loads(site.read("papers.json"))]
    assert titles == ["Good entry", "Bad \ufffd entry", "Other"]


def test_html_in_user_text_is_shown_as_text(make_site):
    site = make_site({"x.md": "### [<b>tag</b>] <script>alert(1)</script> [[<i>pdf</i>]](https://a.org)\n"
                              "_<img src=x onerror=alert(1)>_\n"})
    for page in ("x.md", "must-read.md", "authors/index.md", "tags/index.md"):
        html = site.page(page)
        assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b>tag" not in html
    html = site.page("x.md")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_users_own_page_wins_over_a_generated_one(make_site):
    site = make_site({"note.md": "### [!] T\n", "must-read.md": "# Mine\n\nHand-written.\n"})
    assert "Hand-written." in site.page("must-read.md")


def test_generated_pages_and_nav(make_site):
    site = make_site({"index.md": "# Home\n", "about.md": "# About\n", "b.md": "# B\n### [!] T\n_A_\n",
                      "a.md": "# A\n### [X] U\n_A_\n"})
    html = site.page("index.md")
    nav = re.findall(r'<a href="([^"#]+)" class="md-nav__link', html.split("md-nav--primary", 1)[1])
    order = [link for i, link in enumerate(nav) if link not in nav[:i]]
    assert order == [".", "a/", "b/", "must-read/", "papers/", "recent/", "tags/", "authors/", "stats/", "about/"]
    assert not any("authors/a/" in link for link in nav)  # per-author pages stay out of the nav
    assert (site.site_dir / "authors/a/index.html").is_file() and (site.site_dir / "tags/x/index.html").is_file()


def test_papers_json_schema(make_site):
    site = make_site({"z.md": "### [X] Later page\n", "note.md": NOTE}, assets={"fig/a.png": b"x"})
    records = json.loads(site.read("papers.json"))
    assert [(r["page"], r["line"]) for r in records] == [("note.md", 8), ("note.md", 13), ("z.md", 1)]
    first = records[0]
    assert set(first) == {"id", "url", "page", "line", "section", "title", "priority", "tags", "topics", "venue", "year", "venues",
                          "authors", "links", "bibkey", "added"}
    assert first["url"] == f"note/#{first['id']}" and first["year"] == 2023 and first["venue"] == "CVPR"
    assert first["authors"] == ["Ada Lovelace", "José Lezama", "Yin Cui"]
    assert first["links"][1] == {"label": "code", "url": "https://github.com/x/y"}
    assert records[2]["year"] is None
    authors = {a["name"]: a for a in json.loads(site.read("authors.json"))}
    assert authors["Yin Cui"]["count"] == 2 and authors["Yin Cui"]["url"] == "authors/yin-cui/"
    assert {"name": "Ada Lovelace", "count": 1} in authors["Yin Cui"]["coauthors"]
    tags = {t["name"]: t for t in json.loads(site.read("tags.json"))}
    assert tags["CVPR"]["papers"] == [first["url"]] and tags["Vision"]["count"] == 2


def test_author_and_tag_pages_list_entries_and_link_back(make_site):
    site = make_site({"note.md": NOTE}, assets={"fig/a.png": b"x"})
    author = site.page("authors/yin-cui.md")
    assert '<a class="pn-row__title" href="../../note/#great-paper">Great Paper</a>' in author
    assert "Co-authors" in author and '<a href="../../authors/jose-lezama/">José Lezama</a>' in author
    assert "CVPR 2023 (1)" in author and "ICML 2021 (1)" in author
    venue = site.page("tags/cvpr.md")
    assert '<h2 id="2023">2023' in venue and "Great Paper" in venue
    index = site.page("authors/index.md")
    letters = re.findall(r'<h2 id="letter-\d+">(\w)</h2>', index)
    assert letters == sorted(letters) and {"C", "L"} <= set(letters)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) and tag in ("a", "img", "link", "script"):
                self.links.append(attrs[name])


def walk_links(site_dir: Path) -> tuple[int, list[str]]:
    """Check every local link of every page: the file exists and so does its #fragment."""
    pages: dict[Path, _Links] = {}
    for path in site_dir.rglob("*.html"):
        if path.name == "404.html":
            continue  # served for any missing URL, so its links are root-absolute by design
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        pages[path] = parser
    broken, checked = [], 0
    for path, parser in pages.items():
        base = "file://" + str(path)
        for link in parser.links:
            url = urlparse(urljoin(base, link))
            if url.scheme != "file":
                continue
            target = Path(unquote(url.path))
            if target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.exists():
                broken.append(f"{path.relative_to(site_dir)} -> {link}")
            elif url.fragment and target in pages and unquote(url.fragment) not in pages[target].ids:
                broken.append(f"{path.relative_to(site_dir)} -> {link} (no such anchor)")
    return checked, broken


@pytest.mark.parametrize("dirs", [True, False])
def test_every_link_of_the_built_seed_site_resolves(tmp_path, dirs):
    from support.paths import REPO

    root = write_site(tmp_path / "p", {"index.md": "# Home\n", "blog_generative_models.md": (REPO / "docs/blog_generative_models.md").read_text()},
                      config={"use_directory_urls": dirs})
    site = build(root)
    checked, broken = walk_links(site.site_dir)
    assert broken == [] and checked > 1000
    # every entry is reachable from each of its tags' and authors' pages, which link back
    papers = json.loads(site.read("papers.json"))
    for kind in ("authors", "tags"):
        for record in json.loads(site.read(f"{kind}.json")):
            html = (site.site_dir / (record["url"] + "index.html" if dirs else record["url"])).read_text()
            for url in record["papers"]:
                anchor = url.split("#")[1]
                assert f"#{anchor}\"" in html, (record["name"], url)
    note = site.page("blog_generative_models.md")
    for record in papers:
        for author in record["authors"]:
            assert f">{author}</a>" in note


def test_two_builds_in_one_process_with_an_edit_in_between(tmp_path):
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    root = write_site(tmp_path / "p", {"note.md": "### [!] [CVPR 2023] First\n_Old Author, Kept Author_\n"})
    config = load_config(config_file=str(root / "mkdocs.yml"))
    mkdocs_build(config)
    site = root / "site"
    assert (site / "authors/old-author/index.html").is_file()
    nav_before = (site / "note/index.html").read_text().count('href="../must-read/"')
    (root / "docs/note.md").write_text("### [!!] [ICML 2024] Second\n_New Author, Kept Author_\n", encoding="utf-8")
    mkdocs_build(config)  # same config and plugin objects, as `mkdocs serve` may reuse them
    assert not (site / "authors/old-author").exists() and not (site / "tags/cvpr").exists()
    assert (site / "authors/new-author/index.html").is_file()
    kept = (site / "authors/kept-author/index.html").read_text()
    assert "Second" in kept and "First" not in kept
    papers = json.loads((site / "papers.json").read_text())
    assert [p["title"] for p in papers] == ["Second"]
    assert nav_before >= 1
    assert (site / "note/index.html").read_text().count('href="../must-read/"') == nav_before  # nav laid out afresh, not twice


def test_text_changed_by_an_earlier_plugin_is_reparsed(tmp_path):
    hook = tmp_path / "p" / "hook.py"
    root = write_site(tmp_path / "p", {"note.md": "# N\n### [!!] [X] T\n_Ada_\n"}, config={"hooks": ["hook.py"]})
    hook.write_text("from mkdocs.plugins import event_priority\n\n@event_priority(100)\n"
                    "def on_page_markdown(markdown, **kwargs):\n    return 'Inserted first.\\n\\n' + markdown\n")
    site = build(root)
    html = site.page("note.md")
    assert "Inserted first." in html and "pn-entry--p2" in html and '<a href="../authors/ada/">Ada</a>' in html


def test_other_notes_in_the_same_format_build_without_code_change(make_site, seed_text):
    """Notes from elsewhere: subfolders, odd file names, CRLF, BOM, no title, entries before any section."""
    docs = {
        "index.md": "# Home\n",
        "blog_generative_models.md": seed_text,
        "vision/2024 reading list.md": "\ufeff### [!!] [CVPR 2024] First\r\n_A. Person and B. Person_\r\n\r\n## Later\r\n### [ECCV 2024] Second\r\n",
        "zh/笔记.md": "# 笔记\n## 扩散模型\n### [!!!] [清华大学] 中文标题 [[论文]](https://a.org)\n_张三, 李四_\n- 要点\n",
        "empty.md": "",
        "prose.md": "# Just prose\n\n### advantages\n",
    }
    site = make_site(docs)
    # Exactly what `papernotes check` says of these notes: the seed's two spellings of one author
    # (this site has no aliases.yml) and the empty note.
    assert [w.split(" [")[-1] for w in site.warnings if "papernotes" in w] == ["author-alias]", "empty-note]"]
    papers = json.loads(site.read("papers.json"))
    assert len(papers) == 11 + 3
    by_title = {p["title"]: p for p in papers}
    assert by_title["First"]["section"] is None and by_title["Second"]["section"] == "Later"
    assert by_title["中文标题"]["id"] == "中文标题"
    assert by_title["First"]["url"] == "vision/2024%20reading%20list/#first"
    html = site.page("zh/笔记.md")
    assert 'id="中文标题"' in html and 'id="-清华大学-中文标题-论文"' in html and "pn-contents" in html
    checked, broken = walk_links(site.site_dir)
    assert broken == [] and checked > 100


def test_huge_author_lists_are_cut_on_pages_but_kept_in_json(make_site):
    names = ", ".join(f"Author {i:03d}" for i in range(150))
    site = make_site({"n.md": f"### [!] [X] Big paper\n_{names}_\n### [X] Small\n_Author 000, Author 001_\n"})
    page = site.page("authors/author-000.md")
    assert page.count('<li><a href="../../authors/author-') == 100 and "and 49 more" in page
    record = next(a for a in json.loads(site.read("authors.json")) if a["name"] == "Author 000")
    assert len(record["coauthors"]) == 149 and record["coauthors"][0] == {"name": "Author 001", "count": 2}
    row = site.page("must-read.md")
    assert row.count('href="../authors/author-') == 10 and "+140 more" in row


def test_generated_pages_hold_only_their_front_matter_until_built(tmp_path):
    """A generated page's File holds front matter only (title, `search: exclude`, `glightbox: false`):
    Markdown has nothing to do. Its heading and body (raw HTML) are added when the page is built, so
    Markdown never re-reads them and the page is the same HTML as the page written by hand
    (`Output.as_markdown`); the lightbox plugin leaves it alone."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    root = write_site(tmp_path / "p", {"note.md": "### [!!] [CVPR 2023] A *starred* title\n_Ada Lovelace, Bo Xu_\n"})
    config = load_config(config_file=str(root / "mkdocs.yml"))
    seen: dict[str, str] = {}
    plugin = config.plugins["papernotes"]

    def record(files, *, config):  # runs after every other on_files hook
        seen.update({f.src_uri: f.content_string for f in files
                     if f.src_uri in plugin.build.generated and plugin.build.generated[f.src_uri].is_page})

    config.plugins.events["files"].append(record)
    mkdocs_build(config)
    assert set(seen) >= {"must-read.md", "tags/index.md", "tags/cvpr.md", "authors/index.md", "authors/ada-lovelace.md"}
    for src, content in seen.items():
        front = yaml.safe_load(content.split("---\n")[1])
        assert content.startswith("---\n") and content.endswith("---\n") and "<" not in content, src
        assert front["search"] == {"exclude": True} and front["glightbox"] is False and front["title"], src
    page = (root / "site/authors/ada-lovelace/index.html").read_text()
    output = plugin.build.generated["authors/ada-lovelace.md"]
    body = output.render()
    assert f"{page_heading('Ada Lovelace')}\n{body}" in page  # verbatim: never re-parsed as Markdown
    assert page.count("<h1") == 1
    assert 'class="pn-row__title" href="../../note/#a-starred-title">A *starred* title</a>' in body
    assert output.as_markdown() == output.markdown(search_title_only=False) + "\n" + page_heading("Ada Lovelace") + "\n" + body + "\n"


def test_search_finds_each_paper_once_at_its_entry_and_each_author_by_name(make_site):
    """Generated lists (rows, contents, co-authors, indexes) are kept out of the search index:
    a paper's title leads to its entry on the note, not to every author and tag page listing it,
    and the index stays small enough for a phone."""
    site = make_site({"note.md": "# Note\n\n## Video\n\n### [!!!] [CVPR 2023] [OpenAI] Zebra Diffusion Unique\n"
                                 "_Ada Lovelace, Bo Xu_\n- Findings.\n"})
    docs = json.loads(site.read("search/search_index.json"))["docs"]
    with_title = [d["location"] for d in docs if "Zebra Diffusion Unique" in d["title"] + d["text"]]
    assert with_title == ["note/#zebra-diffusion-unique"]
    titles = {d["location"]: d["title"] for d in docs}
    assert titles.get("authors/ada-lovelace/") == "Ada Lovelace" and titles.get("tags/cvpr/") == "CVPR"
    assert not any("Bo Xu" in d["text"] for d in docs if d["location"].startswith("authors/"))


@pytest.mark.parametrize("section", ["Notes", ""])
def test_notes_go_in_a_nav_section_that_prune_leaves_out_of_other_pages(make_site, section):
    """With Material's navigation.prune, an author page carries the Notes section as one link,
    not the list of every note (the nav is rendered into every page); a note page lists them all."""
    site = make_site({"index.md": "# Home\n", "b.md": "# B\n### [!] T\n_A_\n", "a.md": "# A\n### [X] U\n_A_\n"},
                     plugin={"notes_section": section},
                     config={"theme": {"name": "material", "font": False, "features": ["navigation.prune"]}})

    def nav(src: str) -> list[str]:
        primary = site.page(src).split("md-nav--primary", 1)[1].split("md-sidebar--secondary", 1)[0]
        return list(dict.fromkeys(re.findall(r'<a href="([^"#]+)" class="md-nav__link', primary)))

    if section:
        # Notes: one link
        assert nav("authors/a.md") == ["../..", "../../a/", "../../must-read/", "../../papers/", "../../recent/", "../../tags/", "../",
                                       "../../stats/"]
        assert nav("b.md") == ["..", "../a/", "./", "../must-read/", "../papers/", "../recent/", "../tags/", "../authors/",
                               "../stats/"]
        assert re.search(r'md-nav__item--pruned[^>]*>\s*<a href="../../a/" class="md-nav__link">\s*<span class="md-ellipsis">\s*Notes\s*<',
                         site.page("authors/a.md"))
    else:
        assert nav("authors/a.md") == ["../..", "../../a/", "../../b/", "../../must-read/", "../../papers/", "../../recent/", "../../tags/", "../",
                                       "../../stats/"]


@pytest.mark.parametrize("contents", [True, False])
def test_theme_toc_lists_sections_only_when_the_generated_contents_lists_the_papers(make_site, contents):
    """One list of a note's papers: the generated contents, or (with `contents: false`) the theme's toc."""
    front = "" if contents else "---\npapernotes:\n  contents: false\n---\n"
    site = make_site({"note.md": front + "# N\n\n## Vision\n\n### [X] Kiwi Paper\n_A_\n\n#### Details\n\n## Language\n\n### [X] Moa Paper\n"})
    html = site.page("note.md")
    toc = html[html.index('<nav class="md-nav md-nav--secondary"') : html.index('<div class="md-content"')]
    assert 'href="#vision"' in toc and 'href="#language"' in toc
    assert ("Kiwi Paper" in toc, "Details" in toc, "Moa Paper" in toc) == (not contents,) * 3
    assert ('<nav class="pn-contents"' in html) == contents
