"""The warm start's parts (issue 21, point 4): its files, what is saved and read back, when and
where it is written, what it relies on in MkDocs, the next morning, the kept functions' results.
The warm start as a whole, across processes: test_warm_start.py.
"""

from __future__ import annotations

import inspect
import json
import logging
import os
import time
from pathlib import Path

import pytest
from markupsafe import Markup
from mkdocs.config import load_config
from papernotes.notes import memo
from papernotes.serve import cache_file, serve_state, warm_start
from papernotes.serve.incremental import Incremental
from papernotes.serve.serve_state import Parts
from papernotes.serve.settled_pages import SettledPages
from papernotes.serve.site_dir import SiteDir
from papernotes.serve.sitemap import KeptSitemap
from papernotes.serve.stores import Cache, Fragments
from support import site_model as model  # the differential test's site model
from support.serve_process import CACHE, clean_build, same_as_clean
from support.serving import ServeLike

# -- the files ----------------------------------------------------------------------------------------


def test_a_cache_file_reads_back_only_as_it_was_written(tmp_path):
    path = str(tmp_path / "index")
    cache_file.write_json(path, "index", {"a": ["é", 1, None], "lone": "\ud800"})
    header, value = cache_file.read_json(path, "index")
    assert value == {"a": ["é", 1, None], "lone": "\ud800"} and header["format"] == cache_file.FORMAT
    assert os.listdir(tmp_path) == ["index"]  # no temporary file left
    whole = Path(path).read_bytes()

    def reason(data: bytes, kind: str = "index") -> str:
        Path(path).write_bytes(data)
        with pytest.raises(cache_file.CacheFileError) as caught:
            cache_file.read_json(path, kind)
        return str(caught.value)

    assert reason(whole[:-3]) == "index is cut short"
    assert reason(whole + b"x") == "index is too long"
    assert reason(whole[:-1] + bytes([whole[-1] ^ 1])) == "index is damaged (its checksum does not match)"
    assert reason(whole.replace(b'"format":1', b'"format":2')).startswith("index was written by another version")
    assert reason(b"PK\x03\x04") == "index is not a papernotes cache file"
    assert reason(whole, kind="pack") == "index is not a pack"
    assert reason(cache_file.MAGIC + b"{not json\n") == "index has a damaged header"
    Path(path).unlink()
    with pytest.raises(cache_file.CacheFileError, match="index is missing"):
        cache_file.read(path, "index")


