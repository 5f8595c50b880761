"""`papernotes add` reconciled with the library: authors and venues as the library writes them, papers it
holds refused with every `path:line`, `--force`, and nothing written on any error (the note's bytes compared)."""

from __future__ import annotations

from pathlib import Path

import pytest
from papernotes.add.paper import Paper
from papernotes.add.reconcile import LibraryView, Location
from papernotes.add.transport import Response
from papernotes.add.venues import VenueTag, known_mentions, shorten
from papernotes.index.library import Aliases
from papernotes.notes.grammar import parse
from support.addkit import OFFLINE, SLOW, Replay, add, arxiv_url, crossref_url, make_library, problems

SPELLINGS = """# People

### [CVPR 2022] One [[pdf]](https://arxiv.org/abs/2201.00001)
_Kaiming HE_

### [CVPR 2022] Two [[pdf]](https://arxiv.org/abs/2201.00002)
_Piotr Dollar, Xinlei Chen1_

### [IEEE TPAMI 2020] Three [[pdf]](https://arxiv.org/abs/2201.00003)
_R. Girshick, Alexander C. Berg_

### [NeurIPS 2021] Four [[pdf]](https://arxiv.org/abs/2201.00004)
_Saining Xie_
"""


def library_at(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notes: dict[str, str], aliases: str = "tags:\n  NeurIPS: [NIPS]\n") -> Path:
    root = make_library(tmp_path / "library", notes, aliases)
    monkeypatch.chdir(root)
    return root


