"""Where `mkdocs serve`'s memory grows (a companion to bench/soak.py): live Python objects, or the heap around them.

Not a test: it prints figures. It makes bench/soak.py's edits in a serve-like process (the plugin
kept across rebuilds, tests/support/serving.py), with `tracemalloc` on from the first edit. After
edit `--since` and after the last, once the build's garbage is collected as under `mkdocs serve`,
it prints the memory Python's allocator traces (live objects) and the process's RSS, then the
lines whose traced memory grew most between the two. Traced growth well below RSS growth means
the heap is fragmented, not that objects are kept.

Usage:
    python bench/memory_growth.py                       # 1x library, edits 10 to 40
    python bench/memory_growth.py --scale 4 --edits 60
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO / "tests"), str(REPO / "plugins")]
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
import benchmark  # noqa: E402
import soak  # noqa: E402
from papernotes.serve.collector import collect  # noqa: E402
from support.serving import ServeLike  # noqa: E402


def _where(frame: tracemalloc.Frame) -> str:
    name = frame.filename
    for prefix in (str(REPO) + os.sep, "site-packages" + os.sep):
        if prefix in name:
            name = name.split(prefix, 1)[1]
    return f"{name}:{frame.lineno}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--since", type=int, default=10, help="the edit growth is counted from")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    work = Path(tempfile.mkdtemp(prefix="pn-memory-"))
    root = work / "project"
    benchmark.write_project(root, benchmark.generate(args.scale, args.seed))
    server = ServeLike(root / "mkdocs-plugin.yml", root / "site-serve")
    try:
        server.rebuild()
        tracemalloc.start(3)
        taken: dict[int, tuple[tracemalloc.Snapshot, float, float]] = {}
        for n in range(1, args.edits + 1):
            soak.edit(root / "docs", n)
            server.rebuild()
            if n in (args.since, args.edits):
                collect()  # what the plugin's idle collection does after a rebuild under serve
                taken[n] = (tracemalloc.take_snapshot(), tracemalloc.get_traced_memory()[0] / 2**20, soak.rss_mb())
    finally:
        server.close()
        shutil.rmtree(work, ignore_errors=True)
    (before, traced_before, rss_before), (after, traced_after, rss_after) = taken[args.since], taken[args.edits]
    print(f"{args.scale:g}x, edits {args.since} to {args.edits}: traced {traced_before:.1f} -> {traced_after:.1f} MB "
          f"({traced_after - traced_before:+.1f}), RSS {rss_before:.0f} -> {rss_after:.0f} MB ({rss_after - rss_before:+.0f})")
    print("traced growth by where it was allocated (caller -> callee):")
    for stat in after.compare_to(before, "traceback")[: args.top]:
        print(f"  {stat.size_diff / 1024:+8.0f} KB {stat.count_diff:+7d} blocks  " + " -> ".join(_where(f) for f in stat.traceback))
    return 0


if __name__ == "__main__":
    sys.exit(main())
