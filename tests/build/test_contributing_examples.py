"""Every example in docs/contributing.md, run through the real parser.

Each example block in the guide is preceded by `<!-- example: NAME -->`; the checks below
assert what the text around it claims. A new ```markdown block without a marker, or a
marker without a check here, fails the suite, so the guide cannot drift from the parser.
"""

from __future__ import annotations

import re

import pytest
from papernotes.index.aliases import Aliases
from papernotes.index.library import Library
from papernotes.notes.grammar import parse
from papernotes.notes.model import Document, Venue
from support.paths import REPO

GUIDE = REPO / "docs" / "contributing.md"
EXAMPLE = re.compile(r"<!-- example: ([\w-]+) -->\n(`{3,})(\w*)\n(.*?)\n\2\n", re.DOTALL)
FENCE = re.compile(r"^(`{3,})(\w*)\n", re.MULTILINE)


def examples() -> dict[str, tuple[str, str]]:
    text = GUIDE.read_text(encoding="utf-8")
    found: dict[str, tuple[str, str]] = {}
    for m in EXAMPLE.finditer(text):
        assert m.group(1) not in found, f"example name used twice: {m.group(1)}"
        found[m.group(1)] = (m.group(3), m.group(4) + "\n")
    return found


EXAMPLES = examples()


def doc(name: str) -> Document:
    lang, text = EXAMPLES[name]
    assert lang == "markdown"
    return parse(text, "docs/example.md")


def only_entry(name: str):
    d = doc(name)
    assert d.diagnostics == []
    (entry,) = d.entries
    return entry


# -- one check per example ---------------------------------------------------------------------

def check_template() -> None:
    e = only_entry("template")
    assert e.priority == 2
    assert e.tags == ("CVPR 2023", "Google Research")
    assert (e.venue, e.year) == ("CVPR", 2023)
    assert e.title == "Title of the paper"
    assert [(link.label, link.url) for link in e.links] == [("pdf", "https://arxiv.org/abs/2304.02643"),
                                                            ("code", "https://github.com/owner/repo")]
    assert e.authors == ("First Author", "Second Author", "Third Author")
    assert e.topics == ("diffusion", "video")
    assert [f.url for f in e.figures] == ["../assets/fig_note_name/1.png"]


def check_not_an_entry() -> None:
    d = doc("not-an-entry")
    assert d.entries == [] and d.diagnostics == []
    assert [(h.level, h.text) for h in d.headings] == [(3, "Advantages")]


def check_author_line_only() -> None:
    e = only_entry("author-line-only")
    assert (e.priority, e.tags, e.links) == (0, (), ())
    assert e.title == "Attention Is All You Need"
    assert e.authors == ("Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit", "Llion Jones",
                         "Aidan N. Gomez", "Łukasz Kaiser", "Illia Polosukhin")


def check_venue_year() -> None:
    e = only_entry("venue-year")
    assert e.tags == ("ICLR 2024", "Google DeepMind")
    assert (e.venue, e.year, e.title) == ("ICLR", 2024, "A Paper Title")


def check_year_only() -> None:
    e = only_entry("year-only")
    assert e.tags == ("2021", "Meta AI")
    assert (e.venue, e.year, e.title) == (None, 2021, "Another Paper Title")


def library_of(name: str) -> Library:
    return Library([doc(name)], {"docs/example.md": "example/"})


def check_several_venues() -> None:
    e = only_entry("several-venues")
    assert e.venues == (Venue("CVPR", 2014), Venue("TPAMI", 2016, "Best Paper"))
    assert (e.venue, e.year, e.title) == ("CVPR", 2014, "One Paper, Two Venues")
    lib = library_of("several-venues")
    pages = {(t.kind, t.name): [lib.entries.index(x) for x in t.entries] for t in lib.tags.values()}
    assert pages == {("venue", "CVPR"): [0], ("venue", "TPAMI"): [0], ("year", "2014"): [0], ("year", "2016"): [0]}