def test_what_is_saved_reads_back_as_it_was(tmp_path, monkeypatch):
    """Every store, the page key, the sitemap and the files of `site_dir`, saved and put back into
    an empty cache: the same values; a second save writes only what changed; a compacting save
    (every value into one pack) reads back the same too."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = model.make_root(tmp_path)
    model.start_site().write(root)
    _no_serve_cache(root / "mkdocs.yml")  # the saves here are the test's own
    serve = ServeLike(root / "mkdocs.yml", tmp_path / "served")
    try:
        serve.rebuild()
        inc = serve.plugin.incremental
        folder = str(tmp_path / "kept")
        os.mkdir(folder)
        parts = Parts(inc.cache, inc.site, inc.sitemap, inc.settled_pages)
        first = serve_state.save(folder, parts, {"r": 1}, {}, lambda: True)
        os.replace(os.path.join(folder, "index.next"), os.path.join(folder, "index"))
        serve_state.apply(parts, first)
        assert first.written > 0 and first.values > 50

        def read_back(first: bool = False) -> Parts:
            fresh = Parts(Cache(), SiteDir(), KeptSitemap(), SettledPages(Cache(), SiteDir()))
            assert serve_state.restore(serve_state.load(folder), fresh, inc.site.root)
            settleable = set(inc.settled_pages.kept_paths())  # author and tag pages: used from site_dir
            assert settleable
            for name, store in parts.stores().items():
                kept = fresh.stores()[name]
                keys = {k for k, _f, _v in store.items()}
                if name in serve_state.SETTLED_NEED_NOT:
                    keys -= settleable
                elif name != "rendered":
                    assert settleable <= keys, name  # what settles them: their digests, their search index entries
                assert keys == {k for k, _f, _v in kept.items()}, name
                for key, fp, _value in kept.items():
                    was, now = store.get(key, fp), kept.get(key, fp)
                    if name == "rendered":
                        assert serve_state._rendered_bytes(was) == serve_state._rendered_bytes(now), key
                    else:
                        assert was == now, (name, key)
            assert fresh.cache.page_key == inc.cache.page_key and fresh.sitemap.kept == inc.sitemap.kept
            assert fresh.site.last == inc.site.last
            assert fresh.settled._dests == inc.settled_pages._dests and fresh.settled._paths == inc.settled_pages.kept_paths()
            pieces = {Fragments.key_digest(k): v for k, v in inc.cache.fragments.items()
                      if isinstance(v, str) and len(v) >= serve_state.FRAGMENT_MIN}
            assert pieces and set(fresh.cache.fragments.from_disk) == set(pieces)
            for digest, piece in pieces.items():
                back = fresh.cache.fragments.from_disk[digest].open()
                assert back == piece and type(back) is type(piece)  # Markup stays Markup: not escaped twice
            if first:  # the rows of generated lists are Markup; a note's entry headings are text
                assert any(type(p) is Markup for p in pieces.values()) and any(type(p) is str for p in pieces.values())
            assert {n: k.known for n, k in memo.KEPT.items()} == {n: k.made for n, k in memo.KEPT.items()}
            memo.forget()
            return fresh

        read_back(first=True)
        note = root / "docs" / "vision.md"
        note.write_text(note.read_text(encoding="utf-8").replace("- a point", "- a point, edited"), encoding="utf-8")
        serve.rebuild()
        second = serve_state.save(folder, parts, {"r": 1}, first.packs, lambda: True)
        assert 0 < second.written < first.written / 3  # what changed, not everything again
        os.replace(os.path.join(folder, "index.next"), os.path.join(folder, "index"))
        serve_state.apply(parts, second)
        serve_state.remove_unused(folder, second.packs)
        assert len(second.packs) == 2
        read_back()
        monkeypatch.setattr(serve_state, "COMPACT_FROM", 0)
        monkeypatch.setattr(serve_state, "COMPACT_BELOW", 2.0)
        third = serve_state.save(folder, parts, {"r": 1}, second.packs, lambda: True)
        os.replace(os.path.join(folder, "index.next"), os.path.join(folder, "index"))
        serve_state.apply(parts, third)
        serve_state.remove_unused(folder, third.packs)
        assert len(third.packs) == 1 and sorted(os.listdir(folder)) == ["index", *third.packs]
        read_back()
        with pytest.raises(serve_state.Stopped):  # a build began: nothing counts
            serve_state.save(folder, parts, {"r": 1}, third.packs, lambda: False)
    finally:
        serve.close()


# -- when and where -------------------------------------------------------------------------------


def test_the_cache_is_saved_after_a_build_never_during_it(tmp_path, monkeypatch, caplog):
    """The index goes as a build begins and comes back `SAVE_DELAY` after it ends (the browsers
    have reloaded by then); a second save writes only what changed."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(warm_start, "SAVE_DELAY", 0.2)
    caplog.set_level(logging.DEBUG, logger="mkdocs.plugins.papernotes.serve.warm_start")
    root, _model, serve = model.served_site(tmp_path)
    index = root / CACHE / "index"
    try:
        serve.rebuild()
        assert not index.exists()
        deadline = time.monotonic() + 30
        while not index.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert index.exists()
        note = root / "docs" / "vision.md"
        note.write_text(note.read_text(encoding="utf-8").replace("- a point", "- a point, edited"), encoding="utf-8")
        serve.rebuild()
        assert not index.exists()  # removed as the build began

        def written() -> list[int]:
            return [int(r.getMessage().split(" bytes written")[0].rsplit(" ", 1)[1]) for r in caplog.records
                    if "serve cache saved" in r.getMessage()]

        while len(written()) < 2 and time.monotonic() < deadline:  # the save's line, not its count: logged last
            time.sleep(0.05)
        sizes = written()
        assert len(sizes) == 2 and sizes[1] < sizes[0] / 3, sizes
    finally:
        serve.close()
    assert index.exists() and not (tmp_path / "served").exists()  # the link serve made is gone


def test_a_save_a_build_overtakes_leaves_no_index(tmp_path, monkeypatch):
    """A build that begins while the save (its timer's thread, under `serve`) is writing stops it:
    the index does not come back, since it would describe the site before that build. (The runs
    of the other tests meet this only when their timing happens to.)"""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(warm_start, "SAVE_DELAY", 600)  # the save is made by hand below
    root, _model, serve = model.served_site(tmp_path)
    index = root / CACHE / "index"
    try:
        serve.rebuild()
        disk = serve.plugin.incremental.disk
        saves = disk.saves  # the plugin object, and its counts, outlive a test (MkDocs keeps it in the process)
        timer = disk._timer
        assert timer is not None and not index.exists()
        timer.cancel()
        written = serve_state.save

        def overtaken(*args, **kwargs):
            saved = written(*args, **kwargs)
            disk.pause()  # what a build does first
            return saved

        with monkeypatch.context() as patch:
            patch.setattr(serve_state, "save", overtaken)
            assert disk._save(*timer.args) is False
        assert not index.exists() and disk.saves == saves
        serve.rebuild()  # the build that overtook it
    finally:
        serve.close()
    assert index.exists() and disk.saves == saves + 1  # that build's, saved as `serve` stops


