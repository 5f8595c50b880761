"""The `papernotes` command as a contributor runs it: a subprocess of this Python, this checkout's plugin first.

The plugin is found through PYTHONPATH, which tests/conftest.py sets before any test runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def papernotes(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m papernotes ARGS` in `cwd`; never a traceback, whatever the exit status."""
    result = subprocess.run([sys.executable, "-m", "papernotes", *args], cwd=cwd, env=env or os.environ,
                            capture_output=True, text=True, encoding="utf-8", timeout=300, check=False)
    assert "Traceback" not in result.stderr, result.stderr
    return result
