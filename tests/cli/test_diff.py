"""`papernotes diff`: what a change does to the library, on a git repository made here commit by commit.

The history: a note of five papers (c0); the note split in two (c1: moves, not removals and
additions, and a problem whose line only shifted stays unreported); a paper retitled and raised
(c2); a paper removed and one added by a new author who looks like a known one (c3); the problem
fixed and the look-alike merged in aliases.yml (c4); then a note written and not committed.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import cmarkgfm
import pytest
from papernotes.changes.compare import KINDS, Changes, compare
from papernotes.changes.report import MAX_ITEMS, code, escape, to_markdown
from papernotes.changes.snapshot import take
from papernotes.changes.trees import GitRepo, WorkTree
from papernotes.cli.diff import settings
from papernotes.cli.main import main
from papernotes.cli.project import load_project
from support.commands import papernotes
from support.gitrepo import commit, git, write
from support.sites import write_site

SAM = "### [ICCV 2023] [Meta AI] Segment Anything [[pdf]](https://arxiv.org/abs/2304.02643)\n_Alexander Kirillov, Kaiming He_\n- masks\n"
SAM_RAISED = ("### [!!] [ICCV 2023] [Meta AI] SAM: Segment Anything Model [[pdf]](https://arxiv.org/abs/2304.02643)\n"
              "_Alexander Kirillov, Kaiming He_\n- masks\n")
CLIP = "### [ICML 2021] Learning Transferable Visual Models From Natural Language Supervision\n_Alec Radford_\n- CLIP\n"
LLAVA = "### [NeurIPS 2023] Visual Instruction Tuning [[pdf]](https://arxiv.org/abs/2304.08485)\n_Haotian Liu_\n"
SVD = "### [arXiv 2023] Stable Video Diffusion [[pdf]](https://arxiv.org/abs/2311.15127)\n_Andreas Blattmann_\n"
LDM_UNCLOSED = "### [CVPR 2022] High-Resolution Image Synthesis with Latent Diffusion Models\n_Robin Rombach\n"
LDM = "### [CVPR 2022] High-Resolution Image Synthesis with Latent Diffusion Models\n_Robin Rombach_\n"
MAE = ("### [CVPR 2022] [FAIR] Masked Autoencoders Are Scalable Vision Learners [[pdf]](https://arxiv.org/abs/2111.06377)\n"
       "_K. He, Xinlei Chen_\nTags: #self-supervised\n")
HOSTILE_TITLE = "<img src=https://evil.example/x.png> www.evil.example **bold** `tick` a@b.example @octocat | x |"
HOSTILE = f"### [arXiv 2024] {HOSTILE_TITLE} [[pdf]](https://arxiv.org/abs/2401.00001)\n_<script>alert(1)</script> Mallory_\n"

ALIASES = "tags:\n  NeurIPS: [NIPS]\n"
ALIASES_MERGED = ALIASES + "authors:\n  Kaiming He: [K. He]\n"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("diff") / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write_site(root, {"index.md": "# Home\n"}, plugin={"aliases": "aliases.yml"})
    (root / "aliases.yml").write_text(ALIASES, encoding="utf-8")
    docs = root / "docs"
    steps = [
        ({"vision.md": [SAM, CLIP, LLAVA, SVD, LDM_UNCLOSED]}, "five papers"),
        ({"vision.md": [SAM, CLIP, LDM_UNCLOSED], "video.md": [LLAVA, SVD]}, "split the note"),
        ({"vision.md": [SAM_RAISED, CLIP, LDM_UNCLOSED], "video.md": [LLAVA, SVD]}, "retitle and raise SAM"),
        ({"vision.md": [SAM_RAISED, LDM_UNCLOSED, MAE], "video.md": [LLAVA, SVD]}, "CLIP out, MAE in"),
        ({"vision.md": [SAM_RAISED, LDM, MAE], "video.md": [LLAVA, SVD]}, "fix the author line, merge K. He"),
    ]
    for n, (notes, message) in enumerate(steps):
        for name in ("vision.md", "video.md"):
            if name in notes:
                write(docs / name, *notes[name])
        if n == 4:
            (root / "aliases.yml").write_text(ALIASES_MERGED, encoding="utf-8")
        commit(root, f"2024-01-0{n + 1}T10:00:00+00:00", message)
        git(root, "tag", f"c{n}")
    write(docs / "we`ird.md", HOSTILE)  # not committed
    return root


def diff(repo: Path, *args: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(repo)
    assert main(["diff", *args]) == 0
    return capsys.readouterr().out


def diff_json(repo: Path, *args: str, **fixtures) -> dict:
    return json.loads(diff(repo, *args, "--format", "json", **fixtures))


def only(report: dict, **expected) -> None:
    """`report` has exactly these non-empty lists."""
    assert list(report) == list(KINDS)
    assert {kind: records for kind, records in report.items() if records} == expected


@pytest.fixture
def run(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    return lambda *args: diff_json(repo, *args, capsys=capsys, monkeypatch=monkeypatch)


def test_a_split_note_shows_moves_and_a_shifted_problem_stays_unreported(run) -> None:
    # The unclosed author line moved from line 18 to line 12 of vision.md: the same problem.
    only(run("c0", "c1"), moved=[
        {"title": "Visual Instruction Tuning", "location": "docs/video.md:3", "from": "docs/vision.md:11"},
        {"title": "Stable Video Diffusion", "location": "docs/video.md:6", "from": "docs/vision.md:14"},
    ])


def test_a_retitled_and_raised_paper_is_one_paper(run) -> None:
    record = {"title": "SAM: Segment Anything Model", "location": "docs/vision.md:3"}
    only(run("c1", "c2"), retitled=[{**record, "old_title": "Segment Anything"}],
         reprioritised=[{**record, "priority": 2, "old_priority": 0}])


def test_added_removed_new_authors_tags_and_problems(run) -> None:
    report = run("c2", "c3")
    only(report,
         added=[{"title": "Masked Autoencoders Are Scalable Vision Learners", "location": "docs/vision.md:10"}],
         removed=[{"title": "Learning Transferable Visual Models From Natural Language Supervision", "location": "docs/vision.md:7"}],
         new_authors=[
             {"name": "K. He", "location": "docs/vision.md:10", "looks_like": [
                 {"name": "Kaiming He", "location": "docs/vision.md:3", "reason": "their given names differ only by initials"}]},
             {"name": "Xinlei Chen", "location": "docs/vision.md:10", "looks_like": []},
         ],
         new_tags=[{"name": "FAIR", "kind": "org", "location": "docs/vision.md:10"},
                   {"name": "self-supervised", "kind": "topic", "location": "docs/vision.md:10"}],
         problems_introduced=[{
             "location": "docs/vision.md:11", "severity": "warning", "code": "author-alias",
             "message": "author 'K. He' looks like 'Kaiming He' (line 4): their given names differ only by initials; if one "
                        "person, add to aliases.yml under authors:  Kaiming He: [K. He]"}])


def test_problems_fixed_and_aliases_read_at_each_ref(run) -> None:
    # c4's aliases.yml merges K. He into Kaiming He: the look-alike is fixed, and no author is new.
    report = run("c3", "c4")
    only(report, problems_fixed=[
        {"location": "docs/vision.md:8", "severity": "warning", "code": "author-line",
         "message": "author line is not closed: end it with _"},
        {"location": "docs/vision.md:11", "severity": "warning", "code": "author-alias",
         "message": "author 'K. He' looks like 'Kaiming He' (line 4): their given names differ only by initials; if one "
                    "person, add to aliases.yml under authors:  Kaiming He: [K. He]"},
    ])


def test_head_defaults_to_the_working_tree_with_uncommitted_notes(run) -> None:
    report = run("c4")
    assert report["added"] == [{"title": HOSTILE_TITLE.replace("`", ""),  # the title as plain text: code spans unwrapped
                                "location": "docs/we`ird.md:3"}]
    assert [a["name"] for a in report["new_authors"]] == ["<script>alert(1)</script> Mallory"]
    assert report["removed"] == report["moved"] == report["problems_fixed"] == []


def test_the_whole_history_at_once(run) -> None:
    report = run("c0", "c4")
    assert [r["title"] for r in report["moved"]] == ["Visual Instruction Tuning", "Stable Video Diffusion"]
    assert [(r["old_title"], r["title"]) for r in report["retitled"]] == [("Segment Anything", "SAM: Segment Anything Model")]
    assert [r["title"] for r in report["added"]] == ["Masked Autoencoders Are Scalable Vision Learners"]
    assert [r["code"] for r in report["problems_fixed"]] == ["author-line"]
    assert report["problems_introduced"] == []
    assert report["new_authors"] == [{"name": "Xinlei Chen", "location": "docs/vision.md:10", "looks_like": []}]


def test_json_gives_one_list_per_kind_and_each_paper_a_title_and_location(run) -> None:
    report = run("c0")
    assert list(report) == list(KINDS)
    for kind in ("added", "removed", "moved", "retitled", "reprioritised"):
        for record in report[kind]:
            assert isinstance(record["title"], str) and record["title"]
            assert re.fullmatch(r"docs/[^:]+\.md:\d+", record["location"]), record
    assert report["added"] and report["moved"] and report["retitled"]


def test_markdown_report_reads_as_headings_and_lists(repo: Path, capsys, monkeypatch) -> None:
    text = diff(repo, "c2", "c3", capsys=capsys, monkeypatch=monkeypatch)
    page = cmarkgfm.github_flavored_markdown_to_html(text)
    assert "<h2>What this change does to the library</h2>" in page
    assert "<h3>Papers added (1)</h3>" in page and "<h3>New authors (2)</h3>" in page
    assert "<h3>Problems fixed" not in page  # empty kinds are left out
    assert "<li><strong>K. He</strong> (<code>docs/vision.md:10</code>): looks like Kaiming He (<code>docs/vision.md:3</code>): " \
           "their given names differ only by initials</li>" in page
    assert "c2 to c3: 1 paper added, 1 removed, 2 new authors, 2 new tags, 1 problem introduced." in page


def test_hostile_text_is_shown_literally_and_links_nowhere(repo: Path, capsys, monkeypatch) -> None:
    text = diff(repo, "c4", capsys=capsys, monkeypatch=monkeypatch)
    page = cmarkgfm.github_flavored_markdown_to_html(text)  # GitHub's renderer, as a job summary shows it
    assert "<a " not in page and "<img" not in page and "<script" not in page and "raw HTML" not in page
    assert "<strong>bold</strong>" not in page and "<table" not in page
    shown = html.unescape(re.sub(r"<[^>]+>", "", page)).replace("\u2060", "")
    assert "<img src=https://evil.example/x.png> www.evil.example **bold** tick a@b.example @octocat | x |" in shown
    assert "<script>alert(1)</script> Mallory" in shown
    assert "<code>docs/we`ird.md:3</code>" in page  # the location's backtick fenced off


def test_escape_and_code_spans() -> None:
    assert escape("a_b [c](d) <e> #1") == r"a\_b \[c\]\(d\) \<e\> \#1"
    assert escape("x@y") == "x@\u2060y"
    assert escape("two\nlines") == "two lines"
    assert code("a`b") == "``a`b``"
    assert code("`a") == "`` `a ``"


def test_long_lists_stop_in_markdown_but_not_in_json() -> None:
    changes = Changes()
    changes["added"].extend({"title": f"Paper {n}", "location": f"docs/a.md:{n}"} for n in range(MAX_ITEMS + 5))
    text = to_markdown(changes, "main", "the working tree")
    assert text.count("\n- ") == MAX_ITEMS + 1
    assert text.rstrip().endswith("- … and 5 more (`papernotes diff --format json` lists every one)")


def test_no_change_says_so(run, repo: Path, capsys, monkeypatch) -> None:
    only(run("c4", "c4"))
    assert "no change to the library's papers, authors, tags or problems." in diff(repo, "c4", "c4", capsys=capsys,
                                                                                    monkeypatch=monkeypatch)


def test_each_side_reads_its_own_docs_dir(tmp_path: Path, capsys, monkeypatch) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write_site(root, {}, config={"docs_dir": "notes"})
    write(root / "notes" / "a.md", SAM)
    commit(root, "2024-02-01T10:00:00+00:00", "notes in notes/")
    (root / "docs").rmdir()  # write_site's empty docs/, which would take notes/ in
    git(root, "mv", "notes", "docs")
    write_site(root, {})
    commit(root, "2024-02-02T10:00:00+00:00", "notes in docs/")
    only(diff_json(root, "HEAD~1", capsys=capsys, monkeypatch=monkeypatch),
         moved=[{"title": "Segment Anything", "location": "docs/a.md:3", "from": "notes/a.md:3"}])


def test_a_git_ref_and_the_working_tree_read_alike(tmp_path: Path) -> None:
    """Linked notes (inside, outside, nowhere), dotted folders, a file that is not UTF-8, an empty note and
    figures: a commit read from git gives what the same files on disk give, problem for problem."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write_site(root, {"a.md": "# A\n\n" + SAM + "- ![](../assets/fig/1.png)\n- ![](../assets/fig/2.png)\n- [b](sub/b.md#nope)\n"
                                "- [via a linked folder](linked-folder/b.md) and [not there](linked-folder/c.md)\n",
                      "sub/b.md": "# B\n\n" + CLIP, ".hidden/c.md": "# C\n\n" + LLAVA, "empty.md": "",
                      "latin1.md": "# L\n\n### [CVPR 2020] Caf\xe9\n_Ren\xe9_\n".encode("latin-1")},
               assets={"fig/1.png": b"\x89PNG"})
    (tmp_path / "outside.md").write_text("# Out\n", encoding="utf-8")
    os.symlink("a.md", root / "docs" / "inside.md")
    os.symlink("../../outside.md", root / "docs" / "outside.md")
    os.symlink("gone.md", root / "docs" / "broken.md")
    os.symlink("sub", root / "docs" / "linked-folder")
    os.symlink("sub", root / "docs" / "folder.md")  # a folder to a walk of the disk: not a note
    os.symlink("inside.md", root / "docs" / "chain.md")
    os.symlink("outside.md", root / "docs" / "chain-out.md")
    commit(root, "2024-03-01T10:00:00+00:00", "everything")
    project = load_project(str(root / "mkdocs.yml"))
    from_git = take(GitRepo.of(root).tree("HEAD"), settings(project))
    on_disk = take(WorkTree(root), settings(project))
    assert from_git.diagnostics == on_disk.diagnostics
    codes = {d.code for d in on_disk.diagnostics}
    assert {"symlink", "encoding", "empty-note", "missing-figure", "broken-link", "duplicate-paper"} <= codes
    assert {d.message for d in on_disk.diagnostics if d.code == "broken-link"} == {  # a.md's, and its two links'
        "no heading with anchor #nope on sub/b.md", "link target not found: 'linked-folder/c.md'"}
    assert sorted(from_git.documents) == sorted(on_disk.documents) == [
        "a.md", "chain.md", "empty.md", "inside.md", "latin1.md", "sub/b.md"]