def test_mkdocs_build_reads_and_writes_no_cache(tmp_path):
    root = model.make_root(tmp_path)
    model.start_site().write(root)
    clean_build(root / "mkdocs.yml", tmp_path / "built")
    assert not (root / ".papernotes-cache").exists()


def _no_serve_cache(config: Path) -> None:
    text = config.read_text(encoding="utf-8")
    assert "      aliases: aliases.yml\n" in text
    config.write_text(text.replace("      aliases: aliases.yml\n", "      aliases: aliases.yml\n      serve_cache: false\n"), encoding="utf-8")


def test_serve_cache_false_keeps_the_cache_in_memory(tmp_path):
    root = model.make_root(tmp_path)
    model.start_site().write(root)
    config = root / "mkdocs.yml"
    _no_serve_cache(config)
    serve = ServeLike(config, tmp_path / "served")
    try:
        serve.rebuild()
        assert serve.plugin.incremental.disk.reason == "turned off (serve_cache: false)"
        assert (tmp_path / "served").is_dir() and not (tmp_path / "served").is_symlink()
    finally:
        serve.close()
    assert not (root / ".papernotes-cache").exists()


def test_a_second_serve_of_the_project_keeps_its_cache_in_memory(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.papernotes.serve.warm_start")
    root = model.make_root(tmp_path)
    first, second = Incremental(), Incremental()
    try:
        for inc, site in ((first, "one"), (second, "two")):
            inc.startup("serve", False)
            inc.begin(load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(tmp_path / site)))
        assert first.disk.reason is None and (tmp_path / "one").is_symlink()
        assert second.disk.reason == "another `mkdocs serve` of this project is using .papernotes-cache"
        assert not (tmp_path / "two").exists()  # MkDocs makes it as usual
        assert "warm start off: another `mkdocs serve` of this project is using .papernotes-cache" in caplog.text
    finally:
        for inc in (first, second):
            inc.failed()  # the build never ran: what it began is let go
            inc.shutdown()
    assert (root / ".papernotes-cache" / ".gitignore").read_text(encoding="utf-8").endswith("\n*\n")


def test_a_cache_folder_inside_docs_is_refused(tmp_path):
    root = model.make_root(tmp_path)
    inc = Incremental()
    inc.startup("serve", False)
    try:
        inc.begin(load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(tmp_path / "s")), "docs/.cache")
        assert inc.disk.reason == "docs/.cache is inside docs_dir"
    finally:
        inc.failed()
        inc.shutdown()


# -- what this relies on in MkDocs ----------------------------------------------------------------


def test_mkdocs_serve_serves_the_temporary_site_dir_it_removes_after_on_shutdown():
    """warm_start.py links the folder `serve` makes to the kept site and takes the link away in
    on_shutdown, before `serve` removes that folder (if it is still one)."""
    from mkdocs.commands import serve

    source = inspect.getsource(serve.serve)
    assert "site_dir = tempfile.mkdtemp(prefix='mkdocs_')" in source
    assert "root=site_dir" in source and "site_dir=site_dir" in source
    assert source.index("config.plugins.on_shutdown()") < source.index("if isdir(site_dir):") < source.index("shutil.rmtree(site_dir)")


def test_mkdocs_writes_a_generated_files_text_with_open():
    """MkDocs writes a generated file made of text itself (`open`, not `mkdocs.utils.write_file`), so
    site_dir.py cannot see it being written: the plugin records it (`SiteDir.written_by_mkdocs`)."""
    from mkdocs.structure.files import File

    source = inspect.getsource(File.copy_file)
    assert "content = self._content" in source and "with open(output_path, 'w', encoding='utf-8')" in source


