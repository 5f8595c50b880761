"""The home page the plugin makes when the notes have none (outputs/home.py), and the user's that wins."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from papernotes.outputs import home
from support.gitrepo import commit, git
from support.serving import ServeLike, differences, tree
from support.sites import build, write_site

NOTE = """\
# Vision notes

## Video

### [!!!] [CVPR 2023] Must Read One
_Ada Lovelace, Bo Xu_
- [[paper]](https://example.org/one)

### [!!] [ICCV 2021] Important Two
_Bo Xu_

### [ECCV 2022] Plain Three
_Chen Wei_
"""

LANGUAGE = """\
# Language notes

## Models

### [!] [NeurIPS 2022] Notable <script>alert(1)</script> Four
_Dana <b>Scott</b>_
"""


def _home(site_dir: Path) -> str:
    return (site_dir / "index.html").read_text(encoding="utf-8")


def _article(html: str) -> str:
    """The page's own content (Material's article), without the nav and header around it."""
    return html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]


def _laid_out_nav(root: Path) -> list:
    config = load_config(config_file=str(root / "mkdocs.yml"))
    mkdocs_build(config)
    return config.nav


def test_notes_without_a_home_get_one_with_the_library_at_a_glance(tmp_path: Path):
    root = write_site(tmp_path / "project", {"vision.md": NOTE, "language.md": LANGUAGE})
    site = build(root)
    assert not site.warnings, site.warnings
    page = _article(_home(site.site_dir))
    assert '<h1 id="home">Home</h1>' in page
    counts = re.findall(r"<strong>(\d+)</strong> ([a-z-]+)", page)
    assert counts == [("4", "papers"), ("3", "must-read"), ("4", "authors"), ("2", "notes"), ("9", "tags")]  # 4 venues, 3 years, 2 section topics
    # The marked papers in the one row order, most important first; the unmarked one is not among them.
    must_read = page.split('id="must-read"', 1)[1].split("<h2", 1)[0]
    titles = re.findall(r'class="pn-row__title" href="[^"]*">([^<]*)', must_read)
    assert titles == ["Must Read One", "Important Two", "Notable &lt;script&gt;alert(1)&lt;/script&gt; Four"]
    assert "<script>alert" not in page and "Dana &lt;b&gt;Scott&lt;/b&gt;" in page  # user text escaped
    # No dates (no git history): no "Recently added" section, and no link to an empty listing.
    assert 'id="recently-added"' not in page
    # Every listing linked, relative to the root, and each link leads to a page of the site.
    links = set(re.findall(r'href="([^"#]*)"', page))
    for listing in ("papers/", "must-read/", "tags/", "authors/", "stats/"):
        assert listing in links
    for link in links - {""}:
        if not link.startswith("http"):
            assert (site.site_dir / link / "index.html").is_file() or (site.site_dir / link).is_file(), link
    assert "papers.json" in os.listdir(site.site_dir)
    found = json.loads((site.site_dir / "search" / "search_index.json").read_text())["docs"]
    assert {"location": "", "title": "Home", "text": ""} in found  # searched by its title, as every generated page


def test_the_generated_home_comes_first_in_the_laid_out_nav(tmp_path: Path):
    root = write_site(tmp_path / "project", {"vision.md": NOTE, "about.md": "# About\n"})
    nav = _laid_out_nav(root)
    assert nav[0] == {"Home": "index.md"} and nav[1] == {"Notes": ["vision.md"]}
    assert [next(iter(item)) for item in nav[2:5]] == ["Must-read", "All papers", "Recently added"]
    assert nav[-1] == "about.md" and sum(1 for item in nav if item == {"Home": "index.md"}) == 1


def test_only_the_most_important_marked_papers_are_shown_with_a_link_to_all(tmp_path: Path):
    many = "".join(f"\n### [!!] [CVPR 2023] Marked {n:02d}\n_Ada Lovelace_\n" for n in range(home.MUST_READ_SHOWN + 2))
    root = write_site(tmp_path / "project", {"vision.md": NOTE + many})
    page = _article(_home(build(root).site_dir))
    must_read = page.split('id="must-read"', 1)[1].split("<h2", 1)[0]
    assert must_read.count('class="pn-row__title"') == home.MUST_READ_SHOWN
    assert f"The {home.MUST_READ_SHOWN} most important of {home.MUST_READ_SHOWN + 4} marked papers." in must_read
    assert must_read.index("Must Read One") < must_read.index("Marked 00")  # ★★★ before ★★
    assert '<a href="must-read/">Every marked paper, note by note</a>' in must_read


def test_a_library_with_dates_shows_the_newest_additions_newest_first(tmp_path: Path):
    root = write_site(tmp_path / "project", {"vision.md": NOTE}, config={"site_url": "https://example.org/notes/"})
    git(root, "init", "-q", "-b", "main")
    commit(root, "2023-04-10T10:00:00+00:00", "vision")
    added = [f"\n### [WACV 2024] Added {n}\n_Ada Lovelace_\n" for n in range(home.RECENT_SHOWN + 1)]
    for n in range(len(added)):  # one a month: the newest is the last written
        (root / "docs" / "language.md").write_text("# Language\n" + "".join(added[: n + 1]), encoding="utf-8")
        commit(root, f"2024-{n + 1:02d}-01T10:00:00+00:00", f"added {n}")
    page = _article(_home(build(root).site_dir))
    recent = page.split('id="recently-added"', 1)[1].split("<h2", 1)[0]
    titles = re.findall(r'class="pn-row__title" href="[^"]*">([^<]*)', recent)
    assert titles == [f"Added {n}" for n in range(home.RECENT_SHOWN, 0, -1)]
    assert '<a href="recent/">Every paper by the date it was added</a>' in recent
    assert '<a class="pn-feed" href="feed.xml" type="application/atom+xml">Atom feed</a>' in recent


def test_without_entries_the_home_says_how_it_fills_in(tmp_path: Path):
    site = build(write_site(tmp_path / "project", {"about.md": "# About\n\nNo notes yet.\n"}))
    page = _article(_home(site.site_dir))
    assert "No papers yet" in page and "pn-home__counts" not in page


def test_the_users_index_wins(tmp_path: Path):
    root = write_site(tmp_path / "project", {"index.md": "# My own home\n\nWelcome.\n", "vision.md": NOTE})
    site = build(root)
    html = _home(site.site_dir)
    assert "My own home" in html and "pn-home" not in html
    assert _laid_out_nav(root)[0] == {"Home": "index.md"}


def test_a_readme_at_the_top_of_docs_is_the_home_and_wins(tmp_path: Path, caplog):
    root = write_site(tmp_path / "project", {"README.md": "# Read me first\n", "vision.md": NOTE})
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        site = build(root)
    html = _home(site.site_dir)
    assert "Read me first" in html and "pn-home" not in html
    assert not site.warnings and "conflict" not in caplog.text
    assert _laid_out_nav(root)[0] == {"Home": "README.md"}
    # A README.md deeper down is that folder's index, not the home: the home is made.
    root = write_site(tmp_path / "deeper", {"more/README.md": "# More\n", "vision.md": NOTE})
    assert "pn-home__counts" in _home(build(root).site_dir)


def _check(root: Path) -> list[str]:
    result = subprocess.run([sys.executable, "-m", "papernotes", "check", "--format", "json"], cwd=root, env=os.environ,
                            capture_output=True, text=True, encoding="utf-8", timeout=300, check=False)
    assert "Traceback" not in result.stderr, result.stderr
    return [d["message"] for d in json.loads(result.stdout) if d["code"] == "broken-link"]


def test_check_and_build_agree_on_a_link_to_the_home(tmp_path: Path):
    """A link to index.md works when the plugin makes the home; beside a README.md (the home
    then) no index.md is made, and both the check and the build say so."""
    linking = NOTE + "\nBack to [the home page](index.md).\n"
    root = write_site(tmp_path / "generated", {"vision.md": linking})
    assert _check(root) == [] and not build(root).warnings
    root = write_site(tmp_path / "readme", {"README.md": "# Read me\n", "vision.md": linking})
    assert any("index.md" in m for m in _check(root))
    assert any("index.md" in w for w in build(root).warnings)


def test_serve_follows_the_home_page_coming_and_going(tmp_path: Path):
    """Under serve: the user's index.md removed (the plugin's home goes in), a note edited (the
    home follows), index.md written again (the user's wins again); each rebuild equals a clean build."""
    root = write_site(tmp_path / "project", {"index.md": "# My own home\n", "vision.md": NOTE})
    served = tmp_path / "served"
    serve = ServeLike(root / "mkdocs.yml", served)
    edits = [
        (root / "docs" / "index.md").unlink,
        lambda: (root / "docs" / "vision.md").write_text(NOTE.replace("[!!!] [CVPR 2023] Must Read One", "[CVPR 2023] Demoted One"),
                                                         encoding="utf-8"),
        lambda: (root / "docs" / "index.md").write_text("# My own home again\n", encoding="utf-8"),
    ]
    shown = []
    try:
        for step in range(len(edits) + 1):
            if step:
                edits[step - 1]()
            serve.rebuild()
            clean = tmp_path / f"clean-{step}"
            serve.clean_build(clean)
            assert differences(tree(served), tree(clean)) == [], f"after edit {step}"
            shown.append(_article(_home(served)))
    finally:
        serve.close()
    assert "My own home" in shown[0] and "pn-home__counts" in shown[1]
    assert "Must Read One" in shown[1] and "Must Read One" not in shown[2] and "<strong>1</strong> must-read" in shown[2]
    assert "My own home again" in shown[3] and "pn-home" not in shown[3]
