"""bench/benchmark.py runs end to end on a tiny library, and its hand-written site is the same site.

The benchmark's page-cost figure compares generated pages with the same pages written by hand;
that comparison means something only if the hand-written pages render to what the plugin
generates. Not a timing test: nothing here asserts a speed.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import REPO


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("papernotes_benchmark", REPO / "bench" / "benchmark.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


def _article(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    article = html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    return re.sub(r"\s+", " ", article).strip()


def test_benchmark_runs_and_its_hand_written_site_renders_like_the_generated_one(bench, tmp_path):
    row = bench.bench_scale(1, tmp_path, seed=7, repeat=1, base_entries=12)
    assert row["entries"] == 12 and row["generated"] > 12 and row["t_plugin"] > 0 and row["own"] > 0
    assert row["pages"] == row["hand_pages"]  # every page the plugin made exists, written by hand
    # The plugin reports what `papernotes check` finds in the generated notes (they spell one
    # tag two ways on purpose, to exercise merging), and nothing else; the hand-written copy is clean.
    notes = tmp_path / "scale-1" / "notes"
    check = subprocess.run([sys.executable, "-m", "papernotes", "check", "docs"], cwd=notes, capture_output=True, text=True,
                           check=False)
    found = [line for line in check.stdout.splitlines() if ": warning: " in line or ": error: " in line]
    assert row["warnings"] == {"plugin": len(found), "plain": row["warnings"]["plain"], "hand": 0}
    assert {"on_files", "on_page_markdown", "on_page_content"} <= set(row["per_hook"])
    root = tmp_path / "scale-1"
    plugin_site, hand_site = root / "notes" / "site-plugin", root / "hand" / "site-hand"
    pages = sorted(p.relative_to(plugin_site) for p in plugin_site.rglob("index.html")
                   if p.parent.parent.name in ("authors", "tags") or p.parent.name in ("must-read", "authors", "tags"))
    assert len(pages) > 10
    for page in pages:
        assert _article(plugin_site / page) == _article(hand_site / page), page
    report = bench.table([row]) + "\n".join(bench.verdicts([row]))
    assert "parse+index" in report and "1x" in report


def test_where_time_goes_counts_each_sample_once_in_its_first_category():
    spec = importlib.util.spec_from_file_location("where_time_goes", REPO / "bench" / "where_time_goes.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    lines = ["build;Page.render;Markdown.convert;on_page_markdown (papernotes/plugin.py:250) 3\n",
             "build;_build_page;block_site_nav (material/templates/base.html:633) 5\n",
             "build;write_file (mkdocs/utils/__init__.py:126) 2\n", "garbage\n"]
    found, total = module.shares(lines)
    assert total == 10 and found == {"papernotes plugin": 3, "nav (Material)": 5, "writing files": 2}


def test_names_benchmark_runs_and_files_its_names_under_family_names():
    """bench/names.py times library.family_name on synthetic names; its names have what the A-Z index must handle."""
    import subprocess

    out = subprocess.run([sys.executable, str(REPO / "bench" / "names.py"), "--names", "300"], capture_output=True,
                         text=True, check=True).stdout
    assert re.match(r"300 names: family_name \(nameparser\) [\d.]+ s CPU, \d+ us/name; last word [\d.]+ s; ratio \d+x$", out.strip())
    spec = importlib.util.spec_from_file_location("papernotes_names_bench", REPO / "bench" / "names.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sample = module.names(300, 2024)
    assert len(set(sample)) == 300
    assert any(" van " in n or " de la " in n for n in sample) and any(n.endswith("Jr.") for n in sample)
