"""Qualifier words read the same in every position and case (issue 22, point 3).

`[CVPR workshop 2019]`, `[CVPR 2019 workshop]`, `[CVPR 2019 Workshop]` are venue CVPR with the
qualifier `Workshop`, as `[ECCV 2022 Workshop]` is ECCV's; what one tag means never depends on what
other notes wrote; `aliases.yml` may give a workshop a venue of its own (`CVPRW: [CVPR Workshop]`).
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from papernotes.checks.report import CheckOptions, run_checks
from papernotes.index.aliases import Aliases
from papernotes.index.library import Library
from papernotes.notes.figures import Layout
from papernotes.notes.grammar import TRACK_WORDS, parse, split_tag
from papernotes.notes.model import Venue

WORKSHOP = Venue("CVPR", 2019, "Workshop")


def aliases_of(text: str) -> Aliases:
    found, problems = Aliases.from_yaml(text, "aliases.yml")
    assert problems == []
    return found


def venues(tags: list[str], aliases: str = "") -> list[tuple[Venue, ...]]:
    """Each tag's venues, every tag on an entry of one library."""
    note = "".join(f"### [{tag}] Paper {n}\n" for n, tag in enumerate(tags))
    lib = Library([parse(note, "note.md")], {"note.md": "note/"}, aliases=aliases_of(aliases))
    return [e.venues for e in lib.entries]


@pytest.mark.parametrize("tag", ["CVPR workshop 2019", "CVPR 2019 workshop", "CVPR 2019 Workshop", "CVPR WORKSHOP 2019",
                                 "CVPR - Workshop 2019", "CVPR Workshop, 2019"])
def test_every_position_and_case_of_workshop_is_the_venue_with_the_qualifier(tag):
    assert venues([tag]) == [(WORKSHOP,)]
    assert parse(f"### [{tag}] A\n").entries[0].venues == (WORKSHOP,)  # the grammar alone says the same


def test_the_issues_four_tags_read_the_same_in_one_library_in_any_order():
    tags = ["CVPR workshop 2019", "CVPR 2019 workshop", "CVPR 2019 Workshop", "ECCV 2022 Workshop"]
    for order in itertools.permutations(tags):
        read = dict(zip(order, venues(list(order)), strict=True))
        assert read == {"CVPR workshop 2019": (WORKSHOP,), "CVPR 2019 workshop": (WORKSHOP,),
                        "CVPR 2019 Workshop": (WORKSHOP,), "ECCV 2022 Workshop": (Venue("ECCV", 2022, "Workshop"),)}


def test_no_tag_page_of_the_conference_and_its_workshop_apart_and_no_notice():
    note = "### [CVPR workshop 2019] A\n### [CVPR 2019 Workshop] B\n### [CVPR 2020] C\n### [CVPR workshop] D\n"
    lib = Library([parse(note, "note.md")], {"note.md": "note/"})
    assert {(t.kind, t.name) for t in lib.tags.values() if t.kind == "venue"} == {("venue", "CVPR")}
    cvpr = lib.tags[("venue", "cvpr")]
    assert [cvpr.qualifier_of(e) for e in lib.entries] == ["Workshop", "Workshop", "", "Workshop"]
    found = run_checks([parse(note, "note.md")], Layout(), lambda _: False, CheckOptions())
    assert [d for d in found if d.code in ("tag-variant", "ambiguous-tag")] == []


@pytest.mark.parametrize(("tag", "qualifier"), [
    ("NeurIPS 2023 oral", "Oral"), ("NeurIPS 2023 ORAL", "Oral"), ("NeurIPS Oral 2023", "Oral"),
    ("ICCV 2023 best paper award", "Best Paper Award"), ("NeurIPS 2023 datasets and benchmarks track", "Datasets and Benchmarks Track"),
    ("ICLR Spotlight 2024 (Outstanding Paper)", "Spotlight Outstanding Paper"), ("ACL Findings 2023", "Findings"),
    ("Nature 2023 Comment", "Comment"),
])
def test_qualifier_words_have_one_spelling_and_joining_words_stay_as_written(tag, qualifier):
    (part,) = split_tag(tag)
    assert part.qualifier == qualifier


