"""How long dating entries by git history takes (papernotes.index.history), and git command vs pygit2.

    python bench/history_speed.py [--commits 2000] [--notes 100] [--repeat 3]

Makes a synthetic repository in a temporary folder with `git fast-import` (deterministic):
notes under `src/` (docs_dir not at the repository root), each commit adds an entry to one note
or retitles one (keeping its arXiv id), and every 100th commit renames a note. Then times,
best of --repeat:

* cold: a fresh `History` dating every entry (what a cold `mkdocs build` adds);
* warm: the same `History` again at the same HEAD (what a `mkdocs serve` rebuild adds);
* read, git: the history reading alone with the `git` command (`git log --raw -M` + `git cat-file --batch`);
* read, pygit2: the same reading with pygit2 (commit walk, tree diff, `find_similar` for renames,
  blob reads), when pygit2 is installed; it is not a dependency, only a comparison.

Run from the repository root (it puts ./plugins first on sys.path).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from papernotes.index.history import History, lineages, parse_log
from papernotes.notes.grammar import parse

WORDS = ["scaling", "latent", "video", "diffusion", "models", "large", "datasets", "learning", "transferable",
         "visual", "segment", "anything", "tuning", "instruction", "masked", "autoencoders"]


def entry(n: int, version: int = 0) -> str:
    title = " ".join(WORDS[(n * 7 + i + version) % len(WORDS)] for i in range(5)).title()
    return (f"### [CVPR {2015 + n % 10}] {title} {n} [[pdf]](https://arxiv.org/abs/{2100 + n % 12:04d}.{n:05d})\n"
            f"_Author {n}, Author {n + 1}_\n- a finding\n- another finding\n")


def make_repo(root: Path, commits: int, notes: int) -> None:
    """A repository of `commits` commits over `notes` notes, written with git fast-import."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    names = [f"src/topic-{i:03d}.md" for i in range(notes)]
    contents: list[list[str]] = [[] for _ in range(notes)]
    stream: list[bytes] = []
    serial = 0
    for c in range(commits):
        i = c % notes
        ops: list[str] = []
        if c and c % 100 == 0:
            old, names[i] = names[i], f"src/area-{c // 100}/topic-{i:03d}.md"
            ops.append(f"R {old} {names[i]}")
        if c % 5 == 4 and contents[i]:  # retitle an entry, keeping its arXiv id
            contents[i][0] = entry(int(contents[i][0].split("/abs/")[1][5:10]), version=c)
        else:
            contents[i].append(entry(serial))
            serial += 1
        text = ("# Notes\n\n" + "\n".join(contents[i])).encode()
        ops.append(f"M 100644 inline {names[i]}\ndata {len(text)}")
        when = 1_600_000_000 + c * 3600
        message = f"commit {c}".encode()
        head = (f"commit refs/heads/main\nauthor A <a@example.org> {when} +0200\ncommitter A <a@example.org> {when} +0200\n"
                f"data {len(message)}\n").encode() + message + b"\n"
        body = b""
        for op in ops:
            body += op.encode() + b"\n"
            if op.startswith("M "):
                body += text + b"\n"
        stream.append(head + body + b"\n")
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(stream), check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=root, check=True)


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def read_with_git(docs: Path, paths: list[str]) -> int:
    log = subprocess.run(["git", "log", "-M", "--raw", "--no-abbrev", "-z", "--relative", "--format=%H %aI", "HEAD",
                          "--", "."], cwd=docs, capture_output=True, check=True).stdout.decode()
    found = lineages(parse_log(log), paths)
    blobs = sorted({b for versions in found.values() for _, b in versions})
    out = subprocess.run(["git", "cat-file", "--batch"], cwd=docs, input="\n".join(blobs).encode() + b"\n",
                         capture_output=True, check=True).stdout
    return len(out)


def read_with_pygit2(root: Path, paths: list[str]) -> int:
    import pygit2  # optional: only this comparison needs it

    repo = pygit2.Repository(str(root))
    prefix = "src/"
    name_of = {prefix + p: p for p in paths}
    size = 0
    for commit in repo.walk(repo.head.target, pygit2.enums.SortMode.TIME):
        parent = commit.parents[0].tree if commit.parents else None
        diff = commit.tree.diff_to_tree(parent, swap=True) if parent is not None else commit.tree.diff_to_tree(swap=True)
        diff.find_similar()
        renames = []
        for delta in diff.deltas:
            current = name_of.get(delta.new_file.path)
            if current is None or delta.status == pygit2.enums.DeltaStatus.DELETED:
                continue
            size += len(repo[delta.new_file.id].data)
            if delta.status == pygit2.enums.DeltaStatus.RENAMED:
                renames.append((delta.new_file.path, delta.old_file.path))
        for new, old in renames:
            name_of[old] = name_of.pop(new)
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--notes", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        start = time.perf_counter()
        make_repo(root, args.commits, args.notes)
        print(f"repository: {args.commits} commits, {args.notes} notes, made in {time.perf_counter() - start:.1f} s")
        docs = root / "src"
        documents = {p.relative_to(docs).as_posix(): parse(p.read_text(encoding="utf-8"), p.relative_to(docs).as_posix())
                     for p in sorted(docs.rglob("*.md"))}
        entries = sum(len(d.entries) for d in documents.values())
        cold = best(lambda: History().added_dates(str(docs), documents), args.repeat)
        warm_history = History()
        warm_history.added_dates(str(docs), documents)
        warm = best(lambda: warm_history.added_dates(str(docs), documents), args.repeat)
        paths = list(documents)
        git_read = best(lambda: read_with_git(docs, paths), args.repeat)
        print(f"entries dated: {entries}")
        print(f"cold (fresh History, what a cold build adds): {cold:.3f} s")
        print(f"warm (same HEAD, a serve rebuild):            {warm * 1000:.1f} ms")
        print(f"history read, git command:                    {git_read:.3f} s")
        try:
            import pygit2  # noqa: F401
        except ImportError:
            print("history read, pygit2:                         not installed (pip install pygit2 to compare)")
        else:
            pygit2_read = best(lambda: read_with_pygit2(root, paths), args.repeat)
            print(f"history read, pygit2:                         {pygit2_read:.3f} s ({pygit2_read / git_read:.1f}x the git command)")


if __name__ == "__main__":
    main()
