"""`papernotes import OLD_REPO`: moving an old notes repository (src/*.md, assets/fig_*) in."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.commands import papernotes
from support.paths import REPO
from support.sites import build, write_site

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
NOTE_A = ("# Old notes\r\n\r\n### [!!] [CVPR 2023] Old Paper [[pdf]](https://arxiv.org/abs/2301.00001)\r\n"
          "_Michael J. Black, Ada Lovelace_\r\n- ![](../assets/fig_a/1.png)\r\n- ![](../assets/fig_b.png)\r\n\r\n"
          "### [ICCV 2023] Newer Paper\r\n_Michael J. Black1_\r\n- ![](../assets/fig_a/missing.png)\r\n")
NOTE_B = "# Spaced — é\n\n### [NeurIPS 2022] Another [[Porject]](https://example.com)\n_Ada Lovelace_\n"


def make_old_repo(root: Path) -> Path:
    files = {
        "src/blog_a.md": NOTE_A.encode(),
        "src/notes b é.md": NOTE_B.encode(),
        "src/readme.txt": b"not a note",
        "assets/fig_a/1.png": PNG,
        "assets/fig_a/sub/2.png": PNG[::-1],
        "assets/fig_b.png": PNG[:20],
        "assets/logo.png": b"not a figure",
        "blog_a.html": b"<html>hand-made export</html>",
        "export/index.html": b"<html></html>",
        "README.md": b"# old repo\n",
    }
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


@pytest.fixture
def repos(tmp_path: Path) -> tuple[Path, Path]:
    old = make_old_repo(tmp_path / "old-repo")
    new = write_site(tmp_path / "new", {"index.md": "# Home\n"})
    return old, new


def test_import_copies_notes_and_figures_unchanged_and_reports(repos):
    old, new = repos
    result = papernotes(new, "import", "../old-repo")
    copied = sorted(p.relative_to(new).as_posix() for p in new.rglob("*") if p.is_file())
    assert copied == ["assets/fig_a/1.png", "assets/fig_a/sub/2.png", "assets/fig_b.png",
                      "docs/blog_a.md", "docs/index.md", "docs/notes b é.md", "mkdocs.yml"]
    for src, dest in [("src/blog_a.md", "docs/blog_a.md"), ("src/notes b é.md", "docs/notes b é.md"),
                      ("assets/fig_a/1.png", "assets/fig_a/1.png"), ("assets/fig_a/sub/2.png", "assets/fig_a/sub/2.png"),
                      ("assets/fig_b.png", "assets/fig_b.png")]:
        assert (new / dest).read_bytes() == (old / src).read_bytes()
    assert result.stdout.splitlines() == [
        "docs/blog_a.md:9:1: warning: author 'Michael J. Black1' looks like 'Michael J. Black' (line 4): they differ only "
        "in a trailing number; if one person, add to aliases.yml under authors:  Michael J. Black: [Michael J. Black1] "
        "[author-alias]",
        "docs/blog_a.md:10:3: warning: figure not found: ../assets/fig_a/missing.png: add the file or fix the path [missing-figure]",
        "docs/notes b é.md:3:28: warning: unknown link label [[Porject]]: did you mean [[project]]? [link-label]",
    ]
    assert result.stderr.splitlines()[0] == "papernotes import: copied 2 notes and 3 figures into ."
    assert result.stderr.splitlines()[-1] == "papernotes: 2 notes checked, 3 warnings"
    assert result.returncode == 0


def test_imported_notes_build_with_their_figures(repos):
    _, new = repos
    papernotes(new, "import", "../old-repo")
    site = build(new)
    assert [w for w in site.warnings if "missing-figure" in w] == [
        "papernotes: docs/blog_a.md:10:3: figure not found: ../assets/fig_a/missing.png: add the file or fix the path [missing-figure]"]
    assert (site.site_dir / "assets" / "fig_a" / "1.png").read_bytes() == PNG
    assert 'src="../assets/fig_a/1.png"' in site.page("blog_a.md")


def test_existing_files_are_never_overwritten_silently(repos):
    old, new = repos
    (new / "docs" / "blog_a.md").write_text("# mine\n", encoding="utf-8")
    (new / "assets" / "fig_a").mkdir(parents=True)
    (new / "assets" / "fig_a" / "1.png").write_bytes(PNG)  # same bytes: nothing to report
    result = papernotes(new, "import", str(old))
    assert (new / "docs" / "blog_a.md").read_text(encoding="utf-8") == "# mine\n"
    assert result.stderr.splitlines()[:2] == [
        "papernotes import: docs/blog_a.md: already exists and differs, not overwritten (use --force)",
        "papernotes import: copied 1 notes and 2 figures into .; 1 already there unchanged; 1 not overwritten",
    ]
    assert result.returncode == 1
    forced = papernotes(new, "import", str(old), "--force")
    assert (new / "docs" / "blog_a.md").read_bytes() == NOTE_A.encode()
    assert forced.stderr.splitlines()[0] == "papernotes import: copied 1 notes and 0 figures into .; 4 already there unchanged"
    assert forced.returncode == 0


def test_symlinks_leaving_the_old_repo_are_not_copied(repos, tmp_path):
    old, new = repos
    (tmp_path / "private.md").write_text("# private\n", encoding="utf-8")
    (old / "src" / "leak.md").symlink_to(tmp_path / "private.md")
    result = papernotes(new, "import", str(old), "--dest", str(new))
    assert not (new / "docs" / "leak.md").exists()
    assert f"papernotes import: {old / 'src' / 'leak.md'}: symbolic link outside the old repository, not copied" \
        in result.stderr.splitlines()
    assert result.returncode == 1


def test_the_seed_layout_moves_in(tmp_path):
    """The seed note as it stood in its own repository: no figures published, so they are reported."""
    old = tmp_path / "seed-repo"
    (old / "src").mkdir(parents=True)
    seed = (REPO / "tests" / "fixtures" / "blog_generative_models.md").read_bytes()
    (old / "src" / "blog_generative_models.md").write_bytes(seed)
    (old / "blog_generative_models.html").write_text("<html></html>", encoding="utf-8")
    new = write_site(tmp_path / "new", {})
    result = papernotes(new, "import", "../seed-repo")
    report = result.stdout.splitlines()
    assert sum(line.endswith("[missing-figure]") and ": warning: " in line for line in report) == 8
    assert sum(line.endswith("[author-alias]") for line in report) == 1
    assert (new / "docs" / "blog_generative_models.md").read_bytes() == seed
    assert result.returncode == 0


@pytest.mark.parametrize(("setup", "args", "message"), [
    (lambda old: None, ["import", "missing"], "missing: no such folder"),
    (lambda old: (old / "file").write_text("x"), ["import", "old/file"], "old/file: not a folder"),
    (lambda old: None, ["import", "old"], "old: no src/ folder with notes (expected the layout src/*.md, assets/fig_*)"),
    (lambda old: (old / "src").mkdir(), ["import", "old"], "old/src: no notes (*.md) to import"),
    (lambda old: (old / "src").mkdir(), ["import", "old", "--dest", "nowhere"], "nowhere: destination folder not found"),
])
def test_bad_import_arguments(tmp_path, setup, args, message):
    (tmp_path / "old").mkdir()
    setup(tmp_path / "old")
    result = papernotes(tmp_path, *args)
    assert (result.stdout, result.stderr.splitlines(), result.returncode) == ("", [f"papernotes import: error: {message}"], 2)
