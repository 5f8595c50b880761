"""feed.xml, the per-tag feeds and the Recently added page, on a site built from a dated git repository."""

from __future__ import annotations

import logging
import posixpath
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from support.gitrepo import commit, git
from support.sites import Site, build, write_site

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://example.org/notes/"

VISION_1 = """# Vision

## Segmentation

### [!!!] [CVPR 2023] Segment Anything [[pdf]](https://arxiv.org/abs/2304.02643)
_Alexander Kirillov, Piotr Dollár_
- ![](https://example.org/fig.png)
- A promptable model for **segmentation**, see [the demo](https://segment-anything.com).
- Trained on SA-1B & friends <with> 1B masks.
- Three stages of data engine.
- A fourth bullet the summary leaves out.
"""
VISION_2 = VISION_1 + """
### [ICCV 2023] Tracking Everything Everywhere All at Once
_Qianqian Wang_
Tags: #tracking
- Per-pixel tracks.
"""
NLP = """# NLP

### [NeurIPS 2023] Direct Preference Optimization
_Rafael Rafailov_
- No reward model.
"""
VISION_3 = VISION_2 + """
### [CVPR 2024] Depth Anything
_Lihe Yang_
Tags: #tracking
- Unlabelled data at scale.
"""


def make_repo(root: Path, plugin: dict | None = None, site_url: str | None = SITE_URL) -> Path:
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    write_site(root, {"index.md": "# Home\n", "vision.md": VISION_1}, plugin=plugin,
               config={"site_url": site_url} if site_url else None)
    commit(root, "2023-04-10T10:00:00+02:00", "SAM")
    (root / "docs" / "vision.md").write_text(VISION_2, encoding="utf-8")
    commit(root, "2023-09-01T10:00:00+00:00", "tracking")
    (root / "docs" / "nlp.md").write_text(NLP, encoding="utf-8")
    commit(root, "2023-09-20T10:00:00+00:00", "DPO")
    (root / "docs" / "vision.md").write_text(VISION_3, encoding="utf-8")
    commit(root, "2024-02-01T10:00:00-08:00", "depth")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    return build(make_repo(tmp_path_factory.mktemp("feeds") / "repo", plugin={"feed_entries": 3}))


def entries(feed: ET.Element) -> list[ET.Element]:
    return feed.findall(f"{ATOM}entry")


def anchor_exists(site: Site, url: str) -> bool:
    """Whether an absolute link into the site leads to a page holding its #anchor."""
    assert url.startswith(SITE_URL), url
    parts = urlsplit(url[len(SITE_URL):])
    page = site.site_dir / parts.path / "index.html"
    return page.is_file() and f'id="{parts.fragment}"' in page.read_text(encoding="utf-8")


def test_site_feed_has_the_newest_additions_newest_first(site: Site) -> None:
    feed = ET.fromstring(site.read("feed.xml").encode())
    for name in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{name}").text
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == SITE_URL + "feed.xml"
    items = entries(feed)
    titles = [e.find(f"{ATOM}title").text for e in items]
    assert titles == ["Depth Anything", "Direct Preference Optimization", "Tracking Everything Everywhere All at Once"]
    published = [datetime.fromisoformat(e.find(f"{ATOM}published").text) for e in items]
    assert published == sorted(published, reverse=True)
    assert published[0] == datetime.fromisoformat("2024-02-01T10:00:00-08:00")
    assert feed.find(f"{ATOM}updated").text == items[0].find(f"{ATOM}updated").text  # the newest addition, not the build
    for item in items:
        for name in ("id", "title", "updated"):
            assert item.find(f"{ATOM}{name}").text
        assert item.find(f"{ATOM}author/{ATOM}name").text
        assert anchor_exists(site, item.find(f"{ATOM}link").get("href"))
    depth = items[0]
    assert [c.get("label") for c in depth.findall(f"{ATOM}category")] == ["CVPR", "#tracking"]


