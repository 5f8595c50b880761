"""Where an unprofiled `mkdocs serve` rebuild spends its time, stage by stage, after an edit of a given kind.

Not a test: it prints figures. `bench/profile_rebuild.py` shows which functions are called
and how often, but cProfile's cost per call doubles the figures of code that makes many small
calls (the 20,000 author pages); this times chosen stages with `perf_counter` instead, the
rebuild otherwise running at full speed. It generates the benchmark library at `--scale` into
`--out` (kept, like profile_rebuild.py's), builds it the way `mkdocs serve` does
(tests/support/serving.py: one plugin instance, rebuilds in the same process), then makes
`--rounds` edits of `--kind` (bench/edit_reload.py's; `none`: no edit), each on an idle
process, and prints each rebuild's wall and CPU seconds, the collector's runs in it and, per
stage, its seconds in each rebuild. A stage called inside another is counted in both; `xN` is how often it ran in the last.

Usage:
    python bench/rebuild_phases.py --scale 16 --kind priority
    python bench/rebuild_phases.py --scale 16 --kind none --rounds 3
    python bench/rebuild_phases.py --kind bullet --stage mkdocs.utils:get_themes
    python bench/rebuild_phases.py --kind priority --rounds 12 --hold alternate
"""

from __future__ import annotations

import collections
import functools
import gc
import importlib
import logging
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent), str(HERE.parent / "plugins")]

import edit_reload  # noqa: E402
from papernotes.mkdocs_plugin.plugin import IDLE_COLLECT_SECONDS  # noqa: E402
from papernotes.serve import collector  # noqa: E402
from profile_rebuild import kept_project, rebuild_options  # noqa: E402

from tests.support.serving import ServeLike  # noqa: E402

# (module, attribute path): the stages timed, in the order a rebuild reaches them.
STAGES = [
    ("papernotes.mkdocs_plugin.plugin", "PapernotesPlugin.on_files"),
    ("papernotes.mkdocs_plugin.plugin", "read_notes"),
    ("papernotes.mkdocs_plugin.plugin", "index_notes"),
    ("papernotes.index.library", "Library.__init__"),
    ("papernotes.mkdocs_plugin.indexing", "library_changes"),
    ("papernotes.mkdocs_plugin.plugin", "generate_outputs"),
    ("papernotes.outputs.registry", "outputs"),
    ("papernotes.mkdocs_plugin.generation", "_page_file"),
    ("papernotes.mkdocs_plugin.generation", "_file"),
    ("papernotes.mkdocs_plugin.plugin", "report_diagnostics"),
    ("mkdocs.structure.files", "Files.documentation_pages"),
    ("papernotes.mkdocs_plugin.plugin", "PapernotesPlugin.on_env"),
    ("papernotes.serve.settled_pages", "SettledPages.confirm"),
    ("papernotes.serve.theme_pass", "ThemePass.plan"),
    ("mkdocs.commands.build", "_populate_page"),
    ("mkdocs.structure.pages", "Page.render"),
    ("mkdocs.commands.build", "_build_page"),
    ("material.plugins.search.plugin", "SearchPlugin.on_page_context"),
    ("mkdocs.commands.build", "_build_theme_template"),
    ("material.plugins.search.plugin", "SearchPlugin.on_post_build"),
    ("papernotes.serve.incremental", "Incremental.post_build"),
]


