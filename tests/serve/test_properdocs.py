"""ProperDocs, the maintained continuation of MkDocs 1.x, builds and previews the same site.

`properdocs` reads the same mkdocs.yml and, before it loads a plugin, redirects every `mkdocs.*`
import to its own modules (`properdocs.replacement`): the plugin then runs on ProperDocs'
`Page`, `File` and build loop. Shown here: the same site built by both commands is the same,
file for file, but for the generator line; the serve tests (the differential test among them)
pass again through ProperDocs' modules; a real `properdocs serve` follows edits exactly; a
link warning is said once under either command; and an engine version the rebuild cache was not
tested with previews by full rebuilds, never a wrong page.
"""

from __future__ import annotations

import gzip
import importlib.metadata
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from papernotes.serve import incremental
from support.commands import unmeasured
from support.paths import REPO
from support.serving import ServeLike, differences, free_port, http_get_bytes, stop, tree, wait_until
from support.sites import write_site

EPOCH = "1700000000"  # SOURCE_DATE_EPOCH: the sitemap's dates and the gzip header are the same in both builds
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
# The files whose serve-like runs are repeated through ProperDocs' modules (wherever the tests folder keeps them).
SERVE_TESTS = ("test_incremental.py", "test_internals.py", "test_lean.py", "test_sitedir.py", "test_serve_generated_files.py")

NOTE = """\
# Vision notes

## Video

### [!!!] [CVPR 2023] Keeper Entry Stays
_Ada Lovelace, Bo Xu_
- [[paper]](https://example.org/keeper)

### [ICCV 2021] Second Entry
_Bo Xu_
"""


def _env() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def _build(engine: str, config: Path, site_dir: Path, *, measured: bool = True, **env: str) -> subprocess.CompletedProcess[str]:
    """`ENGINE build --strict`; `measured=False` for a reference build (coverage: support.commands.unmeasured)."""
    command = [sys.executable, "-m", engine, "build", "--strict", "-f", str(config), "-d", str(site_dir)]
    environ = {**_env(), **env}
    return subprocess.run(command, cwd=config.parent, env=environ if measured else unmeasured(environ),
                          capture_output=True, text=True, timeout=300, check=False)


def _without_generator(files: dict[str, bytes]) -> dict[str, bytes]:
    return {name: GENERATOR.sub(b'<meta name="generator">', data) if name.endswith(".html") else data
            for name, data in files.items()}


def test_properdocs_is_installed_beside_mkdocs_without_replacing_it():
    assert importlib.metadata.version("mkdocs") == "1.6.1"  # what requirements.txt pins: the site's own engine
    assert importlib.metadata.version("properdocs") == "1.6.7"
    import mkdocs

    if os.environ.get("PAPERNOTES_ENGINE") != "properdocs":
        assert mkdocs.__name__ == "mkdocs", "something redirected `mkdocs` imports in a plain test run"


def test_properdocs_build_equals_mkdocs_build_but_for_the_generator_line(tmp_path: Path):
    """The repository's site, as the Pages workflow builds it (with SITE_URL: feeds and sitemap)."""
    config = REPO / "mkdocs.yml"
    site_url = "https://owner.github.io/papernotes/"
    built = {engine: _build(engine, config, tmp_path / engine, SITE_URL=site_url) for engine in ("mkdocs", "properdocs")}
    for engine, result in built.items():
        assert result.returncode == 0, f"{engine} build --strict failed:\n{result.stderr[-3000:]}"
    mk, pd = tree(tmp_path / "mkdocs"), tree(tmp_path / "properdocs")
    assert "index.html" in mk and "feed.xml" in mk and "sitemap.xml.gz" in mk
    differing = {name for name in mk.keys() & pd.keys() if mk[name] != pd[name]}
    assert differing and all(name.endswith(".html") for name in differing)  # the generator line, in every page
    assert b'content="mkdocs-1.6.1, mkdocs-material-' in mk["index.html"]
    assert b'content="mkdocs-ProperDocs 1.6.7, mkdocs-material-' in pd["index.html"]
    assert differences(_without_generator(pd), _without_generator(mk)) == []
    assert gzip.decompress(mk["sitemap.xml.gz"]) == gzip.decompress(pd["sitemap.xml.gz"])


