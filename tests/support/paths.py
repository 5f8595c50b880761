"""Where things are: this checkout (and what a copy of it leaves out), its seed note, the recorded fixture files,
and the address Pages gives the site."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
REPO = TESTS.parent
SEED = REPO / "docs" / "blog_generative_models.md"
# Notes, feeds and recorded answers the tests read (tests/browser keeps its own in tests/browser/fixtures).
FIXTURES = TESTS / "fixtures"
# What the Pages workflow sets SITE_URL to for a repository `owner/papernotes`.
PAGES_SITE_URL = "https://owner.github.io/papernotes/"
# What a test's copy of the whole checkout (`shutil.copytree(REPO, ..., ignore=shutil.ignore_patterns(*NOT_COPIED))`)
# leaves out: the built site, git's files, and what the test run itself writes into the checkout while it
# runs, which tests in another pytest-xdist worker may be writing or removing as the copy reads the
# folder: caches (a `mkdocs serve` of the checkout keeps its rebuild cache in .papernotes-cache),
# coverage's data files (each measured child process writes one as it exits), Hypothesis' database
# and the browser tests' screenshots.
NOT_COPIED = ("site", ".git", "*.egg-info", "__pycache__", ".*cache", ".coverage*", ".hypothesis", "test-artifacts")