# -- the command's errors ------------------------------------------------------------------


@pytest.mark.parametrize(("args", "message"), [
    (["nope"], "papernotes diff: error: unknown git ref 'nope': give a branch, tag or commit of this repository"),
    (["c0", "nope~3"], "papernotes diff: error: unknown git ref 'nope~3'"),
    (["--", "-x"], "papernotes diff: error: '-x' is not a git ref"),
])
def test_an_unknown_ref_is_one_line_and_exit_2(repo: Path, args: list[str], message: str) -> None:
    result = papernotes(repo, "diff", *args)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith(message), result.stderr


def test_outside_a_git_repository_is_one_line_and_exit_2(tmp_path: Path) -> None:
    write_site(tmp_path / "site", {"a.md": "# A\n\n" + SAM})
    result = papernotes(tmp_path / "site", "diff", "main")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [f"papernotes diff: error: {(tmp_path / 'site').resolve()}: not in a git repository "
                                          "(papernotes diff compares versions of the notes in git)"]


def test_the_command_prints_markdown_by_default(repo: Path) -> None:
    result = papernotes(repo, "diff", "c1", "c2")
    assert result.returncode == 0
    assert result.stdout.startswith("## What this change does to the library\n")
    assert "### Papers retitled (1)" in result.stdout


