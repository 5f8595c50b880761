"""The files of one side of a comparison: a git commit, read with `git ls-tree` and one
`git cat-file --batch` (never checked out, as `index/history.py` reads history), or the working tree.

Paths are relative to the project root (the folder of mkdocs.yml) and `/`-separated. Notes are
found as `papernotes check` finds them: `.md` files under the docs folder, names starting with a
dot skipped, linked folders not entered. A linked note is read where it points when that is inside
the project, and reported instead (the `symlink` rule) when it points out of it or nowhere; both
kinds of tree answer alike, so a comparison never sees a difference that is only in how it read.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from papernotes.checks.library_checks import symlink_problem
from papernotes.notes.model import Diagnostic

_SYMLINK = "120000"
_MAX_LINKS = 8  # links followed in a row before a chain (or a loop) counts as broken, as the OS gives up too


class GitError(Exception):
    """Git cannot answer as asked (no git, not a repository, an unknown ref): one line for the user."""


class Tree(Protocol):
    """What a comparison reads from one side."""

    label: str  # how reports name the side: the ref as given, or "the working tree"

    def note_paths(self, folder: str) -> list[str]:
        """The notes under `folder`, as `papernotes check` collects them."""
        ...

    def read_notes(self, paths: Iterable[str]) -> dict[str, bytes | Diagnostic]:
        """Each note's bytes, or why it is not read (a link out of the project or to nothing, unreadable)."""
        ...

    def read_file(self, path: str) -> bytes | None:
        """A settings file's bytes (mkdocs.yml, aliases.yml), or None when it is not there."""
        ...

    def exists(self, path: str) -> bool:
        """Whether a file or folder is there (links to notes, figures)."""
        ...


def _is_note(name: str) -> bool:
    return name.endswith(".md") and not name.startswith(".")


def _link_outside(path: str, target: str) -> Diagnostic:
    # The wording of `symlink_problem`, which the working tree uses: one rule, one message.
    return Diagnostic(path, 1, 1, "warning", "symlink", f"symbolic link to {target!r}, outside the repository: not followed")


def _broken(path: str) -> Diagnostic:
    return Diagnostic(path, 1, 1, "warning", "symlink", "broken symbolic link: not followed")


def _unreadable(path: str, reason: str) -> Diagnostic:
    return Diagnostic(path, 1, 1, "error", "unreadable", f"cannot read the file: {reason}")


# -- the working tree ------------------------------------------------------------------------


@dataclass
class WorkTree:
    """The files on disk under `root`, tracked or not, as `papernotes check` reads them."""

    root: Path
    label: str = "the working tree"

    def _rel(self, path: str) -> str:
        return Path(os.path.relpath(path, self.root)).as_posix()

    def note_paths(self, folder: str) -> list[str]:
        found: list[str] = []
        for dirpath, dirnames, filenames in os.walk(self.root / folder):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not os.path.islink(os.path.join(dirpath, d)))
            found += (self._rel(os.path.join(dirpath, name)) for name in sorted(filenames) if _is_note(name))
        return found

    def read_notes(self, paths: Iterable[str]) -> dict[str, bytes | Diagnostic]:
        result: dict[str, bytes | Diagnostic] = {}
        for path in paths:
            full = self.root / path
            problem = symlink_problem(str(full), str(self.root), path)
            if problem is not None:
                result[path] = problem
            elif not full.exists():
                result[path] = _broken(path)
            else:
                try:
                    result[path] = full.read_bytes()
                except OSError as exc:
                    result[path] = _unreadable(path, exc.strerror or str(exc))
        return result

    def read_file(self, path: str) -> bytes | None:
        try:
            return (self.root / path).read_bytes()
        except OSError:
            return None

    def exists(self, path: str) -> bool:
        return os.path.exists(os.path.join(self.root, path))


# -- a git commit ----------------------------------------------------------------------------


