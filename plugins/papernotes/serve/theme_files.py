"""The theme's static files, listed once per environment under `mkdocs serve`.

Every build, MkDocs adds the theme's static files to the site (`Files.add_files_from_theme`): it
asks the theme's Jinja environment for every file below the theme folders and filters the names
(`list_templates(filter_func=...)`). Material's folders hold some 14,500 files, so the listing
and the filter took a sixth of a rebuild of a 400-entry library. The listing is a function of
the theme folders' contents and of the filter, which reads the name and mkdocs.yml's
`theme.static_templates`: under serve the folders change only with the packages installed or the
`custom_dir` (overrides/), both in the environment's fingerprint (environment.py), so the
listing is kept by that fingerprint, the folders and the filter's settings, and made again when
any differs. tests/serve/test_internals.py pins what this relies on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

# What `Files.add_files_from_theme` names its filter (MkDocs 1.5-1.6); any other caller is not served from the memo.
THEME_FILES_FILTER = "Files.add_files_from_theme.<locals>.filter"


class ThemeFiles:
    """The last listing of the theme's static files, and what it was made for."""

    def __init__(self) -> None:
        self._key: tuple[Any, ...] | None = None
        self._names: list[str] = []
        self.listings = 0  # listings made (not taken from the memo), for the tests

    def install(self, config: MkDocsConfig, environment: str) -> None:
        """on_config: this build's theme gives environments whose static-file listing is kept
        for `environment` (the fingerprint of everything but the notes)."""
        theme = config.theme
        get_env = theme.get_env
        key = (environment, tuple(theme.dirs), tuple(theme.static_templates))

        def env() -> Any:
            made = get_env()
            made.list_templates = self._memo(made.list_templates, key)  # type: ignore[method-assign]  # this environment only
            return made

        theme.get_env = env  # type: ignore[method-assign]  # this config's theme only: made again each build

    def _memo(self, list_templates: Callable[..., list[str]], key: tuple[Any, ...]) -> Callable[..., list[str]]:
        def listing(extensions: Any = None, filter_func: Callable[[str], bool] | None = None) -> list[str]:
            if extensions is not None or getattr(filter_func, "__qualname__", None) != THEME_FILES_FILTER:
                return list_templates(extensions, filter_func)
            if self._key != key:
                self._names, self._key = list_templates(extensions, filter_func), key
                self.listings += 1
            return list(self._names)

        return listing

    def forget(self) -> None:
        self._key, self._names = None, []
