"""Browser benchmark of the explorer page (`papers/`) at scale (issue 11, "Speed at scale").

Not a test: it prints figures, it asserts nothing. It generates the benchmark library
(bench/benchmark.py's generator, same seed) at `--scale` (16x = 6,400 entries), builds it
with the plugin, serves the site on 127.0.0.1 and opens the explorer in Debian's Chromium
(Playwright), then reports:

* page weight: the explorer's HTML, its data file, script and stylesheet (bytes and gzip);
* time to first rows: from navigation start to the first animation frame in which a row of
  the list is inside the viewport (median and worst of `--loads` fresh loads), and when the
  script has finished setting up (`data-ready`);
* keystroke time: each key is pressed as a key (keydown, keypress, input, keyup; a character
  not on the US layout, ü, is inserted as text, with an `input` event only), the next key
  as soon as the list of the last one is painted. Timed from the key's first event (its
  `keydown`, else its `input`) to: the end of the explorer's own `input` handler (filtering,
  counting, writing the rows); the end of the frame after it on the page's thread (a
  `requestAnimationFrame` then a `setTimeout`: the rows written, styled, laid out and
  painted); and the frame shown on screen, as the browser itself measures it (Event Timing,
  the measure behind Interaction to Next Paint: from the key event to the next frame
  presented, in 8 ms steps, reported only from 16 ms, so a key without an entry counts as
  16). Median and worst over typing and deleting a few queries;
* the list complete: the explorer writes the rows of the first screen before the next frame
  and the rest when the browser is idle (the list has `aria-busy` until then); the same keys
  typed again, each waiting for that, from the key to the frame after the last row is written.
The machine's load average is printed beside them: on a shared 2-core machine the worst
case moves with other processes.

Usage:
    python bench/explorer_speed.py                   # 16x: generate, build (a few minutes), measure
    python bench/explorer_speed.py --site DIR        # measure an already built site
    python bench/explorer_speed.py --scale 1 --keep DIR
"""

from __future__ import annotations

import argparse
import functools
import gzip
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchmark import REPO, generate, write_project

CHROMIUM = "/usr/bin/chromium"
QUERIES = ["diffusion", "video transformer", "zhang", "müller"]  # typed key by key, then deleted key by key