def check_qualifier() -> None:
    e = only_entry("qualifier")
    assert e.venues == (Venue("ECCV", 2018, "Best Paper, Honorable Mention"),)


def check_yearless_venues() -> None:
    d = doc("yearless-venues")
    assert d.diagnostics == [] and len(d.entries) == 3
    lib = library_of("yearless-venues")
    tags = {(t.kind, t.name): len(t.entries) for t in lib.tags.values()}
    assert tags == {("venue", "CVPR"): 2, ("year", "2022"): 1, ("org", "University of California, Berkeley"): 1}
    assert lib.entries[1].venues == (Venue("CVPR", None, "Workshop"),)
    assert [year for year, _ in lib.tags[("venue", "cvpr")].by_year()] == [2022, None]


def check_workshops() -> None:
    d = doc("workshops")
    assert d.diagnostics == [] and len(d.entries) == 4
    for aliases, cvpr in ((Aliases(), Venue("CVPR", 2019, "Workshop")), (workshop_aliases(), Venue("CVPRW", 2019))):
        for order in (d.entries, d.entries[::-1]):  # each tag on its own: the order of the notes changes nothing
            lib = Library([Document("docs/example.md", entries=list(order))], {"docs/example.md": "example/"}, aliases=aliases)
            assert [e.venues for e in d.entries] == [(cvpr,)] * 3 + [(Venue("ECCV", 2022, "Workshop"),)]
            assert ("venue", "cvpr workshop") not in lib.tags


def workshop_aliases() -> Aliases:
    lang, text = EXAMPLES["workshop-venue"]
    assert lang == "yaml"
    aliases, problems = Aliases.from_yaml(text, "aliases.yml")
    assert problems == []
    return aliases


def check_workshop_venue() -> None:
    note = parse("### [CVPR 2019 Workshop] A\n### [CVPR workshop 2019] B\n### [CVPRW 2019] C\n"
                 "### [CVPR 2019 Workshop Oral] D\n### [CVPR 2019] E\n### [ECCV 2022 Workshop] F\n", "note.md")
    library = Library([note], {"note.md": "note/"}, aliases=workshop_aliases())
    assert [e.venues for e in library.entries] == [(Venue("CVPRW", 2019),)] * 3 + [
        (Venue("CVPRW", 2019, "Oral"),), (Venue("CVPR", 2019),), (Venue("ECCV", 2022, "Workshop"),)]


def check_link_is_not_a_tag() -> None:
    e = only_entry("link-is-not-a-tag")
    assert e.tags == ("Tool",)
    assert e.title == "[Ollama](https://ollama.com) runs [Llama 2] on a laptop"
    assert e.links == ()


def check_links() -> None:
    e = only_entry("links")
    assert e.tags == ("OpenAI",)
    assert e.title == "Scaling Laws for Neural Language Models"
    assert [link.label for link in e.links] == ["pdf", "blog"]


def check_authors_shortened() -> None:
    e = only_entry("authors-shortened")
    assert e.priority == 3
    assert e.authors == ("Alexander Kirillov", "Eric Mintun", "Ross Girshick")


def check_topics() -> None:
    e = only_entry("topics")
    assert e.topics == ("video", "diffusion", "text-to-video")
    assert e.authors == ("Ada Lovelace", "Alan Turing")


def check_body() -> None:
    d = doc("body")
    assert d.diagnostics == []
    (e,) = d.entries
    assert e.section == "Video Generation"
    assert [f.url for f in e.figures] == ["../assets/fig_generative_models/svd_data.png"]
    advantages = next(h for h in d.headings if h.text == "Advantages")
    data_curation = next(h for h in d.headings if h.text == "Data curation")
    assert e.line < data_curation.line < e.end_line < advantages.line


def check_contents() -> None:
    d = doc("contents")
    assert d.contents_block == (3, 5)
    assert d.entries == []