def test_authors_are_written_as_the_library_writes_them_and_each_change_is_said(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    root = library_at(tmp_path, monkeypatch, {"people.md": SPELLINGS},
                      aliases="authors:\n  Yanghao Li: [Yang-hao Li, Yanghao Li2]\n")
    assert problems(root) == []
    assert add(["2111.06377v3", "--note", "docs/people.md"]) == 0
    [*_, entry] = parse((root / "docs" / "people.md").read_text(encoding="utf-8")).entries
    # MAE's authors as arXiv gives them: Kaiming He, Xinlei Chen, Saining Xie, Yanghao Li, Piotr Dollár, Ross Girshick.
    assert entry.authors == ("Kaiming HE", "Xinlei Chen1", "Saining Xie", "Yanghao Li", "Piotr Dollar", "R. Girshick")
    err = capsys.readouterr().err.splitlines()
    assert [line for line in err if "written" in line] == [
        "papernotes add: note: arXiv:2111.06377v3: author 'Kaiming He' written 'Kaiming HE' as the library writes it "
        "(docs/people.md:4): they differ only in case",
        "papernotes add: note: arXiv:2111.06377v3: author 'Xinlei Chen' written 'Xinlei Chen1' as the library writes it "
        "(docs/people.md:7): they differ only in a trailing number",
        "papernotes add: note: arXiv:2111.06377v3: author 'Piotr Dollár' written 'Piotr Dollar' as the library writes it "
        "(docs/people.md:7): they differ only in accents",
        "papernotes add: note: arXiv:2111.06377v3: author 'Ross Girshick' written 'R. Girshick' as the library writes it "
        "(docs/people.md:10): their given names differ only by initials",
    ]
    assert problems(root) == []  # the alias check finds no new spelling to report


def test_an_alias_of_aliases_yml_is_written_as_its_canonical_name(tmp_path: Path) -> None:
    aliases, _ = Aliases.from_yaml("authors:\n  David A. Ross: [David Ross, David A Ross]\n", "aliases.yml")
    view = LibraryView([parse("### [X 2020] A\n_David A. Ross_\n", "a.md")], aliases)
    respelled = view.author("David Ross")
    assert respelled is not None and (respelled.written, respelled.reason, str(respelled.where)) == ("David A. Ross", "aliases.yml", "a.md:2")
    assert view.author("David A. Ross") is None
    assert view.author("Ada Lovelace") is None  # nobody the library knows


def test_an_author_like_two_people_prefers_the_spelling_the_alias_check_would_suggest() -> None:
    notes = [parse("### [X 2020] A\n_Kaiming He1_\n\n### [X 2020] B\n_Kaiming He_\n\n### [X 2020] C\n_Kaiming He_\n", "a.md")]
    respelled = LibraryView(notes).author("Kaiming HE")
    assert respelled is not None and respelled.written == "Kaiming He"


def test_venues_are_written_as_the_library_spells_them(tmp_path: Path) -> None:
    aliases, _ = Aliases.from_yaml("tags:\n  NeurIPS: [NIPS]\nvenues: [Nature Methods]\n", "aliases.yml")
    view = LibraryView([parse("### [TPAMI 2019] A\n### [TPAMI 2020] B\n### [IEEE TPAMI 2021] C\n### [Neurips 2020] D\n"
                              "### [NeurIPS 2021] E\n### [NeurIPS 2022] F\n", "a.md")], aliases)
    assert view.venue("IEEE TPAMI") == "TPAMI"  # with or without a publisher's name: the most used
    assert view.venue("NIPS") == view.venue("neurips") == "NeurIPS"
    assert view.venue("ICLR") == "ICLR"  # unknown: as given
    known = {k.written: (k.venue, k.any_case) for k in view.known_venues()}
    assert known["nips"] == ("NeurIPS", True) and known["Nature Methods"] == ("Nature Methods", False)


@pytest.mark.parametrize(("text", "venues"), [
    ("Accepted to CVPR 2024", [VenueTag("CVPR", 2024)]),
    ("accepted at cvpr'22 (oral)", [VenueTag("CVPR", 2022)]),
    ("Submitted to NeurIPS 2023; accepted to ICLR 2024", [VenueTag("ICLR", 2024)]),
    ("Under review at CVPR", []),
    ("The nature of attention", []),  # a word-like venue only as written
    ("Published in Nature 2023", [VenueTag("Nature", 2023)]),
    ("NeurIPS 2023 Datasets and Benchmarks Track", [VenueTag("NeurIPS", 2023)]),
])
def test_known_venues_named_in_a_comment(text: str, venues: list[VenueTag]) -> None:
    assert list(known_mentions(text, {"CVPR": "CVPR", "NeurIPS": "NeurIPS", "ICLR": "ICLR", "Nature": "Nature"})) == venues


@pytest.mark.parametrize(("text", "venue"), [
    ("2016 IEEE Conference on Computer Vision and Pattern Recognition (CVPR)", VenueTag("CVPR", 2016)),
    ("2023 IEEE/CVF Conference on Computer Vision and Pattern Recognition Workshops (CVPRW)", VenueTag("CVPR", 2023, "Workshops")),
    ("Proceedings of the IEEE conference on computer vision and pattern recognition", VenueTag("CVPR")),
    ("Advances in neural information processing systems", VenueTag("NeurIPS")),
    ("IEEE Transactions on Pattern Analysis and Machine Intelligence", VenueTag("TPAMI")),
    ("Computer Vision – ECCV 2020", VenueTag("ECCV", 2020)),
    ("2019 International Conference on 3D Vision (3DV)", VenueTag("3DV", 2019)),
    ("Nature", VenueTag("Nature")),
    ("Proceedings of the 2019 Conference of the North", None),
    ("Lecture Notes in Computer Science", None),
])
def test_publisher_venue_texts_shortened(text: str, venue: VenueTag | None) -> None:
    assert shorten(text) == venue


# -- duplicates --------------------------------------------------------------------------------

DUPLICATED = {
    "a.md": "# A\n\n### [Meta AI] Segment Anything [[pdf]](https://arxiv.org/abs/2304.02643)\n_Alexander Kirillov_\n",
    "b.md": "# B\n\n## Old\n\n### SAM again [[arxiv]](https://arxiv.org/pdf/2304.02643v2.pdf)\n_A. Kirillov_\n\n"
            "### [CVPR 2016] Deep residual learning for image recognition\n_Kaiming He_\n",
    "c.md": "# C\n\n### [Nature 2015] Deep learning [[doi]](https://doi.org/10.1038/NATURE14539)\n_Yann LeCun_\n",
}


@pytest.mark.parametrize(("ident", "lines"), [
    ("2304.02643v1", ["papernotes add: arXiv:2304.02643v1: 'Segment Anything' is already in the library; not added "
                      "(--force adds it anyway):",
                      "docs/a.md:3: same arXiv id 2304.02643 and title", "docs/b.md:5: same arXiv id 2304.02643"]),
    # The library's lower-case title (as Google Scholar writes it) is the same title key.
    ("https://doi.org/10.1109/CVPR.2016.90", ["papernotes add: DOI 10.1109/CVPR.2016.90: 'Deep Residual Learning for Image "
                                              "Recognition' is already in the library; not added (--force adds it anyway):",
                                              "docs/b.md:8: same title"]),
    ("10.1038/nature14539", ["papernotes add: DOI 10.1038/nature14539: 'Deep learning' is already in the library; not added "
                             "(--force adds it anyway):", "docs/c.md:3: same DOI 10.1038/nature14539 and title"]),
])
def test_a_paper_the_library_holds_is_refused_with_every_location_and_nothing_is_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], ident: str, lines: list[str]) -> None:
    root = library_at(tmp_path, monkeypatch, dict(DUPLICATED))
    before = {p.name: p.read_bytes() for p in (root / "docs").iterdir()}
    assert add([ident, "--note", "docs/a.md"]) == 1
    assert capsys.readouterr().err.splitlines() == lines
    assert {p.name: p.read_bytes() for p in (root / "docs").iterdir()} == before


