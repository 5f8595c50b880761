"""Drive one site's builds in this process the way `mkdocs serve` does (mkdocs/commands/serve.py).

`serve` loads the config once, calls `on_startup(command="serve")`, sets `site_url` to the
serve URL and builds; every rebuild loads the config again (plugins that define
`on_startup` are kept, with their state) and builds with `serve_url`. A clean build here
is the same plugin with its rebuild cache switched off: what `mkdocs build` does.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands import build as mkdocs_build
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

SERVE_URL = "http://127.0.0.1:8000/"


def repository_like_project(root: Path) -> Path:
    """A project at `root` with the repository's mkdocs.yml and theme overrides, no aliases.yml, and a
    home page in docs/ (notes are the caller's); returns its mkdocs.yml."""
    repo = Path(__file__).resolve().parents[2]  # as support.paths.REPO: this module is imported from bench/ too
    (root / "docs").mkdir(parents=True)
    shutil.copytree(repo / "overrides", root / "overrides")
    config = root / "mkdocs.yml"
    config.write_text((repo / "mkdocs.yml").read_text(encoding="utf-8").replace("aliases: aliases.yml", "{}"), encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    return config


class ServeLike:
    def __init__(self, config_file: Path, site_dir: Path) -> None:
        self.config_file, self.site_dir = config_file, site_dir
        config = self._load()
        config.plugins.on_startup(command="serve", dirty=False)
        self.plugin = config.plugins["papernotes"]
        self._first: MkDocsConfig | None = config

    def _load(self) -> MkDocsConfig:
        config = load_config(config_file=str(self.config_file), site_dir=str(self.site_dir))
        config.site_url = SERVE_URL
        return config

    def rebuild(self) -> None:
        config, self._first = self._first or self._load(), None
        assert config.plugins["papernotes"] is self.plugin, "MkDocs no longer keeps a plugin with on_startup"
        build(config, serve_url=SERVE_URL)

    def clean_build(self, site_dir: Path) -> None:
        """A full build of the same config into `site_dir`, no cache involved (a reference: not measured)."""
        config = load_config(config_file=str(self.config_file), site_dir=str(site_dir))
        config.site_url = SERVE_URL
        incremental = self.plugin.incremental
        enabled, incremental.enabled = incremental.enabled, False
        try:
            with unmeasured():
                build(config, serve_url=SERVE_URL)
        finally:
            incremental.enabled = enabled

    def assert_same_as_clean(self, step: str) -> None:
        """The served tree equals a clean build's of the same config, file for file (built beside it)."""
        clean = self.site_dir.parent / "clean"
        self.clean_build(clean)
        problems = differences(tree(self.site_dir), tree(clean))
        assert not problems, f"{step}: {problems[:10]}"
        shutil.rmtree(clean)

    def close(self) -> None:
        self._load().plugins.on_shutdown()


@contextmanager
def unmeasured() -> Iterator[None]:
    """Coverage paused in this thread for the block: for the reference builds the tests compare
    the plugin's output with (what `mkdocs build` makes), where its tracing doubles their time.
    Only this thread's tracer is taken off and put back (other threads, such as a save's timer,
    stay measured); without coverage, as in bench/, nothing is done. support.commands.unmeasured
    is the same for a child process."""
    trace = sys.gettrace()
    if trace is None or not type(getattr(trace, "__self__", trace)).__module__.startswith("coverage"):
        yield
        return
    sys.settrace(None)
    try:
        yield
    finally:
        sys.settrace(trace)  # coverage's tracer takes itself back from the next call on


def tree(site_dir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site_dir)): p.read_bytes() for p in sorted(site_dir.rglob("*")) if p.is_file()}


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    out = [f"only in incremental: {k}" for k in sorted(a.keys() - b.keys())]
    out += [f"only in clean: {k}" for k in sorted(b.keys() - a.keys())]
    out += [f"differs: {k}" for k in sorted(a.keys() & b.keys()) if a[k] != b[k]]
    return out


def stop(proc: subprocess.Popen[Any], how: int = signal.SIGTERM, timeout: float = 20) -> None:
    """Stop a server process with signal `how` (SIGINT: Ctrl-C, which runs `on_shutdown`), killing it
    if it has not stopped within `timeout` seconds: no server outlives its test or benchmark. Raises
    `subprocess.TimeoutExpired` after the kill if it had to kill it, so a test sees a server that would not stop."""
    proc.send_signal(how)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (for a `mkdocs serve` to take)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get_bytes(url: str, timeout: float = 10) -> tuple[int, bytes]:
    """(status, body) of a GET; an HTTP error is a status, not an exception."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code, b""


def http_get(url: str, timeout: float = 5) -> tuple[int, str]:
    """`http_get_bytes` with the body as text."""
    status, body = http_get_bytes(url, timeout)
    return status, body.decode("utf-8")


def wait_until(what: str, unmet: Callable[[], list[str]], seconds: float, log: Path) -> None:
    """Poll a served site until `unmet()` is empty; bounded, so a stuck server fails the test
    (with the tail of its `log`) instead of hanging it."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            missing = unmet()
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            missing = [f"server not answering: {exc}"]
        if not missing:
            return
        if time.monotonic() > deadline:
            tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
            pytest.fail(f"{what}: still not true after {seconds} s:\n  " + "\n  ".join(missing[:10]) + f"\nmkdocs serve said:\n{tail}")
        time.sleep(0.5)


# Where in a build an edit may land (the MkDocs 1.6 function it runs beside, in mkdocs/commands/build.py).
MID_BUILD = {
    "walked": "get_files",  # after: MkDocs has listed docs/, no plugin has read a note
    "reading": "_populate_page",  # before the first: the plugin has read, indexed and generated; pages are read
    "writing": "_build_page",  # before the first: every page read, on_env done; the theme writes pages
}


@contextmanager
def mid_build(point: str, action: Callable[[], None]) -> Iterator[None]:
    """Within the block, `action` runs once in the middle of the next build, at `point` (MID_BUILD):
    an edit made there lands while the build runs, as a save does during a `mkdocs serve` rebuild."""
    name = MID_BUILD[point]
    original = getattr(mkdocs_build, name)
    pending = [action]

    def landing(*args: Any, **kwargs: Any) -> Any:
        if name == "get_files":
            result = original(*args, **kwargs)
            while pending:
                pending.pop()()
            return result
        while pending:
            pending.pop()()
        return original(*args, **kwargs)

    setattr(mkdocs_build, name, landing)
    try:
        yield
    finally:
        setattr(mkdocs_build, name, original)
    assert not pending, f"no build reached {point!r}"
