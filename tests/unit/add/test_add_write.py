"""Writing into a note: the diff is the inserted lines only (bytes compared), in the right place, and the note's
check has no new problem."""

from __future__ import annotations

import difflib
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from papernotes.add.writer import PlacementError, insert_entry
from papernotes.notes.grammar import parse
from papernotes.notes.model import Diagnostic
from support.addkit import add, make_library, problems
from support.paths import REPO, SEED

ENTRY = "### [CVPR 2016] Deep Residual Learning [[pdf]](https://doi.org/10.1109/CVPR.2016.90)\n_Kaiming He, Xiangyu Zhang_\n"


def inserted(before: bytes, after: bytes) -> list[bytes]:
    """The lines `after` adds to `before`; fails when anything else changed.

    One change besides is allowed, and only there: a note without a final newline gets one when
    the entry goes after its last line (the seed note ends so)."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    if old and not old[-1].endswith(b"\n") and old[-1] + b"\n" in new:
        old[-1] += b"\n"
    added = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        assert op in ("equal", "insert"), (op, old[i1:i2], new[j1:j2])
        added += new[j1:j2] if op == "insert" else []
    return added


def same_problems(before: list[Diagnostic], after: list[Diagnostic], new_lines: range) -> None:
    """No new problem: the same rules and messages (line numbers aside: lines after the entry moved), none in the entry."""
    def key(d: Diagnostic) -> tuple[str, str, str, str]:
        return d.path, d.severity, d.code, re.sub(r"\d+", "N", d.message)

    assert Counter(map(key, after)) == Counter(map(key, before))
    assert not [d for d in after if d.line in new_lines]


def seed_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_library(tmp_path / "library", {"blog_generative_models.md": SEED.read_text(encoding="utf-8")},
                        aliases=(REPO / "aliases.yml").read_text(encoding="utf-8"))
    shutil.copytree(REPO / "assets", root / "assets")
    monkeypatch.chdir(root)
    return root


def test_seed_note_gets_the_entry_after_its_sections_last_entry_and_nothing_else_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    root = seed_library(tmp_path, monkeypatch)
    note = root / "docs" / "blog_generative_models.md"
    before, checked = note.read_bytes(), problems(root)
    last = parse(before.decode())
    fundation = [e for e in last.entries if e.section == "Fundation Models"][-1]
    assert add(["2006.11239v2", "--note", "docs/blog_generative_models.md", "--section", "fundation models"]) == 0
    added = inserted(before, note.read_bytes())
    assert added == [b"\n", b"### [arXiv 2020] Denoising Diffusion Probabilistic Models [[pdf]](https://arxiv.org/abs/2006.11239) "
                            b"[[code]](https://github.com/hojonathanho/diffusion)\n", b"_Jonathan Ho, Ajay Jain, Pieter Abbeel_\n"]
    entry = next(e for e in parse(note.read_text(encoding="utf-8")).entries if e.title == "Denoising Diffusion Probabilistic Models")
    assert entry.section == "Fundation Models" and entry.line == fundation.end_line + 2
    assert capsys.readouterr().err == (f"docs/blog_generative_models.md:{entry.line}: added 'Denoising Diffusion Probabilistic Models' "
                                       "under 'fundation models'\n")
    same_problems(checked, problems(root), range(entry.line, entry.line + 2))


def test_a_new_section_goes_at_the_end_and_into_the_hand_kept_contents_list(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = seed_library(tmp_path, monkeypatch)
    note = root / "docs" / "blog_generative_models.md"
    before, checked = note.read_bytes(), problems(root)
    assert any(d.code == "stale-contents" for d in checked)  # the seed's list already misses a section
    assert add(["1512.03385v1", "--note", "docs/blog_generative_models.md", "--section", "Backbones"]) == 0
    added = inserted(before, note.read_bytes())
    assert added[0] == b" - [Backbones](#backbones)\n"  # shaped like the list's other items
    assert added[1:] == [b"\n", b"## Backbones\n", b"\n",
                         b"### [arXiv 2015] Deep Residual Learning for Image Recognition [[pdf]](https://arxiv.org/abs/1512.03385)\n",
                         b"_Kaiming He, Xiangyu Zhang, Shaoqing Ren, Jian Sun_\n"]
    same_problems(checked, problems(root), range(len(before.splitlines()) + 2, len(before.splitlines()) + 8))


@pytest.mark.parametrize(("text", "section", "expected"), [
    # CRLF and a byte-order mark kept; the entry's lines written with CRLF.
    ("\ufeff# T\r\n\r\n## A\r\n\r\n### [X 2020] One\r\n_A B_\r\n\r\n---\r\n## B\r\n", "A",
     "\ufeff# T\r\n\r\n## A\r\n\r\n### [X 2020] One\r\n_A B_\r\n\r\n" + ENTRY.replace("\n", "\r\n") + "\r\n---\r\n## B\r\n"),
    # No final newline: the last line gets one, so the entry has a line of its own.
    ("# T\n\n## A\n### [X 2020] One\n- note", "A", "# T\n\n## A\n### [X 2020] One\n- note\n\n" + ENTRY),
    # Front matter: nothing goes inside it.
    ("---\npapernotes:\n  contents: false\n---\n", None, "---\npapernotes:\n  contents: false\n---\n\n" + ENTRY),
    # An ordinary `### Advantages` heading and its notes stay with the entry above.
    ("# T\n\n## A\n\n### [X 2020] One\n\n### Advantages\n- fast\n## B\n", "## A",
     "# T\n\n## A\n\n### [X 2020] One\n\n### Advantages\n- fast\n\n" + ENTRY + "\n## B\n"),
    # A numbered contents list gets the next number.
    ("# T\n\n## Contents\n1. [A](#a)\n\n## A\n", "B", "# T\n\n## Contents\n1. [A](#a)\n2. [B](#b)\n\n## A\n\n## B\n\n" + ENTRY),
    # An empty note.
    ("", "S", "## S\n\n" + ENTRY),
])
def test_insertion_keeps_every_other_byte(text: str, section: str | None, expected: str) -> None:
    result = insert_entry(text, ENTRY, section)
    assert result.text == expected
    assert parse(result.text).entries[-1].line == result.line


def test_a_section_inside_an_unclosed_code_block_is_not_written_into() -> None:
    with pytest.raises(PlacementError, match=r"could not place the entry at section 'S' \(an unclosed code block\?\); add it by hand"):
        insert_entry("# T\n\n```\n## S\n", ENTRY, "S")


def test_a_missing_note_is_created_with_a_title(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    root = make_library(tmp_path / "library", {"a.md": "# A\n"})
    monkeypatch.chdir(root)
    assert add(["10.1109/ICCV48922.2021.00986", "--note", "docs/vision_transformers.md", "--section", "Backbones"]) == 0
    assert (root / "docs" / "vision_transformers.md").read_text(encoding="utf-8") == (
        "# Vision transformers\n\n## Backbones\n\n### [ICCV 2021] Swin Transformer: Hierarchical Vision Transformer using Shifted "
        "Windows [[pdf]](https://doi.org/10.1109/ICCV48922.2021.00986)\n"
        "_Ze Liu, Yutong Lin, Yue Cao, Han Hu, Yixuan Wei, Zheng Zhang, Stephen Lin, Baining Guo_\n")
    assert capsys.readouterr().err.splitlines() == [
        "papernotes add: created docs/vision_transformers.md",
        "docs/vision_transformers.md:5: added 'Swin Transformer: Hierarchical Vision Transformer using Shifted Windows' "
        "in a new section 'Backbones'"]
    assert problems(root) == []


@pytest.mark.parametrize(("argv", "message"), [
    (["2006.11239v2", "--note", "docs/missing/x.md"], "docs/missing/x.md: the folder docs/missing does not exist"),
    (["2006.11239v2", "--note", "docs/x.txt"], "docs/x.txt: a note is a .md file"),
    (["2006.11239v2", "--note", "docs/latin1.md"], "docs/latin1.md: not valid UTF-8; save the note as UTF-8"),
    (["2006.11239v2", "--note", "docs/folder.md"], "docs/folder.md: a folder, not a note"),
    (["2006.11239v2", "--note", "docs/code.md", "--section", "S"],
     "could not place the entry at section 'S' (an unclosed code block?); add it by hand"),
    (["2006.11239v2", "--section", "S"], "--section needs --note: the note to add the section's entry to"),
    ([], "give an arXiv id or a DOI (or several), or --bib FILE"),
    (["2006.11239v2", "--tag", "[x]"], "--tag '[x]': a tag is text without square brackets, e.g. --tag 'Google Research'"),
    (["2006.11239v2", "--topic", "two words"], "--topic 'two words': a topic is one word of letters, digits, '_', '-', '.' or '+', "
                                              "e.g. --topic diffusion"),
])
def test_a_note_or_option_that_cannot_be_used_is_one_line_and_nothing_is_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    root = make_library(tmp_path / "library", {"code.md": "# C\n\n```\n## S\n", "latin1.md": "# A\n"})
    (root / "docs" / "latin1.md").write_bytes("# Café\n".encode("latin-1"))
    (root / "docs" / "folder.md").mkdir()
    monkeypatch.chdir(root)
    before = {p.name: p.read_bytes() for p in (root / "docs").iterdir() if p.is_file()}
    assert add(argv) == 2
    assert capsys.readouterr().err == f"papernotes add: error: {message}\n"
    assert {p.name: p.read_bytes() for p in (root / "docs").iterdir() if p.is_file()} == before


def test_without_a_site_a_note_anywhere_is_written_and_a_broken_aliases_file_is_said(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert add(["1512.03385v1", "--note", "reading.md"]) == 0  # no mkdocs.yml, no docs/: an empty library
    assert (tmp_path / "reading.md").read_text(encoding="utf-8") == (
        "# Reading\n\n### [arXiv 2015] Deep Residual Learning for Image Recognition [[pdf]](https://arxiv.org/abs/1512.03385)\n"
        "_Kaiming He, Xiangyu Zhang, Shaoqing Ren, Jian Sun_\n")
    root = make_library(tmp_path / "library", {"a.md": "# A\n"}, aliases="authors: [unclosed\n")
    monkeypatch.chdir(root)
    capsys.readouterr()
    assert add(["1512.03385v1", "--note", "../outside.md"]) == 0  # a note outside docs/ is one too
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("papernotes add: note: aliases.yml:") and "not valid YAML" in err[0]
    assert err[0].endswith("(authors and tags are reconciled without it)")
    assert add(["1512.03385v1", "--note", "../outside.md"]) == 1  # and is seen: the paper is there now
    # Shown as `papernotes check` shows a path outside the current folder: absolute.
    assert f"{(tmp_path / 'outside.md').as_posix()}:3: same arXiv id 1512.03385 and title" in capsys.readouterr().err