def check_front_matter() -> None:
    d = doc("front-matter")
    assert d.meta == {"papernotes": {"contents": False, "missing_figures": "placeholder"}}
    assert d.diagnostics == []
    assert [h.text for h in d.headings] == ["My note"]


def check_aliases() -> None:
    lang, text = EXAMPLES["aliases"]
    assert lang == "yaml"
    aliases, problems = Aliases.from_yaml(text, "aliases.yml")
    assert problems == []
    note = parse("## Vision\n\n### [NIPS 2017] A\n_Michael Black, Piotr Dollar_\n\n"
                 "### [NeurIPS 2019] B\n_Michael J. Black1, Piotr Dollár_\n\n"
                 "### [2020] C\n_Michael J. Black_\n", "note.md")
    library = Library([note], {"note.md": "note/"}, aliases=aliases)
    names = {a.name: (len(a.entries), a.homepage) for a in library.authors.values()}
    assert names == {"Michael J. Black": (3, "https://ps.is.mpg.de/person/black"), "Piotr Dollár": (2, None)}
    venues = {t.name: len(t.entries) for t in library.tags.values() if t.kind == "venue"}
    assert venues == {"NeurIPS": 2}
    other = parse("### [TPAMI] D\n### [Nature 2023 Methods] E\n### [Science 2023 Letter] F\n", "other.md")
    library = Library([other], {"other.md": "other/"}, aliases=aliases)
    assert [e.venues for e in library.entries] == [(Venue("TPAMI"),), (Venue("Nature Methods", 2023),),
                                                   (Venue("Science", 2023, "Letter"),)]
    assert [r for t in ("Nature 2023 Methods", "Science 2023 Letter") for r in library.reader.read(t) if r.other_name] == []


def check_mistakes() -> None:
    d = doc("mistakes")
    assert [e.line for e in d.entries] == [1, 4, 7], "every entry still appears"
    assert [e.priority for e in d.entries] == [2, 3, 0]
    assert d.entries[0].authors == ("Ada Lovelace", "Alan Turing")


def check_mistakes_output() -> None:
    lang, text = EXAMPLES["mistakes-output"]
    assert lang == "text"
    printed = sorted(doc("mistakes").diagnostics, key=lambda x: (x.line, x.col))
    assert text.splitlines() == [str(x) for x in printed]


CHECKS = {name[len("check_"):].replace("_", "-"): fn for name, fn in globals().items() if name.startswith("check_")}


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_example(name):
    assert name in EXAMPLES, f"docs/contributing.md has no example {name!r}"
    CHECKS[name]()


def test_every_example_is_checked():
    assert set(EXAMPLES) == set(CHECKS)


def test_every_markdown_block_in_the_guide_is_a_checked_example():
    text = GUIDE.read_text(encoding="utf-8")
    markdown_blocks = [m for m in FENCE.finditer(text) if m.group(2) == "markdown"]
    assert len(markdown_blocks) == sum(1 for lang, _ in EXAMPLES.values() if lang == "markdown") >= 10
    for m in markdown_blocks:
        before = text[: m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        assert before.startswith("<!-- example: "), f"unchecked example at offset {m.start()}"


def test_the_guide_itself_has_no_entries_and_no_problems():
    # The examples sit in code fences: the guide page must not grow entries of its own.
    d = parse(GUIDE.read_text(encoding="utf-8"), "contributing.md")
    assert d.entries == [] and d.figures == [] and d.diagnostics == []


def test_the_rules_in_the_mistakes_output_are_the_ones_the_text_names():
    _, output = EXAMPLES["mistakes-output"]
    codes = re.findall(r"\[([a-z-]+)\]$", output, re.MULTILINE)
    guide = GUIDE.read_text(encoding="utf-8")
    assert "`priority-order` warning" in guide and "`priority-marker` warning" in guide
    assert {"priority-order", "priority-marker"} <= set(codes)
