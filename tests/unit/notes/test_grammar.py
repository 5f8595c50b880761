"""The entry grammar, rule by rule (docs/contributing.md), and every bad input of issue 2.

Pure: these tests import the parser only, never MkDocs.
"""

from __future__ import annotations

import sys

import pytest
from papernotes.notes.grammar import is_safe_url, parse, plain_text, split_authors, venue_and_year


def only_entry(text: str):
    doc = parse(text, "note.md")
    assert len(doc.entries) == 1, doc.entries
    return doc.entries[0]


def codes(text: str) -> list[str]:
    return [d.code for d in parse(text, "note.md").diagnostics]


def test_parser_imports_nothing_from_mkdocs():
    import subprocess

    probe = "import sys, papernotes.notes.grammar; sys.exit(any(m.split('.')[0] == 'mkdocs' for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", probe], check=False).returncode == 0  # not even indirectly
    import ast
    from pathlib import Path

    from papernotes.notes import grammar

    tree = ast.parse(Path(grammar.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name.startswith("mkdocs") for name in imported)


# -- the seed ----------------------------------------------------------------------------------

def test_seed_counts(seed_text):
    doc = parse(seed_text, "blog_generative_models.md")
    assert len(doc.entries) == 11
    assert sum(e.priority == 3 for e in doc.entries) == 4
    assert len({name for e in doc.entries for name in e.authors}) == 118
    assert doc.diagnostics == []


def test_seed_entry_fields(seed_text):
    doc = parse(seed_text, "blog_generative_models.md")
    sam = doc.entries[0]
    assert (sam.priority, sam.tags, sam.title) == (3, ("Meta AI",), "Segment Anything")
    assert sam.line == 27  # six lines of front matter come first
    assert sam.section == "Fundation Models"
    assert sam.authors[0] == "Alexander Kirillov" and sam.authors[-1] == "Ross Girshick" and len(sam.authors) == 12
    assert [f.url for f in sam.figures] == ["../assets/fig_generative_models/8.png", "../assets/fig_generative_models/9.png"]
    videopoet = next(e for e in doc.entries if e.title.startswith("VideoPoet"))
    assert [(link.label, link.url) for link in videopoet.links] == [
        ("pdf", "https://arxiv.org/abs/2312.14125"), ("project", "https://sites.research.google/videopoet/")]
    grokking = next(e for e in doc.entries if e.title.startswith("Grokking"))
    assert grokking.authors == ("Alethea Power", "Yuri Burda", "Harri Edwards", "Igor Babuschkin", "Vedant Misra")
    svd = doc.entries[1]
    assert (svd.venue, svd.year) == ("arXiv", 2024)


# -- headings ----------------------------------------------------------------------------------

@pytest.mark.parametrize("heading", [
    "### [!] T", "   ### [!] T", "### [!] T ###", "### [!] T #", "###\t[!] T",
])
def test_atx_level3_forms(heading):
    assert only_entry(heading).title == "T"


@pytest.mark.parametrize("heading", [
    "    ### [!] T",      # four spaces: indented code
    "###[!] T",           # no space after the hashes
    "#### [!] T",         # level 4
    "## [!] T",           # level 2
    "\\### [!] T",        # escaped
])
def test_not_level3_headings(heading):
    assert parse(heading).entries == []


def test_closing_hashes_need_a_space():
    assert only_entry("### [!] C#").title == "C#"


def test_headings_in_fenced_code_are_not_entries():
    text = "```md\n### [!!!] Inside\n```\n~~~~\n### [!] Also inside\n~~~~\n### [!] Outside\n"
    assert [e.title for e in parse(text).entries] == ["Outside"]


def test_fence_closes_only_with_same_char_and_enough_length():
    text = "````\n```\n### [!] Still code\n````\n### [!] Out\n"
    assert [e.title for e in parse(text).entries] == ["Out"]


def test_unclosed_fence_swallows_rest():
    assert parse("```\n### [!] Never\n").entries == []


def test_front_matter_is_not_parsed_and_lines_count_from_the_file():
    text = "---\ntitle: X\n---\n### [!] After\n"
    doc = parse(text)
    assert doc.meta == {"title": "X"} and doc.entries[0].line == 4 and doc.body_start == 4


def test_front_matter_heading_lookalike_is_ignored():
    text = "---\nnote: |\n  ### [!] Not an entry\n---\n"
    assert parse(text).entries == []


def test_invalid_front_matter_yaml_is_a_diagnostic():
    doc = parse("---\nkey: [unclosed\n---\n### [!] T\n")
    assert [d.code for d in doc.diagnostics] == ["front-matter"]


# -- priority, tags, title ---------------------------------------------------------------------

@pytest.mark.parametrize(("marker", "priority"), [("", 0), ("[!] ", 1), ("[!!] ", 2), ("[!!!] ", 3)])
def test_priority_markers(marker, priority):
    assert only_entry(f"### {marker}[X] Title").priority == priority


def test_too_many_bangs_reads_as_three_with_a_warning():
    entry = only_entry("### [!!!!] T")
    assert entry.priority == 3 and codes("### [!!!!] T") == ["priority-marker"]


def test_priority_after_tags_is_reported_and_kept():
    text = "### [CVPR 2023] [!!!] Title"
    entry = only_entry(text)
    assert (entry.priority, entry.tags, entry.title) == (3, ("CVPR 2023",), "Title")
    assert codes(text) == ["priority-order"]


def test_priority_in_title_is_reported_and_kept():
    entry = only_entry("### [CVPR 2023] Title [!!]")
    assert (entry.priority, entry.title) == (2, "Title")
    assert codes("### [CVPR 2023] Title [!!]") == ["priority-order"]


def test_tags_then_title():
    entry = only_entry("### [!!] [NeurIPS 2023] [Google Research]  Some   Title")
    assert entry.tags == ("NeurIPS 2023", "Google Research") and entry.title == "Some Title"


def test_a_link_is_not_a_tag():
    entry = only_entry("### [!] [Ollama](https://ollama.com) runs models")
    assert entry.tags == () and entry.title == "[Ollama](https://ollama.com) runs models"
    assert plain_text(entry.title) == "Ollama runs models"


def test_brackets_inside_are_not_a_tag():
    entry = only_entry("### [!] [a [b] c] Title")
    assert entry.tags == ()


def test_tags_only_at_the_start():
    entry = only_entry("### [X] Title [Y]")
    assert entry.tags == ("X",) and entry.title == "Title [Y]"


def test_empty_tag_is_reported():
    assert codes("### [] [X] T") == ["empty-tag"]


@pytest.mark.parametrize(("tag", "expected"), [
    ("NeurIPS 2023", ("NeurIPS", 2023)), ("arXiv 2024", ("arXiv", 2024)), ("2021", (None, 2021)),
    ("CVPR'23", None), ("SIGGRAPH Asia 2022", ("SIGGRAPH Asia", 2022)), ("ICLR, 2020", ("ICLR", 2020)),
    ("1899", None), ("2100", None), ("OpenAI", None), ("GPT2023", None),
])
def test_venue_and_year(tag, expected):
    assert venue_and_year(tag) == expected


def test_first_year_tag_gives_venue_and_year():
    entry = only_entry("### [OpenAI] [ICML 2021] [2022] T")
    assert (entry.venue, entry.year) == ("ICML", 2021)


def test_year_only_tag():
    entry = only_entry("### [2021] T")
    assert (entry.venue, entry.year) == (None, 2021)


def test_empty_title_is_reported_and_entry_kept():
    text = "### [!!!] [CVPR 2023] [[pdf]](https://x.org)"
    entry = only_entry(text)
    assert entry.title == "" and entry.priority == 3
    assert codes(text) == ["empty-title"]


def test_duplicate_titles_on_a_page():
    text = "### [!] Same Title\n\n### [X] same   title\n"
    doc = parse(text)
    assert len(doc.entries) == 2
    assert [(d.code, d.line) for d in doc.diagnostics] == [("duplicate-title", 3)]
    assert "first at line 1" in doc.diagnostics[0].message


# -- resource links ----------------------------------------------------------------------------

def test_resource_links_anywhere_after_tags_and_not_in_title():
    entry = only_entry("### [X] A [[pdf]](https://a.org/1) B [[code]](https://github.com/x)")
    assert entry.title == "A B"
    assert [(link.label, link.url) for link in entry.links] == [("pdf", "https://a.org/1"), ("code", "https://github.com/x")]


def test_resource_link_alone_makes_an_entry():
    assert only_entry("### Title [[pdf]](https://a.org)").title == "Title"


def test_link_without_url():
    text = "### [X] Title [[pdf]]"
    entry = only_entry(text)
    assert entry.links[0].url == "" and entry.title == "Title"
    assert codes(text) == ["link-url"]


def test_link_with_space_in_url():
    text = "### [X] Title [[pdf]](t https://arxiv.org/abs/1)"
    assert codes(text) == ["url-space"]
    assert only_entry(text).links[0].url == "t https://arxiv.org/abs/1"


def test_link_with_title_and_angle_brackets():
    entry = only_entry('### [X] T [[pdf]](https://a.org "paper") [[b]](<https://b.org/x y>)')
    assert [link.url for link in entry.links] == ["https://a.org", "https://b.org/x y"]


def test_link_with_parentheses_in_url():
    entry = only_entry("### [X] T [[wiki]](https://en.wikipedia.org/wiki/Foo_(bar))")
    assert entry.links[0].url == "https://en.wikipedia.org/wiki/Foo_(bar)"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "JaVaScRiPt:alert(1)", "vbscript:x"])
