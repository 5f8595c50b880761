"""The project around docs/: its root (mkdocs.yml's folder), the top-level assets folder, the aliases file.

The assets folder beside mkdocs.yml is served with the site under its own name, so notes
written on GitHub link to figures as `../assets/...` and the site shows them; it and the
aliases file are watched by `mkdocs serve` too.
"""

from __future__ import annotations

import os

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from papernotes.mkdocs_plugin.config import PapernotesConfig


def project_root(config: MkDocsConfig) -> str:
    """The folder of mkdocs.yml (the working directory for a config without a file)."""
    return os.path.dirname(os.path.abspath(config.config_file_path)) if config.config_file_path else os.getcwd()


def posix(path: str) -> str:
    return path.replace(os.sep, "/")


def add_assets_folder(files: Files, config: MkDocsConfig, options: PapernotesConfig) -> None:
    """Serve the top-level assets folder as `assets/` (a file of the same name in docs/ wins)."""
    root = project_root(config)
    folder = os.path.join(root, options.assets_dir)
    if not os.path.isdir(folder) or os.path.realpath(folder).startswith(os.path.realpath(config.docs_dir) + os.sep):
        return
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or name.endswith(".md"):
                continue
            src = posix(os.path.relpath(os.path.join(dirpath, name), root))
            if files.get_file_from_path(src) is None:
                files.append(File(src, src_dir=root, dest_dir=config.site_dir, use_directory_urls=config.use_directory_urls))


def watched_paths(config: MkDocsConfig, options: PapernotesConfig) -> list[str]:
    """What `mkdocs serve` watches besides docs/ and mkdocs.yml: the assets folder and the aliases file, if there."""
    root = project_root(config)
    paths = [os.path.join(root, options.assets_dir), options.aliases and os.path.join(root, options.aliases)]
    return [path for path in paths if path and os.path.exists(path)]