class Timers:
    """Seconds spent in each stage (outermost call only, when a stage calls itself), and calls."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = collections.defaultdict(float)
        self.calls: collections.Counter[str] = collections.Counter()
        self._depth: collections.Counter[str] = collections.Counter()

    def wrap(self, module: str, path: str) -> None:
        owner: Any = importlib.import_module(module)
        *parents, name = path.split(".")
        for part in parents:
            owner = getattr(owner, part)
        function: Callable[..., Any] = getattr(owner, name)
        label = f"{module.rsplit('.', 1)[-1]}.{path}"

        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._depth[label] += 1
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self._depth[label] -= 1
                if not self._depth[label]:
                    self.seconds[label] += time.perf_counter() - started
                self.calls[label] += 1

        setattr(owner, name, timed)

    def reset(self) -> None:
        self.seconds.clear()
        self.calls.clear()


class Collections:
    """The cyclic collector's runs during a rebuild: how many of each generation, and their seconds."""

    def __init__(self) -> None:
        self.on = False
        self.runs = [0, 0, 0]
        self.seconds = 0.0
        self._started = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if not self.on:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.runs[info["generation"]] += 1
            self.seconds += time.perf_counter() - self._started

    def start(self) -> None:
        self.on, self.runs, self.seconds = True, [0, 0, 0], 0.0

    def stop(self) -> str:
        self.on = False
        return f"collections {'/'.join(map(str, self.runs))} (young/middle/all) in {self.seconds:.2f} s"


def settle() -> None:
    """Wait until this process is idle, as `edit_reload.Server.settle` waits for the server: the idle
    collection has run and the warm start's save of the last build (a thread, 1 s after it) is over."""
    time.sleep(IDLE_COLLECT_SECONDS + 1.5)
    while True:
        before = time.process_time()
        time.sleep(0.5)
        if time.process_time() - before < 0.02:
            return


def _no_hold(self: collector.Pause) -> None:
    """`Pause.hold` left out: the rebuild runs under the collector's build thresholds."""


def main(argv: list[str] | None = None) -> int:
    parser = rebuild_options(__doc__.split("\n\n")[0], scale=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--stage", action="append", default=[], metavar="MODULE:ATTRIBUTE",
                        help="time this function too (where it is looked up: the module that imports it), "
                             "after the usual stages; repeatable")
    parser.add_argument("--hold", choices=("on", "off", "alternate"), default="on",
                        help="the collector held off during a rebuild (serve/collector.py `Pause.hold`, as the plugin "
                             "does), not (`off`), or every other rebuild, starting with it held (`alternate`: an A/B "
                             "in one process, whose medians are printed)")
    args = parser.parse_args(argv)
    stages = [*STAGES, *(tuple(s.split(":", 1)) for s in args.stage)]
    root = kept_project(args)
    logging.basicConfig(level=logging.ERROR)
    timers, runs = Timers(), Collections()
    for module, path in stages:
        timers.wrap(module, path)
    server = ServeLike(root / "mkdocs-plugin.yml", root / "site-serve")
    rows: list[dict[str, float]] = []
    hold = collector.Pause.hold
    walls: dict[bool, list[float]] = {True: [], False: []}
    try:
        server.rebuild()
        n = 1000 + int(time.time()) % 1000  # fresh names, so a kept project can be edited again
        for i in range(args.rounds):
            settle()  # idle, as edit_reload.py's edits: the last build's idle collection and save are over
            if args.kind != "none":
                edit_reload._edit(args.kind, root / "docs", n + i)
            held = args.hold == "on" or (args.hold == "alternate" and i % 2 == 0)
            collector.Pause.hold = hold if held else _no_hold  # type: ignore[method-assign]
            timers.reset()
            runs.start()
            wall, cpu = time.perf_counter(), time.process_time()
            server.rebuild()
            walls[held].append(time.perf_counter() - wall)
            print(f"rebuild {i + 1} ({args.kind}{'' if held else ', not held'}): {walls[held][-1]:.2f} s, "
                  f"{time.process_time() - cpu:.2f} CPU s, " + runs.stop())
            rows.append(dict(timers.seconds))
    finally:
        collector.Pause.hold = hold  # type: ignore[method-assign]
        server.close()
    if args.hold == "alternate" and walls[True] and walls[False]:
        print(f"median rebuild: held {statistics.median(walls[True]):.2f} s, not held {statistics.median(walls[False]):.2f} s")
    print(f"{'stage':52s} " + " ".join(f"{f'#{i + 1}':>6s}" for i in range(len(rows))))
    for module, path in stages:
        label = f"{module.rsplit('.', 1)[-1]}.{path}"
        print(f"{label:52s} " + " ".join(f"{row.get(label, 0.0):6.3f}" for row in rows) + f"  x{timers.calls[label]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