def test_unsafe_urls_are_reported(url):
    assert codes(f"### [X] T [[pdf]]({url})") == ["unsafe-url"]
    assert not is_safe_url(url)


@pytest.mark.parametrize("url", ["https://a.org", "http://a.org", "mailto:a@b.org", "../x.md", "#anchor", "x/y.pdf"])
def test_safe_urls(url):
    assert is_safe_url(url)


def test_diagnostic_columns_point_at_the_link():
    doc = parse("### [X] Title [[pdf]]")
    assert doc.diagnostics[0].col == len("### [X] Title ") + 1


# -- authors -----------------------------------------------------------------------------------

@pytest.mark.parametrize("line", ["_A, B_", "*A, B*", "  _A, B_  ", "_A, B_\\"])
def test_author_line_forms(line):
    assert only_entry(f"### [X] T\n{line}\n").authors == ("A", "B")


def test_author_line_after_blank_lines():
    entry = only_entry("### [X] T\n\n\n_A_\n")
    assert entry.authors == ("A",) and entry.author_line == 4


@pytest.mark.parametrize("line", ["**A, B**", "* A, B", "__A__", "- _A_", "A, B", "_ A_"])
def test_not_author_lines(line):
    assert only_entry(f"### [X] T\n{line}\n").authors == ()


