"""Warm-start benchmark (issue 21, point 4): time from starting `mkdocs serve` to the first page served.

Not a test: it prints figures, it asserts nothing. For each scale it writes the same synthetic
library as bench/benchmark.py (1x = 400 entries) and starts the plain `mkdocs serve` on it
(no flags) several times, each a new process:

* cold:   no cache on disk (what every start cost before the warm start);
* warm:   started again with nothing changed (the cache the last one saved);
* pulled: started again after `--pulled` notes changed while no `serve` ran (a `git pull`);
          their pages are then fetched and checked to show the change (never a stale page).

Each start is timed from the process's start to the first page served over HTTP (the home
page, polled every 20 ms), with the CPU time the server spent by then (what the machine's load
does not inflate) and the line it logged about the warm start. Between two starts the previous
`serve` is stopped with Ctrl-C (SIGINT) once its cache is saved.

Usage:
    python bench/warm_start.py                     # scales 1,4,16
    python bench/warm_start.py --scales 1 --pulled 3
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))
import benchmark  # noqa: E402  (the library generator, shared with the cold-build benchmark)
import edit_reload  # noqa: E402  (its `Server`: `mkdocs serve` with its log lines on a queue)

from tests.support.serving import free_port, http_get  # noqa: E402

TARGETS = {16.0: 5.0}  # seconds to the first page with nothing changed (issue 21)
STARTUP_SECONDS = 900
SAVE_SECONDS = 300
CACHE = Path(".papernotes-cache") / "serve"


def first_page(server: edit_reload.Server, started: float) -> tuple[float, float, str]:
    """(seconds from `started` to the home page served, server CPU seconds by then, its warm start line)."""
    deadline = started + STARTUP_SECONDS
    while time.perf_counter() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError("mkdocs serve exited:\n" + "\n".join(server.log[-40:]))
        try:
            status, _ = http_get(server.base, timeout=30)
        except OSError:
            status = 0
        if status == 200:
            seconds, cpu = time.perf_counter() - started, server.cpu_seconds()
            server.settle(0.2)
            line = next((x for x in server.log if "warm start" in x), "(no warm start line)")
            return seconds, cpu, re.sub(r"^.*?papernotes: ", "", line)
        time.sleep(0.02)
    raise TimeoutError(f"no page within {STARTUP_SECONDS} s")


def wait_saved(root: Path) -> None:
    """Until the cache's index is on disk (written a second after the build, off the reload path)."""
    deadline = time.monotonic() + SAVE_SECONDS
    while not (root / CACHE / "index").is_file():
        if time.monotonic() > deadline:
            raise TimeoutError("the serve cache was not saved")
        time.sleep(0.1)


def stop(server: edit_reload.Server) -> None:
    """Ctrl-C, as a contributor stops `serve` (on_shutdown runs)."""
    server.proc.send_signal(signal.SIGINT)
    try:
        server.proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        server.stop()


def start(root: Path, port: int) -> tuple[edit_reload.Server, float, float, str]:
    started = time.perf_counter()
    server = edit_reload.Server(root / "mkdocs-plugin.yml", port)
    return (server, *first_page(server, started))


def pull(docs: Path, count: int, n: int) -> list[tuple[str, str]]:
    """Change `count` notes as a pull would (a bullet in each); (page, text it must show) of each."""
    notes = sorted(docs.glob("notes_*.md"))
    changed = []
    for i in range(count):
        path = notes[(n + i * 7) % len(notes)]
        text = path.read_text(encoding="utf-8")
        marker = f"pulled bullet {n}-{i}"
        heading = text.index("\n### ")
        end = text.index("\n", text.index("\n", heading + 1) + 1)
        path.write_text(text[:end] + f"\n- {marker}" + text[end:], encoding="utf-8")
        changed.append((f"{path.stem}/", marker))
    return changed


def bench_scale(scale: float, seed: int, pulled: int, out: Path) -> dict:
    lib = benchmark.generate(scale, seed)
    root = out / f"scale-{scale:g}"
    benchmark.write_project(root, lib)
    rows: list[tuple[str, float, float, str]] = []
    port = free_port()  # one address for every start: site_url is the serve address, and pages show it
    for kind in ("cold", "warm", "pulled"):
        if kind == "pulled":
            checks = pull(root / "docs", pulled, int(scale * 10))
        server, seconds, cpu, line = start(root, port)
        try:
            if kind == "pulled":
                for page, text in checks:
                    status, html = http_get(server.base + page, timeout=30)
                    if status != 200 or text not in html:
                        raise AssertionError(f"{page} is stale after the pull (HTTP {status}, {text!r} missing)")
            rows.append((kind, seconds, cpu, line))
            print(f"  {scale:g}x {kind}: first page after {seconds:.2f} s (CPU {cpu:.2f} s): {line}", file=sys.stderr, flush=True)
            wait_saved(root)
        finally:
            stop(server)
    return {"scale": scale, "entries": lib.entries, "rows": rows, "load": os.getloadavg()[0]}


def table(results: list[dict], pulled: int) -> str:
    head = f"| scale | entries | cold s (CPU) | warm s (CPU) | after {pulled} notes pulled s (CPU) | target s | load |"
    lines = [head, "|" + "---|" * head.count(" | ") + "---|"]
    for r in results:
        cells = {kind: f"{s:.2f} ({c:.2f})" for kind, s, c, _ in r["rows"]}
        target = TARGETS.get(r["scale"])
        warm = next(s for kind, s, _c, _l in r["rows"] if kind == "warm")
        verdict = "-" if target is None else f"{target} ({'met' if warm <= target else 'MISSED'})"
        lines.append(f"| {r['scale']:g}x | {r['entries']} | {cells['cold']} | {cells['warm']} | {cells['pulled']} | "
                     f"{verdict} | {r['load']:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = benchmark.scales_parser(__doc__)
    parser.add_argument("--pulled", type=int, default=3, help="notes changed between the warm and the last start")
    args = parser.parse_args(argv)
    results = benchmark.at_each_scale(args, "pn-warm-start-", lambda scale, out: bench_scale(scale, args.seed, args.pulled, out))
    print("start to first page served, plain `mkdocs serve`, new process each:")
    print(table(results, args.pulled))
    for r in results:
        for kind, _s, _c, line in r["rows"]:
            print(f"  {r['scale']:g}x {kind}: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