def test_force_adds_a_paper_the_library_holds_and_says_where_else_it_is(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    root = library_at(tmp_path, monkeypatch, dict(DUPLICATED))
    assert add(["2304.02643v1", "--note", "docs/c.md", "--force"]) == 0
    err = capsys.readouterr().err
    assert "papernotes add: arXiv:2304.02643v1: added although docs/a.md:3 holds it too (same arXiv id 2304.02643 and title; --force)" in err
    titles = [e.title for e in parse((root / "docs" / "c.md").read_text(encoding="utf-8")).entries]
    assert titles == ["Deep learning", "Segment Anything"]


def test_the_same_paper_twice_in_one_run_is_added_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    root = library_at(tmp_path, monkeypatch, {"a.md": "# A\n"})
    assert add(["2006.11239v2", "https://arxiv.org/abs/2006.11239v2", "--note", "docs/a.md"]) == 1
    assert [e.title for e in parse((root / "docs" / "a.md").read_text(encoding="utf-8")).entries] == [
        "Denoising Diffusion Probabilistic Models"]
    assert capsys.readouterr().err.splitlines() == [
        "papernotes add: arXiv:2006.11239v2: 'Denoising Diffusion Probabilistic Models' is already in the library; not added "
        "(--force adds it anyway):",
        "arXiv:2006.11239v2, earlier in this command: same arXiv id 2006.11239 and title",
        "docs/a.md:3: added 'Denoising Diffusion Probabilistic Models'"]


def test_holders_lists_each_place_once_in_path_order() -> None:
    docs = [parse(DUPLICATED[name], name) for name in sorted(DUPLICATED)]
    view = LibraryView(docs, display={"a.md": "docs/a.md", "b.md": "docs/b.md"})
    paper = Paper("x", "Segment anything", (), 2023, arxiv_id="2304.02643")
    found = view.holders([f"https://arxiv.org/abs/{paper.arxiv_id}"], paper.title)
    assert found == [(Location("docs/a.md", 3), "arXiv id 2304.02643 and title"), (Location("docs/b.md", 5), "arXiv id 2304.02643")]


# -- errors: one line, exit 2, nothing written ---------------------------------------------------

ERRORS = {
    "offline": ("2006.11239v2", {arxiv_url("2006.11239v2"): OFFLINE},
                "arXiv:2006.11239v2: cannot reach export.arxiv.org (Temporary failure in name resolution); "
                "check the network connection and try again"),
    "timeout": ("2006.11239v2", {arxiv_url("2006.11239v2"): SLOW},
                "arXiv:2006.11239v2: export.arxiv.org did not answer within 10 s; try again later"),
    "not found (arXiv)": ("2401.99999", {}, "arXiv:2401.99999: arXiv has no paper with this id; check the id "
                                           "(https://arxiv.org/abs/2401.99999)"),
    "not found (Crossref)": ("10.1109/CVPR.2016.999999", {}, "DOI 10.1109/CVPR.2016.999999: Crossref does not know this DOI "
                             "(HTTP 404); check it at https://doi.org/10.1109/CVPR.2016.999999, or add the paper by hand"),
    "rate limited": ("10.1109/CVPR.2016.90", {crossref_url("10.1109/CVPR.2016.90"): Response(429, b"", {"retry-after": "60"})},
                     "DOI 10.1109/CVPR.2016.90: Crossref is limiting requests (HTTP 429); wait 60 s and try again"),
    "malformed": ("2006.11239v2", {arxiv_url("2006.11239v2"): Response(200, b"<feed")},
                  "arXiv:2006.11239v2: arXiv's answer is not the Atom feed its API documents (unclosed token: line 1, column 0); "
                  "try again later, or add the paper by hand"),
    "bad id": ("Segment Anything", {}, "'Segment Anything' is neither an arXiv id or URL (2304.02643, arXiv:2304.02643v2, "
               "https://arxiv.org/abs/2304.02643) or a DOI (10.1109/CVPR.2016.90, https://doi.org/10.1109/CVPR.2016.90)"),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_each_error_is_one_line_exit_2_and_nothing_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str], case: str) -> None:
    root = library_at(tmp_path, monkeypatch, {"a.md": "# A\r\n\r\n## S\r\n\r\n### [X 2020] Kept [[pdf]](https://example.com/k)\r\n"})
    before = (root / "docs" / "a.md").read_bytes()
    ident, answers, message = ERRORS[case]
    # The first paper is fine: an error in a later one still leaves everything as it was.
    assert add(["1512.03385v1", ident, "--note", "docs/a.md", "--section", "S"], Replay(answers)) == 2
    captured = capsys.readouterr()
    assert captured.err == f"papernotes add: error: {message}\n"
    assert captured.out == ""
    assert (root / "docs" / "a.md").read_bytes() == before
    assert sorted(p.name for p in (root / "docs").iterdir()) == ["a.md"]  # no temporary file left either
