"""The environment fingerprint: everything a page's output depends on that pages are not fingerprinted by.

mkdocs.yml, the environment variables it may read, the versions of MkDocs (and ProperDocs), the theme and the
Markdown extensions, the plugin's own code (the whole papernotes package: templates and CSS
too), `overrides/`. When it changes, the rebuild cache is emptied: a full rebuild.
"""

from __future__ import annotations

import importlib.metadata
import os
from collections.abc import Iterator
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

import papernotes
from papernotes.serve.fingerprints import fingerprint

_PACKAGES = ("mkdocs", "properdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "mkdocs-glightbox",
             "mkdocs-macros-plugin")
PAPERNOTES_PACKAGE = os.path.dirname(os.path.abspath(papernotes.__file__))  # the plugin's code, templates and CSS


def environment(config: MkDocsConfig) -> str:
    """The fingerprint of everything a page's output depends on that pages are not fingerprinted by."""
    parts: list[Any] = []
    for path in (config.config_file_path,):
        try:
            with open(path or "", "rb") as fh:
                parts.append(fh.read())
        except OSError:
            parts.append(None)
    parts.append(sorted(os.environ.items()))  # `!ENV` values in mkdocs.yml
    parts.append([config.site_url, config.site_dir, config.docs_dir, config.use_directory_urls])
    for name in _PACKAGES:
        try:
            parts.append((name, importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            parts.append((name, None))
    parts.append(list(_walk_files(PAPERNOTES_PACKAGE)))
    custom_dir = config.theme.custom_dir
    if custom_dir and os.path.isdir(custom_dir):
        parts.append(list(_walk_files(custom_dir)))
    return fingerprint(*parts)


def _walk_files(folder: str) -> Iterator[tuple[str, int, int]]:
    """(path relative to `folder`, size, modification time) of every file below it, in a stable order."""
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue
            yield os.path.relpath(path, folder), stat.st_size, stat.st_mtime_ns
