"""The warm start (issue 21, point 4): `mkdocs serve` keeps its rebuild cache and its site on disk,
and the next `serve` process starts from them, but only from a cache that provably matches.

The proof is the differential test run across processes (`serve_process.ServeProcess`: each
`serve` a real child process, so nothing held in memory carries over): after any sequence of
edits, restarts and kills, the served site equals a clean build of the same files, byte for
byte. A damaged cache, another version's, or one made with another mkdocs.yml or environment
is a full build with a one-line notice, and still the same site.
"""

from __future__ import annotations

import inspect
import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
import test_incremental as model  # the differential test's site model and its edits
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from papernotes.notes import memo
from papernotes.serve import cache_file, serve_state, warm_start
from papernotes.serve.incremental import Incremental
from papernotes.serve.serve_state import Parts
from papernotes.serve.settled_pages import SettledPages
from papernotes.serve.site_dir import SiteDir
from papernotes.serve.sitemap import KeptSitemap
from papernotes.serve.stores import Cache, Fragments
from serve_process import ServeProcess
from serving import SERVE_URL, ServeLike, differences, tree

CACHE = Path(".papernotes-cache") / "serve"


def clean_build(config_file: Path, site_dir: Path) -> dict[str, bytes]:
    """What `mkdocs build` makes of the same files, served at the same address: the reference."""
    config = load_config(config_file=str(config_file), site_dir=str(site_dir))
    config.site_url = SERVE_URL
    incremental = config.plugins["papernotes"].incremental
    enabled, incremental.enabled = incremental.enabled, False  # the plugin object is shared in this process
    try:
        build(config, serve_url=SERVE_URL)
    finally:
        incremental.enabled = enabled
    made = tree(site_dir)
    shutil.rmtree(site_dir)
    return made


def same_as_clean(root: Path, served: Path, after: object) -> None:
    problems = differences(tree(served), clean_build(root / "mkdocs.yml", root.parent / "clean"))
    assert not problems, f"after {after}:\n" + "\n".join(problems[:20])


def warm(reply: dict) -> bool:
    return any(n.startswith("papernotes: warm start from") for n in reply["notices"])


# -- the differential test, across processes ------------------------------------------------------

PROFILES = {"quick": {"max_examples": 2, "steps": 5}, "long": {"max_examples": 12, "steps": 10}}
PROFILE = PROFILES[os.environ.get("PAPERNOTES_DIFFERENTIAL", "quick")]


