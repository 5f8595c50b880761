"""The test suite's own layout: no test module imports another; what they share lives in tests/support/.

A test module imported by another ties the two files together (moving or renaming one breaks
the other, as the move into folders showed), and a `test_` function it imports is collected twice.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from support.paths import TESTS


def imported(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of every module a file imports, and of every name a `from` import takes."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            yield node.lineno, module
            # `from . import test_x` and `from browser import test_x` take a module by its name.
            yield from ((node.lineno, module + ("" if module.endswith(".") else ".") + alias.name) for alias in node.names)


def test_no_test_module_imports_another():
    files = sorted(TESTS.rglob("*.py"))
    assert len([f for f in files if f.name.startswith("test_")]) > 40
    found = []
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, name in imported(tree):
            if any(part.startswith("test_") for part in name.split(".")):
                found.append(f"{path.relative_to(TESTS)}:{line}: imports {name}")
    assert found == [], "move what they share to tests/support/:\n" + "\n".join(found)
