"""`papernotes check`, driven as a subprocess on small sites built in tmp_path."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from papernotes.cli.check import github_annotation
from papernotes.notes.model import Diagnostic
from support.commands import papernotes
from support.paths import REPO
from support.sites import write_site


def lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return result.stdout.splitlines()


def stderr_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return result.stderr.splitlines()


def entry(title: str, authors: str = "Ada Lovelace", head: str = "[NeurIPS 2023]", links: str = "",
          body: str = "- a note") -> str:
    return f"### {head} {title} {links}\n_{authors}_\n{body}\n\n"


# One note per rule, each with exactly one problem.
RULE_NOTES = {
    "grammar.md": "# G\n\n" + entry("Too Loud", head="[!!!!] [ICML 2021]"),
    "dup-a.md": "# A\n\n" + entry("Segment Anything", links="[[pdf]](https://arxiv.org/abs/2304.02643)"),
    "dup-b.md": "# B\n\n" + entry("SAM again", links="[[pdf]](https://arxiv.org/pdf/2304.02643.pdf)"),
    "alias.md": "# C\n\n" + entry("One Paper", authors="Michael J. Black") + entry("Two Paper", authors="Michael J. Black1"),
    "links.md": "# D\n\n## Method\n\nSee [method](#method), [b](dup-b.md#b), [typo](dup-b.md#bee) and [gone](gone.md).\n",
    "urls.md": "# E\n\n[x](javascript:alert(1)) [y](t https://example.com) [z](htps://example.com)\n",
    "labels.md": "# F\n\n" + entry("Label Paper", links="[[Porject]](https://example.com)"),
    "tags.md": "# H\n\n" + entry("Tag One", head="[Meta AI] [CVPR 2023]") + entry("Tag Two", head="[MetaAI] [CVPR 2023]"),
    "figs.md": "# I\n\n" + entry("Fig Paper", body="- ![](../assets/fig_x/1.png)\n- ![](../assets/fig_x/2.png)"),
}

RULE_REPORT = [
    "docs/alias.md:8:1: warning: author 'Michael J. Black1' looks like 'Michael J. Black' (line 4): they differ only in a "
    "trailing number; if one person, add to aliases.yml under authors:  Michael J. Black: [Michael J. Black1] [author-alias]",
    "docs/dup-b.md:3:1: warning: same paper as dup-a.md:3 (same arXiv id 2304.02643); keep one entry [duplicate-paper]",
    "docs/figs.md:6:3: warning: figure not found: ../assets/fig_x/2.png: add the file or fix the path [missing-figure]",
    "docs/grammar.md:3:5: warning: priority marker [!!!!] has more than three '!'; read as [!!!] [priority-marker]",
    "docs/labels.md:3:32: warning: unknown link label [[Porject]]: did you mean [[project]]? [link-label]",
    "docs/links.md:5:41: warning: no heading with anchor #bee on dup-b.md [broken-link]",
    "docs/links.md:5:66: warning: link target not found: 'gone.md' [broken-link]",
    "docs/tags.md:7:1: warning: tag [MetaAI] differs from [Meta AI] (line 3) only in case or spacing (they get separate tag "
    "pages); write it one way or add to aliases.yml under tags:  Meta AI: [MetaAI] [tag-variant]",
    "docs/urls.md:3:1: warning: URL is not http(s), mailto or relative: 'javascript:alert(1)' [unsafe-url]",
    "docs/urls.md:3:26: warning: URL contains a space: 't https://example.com' [url-space]",
    "docs/urls.md:3:53: warning: malformed URL 'htps://example.com': misspelt scheme 'htps://' [bad-url]",
]


@pytest.fixture
def rules_site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", RULE_NOTES, assets={"fig_x/1.png": b"\x89PNG"})


def test_every_rule_once_as_text(rules_site):
    result = papernotes(rules_site, "check")
    assert lines(result) == RULE_REPORT
    assert result.returncode == 0  # warnings only
    assert stderr_lines(result) == ["papernotes: 9 notes checked, 11 warnings"]


def test_strict_turns_warnings_into_errors(rules_site):
    result = papernotes(rules_site, "check", "--strict")
    assert result.returncode == 1
    assert lines(result) == [line.replace(": warning: ", ": error: ", 1) for line in RULE_REPORT]


def test_github_annotations(rules_site):
    result = papernotes(rules_site, "check", "--format", "github")
    assert lines(result)[:2] == [
        "::warning file=docs/alias.md,line=8,col=1,title=papernotes author-alias::author 'Michael J. Black1' looks like "
        "'Michael J. Black' (line 4): they differ only in a trailing number; if one person, add to aliases.yml under authors:  "
        "Michael J. Black: [Michael J. Black1]",
        "::warning file=docs/dup-b.md,line=3,col=1,title=papernotes duplicate-paper::same paper as dup-a.md:3 "
        "(same arXiv id 2304.02643); keep one entry",
    ]
    assert len(lines(result)) == len(RULE_REPORT)
    assert all(line.startswith("::warning file=docs/") for line in lines(result))
    strict = papernotes(rules_site, "check", "--format", "github", "--strict")
    assert all(line.startswith("::error file=docs/") for line in lines(strict))


def test_github_annotation_escaping_and_levels():
    d = Diagnostic("docs/a,b: c é.md", 2, 3, "info", "missing-figure", "50% done\nnext")
    assert github_annotation(d) == ("::notice file=docs/a%2Cb%3A c é.md,line=2,col=3,title=papernotes missing-figure"
                                    "::50%25 done%0Anext")
    assert github_annotation(Diagnostic("a.md", 1, 1, "error", "encoding", "x")).startswith("::error file=a.md,")


def test_json_format_has_the_same_diagnostics(rules_site):
    result = papernotes(rules_site, "check", "--format", "json")
    records = json.loads(result.stdout)
    assert [f"{r['path']}:{r['line']}:{r['col']}: {r['severity']}: {r['message']} [{r['code']}]" for r in records] == RULE_REPORT
    assert set(records[0]) == {"path", "line", "col", "severity", "code", "message"}


def test_errors_exit_1(tmp_path):
    root = write_site(tmp_path / "s", {"bad.md": b"# Title\n\ncaf\xe9\n"})
    result = papernotes(root, "check")
    assert lines(result) == ["docs/bad.md:3:4: error: not valid UTF-8 (byte 0xe9); save the file as UTF-8 [encoding]"]
    assert result.returncode == 1


def test_rules_disabled_in_mkdocs_yml_and_on_the_command_line(tmp_path):
    root = write_site(tmp_path / "s", RULE_NOTES, plugin={"disable": ["broken-link", "author-alias"]},
                      assets={"fig_x/1.png": b"\x89PNG"})
    result = papernotes(root, "check", "--disable", "tag-variant")
    off = ("[broken-link]", "[author-alias]", "[tag-variant]")
    assert lines(result) == [line for line in RULE_REPORT if not line.endswith(off)]


def test_aliases_file_named_in_mkdocs_yml_is_used(tmp_path):
    root = write_site(tmp_path / "s", {"alias.md": RULE_NOTES["alias.md"], "tags.md": RULE_NOTES["tags.md"]},
                      plugin={"aliases": "aliases.yml"})
    aliases = "authors:\n  Michael J. Black: [Michael J. Black1]\ntags:\n  Meta AI: [MetaAI]\n"
    (root / "aliases.yml").write_text(aliases, encoding="utf-8")
    result = papernotes(root, "check")
    assert (lines(result), result.returncode) == ([], 0)
    (root / "aliases.yml").write_text("authors: [oops\n", encoding="utf-8")
    broken = papernotes(root, "check")
    assert lines(broken)[0].startswith("aliases.yml:2:1: warning: not valid YAML")


def test_given_paths_are_checked_against_the_whole_docs_folder(rules_site):
    """Pre-commit passes only changed files: cross-note problems still show, other notes stay quiet."""
    result = papernotes(rules_site, "check", "docs/dup-b.md", "docs/links.md")
    assert lines(result) == [line for line in RULE_REPORT if line.startswith(("docs/dup-b.md", "docs/links.md"))]
    assert stderr_lines(result) == ["papernotes: 2 notes checked, 3 warnings"]


def test_mkdocs_yml_with_python_tags_and_env(tmp_path):
    root = tmp_path / "s"
    (root / "notes").mkdir(parents=True)
    (root / "notes" / "a.md").write_text(entry("Label Paper", links="[[Porject]](https://example.com)"), encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: x\ndocs_dir: !ENV [PAPERNOTES_TEST_DOCS, notes]\nplugins:\n  - search\n  - papernotes:\n      disable: []\n"
        "markdown_extensions:\n  - toc:\n      slugify: !!python/object/apply:pymdownx.slugs.slugify { kwds: { case: lower } }\n",
        encoding="utf-8")
    result = papernotes(root, "check")
    assert lines(result) == ["notes/a.md:1:32: warning: unknown link label [[Porject]]: did you mean [[project]]? [link-label]"]


def test_the_seed_note_reports_its_real_defects_and_nothing_else():
    result = papernotes(REPO, "check")
    missing = [(34, 8), (35, 9), (46, 10), (68, 11), (69, 12), (73, 15), (81, 20), (86, 36)]
    seed = "docs/blog_generative_models.md"
    assert lines(result) == [
        f"{seed}:10:1: info: hand-kept contents list misses 1 section(s): 'Summary of multi-modal alignment methods' "
        "(the site shows a generated list; GitHub shows this one) [stale-contents]",
        *[f"{seed}:{line}:3: info: figure not found: ../assets/fig_generative_models/{n}.png: add the file or fix the path (shown as a placeholder) "
          "[missing-figure]" for line, n in missing[:3]],
        *[f"{seed}:{line}:3: info: figure not found: ../assets/fig_generative_models/{n}.png: add the file or fix the path (shown as a placeholder) "
          "[missing-figure]" for line, n in missing[3:]],
    ]
    assert result.returncode == 0
    # Notices only: the repository as shipped passes the strict check (and `mkdocs build --strict`).
    assert papernotes(REPO, "check", "--strict").returncode == 0


# -- bad input -------------------------------------------------------------------------------


def test_empty_note(tmp_path):
    root = write_site(tmp_path / "s", {"empty.md": b""})
    result = papernotes(root, "check")
    expected = ["docs/empty.md:1:1: warning: the note is empty: write the note or delete the file [empty-note]"]
    assert (lines(result), result.returncode) == (expected, 0)


def test_one_five_megabyte_line(tmp_path):
    root = write_site(tmp_path / "s", {"big.md": "word [x](y.md) `code` ![](z.png) " * 160_000})
    result = papernotes(root, "check")
    assert lines(result) == ["docs/big.md:1:1: error: line 1 is 5,280,000 characters long: not a hand-written line, "
                             "so it is neither shown nor checked; break it up [long-line]"]
    assert result.returncode == 1


def test_file_names_with_spaces_and_non_ascii(tmp_path):
    name = "notes with spaces — 日本語 é.md"
    root = write_site(tmp_path / "s", {name: entry("Label Paper", links="[[Porject]](https://example.com)")})
    expected = f"docs/{name}:1:32: warning: unknown link label [[Porject]]: did you mean [[project]]? [link-label]"
    assert lines(papernotes(root, "check")) == [expected]
    assert lines(papernotes(root, "check", f"docs/{name}")) == [expected]
    github = lines(papernotes(root, "check", "--format", "github"))
    assert github == [f"::warning file=docs/{name},line=1,col=32,title=papernotes link-label::unknown link label "
                      "[[Porject]]: did you mean [[project]]?"]


def test_symlink_outside_the_repository_is_not_followed(tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(entry("Secret", links="[[Porject]](https://example.com)"), encoding="utf-8")
    root = write_site(tmp_path / "s", {"ok.md": "# OK\n"})
    (root / "docs" / "link.md").symlink_to(secret)
    (root / "docs" / "linked-folder").symlink_to(tmp_path)
    result = papernotes(root, "check")
    assert lines(result) == [
        f"docs/link.md:1:1: warning: symbolic link to {str(secret)!r}, outside the repository: not followed [symlink]",
        f"docs/linked-folder:1:1: warning: symbolic link to {str(tmp_path)!r}, outside the repository: not followed [symlink]",
    ]
    assert result.returncode == 0
    assert papernotes(root, "check", "docs/link.md").returncode == 0
    assert "Secret" not in papernotes(root, "check", "docs/link.md", "--format", "json").stdout


def test_symlink_inside_the_repository_is_read(tmp_path):
    root = write_site(tmp_path / "s", {})
    (root / "drafts").mkdir()
    (root / "drafts" / "d.md").write_text(entry("Label Paper", links="[[Porject]](https://example.com)"), encoding="utf-8")
    (root / "docs" / "d.md").symlink_to(root / "drafts" / "d.md")
    assert [line.split(": ")[0] for line in lines(papernotes(root, "check"))] == ["docs/d.md:1:32"]


def test_binary_file_with_md_extension(tmp_path):
    root = write_site(tmp_path / "s", {"image.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"})
    result = papernotes(root, "check")
    assert lines(result) == ["docs/image.md:3:1: error: binary file with a .md name (it contains NUL bytes), not a note: "
                             "remove or rename it [binary]"]
    assert result.returncode == 1


def test_mkdocs_yml_without_the_plugin(tmp_path):
    root = write_site(tmp_path / "s", {"a.md": entry("Label Paper", links="[[Porject]](https://example.com)")})
    (root / "mkdocs.yml").write_text("site_name: x\nplugins: [search]\n", encoding="utf-8")
    bare = papernotes(root, "check")
    assert (bare.stdout, stderr_lines(bare), bare.returncode) == (
        "", ["papernotes check: error: mkdocs.yml: the papernotes plugin is not in 'plugins:'; "
             "give the notes to check as paths"], 2)
    given = papernotes(root, "check", "docs")
    assert lines(given) == ["docs/a.md:1:32: warning: unknown link label [[Porject]]: did you mean [[project]]? [link-label]"]
    assert stderr_lines(given)[0] == ("papernotes check: note: mkdocs.yml does not enable the papernotes plugin; "
                                      "checking with default options")
    assert given.returncode == 0


def test_no_mkdocs_yml(tmp_path):
    (tmp_path / "a.md").write_text("# A\n\n[x](nowhere.md)\n", encoding="utf-8")
    bare = papernotes(tmp_path, "check")
    assert (stderr_lines(bare), bare.returncode) == (
        ["papernotes check: error: no mkdocs.yml in this folder: run in the site's folder or give the notes to check"], 2)
    given = papernotes(tmp_path, "check", "a.md")
    assert lines(given) == ["a.md:3:1: warning: link target not found: 'nowhere.md' [broken-link]"]


@pytest.mark.parametrize(("args", "message"), [
    (["check", "nope.md"], "papernotes check: error: nope.md: no such file or directory"),
    (["check", "-f", "other.yml"], "papernotes check: error: other.yml: no such file"),
])
def test_path_that_does_not_exist(tmp_path, args, message):
    root = write_site(tmp_path / "s", {"a.md": "# A\n"})
    result = papernotes(root, *args)
    assert (result.stdout, stderr_lines(result), result.returncode) == ("", [message], 2)


@pytest.mark.parametrize(("config", "message"), [
    ("site_name: [\n", "mkdocs.yml:2:1: not valid YAML: expected the node content, but found '<stream end>'"),
    ("- just\n- a list\n", "mkdocs.yml: expected a mapping of MkDocs settings"),
    ("plugins:\n  - papernotes: {disable: oops}\n", "mkdocs.yml: plugins.papernotes.disable must be a list of rule codes"),
    ("plugins:\n  - papernotes\ndocs_dir: missing\n", "missing: docs folder not found (docs_dir in mkdocs.yml)"),
    (b"site_name: caf\xe9\n", "mkdocs.yml: not valid UTF-8"),
])
def test_bad_mkdocs_yml(tmp_path, config, message):
    config = config if isinstance(config, bytes) else config.encode()
    (tmp_path / "mkdocs.yml").write_bytes(config)
    result = papernotes(tmp_path, "check")
    assert (stderr_lines(result), result.returncode) == ([f"papernotes check: error: {message}"], 2)


def test_usage_errors_come_from_argparse(tmp_path):
    result = papernotes(tmp_path, "check", "--format", "xml")
    assert result.returncode == 2
    assert "invalid choice: 'xml'" in result.stderr
    assert papernotes(tmp_path).returncode == 2


# -- pre-commit ------------------------------------------------------------------------------


def test_pre_commit_hook_manifest_runs_the_check_on_markdown():
    import re

    import yaml

    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert (hook["id"], hook["entry"], hook["language"]) == ("papernotes-check", "papernotes check", "python")
    assert re.search(hook["files"], "docs/a note.md") and not re.search(hook["files"], "mkdocs.yml")
    assert hook["require_serial"] is True
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert set(hooks) == {"papernotes-check", "ruff"}
    local = hooks["papernotes-check"]
    assert local["entry"].split()[-2:] == ["papernotes", "check"]
    assert re.search(local["files"], "docs/blog_generative_models.md") and not re.search(local["files"], "README.md")
