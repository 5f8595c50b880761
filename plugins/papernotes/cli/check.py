"""`papernotes check`: every note's problems, as the build reports them, without building the site.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from papernotes.checks.report import cap, diagnose
from papernotes.cli.project import Note, Project, UsageError, collect, display_path, load_project, read_note
from papernotes.index.aliases import Aliases, load_aliases
from papernotes.notes.grammar import parse
from papernotes.notes.model import Diagnostic, Document

# -- check -----------------------------------------------------------------------------------


@dataclass
class Report:
    diagnostics: list[Diagnostic]  # as printed: at most 20 per rule per file
    notes: int
    everything: list[Diagnostic] | None = None  # before that limit, for the counts in the summary


def check(paths: Sequence[str], project: Project, *, extra_disable: Iterable[str] = ()) -> Report:
    """Diagnostics for the notes under `paths` (default: the docs folder), seen against the whole docs folder."""
    whole_docs = not paths
    if whole_docs:
        if project.config_path is None:
            raise UsageError("no mkdocs.yml in this folder: run in the site's folder or give the notes to check")
        if not project.has_plugin:
            raise UsageError(f"{project.config_path}: the papernotes plugin is not in 'plugins:'; "
                             "give the notes to check as paths")
        if not project.docs_dir.is_dir():
            raise UsageError(f"{display_path(project.docs_dir)}: docs folder not found (docs_dir in {project.config_path})")
        paths = [os.path.relpath(project.docs_dir)]
    selected, found = collect(paths, project)
    context: list[Note] = []
    if not whole_docs and project.config_path is not None and project.docs_dir.is_dir():
        context, _ = collect([str(project.docs_dir)], project)
    documents: dict[str, Document] = {}
    display: dict[str, str] = {}
    wanted = {note.src for note in selected}
    for note in [*selected, *context]:
        if note.src in documents:
            continue
        text, problems = read_note(note)
        if note.src in wanted:
            found += problems
        documents[note.src] = parse(text or "", note.src)
        display[note.src] = note.display
    aliases, alias_problems = _aliases(project)
    found += alias_problems
    layout = project.layout()
    docs_dir, root, assets_prefix = str(project.docs_dir), str(project.root), layout.assets_dir + "/"

    def exists(src: str) -> bool:
        # os.path rather than pathlib: called once per figure and link, 10,000s of times on a large library.
        if os.path.exists(os.path.join(docs_dir, src)) or project.generated(src):
            return True
        return src.startswith(assets_prefix) and os.path.exists(os.path.join(root, src))

    everything = diagnose(documents.values(), display, layout, exists, aliases=aliases, file_problems=found,
                          disable={*project.disable, *extra_disable}, wanted=wanted, limit=None,
                          not_made=project.outputs.not_made if project.outputs is not None else None)
    return Report(cap(everything), len(selected), everything)


def _aliases(project: Project) -> tuple[Aliases, list[Diagnostic]]:
    name = project.options.get("aliases")
    if not name or not project.has_plugin:
        return Aliases(), []
    path = project.root / str(name)
    return load_aliases(str(path), display_path(path))


# -- output ----------------------------------------------------------------------------------


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(d: Diagnostic) -> str:
    """A GitHub Actions workflow command that shows `d` inline on the pull request."""
    command = {"error": "error", "warning": "warning"}.get(d.severity, "notice")
    props = f"file={_escape_property(d.path)},line={d.line},col={d.col},title={_escape_property(f'papernotes {d.code}')}"
    return f"::{command} {props}::{_escape_data(d.message)}"


def format_report(diagnostics: Sequence[Diagnostic], fmt: str) -> str:
    if fmt == "json":
        records = [{"path": d.path, "line": d.line, "col": d.col, "severity": d.severity, "code": d.code, "message": d.message}
                   for d in diagnostics]
        return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    render = github_annotation if fmt == "github" else str
    return "".join(render(d) + "\n" for d in diagnostics)


def summary(diagnostics: Sequence[Diagnostic], notes: int) -> str:
    counts: Counter[str] = Counter(d.severity for d in diagnostics)
    parts = [f"{counts[s]} {word}{'' if counts[s] == 1 else 's'}"
             for s, word in (("error", "error"), ("warning", "warning"), ("info", "notice")) if counts[s]]
    checked = f"{notes} note{'' if notes == 1 else 's'} checked"
    return f"papernotes: {checked}, " + (", ".join(parts) if parts else "no problems")


def emit(report: Report, fmt: str, strict: bool) -> int:
    def strictly(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        if not strict:
            return diagnostics
        return [Diagnostic(d.path, d.line, d.col, "error", d.code, d.message) if d.severity == "warning" else d
                for d in diagnostics]

    diagnostics = strictly(report.diagnostics)
    sys.stdout.write(format_report(diagnostics, fmt))
    sys.stdout.flush()
    counted = strictly(report.everything) if report.everything is not None else diagnostics
    print(summary(counted, report.notes), file=sys.stderr)
    return 1 if any(d.severity == "error" for d in diagnostics) else 0


def cmd_check(args: argparse.Namespace) -> int:
    project = load_project(args.config_file)
    if args.paths and project.config_path is not None and not project.has_plugin:
        print(f"papernotes check: note: {project.config_path} does not enable the papernotes plugin; "
              "checking with default options", file=sys.stderr)
    return emit(check(args.paths, project, extra_disable=args.disable), args.format, args.strict)
