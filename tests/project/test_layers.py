"""The layout holds: each folder of the package imports only the stages its `__init__.py` allows.

The rules below are the ones each `plugins/papernotes/*/__init__.py` states in words; this test
holds the code to them, so that the grammar, the index, the checks, rendering and the outputs
stay plain Python that MkDocs 2.0 (which drops plugins) cannot strand.
"""

from __future__ import annotations

import ast
from pathlib import Path

from support.paths import REPO

PACKAGE = REPO / "plugins" / "papernotes"
PURE_SERVE = {"serve.fingerprints", "serve.stores"}  # the serve modules that import no MkDocs
# folder -> the papernotes folders (or modules) it may import besides itself
ALLOWED: dict[str, set[str]] = {
    "notes": set(),
    "index": {"notes"},
    "checks": {"notes", "index"},
    "extensions": {"notes"},
    "render": {"notes", "index", *PURE_SERVE},
    "outputs": {"notes", "index", "render", *PURE_SERVE},
    "serve": {"notes"},
    "add": {"notes", "index", "checks"},
    "changes": {"notes", "index", "checks"},
    "cli": {"notes", "index", "checks", "outputs", "add", "changes", "mkdocs_plugin.config"},
    "mkdocs_plugin": {"notes", "index", "checks", "extensions", "render", "outputs", "serve"},
}
MKDOCS_ALLOWED = {"serve", "mkdocs_plugin"}  # folders that may import mkdocs or material themselves


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _allowed(target: str, rules: set[str]) -> bool:
    return any(target == rule or target.startswith(rule + ".") for rule in rules)


def test_every_folder_has_a_rule_and_a_docstring():
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert folders == set(ALLOWED)
    for folder in folders:
        assert ast.get_docstring(ast.parse((PACKAGE / folder / "__init__.py").read_text(encoding="utf-8"))), folder


def test_each_folder_imports_only_what_its_rule_allows():
    broken = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if len(parts) < 2:
            continue
        folder, module = parts[0], ".".join(parts)
        for name in _imports(path):
            if name.startswith("papernotes."):
                target = name.removeprefix("papernotes.")
                if not target.startswith(folder + ".") and target != folder and not _allowed(target, ALLOWED[folder]):
                    broken.append(f"{module} imports {name}")
            elif name.split(".")[0] in ("mkdocs", "material") and (folder not in MKDOCS_ALLOWED or module in PURE_SERVE):
                broken.append(f"{module} imports {name}")
    assert broken == []


def test_the_rule_catches_a_forbidden_import(tmp_path):
    """The scan sees `from papernotes.outputs... import` and `import mkdocs` (the test can fail)."""
    sample = tmp_path / "x.py"
    sample.write_text("import mkdocs.config\nfrom papernotes.outputs.registry import Output\n", encoding="utf-8")
    found = _imports(sample)
    assert "mkdocs.config" in found and "papernotes.outputs.registry" in found
    assert not _allowed("outputs.registry", ALLOWED["render"])
