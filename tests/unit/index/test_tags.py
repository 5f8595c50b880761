"""Tags as the notes mean them (issue 13): several venues in one tag, qualifiers, venues without a year.

One test per row of the issue's table, then the cases around them: three venues in a tag, a
qualifier with punctuation, a venue that is also an organisation's name, the tag that reads two
ways. Any tag, generated: tests/property/test_tag_properties.py; a real build whose venue pages,
tags index and exports count what the entries imply: tests/build/test_tags_built.py.
"""

from __future__ import annotations

import re

import pytest
from papernotes.checks.report import CheckOptions, run_checks
from papernotes.index.aliases import Aliases
from papernotes.index.library import Library
from papernotes.index.urls import src_to_url
from papernotes.notes.figures import Layout
from papernotes.notes.grammar import TagPart, parse, split_tag
from papernotes.notes.model import Venue
from papernotes.outputs.exports import papers


def library(*notes: tuple[str, str], aliases: str = "") -> Library:
    docs = [parse(text, path) for path, text in notes]
    return Library(docs, {path: src_to_url(path, True) for path, _ in notes}, aliases=Aliases.from_yaml(aliases, "a.yml")[0])


def counts(lib: Library, kind: str) -> dict[str, int]:
    return {t.name: len(t.entries) for t in lib.tags_by_kind()[kind]}


def only(lib: Library):
    (entry,) = lib.entries
    return entry


def notices(notes: dict[str, str], aliases: str = "") -> list[str]:
    docs = [parse(text, path) for path, text in notes.items()]
    found = run_checks(docs, Layout(), lambda _: False, CheckOptions(aliases=Aliases.from_yaml(aliases, "a.yml")[0]))
    return [str(d) for d in found if d.code in ("ambiguous-tag", "tag-variant")]


# -- the grammar: one part at a time -----------------------------------------------------------

@pytest.mark.parametrize(("tag", "parts"), [
    ("CVPR 2014, TPAMI 2016", [("CVPR", 2014, ""), ("TPAMI", 2016, "")]),
    ("IJCV 2017, BMVC 2016", [("IJCV", 2017, ""), ("BMVC", 2016, "")]),
    ("CVPR 2014, TPAMI 2016, IJCV 2018 Oral", [("CVPR", 2014, ""), ("TPAMI", 2016, ""), ("IJCV", 2018, "Oral")]),
    ("NeurIPS 2023 Oral", [("NeurIPS", 2023, "Oral")]),
    ("CVPR 2018 spotlight", [("CVPR", 2018, "Spotlight")]),
    ("ECCV 2018 Best Paper Award", [("ECCV", 2018, "Best Paper Award")]),
    ("NeurIPS 2024 Workshop", [("NeurIPS", 2024, "Workshop")]),
    ("Nature Method 2023 Comment", [("Nature Method", 2023, "Comment")]),
    ("ECCV 2018 (Best Paper, Honorable Mention)", [("ECCV", 2018, "Best Paper, Honorable Mention")]),
    ("CVPR 2018 - spotlight", [("CVPR", 2018, "Spotlight")]),
    ("NeurIPS 2023 Datasets & Benchmarks", [("NeurIPS", 2023, "Datasets & Benchmarks")]),
    ("ICLR, 2020", [("ICLR", 2020, "")]),
    ("2021", [(None, 2021, "")]),
    ("NeurIPS", [(None, None, "")]),
    ("CVPR workshop", [(None, None, "")]),
    ("GPT2023", [(None, None, "")]),
])
def test_split_tag(tag, parts):
    assert [(p.venue, p.year, p.qualifier) for p in split_tag(tag)] == parts


def test_a_part_keeps_its_text_and_the_grammar_fills_the_entry_venues():
    assert split_tag(" CVPR  2014 ,TPAMI 2016 ") == (TagPart("CVPR 2014", "CVPR", 2014), TagPart("TPAMI 2016", "TPAMI", 2016))
    entry = parse("### [Google] [CVPR 2014, TPAMI 2016 Oral] T\n").entries[0]
    assert entry.venues == (Venue("CVPR", 2014), Venue("TPAMI", 2016, "Oral"))
    assert (entry.venue, entry.year) == ("CVPR", 2014)


# -- row 1: several venues in one tag ------------------------------------------------------------

def test_row_1_two_venues_in_one_tag_are_two_venues():
    lib = library(("a.md", "### [CVPR 2014, TPAMI 2016] A\n### [IJCV 2017, BMVC 2016] B\n"))
    assert counts(lib, "venue") == {"BMVC": 1, "CVPR": 1, "IJCV": 1, "TPAMI": 1}
    assert counts(lib, "year") == {"2014": 1, "2016": 2, "2017": 1}
    assert counts(lib, "org") == {}
    a, b = lib.entries
    assert (a.venue, a.year, b.venue, b.year) == ("CVPR", 2014, "IJCV", 2017)  # the first venue's
    assert [year for year, _ in lib.tags[("venue", "tpami")].by_year()] == [2016]  # TPAMI's year on its page


