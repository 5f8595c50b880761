"""The notes' problems logged as `papernotes check` prints them (same rules, order and limit), so `--strict` fails alike.

Each is one `path:line:col: message [rule]` line on the plugin's logger at its severity.
MkDocs' own warning about a link or figure reported here is dropped (log_filters.Repeats
asks `BuildState.already_reported`): one problem, one line.
"""

from __future__ import annotations

from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files

from papernotes.checks.report import cap, diagnose, format_diagnostic
from papernotes.mkdocs_plugin.build_state import BuildState
from papernotes.mkdocs_plugin.config import PapernotesConfig
from papernotes.notes.model import Diagnostic, Figure, InlineLink

log = get_plugin_logger(__name__)


def report_diagnostics(build: BuildState, files: Files, options: PapernotesConfig) -> list[Diagnostic]:
    """Log every problem of the build's notes; returns those logged."""
    diagnostics = diagnose(build.documents.values(), build.display, build.layout,
                           lambda src: files.get_file_from_path(src) is not None, aliases=build.aliases,
                           file_problems=build.file_problems, disable=options.disable, limit=None,
                           not_made=build.paths.not_made if build.paths is not None else None)
    _remember_reported_urls(build, diagnostics)
    shown = cap(diagnostics)
    for d in shown:
        {"error": log.error, "warning": log.warning}.get(d.severity, log.info)(format_diagnostic(d))
    return shown


def _remember_reported_urls(build: BuildState, diagnostics: list[Diagnostic]) -> None:
    """`build.reported`: the (note, url) of every missing figure and broken link, those the limit
    leaves out of the log too (they were reported, as a count)."""
    by_display = {shown: src for src, shown in build.display.items()}
    urls: dict[str, dict[tuple[int, int], list[str]]] = {}
    for d in diagnostics:
        src = by_display.get(d.path)
        if src is not None and d.code in ("missing-figure", "broken-link"):
            if src not in urls:
                urls[src] = _urls_by_position(build, src)
            build.reported.update((src, url) for url in urls[src].get((d.line, d.col), ()))


def _urls_by_position(build: BuildState, src: str) -> dict[tuple[int, int], list[str]]:
    """URLs of a note's figures and links by position."""
    doc = build.documents[src]
    found: dict[tuple[int, int], list[str]] = {}
    items: list[Figure | InlineLink] = [*doc.figures, *doc.links]
    for item in items:
        found.setdefault((item.line, item.col), []).append(item.url)
    return found
