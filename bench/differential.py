"""The long profile of the differential test (issue 10, point 3): more and longer edit sequences.

Runs tests/serve/test_incremental.py::test_every_rebuild_equals_a_clean_build with
PAPERNOTES_DIFFERENTIAL=long (25 sequences of 14 edits, seeded; the normal test run does
3 of 6), and its form across processes, tests/serve/test_warm_start.py::test_every_restart_equals_a_clean_build
(12 sequences of 10 edits, each followed by a rebuild, a restart or a kill; normally 2 of 5).
Prints pytest's verdict and the time it took.

Usage:
    python bench/differential.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    env = dict(os.environ, PAPERNOTES_DIFFERENTIAL="long")
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/serve/test_incremental.py::test_every_rebuild_equals_a_clean_build",
         "tests/serve/test_warm_start.py::test_every_restart_equals_a_clean_build",
         "-q", "-p", "no:cacheprovider", "--no-cov"], cwd=REPO, env=env, check=False)
    print(f"long differential profile: {'passed' if result.returncode == 0 else 'FAILED'} "
          f"in {time.perf_counter() - started:.0f} s")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
