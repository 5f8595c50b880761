"""Profile one `mkdocs serve` rebuild in this process (cProfile), after an edit of a given kind.

Not a test: it prints figures. It generates the benchmark library (bench/benchmark.py's
generator) at `--scale` into `--out` (kept, so a second run skips the generation), builds it
the way `mkdocs serve` does (tests/support/serving.py: one plugin instance, rebuilds in the same
process), makes `--warm` edits of `--kind` (bench/edit_reload.py's edits; `none`: no edit) with a
rebuild each, printing their CPU seconds and how many pages went through Markdown (calls
of Python-Markdown's `convert`), then profiles one more and prints the top functions by
cumulative and by own time. The profile is saved as `<out>/<scale>-<kind>.prof`.

Usage:
    python bench/profile_rebuild.py --scale 4 --kind bullet
    python bench/profile_rebuild.py --scale 16 --kind entry --top 80
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import os
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "plugins"))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

import benchmark  # noqa: E402
import edit_reload  # noqa: E402
import markdown  # noqa: E402
from papernotes.mkdocs_plugin.plugin import IDLE_COLLECT_SECONDS  # noqa: E402

from tests.support.serving import ServeLike  # noqa: E402


def rebuild_options(description: str, scale: float) -> argparse.ArgumentParser:
    """The options of a script that rebuilds the benchmark library serve-like after edits (this one, rebuild_phases.py)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--scale", type=float, default=scale)
    parser.add_argument("--kind", choices=(*edit_reload.KINDS, "none"), default="bullet",
                        help="the edit before each rebuild; none: a rebuild with nothing changed (the floor)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--out", type=Path, default=Path("/tmp/papernotes-profile"))
    return parser


def kept_project(args: argparse.Namespace) -> Path:
    """The benchmark library at `args.scale` in `args.out`, generated if it is not there (kept: a second run edits it on)."""
    root: Path = args.out / f"scale-{args.scale:g}"
    if not (root / "mkdocs-plugin.yml").exists():
        benchmark.write_project(root, benchmark.generate(args.scale, args.seed))
    return root


def main(argv: list[str] | None = None) -> int:
    parser = rebuild_options(__doc__.split("\n\n")[0], scale=4)
    parser.add_argument("--warm", type=int, default=2, help="edits rebuilt before the profiled one")
    parser.add_argument("--top", type=int, default=50)
    args = parser.parse_args(argv)
    root = kept_project(args)
    logging.basicConfig(level=logging.ERROR)
    conversions: list[int] = []  # one item per call of Markdown.convert
    convert = markdown.Markdown.convert

    def counted(self: markdown.Markdown, source: str) -> str:
        conversions.append(1)
        return convert(self, source)

    markdown.Markdown.convert = counted  # type: ignore[method-assign]
    server = ServeLike(root / "mkdocs-plugin.yml", root / "site-serve")
    try:
        started = time.process_time()
        server.rebuild()
        print(f"first build: {time.process_time() - started:.2f} CPU s")
        n = 1000 + int(time.time()) % 1000  # fresh names, so a kept project can be edited again
        for i in range(args.warm + 1):
            # As under serve, where saves come seconds apart: the plugin's idle collection frees
            # the last build's garbage first (IDLE_COLLECT_SECONDS after it), not the next build.
            time.sleep(IDLE_COLLECT_SECONDS + 0.3)
            if args.kind != "none":
                edit_reload._edit(args.kind, root / "docs", n + i)
            converted = len(conversions)
            profile = cProfile.Profile() if i == args.warm else None
            started = time.process_time()
            if profile is not None:
                profile.enable()
            server.rebuild()
            if profile is not None:
                profile.disable()
            label = "profiled rebuild" if profile is not None else f"rebuild {i + 1}"
            converted = len(conversions) - converted
            print(f"{label} ({args.kind}): {time.process_time() - started:.2f} CPU s, "
                  f"{converted} page(s) through Markdown")
        assert profile is not None
        profile.dump_stats(str(args.out / f"{args.scale:g}-{args.kind}.prof"))
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top // 2)
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
