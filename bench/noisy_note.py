"""A note with a 2 MB line of 100,000 missing-figure images: how long the build takes and how much it prints.

    python bench/noisy_note.py [--repeat 3]

Builds the seed site twice in fresh processes, without and with `docs/noisy.md`, and runs
`papernotes check` on the second. Prints CPU seconds (best of --repeat), the ratio (target:
at most 3x) and the lines each command printed (target: at most 40).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LINE = "![x](../assets/m.png) " * 100_000  # 2.2 MB


def run(cmd: list[str], cwd: Path) -> tuple[float, int]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "plugins"), "NO_MKDOCS_2_WARNING": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, len(result.stdout.splitlines()) + len(result.stderr.splitlines())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        shutil.copytree(REPO, root, ignore=shutil.ignore_patterns("site", ".git", "*.egg-info", "__pycache__", "test-artifacts"))
        build = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(Path(tmp) / "out")]
        plain = min(run(build, root)[0] for _ in range(args.repeat))
        (root / "docs" / "noisy.md").write_text(f"# Noisy\n\n{LINE}\n", encoding="utf-8")
        noisy_runs = [run([*build[:-3], "-d", str(Path(tmp) / "out")], root) for _ in range(args.repeat)]
        noisy = min(s for s, _ in noisy_runs)
        check_lines = run([sys.executable, "-m", "papernotes", "check"], root)[1]
    print(f"line: {len(LINE):,} characters, 100,000 images")
    print(f"build without the note: {plain:.2f} s; with it: {noisy:.2f} s; ratio {noisy / plain:.2f} (target <= 3)")
    print(f"lines printed: build {noisy_runs[0][1]}, papernotes check {check_lines} (target <= 40)")


if __name__ == "__main__":
    main()
