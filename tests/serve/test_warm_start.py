"""The warm start (issue 21, point 4): `mkdocs serve` keeps its rebuild cache and its site on disk,
and the next `serve` process starts from them, but only from a cache that provably matches.

The proof is the differential test run across processes (`serve_process.ServeProcess`: each
`serve` a real child process, so nothing held in memory carries over): after any sequence of
edits, restarts and kills, the served site equals a clean build of the same files, byte for
byte. A damaged cache, another version's, or one made with another mkdocs.yml or environment
is a full build with a one-line notice, and still the same site. The parts on their own:
test_warm_start_parts.py.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from papernotes.serve import cache_file
from support import site_model as model  # the differential test's site model and its edits
from support.serve_process import CACHE, ServeProcess, clean_build, same_as_clean, warm
from support.serving import differences, stop, tree

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
        root = model.make_root(Path(tmp))
        site = model.start_site()
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
                done.append(model.edit_site(data, site))
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
    # These two change what every page shows (its footer, the repository's name in its header):
    # a cache trusted in spite of them would serve stale pages.
    "mkdocs.yml edited": (lambda root: (root / "mkdocs.yml").write_text(
        (root / "mkdocs.yml").read_text(encoding="utf-8") + "\ncopyright: Edited after the cache was saved\n",
        encoding="utf-8"), "mkdocs.yml changed"),
    "an environment variable mkdocs.yml reads": (lambda root: None, "environment variables (REPO_NAME) changed"),
}
NEW_REPO_NAME = "elsewhere/notes"  # REPO_NAME, read by mkdocs.yml (`repo_name: !ENV [REPO_NAME, ...]`)


@pytest.fixture(scope="module")
def saved_site(tmp_path_factory: pytest.TempPathFactory):
    """A site built once by a `serve` process that saved its cache; a copy of that cache to go back to."""
    base = tmp_path_factory.mktemp("damaged")
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    root = model.make_root(base)
    model.start_site().write(root)
    with ServeProcess(root / "mkdocs.yml", base / "served") as proc:
        proc.build()
        proc.exit()
    shutil.copytree(root / ".papernotes-cache", base / "pristine", symlinks=True)  # copy2: times kept to the nanosecond
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    return root, base / "pristine", config, clean_build(root / "mkdocs.yml", base / "clean")


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_cache_that_cannot_be_trusted_is_a_full_build_with_one_line_saying_why(saved_site, damage, monkeypatch):
    root, pristine, config, clean = saved_site
    shutil.rmtree(root / ".papernotes-cache")
    shutil.copytree(pristine, root / ".papernotes-cache", symlinks=True)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    spoil, says = DAMAGE[damage]
    spoil(root)
    if "environment" in damage:
        monkeypatch.setenv("REPO_NAME", NEW_REPO_NAME)  # for the serve process and the clean build alike
    if "mkdocs.yml" in damage or "environment" in damage:
        clean = clean_build(root / "mkdocs.yml", root.parent / "clean")
        assert clean != saved_site[3]  # what every page shows changed
    served = root.parent / f"served-{damage.replace(' ', '-')}"
    with ServeProcess(root / "mkdocs.yml", served) as proc:
        reply = proc.build()
        problems = differences(tree(served), clean)
        assert not problems, problems[:10]  # never a wrong page
        notices = [n for n in reply["notices"] if n.startswith("papernotes: no warm start")]
        assert len(notices) == 1 and says in notices[0] and notices[0].endswith("building everything"), reply["notices"]
        assert "\n" not in notices[0] and "Traceback" not in notices[0]
        stats = reply["stats"]
        assert stats["rendered_hits"] == stats["pages_hits"] == stats["settled_pages"] == 0, stats  # nothing reused
        proc.kill()


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
    root = model.make_root(tmp_path)
    site = model.start_site()
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

    from support.serving import free_port, http_get

    root = model.make_root(tmp_path)
    model.start_site().write(root)
    port = free_port()  # one address for every start: the pages show it (site_url)
    base = f"http://127.0.0.1:{port}/notes/"  # serve mounts the site at the path of make_root's site_url
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}

    def serve(log: Path) -> dict[str, str]:
        with log.open("w", encoding="utf-8") as out:
            # Ctrl-C's default action given back: a shell running pytest in the background ignores it, and so would serve.
            proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f", "mkdocs.yml"],
                                    cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT,
                                    preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # noqa: PLW1509 - no threads in the child yet
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
                stop(proc, signal.SIGINT, timeout=60)  # Ctrl-C: on_shutdown runs
        return pages

    cold = serve(tmp_path / "cold.log")
    assert "no warm start: .papernotes-cache holds no cache yet; building everything" in (tmp_path / "cold.log").read_text(encoding="utf-8")
    assert serve(tmp_path / "warm.log") == cold
    assert re.search(r"INFO +- +papernotes: warm start from the cache in \.papernotes-cache \(\d+ results kept\)",
                     (tmp_path / "warm.log").read_text(encoding="utf-8"))
    _flip(_pack(root), 0.5)
    assert serve(tmp_path / "damaged.log") == cold
    said = [line for line in (tmp_path / "damaged.log").read_text(encoding="utf-8").splitlines() if "warm start" in line]
    assert len(said) == 1 and re.search(r"papernotes: no warm start: the cache in \.papernotes-cache cannot be used "
                                        r"\(pack-\w+\.bin is damaged \(its checksum does not match\)\); building everything$", said[0]), said
