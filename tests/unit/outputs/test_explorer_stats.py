"""The explorer (`papers/`) and stats (`stats/`) pages' pure functions (no MkDocs); the built pages: tests/build/test_explore_pages.py."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from papernotes.index.library import Library
from papernotes.index.urls import src_to_url
from papernotes.notes.grammar import parse
from papernotes.outputs import explorer, stats
from papernotes.render.views import Renderer


def _library(text: str) -> Library:
    doc = parse(text, "n.md")
    return Library([doc], {"n.md": src_to_url("n.md", True)})


def test_added_dates_drive_the_month_chart_and_the_added_sort():
    lib = _library("### [2021] A\n_X_\n\n### [2022] B\n_X_\n\n### C\n_Y_\n")
    a, b, c = lib.entries
    lib.added_dates[id(a)] = datetime(2024, 1, 5)
    lib.added_dates[id(b)] = datetime(2024, 3, 1)
    assert lib.added(a) == datetime(2024, 1, 5) and lib.added(c) is None
    chart = stats.per_month(lib)
    assert [(bar.label, bar.count) for bar in chart.bars] == [("2024-01", 1), ("2024-02", 0), ("2024-03", 1)]
    assert chart.bars[0].query == {"added": "2024-01", "sort": "added"}
    assert "1 paper without a date" in chart.note
    renderer = Renderer(lib)
    data = explorer.data(lib, renderer, explorer.ExplorerPaths("papers.md", True))
    titles = [p[0] for p in data["papers"]]
    assert [titles[i] for i in data["order"]["added"]] == ["B", "A", "C"]
    assert [p[8] for p in data["papers"]] == ["2024-03-01", "2024-01-05", ""]  # year order: B (2022), A, C
    assert [titles[i] for i in data["order"]["title"]] == ["A", "B", "C"]


def test_venue_chart_keeps_the_top_fifteen_and_counts_the_rest_as_other():
    text = "\n".join(f"### [V{i} 2020] P{i}-{j}\n" for i in range(20) for j in range(i + 1)) + "\n### Loose\n_X Y_\n"
    chart = stats.per_venue(_library(text))
    assert [b.label for b in chart.bars][:3] == ["V19", "V18", "V17"]
    assert len(chart.bars) == 17
    assert chart.bars[15] == stats.Bar("other", sum(range(1, 6)), {"venue": "other"})
    assert chart.bars[16] == stats.Bar("no venue", 1, {"venue": "none"})
    assert "remaining 5" in chart.note


@pytest.mark.parametrize(("src", "number", "expected"), [
    ("papers.md", 2, "papers/2.md"), ("x/all.md", 3, "x/all/3.md"), ("papers/index.md", 2, "papers/2.md"),
    ("papers.md", 1, "papers.md")])
def test_static_page_paths(src, number, expected):
    assert explorer.ExplorerPaths(src, True).page_src(number) == expected


def test_explorer_script_is_small_and_self_contained():
    script = (Path(explorer.__file__).parent.parent / "render" / "assets" / "explorer.js").read_text(encoding="utf-8")
    # 25.2 KB: full rows (Cite, chips, buttons), venue=none/other, rows kept, a screenful first; the
    # filters folded on phones, a chip for every filter, and the way back when nothing matches (3.6 KB)
    assert len(script.encode()) < 26_000
    assert not re.search(r"\b(fetch|XMLHttpRequest|import\s*\(|https?://)", script)


def test_row_data_keeps_the_fixed_fields_and_leaves_off_only_empty_extras():
    lib = _library("### Bare\n_Nobody_\n\n### [Google] [CVPR 2023] Full [[pdf]](https://example.org/p.pdf) [[x]](javascript:alert(1))\n_A B_\n")
    renderer = Renderer(lib)
    data = explorer.data(lib, renderer, explorer.ExplorerPaths("papers.md", True))
    bare, full = sorted(data["papers"], key=lambda p: p[0])
    assert bare[7] == [] and len(bare) == 10  # tags stay a list; its record, but no chips or links
    org = next(i for i, t in enumerate(data["tags"]) if t[0] == "Google")
    assert full[10] == [[org]]
    assert full[11] == [["pdf", "https://example.org/p.pdf", 1], ["x", "javascript:alert(1)", 0]]
    record = full[9]  # -1: the braced title, -2: the authors, -3: the first safe link, numbers: shared words
    words = data["bibWords"]
    assert [w if isinstance(w, str) or w < 0 else words[w] for w in record][:4] == ["inproceedings", record[1], "title", -1]
    assert -2 in record and -3 in record
