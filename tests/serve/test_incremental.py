"""Incremental rebuilds under `mkdocs serve`: the cache, the MkDocs internals it relies on, and the
differential proof that a rebuild after any sequence of edits equals a clean build, byte for byte.

The differential test runs a quick fixed profile here; `python bench/differential.py` runs the
long one (more sequences, longer ones).
"""

from __future__ import annotations

import inspect
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from papernotes.serve import incremental, settled_pages, watcher
from papernotes.serve.environment import environment as environment_of
from papernotes.serve.fingerprints import fingerprint
from papernotes.serve.stores import Cache, PageStore, Store
from support.serving import MID_BUILD, ServeLike, differences, mid_build, repository_like_project, tree
from support.site_model import edit_site, make_root, served_site, start_site

# -- the cache on its own ---------------------------------------------------------------------


@dataclass(frozen=True)
class _View:
    title: str
    n: int


def test_fingerprints_tell_values_apart_and_equal_values_alike():
    assert fingerprint("a", 1) == fingerprint("a", 1)
    distinct = [("ab", "c"), ("a", "bc"), (1,), ("1",), (True,), (None,), ([1, 2],), ((1, 2),) * 1, ({"a": 1, "b": 2},),
                ({"b": 2, "a": 1},), (_View("x", 1),), (_View("x", 2),), (1.0,), (b"1",), ({1, 2},)]
    prints = [fingerprint(*d) for d in distinct]
    # a list and a tuple of the same items are the same input; everything else differs
    assert len(set(prints)) == len(prints) - 1
    assert fingerprint({1, 2}) == fingerprint({2, 1})
    with pytest.raises(TypeError):
        fingerprint(object())
    assert fingerprint(object, default=lambda o: "a class") == fingerprint(object, default=lambda o: "a class")
    # a projection stands for a dataclass; NotImplemented falls back to its fields
    project = lambda v: v.title if isinstance(v, _View) else NotImplemented  # noqa: E731
    assert fingerprint(_View("x", 1), default=project) == fingerprint(_View("x", 2), default=project)
    assert fingerprint(_View("x", 1), default=lambda v: NotImplemented) == fingerprint(_View("x", 1))


def test_a_store_gives_back_only_what_the_same_fingerprint_made():
    store: Store[str] = Store()
    assert store.get("p", "1") is None
    store.put("p", "1", "html")
    assert store.get("p", "1") == "html" and store.get("p", "2") is None
    store.keep_only({"q"})
    assert store.get("p", "1") is None and len(store) == 0
    assert (store.hits, store.misses) == (1, 3)


def test_a_page_store_gives_back_the_exact_html_it_was_given():
    store = PageStore()
    assert not store.has("p", "1") and store.get("p", "1") is None
    html = "<html>é\r\n\ud800 " + "nav " * 1000 + "</html>"  # a lone surrogate survives too
    store.put("p", "1", html)
    assert store.has("p", "1") and store.get("p", "1") == html and store.get("p", "2") is None
    assert store.size() < len(html) // 5
    store.put("q", "1", "other")
    store.keep_only({"q"})
    assert not store.has("p", "1") and len(store) == 1
    store.clear()
    assert len(store) == 0


def test_a_changed_environment_empties_the_cache():
    cache = Cache()
    assert cache.start("env-1") is False
    cache.rendered.put("a.md", "fp", {"content": ""})
    cache.bodies.put("authors/x.md", "fp", "<p>")
    assert cache.start("env-1") is True and len(cache.rendered) == 1
    assert cache.start("env-2") is False and len(cache.rendered) == len(cache.bodies) == 0
    cache.close()


# -- what the cache relies on in MkDocs 1.6 (fall back to full builds when it does not hold) ------


def test_mkdocs_build_loop_is_the_one_the_cache_was_written_for():
    from mkdocs.commands import build

    assert incremental.unsupported() is None
    populate = inspect.getsource(build._populate_page)
    # on_pre_page runs before every other step of the Markdown pass, and render is looked up on the page
    assert populate.index("on_pre_page") < populate.index("page.read_source") < populate.index("page.render(config, files)")
    assert populate.index("page.render(config, files)") < populate.index("on_page_content")
    page = inspect.getsource(build._build_page)
    assert "env.get_template(page.meta.get('template', 'main.html'))" in page
    assert page.index("get_template") < page.index("on_page_context") < page.index("on_post_page")
    whole = inspect.getsource(build.build)
    assert whole.index("_populate_page") < whole.index("on_env") < whole.index("_build_page")
    from mkdocs.structure.pages import Page

    render = inspect.getsource(Page.render)
    for attribute in ("self.content", "self.toc", "self._title_from_render", "self.present_anchor_ids", "self.links_to_anchors"):
        assert attribute in render  # everything a Markdown pass sets is what the cache restores