def test_tag_feeds_for_venues_and_topics_with_summaries_linked_from_their_pages(site: Site) -> None:
    cvpr = ET.fromstring(site.read("tags/cvpr/feed.xml").encode())
    assert [e.find(f"{ATOM}title").text for e in entries(cvpr)] == ["Depth Anything", "Segment Anything"]
    sam = entries(cvpr)[1]
    assert sam.find(f"{ATOM}summary").text == (
        "A promptable model for segmentation, see the demo.\nTrained on SA-1B & friends <with> 1B masks.\n"
        "Three stages of data engine.")
    assert [a.find(f"{ATOM}name").text for a in sam.findall(f"{ATOM}author")] == ["Alexander Kirillov", "Piotr Dollár"]
    for item in entries(cvpr):
        assert anchor_exists(site, item.find(f"{ATOM}link").get("href"))
    tracking = ET.fromstring(site.read("tags/tracking/feed.xml").encode())
    assert len(entries(tracking)) == 2
    assert not (site.site_dir / "tags" / "2023" / "feed.xml").exists()  # year tags have no feed
    page = site.read("tags/cvpr/index.html")
    [href] = re.findall(r'<a class="pn-feed" href="([^"]+)" type="application/atom\+xml">Atom feed</a>', page)
    assert posixpath.normpath(posixpath.join("tags/cvpr", href)) == "tags/cvpr/feed.xml"
    assert f'href="{SITE_URL}tags/cvpr/feed.xml"' in page.split("</head>")[0]


def test_every_page_links_the_feed_in_its_head(site: Site) -> None:
    link = f'<link rel="alternate" type="application/atom+xml" title="Test notes" href="{SITE_URL}feed.xml">'
    for page in ("index.md", "vision.md", "recent.md", "tags/index.md", "must-read.md"):
        head = site.page(page).split("</head>")[0]
        assert head.count(link) == 1, page


def test_recent_page_lists_entries_by_month_newest_first(site: Site) -> None:
    page = site.page("recent.md")
    assert re.findall(r'<h2 id="(\d{4}-\d{2})"', page) == ["2024-02", "2023-09", "2023-04"]
    titles = re.findall(r'class="pn-row__title" href="[^"]*">([^<]*)<', page)
    assert titles == ["Depth Anything", "Direct Preference Optimization", "Tracking Everything Everywhere All at Once",
                      "Segment Anything"]
    assert 'href="../feed.xml"' in page
    assert "Recently added" in site.page("index.md").split('class="md-content"')[0]  # in the nav


def test_without_site_url_no_feeds_and_one_notice(tmp_path: Path) -> None:
    logger = logging.getLogger("mkdocs.plugins.papernotes")
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        site = build(make_repo(tmp_path / "repo", site_url=None))
    finally:
        logger.setLevel(level)
    assert not (site.site_dir / "feed.xml").exists() and not list(site.site_dir.rglob("feed.xml"))
    assert sum("site_url" in m for _, m in site.messages) == 1
    assert "application/atom+xml" not in site.page("vision.md")
    assert "Atom feed" not in site.page("recent.md")


def test_serve_rebuilds_of_dated_notes_equal_clean_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Feeds, the recent page and the dated rows under `mkdocs serve`, whose pieces are kept across
    rebuilds (`cache.Fragments`): after each edit, every file equals a clean build's."""
    from support.serving import ServeLike, differences, tree

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1714000000")  # entries not committed yet: the same date in both builds
    root = make_repo(tmp_path / "repo", plugin={"feed_entries": 3})
    serve = ServeLike(root / "mkdocs.yml", tmp_path / "served")
    vision = root / "docs" / "vision.md"
    edits = [
        lambda: vision.write_text(VISION_3.replace("Per-pixel tracks.", "Tracks, per pixel."), encoding="utf-8"),
        lambda: commit(root, "2024-03-01T10:00:00+00:00", "summary"),
        lambda: (root / "docs" / "nlp.md").write_text(NLP + "\n### [NeurIPS 2024] Another\n_Rafael Rafailov_\n- New.\n",
                                                      encoding="utf-8"),
        lambda: commit(root, "2024-04-01T10:00:00+00:00", "another"),
    ]
    try:
        serve.rebuild()
        for n, edit in enumerate(edits):
            edit()
            serve.rebuild()
            serve.clean_build(tmp_path / f"clean-{n}")
            assert not differences(tree(tmp_path / "served"), tree(tmp_path / f"clean-{n}")), f"after edit {n}"
        assert serve.plugin.incremental.cache.fragments.hits > 0
    finally:
        serve.close()
