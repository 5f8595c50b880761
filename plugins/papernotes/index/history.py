"""When each entry was added: from the git history of its note.

An entry's date is the author date of the earliest commit in which its note, followed across
renames, holds the same paper, by the identity `duplicate-paper` uses (`notes.identity.paper_keys`:
an arXiv id or DOI, else the normalised title). Retitling an entry, moving it in its note or
changing its priority keeps its date; an entry removed and added back keeps the first one.
Entries not committed yet get the build's time (`SOURCE_DATE_EPOCH` when set).

Reads the history with the `git` command: one `git log --raw -M` over the docs folder
(renames found by git itself, paths relative to `docs_dir`, wherever it is in the repository)
and one `git cat-file --batch` for the note versions, each parsed once. `bench/history_speed.py`
measured this against pygit2 on a synthetic repository of 2,000 commits and 100 notes (figures
in its output and the README): git's own rename detection and a single streaming
process beat a commit-by-commit tree diff with `find_similar` from Python, and it adds no
dependency. Results are cached by HEAD commit id on the `History` object, which the plugin keeps
across `mkdocs serve` rebuilds: a rebuild with the same HEAD runs no git command at all.

Pure module: no MkDocs import. Messages come back as (severity, text) for the caller to log.
"""

from __future__ import annotations

import functools
import os
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from papernotes.notes.grammar import parse
from papernotes.notes.identity import PaperKey, paper_keys_of, title_key
from papernotes.notes.model import Document, Entry

Message = tuple[str, str]  # (severity: "info" | "warning", text)
_ZERO = "0" * 40


def entry_keys(entry: Entry) -> list[PaperKey]:
    """The entry's paper identities; an entry too short to have one is known by its title."""
    return _keys(entry.title, tuple(link.url for link in entry.links))


@functools.lru_cache(maxsize=1 << 16)  # asked again for every entry on every rebuild of `serve`
def _keys(title: str, urls: tuple[str, ...]) -> list[PaperKey]:
    return list(paper_keys_of(urls, title)) or [("title", title_key(title))]


def build_time(environ: Mapping[str, str] | None = None) -> datetime:
    """The build's time: `SOURCE_DATE_EPOCH` when set (reproducible builds), else now."""
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).astimezone()


@dataclass(frozen=True, slots=True)
class Change:
    """One file version a commit made: its path relative to docs_dir, blob, and previous path if renamed."""

    path: str
    blob: str
    renamed_from: str | None = None


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    date: datetime
    changes: tuple[Change, ...]


def parse_log(text: str) -> list[Commit]:
    """`git log --raw -z --format=%H %aI` output into commits, newest first.

    Deleted files are left out (they hold nothing); copies count as new files.
    """
    commits: list[Commit] = []
    tokens = iter(text.split("\0"))
    sha, date, changes = "", None, []
    for raw in tokens:
        token = raw.lstrip("\n")
        if not token:
            continue
        if token.startswith(":"):
            _, _, _, blob, status = token[1:].split(" ", 4)
            if status[0] in "RC":
                old, new = next(tokens), next(tokens)
                changes.append(Change(new, blob, old if status[0] == "R" else None))
            else:
                path = next(tokens)
                if status[0] != "D" and blob != _ZERO:
                    changes.append(Change(path, blob))
        else:
            if sha and date is not None:
                commits.append(Commit(sha, date, tuple(changes)))
            head, _, when = token.partition(" ")
            sha, date, changes = head, datetime.fromisoformat(when), []
    if sha and date is not None:
        commits.append(Commit(sha, date, tuple(changes)))
    return commits


def lineages(commits: list[Commit], paths: Iterable[str]) -> dict[str, list[tuple[datetime, str]]]:
    """For each current note path, every (date, blob) its file had, following renames backwards."""
    name_of = {path: path for path in paths}  # historical name -> current path, as we walk back
    found: dict[str, list[tuple[datetime, str]]] = {path: [] for path in name_of}
    for commit in commits:  # newest first
        renames: list[tuple[str, str]] = []
        for change in commit.changes:
            current = name_of.get(change.path)
            if current is None:
                continue
            found[current].append((commit.date, change.blob))
            if change.renamed_from is not None:
                renames.append((change.path, change.renamed_from))
        for new, old in renames:  # before this commit the note was called `old`
            current = name_of.pop(new)
            name_of.setdefault(old, current)
    return found


@dataclass
class _Repo:
    top: str
    head: str | None
    shallow: bool


