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

from papernotes.notes.model import Diagnostic
from papernotes.notes.source import symlink_problem

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
        if out.returncode != 0:
            raise GitError(f"cannot read from git: {out.stderr.decode('utf-8', 'replace').strip()}")
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
    _links: dict[str, str] | None = None  # blob id of a symbolic link -> its target, read when first needed

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

    def _target(self, oid: str) -> str:
        if self._links is None:  # every link of the commit in one batch: they are few
            oids = {o for mode, o in self.files.values() if mode == _SYMLINK}
            self._links = {o: data.decode("utf-8", "surrogateescape") for o, data in self.repo.cat(oids).items()}
        return self._links.get(oid, "")

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
                if rel is not None and not self._links_to_folder(rel):
                    found.append(rel)
        return sorted(found)

    def _links_to_folder(self, path: str) -> bool:
        """A link to a folder, which a walk of the disk takes for a folder (and does not enter)."""
        full = self._in_repo(path)
        if full is None or self.files.get(full, ("", ""))[0] != _SYMLINK:
            return False
        found = self._resolve(path)
        return isinstance(found, str) and found not in self.files

    def _resolve(self, path: str) -> str | Diagnostic:
        """The repository path (a file or a folder) `path` leads to, following links in any of its parts,
        or why it leads nowhere: the problem the working tree gives the same link."""
        full = self._in_repo(path)
        if full is None:
            return _broken(path)
        todo, done, hops = [p for p in full.split("/") if p], "", 0
        first: str | None = None  # on disk the problem names the note's own link target, not a later link's
        while todo:
            here = f"{done}/{todo[0]}" if done else todo[0]
            mode, oid = self.files.get(here, ("", ""))
            if mode != _SYMLINK:
                done = here
                del todo[0]
                continue
            hops += 1
            target = self._target(oid)
            first = target if first is None else first
            after = posixpath.normpath(posixpath.join(posixpath.dirname(here), target))
            if hops > _MAX_LINKS:
                return _broken(path)
            if posixpath.isabs(target) or self._in_project(after) is None:
                return _link_outside(path, first)
            todo, done = [p for p in after.split("/") if p and p != "."] + todo[1:], ""
        if done in self.files or done in self.dirs or done == "":
            return done
        return _broken(path)

    def read_notes(self, paths: Iterable[str]) -> dict[str, bytes | Diagnostic]:
        resolved = {path: self._resolve(path) for path in paths}
        blobs = self.repo.cat(self.files[r][1] for r in resolved.values() if isinstance(r, str) and r in self.files)
        result: dict[str, bytes | Diagnostic] = {}
        for path, found in resolved.items():
            if isinstance(found, Diagnostic):
                result[path] = found
            elif found not in self.files:
                result[path] = _unreadable(path, "Is a directory")  # what reading a folder says on disk
            else:
                result[path] = blobs.get(self.files[found][1], b"")
        return result

    def read_file(self, path: str) -> bytes | None:
        found = self.read_notes([path])[path]
        return None if isinstance(found, Diagnostic) else found

    def exists(self, path: str) -> bool:
        full = self._in_repo(path)
        if full is not None and (full in self.dirs or self.files.get(full, ("", ""))[0] not in ("", _SYMLINK)):
            return True  # the common case, without walking the path
        return isinstance(self._resolve(path), str)