@pytest.mark.parametrize(("tag", "venue"), [
    ("Physical Review Letters 2020", "Physical Review Letters"),  # qualifier words that end real names stay
    ("The Astrophysical Journal 2021", "The Astrophysical Journal"),
    ("IEEE Robotics and Automation Letters 2022", "IEEE Robotics and Automation Letters"),
    ("Conference on Robot Learning 2020", "Conference on Robot Learning"),
    ("Workshop on Machine Learning 2019", "Workshop on Machine Learning"),  # a name that starts with one
])
def test_only_presentation_words_leave_the_name_before_the_year(tag, venue):
    (part,) = split_tag(tag)
    assert (part.venue, part.qualifier) == (venue, "")


WORKSHOP_SPELLINGS = st.sampled_from(sorted(TRACK_WORDS)).flatmap(
    lambda w: st.sampled_from([w, w.upper(), w.capitalize()]))
TAGS = st.tuples(st.sampled_from(["CVPR", "ECCV", "NeurIPS", "Nature"]), st.integers(2015, 2024),
                 st.booleans(), WORKSHOP_SPELLINGS, st.sampled_from(["", "Oral", "Methods"])).map(
    lambda t: f"{t[0]} {t[3]} {t[1]} {t[4]}".strip() if t[2] else f"{t[0]} {t[1]} {t[3]} {t[4]}".strip())


OTHER_NOTES = ["CVPR workshop 2019", "CVPR Workshop", "Nature Methods 2021", "Nature Workshop 2018", "CVPR 2020", "Oral 2019"]


@settings(max_examples=60, deadline=None)
@given(st.lists(TAGS, min_size=1, max_size=5), st.lists(st.sampled_from(OTHER_NOTES), max_size=4), st.randoms())
def test_what_a_tag_with_a_presentation_word_means_never_depends_on_the_other_notes(tags, others, random):
    library = tags + others
    random.shuffle(library)
    together = dict(zip(library, venues(library), strict=True))
    for tag in tags:
        (venue,) = together[tag]
        assert (venue,) == venues([tag])[0], tag
        assert venue.name in ("CVPR", "ECCV", "NeurIPS", "Nature") and venue.qualifier.split()[0] in {
            w.capitalize() for w in TRACK_WORDS}, (tag, venue)


# -- a workshop venue of its own, from aliases.yml ---------------------------------------------

@pytest.mark.parametrize("aliases", ["tags:\n  CVPRW: [CVPR Workshop]\n", "tags:\n  CVPRW: [cvpr workshop]\n"])
def test_an_alias_gives_the_workshops_a_venue_of_their_own_in_every_spelling(aliases):
    tags = ["CVPR workshop 2019", "CVPR 2019 workshop", "CVPR 2019 Workshop", "CVPRW 2019", "CVPR 2019 Workshop Oral",
            "CVPR 2019", "ECCV 2022 Workshop"]
    assert venues(tags, aliases) == [(Venue("CVPRW", 2019),)] * 4 + [
        (Venue("CVPRW", 2019, "Oral"),), (Venue("CVPR", 2019),), (Venue("ECCV", 2022, "Workshop"),)]
    for tag in tags:  # alone as in company
        assert venues([tag], aliases) == venues(tags, aliases)[tags.index(tag): tags.index(tag) + 1]


def test_venues_in_aliases_keep_the_longer_name_as_a_venue():
    tags = ["CVPR 2019 Workshop", "CVPR workshop 2019", "CVPR Workshop", "CVPR 2019"]
    assert venues(tags, "venues: [CVPR Workshop]\n") == [(Venue("CVPR Workshop", 2019),)] * 2 + [
        (Venue("CVPR Workshop"),), (Venue("CVPR", 2019),)]


def test_a_longer_name_through_a_qualifier_word_comes_from_aliases_yml_not_from_another_note():
    # `Nature Reviews` written with a year in one note does not turn the other note's qualifier into a name:
    # the words of `reviews` ... are qualifier words (QUALIFIER_WORDS), so aliases.yml has to say it.
    tags = ["Nature 2020 Reviews", "Nature Reviews 2021"]
    assert venues(tags) == [(Venue("Nature", 2020, "Reviews"),), (Venue("Nature Reviews", 2021),)]
    assert venues(tags, "venues: [Nature Reviews]\n") == [(Venue("Nature Reviews", 2020),), (Venue("Nature Reviews", 2021),)]
    # A word that is no qualifier word still continues a venue the notes name (rule 9, with its notice).
    assert venues(["Nature 2023 Methods", "Nature Methods 2021"]) == [(Venue("Nature Methods", 2023),), (Venue("Nature Methods", 2021),)]