def test_a_tag_with_three_venues_is_on_each_venue_page():
    lib = library(("a.md", "### [CVPR 2014, TPAMI 2016, IJCV 2018 Oral] A\n### [TPAMI 2019] B\n"))
    assert counts(lib, "venue") == {"TPAMI": 2, "CVPR": 1, "IJCV": 1}
    entry = lib.entries[0]
    assert entry.venues == (Venue("CVPR", 2014), Venue("TPAMI", 2016), Venue("IJCV", 2018, "Oral"))
    assert [text for text, _, _ in lib.entry_tags(entry)] == ["CVPR 2014", "TPAMI 2016", "IJCV 2018 · Oral"]
    assert [fragment for _, _, fragment in lib.entry_tags(entry)] == ["2014", "2016", "2018"]


# -- row 2: qualifiers ---------------------------------------------------------------------------

@pytest.mark.parametrize(("tag", "venue", "year", "qualifier"), [
    ("NeurIPS 2023 Oral", "NeurIPS", 2023, "Oral"), ("CVPR 2018 spotlight", "CVPR", 2018, "Spotlight"),
    ("ECCV 2018 Best Paper Award", "ECCV", 2018, "Best Paper Award"), ("NeurIPS 2024 Workshop", "NeurIPS", 2024, "Workshop"),
    ("Nature Method 2023 Comment", "Nature Method", 2023, "Comment"),
])
def test_row_2_a_venue_with_a_qualifier_is_that_venue(tag, venue, year, qualifier):
    lib = library(("a.md", f"### [{tag}] A\n"))
    assert counts(lib, "venue") == {venue: 1} and counts(lib, "year") == {str(year): 1} and counts(lib, "org") == {}
    assert only(lib).venues == (Venue(venue, year, qualifier),)
    assert [text for text, _, _ in lib.entry_tags(only(lib))] == [f"{venue} {year} · {qualifier}"]
    assert lib.tags[("venue", venue.casefold())].qualifier_of(only(lib)) == qualifier


def test_a_qualifier_with_punctuation():
    lib = library(("a.md", "### [ECCV 2018 (Best Paper, Honorable Mention)] A\n### [NeurIPS 2023: Datasets & Benchmarks] B\n"))
    a, b = lib.entries
    assert a.venues == (Venue("ECCV", 2018, "Best Paper, Honorable Mention"),)
    assert b.venues == (Venue("NeurIPS", 2023, "Datasets & Benchmarks"),)
    assert counts(lib, "org") == {}


# -- row 3: venues written without a year ---------------------------------------------------------

def test_row_3_a_yearless_name_is_a_venue_when_it_is_one_elsewhere():
    lib = library(("a.md", "### [NeurIPS 2023] A\n### [NeurIPS] B\n### [CVPR 2022] C\n### [CVPR workshop] D\n"
                           "### [neurips] E\n"))
    assert counts(lib, "venue") == {"NeurIPS": 3, "CVPR": 2}
    assert counts(lib, "org") == {}
    b, d = lib.entries[1], lib.entries[3]
    assert (b.venues, b.venue, b.year) == ((Venue("NeurIPS"),), "NeurIPS", None)
    assert d.venues == (Venue("CVPR", None, "Workshop"),)
    assert [(text, fragment) for text, _, fragment in lib.entry_tags(d)] == [("CVPR · Workshop", "")]
    assert [year for year, _ in lib.tags[("venue", "cvpr")].by_year()] == [2022, None]


def test_a_yearless_name_known_nowhere_stays_an_organisation_unless_aliases_list_it():
    note = ("a.md", "### [NeurIPS] A\n### [NIPS workshop] B\n")
    assert counts(library(note), "org") == {"NeurIPS": 1, "NIPS workshop": 1}
    lib = library(note, aliases="venues: [NeurIPS]\ntags:\n  NeurIPS: [NIPS]\n")
    assert counts(lib, "venue") == {"NeurIPS": 2} and counts(lib, "org") == {}
    assert lib.entries[1].venues == (Venue("NeurIPS", None, "Workshop"),)


def test_a_venue_that_is_also_an_organisations_name_is_one_tag():
    lib = library(("a.md", "### [OpenAI 2023] A\n### [OpenAI] B\n### [openai] [CVPR 2024] C\n"))
    assert counts(lib, "venue") == {"CVPR": 1, "OpenAI": 3}
    assert counts(lib, "org") == {}


def test_commas_in_an_organisations_name_keep_it_one_tag():
    lib = library(("a.md", "### [University of California, Berkeley] A\n### [CVPR 2023, Google] B\n"))
    assert counts(lib, "org") == {"University of California, Berkeley": 1, "Google": 1}
    assert counts(lib, "venue") == {"CVPR": 1}


