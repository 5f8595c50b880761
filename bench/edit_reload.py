"""Edit-to-reload benchmark (issue 10, "Measured"): a real `mkdocs serve`, typical edits, time to reload.

Not a test: it prints figures, it asserts nothing. For each scale it writes the same
synthetic library as bench/benchmark.py (1x = 400 entries), starts the plain
`mkdocs serve` on it (no flags) and makes a sequence of typical edits:

* bullet:   a bullet added to one entry;
* entry:    a new entry with a new author and a new venue (new author and tag pages);
* priority: an entry's priority raised to [!!!] (it joins the must-read page);

and the structural ones (issue 21), which change the nav or the library's shape:

* note:     a new note, not the first in the Notes section (a page outside the section shows
            it as one link to its first note, so only the notes' own pages show the new one);
* rename:   a note renamed (its URL changes; it moves to the end of the section);
* delete:   a note deleted (the one the last `note` edit added, so the library keeps its size);
* section:  a `##` section heading of a note changed;
* aliases:  `aliases.yml` edited: an author of the library merged under a new name.

Each edit is timed from the file write to MkDocs' "Reloading browsers" line, then the
page it changed is fetched over HTTP and checked to show the edit (never a stale page; a
deleted note's page must be gone).
Every kind of edit is made `--rounds` times; the table gives the median per kind and of
all edits, against the targets (1x: 1.0 s, 4x: 2 s, 16x: 5 s), the median of the content edits
(bullet, entry, priority) against issue 21's (1x: 0.5 s, 16x: 2.5 s), the slowest structural
kind's median against its (1x: 1 s, 16x: 5 s), and the median CPU time the server spent per
edit (what the machine's load does not inflate), the CPU it spent after each reload until idle
(the warm start's save), and the load average. Each edit is made on an idle server.

Usage:
    python bench/edit_reload.py                    # scales 1,4,16, 3 rounds
    python bench/edit_reload.py --scales 1,4 --rounds 5
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))
import benchmark  # noqa: E402  (the library generator, shared with the cold-build benchmark)

from tests.support.serving import free_port, http_get, stop  # noqa: E402

TARGETS = {1.0: 1.0, 4.0: 2.0, 16.0: 5.0}  # the median of every edit (issue 10)
STRUCTURAL = ("note", "rename", "delete", "section", "aliases")
STRUCTURAL_TARGETS = {1.0: 1.0, 16.0: 5.0}  # each structural kind's median (issue 21)
CONTENT = ("bullet", "entry", "priority")
CONTENT_TARGETS = {1.0: 0.5, 16.0: 2.5}  # the median of the content edits (issue 21)
KINDS = ("bullet", "entry", "priority", "note", "rename", "delete", "section", "aliases")
STARTUP_SECONDS = 900
RELOAD_SECONDS = 300


class Server:
    """`python -m mkdocs serve` on a project; its log lines arrive, timestamped, on a queue."""

    def __init__(self, config: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1",
                   PYTHONPATH=os.pathsep.join(filter(None, [str(REPO / "plugins"), os.environ.get("PYTHONPATH")])))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{self.port}"],
            cwd=config.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put((time.perf_counter(), line.rstrip("\n")))

    def wait_for(self, pattern: str, seconds: float, after: float = 0.0) -> tuple[float, str]:
        """The first log line matching `pattern` read after `after` (a perf_counter time)."""
        deadline = time.perf_counter() + seconds
        while True:
            try:
                stamp, line = self.lines.get(timeout=max(0.01, deadline - time.perf_counter()))
            except queue.Empty:
                raise TimeoutError(f"no {pattern!r} within {seconds} s; log tail:\n" + "\n".join(self.log[-20:])) from None
            self.log.append(line)
            if stamp >= after and re.search(pattern, line):
                return stamp, line
            if self.proc.poll() is not None:
                raise RuntimeError("mkdocs serve exited:\n" + "\n".join(self.log[-40:]))

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server process has used so far (Linux /proc)."""
        with open(f"/proc/{self.proc.pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def settle(self, quiet: float = 1.0) -> None:
        """Wait until the server has logged nothing for `quiet` seconds (no rebuild under way) and
        is idle: its CPU time grew less than 0.02 s in the last 0.5 s (the warm start's save of the
        last build, 1 s after it, is over: an edit is timed from an idle server)."""
        while True:
            try:
                self.log.append(self.lines.get(timeout=quiet)[1])
                continue
            except queue.Empty:
                pass
            before = self.cpu_seconds()
            time.sleep(0.5)
            if self.cpu_seconds() - before < 0.02:
                return

    def stop(self) -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):  # killed then: the figures are printed all the same
            stop(self.proc)