@dataclass
class History:
    """Dates added for a site's entries; keep one across rebuilds to reuse its caches."""

    git: str = "git"
    _blob_keys: dict[str, frozenset[PaperKey]] = field(default_factory=dict)  # blob id -> keys of its entries
    _first_seen: dict[tuple[str, str], dict[str, dict[PaperKey, datetime]]] = field(default_factory=dict)
    runs: int = 0  # git log runs, for tests and the benchmark

    def added_dates(self, docs_dir: str, documents: Mapping[str, Document],
                    now: datetime | None = None) -> tuple[dict[int, datetime], list[Message]]:
        """id(entry) -> date added, for every entry of `documents` (keys: paths relative to docs_dir).

        Not a repository, or no git: no dates and one notice. A shallow clone: dates from the
        history there is, and one warning.
        """
        messages: list[Message] = []
        repo = self._repo(docs_dir, messages)
        if repo is None:
            return {}, messages
        if repo.shallow:
            messages.append(("warning", "this is a shallow git clone: dates added need the full history "
                                        "(`git fetch --unshallow`, or `fetch-depth: 0` in CI)"))
        first_seen = self._history(docs_dir, repo, documents) if repo.head else {}
        when = now or build_time()
        dates: dict[int, datetime] = {}
        for path, doc in documents.items():
            seen = first_seen.get(path, {})
            for entry in doc.entries:
                found = [seen[k] for k in entry_keys(entry) if k in seen]
                dates[id(entry)] = min(found) if found else when
        return dates, messages

    def _repo(self, docs_dir: str, messages: list[Message]) -> _Repo | None:
        """The repository holding docs_dir, in one `git rev-parse` (a rebuild's only git command)."""
        try:
            out = subprocess.run([self.git, "rev-parse", "--show-toplevel", "--is-shallow-repository", "HEAD"],
                                 cwd=docs_dir, capture_output=True, text=True, check=False)
        except OSError:
            messages.append(("info", "git is not installed: entries are shown without the date they were added"))
            return None
        lines = out.stdout.split("\n")
        if len(lines) < 3:  # top level, shallow, HEAD
            messages.append(("info", "the docs folder is not in a git repository: entries are shown without the date "
                                     "they were added"))
            return None
        head = lines[2].strip() if out.returncode == 0 else None  # no commits yet: HEAD is unborn
        return _Repo(lines[0], head, lines[1].strip() == "true")

    def _history(self, docs_dir: str, repo: _Repo, documents: Mapping[str, Document]) -> dict[str, dict[PaperKey, datetime]]:
        """Current note path -> paper key -> earliest author date; cached by HEAD."""
        cache_key = (os.path.realpath(docs_dir), repo.head or "")
        cached = self._first_seen.get(cache_key)
        if cached is not None and set(documents) <= set(cached):
            return cached
        self.runs += 1
        log = subprocess.run([self.git, "-c", "core.quotePath=false", "log", "-M", "--raw", "--no-abbrev", "-z",
                              "--relative", "--format=%H %aI", "HEAD", "--", "."],
                             cwd=docs_dir, capture_output=True, check=True).stdout.decode("utf-8", "replace")
        found = lineages(parse_log(log), documents)
        self._read_blobs(docs_dir, {blob for versions in found.values() for _, blob in versions})
        result: dict[str, dict[PaperKey, datetime]] = {}
        for path, versions in found.items():
            seen: dict[PaperKey, datetime] = {}
            for date, blob in versions:
                for key in self._blob_keys.get(blob, ()):
                    if key not in seen or date < seen[key]:
                        seen[key] = date
            result[path] = seen
        self._first_seen = {cache_key: result}  # only the latest HEAD is worth keeping
        return result

    def _read_blobs(self, docs_dir: str, blobs: set[str]) -> None:
        """Parse each note version not seen before (`git cat-file --batch`, one process)."""
        todo = sorted(blobs - self._blob_keys.keys())
        if not todo:
            return
        out = subprocess.run([self.git, "cat-file", "--batch"], cwd=docs_dir, input="\n".join(todo).encode() + b"\n",
                             capture_output=True, check=True).stdout
        pos = 0
        for blob in todo:
            end = out.index(b"\n", pos)
            header = out[pos:end].split()
            pos = end + 1
            if len(header) < 3 or header[1] != b"blob":  # "<id> blob <size>", or "<id> missing"
                self._blob_keys[blob] = frozenset()
                continue
            size = int(header[2])
            text = out[pos:pos + size].decode("utf-8", "replace")
            pos += size + 1
            self._blob_keys[blob] = frozenset(k for e in parse(text, "history.md").entries for k in entry_keys(e))