def test_another_mkdocs_version_builds_in_full(monkeypatch):
    monkeypatch.setattr(incremental.mkdocs, "__version__", "2.0.0")
    assert "not a version" in (incremental.unsupported() or "")
    inc = incremental.Incremental()
    inc.startup("serve", False)
    assert not inc.enabled
    inc.startup("build", False)
    assert inc.reason == "not `mkdocs serve`"


# -- the differential test ------------------------------------------------------------------------

PROFILES = {
    "quick": {"max_examples": 3, "steps": 6},
    "long": {"max_examples": 25, "steps": 14},
}
PROFILE = PROFILES[os.environ.get("PAPERNOTES_DIFFERENTIAL", "quick")]


# No shrinking: each step is two builds; the failure message lists the edits that led to it.
@settings(max_examples=PROFILE["max_examples"], deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_rebuild_equals_a_clean_build(data: st.DataObject):
    """After each edit, the served (incremental) output tree is byte-identical to a clean build's;
    an edit landing mid-build is caught up by the next rebuild."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    with tempfile.TemporaryDirectory(prefix="pn-diff-") as tmp:
        base = Path(tmp)
        root = make_root(base)
        model = start_site()
        model.write(root)
        serve = ServeLike(root / "mkdocs.yml", base / "served")
        done: list[str] = ["start"]
        settled = 0
        try:
            for step in range(PROFILE["steps"] + 1):
                # Some edits land while a rebuild runs (as a save during a serve rebuild): that
                # build may show it or not, or fail; the next one must catch up.
                landing = data.draw(st.sampled_from([None, None, *MID_BUILD])) if step else None
                if landing is not None:
                    def land(landing: str = landing) -> None:
                        done.append(f"{edit_site(data, model)} (while {landing})")
                        model.write(root)

                    with mid_build(landing, land):
                        try:
                            serve.rebuild()
                        except Exception as exc:  # `mkdocs serve` logs it and builds again on the next change
                            done.append(f"(that build failed: {exc!r})")
                elif step:
                    done.append(edit_site(data, model))
                    model.write(root)
                serve.rebuild()
                settled += serve.plugin.incremental.stats()["settled_pages"]
                clean = base / f"clean-{step}"
                serve.clean_build(clean)
                problems = differences(tree(base / "served"), tree(clean))
                assert not problems, f"after {done}:\n" + "\n".join(problems[:20])
                shutil.rmtree(clean)
            stats = serve.plugin.incremental.stats()
            assert stats["rendered_hits"] > 0 and stats["pages_hits"] > 0, stats  # it did reuse pages
            assert settled > 0  # and it did leave pages out of MkDocs' pipeline
        finally:
            serve.close()
        assert not serve.plugin.incremental.enabled


def test_a_note_saved_between_the_plugins_reading_and_mkdocs_reading_is_caught_up(tmp_path, monkeypatch):
    """A save that lands after the plugin read a note and before MkDocs reads its page: that build
    renders what MkDocs read (the plugin parses it again), so what it remembers of the note is
    true of that text, and the next build, whose text is the same, may reuse it."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = tmp_path / "src"
    config = repository_like_project(root)
    note = root / "docs" / "note.md"
    text = "# Note\n\nAn opening paragraph about {}.\n\n### [CVPR 2023] A paper\n_Ada Lovelace_\n- a point\n"
    note.write_text(text.format("diffusion"), encoding="utf-8")
    serve = ServeLike(config, tmp_path / "served")
    try:
        serve.rebuild()
        with mid_build("reading", lambda: note.write_text(text.format("transformers"), encoding="utf-8")):
            serve.rebuild()
        serve.rebuild()  # the save's own rebuild: the text is the one MkDocs read last time
        page = (tmp_path / "served" / "note" / "index.html").read_text(encoding="utf-8")
        assert "about transformers" in page and "about diffusion" not in page
        serve.clean_build(tmp_path / "clean")
        assert differences(tree(tmp_path / "served"), tree(tmp_path / "clean")) == []
    finally:
        serve.close()


def test_the_cache_modules_import_no_mkdocs():
    code = ("import sys, papernotes.serve.fingerprints, papernotes.serve.stores; "
            "print(any(m.split('.')[0] == 'mkdocs' for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_broken_note_and_a_failed_build_leave_the_next_rebuild_correct(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root, model, serve = served_site(tmp_path)
    same_as_clean = serve.assert_same_as_clean

    try:
        serve.rebuild()
        note = root / "docs" / "vision.md"
        good = note.read_text(encoding="utf-8")
        note.write_text(good + "\n### [!!!!] [Broken 20x5] \n_, ,_\n- ![gone](img/missing.png)\n", encoding="utf-8")
        serve.rebuild()  # a content error is a diagnostic: the build goes on
        same_as_clean("after a broken note")

        from papernotes.render import note_page

        def explode(self, *args, **kwargs):
            raise RuntimeError("a bug in the middle of a build")

        with monkeypatch.context() as patch:
            patch.setattr(note_page, "note_markdown", explode)
            note.write_text(good, encoding="utf-8")
            with pytest.raises(RuntimeError, match="a bug in the middle"):
                serve.rebuild()
        assert len(serve.plugin.incremental.cache.rendered) == 0  # emptied: the next build is a full one
        model.notes["language.md"].title = "Language, after the failure"
        model.write(root)
        serve.rebuild()
        same_as_clean("after a failed build")
        serve.rebuild()  # and the cache works again
        stats = serve.plugin.incremental.stats()
        assert stats["reused_pages"] + stats["settled_pages"] > 10
        same_as_clean("after a rebuild with no edit")
    finally:
        serve.close()


def test_the_environment_changes_with_what_pages_are_not_fingerprinted_by(tmp_path):
    """mkdocs.yml, overrides/ and environment variables: a change to any of them is a full rebuild."""
    from mkdocs.config import load_config

    root = make_root(tmp_path)

    def environment() -> str:
        return environment_of(load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(tmp_path / "s")))

    first = environment()
    assert environment() == first  # stable across config loads (no object addresses in it)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nextra: {note: 1}\n", encoding="utf-8")
    second = environment()
    assert second != first
    partial = root / "overrides" / "partials" / "source.html"
    partial.write_text(partial.read_text(encoding="utf-8") + "<!-- changed -->\n", encoding="utf-8")
    third = environment()
    assert third != second
    os.environ["PAPERNOTES_TEST_VARIABLE"] = "1"
    try:
        assert environment() != third
    finally:
        del os.environ["PAPERNOTES_TEST_VARIABLE"]


def test_settled_pages_stay_out_of_mkdocs_until_the_nav_changes(tmp_path):
    """Author and tag pages whose entries did not change are settled (no Page, no hooks; their
    file, search entries and sitemap line kept); a new note changes the nav and they go through
    MkDocs again. Every build equals a clean one."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    root, _model, serve = served_site(tmp_path)
    same_as_clean = serve.assert_same_as_clean

    try:
        serve.rebuild()
        assert serve.plugin.incremental.stats()["settled_pages"] == 0  # nothing on disk to settle on yet
        note = root / "docs" / "vision.md"
        text = note.read_text(encoding="utf-8")
        note.write_text(text.replace("\n- ", "\n- a bullet added\n- ", 1), encoding="utf-8")
        serve.rebuild()
        incremental_ = serve.plugin.incremental
        generated = {src for src in incremental_.settled_pages.digests
                     if src.startswith(("authors/", "tags/")) and not src.endswith("/index.md")}
        assert generated and set(incremental_.settled_pages.settled) == generated  # a bullet: every author and tag page settled
        assert all(f.page is None for f in incremental_.settled_pages.settled.values())  # MkDocs made no Page of them
        assert "sitemap.xml" in incremental_.sitemap.kept  # MkDocs' own sitemap template, kept by what it reads
        same_as_clean("after a bullet")
        (root / "docs" / "extra.md").write_text(
            "# Extra\n\n## Fresh\n\n### [ICLR 2025] A paper in a new note\n_Ada Newnote_\n- new\n", encoding="utf-8")
        serve.rebuild()
        assert incremental_.stats()["settled_pages"] == 0  # a new note: the nav of every page changed
        same_as_clean("after a new note")
        serve.rebuild()
        assert incremental_.stats()["settled_pages"] > 0
        same_as_clean("after a rebuild with no edit")
    finally:
        serve.close()


def test_pages_are_settled_only_with_plugins_whose_page_work_is_accounted_for(tmp_path):
    from mkdocs.config import load_config

    root = make_root(tmp_path)
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(tmp_path / "s"))
    assert settled_pages.settling_allowed(config)

    class Unknown:  # any other plugin may want every page (a feed, a PDF export)
        pass

    config.plugins["unknown"] = Unknown()  # type: ignore[assignment]
    assert not settled_pages.settling_allowed(config)


@pytest.mark.parametrize("site_url", ["http://127.0.0.1:8000/", "https://example.org/sub", "https://example.org/a/b/", None])
def test_a_settled_pages_sitemap_line_has_the_urls_mkdocs_would_give_it(site_url):
    """`sitemap_file` is what `Page._set_canonical_url` makes, by concatenation where that is the same."""
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page

    for src in ("authors/ada.md", "tags/cvpr-2023.md", "authors/müller a.md", "index.md"):
        for use_directory_urls in (True, False):
            file = File(src, "docs", "site", use_directory_urls)
            page = Page(None, file, {"site_url": site_url, "repo_url": None, "edit_uri": None, "edit_uri_template": None})
            listed = settled_pages.sitemap_file(file, site_url, page.update_date).page
            assert (listed.canonical_url, listed.abs_url, listed.update_date, listed.is_link) == \
                (page.canonical_url, page.abs_url, page.update_date, page.is_link)


def test_serve_looks_for_saved_notes_more_often_than_for_theme_changes(tmp_path):
    """MkDocs 1.6's LiveReloadServer polls every 0.5 s and waits 0.1 s for more changes; docs/ is
    watched again at 0.1 s, the rest as it was, and a build starts 0.02 s after a change."""
    from mkdocs.livereload import LiveReloadServer

    docs, theme = tmp_path / "docs", tmp_path / "theme"
    docs.mkdir()
    theme.mkdir()
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    try:
        server.watch(str(docs))
        server.watch(str(theme))
        assert watcher.poll_notes_faster(server, [str(docs)])
        timeouts = {emitter.watch.path: emitter.timeout for emitter in server.observer.emitters}
        assert timeouts == {str(docs): watcher.NOTES_POLL_SECONDS, str(theme): 0.5}
        assert server.observer.timeout == 0.5
        assert server.build_delay == watcher.BUILD_DELAY_SECONDS < 0.1
        assert not watcher.poll_notes_faster(object(), [str(docs)])  # another server: left alone
    finally:
        server.server_close()


def test_a_settled_pages_file_is_used_again_only_for_the_same_markdown_and_while_it_has_no_page(tmp_path):
    """MkDocs' `File` of a page settled last build is kept (its paths and URL are not worked out
    again); a page whose Markdown changed, or that went through MkDocs (it has a `Page`), gets a new one."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import InclusionLevel

    config = MkDocsConfig()
    config.load_dict({"site_name": "x", "docs_dir": str(tmp_path / "docs"), "site_dir": str(tmp_path / "site")})
    (tmp_path / "docs").mkdir()
    assert not config.validate()[0]
    config.plugins._current_plugin = "papernotes"  # what MkDocs sets while a plugin's event runs
    inc = incremental.Incremental()
    src, markdown = "authors/ada.md", "---\ntitle: Ada\n---\n"
    first = inc.page_file(config, src, markdown, InclusionLevel.NOT_IN_NAV, "digest")
    assert first.url == "authors/ada/"
    inc.settled_pages.settled = {src: first}
    inc.post_build()  # the page stayed settled: its File is kept
    assert inc.page_file(config, src, markdown, InclusionLevel.NOT_IN_NAV, "digest") is first
    inc.settled_pages.settled = {src: first}
    inc.post_build()
    renamed = inc.page_file(config, src, "---\ntitle: Ada L.\n---\n", InclusionLevel.NOT_IN_NAV, "digest 2")
    assert renamed is not first and renamed.content_string == "---\ntitle: Ada L.\n---\n"
    inc.settled_pages.settled = {src: renamed}
    renamed.page = object()  # type: ignore[assignment]  # sent through MkDocs after all (`confirm`)
    inc.post_build()
    assert inc.page_file(config, src, "---\ntitle: Ada L.\n---\n", InclusionLevel.NOT_IN_NAV, "digest 2") is not renamed
    inc.settled_pages.settled = {}
    inc.post_build()  # not settled this time: nothing kept
    assert inc.settled_pages._kept_files == {}
