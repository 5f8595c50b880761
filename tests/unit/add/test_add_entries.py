"""`papernotes add` on every recorded arXiv and Crossref answer: the entry written, field by field, and the
note's check after it. The expected fields are written by hand from the papers' facts, not from the code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from papernotes.add.entries import Draft, EntryError, code_url, draft
from papernotes.add.paper import Paper
from papernotes.add.reconcile import LibraryView
from papernotes.cli.add import Clients, cmd_add
from papernotes.cli.main import build_parser
from papernotes.index.library import Aliases
from papernotes.notes.grammar import parse
from support.addkit import ALIASES, GENERATION, Replay, add, make_library, problems


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_library(tmp_path / "library")
    monkeypatch.chdir(root)
    return root


@dataclass(frozen=True)
class Expected:
    title: str
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    links: tuple[tuple[str, str], ...]


def arxiv(ident: str, code: str | None = None) -> tuple[tuple[str, str], ...]:
    return (("pdf", f"https://arxiv.org/abs/{ident}"),) + ((("code", code),) if code else ())


def doi(value: str) -> tuple[tuple[str, str], ...]:
    return (("pdf", f"https://doi.org/{value}"),)


PALM_AUTHORS = (
    "Aakanksha Chowdhery", "Sharan Narang", "Jacob Devlin", "Maarten Bosma", "Gaurav Mishra", "Adam Roberts", "Paul Barham",
    "Hyung Won Chung", "Charles Sutton", "Sebastian Gehrmann", "Parker Schuh", "Kensen Shi", "Sasha Tsvyashchenko",
    "Joshua Maynez", "Abhishek Rao", "Parker Barnes", "Yi Tay", "Noam Shazeer", "Vinodkumar Prabhakaran", "Emily Reif",
    "Nan Du", "Ben Hutchinson", "Reiner Pope", "James Bradbury", "Jacob Austin", "Michael Isard", "Guy Gur-Ari",
    "Pengcheng Yin", "Toju Duke", "Anselm Levskaya", "Sanjay Ghemawat", "Sunipa Dev", "Henryk Michalewski", "Xavier Garcia",
    "Vedant Misra", "Kevin Robinson", "Liam Fedus", "Denny Zhou", "Daphne Ippolito", "David Luan", "Hyeontaek Lim",
    "Barret Zoph", "Alexander Spiridonov", "Ryan Sepassi", "David Dohan", "Shivani Agrawal", "Mark Omernick", "Andrew M. Dai",
    "Thanumalayan Sankaranarayana Pillai", "Marie Pellat", "Aitor Lewkowycz", "Erica Moreira", "Rewon Child",
    "Oleksandr Polozov", "Katherine Lee", "Zongwei Zhou", "Xuezhi Wang", "Brennan Saeta", "Mark Diaz", "Orhan Firat",
    "Michele Catasta", "Jason Wei", "Kathy Meier-Hellstern", "Douglas Eck", "Jeff Dean", "Slav Petrov", "Noah Fiedel")

# The id as a user types it -> the entry `papernotes add` must write, in the library above.
CASES = {
    # No journal reference, a comment without a venue: [arXiv year of v1]. Asked by URL: the latest version (v7).
    "https://arxiv.org/abs/1706.03762": Expected(
        "Attention Is All You Need", ("arXiv 2017",),
        ("Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit", "Llion Jones", "Aidan N. Gomez", "Lukasz Kaiser",
         "Illia Polosukhin"), arxiv("1706.03762")),
    # "Accepted to CVPR 2023." in the comment, CVPR known to the library; the title wraps in the feed.
    "arXiv:2208.12242v2": Expected(
        "DreamBooth: Fine Tuning Text-to-Image Diffusion Models for Subject-Driven Generation", ("CVPR 2023",),
        ("Nataniel Ruiz", "Yuanzhen Li", "Varun Jampani", "Yael Pritch", "Michael Rubinstein", "Kfir Aberman"),
        arxiv("2208.12242")),
    # "Tech report": no venue.
    "1512.03385v1": Expected(
        "Deep Residual Learning for Image Recognition", ("arXiv 2015",), ("Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun"),
        arxiv("1512.03385")),
    # The abstract names the code repository.
    "https://arxiv.org/pdf/2006.11239v2": Expected(
        "Denoising Diffusion Probabilistic Models", ("arXiv 2020",), ("Jonathan Ho", "Ajay Jain", "Pieter Abbeel"),
        arxiv("2006.11239", "https://github.com/hojonathanho/diffusion")),
    # Comment "CVPR 2022"; code in the abstract, followed by " ."; a non-ASCII name.
    "2112.10752v2": Expected(
        "High-Resolution Image Synthesis with Latent Diffusion Models", ("CVPR 2022",),
        ("Robin Rombach", "Andreas Blattmann", "Dominik Lorenz", "Patrick Esser", "Björn Ommer"),
        arxiv("2112.10752", "https://github.com/CompVis/latent-diffusion")),
    # The service's newer feed layout (namespaces on the root, https ids).
    "https://arxiv.org/abs/2311.15127v1": Expected(
        "Stable Video Diffusion: Scaling Latent Video Diffusion Models to Large Datasets", ("arXiv 2023",),
        ("Andreas Blattmann", "Tim Dockhorn", "Sumith Kulal", "Daniel Mendelevitch", "Maciej Kilian", "Dominik Lorenz", "Yam Levi",
         "Zion English", "Vikram Voleti", "Adam Letts", "Varun Jampani", "Robin Rombach"), arxiv("2311.15127")),
    # Journal reference "... (NIPS 2014)": NIPS is NeurIPS through aliases.yml, a venue of the library.
    "1406.2661v1": Expected(
        "Generative Adversarial Networks", ("NeurIPS 2014",),
        ("Ian J. Goodfellow", "Jean Pouget-Abadie", "Mehdi Mirza", "Bing Xu", "David Warde-Farley", "Sherjil Ozair", "Aaron Courville",
         "Yoshua Bengio"), arxiv("1406.2661")),
    # Version 3 asked for; its comment names versions, not a venue.
    "arXiv:2111.06377v3": Expected(
        "Masked Autoencoders Are Scalable Vision Learners", ("arXiv 2021",),
        ("Kaiming He", "Xinlei Chen", "Saining Xie", "Yanghao Li", "Piotr Dollár", "Ross Girshick"), arxiv("2111.06377")),
    # "CVPR'17 Spotlight": a two-digit year; "Nießner".
    "1702.04405v2": Expected(
        "ScanNet: Richly-annotated 3D Reconstructions of Indoor Scenes", ("CVPR 2017",),
        ("Angela Dai", "Angel X. Chang", "Manolis Savva", "Maciej Halber", "Thomas Funkhouser", "Matthias Nießner"),
        arxiv("1702.04405")),
    # 67 authors.
    "2204.02311v1": Expected("PaLM: Scaling Language Modeling with Pathways", ("arXiv 2022",), PALM_AUTHORS, arxiv("2204.02311")),
    # Crossref: a proceedings paper with an event.
    "10.1109/CVPR.2016.90": Expected(
        "Deep Residual Learning for Image Recognition", ("CVPR 2016",), ("Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun"),
        doi("10.1109/CVPR.2016.90")),
    # A journal article in Nature.
    "https://doi.org/10.1038/nature14539": Expected(
        "Deep learning", ("Nature 2015",), ("Yann LeCun", "Yoshua Bengio", "Geoffrey Hinton"), doi("10.1038/nature14539")),
    # A journal's long name shortened; the print year (2017), not the online one (2016).
    "doi:10.1109/TPAMI.2016.2577031": Expected(
        "Faster R-CNN: Towards Real-Time Object Detection with Region Proposal Networks", ("TPAMI 2017",),
        ("Shaoqing Ren", "Kaiming He", "Ross Girshick", "Jian Sun"), doi("10.1109/TPAMI.2016.2577031")),
    # ACM TOG; "Müller".
    "10.1145/3528223.3530127": Expected(
        "Instant neural graphics primitives with a multiresolution hash encoding", ("TOG 2022",),
        ("Thomas Müller", "Alex Evans", "Christoph Schied", "Alexander Keller"), doi("10.1145/3528223.3530127")),
    # A Springer book chapter: the event's acronym, not the series.
    "https://doi.org/10.1007/978-3-030-58452-8_24": Expected(
        "NeRF: Representing Scenes as Neural Radiance Fields for View Synthesis", ("ECCV 2020",),
        ("Ben Mildenhall", "Pratul P. Srinivasan", "Matthew Tancik", "Jonathan T. Barron", "Ravi Ramamoorthi", "Ren Ng"),
        doi("10.1007/978-3-030-58452-8_24")),
    "10.1109/ICCV48922.2021.00986": Expected(
        "Swin Transformer: Hierarchical Vision Transformer using Shifted Windows", ("ICCV 2021",),
        ("Ze Liu", "Yutong Lin", "Yue Cao", "Han Hu", "Yixuan Wei", "Zheng Zhang", "Stephen Lin", "Baining Guo"),
        doi("10.1109/ICCV48922.2021.00986")),
    # Crossref's proceedings title is cut short ("... of the North"): no venue to read, the year alone.
    "10.18653/v1/N19-1423": Expected(
        "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding", ("2019",),
        ("Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova"), doi("10.18653/v1/N19-1423")),
    # "Y. Lecun" is the library's "Yann LeCun" (initials and case); the journal is "Proceedings of the IEEE".
    "10.1109/5.726791": Expected(
        "Gradient-based learning applied to document recognition", ("Proc. IEEE 1998",),
        ("Yann LeCun", "L. Bottou", "Y. Bengio", "P. Haffner"), doi("10.1109/5.726791")),
    "10.1162/neco.1997.9.8.1735": Expected(
        "Long Short-Term Memory", ("Neural Computation 1997",), ("Sepp Hochreiter", "Jürgen Schmidhuber"),
        doi("10.1162/neco.1997.9.8.1735")),
    "10.1007/978-3-319-24574-4_28": Expected(
        "U-Net: Convolutional Networks for Biomedical Image Segmentation", ("MICCAI 2015",),
        ("Olaf Ronneberger", "Philipp Fischer", "Thomas Brox"), doi("10.1007/978-3-319-24574-4_28")),
    "10.1145/3422622": Expected(
        "Generative adversarial networks", ("CACM 2020",),
        ("Ian Goodfellow", "Jean Pouget-Abadie", "Mehdi Mirza", "Bing Xu", "David Warde-Farley", "Sherjil Ozair", "Aaron Courville",
         "Yoshua Bengio"), doi("10.1145/3422622")),
}


@pytest.mark.parametrize("ident", list(CASES))
def test_every_recorded_response_writes_the_expected_entry_and_the_note_passes_check(library: Path, ident: str,
                                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert problems(library) == []
    assert add([ident, "--note", "docs/generation.md", "--section", "Added"]) == 0, capsys.readouterr().err
    doc = parse((library / "docs" / "generation.md").read_text(encoding="utf-8"), "generation.md")
    [entry] = [e for e in doc.entries if e.section == "Added"]
    written = Expected(entry.title, entry.tags, entry.authors, tuple((link.label, link.url) for link in entry.links))
    assert written == CASES[ident]
    assert problems(library) == []


def test_without_note_the_entry_is_printed_and_no_file_changes(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = {p: p.read_bytes() for p in (library / "docs").iterdir()}
    assert add(["2112.10752v2", "--priority", "2", "--tag", "meta ai", "--tag", "Stability AI", "--topic", "diffusion"]) == 0
    out = capsys.readouterr().out
    # `meta ai` is written as the library writes it, [Meta AI].
    assert out == ("### [!!] [CVPR 2022] [Meta AI] [Stability AI] High-Resolution Image Synthesis with Latent Diffusion Models "
                   "[[pdf]](https://arxiv.org/abs/2112.10752) [[code]](https://github.com/CompVis/latent-diffusion)\n"
                   "_Robin Rombach, Andreas Blattmann, Dominik Lorenz, Patrick Esser, Björn Ommer_\n"
                   "Tags: #diffusion\n")
    assert {p: p.read_bytes() for p in (library / "docs").iterdir()} == before


def test_several_ids_are_one_entry_each_and_arxiv_is_asked_once_every_three_seconds(library: Path) -> None:
    now = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    transport = Replay()
    args = build_parser().parse_args(["add", "1512.03385v1", "10.1109/ICCV48922.2021.00986", "2112.10752v2", "2006.11239v2",
                                      "--note", "docs/generation.md"])
    assert cmd_add(args, Clients(transport, clock=lambda: now[0], sleep=sleep)) == 0
    assert [url.split("?")[-1] if "arxiv" in url else url.rsplit("/", 1)[-1] for url, _ in transport.asked] == [
        "id_list=1512.03385v1&max_results=1", "10.1109%2FICCV48922.2021.00986", "id_list=2112.10752v2&max_results=1",
        "id_list=2006.11239v2&max_results=1"]
    assert waits == [3.0, 3.0]  # between arXiv's requests only; the clock did not move otherwise
    assert {timeout for _, timeout in transport.asked} == {10.0}
    doc = parse((library / "docs" / "generation.md").read_text(encoding="utf-8"))
    assert [e.title for e in doc.entries][-4:] == [
        "Deep Residual Learning for Image Recognition", "Swin Transformer: Hierarchical Vision Transformer using Shifted Windows",
        "High-Resolution Image Synthesis with Latent Diffusion Models", "Denoising Diffusion Probabilistic Models"]
    assert problems(library) == []


# -- the rules, case by case -------------------------------------------------------------------

def entry_for(paper: Paper, notes: dict[str, str] | None = None) -> Draft:
    documents = [parse(text, name) for name, text in (notes or {"generation.md": GENERATION}).items()]
    aliases, _ = Aliases.from_yaml(ALIASES, "aliases.yml")
    return draft(paper, LibraryView(documents, aliases))


def preprint(**fields: object) -> Paper:
    base: dict[str, object] = {"source": "arXiv:2401.00001v1", "title": "A Title", "authors": ("Ada Lovelace",), "year": 2024,
                               "arxiv_id": "2401.00001", "url": "https://arxiv.org/abs/2401.00001", "venue_rule": "known",
                               "preprint": True, "update_year": 2024}
    return Paper(**{**base, **fields})  # type: ignore[arg-type]


def test_a_venue_the_library_does_not_know_stays_arxiv_with_a_note() -> None:
    result = entry_for(preprint(venue_texts=("Accepted to 3DV 2025",)))
    assert result.tags == ("arXiv 2024",)
    assert result.notes == ["arXiv:2401.00001v1: '3DV 2025' is not a venue the library or aliases.yml knows: wrote [arXiv 2024]; "
                            "write [3DV 2025] instead if it is where the paper appeared"]


def test_a_known_venue_named_in_full_in_a_comment_and_a_comment_without_year() -> None:
    assert entry_for(preprint(venue_texts=("To appear in the IEEE Conference on Computer Vision and Pattern Recognition 2024",))).tags == (
        "CVPR 2024",)
    assert entry_for(preprint(venue_texts=("Accepted to NeurIPS",), update_year=2025)).tags == ("NeurIPS 2025",)  # the version's year


def test_crossref_venue_that_cannot_be_read_gives_the_year_and_a_note() -> None:
    paper = Paper("DOI 10.18653/v1/N19-1423", "BERT", ("Jacob Devlin",), 2019, doi="10.18653/v1/N19-1423",
                  venue_texts=("Proceedings of the 2019 Conference of the North",))
    result = entry_for(paper)
    assert result.tags == ("2019",)
    assert result.notes == ["DOI 10.18653/v1/N19-1423: no venue could be read from 'Proceedings of the 2019 Conference of the North': "
                            "wrote the year alone; add the venue's tag by hand"]


def test_fields_the_grammar_cannot_hold_are_made_writable_and_said() -> None:
    result = entry_for(preprint(title="[Re] Reproducing Attention #", authors=("Smith, Jr.", "Barnes and Noble", "Ada Lovelace")))
    assert result.title == "(Re) Reproducing Attention"
    assert result.authors == ("Smith Jr.", "Barnes Noble", "Ada Lovelace")
    assert result.notes == [
        "arXiv:2401.00001v1: the title's square brackets are written as parentheses (the grammar reads [...] as a tag)",
        "arXiv:2401.00001v1: author 'Smith, Jr.' written 'Smith Jr.' (a comma, '&' or 'and' would split the name)",
        "arXiv:2401.00001v1: author 'Barnes and Noble' written 'Barnes Noble' (a comma, '&' or 'and' would split the name)"]
    assert entry_for(preprint(title="Learning C#")).title == "Learning C#"  # a `#` inside a word is the title's


def test_an_entry_that_would_not_read_back_is_refused() -> None:
    with pytest.raises(EntryError, match=r"^arXiv:2401\.00001v1: the entry would not read back as written .*; add it by hand$"):
        entry_for(preprint(authors=("Ada Lovelace", "snake_case_")))


@pytest.mark.parametrize(("text", "url"), [
    ("Code: https://github.com/CompVis/latent-diffusion.git.", "https://github.com/CompVis/latent-diffusion"),
    ("see (https://gitlab.com/group/project), thanks", "https://gitlab.com/group/project"),
    ("https://github.com/orgs/openai/people and https://github.com/openai/CLIP", "https://github.com/openai/CLIP"),
    ("Project page: https://dreambooth.github.io/", None),
])
def test_code_repository_named_in_the_abstract_or_comment(text: str, url: str | None) -> None:
    assert code_url(text) == url
