"""Bursts of saves under a real `mkdocs serve` end, once it is quiet, in the site a clean build makes.

One `mkdocs serve` process (the plain command, live reload on) serves a small library kept in
git; each test makes a burst of changes the way an editor or git makes them: twenty saves of
one note 40 ms apart, each different (auto-save); a `git checkout` that rewrites, renames,
deletes and adds twenty notes at once; a save while a rebuild runs. Once serve has logged
nothing for a while after its last "Reloading browsers", the folder it serves (MkDocs' temporary
`site_dir`, found under the process's TMPDIR) must equal a clean build of the files as they are
(serve's first build, made in a fresh process with the rebuild cache off), byte for byte, and
every file of that build must come over HTTP as it is (a page with MkDocs' live-reload script
before `</body>`, and nothing else added).
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.gitrepo import commit, git
from support.paths import REPO
from support.serving import differences, free_port, http_get_bytes, stop, tree

STARTUP_SECONDS = 120
SETTLE_SECONDS = 120  # the longest a burst may take to be built
QUIET_SECONDS = 1.5  # serve polls docs/ every 0.1 s and mkdocs.yml every 0.5 s: nothing for this long is quiet
NOTES = 20
VENUES = ("CVPR 2023", "ICCV 2021", "ECCV 2022")  # all as long: a save changes the note, not its length


def _note(n: int, version: str = "", venue: int = 0, extra: str = "") -> str:
    return (f"# Note {n:02d}{version}\n\n## Topic {n % 3}\n\n"
            f"### [{VENUES[(n + venue) % 3]}] Paper {n:02d} one{version}\n_Author{n:02d} Person, Shared Person_\n- a point\n"
            f"{extra}\n### [NeurIPS 2022] Paper {n:02d} two\n_Other{n:02d} Writer_\n- another point\n")


def _write_project(root: Path) -> None:
    (root / "docs").mkdir(parents=True)
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "aliases.yml").write_text("authors: {}\n", encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    for n in range(1, NOTES + 1):
        (root / "docs" / f"n{n:02d}.md").write_text(_note(n), encoding="utf-8")


def _switched(root: Path) -> None:
    """The other branch's notes: every note changed, two renamed, one deleted, one added."""
    docs = root / "docs"
    for n in range(1, NOTES + 1):
        (docs / f"n{n:02d}.md").write_text(_note(n, " (switched)", venue=1), encoding="utf-8")
    (docs / "n03.md").rename(docs / "r03.md")
    (docs / "n07.md").rename(docs / "r07.md")
    (docs / "n11.md").unlink()
    (docs / "z21.md").write_text(_note(21, " (switched)"), encoding="utf-8")


