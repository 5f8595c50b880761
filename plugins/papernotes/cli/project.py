"""The project as `papernotes` sees it: mkdocs.yml's plugin options and the notes to read.

Options come from the `papernotes` plugin entry of `./mkdocs.yml` (`disable`, `aliases`,
`assets_dir`, the generated pages' paths) and its `site_url` (the feeds), read without
MkDocs (any `!TAG` is taken as plain YAML; `!ENV` gives its default).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from papernotes.notes.figures import Layout
from papernotes.notes.model import Diagnostic
from papernotes.notes.source import read_source, symlink_problem, yaml_error_position
from papernotes.outputs.paths import HOME, OutputPaths

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
        """Pages and files the plugin adds at build time, so links to them are not broken. No home
        page is made beside a docs/README.md, which is the home (mkdocs_plugin/generation.py)."""
        if src == HOME and (self.docs_dir / "README.md").is_file():
            return False
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


def inside(path: Path, folder: Path) -> bool:
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
            if inside(absolute, base):
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
