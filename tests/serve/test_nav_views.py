"""What a page shows of the nav (serve/nav_views.py), derived from Material's templates and checked
against them: pages whose view (and content) is the same in two navs get the same HTML from
Material, over navs that differ by every kind of structural edit; the cases the derivation was
not made for use the whole nav; and under serve, author and tag pages stay settled through a
structural edit that does not change what they show.
"""

from __future__ import annotations

import copy
import itertools
import os
import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from papernotes.serve import nav_views
from papernotes.serve.nav_views import NavViews, why_whole
from papernotes.serve.stores import PageStore
from papernotes.serve.theme_pass import ThemePass
from support.paths import REPO
from support.serving import ServeLike, differences, tree

# The repository's features, those of nav_views.FEATURES that render something of the nav (footer,
# path, toc.integrate) and a few that only the JavaScript reads.
FEATURES = ["navigation.prune", "navigation.footer", "navigation.path", "navigation.top", "toc.follow", "toc.integrate",
            "search.highlight", "search.suggest", "content.action.edit", "navigation.instant", "navigation.tracking",
            "header.autohide"]

# -- Material's templates, rendered over many navs -------------------------------------------------

PAGES = {
    "index.md": "# Home\n\nWelcome.\n",
    "guide/a.md": "# Guide A\n\n## Part one\n\ntext\n",
    "guide/deep/b.md": "# Deep B\n\ntext\n",
    "guide/deep/c.md": "# Deep C\n\n## Part\n\ntext\n",
    "guide/d.md": "# Guide D\n\ntext\n",
    "n1.md": "# Note one\n\n## Vision\n\ntext\n",
    "n2.md": "# Note two\n\n## Language\n\ntext\n",
    "n3.md": "# Note three\n\n## Robotics\n\ntext\n",
    "about.md": "# About\n\ntext\n",
    "authors/ada.md": "# Ada\n\nAn author page.\n",
    "authors/bo.md": "# Bo\n\nAn author page.\n",
}
NAV: list[Any] = [
    {"Home": "index.md"},
    {"Guide": ["guide/a.md", {"Deep": ["guide/deep/b.md", "guide/deep/c.md"]}, "guide/d.md"]},
    {"Notes": ["n1.md", "n2.md", "n3.md"]},
    {"About": "about.md"},
    {"Elsewhere": "https://example.org/"},
]


def _section(nav: list[Any], title: str) -> list[Any]:
    for item in nav:
        if isinstance(item, dict) and title in item and isinstance(item[title], list):
            return item[title]
        if isinstance(item, dict):
            for value in item.values():
                if isinstance(value, list):
                    try:
                        return _section(value, title)
                    except KeyError:
                        pass
    raise KeyError(title)


def _variant(name: str) -> tuple[list[Any], dict[str, str]]:
    """The base nav and pages with one structural edit (`name`)."""
    nav, pages = copy.deepcopy(NAV), dict(PAGES)
    notes = _section(nav, "Notes")
    if name == "note at the end":
        pages["n4.md"] = "# Note four\n\ntext\n"
        notes.append("n4.md")
    elif name == "note first":
        pages["n0.md"] = "# Note zero\n\ntext\n"
        notes.insert(0, "n0.md")
    elif name == "note deleted":
        del pages["n2.md"]
        notes.remove("n2.md")
    elif name == "note renamed":
        pages["n2b.md"] = pages.pop("n2.md")
        notes[notes.index("n2.md")] = "n2b.md"
    elif name == "note retitled":
        pages["n3.md"] = "# Note 3, retitled\n\n## Robotics\n\ntext\n"
    elif name == "note's section changed":
        pages["n2.md"] = "# Note two\n\n## Speech\n\ntext\n"
    elif name == "section retitled":
        guide = _section(nav, "Guide")
        guide[1] = {"Deeper": guide[1]["Deep"]}
    elif name == "page in a nested section":
        pages["guide/deep/e.md"] = "# Deep E\n\ntext\n"
        _section(nav, "Deep").append("guide/deep/e.md")
    elif name == "page moved into a section":
        nav.remove({"About": "about.md"})
        _section(nav, "Guide").append({"About": "about.md"})
    elif name == "icon on a note":
        pages["n3.md"] = "---\nicon: material/star\n---\n" + PAGES["n3.md"]
    elif name == "subtitle on a top page":
        pages["about.md"] = "---\nsubtitle: Who we are\n---\n" + PAGES["about.md"]
    elif name == "homepage retitled":
        nav[0] = {"Start": "index.md"}
    elif name == "link changed":
        nav[-1] = {"Elsewhere": "https://example.net/"}
    elif name == "nested section first":
        guide = _section(nav, "Guide")
        guide.insert(0, guide.pop(1))
    elif name == "neighbour across sections":
        nav.remove({"About": "about.md"})
        nav.insert(2, {"About": "about.md"})  # between Guide and Notes: guide/d.md's next page
    elif name != "base":
        raise ValueError(name)
    return nav, pages