def test_author_line_alone_makes_an_entry():
    entry = only_entry("### Plain title\n_Ada Lovelace_\n")
    assert entry.authors == ("Ada Lovelace",) and entry.priority == 0 and entry.tags == ()


def test_heading_without_any_marks_is_ordinary():
    doc = parse("### advantages\n- fast\n")
    assert doc.entries == [] and [h.text for h in doc.headings] == ["advantages"]


def test_unclosed_author_line_is_reported_and_authors_kept():
    text = "### [X] T\n_Alexander Kirillov, Eric Mintun\n"
    entry = only_entry(text)
    assert entry.authors == ("Alexander Kirillov", "Eric Mintun")
    doc = parse(text)
    assert [(d.code, d.line) for d in doc.diagnostics] == [("author-line", 2)]


def test_emphasis_closing_mid_line_is_not_an_author_line():
    assert only_entry("### [X] T\n_important_ point here\n").authors == ()
    assert codes("### [X] T\n_important_ point here\n") == []


@pytest.mark.parametrize(("inner", "names"), [
    ("A, B and C", ("A", "B", "C")),
    ("A, B, and C", ("A", "B", "C")),
    ("A & B", ("A", "B")),
    ("A,, B ,", ("A", "B")),
    ("  Ada   Lovelace ,Alan  Turing", ("Ada Lovelace", "Alan Turing")),
    ("A, ..., B", ("A", "B")),
    ("Alexander Berg, Randy", ("Alexander Berg", "Randy")),
    ("Ferdinand Andersen", ("Ferdinand Andersen",)),
])
def test_split_authors(inner, names):
    assert split_authors(inner) == names


def test_author_line_is_not_taken_across_a_heading():
    doc = parse("### [X] T\n### [Y] U\n_A_\n")
    assert [e.authors for e in doc.entries] == [(), ("A",)]


# -- topics line -------------------------------------------------------------------------------

def test_topics_line():
    entry = only_entry("### [X] T\n_A_\nTags: #video #diffusion-models\n")
    assert entry.topics == ("video", "diffusion-models") and entry.topics_line == 3


def test_malformed_topics_line():
    text = "### [X] T\n_A_\nTags: video #ok\n"
    assert only_entry(text).topics == ("ok",)
    assert codes(text) == ["topics"]


# -- body, sections, figures -------------------------------------------------------------------

def test_body_runs_to_next_level_1_to_3_heading_and_section_is_the_h2():
    text = ("# Note\n## Sec A\n### [X] One\n_A_\n- ![](a.png)\n#### detail\n![](b.png)\n"
            "### advantages\n![](c.png)\n## Sec B\n### [X] Two\n")
    doc = parse(text)
    one, two = doc.entries
    assert one.section == "Sec A" and two.section == "Sec B"
    assert [f.url for f in one.figures] == ["a.png", "b.png"]  # stops at `### advantages`
    assert one.end_line == 7


