"""The `papernotes` command: check notes without building the site, and move an old notes repo in.

    papernotes check [PATH ...] [--format text|github|json] [--strict] [--disable RULE]
    papernotes import OLD_REPO [--dest .] [--force]
    papernotes diff BASE [HEAD] [--format markdown|json]   (cli/diff.py)
    papernotes add ID [ID ...] [--note docs/x.md [--section NAME]] [--bib FILE] (see `cli.add`)

Exit codes: 0 nothing to fix, 1 errors found (warnings too with `--strict`, or
files skipped by `import`), 2 the command itself could not run (bad path,
unreadable mkdocs.yml). Problems with the command are one line on stderr, never
a traceback. Options come from the `papernotes` plugin entry of `./mkdocs.yml`
(`disable`, `aliases`, `assets_dir`, the generated pages' paths) and its `site_url`
(the feeds).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from papernotes.checks.report import cap, diagnose
from papernotes.index.aliases import Aliases, load_aliases
from papernotes.notes.figures import Layout
from papernotes.notes.grammar import parse
from papernotes.notes.model import Diagnostic, Document
from papernotes.notes.source import read_source, symlink_problem, yaml_error_position
from papernotes.outputs.paths import OutputPaths

PLUGIN = "papernotes"


class UsageError(Exception):
    """The command cannot run as asked; printed as one line, exit status 2."""


# -- mkdocs.yml ------------------------------------------------------------------------------


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml like MkDocs does, minus the side effects: unknown tags
    (`!!python/object/apply:...`, `!relative`) become plain values and `!ENV` is looked up."""


def _any_tag(loader: _ConfigLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]  # YAML's stubs type the node too narrowly
    if suffix == "!ENV":
        names = value if isinstance(value, list) else [value]
        for name in names[:-1] if len(names) > 1 else names:
            if str(name) in os.environ:
                return os.environ[str(name)]
        return names[-1] if len(names) > 1 else None
    return value


_ConfigLoader.add_multi_constructor("", _any_tag)


@dataclass
class Project:
    """Where the notes are and the plugin options that matter to the checks."""

    root: Path
    docs_dir: Path
    config_path: Path | None = None
    has_plugin: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    outputs: OutputPaths | None = None  # where the plugin puts its pages and files (None: no plugin)

    @property
    def assets_dir(self) -> str:
        return str(self.options.get("assets_dir") or "assets").strip("/")

    @property
    def disable(self) -> list[str]:
        return [str(rule) for rule in self.options.get("disable") or []]

    def layout(self) -> Layout:
        docs = os.path.relpath(self.docs_dir, self.root).replace(os.sep, "/")
        return Layout(docs_dir=docs, assets_dir=self.assets_dir)

    def generated(self, src: str) -> bool:
        """Pages and files the plugin adds at build time, so links to them are not broken."""
        return self.outputs is not None and src in self.outputs


def load_project(config_file: str | None) -> Project:
    """The project of `config_file` (default `./mkdocs.yml`); without one, `./docs` with default options."""
    path = Path(config_file or "mkdocs.yml")
    if not path.is_file():
        if config_file:
            raise UsageError(f"{config_file}: no such file")
        return Project(root=Path.cwd(), docs_dir=Path.cwd() / "docs")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not valid UTF-8") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
    return project_from_text(text, path, path.resolve().parent)


