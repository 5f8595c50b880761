#!/usr/bin/env python3
"""Whether a pull request needs the code job (tests, lint, type check), from the files it changes.

    python3 .ci/code_changed.py BASE     # the files of BASE...HEAD; prints them and code=true|false

The CI workflow's notes job runs on every pull request. Its code job runs on every pull request
too, so that it reports and can be a required check (a workflow skipped by a `paths:` filter
leaves a required check pending), but its steps run only when this script says `code=true`.

Only the notes' content skips them: Markdown notes and images under docs/, anything under
assets/ (the figures), aliases.yml. Everything else needs the code job: code, tests, requirements,
workflows, settings (mkdocs.yml, pyproject.toml), the pages of docs/ the tests read as a
specification, and any file no rule here names, since a needless run costs minutes and an
unchecked change costs a broken main. Renames count as both paths (a note moved to plugins/ is
code). Without a base to compare with (a push, a ref git does not know) everything runs.

Standard library only: it runs before anything is installed. Writes `code=...` to $GITHUB_OUTPUT
when set.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable, Sequence

NOTE_SUFFIXES = (".md", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
# Pages under docs/ whose examples, tables and wording the tests check against the code.
SPECIFICATIONS = frozenset({"docs/contributing.md", "docs/exports.md"})


def is_code(path: str) -> bool:
    """Whether a changed path needs the code job."""
    if path == "aliases.yml" or path.startswith("assets/"):
        return False
    if path.startswith("docs/") and path.lower().endswith(NOTE_SUFFIXES):
        return path in SPECIFICATIONS
    return True


def needs_code_job(paths: Iterable[str]) -> bool:
    return any(is_code(path) for path in paths)


def changed_paths(base: str, head: str = "HEAD") -> list[str]:
    """Files that differ between the merge base of `base` and `head`, and `head` (old and new name of a rename)."""
    out = subprocess.run(["git", "diff", "--name-only", "--no-renames", "-z", f"{base}...{head}", "--"],
                         capture_output=True, check=True)
    return [p for p in out.stdout.decode("utf-8", "surrogateescape").split("\0") if p]


def decide(base: str) -> tuple[bool, list[str]]:
    """(code job needed, lines saying why)."""
    if not base.strip("0 "):  # unset, or the all-zero sha GitHub gives a new branch
        return True, ["no base to compare with: the code job runs"]
    try:
        paths = changed_paths(base)
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        return True, [f"cannot compare with {base}: {detail.decode(errors='replace').strip() or exc}; the code job runs"]
    code = [p for p in paths if is_code(p)]
    if not code:
        return False, [f"{len(paths)} changed file(s), all notes, figures or aliases.yml: the code job's steps are skipped"]
    shown = [f"  {p}" for p in code[:20]] + ([f"  … and {len(code) - 20} more"] if len(code) > 20 else [])
    return True, [f"{len(code)} changed file(s) need the code job:", *shown]


def main(argv: Sequence[str]) -> int:
    code, why = decide(argv[1] if len(argv) > 1 else "")
    print("\n".join(why))
    line = f"code={'true' if code else 'false'}"
    print(line)
    output = os.environ.get("GITHUB_OUTPUT")
    if output:
        with open(output, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
