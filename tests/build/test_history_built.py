"""Dates added on a built site: the dated repository of tests/unit/index/test_history.py built, and a site outside git."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from support.gitrepo import NOW, A, dated_notes
from support.sites import build


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return dated_notes(tmp_path / "repo")


def test_the_site_shows_and_exports_dates(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOW.timestamp())))
    site = build(repo)
    papers = {p["title"]: p for p in json.loads(site.read("papers.json"))}
    assert papers["SAM: promptable segmentation"]["added"] == "2023-01-10T10:00:00+02:00"
    assert papers["Visual Instruction Tuning"]["added"] == "2023-09-01T18:30:00+09:00"
    assert papers["A Paper Not Committed Yet"]["added"] == "2025-05-05T12:00:00+00:00"
    note = site.page("notes/vision.md")
    assert 'added <time datetime="2023-01-10">10 Jan 2023</time>' in note
    assert 'added <time datetime="2023-09-01">1 Sep 2023</time>' in note
    assert not [m for m in site.warnings if "git" in m]


def test_a_site_outside_git_builds_with_one_notice_and_null_dates(make_site) -> None:
    logger = logging.getLogger("mkdocs.plugins.papernotes")
    level = logger.level
    logger.setLevel(logging.INFO)  # notices are info: shown by `mkdocs build`, not failing --strict
    try:
        site = make_site({"n.md": "# N\n\n" + A})
    finally:
        logger.setLevel(level)
    assert [p["added"] for p in json.loads(site.read("papers.json"))] == [None]
    assert sum("not in a git repository" in m for _, m in site.messages) == 1
    assert "pn-added" not in site.page("n.md")
    recent = site.page("recent.md")
    assert "1 paper is not listed" in recent and "pn-row" not in recent
