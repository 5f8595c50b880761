"""Browser fixtures: the repository's site plus the fixture notes, built once, served on
127.0.0.1 and read through Debian's Chromium (or the one PAPERNOTES_CHROMIUM names) driven
by Playwright. `dated_site` is the same site committed to git, where entries have dates.

`reader` is the fixture tests use: it opens pages in fresh browser contexts and records
everything a reader should never meet (console errors, failed or off-site requests, JS
dialogs). A failing test leaves a screenshot of each open page in `test-artifacts/`.

A visit waits for the page's load event and then for its network to be quiet: nothing in flight
(every request the page made has finished or failed) for `QUIET_SECONDS`. That is Playwright's
`networkidle` with its fixed 0.5 s window cut to 0.25 s: the last requests of a page here (the
search index, the favicon) start within 0.05 s of its load event.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from support.paths import REPO
from support.sites import Site, build

CHROMIUM = Path(os.environ.get("PAPERNOTES_CHROMIUM") or "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]
FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_NOTE = FIXTURES / "reader_checks.md"
# Every fixture note joins the site; their figures live in fixtures/assets/ (served as assets/).
FIXTURE_NOTES = sorted(FIXTURES.glob("*.md"))
ARTIFACTS = REPO / "test-artifacts"
PAGES_KEY = pytest.StashKey[list]()
QUIET_SECONDS = 0.25  # no request in flight for this long after the load event: the page has settled
SETTLE_SECONDS = 30  # Playwright's own navigation timeout


# -- the site ------------------------------------------------------------------------------

@dataclass
class ServedSite:
    site_dir: Path
    base_url: str  # ends with "/"

    def url(self, path: str) -> str:
        return urljoin(self.base_url, path)

    def json(self, name: str) -> list[dict[str, Any]]:
        return json.loads((self.site_dir / name).read_text(encoding="utf-8"))

    def paper(self, title_start: str) -> dict[str, Any]:
        matches = [p for p in self.json("papers.json") if p["title"].startswith(title_start)]
        assert len(matches) == 1, f"expected one paper titled {title_start!r}..., found {len(matches)}"
        return matches[0]

    def author_url(self, name: str) -> str:
        url = next(a["url"] for a in self.json("authors.json") if a["name"] == name)
        assert url, f"{name} has no author page"
        return self.url(url)

    def tag_url(self, name: str) -> str:
        return self.url(next(t["url"] for t in self.json("tags.json") if t["name"] == name))


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


# The only warnings the site gives: every_state.md's resource links the build marks broken, on
# purpose (five unsafe URLs, two links without one), so the pages show them.
DELIBERATE_WARNINGS = ["link-url"] * 2 + ["unsafe-url"] * 5


def _project(root: Path) -> Path:
    """The repo's docs plus the notes in tests/browser/fixtures/, laid out under `root`."""
    root.mkdir()
    for name in ("docs", "assets", "overrides"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    for name in ("mkdocs.yml", "aliases.yml"):
        shutil.copy2(REPO / name, root / name)
    for note in FIXTURE_NOTES:
        shutil.copy2(note, root / "docs" / note.name)
    shutil.copytree(FIXTURES / "assets", root / "assets", dirs_exist_ok=True)
    return root


def _build(root: Path) -> Site:
    site = build(root)
    rules = sorted(m.rsplit("[", 1)[-1].rstrip("]") for m in site.warnings if "docs/every_state.md:" in m)
    others = [m for m in site.warnings if "docs/every_state.md:" not in m]
    assert (rules, others) == (DELIBERATE_WARNINGS, []), site.warnings
    return site


@contextmanager
def _serving(site: Site) -> Iterator[ServedSite]:
    handler = functools.partial(_QuietHandler, directory=str(site.site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield ServedSite(site.site_dir, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The repo's docs plus the notes in tests/browser/fixtures/, built and served on a random port."""
    with _serving(_build(_project(tmp_path_factory.mktemp("browser-site") / "project"))) as site:
        yield site


# One commit's date: every entry of `dated_site` was added then.
COMMIT_DATE = "2024-03-05T12:00:00+00:00"


@pytest.fixture(scope="session")
def dated_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The same notes committed to a git repository, so entries have dates: the recent page lists them."""
    root = _project(tmp_path_factory.mktemp("browser-site-dated") / "project")
    env = {**os.environ, "GIT_AUTHOR_NAME": "Tester", "GIT_AUTHOR_EMAIL": "tester@example.org",
           "GIT_COMMITTER_NAME": "Tester", "GIT_COMMITTER_EMAIL": "tester@example.org",
           "GIT_AUTHOR_DATE": COMMIT_DATE, "GIT_COMMITTER_DATE": COMMIT_DATE}
    for command in (["init", "-q"], ["add", "-A"], ["-c", "commit.gpgsign=false", "commit", "-q", "-m", "notes"]):
        subprocess.run(["git", *command], cwd=root, env=env, check=True)
    with _serving(_build(root)) as site:
        yield site


# -- the browser ---------------------------------------------------------------------------

def _no_browser(reason: str) -> None:
    if os.environ.get("PAPERNOTES_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and PAPERNOTES_REQUIRE_BROWSER=1 says the browser tests must run", pytrace=False)
    pytest.skip(f"{reason} (CI sets PAPERNOTES_REQUIRE_BROWSER=1)")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _no_browser(f"browser tests need Chromium at {CHROMIUM}, which is absent: `apt-get install chromium`, "
                    "or set PAPERNOTES_CHROMIUM to another Chromium's path")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("browser tests need Playwright for Python (`pip install -r requirements-test.txt`)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Reader:
    """Opens pages and collects what a reader must never see."""

    browser: Any
    site: ServedSite
    pages: list[Any]
    problems: list[str] = field(default_factory=list)
    contexts: list[Any] = field(default_factory=list)
    network: dict[Any, _Network] = field(default_factory=dict)  # per page: its requests in flight

    def new_page(self, **context_options: Any) -> Any:
        context = self.browser.new_context(**context_options)
        self.contexts.append(context)
        # Off-site requests are aborted (the site must work offline) and reported.
        context.route(lambda url: not _is_local(url), self._refuse)
        page = context.new_page()
        network = self.network[page] = _Network()
        page.on("request", network.started)
        page.on("requestfinished", network.ended)
        page.on("requestfailed", network.ended)
        page.on("console", lambda msg: msg.type == "error" and self.problems.append(f"console error: {msg.text} {msg.location}"))
        page.on("pageerror", lambda exc: self.problems.append(f"uncaught exception: {exc}"))
        page.on("requestfailed", self._request_failed)
        page.on("response", lambda resp: resp.status >= 400 and self.problems.append(f"HTTP {resp.status}: {resp.url}"))
        page.on("dialog", self._dialog)
        self.pages.append(page)
        return page

    def visit(self, page: Any, url: str) -> Any:
        """Go to `url`, wait until the network is quiet, and check nothing went wrong."""
        url = url if "://" in url else self.site.url(url)
        response = page.goto(url, wait_until="load")
        self.settle(page, url)
        assert response is not None and response.status == 200, f"{url}: HTTP {response and response.status}"
        self.assert_clean(url)
        return response

    def settle(self, page: Any, where: str) -> None:
        """Wait until nothing has been in flight on `page` for QUIET_SECONDS (module docstring)."""
        network = self.network[page]
        deadline = time.monotonic() + SETTLE_SECONDS
        while network.flying or time.monotonic() - network.last < QUIET_SECONDS:
            assert time.monotonic() < deadline, f"{where}: still loading after {SETTLE_SECONDS} s: {sorted(network.flying.values())}"
            page.wait_for_timeout(25)  # Playwright delivers the page's events meanwhile

    def assert_clean(self, where: str = "") -> None:
        problems, self.problems[:] = list(self.problems), []
        assert problems == [], f"{where}: " + "\n".join(problems)

    def _request_failed(self, request: Any) -> None:
        # ERR_ABORTED is the browser dropping a page's pending loads (search index, favicon)
        # because the reader clicked on to the next page: nothing they ever see.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _refuse(self, route: Any) -> None:
        self.problems.append(f"off-site request: {route.request.url}")
        route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.problems.append(f"JS dialog opened: {dialog.type} {dialog.message!r}")
        dialog.dismiss()


class _Network:
    """A page's requests in flight, and when the last one started or ended."""

    def __init__(self) -> None:
        self.flying: dict[Any, str] = {}  # request -> its URL
        self.last = time.monotonic()

    def started(self, request: Any) -> None:
        self.flying[request] = request.url
        self.last = time.monotonic()

    def ended(self, request: Any) -> None:
        self.flying.pop(request, None)
        self.last = time.monotonic()


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1"


@pytest.fixture
def reader(request: pytest.FixtureRequest, browser: Any, served_site: ServedSite) -> Iterator[Reader]:
    pages: list[Any] = []
    request.node.stash[PAGES_KEY] = pages
    reader = Reader(browser, served_site, pages)
    yield reader
    try:
        # Whatever happened after the test's last check (a late console error, a dialog) still fails it.
        leftover = list(reader.problems)
    finally:
        for context in reader.contexts:
            context.close()
    if leftover:
        pytest.fail("after the test's last check:\n" + "\n".join(leftover), pytrace=False)


@pytest.fixture
def page(reader: Reader) -> Any:
    """A desktop-sized page in the light palette."""
    return reader.new_page(viewport={"width": 1280, "height": 800}, color_scheme="light")


# -- screenshots of failures ---------------------------------------------------------------

@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    report = yield
    pages = item.stash.get(PAGES_KEY, [])
    if report.failed and report.when in ("setup", "call") and pages:
        ARTIFACTS.mkdir(exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "_", item.nodeid.split("/")[-1]).strip("_")
        saved = []
        for i, shown in enumerate(pages):
            if shown.is_closed():
                continue
            path = ARTIFACTS / f"{stem}-{i}.png"
            try:
                shown.screenshot(path=str(path), full_page=True)
            except Exception as exc:  # a crashed page must not hide the test's own failure
                saved.append(f"(no screenshot of page {i}: {exc})")
            else:
                saved.append(str(path))
        report.sections.append(("screenshots", "\n".join(saved)))
        print("\nscreenshots: " + ", ".join(saved))
    return report


# -- accessibility findings below the failing level ----------------------------------------

# The user property (pytest's `user_properties`) under which test_accessibility.py's tests leave the
# moderate and minor findings of their view, as {view: lines}: it travels with the test's report, so
# it reaches the process that prints the run's summary (pytest's own, which under pytest-xdist runs
# no test). tests/conftest.py gathers and prints them: this file is not loaded in that process.
AXE_FINDINGS = "axe_findings"
