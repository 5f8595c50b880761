"""Dates added, from a git repository built here with dated commits (index/history.py, no MkDocs).

The dates on a built site: tests/build/test_history_built.py."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from papernotes.index.history import History, build_time, parse_log
from papernotes.notes.grammar import parse
from support.gitrepo import NOW, A, commit, dated_notes, git, write


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return dated_notes(tmp_path / "repo")


def dates_by_title(history: History, docs: Path, now: datetime = NOW) -> tuple[dict[str, datetime], list]:
    documents = {p.relative_to(docs).as_posix(): parse(p.read_text(encoding="utf-8"), p.relative_to(docs).as_posix())
                 for p in sorted(docs.rglob("*.md"))}
    dates, messages = history.added_dates(str(docs), documents, now=now)
    return {e.title: dates[id(e)] for doc in documents.values() for e in doc.entries if id(e) in dates}, messages


def test_dates_follow_renames_retitles_and_removals(repo: Path) -> None:
    history = History()
    dates, messages = dates_by_title(history, repo / "src")
    assert messages == []
    assert dates["SAM: promptable segmentation"] == datetime.fromisoformat("2023-01-10T10:00:00+02:00")
    assert dates["SAM: promptable segmentation"].utcoffset().total_seconds() == 7200  # the commit's offset is kept
    assert dates["Learning Transferable Visual Models From Natural Language"] == datetime.fromisoformat("2023-01-10T10:00:00+02:00")
    assert dates["Visual Instruction Tuning"] == datetime.fromisoformat("2023-09-01T18:30:00+09:00")
    assert dates["A Paper Not Committed Yet"] == NOW
    # Same HEAD: the history is not read again; a new commit is.
    dates_by_title(history, repo / "src")
    assert history.runs == 1
    commit(repo, "2024-02-02T00:00:00+00:00", "D")
    dates, _ = dates_by_title(history, repo / "src")
    assert history.runs == 2 and dates["A Paper Not Committed Yet"] == datetime.fromisoformat("2024-02-02T00:00:00+00:00")


def test_shallow_clone_warns_once_and_dates_what_it_has(repo: Path, tmp_path: Path) -> None:
    commit(repo, "2024-02-02T00:00:00+00:00", "D")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True, capture_output=True)
    dates, messages = dates_by_title(History(), clone / "src")
    assert [severity for severity, _ in messages] == ["warning"] and "shallow" in messages[0][1]
    assert set(dates.values()) == {datetime.fromisoformat("2024-02-02T00:00:00+00:00")}


def test_no_repository_or_no_git_gives_no_dates_and_one_notice(tmp_path: Path) -> None:
    docs = tmp_path / "plain" / "docs"
    write(docs / "n.md", A)
    dates, messages = dates_by_title(History(), docs)
    assert dates == {} and len(messages) == 1 and messages[0][0] == "info" and "not in a git repository" in messages[0][1]
    dates, messages = dates_by_title(History(git=str(tmp_path / "no-such-git")), docs)
    assert dates == {} and len(messages) == 1 and "git is not installed" in messages[0][1]


def test_a_repository_without_commits_dates_everything_now(tmp_path: Path) -> None:
    root = tmp_path / "fresh"
    write(root / "docs" / "n.md", A)
    git(root, "init", "-q")
    dates, messages = dates_by_title(History(), root / "docs")
    assert messages == [] and list(dates.values()) == [NOW]


def test_build_time_is_source_date_epoch_when_set() -> None:
    assert build_time({"SOURCE_DATE_EPOCH": "1700000000"}) == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert build_time({}).tzinfo is not None


def test_log_parsing_keeps_renames_and_drops_deletions() -> None:
    blob = "b" * 40
    text = (f"{'1' * 40} 2024-01-01T00:00:00+01:00\0\n:100644 100644 {'a' * 40} {blob} R091\0old name.md\0new/名前.md\0"
            f":100644 000000 {blob} {'0' * 40} D\0gone.md\0\0{'2' * 40} 2023-01-01T00:00:00+00:00\0\n"
            f":000000 100644 {'0' * 40} {blob} A\0old name.md\0")
    newest, oldest = parse_log(text)
    assert [(c.path, c.renamed_from) for c in newest.changes] == [("new/名前.md", "old name.md")]
    assert [c.path for c in oldest.changes] == ["old name.md"] and oldest.date.year == 2023