VARIANTS = ["base", "note at the end", "note first", "note deleted", "note renamed", "note retitled",
            "note's section changed", "section retitled", "page in a nested section", "page moved into a section",
            "icon on a note", "subtitle on a top page", "homepage retitled", "link changed", "nested section first",
            "neighbour across sections"]


class _Probe(BasePlugin):  # type: ignore[type-arg]
    """Records each page's theme-pass fingerprint as serve would make it (views of the nav and content)."""

    def __init__(self) -> None:
        super().__init__()
        self.nav: Navigation | None = None
        self.fingerprints: dict[str, str] = {}
        self.outside = ""

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        assert self.nav is not None and why_whole(config) is None
        views = NavViews(self.nav, whole=False)
        theme = ThemePass(PageStore())
        pages = list(files.documentation_pages())
        theme.plan(env, pages, views)
        self.fingerprints = {f.src_uri: theme.output_fingerprint(f.src_uri) or "" for f in pages}
        self.outside = views.outside
        return env


def _build(root: Path, name: str) -> tuple[_Probe, dict[str, bytes]]:
    nav, pages = _variant(name)
    docs = root / name.replace(" ", "-").replace("'", "") / "docs"
    for src, text in pages.items():
        (docs / src).parent.mkdir(parents=True, exist_ok=True)
        (docs / src).write_text(text, encoding="utf-8")
    config_file = docs.parent / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump({
        "site_name": "Views", "site_url": "https://example.org/docs/",
        "theme": {"name": "material", "font": False, "features": FEATURES},
        "plugins": [], "not_in_nav": "/authors/*.md", "nav": nav}), encoding="utf-8")
    config = load_config(config_file=str(config_file), site_dir=str(docs.parent / "site"))
    probe = config.plugins["probe"] = _Probe()
    build(config)
    html = {src: (docs.parent / "site" / src.replace("index.md", "").removesuffix(".md") / "index.html").read_bytes()
            for src in pages}
    return probe, html


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[_Probe, dict[str, bytes]]]:
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    root = tmp_path_factory.mktemp("views")
    return {name: _build(root, name) for name in VARIANTS}


def test_pages_with_the_same_view_and_content_get_the_same_html_from_material(built):
    """The derivation, checked: over every pair of navs, a page whose theme-pass fingerprint is the
    same in both has the same HTML in both (what serve reuses is what Material would make)."""
    same = 0
    for (a, (probe_a, html_a)), (b, (probe_b, html_b)) in itertools.combinations(built.items(), 2):
        for src in probe_a.fingerprints.keys() & probe_b.fingerprints.keys():
            if probe_a.fingerprints[src] == probe_b.fingerprints[src]:
                same += 1
                assert html_a[src] == html_b[src], (
                    f"{src}: the same view in {a!r} and {b!r}, but not the same HTML: Material's templates show more "
                    "of the nav than serve/nav_views.py derives (re-read its docstring against them)")
    assert same > 200  # not vacuous: most pages keep their view through most edits


# (variant, pages whose view stays the base's; every other page of both builds gets a new view)
KEPT = {
    # With navigation.prune a page outside the nav, or in another section, shows Notes as one
    # link to its first note: a note that is not first changes only the notes' own pages (their
    # siblings) and the page after them (its previous page).
    "note at the end": {"index.md", "guide/a.md", "guide/deep/b.md", "guide/deep/c.md", "guide/d.md",
                        "authors/ada.md", "authors/bo.md"},
    "note first": set(),  # the one link to Notes on every page points to it
    "icon on a note": {"index.md", "guide/a.md", "guide/deep/b.md", "guide/deep/c.md", "guide/d.md", "about.md",
                       "authors/ada.md", "authors/bo.md"},
    "section retitled": {"index.md", "n1.md", "n2.md", "n3.md", "about.md", "authors/ada.md", "authors/bo.md"},
    "note's section changed": set(PAGES) - {"n2.md"},
}


