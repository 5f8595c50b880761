"""The output registry in a real build: a page type is one declaration, and the plugin builds it.

The registry itself: tests/unit/outputs/test_outputs.py."""

from __future__ import annotations

from collections.abc import Iterable

from papernotes.outputs import registry as outputs
from support.sites import build, write_site

# The note of tests/unit/outputs/test_outputs.py.
NOTE = "# N\n\n## Vision\n\n### [!!] [CVPR 2023] One\n_Ada Lovelace, Bo Xu_\n\n### [ICCV 2021] Two #video\n_Bo Xu_\n"


def test_a_page_type_is_one_declaration(monkeypatch, tmp_path):
    """What the module docstring promises: declare, and the page is built (and in the nav if a PAGE)."""
    def stats(build: outputs.BuildContext) -> Iterable[outputs.Output]:
        count = len(build.library.entries)
        yield outputs.Output("statistics.md", outputs.PAGE, title="Statistics", inputs=lambda: count,
                             render=lambda: f'<p class="pn-stats">{count} papers</p>')
        yield outputs.Output("stats.txt", outputs.FILE, inputs=lambda: count, render=lambda: f"{count}\n")

    monkeypatch.setattr(outputs, "DECLARATIONS", [*outputs.declarations(), stats])
    site = build(write_site(tmp_path / "s", {"index.md": "# Home\n", "note.md": NOTE}))
    assert '<p class="pn-stats">2 papers</p>' in site.page("statistics.md")
    assert site.read("stats.txt") == "2\n"
    assert 'href="statistics/"' in site.page("index.md")  # a PAGE joins the laid-out nav