def test_a_link_problem_is_said_once_by_either_command(tmp_path: Path):
    """MkDocs' own warning about a link the plugin reported (with its line) is dropped under both commands:
    ProperDocs' page module logs under its own name, and the plugin's filter sits on that one."""
    text = NOTE + "\nSee [the missing page](missing.md).\n"
    line = text.count("\n")
    root = write_site(tmp_path / "project", {"notes.md": text})
    for engine in ("mkdocs", "properdocs"):
        result = _build(engine, root / "mkdocs.yml", tmp_path / f"site-{engine}")
        said = result.stderr
        assert result.returncode == 1, said  # --strict: the broken link fails the build
        assert said.count("missing.md") == 1, f"{engine}:\n{said}"
        assert f"docs/notes.md:{line}:5: link target not found: 'missing.md'" in said, said


def test_the_serve_tests_pass_through_properdocs_modules(tmp_path: Path):
    """The serve tests run again with `mkdocs.*` imports redirected to ProperDocs (tests/conftest.py,
    PAPERNOTES_ENGINE): the differential test proves every incremental rebuild equals a clean build,
    and that the cache was used (it reuses pages and settles some), on ProperDocs' build loop."""
    files = [str(path) for name in SERVE_TESTS for path in sorted((REPO / "tests").rglob(name))]
    assert len(files) == len(SERVE_TESTS), files
    # `-n 0`: in one process, the worker of this run it is called from (addopts start pytest-xdist's workers).
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--no-cov", "-n", "0", *files]
    # Not measured, as `--no-cov` says: coverage's subprocess patch (pyproject.toml) would measure the
    # rerun all the same, at twice its time; these tests are measured under MkDocs in this run, and
    # `properdocs build` and `properdocs serve` below under ProperDocs.
    result = subprocess.run(command, cwd=REPO, env={**unmeasured(_env()), "PAPERNOTES_ENGINE": "properdocs"},
                            capture_output=True, text=True, timeout=1200, check=False)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0 and re.fullmatch(r"\d+ passed in .*", summary), result.stdout[-5000:] + result.stderr[-2000:]
    assert int(summary.split()[0]) >= 40, summary


def _as_built(name: str, served: bytes) -> bytes:
    """A served file as it is on disk: without the live-reload script the server puts before `</body>`."""
    if not name.endswith(".html"):
        return served
    end = served.rindex(b"</body>")
    start = served.rindex(b"<script>", 0, end)
    assert served[end - len(b"</script>"):end] == b"</script>"
    return served[:start] + served[end:]


def _unmet(base: str, clean: dict[str, bytes], gone: set[str]) -> list[str]:
    problems = []
    for name, data in clean.items():
        status, served = http_get_bytes(base + name)
        if status != 200 or _as_built(name, served) != data:
            problems.append(f"{name}: HTTP {status}, not the clean build's")
    problems += [f"{name}: still served" for name in gone if http_get_bytes(base + name)[0] != 404]
    return problems


