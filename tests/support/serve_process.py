"""One `mkdocs serve`-like process per object: builds as `serving.ServeLike` does, in a child process.

The warm start is about what one process leaves on disk for the next, so its tests need real
processes: nothing held in memory (a plugin instance, a module's memo) may carry over. The
child reads one command a line on stdin and answers one JSON line on stdout:

* `build`: rebuild; answers the rebuild cache's stats, the seconds it took, and the lines the
  warm start logged (its notices);
* `exit`: `on_shutdown` (the cache is saved for the next process), then exit;
* `kill`: exit at once, as a killed `serve` does (nothing saved).

Run as a script, this file is the child: `python tests/support/serve_process.py CONFIG SITE_DIR`.
`clean_build` is the reference every served site is compared with.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent  # tests/support
TESTS = HERE.parent
NOTICES = "mkdocs.plugins.papernotes.serve.warm_start"
CACHE = Path(".papernotes-cache") / "serve"  # under the project
SAVE_DELAY = "PAPERNOTES_TEST_SAVE_DELAY"  # read by the child only, never by the plugin


class ServeProcess:
    """The parent's handle on one child `serve` process."""

    def __init__(self, config_file: Path, site_dir: Path, env: dict[str, str] | None = None,
                 save_delay: float | None = None) -> None:
        """`save_delay`: seconds from a build's end to its save, in place of `warm_start.SAVE_DELAY`."""
        # Not pytest's own variables: PYTEST_CURRENT_TEST differs between a fixture and its test, and
        # a change in the environment rightly keeps a `serve` from starting warm.
        environ = {k: v for k, v in (os.environ if env is None else env).items() if not k.startswith("PYTEST_")}
        if save_delay is not None:
            environ[SAVE_DELAY] = str(save_delay)
        environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS.parent / "plugins"), environ.get("PYTHONPATH")]))
        environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in _close; a file, not a pipe: a chatty child never blocks on it
        self.proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), str(config_file), str(site_dir)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, text=True,
                                     env=environ, cwd=str(config_file.parent))

    def _ask(self, command: str) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(timeout=60)
            self.stderr.seek(0)
            stderr = self.stderr.read().decode("utf-8", "replace")
            raise RuntimeError(f"the serve process died on {command!r}:\n{stderr[-4000:]}")
        return json.loads(line)  # type: ignore[no-any-return]

    def build(self) -> dict[str, Any]:
        return self._ask("build")

    def exit(self) -> None:
        """Stop as `serve` stops on Ctrl-C: on_shutdown saves the cache."""
        self._ask("exit")
        self.proc.wait(timeout=60)
        self._close()

    def kill(self) -> None:
        """Stop as a killed `serve` stops: nothing more is written."""
        assert self.proc.stdin is not None
        self.proc.stdin.write("kill\n")
        self.proc.stdin.flush()
        self.proc.wait(timeout=60)
        self._close()

    def _close(self) -> None:
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()
        self.stderr.close()

    def __enter__(self) -> ServeProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=60)
        self._close()


def clean_build(config_file: Path, site_dir: Path) -> dict[str, bytes]:
    """What `mkdocs build` makes of the same files, served at the same address: the reference (file -> bytes),
    not measured by coverage (serving.unmeasured)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from support.serving import SERVE_URL, tree, unmeasured

    config = load_config(config_file=str(config_file), site_dir=str(site_dir))
    config.site_url = SERVE_URL
    incremental = config.plugins["papernotes"].incremental
    enabled, incremental.enabled = incremental.enabled, False  # the plugin object is shared in this process
    try:
        with unmeasured():  # a reference
            build(config, serve_url=SERVE_URL)
    finally:
        incremental.enabled = enabled
    made = tree(site_dir)
    shutil.rmtree(site_dir)
    return made


def same_as_clean(root: Path, served: Path, after: object) -> None:
    """The site served from `served` is a clean build's of `root`, file for file."""
    from support.serving import differences, tree

    problems = differences(tree(served), clean_build(root / "mkdocs.yml", root.parent / "clean"))
    assert not problems, f"after {after}:\n" + "\n".join(problems[:20])


def warm(reply: dict[str, Any]) -> bool:
    """Whether the build of `reply` started from the cache on disk."""
    return any(n.startswith("papernotes: warm start from") for n in reply["notices"])


def _child(config_file: str, site_dir: str) -> None:
    import logging

    sys.path.insert(0, str(TESTS))
    from papernotes.serve import warm_start

    from support.serving import ServeLike

    if SAVE_DELAY in os.environ:
        warm_start.SAVE_DELAY = float(os.environ.pop(SAVE_DELAY))  # popped: not part of the environment it records

    notices: list[str] = []

    class _Notices(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            notices.append(record.getMessage())

    logger = logging.getLogger(NOTICES)
    logger.setLevel(logging.DEBUG)
    logger.addHandler(_Notices())
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    logger.propagate = False
    serve = ServeLike(Path(config_file), Path(site_dir))

    def answer(value: dict[str, Any]) -> None:
        sys.stdout.write(json.dumps(value) + "\n")
        sys.stdout.flush()

    for line in sys.stdin:
        command = line.strip()
        if command == "build":
            notices.clear()
            started = time.perf_counter()
            serve.rebuild()
            answer({"seconds": time.perf_counter() - started, "stats": serve.plugin.incremental.stats(),
                    "notices": list(notices)})
        elif command == "exit":
            serve.close()
            answer({"notices": list(notices)})
            return
        elif command == "kill":
            os._exit(0)


if __name__ == "__main__":
    _child(sys.argv[1], sys.argv[2])