def test_the_longest_known_venue_name_wins():
    lib = library(("a.md", "### [Nature 2021] A\n### [Nature Methods 2022] B\n### [Nature 2023 Methods] C\n"
                           "### [Nature Methods correspondence] D\n"))
    assert counts(lib, "venue") == {"Nature Methods": 3, "Nature": 1}
    assert lib.entries[2].venues == (Venue("Nature Methods", 2023),)
    assert lib.entries[3].venues == (Venue("Nature Methods", None, "correspondence"),)


def test_entry_venues_are_named_as_their_tag_page_is_and_reading_twice_changes_nothing():
    notes = [parse("### [NIPS 2017 Oral] A\n### [neurips 2019] B\n### [NeurIPS 2020] C\n", "a.md")]
    aliases = Aliases.from_yaml("tags:\n  NeurIPS: [NIPS]\n", "a.yml")[0]
    lib = Library(notes, {"a.md": "a/"}, aliases=aliases)
    assert [e.venues for e in lib.entries] == [(Venue("NeurIPS", 2017, "Oral"),), (Venue("NeurIPS", 2019),),
                                              (Venue("NeurIPS", 2020),)]
    again = Library(notes, {"a.md": "a/"}, aliases=aliases)
    assert [(e.venues, e.venue, e.year) for e in again.entries] == [(e.venues, e.venue, e.year) for e in lib.entries]
    record = papers(lib)[0]
    assert (record["venue"], record["year"]) == ("NeurIPS", 2017)
    assert record["venues"] == [{"name": "NeurIPS", "year": 2017, "qualifier": "Oral"}]


def test_the_year_is_the_first_venues():
    lib = library(("a.md", "### [2021] [CVPR 2022] A\n### [NeurIPS] [ICLR 2023] B\n### [NeurIPS 2020] C\n"))
    a, b, _ = lib.entries
    assert (a.venue, a.year) == ("CVPR", 2022)
    assert (b.venue, b.year) == ("NeurIPS", 2023)  # the first venue has no year: the first year written


# -- aliases.yml: venues and qualifiers -------------------------------------------------------------

def test_aliases_venues_and_qualifiers_keys():
    aliases, problems = Aliases.from_yaml("venues: [Nature Methods, TPAMI]\nqualifiers: Methods\n", "a.yml")
    assert (aliases.venues, aliases.qualifiers, problems) == (["Nature Methods", "TPAMI"], ["Methods"], [])
    aliases, problems = Aliases.from_yaml("venues: {Nature: x}\n", "a.yml")
    assert aliases.venues == [] and [p.code for p in problems] == ["aliases"]
    assert "venues: expected a list of names" in problems[0].message


# -- papernotes check ---------------------------------------------------------------------------------

def test_a_tag_read_two_ways_is_a_notice_with_the_line_that_settles_it():
    note = {"a.md": "### [Nature 2023 Methods] A\n_X_\n\n### [Nature 2024 Methods] B\n_Y_\n\n### [NeurIPS 2023 Oral] C\n_Z_\n"}
    assert notices(note) == [
        "a.md:1:1: info: tag [Nature 2023 Methods] can be read two ways: venue 'Nature' with qualifier 'Methods' "
        "(as read now), or venue 'Nature Methods'; settle it in aliases.yml with  venues: [Nature Methods]  "
        "(the second) or  qualifiers: [Methods]  (the first) [ambiguous-tag]"]
    assert notices(note, "venues: [Nature Methods]\n") == []
    assert notices(note, "qualifiers: [Methods]\n") == []
    lib = library(("a.md", note["a.md"]), aliases="venues: [Nature Methods]\n")
    assert counts(lib, "venue") == {"Nature Methods": 2, "NeurIPS": 1}


def test_tag_variant_suggests_merging_a_venue_with_and_without_its_publisher():
    note = {"a.md": "### [IEEE TPAMI 2020] A\n_X_\n\n### [TPAMI 2021] B\n_Y_\n\n### [TPAMI 2022] C\n_Z_\n\n"
                    "### [ACM TOG 2020] D\n_X_\n\n### [TOG 2021] E\n_Y_\n"}
    found = notices(note)
    assert found == [
        "a.md:1:1: warning: venue [IEEE TPAMI] looks like [TPAMI] (line 4) with or without a publisher's name "
        "(they get separate tag pages); write it one way or add to aliases.yml under tags:  TPAMI: [IEEE TPAMI] [tag-variant]",
        "a.md:10:1: warning: venue [ACM TOG] looks like [TOG] (line 13) with or without a publisher's name "
        "(they get separate tag pages); write it one way or add to aliases.yml under tags:  TOG: [ACM TOG] [tag-variant]"]
    assert notices(note, "tags:\n  TPAMI: [IEEE TPAMI]\n  TOG: [ACM TOG]\n") == []


def test_every_papers_json_field_is_documented():
    from support.paths import REPO

    documented = re.findall(r"^\| `(\w+)` \|", (REPO / "docs" / "exports.md").read_text(encoding="utf-8").split("## `tags.json`")[0],
                            re.MULTILINE)
    assert documented == list(papers(library(("a.md", "### [CVPR 2023 Oral] A\n")))[0])
