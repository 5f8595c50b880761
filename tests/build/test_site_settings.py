"""Site settings a GitHub user expects: edit links, 404 page, repository link, figures.

These build the repository's own mkdocs.yml (not a test copy of it), so a setting that
goes missing from mkdocs.yml fails here.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from support.paths import PAGES_SITE_URL, REPO
from support.sites import build

# A 1x1 PNG: enough for MkDocs to copy and for the HTML to point at.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
EDIT = re.compile(r'<a href="([^"]*)" title="Edit this page"')


def repo_config(**overrides):
    """The repository's mkdocs.yml as the Pages workflow loads it (SITE_URL set), unless told otherwise."""
    from mkdocs.config import load_config

    return load_config(config_file=str(REPO / "mkdocs.yml"), **{"site_url": PAGES_SITE_URL, **overrides})


def test_local_preview_has_no_path_prefix_and_pages_sets_the_address(monkeypatch):
    """README: `mkdocs serve` serves on http://127.0.0.1:8000/; the Pages workflow's SITE_URL is the address."""
    from mkdocs.config import load_config

    monkeypatch.delenv("SITE_URL", raising=False)
    local = load_config(config_file=str(REPO / "mkdocs.yml"))
    assert not local.site_url
    # What `mkdocs serve` mounts the site under (mkdocs/commands/serve.py): the path of site_url.
    assert urlsplit(local.site_url or "/").path == "/"
    assert str(local.dev_addr) == "127.0.0.1:8000"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "mkdocs serve" in readme and "http://127.0.0.1:8000/" in readme
    monkeypatch.setenv("SITE_URL", PAGES_SITE_URL)
    assert load_config(config_file=str(REPO / "mkdocs.yml")).site_url == PAGES_SITE_URL


def edit_links(html: str) -> list[str]:
    return EDIT.findall(html)


def test_mkdocs_serve_prints_the_readme_address_without_a_path_prefix(tmp_path):
    """`mkdocs serve` on the repository says it serves at the root of the address (README: http://127.0.0.1:8000/).

    A free port instead of 8000, which another process on the machine may hold."""
    import os
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, seen = time.monotonic() + 120, []
        while time.monotonic() < deadline:
            line = proc.stdout.readline() if proc.stdout else ""
            if not line:
                break
            seen.append(line)
            if "Serving on" in line:
                break
        served = [line for line in seen if "Serving on" in line]
        assert served and served[0].rstrip().endswith(f"Serving on http://127.0.0.1:{port}/"), seen
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stdout:
            proc.stdout.close()
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "mkdocs serve                 # install and serve the site on http://127.0.0.1:8000/" in readme


def test_every_hand_written_page_has_an_edit_link_to_its_source(repo_site):
    cfg = repo_config()
    base = cfg.repo_url.rstrip("/") + "/" + cfg.edit_uri
    assert cfg.edit_uri == "edit/main/docs/"
    assert "content.action.edit" in cfg.theme["features"]
    assert edit_links(repo_site.page("blog_generative_models.md")) == [base + "blog_generative_models.md"]
    assert edit_links(repo_site.page("contributing.md")) == [base + "contributing.md"]


def test_generated_pages_have_no_edit_link(repo_site):
    author_pages = sorted((repo_site.site_dir / "authors").glob("*/index.html"))
    tag_pages = sorted((repo_site.site_dir / "tags").glob("*/index.html"))
    assert author_pages and tag_pages
    for html in (repo_site.page("must-read.md"), repo_site.page("tags/index.md"), repo_site.page("authors/index.md"),
                 author_pages[0].read_text(encoding="utf-8"), tag_pages[0].read_text(encoding="utf-8")):
        assert 'title="Edit this page"' not in html


def test_404_page_loads_its_styles_from_the_site_root(repo_site):
    # GitHub Pages serves 404.html for any missing path, at any depth: its links must be
    # absolute (from site_url), not relative, or a deep 404 renders unstyled.
    html = repo_site.read("404.html")
    root = urlsplit(repo_config().site_url).path
    assert root.endswith("/") and root != "/"
    assert re.search(rf'<link rel="stylesheet" href="{re.escape(root)}assets/stylesheets/main\.[0-9a-f]+\.min\.css">', html)
    assert "404" in html


