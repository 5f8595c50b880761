"""Where a note's figure points, and whether it exists.

Notes sit in `docs/` and reference figures as `../assets/x.png`, which works in
GitHub's preview because the top-level `assets/` sits beside `docs/`. On the site
that folder is served as `assets/`, so such paths are rewritten at render time
(the note's source is never touched).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from papernotes.notes.model import Diagnostic, Document

Exists = Callable[[str], bool]  # whether a site source path (`other.md`, `assets/x.png`, a generated page) exists


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the docs and the served assets folder sit, relative to the repository root."""

    docs_dir: str = "docs"
    assets_dir: str = "assets"


def resolve(page_src: str, url: str, layout: Layout) -> str | None:
    """The site-relative source path of a local figure (`assets/x.png`), or None if not local.

    Returns "" when the path leaves both the docs and the assets folders.
    """
    url = url.strip()
    if not url or url.startswith(("/", "#")) or ":" in url.split("/", 1)[0]:
        return None
    path = unquote(url.split("#", 1)[0].split("?", 1)[0])
    repo_path = posixpath.normpath(posixpath.join(layout.docs_dir, posixpath.dirname(page_src), path))
    if repo_path.startswith(layout.docs_dir + "/"):
        return repo_path[len(layout.docs_dir) + 1 :]
    if repo_path.startswith(layout.assets_dir + "/"):
        return repo_path  # served under the same name at the site root
    return ""


def site_relative(page_src: str, target: str) -> str:
    """Relative link from a page to a site source path, as MkDocs expects in Markdown.

    `posixpath.relpath` of the two, worked out from their parts: relpath makes both absolute
    against the working directory first, and asks the system for it each time (a note with a
    hundred figures asked a hundred times, on every build)."""
    start = [p for p in posixpath.dirname(page_src).split("/") if p and p != "."]
    parts = [p for p in target.split("/") if p and p != "."]
    common = 0
    while common < min(len(start), len(parts)) and start[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + parts[common:]) or "."


@dataclass(frozen=True, slots=True)
class FigurePlan:
    """How a note's figures render: rewritten URLs, placeholder boxes, and what to report."""

    urls: dict[tuple[int, int], str | None]  # (line, col) -> new URL, or None for a placeholder box
    diagnostics: list[Diagnostic]


def plan_figures(doc: Document, layout: Layout, exists: Exists) -> FigurePlan:
    """Resolve every figure of a note once.

    `../assets/x.png` becomes the site-relative `assets/x.png`; a local figure that is
    missing is a `missing-figure` warning, or, on a page with front matter
    `papernotes: {missing_figures: placeholder}`, a notice and a placeholder box.
    """
    placeholder = doc.options.get("missing_figures") == "placeholder"
    urls: dict[tuple[int, int], str | None] = {}
    diagnostics = []
    for figure in doc.figures:
        target = resolve(doc.path, figure.url, layout)
        if target is None:
            continue
        if target and exists(target):
            if target.startswith(layout.assets_dir + "/"):
                urls[(figure.line, figure.col)] = site_relative(doc.path, target)
            continue
        if target == "":
            message = (f"figure {figure.url!r} points outside the {layout.docs_dir}/ and {layout.assets_dir}/ folders: "
                       f"move the file into {layout.assets_dir}/ and link to it there")
        else:
            message = f"figure not found: {figure.url}: add the file or fix the path"
        if placeholder:
            urls[(figure.line, figure.col)] = None
            diagnostics.append(Diagnostic(doc.path, figure.line, figure.col, "info", "missing-figure",
                                          message + " (shown as a placeholder)"))
        else:
            diagnostics.append(Diagnostic(doc.path, figure.line, figure.col, "warning", "missing-figure", message))
    return FigurePlan(urls, diagnostics)
