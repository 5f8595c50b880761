"""The warm start: `mkdocs serve` keeps its rebuild cache and its site on disk, and the next `serve` starts from them.

Where: `.papernotes-cache/serve/` beside mkdocs.yml (the plugin's `serve_cache` option; `false`
turns it off), which holds a `.gitignore` of its own. In it, `site/` is the served site: each
build's `site_dir` is pointed there, and the temporary folder `mkdocs serve` made (and serves
from) becomes a link to it, so a warm start writes only the files that changed; `index` and
`pack-*.bin` are the rest of the cache (serve_state.py, cache_file.py).

Trusted only when proven right: the index records what the cache was made with (environment.py:
mkdocs.yml, the environment variables, the site settings, the versions of the packages, the
plugin's code, overrides/, the Python; `record`), and a new process starts from it only if all of
it is the same now and every file reads back whole. Anything else is a full build, with one
line saying why. The notes are not in the record: each page's own fingerprint covers them, so a
`git pull` that changed a few notes costs what those edits cost in a running `serve`.

When: the index is removed as a build begins (before anything is written into `site/`), and a
new one is written `SAVE_DELAY` seconds after a build ends (after the browsers have reloaded,
on a timer thread, as the idle collection in collector.py), or when `serve` stops. A build that
begins meanwhile stops the save. So an index on disk always describes the `site/` beside it;
a `serve` killed in between leaves none, and the next one builds everything.

One process at a time: a second `serve` of the same project finds the folder locked and keeps
its cache in memory, as before. `mkdocs build` never reads or writes any of it.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger

from papernotes.serve import cache_file, serve_state
from papernotes.serve.collector import trim
from papernotes.serve.environment import differing, process_components, variables
from papernotes.serve.serve_state import Parts, Stopped

log = get_plugin_logger(__name__)

DEFAULT_FOLDER = ".papernotes-cache"
SAVE_DELAY = 1.0  # seconds after a build ends: the browsers have reloaded by then
LOCK = "lock"
SITE = "site"


def _what_changed(recorded: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """The parts of the environment that differ between the cache's record and this build's, by
    their names ("mkdocs.yml", "environment variables (REPO_NAME)", ...); [] if none does."""
    changed = differing({k: v for k, v in recorded.items() if k != "variables"},
                        {k: v for k, v in now.items() if k != "variables"})
    names = [n for n in changed if n not in ("components", "process")]
    for group in ("process", "components"):
        if group in changed:
            before = recorded.get(group)
            names += differing(before if isinstance(before, dict) else {}, now[group])
    if "environment variables" in names:
        before = recorded.get("variables")
        names[names.index("environment variables")] = "environment variables (" + ", ".join(
            differing(before if isinstance(before, dict) else {}, now["variables"])) + ")"
    return names


def _lock(fd: int) -> bool:
    """An exclusive lock on the open file `fd`, held until the process ends (False: another holds it)."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]  # Windows only: typeshed has msvcrt for win32 alone
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class WarmStart:
    """The serve cache on disk of one `mkdocs serve` process."""

    def __init__(self) -> None:
        self.folder: str | None = None  # .papernotes-cache/serve, once this process holds it
        self.shown = ""  # the folder as notices name it
        self.reason: str | None = "not opened"  # why the cache on disk is not used (None: it is)
        self.restored = 0  # values taken from disk by the first build
        self._opened = False
        self._fd: int | None = None
        self._link: tuple[str, bool] | None = None  # (the site_dir serve gave, whether it was a folder)
        self._record: dict[str, Any] = {}  # what the last build was made with
        self._process: dict[str, str] | None = None
        self._packs: dict[str, int] = {}  # the packs the index on disk uses
        self._generation = 0  # builds begun
        self._unsaved: int | None = None  # the build whose result is not on disk yet
        self._guard = threading.Lock()  # a save's last step and a build's first one never interleave
        self._saving = threading.Lock()  # one save at a time (the timer's, or the one when `serve` stops)
        self._timer: threading.Timer | None = None
        self.saves = 0

    # -- the folder --------------------------------------------------------------------------

    def open(self, config: MkDocsConfig, folder: str | None) -> None:
        """The first build: take the folder (`folder` beside mkdocs.yml; None: none) and link `site_dir` to it."""
        self._opened = True
        if not folder:
            self.reason = "turned off (serve_cache: false)"
            return
        root = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
        top = os.path.normpath(os.path.join(root, folder))
        path = os.path.join(top, "serve")
        self.shown = os.path.relpath(top, root)
        docs = os.path.abspath(config.docs_dir)
        if path == docs or path.startswith(docs + os.sep) or docs.startswith(path + os.sep):
            self._off(f"{self.shown} is inside docs_dir")
            return
        try:
            os.makedirs(os.path.join(path, SITE), exist_ok=True)
            ignore = os.path.join(top, ".gitignore")
            if not os.path.exists(ignore):
                with open(ignore, "w", encoding="utf-8") as fh:
                    fh.write("# The cache of `mkdocs serve` (papernotes): never committed.\n*\n")
            fd = os.open(os.path.join(path, LOCK), os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            self._off(f"{self.shown} cannot be written ({exc.strerror})")
            return
        if not _lock(fd):
            os.close(fd)
            self._off(f"another `mkdocs serve` of this project is using {self.shown}")
            return
        self._fd = fd
        served, site = os.path.abspath(config.site_dir), os.path.join(path, SITE)
        try:
            was_folder = os.path.isdir(served) and not os.path.islink(served)
            if was_folder:
                os.rmdir(served)  # the empty folder `serve` made; fails if it holds anything
            elif os.path.islink(served):
                os.unlink(served)  # a link left by a `serve` that was killed (anything else stays: linking fails)
            os.symlink(site, served, target_is_directory=True)
        except OSError as exc:
            self._off(f"site_dir cannot be linked to {self.shown} ({exc.strerror})")
            return
        self._link = (served, was_folder)
        self.folder, self.reason = path, None
        self._process = process_components()

    def _off(self, why: str) -> None:
        self.reason = why
        log.info("warm start off: %s; the rebuild cache is kept in memory only", why)
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def redirect(self, config: MkDocsConfig) -> None:
        """on_config, every build: MkDocs writes into the kept site (the folder `serve` serves links there)."""
        if self.folder is not None:
            config.site_dir = os.path.join(self.folder, SITE)

    # -- a build -------------------------------------------------------------------------------

    def pause(self) -> None:
        """A serve build begins: a save under way stops, one waiting is dropped."""
        with self._guard:
            self._generation += 1
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

    def load(self, components: dict[str, str], parts: Parts) -> bool | None:
        """The first build, after `redirect`: fill `parts` from disk if what the cache records is
        what this build is made with. True: restored, and `site_dir` as recorded; False: restored,
        but some files of `site_dir` changed since; None: not restored (a notice says why)."""
        if self.folder is None:
            return None
        record = self.record(components)
        try:
            loaded = serve_state.load(self.folder)
        except cache_file.CacheFileError as exc:
            if "index is missing" in str(exc):
                log.info("no warm start: %s holds no cache yet; building everything", self.shown)
            else:
                log.info("no warm start: the cache in %s cannot be used (%s); building everything", self.shown, exc)
            return None
        changed = _what_changed(loaded.record, record)
        if changed:
            log.info("no warm start: %s changed since the cache in %s was written; building everything",
                     ", ".join(changed), self.shown)
            return None
        try:
            whole = serve_state.restore(loaded, parts, os.path.join(self.folder, SITE))
        except cache_file.CacheFileError as exc:
            parts.cache.clear()
            parts.site.failed()
            parts.sitemap.forget()
            parts.settled.forget()
            log.info("no warm start: the cache in %s cannot be used (%s); building everything", self.shown, exc)
            return None
        self._packs = loaded.names()
        self.restored = sum(len(s) for s in parts.stores().values())
        log.info("warm start from the cache in %s (%d results kept)", self.shown, self.restored)
        return whole

    def record(self, components: dict[str, str]) -> dict[str, Any]:
        """What a build is made with, as the index records it."""
        return {"format": cache_file.FORMAT, "process": self._process or {}, "components": components,
                "variables": variables()}

    def building(self, components: dict[str, str]) -> None:
        """A serve build begins writing into `site/`: the index no longer describes it."""
        if self.folder is None:
            return
        with self._guard:
            self._record = self.record(components)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(self.folder, serve_state.INDEX))

    def built(self, parts: Parts) -> None:
        """A serve build ended: save it once the browsers have reloaded, unless a build begins first."""
        if self.folder is None:
            return
        with self._guard:
            self._unsaved = self._generation
            self._timer = threading.Timer(SAVE_DELAY, self._save, args=(parts, self._generation))
            self._timer.daemon = True
            self._timer.start()

    def failed(self) -> None:
        """A build failed: there is nothing to save (the index went when it began)."""
        self._unsaved = None

    def _save(self, parts: Parts, generation: int) -> bool:
        """Write the state of `generation`'s build; False if a build began first (nothing counts then)."""
        with self._saving:
            try:
                return self._save_now(parts, generation)
            finally:
                trim()  # what the save encoded is garbage now: the process does not keep its high-water mark

    def _save_now(self, parts: Parts, generation: int) -> bool:
        folder = self.folder
        if folder is None or self._unsaved != generation:
            return False
        started = time.perf_counter()
        try:
            saved = serve_state.save(folder, parts, self._record, self._packs, lambda: self._generation == generation)
            with self._guard:
                if self._generation != generation:
                    raise Stopped
                os.replace(os.path.join(folder, serve_state.INDEX + ".next"), os.path.join(folder, serve_state.INDEX))
                serve_state.apply(parts, saved)
                self._packs, self._unsaved = saved.packs, None
            serve_state.remove_unused(folder, saved.packs)
        except Stopped:
            return False
        except (OSError, RuntimeError, cache_file.CacheFileError) as exc:
            # RuntimeError: a store changed size under the save (a build began); the next save tries again
            log.debug("the serve cache was not saved: %s", exc)
            return False
        except Exception as exc:  # a save is never worth a traceback in the middle of serving
            log.info("the serve cache was not saved (%s: %s); the next start builds everything", type(exc).__name__, exc)
            return False
        self.saves += 1
        log.debug("serve cache saved: %d values, %d bytes written, in %.2f s", saved.values, saved.written,
                  time.perf_counter() - started)
        return True

    def shutdown(self, parts: Parts) -> None:
        """`serve` stops: save what is not saved yet, let go of the folder, take the link away."""
        with self._guard:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        unsaved = self._unsaved  # a save under way finishes first, and then there is none
        if unsaved is not None:
            self._save(parts, unsaved)
        if self._link is not None:
            served, was_folder = self._link
            with contextlib.suppress(OSError):
                if os.path.islink(served):
                    os.unlink(served)
                    if was_folder:
                        os.mkdir(served)  # as `serve` made it, for it to remove
            self._link = None
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self.folder, self._opened, self.reason = None, False, "shut down"

    @property
    def opened(self) -> bool:
        return self._opened