def test_a_real_properdocs_serve_follows_edits_exactly(tmp_path: Path):
    """`properdocs serve` through edits (a venue changed, so a tag page and its feed go; a note
    added; the user's home page removed, so the plugin's goes in): after each, every served file
    is the one a clean `properdocs build` of the same sources makes, and no other is served."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    root = write_site(tmp_path / "project", {"index.md": "# My notes\n", "vision.md": NOTE}, config={"site_url": base})
    log = tmp_path / "serve.log"
    edits = [
        lambda: (root / "docs" / "vision.md").write_text(NOTE.replace("[ICCV 2021]", "[NeurIPS 2022]"), encoding="utf-8"),
        lambda: (root / "docs" / "language.md").write_text("# Language\n\n### [NeurIPS 2022] Talker\n_Dana Scott_\n", encoding="utf-8"),
        (root / "docs" / "index.md").unlink,
    ]
    with log.open("w", encoding="utf-8") as out:
        command = [sys.executable, "-m", "properdocs", "serve", "-f", str(root / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"]
        proc = subprocess.Popen(command, cwd=root, env=_env(), stdout=out, stderr=subprocess.STDOUT)
        try:
            previous: set[str] = set()
            for step in range(len(edits) + 1):
                if step:
                    time.sleep(1.1)  # a later modification time than the last build's files
                    edits[step - 1]()
                clean_dir = tmp_path / f"clean-{step}"
                result = _build("properdocs", root / "mkdocs.yml", clean_dir, measured=False)  # the reference
                assert result.returncode == 0, result.stderr
                clean = tree(clean_dir)
                gone = previous - set(clean)
                wait_until(f"step {step}", lambda clean=clean, gone=gone: _unmet(base, clean, gone), 90, log)
                previous = set(clean)
                shutil.rmtree(clean_dir)
            assert "tags/iccv/feed.xml" not in previous and "index.html" in previous
        finally:
            stop(proc, signal.SIGTERM, 10)
    said = log.read_text(encoding="utf-8")
    assert "every rebuild of the preview is a full one" not in said, said  # the rebuild cache was on
    assert "Traceback" not in said, said


# -- an engine the rebuild cache was not tested with -------------------------------------------------


@pytest.mark.parametrize(("name", "version", "trusted"), [
    ("mkdocs", "1.6.1", True), ("mkdocs", "1.6.9", True), ("mkdocs", "1.7.0", False), ("mkdocs", "2.0.0", False),
    ("properdocs", "1.6.7", True), ("properdocs", "1.6.8", False), ("properdocs", "1.6.70", False),
    ("properdocs", "1.7.0", False), ("otherdocs", "1.6.1", False)])
def test_only_the_engine_versions_the_serve_tests_ran_on_are_trusted(monkeypatch, name: str, version: str, trusted: bool):
    monkeypatch.setattr(incremental, "engine", lambda: (name, version))
    reason = incremental.unsupported()
    assert (reason is None) is trusted
    if not trusted:
        assert f"{name} {version}" in str(reason)
    served = incremental.Incremental()
    served.startup("serve", False)
    assert served.enabled is trusted


def test_an_untrusted_engine_version_previews_by_full_rebuilds(tmp_path: Path, monkeypatch, caplog):
    """Never a wrong page: the cache is off, so each rebuild is MkDocs' own full build."""
    monkeypatch.setattr(incremental, "engine", lambda: ("properdocs", "1.7.0"))
    root = write_site(tmp_path / "project", {"index.md": "# Home\n", "vision.md": NOTE})
    with caplog.at_level("INFO"):
        serve = ServeLike(root / "mkdocs.yml", tmp_path / "served")
    assert "every rebuild of the preview is a full one: properdocs 1.7.0 is not a version" in caplog.text
    try:
        assert not serve.plugin.incremental.enabled
        # MkDocs keeps a plugin with on_startup across the loads of one process: counts may predate this test.
        before = serve.plugin.incremental.stats()
        serve.rebuild()
        (root / "docs" / "vision.md").write_text(NOTE.replace("[ICCV 2021]", "[NeurIPS 2022]"), encoding="utf-8")
        serve.rebuild()
        after = serve.plugin.incremental.stats()
        assert after == before and after["settled_pages"] == 0, (before, after)  # nothing taken from the cache
        serve.clean_build(tmp_path / "clean")
        assert differences(tree(tmp_path / "served"), tree(tmp_path / "clean")) == []
    finally:
        serve.close()
