"""Generated files MkDocs writes itself (a `File` with content) leave the served site when no build makes them.

MkDocs writes such a file with `open()` in `File.copy_file`, not through `mkdocs.utils`, so the
kept `site_dir` (serve/site_dir.py) learns of it from the plugin. A tag's own feed is the case
that found it: the differential test saw `tags/cvpr/feed.xml` outlive the last CVPR paper.
"""

from __future__ import annotations

import os
from pathlib import Path

from support.serving import ServeLike, differences, repository_like_project, tree

ENTRY = "### [!!] {venue} Keeper One [[pdf]](https://arxiv.org/abs/2301.00001)\n_Ada Lovelace, Bo Xu_\n- a point\n"


def test_a_tags_feed_goes_with_its_last_paper(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setenv("SITE_URL", "https://example.org/notes/")  # mkdocs.yml's site_url: serve makes feeds only with one
    root = tmp_path / "src"
    config = repository_like_project(root)
    note = root / "docs" / "vision.md"
    note.write_text("# Vision\n\n" + ENTRY.format(venue="[CVPR 2023]"), encoding="utf-8")
    serve = ServeLike(config, tmp_path / "served")
    try:
        serve.rebuild()
        assert (tmp_path / "served" / "tags" / "cvpr" / "feed.xml").is_file()
        note.write_text("# Vision\n\n" + ENTRY.format(venue=""), encoding="utf-8")
        serve.rebuild()
        assert not os.path.exists(tmp_path / "served" / "tags" / "cvpr")
        serve.clean_build(tmp_path / "clean")
        assert differences(tree(tmp_path / "served"), tree(tmp_path / "clean")) == []
    finally:
        serve.close()
