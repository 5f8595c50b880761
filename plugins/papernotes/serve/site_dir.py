"""The `site_dir` of `mkdocs serve` kept between rebuilds: unchanged files are not written again.

MkDocs empties `site_dir` before every build and writes every file anew. On a disk
where making a folder and a file costs about a millisecond (ext4 with `discard`, as on
the benchmark's machine), that is most of a rebuild that reuses every page: 1,400 pages
at 1x are 1,400 folders and files removed and made again. Under `mkdocs serve` (the
rebuild cache on), the plugin instead:

1. `begin` (on_pre_build, just before MkDocs cleans): stops `mkdocs.utils.clean_directory`
   for this `site_dir` and drops a marker file, whose modification time says "now" in the
   file system's own clock;
2. while the build runs, `mkdocs.utils.write_file` and `mkdocs.utils.copy_file` (what
   MkDocs, Material's search and sitemap, and glightbox write with) skip a file whose
   bytes (or source file) are the ones this process wrote there last build, if it is
   still there with the same size; a generated file made of text (`File.generated(...,
   content=...)`: the exports, the feeds), which `File.copy_file` writes with `open`, is
   recorded by the plugin as it adds the file (`written_by_mkdocs`), so it is known too;
3. `finish` (on_post_build, after every other plugin): removes every file that this
   build neither wrote nor skipped as unchanged and that is older than the marker (so a
   file written some other way during the build stays), then folders left empty, then
   the marker. The tree is then exactly what a clean build would have left.

Hidden entries at the top of `site_dir` are left alone, as `clean_directory` leaves them.
A failed build forgets what was written: the next build writes everything again and
removes whatever is stale. `tests/serve/test_incremental.py` compares every rebuild's tree with
a clean build's.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from typing import Any

from mkdocs import utils

MARKER = ".papernotes-build"

_state: dict[str, SiteDir | None] = {"active": None}  # the build under way, if the cache is on
_originals: dict[str, Callable[..., Any]] = {}


def _digest(content: bytes) -> bytes:
    return hashlib.blake2b(content, digest_size=20).digest()


def _write_file(content: bytes, output_path: str) -> None:
    site = _state["active"]
    if site is None or not site.owns(output_path):
        _originals["write_file"](content, output_path)
        return
    key = os.path.abspath(output_path)
    made = (len(content), _digest(content))
    if site.last.get(key) != made or not site.unchanged_on_disk(key, len(content)):
        _originals["write_file"](content, output_path)
    site.written[key] = made


def _copy_file(source_path: str, output_path: str) -> None:
    site = _state["active"]
    if site is None or not site.owns(output_path) or os.path.isdir(output_path):
        _originals["copy_file"](source_path, output_path)
        return
    key = os.path.abspath(output_path)
    try:
        stat = os.stat(source_path)
    except OSError:
        _originals["copy_file"](source_path, output_path)  # MkDocs' own error
        return
    made = (stat.st_size, (os.path.abspath(source_path), stat.st_mtime_ns))
    if site.last.get(key) != made or not site.unchanged_on_disk(key, stat.st_size):
        _originals["copy_file"](source_path, output_path)
    site.written[key] = made


def _clean_directory(directory: str) -> None:
    site = _state["active"]
    if site is not None and os.path.abspath(directory) == site.root:
        return  # `finish` removes what is stale
    _originals["clean_directory"](directory)


def _install() -> None:
    if not _originals:
        for name, replacement in (("write_file", _write_file), ("copy_file", _copy_file),
                                  ("clean_directory", _clean_directory)):
            _originals[name] = getattr(utils, name)
            setattr(utils, name, replacement)


class SiteDir:
    """What one `mkdocs serve` process wrote into its `site_dir` (kept across rebuilds)."""

    def __init__(self) -> None:
        self.root = ""
        self.last: dict[str, tuple[int, Any]] = {}  # path -> (size, digest or source) written last build
        self.written: dict[str, tuple[int, Any]] = {}  # the same, this build
        self._since = 0

    def owns(self, path: str) -> bool:
        return os.path.abspath(path).startswith(self.root + os.sep)

    def unchanged_on_disk(self, path: str, size: int) -> bool:
        try:
            stat = os.stat(path)
        except OSError:
            return False
        return stat.st_size == size and stat.st_mtime_ns < self._since

    def begin(self, site_dir: str) -> None:
        """on_pre_build: keep `site_dir`, write only what changed."""
        _install()
        root = os.path.abspath(site_dir)
        if root != self.root:
            self.last = {}
        self.root, self.written = root, {}
        os.makedirs(root, exist_ok=True)
        marker = os.path.join(root, MARKER)
        with open(marker, "wb"):
            pass
        self._since = os.stat(marker).st_mtime_ns
        _state["active"] = self

    def keep(self, path: str) -> bool:
        """A file this build does not write but keeps as the last build wrote it (False: it was not)."""
        key = path if path in self.last else os.path.abspath(path)
        made = self.last.get(key)
        if made is None or not self.unchanged_on_disk(key, made[0]):
            return False
        self.written[key] = made
        return True

    def written_by_mkdocs(self, path: str, content: bytes) -> None:
        """A file MkDocs writes without its utils (a generated `File` with content: `File.copy_file`
        opens it itself), recorded as written, so that it is removed once a build no longer makes it."""
        if _state["active"] is self and self.owns(path):
            self.written[os.path.abspath(path)] = (len(content), _digest(content))

    def was_written(self, path: str) -> bool:
        return path in self.last or os.path.abspath(path) in self.last  # MkDocs' paths are absolute already

    def finish(self, *, full: bool = True) -> None:
        """on_post_build, last: remove what this build did not make; remember what it wrote.

        `full=False`, when every writer of the build is known to write through MkDocs' utils (the
        plugins `settled_pages.SETTLE_PLUGINS`) and the last build was finished here: only what the
        last build wrote and this one did not is removed, without walking 20,000 folders."""
        if _state["active"] is not self:
            return
        _state["active"] = None
        if not full and self.last:
            self._remove_unmade()
            return
        for dirpath, _dirnames, filenames in os.walk(self.root, topdown=False):
            top = dirpath == self.root
            if not top and os.path.relpath(dirpath, self.root).startswith("."):
                continue  # a hidden folder at the top, and what is in it
            for name in filenames:
                if top and name.startswith("."):
                    continue
                path = os.path.join(dirpath, name)
                if path in self.written:
                    continue
                with contextlib.suppress(OSError):
                    if path in self.last or os.stat(path).st_mtime_ns < self._since:
                        os.unlink(path)
            if not top:
                with contextlib.suppress(OSError):
                    os.rmdir(dirpath)  # only succeeds when empty
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(self.root, MARKER))
        self.last, self.written = self.written, {}

    def _remove_unmade(self) -> None:
        folders: set[str] = set()
        for path in self.last.keys() - self.written.keys():
            with contextlib.suppress(OSError):
                os.unlink(path)
            folders.add(os.path.dirname(path))
        for folder in sorted(folders, key=len, reverse=True):  # deepest first, then up while empty
            while folder.startswith(self.root + os.sep):
                try:
                    os.rmdir(folder)
                except OSError:
                    break
                folder = os.path.dirname(folder)
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(self.root, MARKER))
        self.last, self.written = self.written, {}

    def failed(self) -> None:
        """on_build_error: forget what was written; the next build writes everything."""
        if _state["active"] is self:
            _state["active"] = None
        self.last, self.written = {}, {}

    # -- kept on disk for the next `serve` (serve_state.py) --------------------------------------

    def saved_files(self) -> list[list[Any]]:
        """What the last build left in `site_dir`, as plain data: [path under the root, size,
        modification time, digest (hex) or [source, its modification time]]. A file changed or
        gone since is left out (it is written again next time)."""
        out: list[list[Any]] = []
        prefix = len(self.root) + 1
        for path, (size, made) in list(self.last.items()):
            try:
                stat = os.stat(path)
            except OSError:
                continue
            if stat.st_size == size:
                out.append([path[prefix:], size, stat.st_mtime_ns, made.hex() if isinstance(made, bytes) else list(made)])
        return out

    def restore(self, root: str, files: list[list[Any]]) -> bool:
        """Put back what another process's last build left in `root` (`saved_files`). A file whose
        size or modification time is not the one recorded is left out: written again if this build
        makes it. True if every file was as recorded (else the build ends with a full walk)."""
        self.root, self.last, self.written = os.path.abspath(root), {}, {}
        whole = True
        for rel, size, mtime, made in files:
            path = os.path.join(self.root, rel)
            try:
                stat = os.stat(path)
            except OSError:
                whole = False
                continue
            if stat.st_size != size or stat.st_mtime_ns != mtime:
                whole = False
                continue
            self.last[path] = (size, bytes.fromhex(made) if isinstance(made, str) else (made[0], made[1]))
        return whole