def test_figures_in_code_are_not_figures():
    doc = parse("### [X] T\n`![](a.png)`\n```\n![](b.png)\n```\n![alt](<c d.png> \"t\")\n")
    assert [f.url for f in doc.figures] == ["c d.png"]


def test_entry_under_no_section():
    assert only_entry("### [X] T").section is None


# -- hand-written contents ---------------------------------------------------------------------

def test_hand_written_contents_block_is_found(seed_text):
    doc = parse(seed_text)
    assert doc.contents_block == (10, 11)


def test_contents_with_other_content_is_kept():
    doc = parse("## Contents\n- [A](#a)\nsome prose\n## A\n")
    assert doc.contents_block is None


def test_contents_with_external_link_is_kept():
    assert parse("## Contents\n- [A](https://x.org)\n").contents_block is None


# -- bad input ---------------------------------------------------------------------------------

def test_empty_and_entryless_notes():
    assert parse("").entries == [] and parse("").diagnostics == []
    assert parse("# Just a page\n\nProse.\n").entries == []


def test_crlf_bom_and_cr():
    text = "\ufeff# N\r\n### [!] [X] T\r\n_A, B_\r\n"
    entry = only_entry(text)
    assert (entry.line, entry.title, entry.authors) == (2, "T", ("A", "B"))
    assert only_entry("### [!] T\r_A_\r").authors == ("A",)


def test_tabs():
    entry = only_entry("###\t[!]\t[X]\tT\tU\n_A,\tB_\n")
    assert (entry.priority, entry.tags, entry.title, entry.authors) == (1, ("X",), "T U", ("A", "B"))


def test_cjk_and_accents_everywhere():
    entry = only_entry("### [!!] [清华大学] 扩散模型综述 [[论文]](https://a.org)\n_张三, José Lezama, Stanisław Woźniak_\n")
    assert entry.tags == ("清华大学",) and entry.title == "扩散模型综述"
    assert entry.links[0].label == "论文" and entry.authors == ("张三", "José Lezama", "Stanisław Woźniak")


def test_html_in_fields_is_kept_as_text():
    entry = only_entry("### [<b>x</b>] <script>alert(1)</script> [[<i>]](https://a.org)\n_<img src=x onerror=alert(1)>_\n")
    assert entry.tags == ("<b>x</b>",) and entry.title == "<script>alert(1)</script>"
    assert entry.authors == ("<img src=x onerror=alert(1)>",)


def test_ten_megabyte_note():
    block = "### [!] [CVPR 2023] Title {n} [[pdf]](https://arxiv.org/abs/{n})\n_A{n}, B, C_\n" + "- note line\n" * 40
    text = "".join(block.format(n=i) for i in range(20000))
    assert len(text) > 10_000_000
    doc = parse(text)
    assert len(doc.entries) == 20000 and doc.diagnostics == []


def test_one_huge_line():
    doc = parse("### [!] " + "word " * 1_000_000)
    assert len(doc.entries) == 1
    assert parse("[" * 200_000 + "]" * 200_000).entries == []


def test_decode_reports_the_first_bad_byte_and_keeps_the_text():
    from papernotes.notes.source import decode

    assert decode("\ufeff### [!] T\n".encode(), "n.md") == ("### [!] T\n", [])
    text, problems = decode(b"ok\n### [X] Bad \xff here\n", "n.md")
    assert text == "ok\n### [X] Bad \ufffd here\n"
    assert [(d.line, d.col, d.code, d.severity) for d in problems] == [(2, 13, "encoding", "error")]


def test_an_entrys_copy_holds_every_field_and_is_a_new_object():
    """`Entry.copy` names each field: one added to `Entry` and left out of it fails here."""
    import dataclasses

    from papernotes.notes.model import Entry, Figure, Link, Venue

    values = {}
    for n, field in enumerate(dataclasses.fields(Entry)):  # a value of its own for every field
        values[field.name] = {"line": 3, "priority": 2, "year": 2023, "author_line": 4, "topics_line": 5, "end_line": 9,
                              "links": (Link("pdf", "https://arxiv.org/abs/2301.00001", 7),),
                              "figures": (Figure("a", "x.png", 6, 1, 9),), "venues": (Venue("CVPR", 2023),),
                              "tags": ("CVPR 2023",), "authors": ("Ada",), "topics": ("nerf",)}.get(field.name, f"value {n}")
    entry = Entry(**values)
    copied = entry.copy()
    assert copied is not entry and copied == entry
    assert [getattr(copied, f.name) for f in dataclasses.fields(Entry)] == list(values.values())
    copied.venue = "another"
    assert entry.venue == values["venue"]
