"""Holds for hours (issue 10, point 4): 100 successive edits in one serve-like process.

Not a test: it prints figures. It builds bench/benchmark.py's library the way `mkdocs
serve` does (tests/support/serving.py: one process, the plugin kept across rebuilds), makes
`--edits` edits in turn (a bullet, a new entry with a new author, a priority raised, a
new note, a note deleted, an entry with a grammar error and its fix), rebuilds after each
and reports:

* RSS after the 10th rebuild (warm) and after the last, each once the build's garbage is
  collected as under `mkdocs serve` (the plugin's idle collection), and the growth (target <= 10%);
* temporary files and folders left behind (none expected: compare /tmp before and after);
* every 10th rebuild compared with a clean build of the same files, byte for byte.

Usage:
    python bench/soak.py                  # 100 edits on a 0.25x library (100 entries)
    python bench/soak.py --scale 1 --edits 100
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO / "tests"), str(REPO / "plugins")]
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
import benchmark  # noqa: E402
from papernotes.mkdocs_plugin.plugin import IDLE_COLLECT_SECONDS  # noqa: E402
from support.serving import ServeLike, differences, tree  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def idle_rss_mb() -> float:
    """RSS between saves: what `mkdocs serve` holds once the plugin's idle collection, due
    IDLE_COLLECT_SECONDS after a build, has freed that build's garbage (waited for here)."""
    time.sleep(IDLE_COLLECT_SECONDS + 0.5)
    return rss_mb()


def edit(docs: Path, n: int) -> str:
    notes = sorted(docs.glob("notes_*.md"))
    path = notes[n % len(notes)]
    text = path.read_text(encoding="utf-8")
    kind = ("bullet", "entry", "priority", "note", "delete", "broken", "fix")[n % 7]
    if kind == "bullet":
        path.write_text(text + f"\n- soak bullet {n}\n", encoding="utf-8")
    elif kind == "entry":
        path.write_text(text + f"\n### [Soak{n} 2025] Soak paper {n}\n_Soak Author{n}_\n", encoding="utf-8")
    elif kind == "priority":
        path.write_text(re.sub(r"^### (?!\[!)", "### [!!!] ", text, count=1, flags=re.M), encoding="utf-8")
    elif kind == "note":
        (docs / f"soak_{n}.md").write_text(f"# Soak {n}\n\n### [ICLR 2025] Soak note paper {n}\n_Soak Person_\n",
                                           encoding="utf-8")
    elif kind == "delete":
        for old in docs.glob("soak_*.md"):
            old.unlink()
    elif kind == "broken":
        path.write_text(text + "\n### [!!!!] [Broken 20x5] \n_, ,_\n", encoding="utf-8")
    else:
        path.write_text(text.replace("\n### [!!!!] [Broken 20x5] \n_, ,_\n", ""), encoding="utf-8")
    return kind


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.25)
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    # Everything this process puts in the temporary folder goes into a private one, so what is
    # left there at the end is ours (the machine's /tmp is shared with other processes).
    tmp_root = tempfile.mkdtemp(prefix="pn-soak-tmp-")
    tempfile.tempdir = os.environ["TMPDIR"] = tmp_root
    out = Path(tmp_root) / "work"
    out.mkdir()
    try:
        root = out / "project"
        benchmark.write_project(root, benchmark.generate(args.scale, args.seed))
        serve = ServeLike(root / "mkdocs-plugin.yml", out / "served")
        serve.rebuild()
        warm = last = None
        compared = 0
        started = time.perf_counter()
        for n in range(1, args.edits + 1):
            edit(root / "docs", n)
            serve.rebuild()
            # both measured at the same point: after the rebuild, before this edit's comparison
            # (a clean build in the same process is the benchmark's own work, not the server's)
            if n == 10:
                warm = idle_rss_mb()
            if n == args.edits:
                last = idle_rss_mb()
            if n % 10 == 0:
                clean = out / "clean"
                serve.clean_build(clean)
                problems = differences(tree(out / "served"), tree(clean))
                shutil.rmtree(clean)
                if problems:
                    print(f"edit {n}: the served site differs from a clean build: {problems[:5]}")
                    return 1
                compared += 1
        elapsed = time.perf_counter() - started
        stats = serve.plugin.incremental.stats()
        serve.close()
    finally:
        shutil.rmtree(out, ignore_errors=True)
    left = sorted(os.listdir(tmp_root))
    shutil.rmtree(tmp_root, ignore_errors=True)
    assert warm is not None and last is not None
    print(f"{args.edits} edits at {args.scale:g}x in one process, {elapsed:.0f} s; "
          f"{compared} rebuilds compared with clean builds: identical")
    print(f"RSS after edit 10: {warm:.0f} MB, after edit {args.edits}: {last:.0f} MB, "
          f"growth {100 * (last / warm - 1):+.1f}% (target <= 10%)")
    print(f"temporary files left in {tmp_root}: {left or 'none'}")
    print(f"cache at the end: {stats}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
