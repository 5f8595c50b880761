"""The site_dir kept between serve rebuilds (sitedir.py): unchanged files are not written
again, and the tree after a build is exactly what the build made."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs import utils
from papernotes.serve.site_dir import MARKER, SiteDir


def _build(site: SiteDir, root: Path, pages: dict[str, bytes], *, full: bool = True) -> None:
    site.begin(str(root))
    utils.clean_directory(str(root))  # what MkDocs does right after on_pre_build
    for name, content in pages.items():
        utils.write_file(content, str(root / name))
    site.finish(full=full)


def test_unchanged_files_are_not_written_again_and_stale_ones_go(tmp_path):
    root, site = tmp_path / "site", SiteDir()
    _build(site, root, {"a/index.html": b"A", "b/index.html": b"B", "c/deep/index.html": b"C"})
    (root / ".hidden").write_text("kept")  # clean_directory leaves hidden top-level entries
    (root / ".git").mkdir()
    (root / ".git" / "x").write_text("kept")
    past = 1_000_000_000_000_000_000
    for name in ("a/index.html", "b/index.html"):
        os.utime(root / name, ns=(past, past))
    _build(site, root, {"a/index.html": b"A", "b/index.html": b"B2"})
    assert (root / "a/index.html").stat().st_mtime_ns == past  # same bytes: not written again
    assert (root / "b/index.html").read_bytes() == b"B2"
    assert not (root / "c").exists()  # stale file and its empty folders removed
    assert (root / ".hidden").read_text() == "kept" and (root / ".git" / "x").read_text() == "kept"
    assert not (root / MARKER).exists()


def test_a_file_changed_or_removed_behind_its_back_is_written_again(tmp_path):
    root, site = tmp_path / "site", SiteDir()
    _build(site, root, {"a.html": b"AAAA", "b.html": b"BB"})
    (root / "a.html").write_bytes(b"xy")
    (root / "b.html").unlink()
    _build(site, root, {"a.html": b"AAAA", "b.html": b"BB"})
    assert (root / "a.html").read_bytes() == b"AAAA" and (root / "b.html").read_bytes() == b"BB"


def test_files_written_another_way_during_the_build_stay(tmp_path):
    root, site = tmp_path / "site", SiteDir()
    _build(site, root, {"a.html": b"A"})
    site.begin(str(root))
    (root / "direct.txt").write_text("made by open()")
    utils.copy_file(str(root / "direct.txt"), str(root / "copy.txt"))
    site.finish()
    assert sorted(p.name for p in root.iterdir()) == ["copy.txt", "direct.txt"]


def test_a_failed_build_writes_everything_next_time_and_other_folders_are_untouched(tmp_path):
    root, site, other = tmp_path / "site", SiteDir(), tmp_path / "other"
    _build(site, root, {"a.html": b"A"})
    past = 1_000_000_000_000_000_000
    os.utime(root / "a.html", ns=(past, past))
    site.begin(str(root))
    (other / "x").mkdir(parents=True)
    utils.clean_directory(str(other))  # not this site_dir: cleaned as usual
    assert not (other / "x").exists()
    site.failed()
    _build(site, root, {"a.html": b"A"})
    assert (root / "a.html").stat().st_mtime_ns != past
    utils.write_file(b"outside a build", str(root / "later.html"))  # no build under way: written as usual
    assert (root / "later.html").read_bytes() == b"outside a build"


def test_without_the_walk_what_the_last_build_made_and_this_one_did_not_goes(tmp_path):
    """finish(full=False): the last build's files this build did not write are removed, with the
    folders they leave empty; nothing else is looked at (and a first build walks anyway)."""
    root, site = tmp_path / "site", SiteDir()
    (tmp_path / "site" / "old").mkdir(parents=True)
    (root / "old" / "stray.html").write_text("from before this process")
    os.utime(root / "old" / "stray.html", ns=(1_000_000_000, 1_000_000_000))
    _build(site, root, {"a/index.html": b"A", "c/deep/index.html": b"C", "c/keep.html": b"K"}, full=False)
    assert not (root / "old").exists()  # the first build has no record: it walks
    (root / "foreign.txt").write_text("written some other way")
    _build(site, root, {"a/index.html": b"A", "c/keep.html": b"K"}, full=False)
    assert not (root / "c" / "deep").exists() and (root / "c" / "keep.html").read_bytes() == b"K"
    assert (root / "a" / "index.html").read_bytes() == b"A"
    assert (root / "foreign.txt").exists()  # not walked for: only what this process wrote is removed
    assert not (root / MARKER).exists()
