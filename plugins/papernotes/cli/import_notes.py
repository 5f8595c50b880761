"""`papernotes import OLD_REPO`: an old notes repository's notes and figures copied in, unchanged.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from papernotes.cli.check import check, emit
from papernotes.cli.project import Project, UsageError, display_path, inside, load_project

# -- import ----------------------------------------------------------------------------------


def plan_import(old: Path, dest: Path) -> tuple[list[tuple[Path, Path]], list[str]]:
    """(source, destination) pairs for the notes (`src/*.md`) and figures (`assets/fig_*`), and files left out."""
    if not old.is_dir():
        raise UsageError(f"{old}: no such folder" if not old.exists() else f"{old}: not a folder")
    src = old / "src"
    if not src.is_dir():
        raise UsageError(f"{old}: no src/ folder with notes (expected the layout src/*.md, assets/fig_*)")
    root = old.resolve()
    pairs: list[tuple[Path, Path]] = []
    skipped: list[str] = []

    def take(path: Path, target: Path) -> None:
        if path.is_symlink() and not inside(path.resolve(), root):
            skipped.append(f"{path}: symbolic link outside the old repository, not copied")
        elif path.is_file():
            pairs.append((path, target))

    for note in sorted(src.glob("*.md")):
        take(note, dest / "docs" / note.name)
    assets = old / "assets"
    for item in sorted(assets.glob("fig_*")) if assets.is_dir() else []:
        if item.is_symlink() and not inside(item.resolve(), root):
            take(item, dest / "assets" / item.name)
        elif item.is_dir():
            for dirpath, dirnames, filenames in os.walk(item):
                dirnames.sort()
                for name in sorted(filenames):
                    path = Path(dirpath) / name
                    take(path, dest / "assets" / path.relative_to(assets))
        else:
            take(item, dest / "assets" / item.name)
    if not any(target.suffix == ".md" for _, target in pairs):
        raise UsageError(f"{src}: no notes (*.md) to import")
    return pairs, skipped


def cmd_import(args: argparse.Namespace) -> int:
    old, dest = Path(args.old_repo), Path(args.dest)
    if not dest.is_dir():
        raise UsageError(f"{dest}: destination folder not found")
    pairs, skipped = plan_import(old, dest)
    copied, same, conflicts = [], 0, 0
    for source, target in pairs:
        if target.exists() or target.is_symlink():
            if target.is_file() and target.read_bytes() == source.read_bytes():
                same += 1
                continue
            if not args.force:
                conflicts += 1
                print(f"papernotes import: {display_path(target)}: already exists and differs, not overwritten (use --force)",
                      file=sys.stderr)
                continue
            if target.is_symlink() or not target.is_file():
                print(f"papernotes import: {display_path(target)}: not a regular file, not overwritten", file=sys.stderr)
                conflicts += 1
                continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        copied.append(target)
    for message in skipped:
        print(f"papernotes import: {message}", file=sys.stderr)
    notes = [t for t in copied if t.suffix == ".md"]
    print(f"papernotes import: copied {len(notes)} notes and {len(copied) - len(notes)} figures into {display_path(dest)}"
          + (f"; {same} already there unchanged" if same else "")
          + (f"; {conflicts} not overwritten" if conflicts else ""), file=sys.stderr)
    config = dest / "mkdocs.yml"
    project = load_project(str(config)) if config.is_file() else Project(root=dest.resolve(), docs_dir=dest.resolve() / "docs")
    imported = [str(t) for _, t in pairs if t.suffix == ".md" and t.exists()]
    status = emit(check(imported, project), args.format, strict=False)
    return max(status, 1 if conflicts or skipped else 0)