@settings(max_examples=PROFILE["max_examples"], deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_restart_equals_a_clean_build(data: st.DataObject):
    """Edits, each followed by a rebuild in the same process, a restart (`serve` stopped, which
    saves its cache, and started again) or a kill (nothing saved): every served site equals a
    clean build. A restart after any edits starts warm."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    with tempfile.TemporaryDirectory(prefix="pn-warm-") as tmp:
        root = model._make_root(Path(tmp))
        site = model._start()
        site.write(root)
        served = Path(tmp) / "served"
        proc = ServeProcess(root / "mkdocs.yml", served)
        done: list[str] = ["start"]
        restarts = 0
        try:
            proc.build()
            same_as_clean(root, served, done)
            for _ in range(PROFILE["steps"]):
                how = data.draw(st.sampled_from(["rebuild", "restart", "restart", "kill"]))
                done.append(model._edit(data, site))
                site.write(root)
                if how != "rebuild":
                    proc.exit() if how == "restart" else proc.kill()
                    proc = ServeProcess(root / "mkdocs.yml", served)
                done.append(how)
                reply = proc.build()
                if how == "restart":
                    assert warm(reply), (done, reply["notices"])
                    assert reply["stats"]["rendered_hits"] + reply["stats"]["settled_pages"] > 0, reply["stats"]
                    restarts += 1
                same_as_clean(root, served, done)
        finally:
            proc.__exit__()
        assert restarts or "restart" not in done


# -- a cache that cannot be trusted ----------------------------------------------------------------


def _flip(path: Path, where: float) -> None:
    data = bytearray(path.read_bytes())
    at = int(len(data) * where)
    data[at] ^= 0x20
    path.write_bytes(bytes(data))


def _cut(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])


def _pack(root: Path) -> Path:
    return max((root / CACHE).glob("pack-*.bin"), key=lambda p: p.stat().st_size)


def _other_version(root: Path) -> None:
    index = root / CACHE / "index"
    magic, header, body = index.read_bytes().split(b"\n", 2)
    fields = json.loads(header)
    fields["format"] = cache_file.FORMAT + 1
    index.write_bytes(magic + b"\n" + json.dumps(fields).encode() + b"\n" + body)


DAMAGE = {
    # name: (what is done to the saved cache, what the notice says)
    "index cut short": (lambda root: _cut(root / CACHE / "index"), "index is cut short"),
    "pack cut short": (lambda root: _cut(_pack(root)), "is cut short"),
    "a byte flipped in a pack": (lambda root: _flip(_pack(root), 0.5), "checksum does not match"),
    "a byte flipped in the index": (lambda root: _flip(root / CACHE / "index", 0.9), "checksum does not match"),
    "another version's cache": (_other_version, "written by another version of papernotes"),
    "not a cache at all": (lambda root: (root / CACHE / "index").write_bytes(b"\x80\x04garbage"), "not a papernotes cache file"),
    "a pack gone": (lambda root: _pack(root).unlink(), "is missing"),
    "mkdocs.yml edited": (lambda root: (root / "mkdocs.yml").write_text(
        (root / "mkdocs.yml").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8"), "mkdocs.yml changed"),
    "an environment variable set": (lambda root: None, "environment variables (PAPERNOTES_WARM_TEST) changed"),
}


@pytest.fixture(scope="module")
def saved_site(tmp_path_factory: pytest.TempPathFactory):
    """A site built once by a `serve` process that saved its cache; a copy of that cache to go back to."""
    base = tmp_path_factory.mktemp("damaged")
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    root = model._make_root(base)
    model._start().write(root)
    with ServeProcess(root / "mkdocs.yml", base / "served") as proc:
        proc.build()
        proc.exit()
    shutil.copytree(root / ".papernotes-cache", base / "pristine", symlinks=True)  # copy2: times kept to the nanosecond
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    return root, base / "pristine", config, clean_build(root / "mkdocs.yml", base / "clean")


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_cache_that_cannot_be_trusted_is_a_full_build_with_one_line_saying_why(saved_site, damage):
    root, pristine, config, clean = saved_site
    shutil.rmtree(root / ".papernotes-cache")
    shutil.copytree(pristine, root / ".papernotes-cache", symlinks=True)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    spoil, says = DAMAGE[damage]
    spoil(root)
    env = dict(os.environ, PAPERNOTES_WARM_TEST="1") if "environment" in damage else None
    served = root.parent / f"served-{damage.replace(' ', '-')}"
    with ServeProcess(root / "mkdocs.yml", served, env=env) as proc:
        reply = proc.build()
        notices = [n for n in reply["notices"] if n.startswith("papernotes: no warm start")]
        assert len(notices) == 1 and says in notices[0] and notices[0].endswith("building everything"), reply["notices"]
        assert "\n" not in notices[0] and "Traceback" not in notices[0]
        stats = reply["stats"]
        assert stats["rendered_hits"] == stats["pages_hits"] == stats["settled_pages"] == 0, stats  # nothing reused
        problems = differences(tree(served), clean)
        proc.kill()
    assert not problems, problems[:10]


def test_a_kept_file_changed_on_disk_is_made_again(saved_site):
    """A file of the kept site edited in place, its size unchanged: the warm start goes on, the file
    is not trusted (its modification time is not the one recorded) and the site is right."""
    root, pristine, config, clean = saved_site
    shutil.rmtree(root / ".papernotes-cache")
    shutil.copytree(pristine, root / ".papernotes-cache", symlinks=True)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    page = next((root / CACHE / "site" / "authors").glob("*/index.html"))
    page.write_bytes(page.read_bytes().replace(b"<title>", b"<tit1e>", 1))
    served = root.parent / "served-edited-page"
    with ServeProcess(root / "mkdocs.yml", served) as proc:
        reply = proc.build()
        assert warm(reply), reply["notices"]
        assert reply["stats"]["settled_pages"] > 0  # the rest was kept
        problems = differences(tree(served), clean)
        proc.kill()
    assert not problems, problems[:10]


def test_a_serve_killed_after_an_edit_leaves_no_cache_to_trust(tmp_path, monkeypatch):
    """The index goes when a build begins and comes back only once that build is saved: a `serve`
    killed in between leaves none, and the next one builds everything."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = model._make_root(tmp_path)
    site = model._start()
    site.write(root)
    served = tmp_path / "served"
    with ServeProcess(root / "mkdocs.yml", served) as proc:
        proc.build()
        proc.exit()
    assert (root / CACHE / "index").is_file()
    with ServeProcess(root / "mkdocs.yml", served, save_delay=600) as proc:  # killed long before it saves
        assert warm(proc.build())
        site.notes["language.md"].title = "Retitled before the kill"
        site.write(root)
        proc.build()
        assert not (root / CACHE / "index").exists()  # the save waits for the browsers to reload
        proc.kill()
    with ServeProcess(root / "mkdocs.yml", served) as proc:
        reply = proc.build()
        assert reply["notices"][:1] == ["papernotes: no warm start: .papernotes-cache holds no cache yet; building everything"]
        same_as_clean(root, served, "a kill")
        proc.kill()


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
    root = model._make_root(tmp_path)
    model._start().write(root)
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
    root, _model, serve = model._served(tmp_path)
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
        while serve.plugin.incremental.disk.saves < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        written = [int(r.getMessage().split(" bytes written")[0].rsplit(" ", 1)[1]) for r in caplog.records
                   if "serve cache saved" in r.getMessage()]
        assert len(written) == 2 and written[1] < written[0] / 3, written
    finally:
        serve.close()
    assert index.exists() and not (tmp_path / "served").exists()  # the link serve made is gone


def test_mkdocs_build_reads_and_writes_no_cache(tmp_path):
    root = model._make_root(tmp_path)
    model._start().write(root)
    clean_build(root / "mkdocs.yml", tmp_path / "built")
    assert not (root / ".papernotes-cache").exists()


def _no_serve_cache(config: Path) -> None:
    text = config.read_text(encoding="utf-8")
    assert "      aliases: aliases.yml\n" in text
    config.write_text(text.replace("      aliases: aliases.yml\n", "      aliases: aliases.yml\n      serve_cache: false\n"), encoding="utf-8")


def test_serve_cache_false_keeps_the_cache_in_memory(tmp_path):
    root = model._make_root(tmp_path)
    model._start().write(root)
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
    root = model._make_root(tmp_path)
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
    root = model._make_root(tmp_path)
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
    """site_dir.py writes a generated file made of text through `write_file` instead (to know it was
    made); what MkDocs itself does with it is the same bytes on POSIX."""
    from mkdocs.structure.files import File
    from papernotes.serve import site_dir

    site_dir._install()
    source = inspect.getsource(site_dir._originals["File.copy_file"])
    assert "content = self._content" in source and "with open(output_path, 'w', encoding='utf-8')" in source
    assert File.copy_file is site_dir._copy_generated


def test_a_generated_text_file_no_longer_made_is_removed(tmp_path, monkeypatch):
    """A tag's feed goes with the tag's last entry (it was left behind: only files written through
    MkDocs' utils were known to a serve build)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root, site, serve = model._served(tmp_path)
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
    root = model._make_root(tmp_path)
    model._start().write(root)
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


# -- a real `mkdocs serve` --------------------------------------------------------------------------


def _served_page(html: str) -> str:
    """A served page without the live-reload script `serve` adds before `</body>` (its numbers change)."""
    end = html.rindex("</body>")
    return html[: html.rindex("<script>", 0, end)] + html[end:]


def test_mkdocs_serve_itself_starts_warm_and_says_why_when_it_does_not(tmp_path):
    """The plain `mkdocs serve`, started three times on one project: cold, warm (the same pages
    served), and after a byte of its cache was flipped (a full build, one line why, the same pages)."""
    import re
    import signal
    import subprocess
    import sys

    from serving import free_port, http_get

    root = model._make_root(tmp_path)
    model._start().write(root)
    port = free_port()  # one address for every start: the pages show it (site_url)
    base = f"http://127.0.0.1:{port}/"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}

    def serve(log: Path) -> dict[str, str]:
        with log.open("w", encoding="utf-8") as out:
            proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f", "mkdocs.yml"],
                                    cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
            try:
                deadline = time.monotonic() + 120
                while True:
                    assert proc.poll() is None and time.monotonic() < deadline, log.read_text(encoding="utf-8")
                    try:
                        if http_get(base)[0] == 200:
                            break
                    except OSError:
                        pass
                    time.sleep(0.1)
                pages = {page: _served_page(http_get(base + page)[1]) for page in ("", "vision/", "authors/bo-xu/")}
                while not (root / CACHE / "index").is_file():  # saved a second after the build
                    assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
                    time.sleep(0.1)
            finally:
                proc.send_signal(signal.SIGINT)  # Ctrl-C: on_shutdown runs
                proc.wait(timeout=60)
        return pages

    cold = serve(tmp_path / "cold.log")
    assert "no warm start: .papernotes-cache holds no cache yet; building everything" in (tmp_path / "cold.log").read_text(encoding="utf-8")
    assert serve(tmp_path / "warm.log") == cold
    assert re.search(r"INFO +- +papernotes: warm start from the cache in \.papernotes-cache \(\d+ pages and pieces\)",
                     (tmp_path / "warm.log").read_text(encoding="utf-8"))
    _flip(_pack(root), 0.5)
    assert serve(tmp_path / "damaged.log") == cold
    said = [line for line in (tmp_path / "damaged.log").read_text(encoding="utf-8").splitlines() if "warm start" in line]
    assert len(said) == 1 and re.search(r"papernotes: no warm start: the cache in \.papernotes-cache cannot be used "
                                        r"\(pack-\w+\.bin is damaged \(its checksum does not match\)\); building everything$", said[0]), said
