"""The environment fingerprint: everything a page's output depends on that pages are not fingerprinted by.

mkdocs.yml, the environment variables it may read, the versions of MkDocs (and ProperDocs), the theme and the
Markdown extensions, the plugin's own code (the whole papernotes package: templates and CSS
too), `overrides/`. When it changes, the rebuild cache is emptied: a full rebuild.

It is made of named parts (`components`), so that a cache kept on disk for the next `serve`
(warm_start.py) can say which of them changed. That cache also records what only changes
between processes (`process_components`): the Python and every installed package's version,
and the plugin's code as this process loaded it.

Environment variables are read as a whole, less those a terminal session sets anew in every
window (`SESSION_VARIABLES`: a shell's level, a terminal's window id, an SSH client's port),
which no build reads: with them, no two terminals would share a warm start. Values are only
ever kept hashed: a cache file never holds a token.
"""

from __future__ import annotations

import fnmatch
import importlib.metadata
import os
import re
import sys
from collections.abc import Iterator
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

import papernotes
from papernotes.serve.fingerprints import fingerprint

_PACKAGES = ("mkdocs", "properdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "mkdocs-glightbox",
             "mkdocs-macros-plugin")
PAPERNOTES_PACKAGE = os.path.dirname(os.path.abspath(papernotes.__file__))  # the plugin's code, templates and CSS

# Set per terminal window, shell or login by the shell, the terminal or the session manager;
# read by no build. Anything else, a variable nobody reads included, is part of the environment.
SESSION_VARIABLES = (
    "_", "PWD", "OLDPWD", "SHLVL", "COLUMNS", "LINES", "WINDOWID", "WINDOW", "STY", "TMUX", "TMUX_PANE",
    "TERM_SESSION_ID", "TERM_PROGRAM", "TERM_PROGRAM_VERSION", "SECURITYSESSIONID", "__CF*", "Apple_PubSub_Socket_Render",
    "SSH_CLIENT", "SSH_CONNECTION", "SSH_TTY", "SSH_AUTH_SOCK", "SSH_AGENT_PID", "GPG_AGENT_INFO", "DBUS_SESSION_BUS_ADDRESS",
    "DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY", "XDG_SESSION_ID", "XDG_VTNR", "XDG_SEAT", "SESSION_MANAGER",
    "DESKTOP_STARTUP_ID", "GNOME_TERMINAL_*", "KONSOLE_*", "VTE_VERSION", "ITERM_*", "KITTY_*", "WEZTERM_*",
    "ALACRITTY_*", "VSCODE_*", "INVOCATION_ID", "JOURNAL_STREAM", "MANAGERPID", "SYSTEMD_EXEC_PID",
)
_SESSION = re.compile("|".join(fnmatch.translate(p) for p in SESSION_VARIABLES))


def environment(config: MkDocsConfig) -> str:
    """The fingerprint of everything a page's output depends on that pages are not fingerprinted by."""
    return fingerprint(components(config))


def components(config: MkDocsConfig) -> dict[str, str]:
    """The environment by part, each part's fingerprint under a name a notice can show."""
    try:
        with open(config.config_file_path or "", "rb") as fh:
            mkdocs_yml: bytes | None = fh.read()
    except OSError:
        mkdocs_yml = None
    versions: list[tuple[str, str | None]] = []
    for name in _PACKAGES:
        try:
            versions.append((name, importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            versions.append((name, None))
    custom_dir = config.theme.custom_dir
    return {
        "mkdocs.yml": fingerprint(mkdocs_yml),
        "environment variables": fingerprint(sorted(variables().items())),  # `!ENV` values in mkdocs.yml
        # each its own part, so that a notice names it (`serve` on another port has another site_url)
        **{name: fingerprint(config[name]) for name in ("site_url", "site_dir", "docs_dir", "use_directory_urls")},
        "package versions": fingerprint(versions),
        "plugin code": fingerprint(list(_walk_files(PAPERNOTES_PACKAGE))),
        "overrides": fingerprint(list(_walk_files(custom_dir)) if custom_dir and os.path.isdir(custom_dir) else None),
    }


def variables() -> dict[str, str]:
    """Each environment variable a build may read, by name, its value hashed."""
    return {name: fingerprint(value) for name, value in os.environ.items() if not _SESSION.fullmatch(name)}


def process_components() -> dict[str, str]:
    """What a process runs with, made once when it starts: the Python, every installed package, and
    the plugin's code as loaded (a later edit to it shows in `components` but is not what runs)."""
    return {
        "Python": fingerprint(sys.version, sys.implementation.name, sys.executable),
        "installed packages": fingerprint(list(_installed())),
        "plugin code as loaded": fingerprint(list(_walk_files(PAPERNOTES_PACKAGE))),
    }


def _installed() -> Iterator[tuple[str, str, int]]:
    """Every distribution installed on `sys.path`, by its metadata folder (`name-version.dist-info`)
    or its `.pth` file (an editable install), with that entry's modification time: a package
    installed, upgraded or installed again changes it. Names, not metadata: reading 150 METADATA
    files costs a quarter of a second."""
    for folder in sys.path:
        try:
            names = sorted(os.listdir(folder or "."))
        except OSError:
            continue
        for name in names:
            if name.endswith(_INSTALLED):
                try:
                    yield folder, name, os.stat(os.path.join(folder or ".", name)).st_mtime_ns
                except OSError:
                    continue


_INSTALLED = (".dist-info", ".egg-info", ".pth", ".egg-link")


def _walk_files(folder: str) -> Iterator[tuple[str, int, int]]:
    """(path relative to `folder`, size, modification time) of every file below it, in a stable order;
    Python's bytecode caches left out (an import writes them: they are not an edit)."""
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue
            yield os.path.relpath(path, folder), stat.st_size, stat.st_mtime_ns


def differing(recorded: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """The names of the parts that differ between two records (a part only one has differs too)."""
    return [name for name in sorted(recorded.keys() | now.keys()) if recorded.get(name) != now.get(name)]
