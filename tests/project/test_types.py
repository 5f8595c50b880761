"""The type check: mypy on plugins/papernotes and .ci/code_changed.py, clean (settings in pyproject.toml's [tool.mypy])."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from support.paths import REPO


def test_mypy_finds_no_error_in_the_package():
    result = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary", "--cache-dir", os.devnull],
                            cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_type_ignore_says_why():
    """A `# type: ignore[code]` names its code and is followed by a reason (`# type: ignore[x]  # why`)."""
    bare = []
    for path in sorted((REPO / "plugins" / "papernotes").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if "type: ignore" in line and not re.search(r"type: ignore\[[a-z-, ]+\]\s+#\s*\S", line):
                bare.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert bare == []
