"""Where things are: this checkout, its seed note, the recorded fixture files, and the address Pages gives the site."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
REPO = TESTS.parent
SEED = REPO / "docs" / "blog_generative_models.md"
# Notes, feeds and recorded answers the tests read (tests/browser keeps its own in tests/browser/fixtures).
FIXTURES = TESTS / "fixtures"
# What the Pages workflow sets SITE_URL to for a repository `owner/papernotes`.
PAGES_SITE_URL = "https://owner.github.io/papernotes/"