FIRST_ROWS_JS = """
(() => {
  const look = () => {
    const row = document.querySelector('.pn-explorer__list li');
    if (row && window.__pnFirstRows === undefined && row.getBoundingClientRect().top < innerHeight) window.__pnFirstRows = performance.now();
    if (document.querySelector('.pn-explorer[data-ready]') && window.__pnReady === undefined) window.__pnReady = performance.now();
    if (window.__pnFirstRows === undefined || window.__pnReady === undefined) requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();
"""
EVENT_TIMING_JS = """
window.__pnEvents = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__pnEvents.push([e.name, e.startTime, e.duration]);
}).observe({type: 'event', durationThreshold: 16, buffered: true});
"""
NEXT_INPUT_JS = """
(complete) => { window.__pnKey = new Promise((resolve) => {
  const box = document.querySelector('#pn-q'), list = document.querySelector('.pn-explorer__list ul');
  let down = null;
  const onDown = (event) => { down = event.timeStamp; };
  box.addEventListener('keydown', onDown, {once: true});
  box.addEventListener('input', (event) => {
    box.removeEventListener('keydown', onDown);
    const start = down === null ? event.timeStamp : down, handled = performance.now() - start;  // after the explorer's listener
    const frame = (then) => requestAnimationFrame(() => setTimeout(then, 0));
    const done = () => list.hasAttribute('aria-busy') ? setTimeout(done, 1) : frame(() => resolve([start, handled, performance.now() - start]));
    frame(complete ? done : () => resolve([start, handled, performance.now() - start]));
  }, {once: true});
}); }
"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def build(scale: float, seed: int, root: Path) -> Path:
    lib = generate(scale, seed)
    write_project(root, lib)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "plugins"), os.environ.get("PYTHONPATH")])),
           "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs-plugin.yml")], check=True, env=env)
    print(f"built {lib.entries} entries in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return root / "site-plugin"


def weight(site: Path) -> list[tuple[str, int, int]]:
    out = []
    for name in ("papers/index.html", "papernotes/explorer-data.js", "papernotes/explorer.js", "papernotes/explore.css"):
        data = (site / name).read_bytes()
        out.append((name, len(data), len(gzip.compress(data, 6))))
    return out


def measure(site: Path, loads: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/papers/"
    figures: dict[str, list] = {"first_rows": [], "ready": [], "keys": [], "handler": [], "presented": [], "complete": [], "labels": []}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for _ in range(loads):
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                page = context.new_page()
                page.add_init_script(FIRST_ROWS_JS)
                page.goto(url, wait_until="load")
                page.wait_for_function("window.__pnFirstRows !== undefined && window.__pnReady !== undefined")
                figures["first_rows"].append(page.evaluate("window.__pnFirstRows"))
                figures["ready"].append(page.evaluate("window.__pnReady"))
                context.close()
            for complete in (False, True):
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                page = context.new_page()
                page.add_init_script(EVENT_TIMING_JS)
                page.goto(url, wait_until="load")
                page.wait_for_selector(".pn-explorer[data-ready]")
                page.focus("#pn-q")
                starts = []
                for query in QUERIES:
                    for n, key in enumerate([*query, *["Backspace"] * len(query)]):
                        page.evaluate(NEXT_INPUT_JS, complete)
                        if key.isascii() or len(key) > 1:
                            page.keyboard.press(key)
                        else:
                            page.keyboard.insert_text(key)  # Playwright has no key for it
                        start, handled, painted = page.evaluate("window.__pnKey")
                        if complete:
                            figures["complete"].append(painted)
                            continue
                        starts.append(start)
                        figures["handler"].append(handled)
                        figures["keys"].append(painted)
                        figures["labels"].append(repr(query[: n + 1] if n < len(query) else query[: 2 * len(query) - n - 1]))
                if not complete:
                    page.wait_for_timeout(100)  # the last key's entry
                    figures["presented"] = presented(starts, page.evaluate("window.__pnEvents"))
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return figures


def presented(starts: list[float], events: list[list]) -> list[float]:
    """Each key's time to the frame presented: the longest Event Timing entry of its own events
    (a keyup is timed from itself); no entry means under 16 ms, counted as 16."""
    out = []
    for start, end in zip(starts, [*starts[1:], float("inf")], strict=True):
        mine = [duration for name, at, duration in events if start - 0.5 <= at < end and name != "keyup"]
        out.append(max(mine, default=16.0))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=16)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--site", type=Path, help="an already built site to measure (skips generating and building)")
    parser.add_argument("--keep", type=Path, help="folder for the generated project (default: a temporary one, removed)")
    parser.add_argument("--loads", type=int, default=5, help="fresh page loads for the time to first rows")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="papernotes-explorer-") as tmp:
        site = args.site or build(args.scale, args.seed, args.keep or Path(tmp) / "project")
        entries = (site / "papers.json").read_text(encoding="utf-8").count('"id":')
        figures = measure(site, args.loads)
        print(f"explorer at {entries} entries ({site})")
        print("page weight (bytes, gzip):")
        for name, size, packed in weight(site):
            print(f"  {name:32} {size:>10,} {packed:>10,}")
        print(f"machine load average (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        for key, label in (("first_rows", "time to first rows (ms)"), ("ready", "script ready (ms)"),
                           ("keys", "keystroke to next frame (ms)"), ("presented", "keystroke to frame shown"),
                           ("handler", "keystroke, script only (ms)"), ("complete", "keystroke to all rows")):
            values = figures[key]
            print(f"{label:28} median {statistics.median(values):7.1f}  worst {max(values):7.1f}  (n={len(values)})")
        slowest = sorted(zip(figures["keys"], figures["presented"], figures["handler"], figures["labels"], strict=True), reverse=True)[:5]
        print("slowest keystrokes (frame, shown, script ms; text box after the key):",
              ", ".join(f"{f:.1f}/{s:.0f}/{h:.1f} {label}" for f, s, h, label in slowest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
