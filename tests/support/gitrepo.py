"""Git repositories made inside tests, with dated commits (history, feeds, recent page, diff).

`dated_notes` makes the one whose dates the history tests check, in index/history.py and on a built site."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

from .sites import write_site


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(repo), "GIT_CONFIG_NOSYSTEM": "1", "PATH": "/usr/bin:/bin"}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def commit(repo: Path, date: str, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)


def write(path: Path, *entries: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# Notes\n\n" + "\n".join(entries), encoding="utf-8")


# -- the dated notes --------------------------------------------------------------------------

A = "### [CVPR 2023] Segment Anything [[pdf]](https://arxiv.org/abs/2304.02643)\n_Alexander Kirillov_\n- masks\n"
A_RETITLED = "### [!!] [CVPR 2023] SAM: promptable segmentation [[pdf]](https://arxiv.org/abs/2304.02643)\n_Alexander Kirillov_\n- masks\n"
B = "### [ICML 2021] Learning Transferable Visual Models From Natural Language\n_Alec Radford_\n- CLIP\n"
C = "### [NeurIPS 2023] Visual Instruction Tuning [[pdf]](https://arxiv.org/abs/2304.08485)\n_Haotian Liu_\n"
D = "### [ICLR 2025] A Paper Not Committed Yet\n_Someone Else_\n"
NOW = datetime(2025, 5, 5, 12, 0, tzinfo=UTC)


def dated_notes(root: Path) -> Path:
    """A project whose notes live in `src/`: A and B written, the note renamed, A retitled and
    raised, B moved then removed and added back with C, then D written and not committed."""
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write_site(root, {}, config={"docs_dir": "src"})
    write(root / "src" / "old.md", A, B)
    (root / "src" / "index.md").write_text("# Home\n", encoding="utf-8")
    commit(root, "2023-01-10T10:00:00+02:00", "A and B")
    (root / "src" / "notes").mkdir()
    git(root, "mv", "src/old.md", "src/notes/vision.md")
    commit(root, "2023-03-05T09:00:00-05:00", "rename the note")
    write(root / "src" / "notes" / "vision.md", B, A_RETITLED)
    commit(root, "2023-06-01T08:00:00+00:00", "retitle A, raise its priority, move it")
    write(root / "src" / "notes" / "vision.md", A_RETITLED)
    commit(root, "2023-07-01T08:00:00+00:00", "remove B")
    write(root / "src" / "notes" / "vision.md", A_RETITLED, B, C)
    commit(root, "2023-09-01T18:30:00+09:00", "B back, and C")
    write(root / "src" / "notes" / "vision.md", A_RETITLED, B, C, D)  # not committed
    return root