class Serve:
    """`python -m mkdocs serve` on `root`; its log lines arrive, timestamped, on a queue."""

    def __init__(self, root: Path) -> None:
        self.root, self.port = root, free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.tmp = root.parent / "serve-tmp"  # MkDocs' site_dir is made in it (tempfile.mkdtemp)
        self.tmp.mkdir()
        self.env = dict(os.environ, TMPDIR=str(self.tmp), SOURCE_DATE_EPOCH="1700000000", NO_MKDOCS_2_WARNING="1")
        self.env.pop("SITE_URL", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{self.port}", "-f", str(root / "mkdocs.yml")],
            cwd=root, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self.log: list[tuple[float, str]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.wait_for(r"Serving on http", STARTUP_SECONDS)
        while self._next(QUIET_SECONDS) is not None:  # whatever it says once serving
            pass

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put((time.monotonic(), line.rstrip("\n")))

    def _next(self, timeout: float) -> tuple[float, str] | None:
        try:
            item = self.lines.get(timeout=max(0.01, timeout))
        except queue.Empty:
            if self.proc.poll() is not None:
                pytest.fail("mkdocs serve exited:\n" + self.tail())
            return None
        self.log.append(item)
        return item

    def tail(self) -> str:
        return "\n".join(line for _, line in self.log[-40:])

    def wait_for(self, pattern: str, seconds: float, after: float = 0.0) -> float:
        """The time of the first log line matching `pattern` logged after `after` (already read or not)."""
        for stamp, line in self.log:
            if stamp >= after and re.search(pattern, line):
                return stamp
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            item = self._next(deadline - time.monotonic())
            if item is not None and item[0] >= after and re.search(pattern, item[1]):
                return item[0]
        pytest.fail(f"no {pattern!r} within {seconds} s; mkdocs serve said:\n{self.tail()}")

    def quiet(self, since: float) -> None:
        """Wait until serve has built what changed at `since` (monotonic) or later and is idle:
        its last build after `since` reloaded the browsers and nothing was logged for QUIET_SECONDS."""
        deadline = time.monotonic() + SETTLE_SECONDS
        while time.monotonic() < deadline:
            if self._next(QUIET_SECONDS) is not None:
                continue
            after = [line for stamp, line in self.log if stamp >= since]
            ends = [line for line in after if "Reloading browsers" in line or "error happened during the rebuild" in line]
            if ends and "Reloading browsers" in ends[-1]:
                return
            if ends:  # the last build after `since` failed: a failure that lasts is the test's failure
                pytest.fail(f"the last rebuild failed:\n{self.tail()}")
        pytest.fail(f"serve not quiet within {SETTLE_SECONDS} s:\n{self.tail()}")

    def site_dir(self) -> Path:
        found = list(self.tmp.glob("mkdocs_*"))
        assert len(found) == 1, found
        return found[0]

    def stop(self) -> None:
        stop(self.proc)
        self._reader.join(timeout=10)  # it reads to the end of the output, then the pipe is closed
        assert self.proc.stdout is not None
        self.proc.stdout.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    root = tmp_path_factory.mktemp("bursts") / "project"
    _write_project(root)
    git(root, "init", "-q", "-b", "main")
    commit(root, "2024-01-01T00:00:00+00:00", "twenty notes")
    git(root, "checkout", "-q", "-b", "switched")
    _switched(root)
    commit(root, "2024-02-01T00:00:00+00:00", "twenty notes changed, renamed, deleted, added")
    git(root, "checkout", "-q", "main")
    serve = Serve(root)
    try:
        yield serve
    finally:
        serve.stop()


def _same_as_a_clean_build(serve: Serve, name: str) -> None:
    """The served folder equals a clean build of the files as they are now, and HTTP
    serves each of its files as built (pages with the live-reload script, nothing else)."""
    clean = serve.root.parent / f"clean-{name}"
    # What serve's first build does (mkdocs/commands/serve.py: on_startup("serve"), site_url set to
    # the preview's address, build with serve_url) in a fresh process, with the rebuild cache off
    # (as support.serving.ServeLike.clean_build): nothing taken from an earlier build. A reference, yet
    # measured by coverage: its full builds of a git history with renamed notes are what covers
    # index/history.py's following of renames.
    script = ("import sys\nfrom mkdocs.commands.build import build\nfrom mkdocs.config import load_config\n"
              "config = load_config(config_file=sys.argv[1], site_dir=sys.argv[2])\n"
              "config.plugins.on_startup(command='serve', dirty=False)\n"
              "config.plugins['papernotes'].incremental.enabled = False\n"
              "config.site_url = sys.argv[3]\nbuild(config, serve_url=sys.argv[3])\n")
    result = subprocess.run([sys.executable, "-c", script, str(serve.root / "mkdocs.yml"), str(clean), serve.base],
                            cwd=serve.root, env=serve.env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    built = tree(clean)
    problems = differences(tree(serve.site_dir()), built)
    assert not problems, f"{name}: the served folder is not a clean build's:\n" + "\n".join(problems[:20])
    for path, content in built.items():
        status, body = http_get_bytes(serve.base + urllib.parse.quote(path))
        assert status == 200, f"{name}: {path} answers HTTP {status}"
        if path.endswith(".html"):
            end = content.rindex(b"</body>")
            head, tail = body[:end], body[-(len(content) - end):]
            script = body[end:len(body) - (len(content) - end)]
            assert head == content[:end] and tail == content[end:], f"{name}: {path} is served otherwise than built"
            assert script.startswith(b"<script>") and script.endswith(b"</script>") and b"livereload" in script, path
        else:
            assert body == content, f"{name}: {path} is served otherwise than built"
    shutil.rmtree(clean)


def test_twenty_saves_of_one_note_40_ms_apart(served: Serve):
    """An editor's auto-save: each save a new bullet, venue and author (a new author page each
    time, the last one's gone), all saves the same length."""
    note = served.root / "docs" / "n05.md"
    started = time.monotonic()
    for k in range(20):
        note.write_text(_note(5, venue=k, extra=f"- save {k:02d}\n_Burst Person{k:02d}_\n"), encoding="utf-8")
        time.sleep(0.04)
    served.quiet(since=started)
    _same_as_a_clean_build(served, "saves")


def test_a_git_checkout_switching_twenty_notes(served: Serve):
    """`git checkout` rewrites every note, renames two, deletes one and adds one at once; then back."""
    for branch in ("switched", "main"):
        started = time.monotonic()
        git(served.root, "checkout", "-q", "-f", branch)
        served.quiet(since=started)
        _same_as_a_clean_build(served, f"checkout-{branch}")


def test_a_save_while_a_rebuild_runs(served: Serve):
    """A new first note (every page's link to the Notes section changes: a long rebuild), and
    while that rebuild writes its pages (the notes all read), a save of another note: the next
    rebuild shows it."""
    docs = served.root / "docs"
    started = time.monotonic()
    (docs / "a00.md").write_text(_note(0), encoding="utf-8")
    building = served.wait_for(r"Building documentation", SETTLE_SECONDS, after=started)
    written = served.site_dir() / "a00" / "index.html"  # the new note's page: the build writes pages now
    deadline = time.monotonic() + SETTLE_SECONDS
    while not written.exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    (docs / "n09.md").write_text(_note(9, " (saved mid-build)"), encoding="utf-8")
    saved = time.monotonic()
    reloaded = served.wait_for(r"Reloading browsers", SETTLE_SECONDS, after=building)
    assert written.exists() and building < saved < reloaded, "the second save did not land while the rebuild wrote pages"
    served.quiet(since=saved)
    _same_as_a_clean_build(served, "mid-build")
