"""Reproducible builds: the same sources give byte-identical site/ trees.

MkDocs stamps the build date in exactly two files: `sitemap.xml` (`<lastmod>` of every
page, when `site_url` is set) and `sitemap.xml.gz` (that text, and the gzip header's mtime,
midnight of the same day, even with no `site_url`). It
honours SOURCE_DATE_EPOCH for both (mkdocs.utils.get_build_datetime), so CI sets it;
test_only_the_sitemaps_carry_the_build_date shows that nothing else depends on the date.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import shutil
from pathlib import Path

import pytest
from papernotes.index.library import Library
from papernotes.index.urls import src_to_url
from papernotes.notes.grammar import parse
from papernotes.outputs import exports, papers_bib
from papernotes.render.bibtex import Bibliography
from support.libgen import generate
from support.paths import NOT_COPIED, REPO
from support.sites import Site, build, write_site

EXTRA = {"unicode.md": "# Ünïcödé\n\n## 中文\n\n"
                       "### [!!] [CVPR 2023] [清华大学] 标题 [[pdf]](https://a.example/x)\n_李 伟, José Lezama_\n"}


def _build(root: Path, *, reverse: bool) -> Site:
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(*NOT_COPIED, "tests"))
    # MkDocs lists pages in the sitemap only when it knows the site's URL.
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as fh:
        fh.write("\nsite_url: https://example.org/notes/\n")
    docs = {**generate(150, 3, seed=7), **EXTRA}
    # Write the notes in the opposite order the second time: output must not follow disk order.
    for name in sorted(docs, reverse=reverse):
        (root / "docs" / name).write_text(docs[name], encoding="utf-8")
    return build(root)


def _tree(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def _differences(a: dict[str, str], b: dict[str, str]) -> set[str]:
    return {name for name in a.keys() | b.keys() if a.get(name) != b.get(name)}


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[Site, Site]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        first = _build(tmp_path_factory.mktemp("first") / "project", reverse=False)
        second = _build(tmp_path_factory.mktemp("second") / "project", reverse=True)
    return first, second


def test_two_clean_builds_are_byte_identical(two_builds):
    first, second = two_builds
    a, b = _tree(first.site_dir), _tree(second.site_dir)
    assert len(a) > 100
    assert _differences(a, b) == set()


def test_source_date_epoch_sets_the_sitemap_date(two_builds):
    first, _ = two_builds
    assert "<lastmod>2023-11-14</lastmod>" in first.read("sitemap.xml")
    with gzip.open(first.site_dir / "sitemap.xml.gz") as fh:
        assert fh.read().decode("utf-8") == first.read("sitemap.xml")
    header_mtime = int.from_bytes((first.site_dir / "sitemap.xml.gz").read_bytes()[4:8], "little")
    assert header_mtime == 1699920000  # 2023-11-14 00:00 UTC: MkDocs keeps the day only


def test_only_the_sitemaps_carry_the_build_date(tmp_path, monkeypatch):
    """Two builds on different days differ only where MkDocs stamps the date."""
    trees = []
    for day, epoch in enumerate(("1700000000", "1800000000")):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        root = write_site(tmp_path / f"day{day}", {"index.md": "# Home\n", **generate(40, 2, seed=3)},
                          config={"site_url": "https://example.org/notes/"})
        trees.append(_tree(build(root).site_dir))
    assert _differences(*trees) == {"sitemap.xml", "sitemap.xml.gz"}


def test_json_outputs_have_a_stable_documented_order(two_builds):
    first, _ = two_builds
    papers = json.loads(first.read("papers.json"))
    assert len(papers) == 151 + 11  # generated + unicode + the seed note
    assert [(p["page"], p["line"]) for p in papers] == sorted((p["page"], p["line"]) for p in papers)
    kinds = ["venue", "year", "org", "topic"]
    tags = json.loads(first.read("tags.json"))
    assert [kinds.index(t["kind"]) for t in tags] == sorted(kinds.index(t["kind"]) for t in tags)
    authors = json.loads(first.read("authors.json"))
    for record in authors:
        assert record["aliases"] == sorted(record["aliases"])
        counts = [c["count"] for c in record["coauthors"]]
        assert counts == sorted(counts, reverse=True)
    # Same records whatever order the notes were written to disk in (checked byte for byte above).
    assert len({a["slug"] for a in authors}) == len(authors)


def test_exports_do_not_depend_on_the_order_notes_are_read():
    docs = [parse(text, name) for name, text in {**generate(120, 4, seed=11), **EXTRA}.items()]
    urls = {d.path: src_to_url(d.path, True) for d in docs}
    outputs = set()
    for seed in range(4):
        random.Random(seed).shuffle(docs)
        library = Library(docs, dict(reversed(urls.items())))
        bib = papers_bib.text(Bibliography(library.entries, library.added))
        outputs.add((*sorted(exports.render_all(library).items()), bib))
    assert len(outputs) == 1
