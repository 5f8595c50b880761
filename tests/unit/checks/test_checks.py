"""Library-level checks (checks.py) on parsed notes, without MkDocs."""

from __future__ import annotations

import pytest
from papernotes.checks.author_spellings import alias_reason
from papernotes.checks.links import bad_url_reason
from papernotes.checks.report import CheckOptions, run_checks
from papernotes.index.aliases import Aliases
from papernotes.notes.figures import Layout
from papernotes.notes.grammar import parse
from papernotes.notes.identity import paper_keys, title_key


def entry(title: str, authors: str = "Ada Lovelace", tags: str = "[NeurIPS 2023]", links: str = "", topics: str = "") -> str:
    topic_line = f"Tags: {topics}\n" if topics else ""
    return f"### {tags} {title} {links}\n_{authors}_\n{topic_line}- a note\n\n"


def check(notes: dict[str, str], *, files: set[str] = frozenset(), aliases: str = "", disable=()) -> list[str]:
    docs = [parse(text, path) for path, text in notes.items()]
    loaded = Aliases.from_yaml(aliases, "aliases.yml")[0] if aliases else None
    found = run_checks(docs, Layout(), lambda src: src in files, CheckOptions(aliases=loaded, disable=disable))
    return [str(d) for d in found]


def codes(lines: list[str], code: str) -> list[str]:
    return [line for line in lines if line.endswith(f"[{code}]")]


# -- duplicate-paper -------------------------------------------------------------------------


def test_same_arxiv_id_across_notes_is_reported_at_the_later_entry():
    found = check({
        "a.md": entry("Segment Anything", links="[[pdf]](https://arxiv.org/abs/2304.02643)"),
        "b.md": "# B\n\n" + entry("SAM", links="[[pdf]](https://arxiv.org/pdf/2304.02643v2.pdf)"),
    })
    assert codes(found, "duplicate-paper") == [
        "b.md:3:1: warning: same paper as a.md:1 (same arXiv id 2304.02643); keep one entry [duplicate-paper]"]


def test_same_doi_within_a_note():
    found = check({"a.md": entry("One", links="[[paper]](https://doi.org/10.1145/3292500.3330701)")
                   + entry("Two", links="[[pdf]](https://dl.acm.org/doi/pdf/10.1145/3292500.3330701)")})
    assert codes(found, "duplicate-paper") == [
        "a.md:5:1: warning: same paper as line 1 (same DOI 10.1145/3292500.3330701); keep one entry [duplicate-paper]"]


def test_titles_equal_after_normalising_case_accents_and_punctuation():
    found = check({"a.md": entry("Café: Learning, Fast"), "b.md": entry("cafe learning fast!")})
    assert codes(found, "duplicate-paper") == [
        "b.md:1:1: warning: same paper as a.md:1 (same title); keep one entry [duplicate-paper]"]


def test_identical_title_on_one_page_is_left_to_the_grammar():
    found = check({"a.md": entry("Learning Fast") + entry("Learning Fast")})
    assert codes(found, "duplicate-paper") == []
    assert len(codes(found, "duplicate-title")) == 1


def test_distinct_papers_and_short_titles_are_not_duplicates():
    assert paper_keys(parse(entry("Intro"), "a.md").entries[0]) == []
    found = check({"a.md": entry("Learning Fast", links="[[pdf]](https://arxiv.org/abs/2301.00001)")
                   + entry("Learning Slow", links="[[pdf]](https://arxiv.org/abs/2301.00002)")})
    assert codes(found, "duplicate-paper") == []


def test_title_key():
    assert title_key("**CLIP**: Learning  [transferable](x) models") == "clip learning transferable models"


# -- author-alias ----------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b", "reason"), [
    ("david ross", "David Ross", "case"),
    ("Michael J. Black1", "Michael J. Black", "trailing number"),
    ("Jose Lezama", "José Lezama", "accents"),
    ("David Ross", "David A Ross", "initials"),
    ("D. Ross", "David Ross", "initials"),
    ("M.-H. Yang", "Ming-Hsuan Yang", "initials"),
])
def test_spellings_of_one_person(a, b, reason):
    assert reason in (alias_reason(a, b) or "")


@pytest.mark.parametrize(("a", "b"), [
    ("Yi Wang", "Yali Wang"), ("David A Ross", "David B Ross"), ("Xuan Yang", "Ming-Hsuan Yang"),
    ("David Ross", "David Hendon"), ("Ross", "David Ross"),
])
def test_different_people(a, b):
    assert alias_reason(a, b) is None


def test_author_alias_suggests_the_aliases_line():
    found = check({"a.md": entry("One", authors="Michael J. Black, Ada Lovelace") + entry("Two", authors="Michael J. Black1")
                   + entry("Three", authors="Michael J. Black")})
    assert codes(found, "author-alias") == [
        "a.md:6:1: warning: author 'Michael J. Black1' looks like 'Michael J. Black' (line 2): they differ only in a "
        "trailing number; if one person, add to aliases.yml under authors:  Michael J. Black: [Michael J. Black1] [author-alias]"]


