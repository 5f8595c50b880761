"""Fixtures shared by every folder, the import set-up they all rely on, and the end-of-run list of
axe-core's findings below the failing level (gathered here: see _AxeFindings).

Helpers that are not fixtures live in the `support` package (tests/support/__init__.py says what
is where); test modules import them from there, never from here or from one another.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

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


# -- axe-core's moderate and minor findings, listed at the end of the run --------------------------


class _AxeFindings:
    """Gathers the findings tests/browser/test_accessibility.py leaves on its tests' reports (the user
    property tests/browser/conftest.py's AXE_FINDINGS names) and lists them after the tests. Here, not
    in tests/browser/: under pytest-xdist the reports come back to pytest's own process, which prints
    the summary and loads no conftest below this one."""

    def __init__(self) -> None:
        self.found: dict[str, list[str]] | None = None  # None: no audit ran

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == "axe_findings":
                self.found = {**(self.found or {}), **value}

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.found is None:
            return
        terminalreporter.section("axe-core: moderate and minor findings (not failing)")
        for view, lines in self.found.items():
            terminalreporter.write_line(f"{view}: {len([x for x in lines if not x.startswith(' ')])} finding(s)")
            for line in lines:
                terminalreporter.write_line("  " + line)


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_AxeFindings(), "papernotes-axe-findings")
