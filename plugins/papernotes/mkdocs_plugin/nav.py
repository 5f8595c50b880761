"""The nav the plugin lays out when mkdocs.yml has none: Home (the user's, or else the plugin's), the notes,
Must-read, Tags, Authors, then every other page."""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel

from papernotes.mkdocs_plugin.build_state import BuildState
from papernotes.outputs import registry as outputs
from papernotes.outputs.paths import HOME


class NavLayout:
    """Whether this build's nav is the user's (mkdocs.yml's `nav:`) or the plugin's to lay out."""

    def __init__(self) -> None:
        self._laid_out: list[Any] | None = None  # the nav laid out in an earlier build of the same config
        self._configured = False

    def begin(self, config: MkDocsConfig) -> None:
        """on_config: a nav we laid out in an earlier build of the same config is not the user's."""
        self._configured = config.nav is not None and config.nav is not self._laid_out

    def lay_out(self, config: MkDocsConfig, build: BuildState, files: Files, notes_section: str) -> None:
        """on_files, once every output is in `files`: `config.nav`, unless the user wrote one."""
        if not self._configured:
            config.nav = self._laid_out = lay_out_nav(build, files, notes_section)


def lay_out_nav(build: BuildState, files: Files, notes_section: str) -> list[Any]:
    """Home, the notes (in a `notes_section`), Must-read, Tags, Authors, then every other page."""
    generated = {o.src: o.title for o in build.generated.values() if o.kind == outputs.PAGE}
    pages = [f.src_uri for f in files.documentation_pages(inclusion=InclusionLevel.is_in_nav)
             if f.src_uri not in generated]
    # The user's home page, or else the plugin's (outputs/home.py), first.
    home = [p for p in pages if p in ("index.md", "README.md")][:1] or \
        [src for src in generated if src == HOME and files.get_file_from_path(src) is not None]
    notes = [p for p in pages if p not in home and build.documents.get(p) and build.documents[p].entries]
    rest = [p for p in pages if p not in home and p not in notes]
    nav: list[Any] = [{"Home": p} for p in home]
    nav += [{notes_section: notes}] if notes_section and notes else notes
    nav += [{title: src} for src, title in generated.items() if src not in home and files.get_file_from_path(src) is not None]
    return nav + rest