@pytest.mark.parametrize("variant", sorted(KEPT))
def test_which_pages_keep_their_view_through_a_structural_edit(built, variant):
    base, edited = built["base"][0], built[variant][0]
    common = base.fingerprints.keys() & edited.fingerprints.keys()
    kept = {src for src in common if base.fingerprints[src] == edited.fingerprints[src]}
    assert kept == KEPT[variant] & common


def test_what_a_page_outside_the_nav_shows_is_the_top_level_only(built):
    outside = {name: probe.outside for name, (probe, _html) in built.items()}
    unchanged = {name for name, fp in outside.items() if fp == outside["base"]}
    assert unchanged == {"base", "note at the end", "note deleted", "note renamed", "note retitled",
                         "note's section changed", "section retitled", "page in a nested section", "icon on a note"}


# -- when the derivation does not hold: the whole nav ----------------------------------------------


def _config(tmp_path: Path, theme: dict[str, Any]) -> MkDocsConfig:
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump({"site_name": "x", "theme": theme}), encoding="utf-8")
    return load_config(config_file=str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))


@pytest.mark.parametrize(("theme", "reason"), [
    ({"name": "mkdocs"}, "not Material"),
    ({"name": "material", "features": ["navigation.top"]}, "navigation.prune is off"),
    ({"name": "material", "features": ["navigation.prune", "navigation.tabs"]}, "navigation.tabs"),
    ({"name": "material", "features": ["navigation.prune", "navigation.indexes"]}, "navigation.indexes"),
    ({"name": "material", "features": ["navigation.prune", "navigation.sections"]}, "navigation.sections"),
    ({"name": "material", "features": ["navigation.prune", "navigation.expand"]}, "navigation.expand"),
    ({"name": "material", "features": ["navigation.prune", "a.future.feature"]}, "a.future.feature"),
])
def test_another_theme_or_feature_shows_the_whole_nav(tmp_path, theme, reason):
    assert reason in (why_whole(_config(tmp_path, theme)) or "")


def test_an_override_that_reads_the_nav_shows_the_whole_nav(tmp_path):
    overrides = tmp_path / "overrides" / "partials"
    overrides.mkdir(parents=True)
    theme = {"name": "material", "custom_dir": "overrides", "features": ["navigation.prune"]}
    (overrides / "source.html").write_text("<a href='{{ config.repo_url }}'>source</a>\n", encoding="utf-8")
    assert why_whole(_config(tmp_path, theme)) is None  # the repository's own kind of override
    (overrides / "footer.html").write_text("{{ page.next_page.title }}\n", encoding="utf-8")
    assert "footer.html may read the nav" in (why_whole(_config(tmp_path, theme)) or "")


def test_another_material_version_shows_the_whole_nav(tmp_path, monkeypatch):
    monkeypatch.setattr(nav_views, "_material_version", lambda: "10.0.0")
    assert "Material 10.0.0" in (why_whole(_config(tmp_path, {"name": "material", "features": ["navigation.prune"]})) or "")


def test_the_repositorys_own_config_uses_the_derivation():
    assert why_whole(load_config(config_file=str(REPO / "mkdocs.yml"))) is None


def test_the_whole_nav_is_every_pages_view(built):
    probe = built["base"][0]
    assert probe.nav is not None
    views = NavViews(probe.nav, whole=True)
    assert {views.of(p) for p in probe.nav.pages} == {views.outside} == {views.whole_nav}
    edited = built["note at the end"][0]
    assert edited.nav is not None and NavViews(edited.nav, whole=True).outside != views.outside


# -- under serve: settled pages through structural edits ---------------------------------------------

NOTE = "# {title}\n\n## {section}\n\n### [CVPR 2023] {paper}\n_{authors}_\n- a point\n"  # b0, b1, b2 and the new ones


def _write(path: Path, title: str, section: str, authors: str) -> None:
    path.write_text(NOTE.format(title=title, section=section, paper=f"Paper of {title}", authors=authors), encoding="utf-8")


def _site(tmp_path: Path) -> Path:
    root = tmp_path / "site-src"
    (root / "docs").mkdir(parents=True)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(REPO / "overrides", root / "overrides")
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    for n, (section, authors) in enumerate([("Vision", "Ada Lovelace, Bo Xu"), ("Language", "Bo Xu, Chen Wei"),
                                            ("Robotics", "Dana Scott")]):
        _write(root / "docs" / f"b{n}.md", f"Note {n}", section, authors)
    (root / "aliases.yml").write_text("authors: {}\n", encoding="utf-8")
    return root