def project_from_text(text: str, path: Path, root: Path) -> Project:
    """The project whose mkdocs.yml (shown as `path`) reads `text`: also a past version's (`papernotes diff`)."""
    try:
        data = yaml.load(text, Loader=_ConfigLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        position = yaml_error_position(exc)
        where = f"{path}:{position[0]}:{position[1]}" if position is not None else str(path)
        raise UsageError(f"{where}: not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path}: expected a mapping of MkDocs settings")
    project = Project(root=root, docs_dir=root / str(data.get("docs_dir") or "docs"), config_path=path)
    plugins = data.get("plugins") or []
    for name, options in _plugin_entries(plugins):
        if name == PLUGIN:
            project.has_plugin = True
            project.options = options if isinstance(options, dict) else {}
    disable = project.options.get("disable")
    if disable is not None and not (isinstance(disable, list) and all(isinstance(r, str) for r in disable)):
        raise UsageError(f"{path}: plugins.papernotes.disable must be a list of rule codes")
    if project.has_plugin:
        project.outputs = _output_paths(path, project.options, site_url=data.get("site_url"))
    return project


def _output_paths(path: Path, options: dict[str, Any], *, site_url: Any) -> OutputPaths:
    """Where the build puts the plugin's outputs: the path options read as the plugin reads them
    (its own config class: the same defaults and normalising), the feeds made when there is a site_url."""
    from papernotes.mkdocs_plugin.config import PapernotesConfig  # MkDocs' config types: only for a site with the plugin

    config = PapernotesConfig()
    config.load_dict({name: options[name] for name in OutputPaths.OPTIONS if name in options})
    failed, _ = config.validate()
    if failed:
        name, error = failed[0]
        raise UsageError(f"{path}: plugins.papernotes.{name}: {error}")
    return OutputPaths.of(config, feeds=bool(site_url))


def _plugin_entries(plugins: Any) -> list[tuple[Any, Any]]:
    """(name, options) of `plugins:`, written as a list of names and one-key mappings, or as a mapping."""
    if isinstance(plugins, dict):
        return list(plugins.items())
    if not isinstance(plugins, list):
        return []
    entries: list[tuple[Any, Any]] = []
    for item in plugins:
        if isinstance(item, str):
            entries.append((item, None))
        elif isinstance(item, dict):
            entries += item.items()
    return entries


# -- reading notes ---------------------------------------------------------------------------


@dataclass
class Note:
    file: Path  # as found (may be relative to the current folder)
    display: str  # path shown in messages
    src: str  # path used to resolve links: relative to docs_dir when inside it


def display_path(path: Path) -> str:
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.as_posix()


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def collect(paths: Sequence[str], project: Project) -> tuple[list[Note], list[Diagnostic]]:
    """Notes to check under `paths` (files as given, `.md` files under folders); symlinks out of the repo are reported."""
    for raw in paths:
        if not os.path.lexists(raw):
            raise UsageError(f"{raw}: no such file or directory")
    root = project.root.resolve()
    notes: dict[Path, Note] = {}
    problems: list[Diagnostic] = []

    def outside(path: Path) -> bool:
        problem = symlink_problem(str(path), str(root), display_path(path))
        if problem is not None:
            problems.append(problem)
        return problem is not None

    def add(path: Path) -> None:
        if outside(path):
            return
        real = path.resolve()
        if not real.exists():
            problems.append(Diagnostic(display_path(path), 1, 1, "warning", "symlink", "broken symbolic link: not followed"))
            return
        if real in notes:
            return
        absolute = Path(os.path.abspath(path))
        src = absolute.as_posix()
        for base in (project.docs_dir, project.root):
            if _inside(absolute, base):
                src = absolute.relative_to(base).as_posix()
                break
        notes[real] = Note(path, display_path(path), src)

    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            add(path)
            continue
        if outside(path):
            continue
        for dirpath, dirnames, filenames in os.walk(path):
            here = Path(dirpath)
            # Linked folders are not entered: outside ones are reported, inside ones are walked anyway.
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not outside(here / d)
                                 and not (here / d).is_symlink())
            for name in sorted(filenames):
                if name.endswith(".md") and not name.startswith("."):
                    add(here / name)
    return list(notes.values()), problems


def read_note(note: Note) -> tuple[str | None, list[Diagnostic]]:
    """The note's text (None when it is not a note to parse) and problems with the file itself."""
    try:
        data = note.file.read_bytes()
    except OSError as exc:
        return None, [Diagnostic(note.display, 1, 1, "error", "unreadable", f"cannot read the file: {exc.strerror}")]
    return read_source(data, note.display)


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
                          disable={*project.disable, *extra_disable}, wanted=wanted, limit=None)
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
        if path.is_symlink() and not _inside(path.resolve(), root):
            skipped.append(f"{path}: symbolic link outside the old repository, not copied")
        elif path.is_file():
            pairs.append((path, target))

    for note in sorted(src.glob("*.md")):
        take(note, dest / "docs" / note.name)
    assets = old / "assets"
    for item in sorted(assets.glob("fig_*")) if assets.is_dir() else []:
        if item.is_symlink() and not _inside(item.resolve(), root):
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


# -- entry point -----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="papernotes", description="Check, import and add research-paper notes.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    formats = ("text", "github", "json")

    p = sub.add_parser("check", help="report problems in notes without building the site",
                       description="Report problems in notes as path:line:col: severity: message [rule]. "
                                   "Exit 1 when there are errors (or warnings with --strict).")
    p.add_argument("paths", nargs="*", metavar="PATH", help="notes or folders (default: docs_dir of ./mkdocs.yml)")
    p.add_argument("--format", choices=formats, default="text", help="text (default), github (Actions annotations) or json")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--disable", action="append", default=[], metavar="RULE", help="do not report RULE (repeatable)")
    p.add_argument("-f", "--config-file", help="MkDocs config to read options from (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("import", help="copy notes and figures of an old notes repository into this one",
                       description="Copy OLD_REPO/src/*.md into DEST/docs/ and OLD_REPO/assets/fig_* into DEST/assets/ "
                                   "unchanged, then print the check report of the imported notes.")
    p.add_argument("old_repo", metavar="OLD_REPO")
    p.add_argument("--dest", default=".", help="the papernotes repository to copy into (default: .)")
    p.add_argument("--force", action="store_true", help="overwrite files that already exist with other content")
    p.add_argument("--format", choices=formats, default="text", help="format of the check report")
    p.set_defaults(func=cmd_import)

    from papernotes.cli import diff  # imports this module: registered once both are loaded

    diff.register(sub)

    from papernotes.cli import add  # here, not at the top: cli.add imports this module

    add.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"papernotes {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
