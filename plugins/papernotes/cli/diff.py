"""`papernotes diff`: what a change does to the library, for the reviewer of a pull request.

    papernotes diff BASE [HEAD] [--format markdown|json] [-f mkdocs.yml]

BASE and HEAD are git refs (a branch, a tag, a commit); without HEAD the working tree is compared,
committed or not. Each side is read with its own mkdocs.yml and aliases.yml, as `papernotes check`
would read them there. Prints Markdown (headings and lists, for a GitHub job summary) or, with
`--format json`, one object with a list per kind of change. Exit 0 with the report; 2, with one
line on stderr, when it cannot run (not a git repository, an unknown ref, an unreadable mkdocs.yml).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from papernotes.changes.compare import compare
from papernotes.changes.report import to_json, to_markdown
from papernotes.changes.snapshot import Settings, take
from papernotes.changes.trees import GitError, GitRepo, GitTree, Tree, WorkTree
from papernotes.cli.project import Project, UsageError, load_project, project_from_text


def settings(project: Project) -> Settings:
    """What `papernotes check` reads from a project's mkdocs.yml, for the comparison."""
    aliases = project.options.get("aliases") if project.has_plugin else None
    return Settings(layout=project.layout(), generated=project.generated, aliases_file=str(aliases) if aliases else None,
                    disable=tuple(project.disable), section_topics=project.options.get("section_topics", True) is not False)


def project_at(tree: GitTree, config_name: str, root: Path) -> Project:
    """The project as the commit's own mkdocs.yml describes it (defaults when it has none)."""
    data = tree.read_file(config_name)
    if data is None:
        return Project(root=root, docs_dir=root / "docs")
    shown = Path(f"{tree.label}:{config_name}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{shown}: not valid UTF-8") from None
    return project_from_text(text, shown, root)


def cmd_diff(args: argparse.Namespace) -> int:
    here = load_project(args.config_file)
    config_name = Path(args.config_file or "mkdocs.yml").name
    try:
        repo = GitRepo.of(here.root)
        base = repo.tree(args.base)
        head: Tree = repo.tree(args.head) if args.head else WorkTree(here.root)
    except GitError as exc:
        raise UsageError(str(exc)) from None
    old = take(base, settings(project_at(base, config_name, here.root)))
    head_project = project_at(head, config_name, here.root) if isinstance(head, GitTree) else here
    new = take(head, settings(head_project))
    changes = compare(old, new)
    sys.stdout.write(to_json(changes) if args.format == "json" else to_markdown(changes, base.label, head.label))
    return 0


def register(sub: Any) -> None:
    """Add `diff` to the `papernotes` command's subparsers."""
    p = sub.add_parser("diff", help="what a change does to the library: papers, authors, tags, problems",
                       description="Compare the library at git ref BASE with HEAD (default: the working tree): papers "
                                   "added, removed, moved between notes, retitled, re-prioritised; new authors (with any "
                                   "existing author they look like) and tags; problems introduced and fixed.")
    p.add_argument("base", metavar="BASE", help="git ref to compare from (branch, tag or commit)")
    p.add_argument("head", metavar="HEAD", nargs="?", help="git ref to compare to (default: the working tree)")
    p.add_argument("--format", choices=("markdown", "json"), default="markdown",
                   help="markdown (default; a GitHub job summary shows it) or json (one list per kind)")
    p.add_argument("-f", "--config-file", help="MkDocs config to read options from (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_diff)