def test_author_and_tag_pages_stay_settled_through_structural_edits_that_do_not_show_on_them(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = _site(tmp_path)
    docs = root / "docs"
    serve = ServeLike(root / "mkdocs.yml", tmp_path / "served")

    def rebuild_and_compare(step: str) -> tuple[dict[str, int], set[str]]:
        """This rebuild's cache figures and settled pages (read before the clean build, which resets them)."""
        serve.rebuild()
        stats = serve.plugin.incremental.stats()
        settled = set(serve.plugin.incremental.settled_pages.settled)
        clean = tmp_path / "clean"
        serve.clean_build(clean)
        problems = differences(tree(tmp_path / "served"), tree(clean))
        assert not problems, f"{step}: {problems[:10]}"
        shutil.rmtree(clean)
        return stats, settled

    try:
        rebuild_and_compare("first build")
        rebuild_and_compare("nothing changed")  # every author and tag page settled from here on
        ada, bo, dana = "authors/ada-lovelace.md", "authors/bo-xu.md", "authors/dana-scott.md"
        edits: list[tuple[str, Callable[[], object], set[str]]] = [  # (edit, made by, pages it leaves alone)
            ("a new note, not the first", partial(_write, docs / "z.md", "Note z", "Vision", "Eve Adams"), {ada, dana}),
            ("a note renamed, not the first", partial((docs / "b1.md").rename, docs / "y.md"), {ada, dana}),
            ("a note deleted, not the first", (docs / "z.md").unlink, {ada, dana}),
            ("a section heading changed", partial(_write, docs / "b2.md", "Note 2", "Robots", "Dana Scott"), {ada, bo}),
            ("aliases.yml edited", partial((root / "aliases.yml").write_text, "authors:\n  Chen Wei:\n    aliases: [Bo Xu]\n",
                                           encoding="utf-8"), {dana}),
        ]
        for step, edit, untouched in edits:
            edit()
            _stats, settled = rebuild_and_compare(step)
            assert untouched <= settled, f"{step}: {sorted(untouched - settled)} not settled"
        _write(docs / "a.md", "Note a", "Vision", "Eve Adams")
        assert rebuild_and_compare("a new first note")[1] == set()  # every page's link to Notes changed
    finally:
        serve.close()


def test_a_generated_page_the_nav_lists_is_built_like_any_page(tmp_path, monkeypatch):
    """mkdocs.yml's `nav:` may list an author page: it is in the nav (it shows its section, its
    neighbours), so it is never settled on what a page outside the nav shows."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = _site(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nnav:\n  - index.md\n  - Notes: [b0.md, b1.md]\n"
                      "  - People:\n    - Ada: authors/ada-lovelace.md\n    - b2.md\n", encoding="utf-8")
    serve = ServeLike(config, tmp_path / "served")
    try:
        for step in ("first build", "nothing changed", "a note beside the author page retitled"):
            if step.endswith("retitled"):  # Ada's page shows People expanded: b2's new title
                _write(root / "docs" / "b2.md", "Note 2, retitled", "Robotics", "Dana Scott")
            serve.rebuild()
            assert "authors/ada-lovelace.md" not in serve.plugin.incremental.settled_pages.settled
            clean = tmp_path / f"clean-{step}"
            serve.clean_build(clean)
            assert not differences(tree(tmp_path / "served"), tree(clean)), step
    finally:
        serve.close()


def test_the_paths_the_save_works_out_are_the_next_builds_new_files_paths(tmp_path, monkeypatch):
    """The warm start's save works out each generated page's path and URL (`kept_paths`); the
    next build's new `File` of the page takes them (the first edit after a full build makes 20,000
    Files, whose URLs the sitemap reads), and the site is a clean build's."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = _site(tmp_path)
    serve = ServeLike(root / "mkdocs.yml", tmp_path / "served")
    try:
        serve.rebuild()
        pages = serve.plugin.incremental.settled_pages
        worked = pages.kept_paths()  # as the save does, on its thread
        assert "authors/ada-lovelace.md" in worked
        serve.rebuild()
        assert pages.settled and all(file.url is worked[src][1] and file.dest_uri is worked[src][0]
                                     for src, file in pages.settled.items())
        clean = tmp_path / "clean"
        serve.clean_build(clean)
        assert differences(tree(tmp_path / "served"), tree(clean)) == []
    finally:
        serve.close()
