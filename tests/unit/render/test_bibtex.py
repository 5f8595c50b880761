"""papers.bib and the Cite control: one record per paper, stable keys, LaTeX escaping (no MkDocs).

The round trip through a built site: tests/build/test_bibtex_built.py."""

from __future__ import annotations

from datetime import UTC, datetime

import bibtexparser
import pytest
from papernotes.notes.grammar import parse
from papernotes.outputs import papers_bib
from papernotes.render.bibtex import Bibliography, arxiv_year, base_key, latex_escape, layout, paper_groups, protect_capitals, venue_type

SPECIALS = "& % $ # _ { } ~ ^ \\"


def entries(text: str, path: str = "n.md"):
    return parse(text, path).entries


def test_every_latex_special_is_escaped_and_braces_stay_balanced() -> None:
    escaped = latex_escape(SPECIALS)
    assert escaped == r"\& \% \$ \# \_ \textbraceleft{} \textbraceright{} \textasciitilde{} \textasciicircum{} \textbackslash{}"
    assert escaped.count("{") == escaped.count("}")
    assert latex_escape("Dollár 中文") == "Dollár 中文"  # non-ASCII stays UTF-8


def test_capitals_are_protected_word_by_word() -> None:
    assert protect_capitals("Segment anything with SAM & co") == r"{Segment} anything with {SAM} \& co"


@pytest.mark.parametrize(("arxiv", "year"), [("2304.02643", 2023), ("9912.12345", 1999), ("hep-th/9901001", 1999),
                                             ("2313.00001", None)])
def test_arxiv_ids_give_their_year(arxiv: str, year: int | None) -> None:
    assert arxiv_year(arxiv) == year


def test_key_is_family_name_year_and_first_significant_word() -> None:
    [e] = entries("### [ICCV 2023] The Segment Anything Model\n_Alexander Kirillov, Eric Mintun_\n")
    assert base_key(e, e.year) == "kirillov2023segment"
    [e] = entries("### 中文标题\n_Dollár, Piotr_\n")
    assert base_key(e, None) == "dollarzhong"


def test_journals_are_articles_conferences_inproceedings() -> None:
    assert venue_type("TPAMI") == venue_type("IEEE Transactions on Robotics") == venue_type("Nature") == "article"
    assert venue_type("CVPR") == venue_type("NeurIPS") == "inproceedings"


def test_one_paper_in_two_notes_shares_one_record_and_key() -> None:
    a = entries("### [CVPR 2023] Segment Anything [[pdf]](https://arxiv.org/abs/2304.02643)\n_A Kirillov_\n", "a.md")
    b = entries("### SAM, retitled [[arxiv]](https://arxiv.org/pdf/2304.02643)\n_A Kirillov_\n", "b.md")
    c = entries("### Another paper entirely\n_A Kirillov_\n", "c.md")
    assert [len(g) for g in paper_groups(a + b + c)] == [2, 1]
    bib = Bibliography(a + b + c, lambda e: None)
    assert bib.get(a[0]) is bib.get(b[0])
    assert len(bib.citations) == 2
    assert papers_bib.text(bib).count("@") == 2


def _bibtexparser_text(records: list[tuple[str, str, tuple[tuple[str, str], ...]]]) -> str:
    """What bibtexparser 2's writer makes of records, two-space indent, a newline between records."""
    form = bibtexparser.BibtexFormat()
    form.indent, form.block_separator = "  ", "\n"
    lib = bibtexparser.Library()
    for entry_type, key, fields in records:
        lib.add(bibtexparser.model.Entry(entry_type, key, [bibtexparser.model.Field(k, v) for k, v in fields]))
    return bibtexparser.write_string(lib, bibtex_format=form)


def test_papers_bib_is_what_bibtexparser_writes_of_all_records_at_once() -> None:
    found = entries("### [CVPR 2023] Segment {Anything} & more\n_A Kirillov and B Ng_\n"
                    "### [Nature 2020] Zeta\n_C Dé_\n### Alpha [[arxiv]](https://arxiv.org/abs/2304.02643)\n_D E_\n", "a.md")
    bib = Bibliography(found, lambda e: None)
    assert len(bib.citations) == 3
    ordered = sorted(bib.citations, key=lambda c: c.key)
    assert papers_bib.text(bib) == _bibtexparser_text([(c.entry_type, c.key, c.fields) for c in ordered])


@pytest.mark.parametrize("fields", [(), (("title", "{A} b"),), (("title", "x"), ("author", "A and B"), ("year", "2023"))])
def test_the_one_layout_is_bibtexparsers(fields: tuple[tuple[str, str], ...]) -> None:
    """`layout` (papers.bib, the Cite control, the explorer's data) gives bibtexparser 2's text, a record without fields too."""
    assert layout("misc", "k2023x", fields) == _bibtexparser_text([("misc", "k2023x", fields)])


def test_collisions_get_suffixes_in_order_of_date_added_then_title_so_keys_never_change_but_by_their_paper() -> None:
    text = ("### [CVPR 2023] Segment Anything\n_A Kirillov_\n\n"
            "### [ICCV 2023] Segment Everything Everywhere\n_B Kirillov_\n\n"
            "### [ECCV 2023] Segment Something Else\n_C Kirillov_\n")
    first, second, third = entries(text)
    dates = {id(first): datetime(2024, 3, 1, tzinfo=UTC), id(second): datetime(2023, 1, 1, tzinfo=UTC)}
    bib = Bibliography([first, second], lambda e: dates.get(id(e)))
    assert (bib.get(second).key, bib.get(first).key) == ("kirillov2023segment", "kirillov2023segmenta")
    dates[id(third)] = datetime(2025, 1, 1, tzinfo=UTC)  # a newer paper arrives: the older keys stay
    bib = Bibliography([first, second, third], lambda e: dates.get(id(e)))
    assert [bib.get(e).key for e in (second, first, third)] == ["kirillov2023segment", "kirillov2023segmenta",
                                                                 "kirillov2023segmentb"]
    undated = Bibliography([first, second, third], lambda e: None)  # no dates: by title
    assert [undated.get(e).key for e in (first, second, third)] == ["kirillov2023segment", "kirillov2023segmenta",
                                                                    "kirillov2023segmentb"]
    for shuffled in ([third, second, first], [second, third, first]):  # notes renamed, moved: the same keys
        bib = Bibliography(shuffled, lambda e: None)
        assert [bib.get(e).key for e in (first, second, third)] == [undated.get(e).key for e in (first, second, third)]
    dates = {id(e): datetime(2024, 3, 1, tzinfo=UTC) for e in (first, second, third)}  # added in one commit
    bib = Bibliography([third, first, second], lambda e: dates.get(id(e)))
    assert [bib.get(e).key for e in (first, second, third)] == [undated.get(e).key for e in (first, second, third)]