def _edit(kind: str, docs: Path, n: int) -> tuple[str, str | None]:
    """Make one edit; returns (site path of the page that must show it, the text it must show;
    None: the page must be gone)."""
    notes = sorted(p for p in docs.glob("notes_*.md"))
    if kind in STRUCTURAL:
        return _structural_edit(kind, docs, notes, n)
    path = notes[n % len(notes)]
    text = path.read_text(encoding="utf-8")
    if kind == "bullet":
        marker = f"an edited bullet {n}"
        heading = text.index("\n### ")
        end = text.index("\n", text.index("\n", heading + 1) + 1)  # after the heading and its author line
        path.write_text(text[:end] + f"\n- {marker}" + text[end:], encoding="utf-8")
        return f"{path.stem}/", marker
    if kind == "entry":
        title = f"Brand new paper {n}"
        path.write_text(text + f"\n### [Venue{n} 2025] {title}\n_Newauthor Person{n}_\n- fresh\n", encoding="utf-8")
        return f"authors/newauthor-person{n}/", title
    if kind == "priority":
        match = re.search(r"^### (?!\[!)(.*)$", text, re.M)
        assert match is not None, f"no entry without a priority in {path}"
        path.write_text(text[: match.start()] + "### [!!!] " + match.group(1) + text[match.end():], encoding="utf-8")
        title = re.sub(r"\[\[[^\]]*\]\]\([^)]*\)", "", match.group(1))  # resource links go (`[[pdf]](url)`)
        title = re.sub(r"\[[^\]]*\]\s*", "", title).strip()  # and bracketed tags
        return "must-read/", title[:40].strip()  # the page trims the title
    raise ValueError(kind)


def _structural_edit(kind: str, docs: Path, notes: list[Path], n: int) -> tuple[str, str | None]:
    if kind == "note":
        # `topic_` sorts after `notes_`: the new note is not the section's first
        (docs / f"topic_{n}.md").write_text(
            f"# Fresh note {n}\n\n## Fresh\n\n### [ICLR 2025] Fresh paper {n}\n_Ada Newnote{n}_\n- new\n", encoding="utf-8")
        return f"topic_{n}/", f"Fresh paper {n}"
    if kind == "delete":
        added = sorted(docs.glob("topic_*.md"), key=lambda p: p.stat().st_mtime_ns)
        path = added[-1] if added else notes[-1]
        path.unlink()
        return f"{path.stem}/", None
    if kind == "aliases":
        return _merge_author(docs, notes[n % len(notes)], n)
    path = notes[1 + n % (len(notes) - 1)]  # never the first note: a rename would change every page's nav
    text = path.read_text(encoding="utf-8")
    if kind == "rename":
        target = docs / f"renamed_{n}.md"
        path.rename(target)
        title = re.search(r"^# (.*)$", text, re.M)
        assert title is not None, f"no title in {path}"
        return f"{target.stem}/", title.group(1)
    if kind == "section":
        match = re.search(r"^## (.*)$", text, re.M)
        assert match is not None, f"no section in {path}"
        heading = f"{match.group(1)} revised {n}"
        path.write_text(text[: match.start()] + "## " + heading + text[match.end():], encoding="utf-8")
        return f"{path.stem}/", heading
    raise ValueError(kind)


def _merge_author(docs: Path, note: Path, n: int) -> tuple[str, str]:
    """aliases.yml: the first author of `note`'s first entry becomes an alias of a new name, whose
    page must then list that entry."""
    text = note.read_text(encoding="utf-8")
    matches = list(re.finditer(r"^### (.*)\n_([^,_\n]+)", text, re.M))
    assert matches, f"no entry with authors in {note}"
    match = matches[n % len(matches)]  # a different entry each time: no spelling is merged twice
    canonical = f"Merged Person{n}"
    aliases = docs.parent / "aliases.yml"
    spelling = match.group(2).strip().replace('"', '\\"')
    aliases.write_text(aliases.read_text(encoding="utf-8").replace(
        "authors:\n", f'authors:\n  {canonical}:\n    aliases: ["{spelling}"]\n', 1), encoding="utf-8")
    title = re.sub(r"\[[^\]]*\]\s*", "", match.group(1)).strip()
    return f"authors/merged-person{n}/", title.split(":")[0]  # the benchmark's titles start with a unique `Word-N:`