def test_a_new_files_paths_can_be_given_and_its_destination_follows_them():
    """settled_pages.py gives the new `File` of a page settled by the process before the dest_uri
    and url MkDocs worked out then (`File.dest_uri` and `File.url` may be set, MkDocs says)."""
    from mkdocs.structure.files import File

    worked_out = File("authors/ada lovelace.md", None, "/site", True)
    given = File("authors/ada lovelace.md", None, "/site", True)
    given.dest_uri, given.url = worked_out.dest_uri, worked_out.url
    assert (given.dest_uri, given.url, given.abs_dest_path) == ("authors/ada lovelace/index.html", "authors/ada%20lovelace/",
                                                                worked_out.abs_dest_path)
    elsewhere = File("a.md", None, "/site", True)
    elsewhere.dest_uri = "b/index.html"
    assert elsewhere.abs_dest_path == os.path.normpath("/site/b/index.html")


def test_a_generated_text_file_no_longer_made_is_removed(tmp_path, monkeypatch):
    """A tag's feed goes with the tag's last entry (it was left behind: only files written through
    MkDocs' utils were known to a serve build)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root, site, serve = model.served_site(tmp_path)
    try:
        serve.rebuild()
        assert (tmp_path / "served" / "tags" / "cvpr" / "feed.xml").is_file()
        serve.rebuild()
        next(e for e in site.entries() if e.title == "Keeper One").venue = ""
        site.write(root)
        serve.rebuild()
        assert not (tmp_path / "served" / "tags" / "cvpr" / "feed.xml").exists()
        same_as_clean(root, tmp_path / "served", "the tag's last entry lost its venue")
    finally:
        serve.close()


# -- the next morning ---------------------------------------------------------------------------------


@pytest.mark.parametrize("shows_date", [False, True])
def test_a_page_made_yesterday_is_used_today_unless_the_theme_shows_the_date(tmp_path, monkeypatch, shows_date):
    """Material shows no build date on a page (MkDocs' sitemap.xml does, and is made again): the next
    day's first build reuses every page, as a warm start in the morning must. A theme template that
    names the date (`page.update_date`) puts it back into every page's fingerprint."""
    from datetime import timedelta

    from mkdocs import utils

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = model.make_root(tmp_path)
    model.start_site().write(root)
    if shows_date:
        (root / "overrides" / "main.html").write_text(
            '{% extends "base.html" %}\n{% block footer %}Built {{ page.update_date }}{% endblock %}\n', encoding="utf-8")
    today = utils.get_build_datetime()
    serve = ServeLike(root / "mkdocs.yml", tmp_path / "served")
    try:
        serve.rebuild()
        serve.rebuild()
        assert serve.plugin.incremental.theme.dated is shows_date
        monkeypatch.setattr(utils, "get_build_datetime", lambda: today + timedelta(days=1))
        serve.rebuild()
        stats = serve.plugin.incremental.stats()  # before the clean build, which starts anew
        same_as_clean(root, tmp_path / "served", "a day later")
        if shows_date:
            assert stats["settled_pages"] == stats["reused_pages"] == 0, stats
        else:
            assert stats["settled_pages"] > 0 and stats["reused_pages"] > 0, stats
        tomorrow = (today + timedelta(days=1)).strftime("%Y-%m-%d")
        assert f"<lastmod>{tomorrow}</lastmod>" in (tmp_path / "served" / "sitemap.xml").read_text(encoding="utf-8")
    finally:
        serve.close()


def test_a_kept_function_answers_from_what_the_last_process_left():
    """notes/memo.py: results loaded are answered without calling the function; made ones are
    exported (as JSON-ready rows, tuples as lists) and come back as they were."""
    calls: list[str] = []

    @memo.kept("test.kept", limit=4)
    def shout(text: str) -> tuple[str, int]:
        calls.append(text)
        return text.upper(), len(text)

    try:
        memo.load({"test.kept": [["made before", ["MADE BEFORE", 11]]], "gone.function": [["x", "y"]]})
        assert shout("made before") == ("MADE BEFORE", 11) and calls == []
        assert shout("new") == ("NEW", 3) and calls == ["new"] and memo.changed()
        rows = json.loads(json.dumps(memo.export()["test.kept"]))
        memo.saved()
        assert not memo.changed()
        memo.load({"test.kept": rows})
        assert shout("new") == ("NEW", 3) and calls == ["new"]
        for word in "abcdef":
            shout(word)
        assert len(memo.KEPT["test.kept"].made) <= 4  # as bounded as the lru_cache it sits under
    finally:
        del memo.KEPT["test.kept"]


def test_json_written_in_slices_reads_back_as_json_dumps_would():
    value = {"a": list(range(5000)), "b": {"c": [[str(n), n] for n in range(4500)], "d": {}}, "e": [], "f": "é\ud800"}
    text = "".join(cache_file.json_pieces(value))
    assert json.loads(text) == value
    assert len(list(cache_file.json_pieces(value))) > 6  # in slices, not one call