def snapshot_of(root: Path, notes: dict[str, list[str]]):
    write_site(root, {})
    for name, entries in notes.items():
        write(root / "docs" / name, *entries)
    return take(WorkTree(root), settings(load_project(str(root / "mkdocs.yml"))))


ADA_UNCLOSED = "### [ICML 2021] A Paper On Something New\n_Ada Lovelace\n"
ODD_LABEL = "### [ICML 2021] A Paper With An Odd Link [[weird]](https://example.org/x)\n_Alan Turing_\n"


def test_a_new_problem_is_told_from_an_old_one_of_the_same_kind_by_its_line(tmp_path: Path) -> None:
    """Two unclosed author lines give the same message: the one written above the old one is the new one."""
    base = snapshot_of(tmp_path / "base", {"a.md": [SAM, LDM_UNCLOSED]})
    head = snapshot_of(tmp_path / "head", {"a.md": [SAM, ADA_UNCLOSED, LDM_UNCLOSED]})
    report = compare(base, head)
    assert [r["location"] for r in report["problems_introduced"]] == ["docs/a.md:8"]
    assert report["problems_fixed"] == []


def test_problems_move_with_their_entries_to_another_note(tmp_path: Path) -> None:
    # The unknown label is reported once, at its first use in path order: now another paper's heading.
    odd_too = ODD_LABEL.replace("A Paper With An Odd Link", "Another Odd One")
    base = snapshot_of(tmp_path / "base", {"a.md": [SAM, LDM_UNCLOSED, ODD_LABEL]})
    head = snapshot_of(tmp_path / "head", {"a.md": [SAM, ODD_LABEL], "0-first.md": [odd_too], "b.md": [LDM_UNCLOSED]})
    assert sorted((d.code, d.path) for d in head.diagnostics) == [("author-line", "docs/b.md"), ("link-label", "docs/0-first.md")]
    report = compare(base, head)
    assert report["problems_introduced"] == report["problems_fixed"] == []
    assert [r["title"] for r in report["moved"]] == ["High-Resolution Image Synthesis with Latent Diffusion Models"]


