"""plugins/ARCHITECTURE.md's module map lists every module of the package, and nothing that is gone."""

from __future__ import annotations

import re

from support.paths import REPO

PACKAGE = REPO / "plugins" / "papernotes"
DOC = REPO / "plugins" / "ARCHITECTURE.md"


def _mapped() -> set[str]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Module map", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([\w/]+\.py)` \|", section, re.MULTILINE))


def test_the_module_map_lists_every_module_and_nothing_else():
    modules = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"}
    mapped = _mapped()
    assert sorted(modules - mapped) == [], "modules missing from plugins/ARCHITECTURE.md's map"
    assert sorted(mapped - modules) == [], "modules in plugins/ARCHITECTURE.md's map that are gone"


def test_every_folder_of_the_package_has_a_row():
    text = DOC.read_text(encoding="utf-8")
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert {f for f in folders if f"| **`{f}/`** |" not in text} == set()


def test_the_tests_the_internals_table_names_exist():
    """Each `file.py::test_name` the page cites is a test in that file (paths may move; names may not rot)."""
    text = DOC.read_text(encoding="utf-8")
    cited = set(re.findall(r"`(test_\w+\.py)::(test_\w+)`", text))
    assert len(cited) >= 15
    sources = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "tests").rglob("test_*.py")}
    missing = [f"{f}::{t}" for f, t in sorted(cited) if f not in sources or f"def {t}(" not in sources[f]]
    assert missing == []


def test_the_readme_is_for_users_and_short():
    """The README gives users the commands, options, deploy and current figures; journals live in bench/RESULTS.md."""
    readme = (REPO / "README.md").read_bytes()
    assert len(readme) < 10_000
    text = readme.decode("utf-8")
    assert not re.search(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,40}\b", text), "a commit hash in the README"
    assert "load " not in text.lower(), "a machine load in the README"