def test_author_alias_across_notes_and_quoting():
    found = check({"a.md": entry("One", authors="José Lezama"), "b.md": entry("Two", authors="Jose Lezama")})
    assert codes(found, "author-alias") == [
        "b.md:2:1: warning: author 'Jose Lezama' looks like 'José Lezama' (a.md:2): they differ only in accents; "
        "if one person, add to aliases.yml under authors:  José Lezama: [Jose Lezama] [author-alias]"]


def test_aliases_file_silences_author_alias():
    notes = {"a.md": entry("One", authors="David Ross") + entry("Two", authors="David A Ross")}
    assert len(codes(check(notes), "author-alias")) == 1
    assert codes(check(notes, aliases="authors:\n  David A Ross: [David Ross]\n"), "author-alias") == []


# -- links -----------------------------------------------------------------------------------

NOTE_B = "# B\n\n## Results and Ablations\n\nText.\n"


def test_broken_relative_links_and_anchors():
    text = ("# A\n\n## Intro\n\nSee [b](b.md), [results](b.md#results-and-ablations), [typo](b.md#results-and-ablation),\n"
            "[gone](missing.md), [self](#intro), [bad](#nowhere), [fig](../assets/x.pdf), [far](../../etc/passwd),\n"
            "[web](https://example.com/#x), [generated](must-read.md), [dir](sub/)\n")
    found = check({"a.md": text, "b.md": NOTE_B}, files={"assets/x.pdf", "must-read.md"})
    assert codes(found, "broken-link") == [
        "a.md:5:55: warning: no heading with anchor #results-and-ablation on b.md; "
        "did you mean #results-and-ablations? [broken-link]",
        "a.md:6:1: warning: link target not found: 'missing.md' [broken-link]",
        "a.md:6:37: warning: no heading with anchor #nowhere on this page [broken-link]",
        "a.md:6:78: warning: link '../../etc/passwd' points outside the docs/ and assets/ folders [broken-link]",
        "a.md:7:59: warning: link target not found: 'sub/' [broken-link]",
    ]
    assert check({"a.md": "[dir](sub/)\n"}, files={"sub/index.md"}) == []


def test_links_in_code_are_not_checked():
    text = "# A\n\n`[x](nope.md)`\n\n```\n[y](nope.md)\n```\n"
    assert check({"a.md": text}) == []


def test_suspicious_body_urls():
    text = ("# A\n\n[a](javascript:alert(1)) [b](https://exa mple.com) [c](htps://example.com) [d](http:/example.com)\n\n"
            + entry("Paper", links="[[pdf]](javascript:x) [[code]](https:example.com)"))
    found = check({"a.md": text})
    assert [line for line in found if "url" in line.rsplit("[", 1)[1]] == [
        "a.md:3:1: warning: URL is not http(s), mailto or relative: 'javascript:alert(1)' [unsafe-url]",
        "a.md:3:26: warning: URL contains a space: 'https://exa mple.com' [url-space]",
        "a.md:3:52: warning: malformed URL 'htps://example.com': misspelt scheme 'htps://' [bad-url]",
        "a.md:3:76: warning: malformed URL 'http:/example.com': no host after the scheme (write https://host/...) [bad-url]",
        # The entry heading's own links: the grammar reports the unsafe one, checks.py the malformed one.
        "a.md:5:26: warning: URL of [[pdf]] is not http(s), mailto or relative: 'javascript:x' [unsafe-url]",
        "a.md:5:48: warning: malformed URL 'https:example.com': no host after the scheme (write https://host/...) [bad-url]",
    ]


@pytest.mark.parametrize(("url", "bad"), [
    ("https://example.com", False), ("mailto:a@b.c", False), ("other.md", False), ("httpss://x.org", True),
    ("http//x.org", True), ("hhtp://x.org", True), ("https://", True),
])
def test_bad_url_reason(url, bad):
    assert (bad_url_reason(url) is not None) is bad


# -- link labels -----------------------------------------------------------------------------


def test_link_label_typos_and_unknown_labels():
    text = (entry("One", links="[[Porject]](https://a.org) [[PDF]](https://b.org) [[colab]](https://c.org)")
            + entry("Two", links="[[zzz]](https://d.org)") + entry("Three", links="[[zzz]](https://e.org)"))
    assert codes(check({"a.md": text}), "link-label") == [
        "a.md:1:24: warning: unknown link label [[Porject]]: did you mean [[project]]? [link-label]",
        "a.md:5:24: info: unknown link label [[zzz]]; usual ones are pdf, code, project, video, data [link-label]",
    ]


# -- tag-variant -----------------------------------------------------------------------------


