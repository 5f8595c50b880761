"""`papernotes add --bib FILE`: Zotero, Google Scholar and DBLP exports, one entry per record, LaTeX decoded,
authors reconciled, papers the library holds skipped and listed with their `path:line`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from papernotes.add.bib import read_bib
from papernotes.notes.grammar import parse
from support.addkit import FIXTURES, GENERATION, VISION, add, make_library, problems

SCENES = "# Scenes\n\n### [CVPR 2017] Matterport3D [[pdf]](https://arxiv.org/abs/1709.06158)\n_Angel Chang, Thomas Funkhouser_\n"


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_library(tmp_path / "library", {"vision.md": VISION, "generation.md": GENERATION, "scenes.md": SCENES})
    shutil.copytree(FIXTURES / "bib", root / "bib")
    monkeypatch.chdir(root)
    return root


def added(root: Path) -> list[tuple[str, tuple[str, ...], tuple[str, ...], tuple[tuple[str, str], ...]]]:
    doc = parse((root / "docs" / "reading.md").read_text(encoding="utf-8"))
    return [(e.title, e.tags, e.authors, tuple((link.label, link.url) for link in e.links)) for e in doc.entries]


def test_google_scholar_export(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert add(["--bib", "bib/scholar.bib", "--note", "docs/reading.md", "--section", "To read"]) == 1
    assert added(library) == [
        # The booktitle names the conference in full: CVPR through the table of long names.
        ("Deep residual learning for image recognition", ("CVPR 2016",), ("Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun"), ()),
        ("Instant neural graphics primitives with a multiresolution hash encoding", ("TOG 2022",),
         ("Thomas Müller", "Alex Evans", "Christoph Schied", "Alexander Keller"), ()),
        ("Generative adversarial nets", ("NeurIPS 2014",),
         ("Ian Goodfellow", "Jean Pouget-Abadie", "Mehdi Mirza", "Bing Xu", "David Warde-Farley", "Sherjil Ozair", "Aaron Courville",
          "Yoshua Bengio"), ()),
    ]
    err = capsys.readouterr().err.splitlines()
    assert err[:2] == ["papernotes add: bib/scholar.bib:9: 'Segment anything' is already in the library; not added "
                       "(--force adds it anyway):", "docs/vision.md:8: same arXiv id 2304.02643 and title"]
    assert problems(library) == []


def test_zotero_export(library: Path) -> None:
    assert add(["--bib", "bib/zotero.bib", "--note", "docs/reading.md"]) == 0
    assert added(library) == [
        ("High-Resolution Image Synthesis with Latent Diffusion Models", ("arXiv 2022",),
         ("Robin Rombach", "Andreas Blattmann", "Dominik Lorenz", "Patrick Esser", "Björn Ommer"),
         (("pdf", "https://arxiv.org/abs/2112.10752"),)),
        ("NeRF: Representing Scenes as Neural Radiance Fields for View Synthesis", ("ECCV 2020",),
         ("Ben Mildenhall", "Pratul P. Srinivasan", "Matthew Tancik", "Jonathan T. Barron", "Ravi Ramamoorthi", "Ren Ng"),
         (("pdf", "https://doi.org/10.1007/978-3-030-58452-8_24"),)),
        ("Deep learning", ("Nature 2015",), ("Yann LeCun", "Yoshua Bengio", "Geoffrey Hinton"), (("pdf", "https://doi.org/10.1038/nature14539"),)),
    ]
    assert problems(library) == []


def test_dblp_export_with_latex_accents_and_reconciled_authors(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert add(["--bib", "bib/dblp.bib", "--note", "docs/reading.md"]) == 1
    assert added(library) == [
        # DBLP's "Angel X. Chang" and "Thomas A. Funkhouser" are the library's "Angel Chang" and "Thomas Funkhouser".
        ("ScanNet: Richly-Annotated 3D Reconstructions of Indoor Scenes", ("CVPR 2017",),
         ("Angela Dai", "Angel Chang", "Manolis Savva", "Maciej Halber", "Thomas Funkhouser", "Matthias Nießner"),
         (("pdf", "https://doi.org/10.1109/CVPR.2017.261"),)),
        ("An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale", ("ICLR 2021",),
         ("Alexey Dosovitskiy", "Lucas Beyer", "Alexander Kolesnikov", "Dirk Weissenborn", "Xiaohua Zhai", "Thomas Unterthiner",
          "Mostafa Dehghani", "Matthias Minderer", "Georg Heigold", "Sylvain Gelly", "Jakob Uszkoreit", "Neil Houlsby"),
         (("pdf", "https://openreview.net/forum?id=YicbFdNTTy"),)),
    ]
    err = capsys.readouterr().err
    assert "bib/dblp.bib:21: 'Segment Anything' is already in the library" in err
    assert ("papernotes add: note: bib/dblp.bib:1: author 'Thomas A. Funkhouser' written 'Thomas Funkhouser' as the library "
            "writes it (docs/scenes.md:4): their given names differ only by initials") in err
    assert problems(library) == []


def test_latex_is_decoded_and_braces_protect_names() -> None:
    text = (FIXTURES / "bib" / "dblp.bib").read_text(encoding="utf-8")
    sam = read_bib(text, "dblp.bib").papers[1]
    assert sam.authors[4] == "Chloé Rolland" and sam.authors[9] == "Wan-Yen Lo" and sam.authors[10] == "Piotr Dollár"
    bib = (r"@article{k, title = {{NeRF} \& {GANs}: 50\% of {\"U}ber}, author = {{Google Research} and Smith, Jr., John and "
           r"Kaiming He 0001 and van den Oord, A{\"a}ron and others}, journal = {Nature}, year = {2023}}")
    [paper] = read_bib(bib, "x.bib").papers
    assert paper.title == "NeRF & GANs: 50% of Über"
    assert paper.authors == ("Google Research", "John Smith Jr.", "Kaiming He", "Aäron van den Oord")


def test_a_record_that_cannot_be_read_is_listed_and_the_others_are_added(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (library / "refs.bib").write_text(
        "@article{broken,\n  title = {Unclosed\n\n@misc{notitle, year = {2020}}\n\n"
        "@inproceedings{ok, title = {Swin Transformer}, author = {Liu, Ze}, booktitle = {ICCV}, year = {2021}}\n", encoding="utf-8")
    assert add(["--bib", "refs.bib", "--note", "docs/reading.md"]) == 1
    assert [e[:2] for e in added(library)] == [("Swin Transformer", ("ICCV 2021",))]
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("papernotes add: refs.bib:1: cannot read this record (") and err[0].endswith("): skipped")
    assert err[1] == "papernotes add: refs.bib:4: @misc{notitle, ...} has no title: skipped"


def test_a_bib_file_with_nothing_readable_or_missing_is_an_error(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (library / "empty.bib").write_text("@misc{notitle, year = {2020}}\n", encoding="utf-8")
    assert add(["--bib", "empty.bib", "--note", "docs/reading.md"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == "papernotes add: error: empty.bib: no record could be read; nothing added"
    assert add(["--bib", "nowhere.bib"]) == 2
    assert capsys.readouterr().err == "papernotes add: error: nowhere.bib: no such BibTeX file\n"
    assert not (library / "docs" / "reading.md").exists()