def test_a_problem_fixed_in_one_note_and_made_in_another_are_both_reported(tmp_path: Path) -> None:
    base = snapshot_of(tmp_path / "base", {"a.md": [SAM, LDM_UNCLOSED]})
    head = snapshot_of(tmp_path / "head", {"a.md": [SAM, LDM], "b.md": [ADA_UNCLOSED]})
    report = compare(base, head)
    assert [r["location"] for r in report["problems_fixed"]] == ["docs/a.md:8"]
    assert [r["location"] for r in report["problems_introduced"]] == ["docs/b.md:4"]


def test_settings_come_from_each_sides_own_files(tmp_path: Path, capsys, monkeypatch) -> None:
    """No mkdocs.yml at first (defaults), then one naming an aliases file that is missing, then the file."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(root / "docs" / "a.md", SAM)
    commit(root, "2024-04-01T10:00:00+00:00", "a note, no site yet")
    write_site(root, {}, plugin={"aliases": "aliases.yml"})
    commit(root, "2024-04-02T10:00:00+00:00", "the site, its aliases file forgotten")
    missing = {"location": "aliases.yml:1", "severity": "warning", "code": "aliases",
               "message": "cannot read aliases file: No such file or directory"}
    only(diff_json(root, "HEAD~1", "HEAD", capsys=capsys, monkeypatch=monkeypatch), problems_introduced=[missing])
    (root / "aliases.yml").write_bytes(b"tags:\n  Caf\xe9: [Cafe]\n")  # Latin-1, not UTF-8
    only(diff_json(root, "HEAD", capsys=capsys, monkeypatch=monkeypatch),
         problems_introduced=[{**missing, "message": "cannot read aliases file: not valid UTF-8"}], problems_fixed=[missing])
    (root / "aliases.yml").write_text(ALIASES, encoding="utf-8")
    only(diff_json(root, "HEAD", capsys=capsys, monkeypatch=monkeypatch), problems_fixed=[missing])


def test_a_broken_mkdocs_yml_at_a_ref_is_one_line(tmp_path: Path, capsys, monkeypatch) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write_site(root, {"a.md": "# A\n\n" + SAM})
    (root / "mkdocs.yml").write_text("site_name: [unclosed\n", encoding="utf-8")
    commit(root, "2024-05-01T10:00:00+00:00", "broken settings")
    (root / "mkdocs.yml").write_bytes(b"site_name: Caf\xe9\n")
    commit(root, "2024-05-02T10:00:00+00:00", "settings not in UTF-8")
    write_site(root, {"a.md": "# A\n\n" + SAM})
    monkeypatch.chdir(root)
    assert main(["diff", "HEAD~1"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "papernotes diff: error: HEAD~1:mkdocs.yml:2:1: not valid YAML: expected ',' or ']', but got '<stream end>'"]
    assert main(["diff", "HEAD"]) == 2
    assert capsys.readouterr().err.splitlines() == ["papernotes diff: error: HEAD:mkdocs.yml: not valid UTF-8"]