def bench_scale(scale: float, rounds: int, seed: int, out: Path) -> dict:
    lib = benchmark.generate(scale, seed)
    root = out / f"scale-{scale:g}"
    benchmark.write_project(root, lib)
    server = Server(root / "mkdocs-plugin.yml")
    times: dict[str, list[float]] = {k: [] for k in KINDS}
    cpu: dict[str, list[float]] = {k: [] for k in KINDS}
    after: list[float] = []  # CPU after each reload, until idle
    try:
        started = time.perf_counter()
        server.wait_for(r"Serving on http", STARTUP_SECONDS)
        startup = time.perf_counter() - started
        print(f"  {scale:g}x: {lib.entries} entries, served after {startup:.1f} s", file=sys.stderr, flush=True)
        n = 0
        for r in range(rounds):
            for kind in KINDS:
                n += 1
                server.settle()  # no rebuild under way (a save can fire two change events)
                before, cpu_before = time.perf_counter(), server.cpu_seconds()
                page, must_show = _edit(kind, root / "docs", n)
                # the reload of a build that started after the write
                started_at, _ = server.wait_for(r"Building documentation", RELOAD_SECONDS, after=before)
                stamp, _ = server.wait_for(r"Reloading browsers", RELOAD_SECONDS, after=started_at)
                cpu[kind].append(server.cpu_seconds() - cpu_before)
                status, html = http_get(server.base + page, timeout=30)
                if must_show is None and status != 404:
                    raise AssertionError(f"{kind} edit {n}: {page} is stale (HTTP {status}, not 404)")
                if must_show is not None and (status != 200 or must_show not in html.replace("&amp;", "&")):
                    raise AssertionError(f"{kind} edit {n}: {page} is stale (HTTP {status}, {must_show!r} missing)")
                times[kind].append(stamp - before)
                reloaded = server.cpu_seconds()
                server.settle()
                after.append(server.cpu_seconds() - reloaded)  # the warm start's save and the idle collection
                print(f"    round {r + 1} {kind}: {stamp - before:.2f} s (CPU {cpu[kind][-1]:.2f} s, "
                      f"then {after[-1]:.2f} s)", file=sys.stderr, flush=True)
    finally:
        server.stop()
    every = [t for ts in times.values() for t in ts]
    return {"scale": scale, "entries": lib.entries, "startup": startup, "times": times, "cpu": cpu,
            "medians": {k: statistics.median(v) for k, v in times.items()}, "median": statistics.median(every),
            "content": statistics.median([t for k in CONTENT for t in times[k]]),
            "cpu_median": statistics.median([t for ts in cpu.values() for t in ts]),
            "after_median": statistics.median(after),
            "load": os.getloadavg()[0]}


def table(rows: list[dict]) -> str:
    head = ("| scale | entries | first build s | " + " | ".join(f"{k} s" for k in KINDS)
            + " | median s | target s | content median s | target s | slowest structural s | target s"
            + " | median CPU s | CPU after s | load |")
    lines = [head, "|" + "---|" * head.count(" | ") + "---|"]
    for r in rows:
        target = TARGETS.get(r["scale"])
        structural = max(r["medians"][k] for k in STRUCTURAL)
        s_target = STRUCTURAL_TARGETS.get(r["scale"])
        lines.append(f"| {r['scale']:g}x | {r['entries']} | {r['startup']:.1f} | "
                     + " | ".join(f"{r['medians'][k]:.2f}" for k in KINDS)
                     + f" | {r['median']:.2f} | {_against(r['median'], target)}"
                     + f" | {r['content']:.2f} | {_against(r['content'], CONTENT_TARGETS.get(r['scale']))}"
                     + f" | {structural:.2f} | {_against(structural, s_target)}"
                     + f" | {r['cpu_median']:.2f} | {r['after_median']:.2f} | {r['load']:.1f} |")
    return "\n".join(lines)


def _against(value: float, target: float | None) -> str:
    return "-" if target is None else f"{target} ({'met' if value <= target else 'MISSED'})"


def main(argv: list[str] | None = None) -> int:
    parser = benchmark.scales_parser(__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    rows = benchmark.at_each_scale(args, "pn-edit-reload-", lambda scale, out: bench_scale(scale, args.rounds, args.seed, out))
    print(f"edit-to-reload, plain `mkdocs serve`, {args.rounds} rounds of each edit, medians:")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