def test_tags_that_differ_in_case_or_spacing():
    text = (entry("One", tags="[Meta AI] [CVPR 2023]", topics="#video-diffusion") + entry("Two", tags="[Meta AI]")
            + entry("Three", tags="[MetaAI]", topics="#Video_Diffusion") + entry("Four", tags="[cvpr 2022] [Google]"))
    found = codes(check({"a.md": text}), "tag-variant")
    assert found == [
        "a.md:10:1: warning: tag [MetaAI] differs from [Meta AI] (line 1) only in case or spacing (they get separate tag pages); "
        "write it one way or add to aliases.yml under tags:  Meta AI: [MetaAI] [tag-variant]",
        "a.md:12:1: warning: tag #Video_Diffusion differs from #video-diffusion (line 3) only in case or spacing "
        "(merged on the site, but spelled two ways); write it one way or add to aliases.yml under tags:  "
        "video-diffusion: [Video_Diffusion] [tag-variant]",
        "a.md:15:1: warning: tag [cvpr] differs from [CVPR] (line 1) only in case or spacing (merged on the site, but "
        "spelled two ways); write it one way or add to aliases.yml under tags:  CVPR: [cvpr] [tag-variant]",
    ]


def test_tag_aliases_silence_tag_variant():
    text = entry("One", tags="[Meta AI]") + entry("Two", tags="[MetaAI]")
    assert codes(check({"a.md": text}, aliases="tags:\n  Meta AI: [MetaAI]\n"), "tag-variant") == []


# -- figures, contents, options --------------------------------------------------------------


def test_missing_figures_warn_unless_the_page_asks_for_placeholders():
    body = entry("One").replace("- a note", "- ![](../assets/fig_a/1.png)\n- ![](../assets/fig_a/2.png)")
    found = check({"a.md": body, "b.md": "---\npapernotes:\n  missing_figures: placeholder\n---\n" + body},
                  files={"assets/fig_a/2.png"})
    assert codes(found, "missing-figure") == [
        "a.md:3:3: warning: figure not found: ../assets/fig_a/1.png: add the file or fix the path [missing-figure]",
        "b.md:7:3: info: figure not found: ../assets/fig_a/1.png: add the file or fix the path (shown as a placeholder) [missing-figure]",
    ]


def test_stale_hand_kept_contents():
    text = "# T\n\n## Contents\n- [One](#one)\n\n## One\n\n## Two\n"
    assert check({"a.md": text}) == [
        "a.md:3:1: info: hand-kept contents list misses 1 section(s): 'Two' (the site shows a generated list; "
        "GitHub shows this one) [stale-contents]"]
    complete = "# T\n\n## Contents\n- [One](#one)\n- [Two](#two)\n\n## One\n\n## Two\n"
    assert check({"a.md": complete}) == []


def test_disable_and_grammar_switch():
    doc = parse("### [!!!!] Title [[Porject]](https://a.org)\n_A_\n", "a.md")

    def rules(options: CheckOptions | None = None) -> list[str]:
        return [d.code for d in run_checks([doc], Layout(), lambda s: False, options)]

    assert rules() == ["priority-marker", "link-label"]
    assert rules(CheckOptions(disable=["link-label"])) == ["priority-marker"]
    assert rules(CheckOptions(grammar=False)) == ["link-label"]


def test_the_grammar_records_inline_links_outside_code():
    doc = parse('# T [h](h.md)\n\nSee [a `]` b](<my file.md#x>) and [c](c.md "title") ![i](i.png) `[no](n.md)`\n', "a.md")
    assert [(link.text, link.url, link.line, link.col) for link in doc.links] == [
        ("h", "h.md", 1, 5), ("a `]` b", "my file.md#x", 3, 5), ("c", "c.md", 3, 35)]


def test_author_likenesses_remembered_for_the_last_counts_are_those_the_counts_give():
    """The `author-alias` rule keeps the likenesses of the last counts it saw (serve asks again on
    every save): any other counts, or the same in another order (ties keep it), are worked out again."""
    from collections import Counter

    from papernotes.checks import author_spellings

    memo = author_spellings._LastLikenesses()
    counts = Counter({"Jose Lezama": 2, "José Lezama": 1, "D. Ross": 1, "David Ross": 1})
    first = memo.of(counts)
    assert first == author_spellings.likenesses(counts) and ("José Lezama", "Jose Lezama", "they differ only in accents") in first
    assert memo.of(Counter(counts)) is first  # equal counts: the same answer, not worked out again
    tie = Counter({"David Ross": 1, "D. Ross": 1, "José Lezama": 1, "Jose Lezama": 1})  # the same names, other order and counts
    assert memo.of(tie) == author_spellings.likenesses(tie) != first
    case = Counter({"Jo Smith": 1, "jo Smith": 1})  # a tie: the one seen first is the canonical one
    reordered = Counter(dict(reversed(list(case.items()))))  # equal as a Counter, seen in another order
    assert memo.of(case)[0][:2] == ("jo Smith", "Jo Smith")
    assert memo.of(reordered)[0][:2] == ("Jo Smith", "jo Smith")
    counts["Jose Lezama"] += 5
    assert memo.of(counts) == author_spellings.likenesses(counts)