def test_canonical_url_and_repository_link(repo_site):
    cfg = repo_config()
    html = repo_site.page("blog_generative_models.md")
    assert f'<link rel="canonical" href="{cfg.site_url}blog_generative_models/">' in html
    assert f'href="{cfg.repo_url}" title="Go to repository" class="md-source"' in html
    # Material's stock partial fetches star counts from api.github.com on every visit.
    assert 'data-md-component="source"' not in html


def test_note_pages_carry_their_own_meta_description(repo_site):
    note = re.search(r'<meta name="description" content="([^"]*)">', repo_site.page("blog_generative_models.md"))
    home = re.search(r'<meta name="description" content="([^"]*)">', repo_site.page("must-read.md"))
    assert note and home
    assert note.group(1).startswith("11 paper notes: ")
    assert "Segment Anything" in note.group(1)
    assert home.group(1) == repo_config().site_description


@pytest.fixture(scope="module")
def figure_site(tmp_path_factory) -> tuple[Path, str]:
    """The repository's mkdocs.yml over one note with a real figure and one missing one."""
    root = tmp_path_factory.mktemp("figures") / "project"
    root.mkdir()
    for name in ("mkdocs.yml", "aliases.yml"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "overrides", root / "overrides")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "docs" / "note.md").write_text(
        "---\npapernotes: {missing_figures: placeholder}\n---\n# Note\n\n## Section\n\n"
        "### [!!] [CVPR 2023] A paper [[pdf]](https://arxiv.org/abs/2304.02643)\n_Ada Lovelace_\n"
        "- ![overview](../assets/fig.png)\n- ![](../assets/absent.png)\n- ![kept](../assets/fig.png){ loading=eager }\n"
        "- ![no zoom](../assets/fig.png){ .off-glb }\n",
        encoding="utf-8")
    (root / "assets").mkdir()
    (root / "assets" / "fig.png").write_bytes(PNG)
    site = build(root)
    assert site.warnings == []
    return site.site_dir, site.page("note.md")


def test_entry_figures_zoom_on_click(figure_site):
    _, html = figure_site
    zoom = re.findall(r'<a class="glightbox" [^>]*href="([^"]*)"[^>]*><img [^>]*src="([^"]*)"', html)
    assert zoom == [("../assets/fig.png", "../assets/fig.png")] * 2
    # contributing.md: `{ .off-glb }` keeps one image out of the lightbox.
    assert re.search(r'<li><img alt="no zoom" class="off-glb"', html)
    assert "GLightbox(" in html


def test_entry_figures_load_lazily_unless_told_otherwise(figure_site):
    _, html = figure_site
    imgs = re.findall(r"<img [^>]*>", html)
    assert len(imgs) == 3
    assert 'loading="lazy"' in imgs[0] and 'alt="overview"' in imgs[0]
    assert 'loading="eager"' in imgs[1] and 'loading="lazy"' not in imgs[1]


def test_missing_figure_placeholder_is_not_an_image(figure_site):
    _, html = figure_site
    assert "Figure not available (absent.png)" in html
    assert "absent.png" not in " ".join(re.findall(r"<img [^>]*>", html))


def test_lightbox_script_and_styles_ship_with_the_site(figure_site):
    site_dir, html = figure_site
    assert (site_dir / "assets" / "javascripts" / "glightbox.min.js").stat().st_size > 10_000
    assert (site_dir / "assets" / "stylesheets" / "glightbox.min.css").stat().st_size > 1_000
    assert (site_dir / "assets" / "fig.png").read_bytes() == PNG
    # Only the canonical link (and the feed's, when there is one) may be absolute; every script
    # and stylesheet comes from the site.
    absolute = [u for u in re.findall(r'<(?:script|link)\b[^>]*?(?:src|href)="([^"]*)"', html) if urlsplit(u).scheme]
    assert absolute == []  # a local build: no site_url, so not even a canonical link
