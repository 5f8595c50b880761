"""The `papernotes` command as a contributor runs it: a subprocess of this Python, this checkout's plugin first.

The plugin is found through PYTHONPATH, which tests/conftest.py sets before any test runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

# Set by coverage's subprocess patch (pyproject.toml, [tool.coverage.run] patch): every Python child
# whose environment holds it measures itself.
COVERAGE_CHILD = "COVERAGE_PROCESS_CONFIG"


def papernotes(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m papernotes ARGS` in `cwd`; never a traceback, whatever the exit status."""
    result = subprocess.run([sys.executable, "-m", "papernotes", *args], cwd=cwd, env=env or os.environ,
                            capture_output=True, text=True, encoding="utf-8", timeout=300, check=False)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def unmeasured(env: Mapping[str, str]) -> dict[str, str]:
    """`env` for a Python child coverage need not measure (a reference build, a rerun of tests
    measured in this run): measured, a small site's build in a child takes 1.3 s instead of 0.8 s."""
    return {name: value for name, value in env.items() if name != COVERAGE_CHILD}
