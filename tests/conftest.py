"""Fixtures shared by every folder, and the import set-up they all rely on.

Helpers that are not fixtures live in the `support` package (tests/support/__init__.py says what
is where); test modules import them from there, never from here or from one another.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent

# Test this checkout's plugin even when another checkout is pip-installed (git worktrees),
# in this process and in every subprocess the tests start; and let every folder import `support`.
sys.path[:0] = [str(REPO / "plugins"), str(TESTS)]
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "plugins"), os.environ.get("PYTHONPATH")]))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
# tests/serve/test_properdocs.py runs tests again with every `mkdocs.*` import redirected to ProperDocs'
# modules, as the `properdocs` command does before it loads a plugin.
if os.environ.get("PAPERNOTES_ENGINE") == "properdocs":
    import properdocs.replacement  # noqa: F401

    assert sys.modules["mkdocs"].__name__ == "properdocs"

from support.paths import NOT_COPIED, PAGES_SITE_URL, SEED  # noqa: E402
from support.sites import Site, build, write_site  # noqa: E402


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def make_site(tmp_path: Path):
    """`make_site(docs, **kwargs)` writes a site into tmp_path and builds it."""

    def _make(docs: dict[str, str | bytes], *, overrides: dict | None = None, **kwargs) -> Site:
        root = write_site(tmp_path / "project", docs, **kwargs)
        return build(root, **(overrides or {}))

    return _make


@pytest.fixture(scope="session")
def repo_site(tmp_path_factory) -> Site:
    """The repository's own site, built once per test session into a temporary folder."""
    out = tmp_path_factory.mktemp("repo-site")
    root = out / "project"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(*NOT_COPIED))
    return build(root, site_url=PAGES_SITE_URL)  # as the Pages workflow builds it (SITE_URL)