def _git(git: str, args: list[str], cwd: Path, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run([git, *args], cwd=cwd, input=data, capture_output=True, check=False)
    except OSError as exc:
        raise GitError(f"cannot run git ({exc.strerror or exc}): install git to compare versions of the notes") from None


@dataclass
class GitRepo:
    """The git repository holding a project; `prefix` is the project's folder in it ("" or "site/")."""

    top: Path
    prefix: str
    git: str = "git"

    @classmethod
    def of(cls, root: Path, git: str = "git") -> GitRepo:
        out = _git(git, ["rev-parse", "--show-toplevel", "--show-prefix"], root)
        lines = out.stdout.decode("utf-8", "replace").split("\n")
        if out.returncode != 0 or len(lines) < 2:
            raise GitError(f"{root}: not in a git repository (papernotes diff compares versions of the notes in git)")
        return cls(Path(lines[0]), lines[1].strip(), git)

    def commit(self, ref: str) -> str:
        """The commit id `ref` names (a branch, tag, sha, `HEAD~2`...)."""
        if not ref.strip() or ref.startswith("-"):  # never let a ref be read as an option
            raise GitError(f"{ref!r} is not a git ref")
        out = _git(self.git, ["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], self.top)
        if out.returncode != 0:
            raise GitError(f"unknown git ref {ref!r}: give a branch, tag or commit of this repository "
                           "(a CI checkout needs the full history: fetch-depth: 0)")
        return out.stdout.decode().strip()

    def tree(self, ref: str) -> GitTree:
        """Every file of the commit `ref` names, listed once (names only: contents are read when asked)."""
        sha = self.commit(ref)
        out = _git(self.git, ["ls-tree", "-r", "-z", "--full-tree", sha], self.top)
        if out.returncode != 0:
            raise GitError(f"cannot list the files of {ref!r}: {out.stderr.decode('utf-8', 'replace').strip()}")
        files: dict[str, tuple[str, str]] = {}
        for record in out.stdout.decode("utf-8", "surrogateescape").split("\0"):
            if not record:
                continue
            meta, _, path = record.partition("\t")
            mode, kind, oid = meta.split(" ")
            if kind == "blob":  # submodules ("commit") hold no notes
                files[path] = (mode, oid)
        return GitTree(self, ref, files)

    def cat(self, oids: Iterable[str]) -> dict[str, bytes]:
        """The contents of these blobs, in one `git cat-file --batch`."""
        todo = sorted(set(oids))
        if not todo:
            return {}
        out = _git(self.git, ["cat-file", "--batch"], self.top, "\n".join(todo).encode() + b"\n")
        result: dict[str, bytes] = {}
        pos = 0
        for oid in todo:
            end = out.stdout.index(b"\n", pos)
            header = out.stdout[pos:end].split()
            pos = end + 1
            if len(header) < 3:  # "<id> missing"
                continue
            size = int(header[2])
            result[oid] = out.stdout[pos:pos + size]
            pos += size + 1
        return result


@dataclass
class GitTree:
    """The files of one commit. `files` maps repository paths to (mode, blob id)."""

    repo: GitRepo
    label: str
    files: dict[str, tuple[str, str]]
    dirs: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        for path in self.files:
            parent = posixpath.dirname(path)
            while parent and parent not in self.dirs:
                self.dirs.add(parent)
                parent = posixpath.dirname(parent)

    def _in_repo(self, path: str) -> str | None:
        """A project path as a repository path ("" for the top), or None when it leaves the repository."""
        full = posixpath.normpath(self.repo.prefix + path)
        if full == ".":
            return ""
        return None if full == ".." or full.startswith(("../", "/")) else full

    def _in_project(self, full: str) -> str | None:
        rel = posixpath.relpath(full or ".", self.repo.prefix or ".")
        return None if rel == ".." or rel.startswith("../") else rel

    def note_paths(self, folder: str) -> list[str]:
        top = self._in_repo(folder)
        if top is None:
            return []
        start = top + "/" if top else ""
        found = []
        for path in self.files:
            if path.startswith(start) and all(not part.startswith(".") for part in path[len(start):].split("/")) \
                    and _is_note(posixpath.basename(path)):
                rel = self._in_project(path)
                if rel is not None:
                    found.append(rel)
        return sorted(found)

    def _resolve(self, path: str, targets: dict[str, bytes]) -> str | Diagnostic:
        """The repository path whose contents `path` has, following links (their targets in `targets`)."""
        full = self._in_repo(path)
        for _ in range(_MAX_LINKS):
            if full is None or full not in self.files:
                return _unreadable(path, "Is a directory") if full in self.dirs else _broken(path)
            mode, oid = self.files[full]
            if mode != _SYMLINK:
                return full
            target = targets.get(oid, b"").decode("utf-8", "replace")
            after = posixpath.normpath(posixpath.join(posixpath.dirname(full), target))
            if posixpath.isabs(target) or self._in_project(after) is None:
                return _link_outside(path, target)
            full = after
        return _broken(path)

    def _link_targets(self, paths: Iterable[str]) -> dict[str, bytes]:
        """The text of every link met on the way from `paths` to their files (one batch per step of a chain)."""
        targets: dict[str, bytes] = {}
        heads = [self._in_repo(p) for p in paths]
        for _ in range(_MAX_LINKS):
            links = {self.files[h][1] for h in heads if h in self.files and self.files[h][0] == _SYMLINK} - targets.keys()
            if not links:
                break
            read = self.repo.cat(links)
            targets.update(read)
            heads = [posixpath.normpath(posixpath.join(posixpath.dirname(h), read[self.files[h][1]].decode("utf-8", "replace")))
                     for h in heads if h in self.files and self.files[h][1] in read]
        return targets

    def read_notes(self, paths: Iterable[str]) -> dict[str, bytes | Diagnostic]:
        paths = list(paths)
        targets = self._link_targets(paths)
        resolved = {path: self._resolve(path, targets) for path in paths}
        blobs = self.repo.cat(self.files[r][1] for r in resolved.values() if isinstance(r, str))
        return {path: r if isinstance(r, Diagnostic) else blobs.get(self.files[r][1], b"") for path, r in resolved.items()}

    def read_file(self, path: str) -> bytes | None:
        found = self.read_notes([path])[path]
        return None if isinstance(found, Diagnostic) else found

    def exists(self, path: str) -> bool:
        full = self._in_repo(path)
        if full is None:
            return False
        if full == "" or full in self.dirs:
            return True
        if full not in self.files:
            return False
        if self.files[full][0] != _SYMLINK:
            return True
        return isinstance(self._resolve(path, self._link_targets([path])), str)
