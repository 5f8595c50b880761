"""One rule set: `mkdocs build` reports exactly what `papernotes check` reports.

The same multi-note repository, with a problem of every rule, goes through both:
the same diagnostics (path, line, column, severity, rule, message) in the same order,
and `mkdocs build --strict` fails exactly when `papernotes check --strict` does.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort
from papernotes.checks.report import cap
from papernotes.checks.rules import BY_CODE, LIMIT_PER_RULE, RULES, markdown_table
from papernotes.notes.model import Diagnostic
from support.commands import papernotes
from support.paths import REPO
from support.sites import build as _build
from support.sites import write_site

MISSING = "".join(f"- ![f{i}](../assets/fig_x/{i}.png)\n" for i in range(LIMIT_PER_RULE + 5))
NOTES: dict[str, str | bytes] = {
    "index.md": "# Home\n\nSee [the grammar](grammar.md#entries) and [nowhere](gone.md).\n",
    "grammar.md": (
        "# Grammar\n\n## Contents\n- [Entries](#entries)\n\n## Entries\n\n"
        "### [CVPR 2023] [!!] Marker after the tag [[pfd]](https://a.org/x.pdf)\n_Ada Lovelace, Alan Turing\n\n"
        "### [!!!!] [] Four marks [[code]](https://github.com/o/my repo) [[weirdlabel]](https://a.org)\n"
        "Tags: diffusion\n\n"
        "### [arXiv 2024] [[pdf]](javascript:alert(1))\n\n"
        "### [ICCV 2023] Segment Anything [[pdf]](https://arxiv.org/abs/2304.02643) [[code]]\n_David Ross_\n"
        "- see [here](htps://example.org) and [a section](#no-such-section)\n\n"
        "### [ICCV 2023] Segment Anything\n_David A Ross_\n\n"
        "### [Nature 2023 Methods] A paper in a journal read two ways\n_Ada Lovelace_\n\n"
        "## More\n"
    ),
    "papers.md": (
        "# Papers\n\n### [cvpr 2023] The Same Paper Again [[pdf]](https://arxiv.org/abs/2304.02643)\n_David A Ross_\n"
        f"{MISSING}"
    ),
    "placeholder.md": "---\npapernotes: {missing_figures: placeholder}\n---\n# P\n\n### [!] Placeholder figure paper\n_Ada Lovelace_\n"
                      "- ![x](../assets/fig_x/gone.png)\n",
    "bad-front.md": "---\ntitle: [unclosed\n---\n# Bad front matter\n",
    "empty.md": "",
    "blank.md": "\n\n   \n",
    "front-only.md": "---\ntitle: Only front matter\n---\n",
    "binary.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    "latin1.md": "# Caf\xe9\n\n### [!] Un article\n_Ada Lovelace_\n".encode("latin-1"),
    "long.md": "# Long\n\n" + "![x](../assets/nope.png) " * 1_000 + "\n",
}
ALIASES = "authors:\n  Ada Lovelace: 5\n"  # a wrong shape: the `aliases` rule


def build(root: Path, **overrides):
    """A build that logs notices too, as `mkdocs build` does on the command line."""
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        return _build(root, **overrides)
    finally:
        logger.setLevel(level)


def _site(tmp_path: Path, notes: dict[str, str | bytes] = NOTES) -> Path:
    root = write_site(tmp_path / "project", notes, plugin={"aliases": "aliases.yml", "dates": False})  # not a git repository: no dates notice
    (root / "aliases.yml").write_text(ALIASES, encoding="utf-8")
    if notes is NOTES:  # a note that is a symbolic link out of the repository: reported, not read, by both
        outside = tmp_path / "elsewhere.md"
        outside.write_text("# Elsewhere\n\n### [!] [[pfd]](https://a.org) Private\n_Ada Lovelace_\n", encoding="utf-8")
        (root / "docs" / "linked.md").symlink_to(outside)
    return root


def _check(root: Path, *args: str) -> list[Diagnostic]:
    result = papernotes(root, "check", "--format", "json", *args)
    return [Diagnostic(**record) for record in json.loads(result.stdout)]


def _as_logged(d: Diagnostic) -> tuple[int, str]:
    level = {"error": logging.ERROR, "warning": logging.WARNING}.get(d.severity, logging.INFO)
    return level, f"papernotes: {d.path}:{d.line}:{d.col}: {d.message} [{d.code}]"


# Notices about the build itself, not about a note: the feeds need site_url (a local build has none).
BUILD_NOTICES = ("papernotes: no site_url in mkdocs.yml: the Atom feeds are not made",)


def _logged(messages: list[tuple[int, str]]) -> list[tuple[int, str]]:
    return [(level, m) for level, m in messages
            if m.startswith("papernotes: ") and not (level == logging.INFO and m.startswith(BUILD_NOTICES))]


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> tuple[Path, list[Diagnostic], list[tuple[int, str]], list[tuple[int, str]]]:
    root = _site(tmp_path_factory.mktemp("truth"))
    checked = _check(root)
    site = build(root)
    return root, checked, _logged(site.messages), site.messages


def test_build_reports_exactly_what_check_reports(both):
    _, checked, logged, _ = both
    assert logged == [_as_logged(d) for d in checked]
    # Text as the issue writes it: `path:line:col: message [rule]`, sorted by file and line.
    assert all(re.fullmatch(r"papernotes: [^:]+:\d+:\d+: .+ \[[a-z-]+\]", m, re.S) for _, m in logged)
    assert [(d.path, d.line, d.col) for d in checked] == sorted((d.path, d.line, d.col) for d in checked)


def test_the_repository_has_a_problem_of_every_rule(both):
    _, checked, _, _ = both
    # All but `unreadable` (a file without read permission; root in CI reads everything).
    assert {d.code for d in checked} == set(BY_CODE) - {"unreadable"}
    for d in checked:
        rule = BY_CODE[d.code]
        assert d.severity in rule.severity, (d, rule)


def test_strict_build_fails_if_and_only_if_strict_check_fails(tmp_path, both):
    root = both[0]
    assert papernotes(root, "check", "--strict").returncode == 1
    with pytest.raises(Abort):
        build(root, strict=True)
    clean = write_site(tmp_path / "clean", {"index.md": "# Home\n", "a.md": "# A\n\n### [!] Fine paper\n_Ada Lovelace_\n"})
    assert papernotes(clean, "check", "--strict").returncode == 0
    build(clean, strict=True)  # no Abort
    notices = write_site(tmp_path / "notices", {"a.md": "---\npapernotes: {missing_figures: placeholder}\n---\n"
                                                        "# A\n\n### [!] Fine paper\n_Ada Lovelace_\n- ![x](../assets/gone.png)\n"})
    assert [d.severity for d in _check(notices)] == ["info"]
    assert papernotes(notices, "check", "--strict").returncode == 0
    build(notices, strict=True)


def test_odd_files_get_the_same_rule_and_severity_from_check_and_build(both):
    _, checked, logged, _ = both
    expected = {"empty.md": ("warning", "empty-note"), "blank.md": ("warning", "empty-note"),
                "binary.md": ("error", "binary"), "latin1.md": ("error", "encoding"), "long.md": ("error", "long-line")}
    for name, (severity, code) in expected.items():
        found = [d for d in checked if d.path == f"docs/{name}"]
        assert [(d.severity, d.code) for d in found] == [(severity, code)], name
        assert _as_logged(found[0]) in logged
    assert [(d.severity, d.code) for d in checked if d.path == "docs/linked.md"] == [("warning", "symlink")]
    assert not [d for d in checked if d.path == "docs/front-only.md"]  # only front matter: a page with no text, fine


def test_messages_say_how_to_fix(both):
    _, checked, _, _ = both
    by_code = {d.code: d.message for d in checked}
    assert "add the file or fix the path" in by_code["missing-figure"]
    assert "unknown link label [[pfd]]: did you mean [[pdf]]?" in [d.message for d in checked]


def test_at_most_twenty_per_rule_per_file_then_one_line(both):
    _, checked, logged, _ = both
    figures = [d for d in checked if d.path == "docs/papers.md" and d.code == "missing-figure"]
    assert len(figures) == LIMIT_PER_RULE + 1
    assert figures[-1].message == "… and 5 more" and figures[-1].severity == "warning"
    assert (logging.WARNING, "papernotes: docs/papers.md:" f"{figures[-1].line}:3: … and 5 more [missing-figure]") in logged


def test_cap_keeps_the_highest_severity_of_what_it_leaves_out():
    ds = [Diagnostic("a.md", i, 1, "info", "x", "m") for i in range(3)] + [Diagnostic("a.md", 9, 1, "warning", "x", "m")]
    capped = cap(ds, 2)
    assert [(d.line, d.severity, d.message) for d in capped] == [(0, "info", "m"), (1, "info", "m"), (2, "warning", "… and 2 more")]
    assert cap(ds, 10) == ds


def test_mkdocs_does_not_repeat_what_the_plugin_reported(both):
    _, checked, _, messages = both
    mkdocs_own = [m for _, m in messages if m.startswith("Doc file ")]
    # The missing figures, the broken link to gone.md and the broken anchor were all reported
    # by the plugin (with line and column): MkDocs' own line about them is dropped.
    reported = {d.path for d in checked if d.code in ("missing-figure", "broken-link")}
    assert reported >= {"docs/index.md", "docs/papers.md", "docs/grammar.md"}
    assert mkdocs_own == []


def test_mkdocs_link_warnings_the_plugin_did_not_report_still_show(make_site):
    # A link inside an HTML block is not seen by the grammar: MkDocs' own warning stays.
    site = make_site({"a.md": "# A\n\n<div markdown>\n[x](missing.md)\n</div>\n"})
    assert any("missing.md" in w for w in site.warnings)


def test_macros_chatter_is_off_unless_asked_for(tmp_path):
    config = {"plugins": ["search", {"macros": {"render_by_default": False}}, {"papernotes": {}}]}
    quiet = build(write_site(tmp_path / "q", {"a.md": "# A\n"}, config=config))
    assert not [m for _, m in quiet.messages if "[macros]" in m]
    config["plugins"][1]["macros"]["verbose"] = True
    loud = build(write_site(tmp_path / "l", {"a.md": "# A\n"}, config=config))
    assert [m for _, m in loud.messages if "[macros]" in m]


def test_a_two_megabyte_line_of_missing_figures_prints_at_most_forty_lines(tmp_path):
    line = "![x](../assets/m.png) " * 100_000  # 2.2 MB of markup on one line
    # The long line sits inside an entry: the entry and the rest of the note are still shown.
    big = "# Big\n\n### [!!] [CVPR 2023] Kept Paper\n_Ada Lovelace_\n" + line + "\n- a note after it\n"
    root = write_site(tmp_path / "big", {"index.md": "# Home\n", "big.md": big})
    check = papernotes(root, "check")
    assert len(check.stdout.splitlines()) + len(check.stderr.splitlines()) <= 40
    site = build(root)
    shown = [m for level, m in site.messages if level >= logging.WARNING]
    assert 1 <= len(shown) <= 40
    assert [m for m in shown if "long-line" in m] == [
        "papernotes: docs/big.md:5:1: line 5 is 2,200,000 characters long: not a hand-written line, so it is neither "
        "shown nor checked; break it up [long-line]"]
    page = site.page("big.md")
    assert "Not shown:" in page and "<img" not in page
    assert "Kept Paper" in page and "a note after it" in page and "Ada Lovelace" in site.read("papers.json")


def test_the_rule_table_in_contributing_is_the_one_in_the_code():
    text = (REPO / "docs" / "contributing.md").read_text(encoding="utf-8")
    between = text.split("<!-- rules: start -->\n", 1)[1].split("<!-- rules: end -->", 1)[0]
    assert between == markdown_table(), "regenerate with: python -c 'from papernotes.checks.rules import markdown_table as t; print(t())'"


def test_every_rule_the_code_emits_is_in_the_table():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "plugins" / "papernotes").rglob("*.py"))
    emitted = set(re.findall(r'"(?:error|warning|info)", "([a-z]+(?:-[a-z]+)*)"', source))
    emitted |= set(re.findall(r'\(\s*(?:col|base[^,]*|line[^,]*), "([a-z]+-[a-z]+|topics)"', source))
    emitted |= set(re.findall(r'self\.warn\([^"]*"([a-z]+(?:-[a-z]+)*)"', source))
    emitted |= set(re.findall(r'_link_diag\(doc, link, "([a-z-]+)"', source))
    emitted -= {"error", "warning", "info", "notice"}  # the summary's words for severities
    assert emitted, "the patterns above found nothing: update them"
    assert emitted <= set(BY_CODE), emitted - set(BY_CODE)
    assert len({r.code for r in RULES}) == len(RULES)


def test_the_repository_as_shipped_passes_both_strict(repo_site):
    assert papernotes(REPO, "check", "--strict").returncode == 0
    # `mkdocs build --strict` aborts on any warning or error logged under `mkdocs`: there are none.
    assert repo_site.warnings == []


def test_mkdocs_link_warnings_are_recognised_and_nothing_else():
    from papernotes.mkdocs_plugin.log_filters import Chatter, mkdocs_link

    assert mkdocs_link("Doc file 'a b.md' contains a link '../assets/x.png', but the target 'assets/x.png' is not found "
                       "among documentation files.") == ("a b.md", "../assets/x.png")
    assert mkdocs_link("Doc file 'a.md' contains a link '#nope', but there is no such anchor on this page.") == ("a.md", "#nope")
    assert mkdocs_link("Doc file 'a.md' contains an unrecognized relative link 'x/', it was left as is.") == ("a.md", "x/")
    assert mkdocs_link("Doc file 'a.md' contains a link to 'b.md' which is excluded from the built site.") is None
    assert mkdocs_link("Building documentation") is None
    info = logging.LogRecord("x", logging.INFO, "", 0, "chatter", None, None)
    mkdocs = logging.getLogger("mkdocs")
    level = mkdocs.level
    try:
        mkdocs.setLevel(logging.INFO)
        assert not Chatter(False).filter(info) and Chatter(True).filter(info)
        mkdocs.setLevel(logging.DEBUG)  # `mkdocs build --verbose`
        assert Chatter(False).filter(info)
    finally:
        mkdocs.setLevel(level)
