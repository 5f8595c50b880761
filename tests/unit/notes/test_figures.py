"""Figure resolution without MkDocs: one plan per note decides URLs, boxes and diagnostics."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st
from papernotes.notes.figures import Layout, plan_figures, resolve, site_relative
from papernotes.notes.grammar import parse

NOTE = "### [X] T\n![](../assets/a.png) ![](../assets/gone.png) ![](img/b.png) ![](https://x.org/c.png) ![](../../out.png)\n"


def test_resolve():
    layout = Layout()
    assert resolve("note.md", "../assets/a.png", layout) == "assets/a.png"
    assert resolve("sub/note.md", "../../assets/a.png", layout) == "assets/a.png"
    assert resolve("sub/note.md", "img/b.png", layout) == "sub/img/b.png"
    assert resolve("note.md", "https://x.org/c.png", layout) is None
    assert resolve("note.md", "../../out.png", layout) == ""


def test_plan_rewrites_assets_and_reports_missing_figures():
    plan = plan_figures(parse(NOTE, "note.md"), Layout(), {"assets/a.png", "img/b.png"}.__contains__)
    assert plan.urls == {(2, 1): "assets/a.png"}
    assert [(d.col, d.severity, d.message) for d in plan.diagnostics] == [
        (22, "warning", "figure not found: ../assets/gone.png: add the file or fix the path"),
        (86, "warning", "figure '../../out.png' points outside the docs/ and assets/ folders: move the file into assets/ and link to it there")]


def test_plan_with_placeholders_gives_boxes_and_notices():
    doc = parse("---\npapernotes:\n  missing_figures: placeholder\n---\n" + NOTE, "note.md")
    plan = plan_figures(doc, Layout(), {"assets/a.png", "img/b.png"}.__contains__)
    assert plan.urls == {(6, 1): "assets/a.png", (6, 22): None, (6, 86): None}
    assert {d.severity for d in plan.diagnostics} == {"info"}
    assert all(d.message.endswith("(shown as a placeholder)") for d in plan.diagnostics)


_PARTS = st.lists(st.sampled_from(["a", "b", "assets", "notes", "é", "x.y"]), max_size=4)


@given(page=_PARTS, target=_PARTS.filter(bool))
def test_site_relative_is_posix_relpath(page, target):
    """Worked out from the parts, without the working directory relpath asks the system for."""
    src, path = "/".join([*page, "note.md"]), "/".join(target)
    assert site_relative(src, path) == posixpath.relpath(path, posixpath.dirname(src) or ".")
