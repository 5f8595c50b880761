"""`mkdocs serve` for real: edit a note while it serves and watch the generated pages follow.

No browser needed: the served pages are read over HTTP with urllib.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from support.serving import free_port, http_get, stop, wait_until
from support.sites import write_site

STARTUP_SECONDS = 60
REBUILD_SECONDS = 60

BEFORE = """\
# Served notes

## Vision

### [!!] [CVPR 2023] Keeper Entry Stays
_Steady Author, Shared Person_

### [ICCV 2021] Doomed Entry Goes Away
_Vanishing Onlyhere, Shared Person_
- Its author appears nowhere else, so their page must go with it.
"""

AFTER = """\
# Served notes

## Vision

### [!!] [CVPR 2023] Keeper Entry Stays
_Steady Author, Shared Person_

### [!!!] [CVPR 2023] Fresh Entry Arrives
_Newcomer Freshname, Shared Person_
"""


# A second edit in the same process (the rebuild cache has pages from two builds by now): an
# author added to a kept entry, and the last paper of Newcomer Freshname removed.
THIRD = """\
# Served notes

## Vision

### [!!] [CVPR 2023] Keeper Entry Stays
_Steady Author, Shared Person, Late Arrival_
"""


@contextmanager
def _mkdocs_serve(root: Path) -> Iterator[str]:
    port = free_port()
    log = root / "serve.log"
    with log.open("w", encoding="utf-8") as out:
        command = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f", str(root / "mkdocs.yml")]
        proc = subprocess.Popen(command, cwd=root, env=os.environ, stdout=out, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}/"

            def not_up() -> list[str]:
                if proc.poll() is not None:
                    pytest.fail(f"mkdocs serve exited with {proc.returncode}:\n{log.read_text(encoding='utf-8')}")
                return [] if http_get(base + "authors.json")[0] == 200 else ["authors.json not served yet"]

            wait_until("mkdocs serve starts", not_up, STARTUP_SECONDS, log)
            yield base
        finally:
            stop(proc, signal.SIGTERM, 10)


@pytest.mark.parametrize("use_directory_urls", [True, False], ids=["directory-urls", "file-urls"])
def test_served_pages_follow_an_edited_note(tmp_path: Path, use_directory_urls: bool):
    root = write_site(tmp_path / "served", {"index.md": "# Home\n", "notes.md": BEFORE},
                      config={"use_directory_urls": use_directory_urls})
    note = root / "docs" / "notes.md"
    log = root / "serve.log"

    with _mkdocs_serve(root) as base:
        def records(name: str) -> dict[str, dict]:
            """The JSON export by name; empty while a rebuild has it missing or half written."""
            status, text = http_get(base + name)
            try:
                return {r["name"]: r for r in json.loads(text)} if status == 200 else {}
            except json.JSONDecodeError:
                return {}

        authors, tags = records("authors.json"), records("tags.json")
        assert authors and tags, "the JSON exports are not served"
        vanishing_url, shared_url = base + authors["Vanishing Onlyhere"]["url"], base + authors["Shared Person"]["url"]
        iccv_url, cvpr_url = base + tags["ICCV"]["url"], base + tags["CVPR"]["url"]
        assert http_get(vanishing_url)[0] == 200 and "Doomed Entry Goes Away" in http_get(vanishing_url)[1]
        assert http_get(iccv_url)[0] == 200
        assert "Newcomer Freshname" not in authors

        note.write_text(AFTER, encoding="utf-8")

        def unmet() -> list[str]:
            problems = []
            newcomer = records("authors.json").get("Newcomer Freshname")
            if not newcomer or not newcomer["url"]:
                return ["authors.json has no page for Newcomer Freshname"]
            status, html = http_get(base + newcomer["url"])
            if status != 200 or html.count("Fresh Entry Arrives") != 1:
                problems.append(f"new author page {newcomer['url']}: HTTP {status}, not listing the new entry once")
            status, html = http_get(cvpr_url)
            if html.count("Fresh Entry Arrives") != 1 or html.count("Keeper Entry Stays") != 1:
                problems.append(f"CVPR tag page (HTTP {status}) does not show the new entry once beside the kept one")
            status, html = http_get(shared_url)
            if "Fresh Entry Arrives" not in html or "Doomed Entry Goes Away" in html:
                problems.append(f"shared author's page (HTTP {status}) is stale")
            for gone, url in (("removed author's page", vanishing_url), ("removed venue's tag page", iccv_url)):
                status, _ = http_get(url)
                if status != 404:
                    problems.append(f"{gone} {url}: HTTP {status}, expected 404")
            index_status, index = http_get(base + ("authors/" if use_directory_urls else "authors/index.html"))
            if index_status != 200 or "Vanishing Onlyhere" in index or "Newcomer Freshname" not in index:
                problems.append(f"author index (HTTP {index_status}) is stale")
            return problems

        wait_until("served pages reflect the edited note", unmet, REBUILD_SECONDS, log)

        newcomer_url = base + records("authors.json")["Newcomer Freshname"]["url"]
        note.write_text(THIRD, encoding="utf-8")

        def third_unmet() -> list[str]:
            problems = []
            late = records("authors.json").get("Late Arrival")
            if not late or not late["url"]:
                return ["authors.json has no page for Late Arrival"]
            status, html = http_get(base + late["url"])
            if status != 200 or "Keeper Entry Stays" not in html:
                problems.append(f"added author's page {late['url']}: HTTP {status}, not listing the entry")
            status, _ = http_get(newcomer_url)
            if status != 404:
                problems.append(f"page of an author whose last paper went {newcomer_url}: HTTP {status}, expected 404")
            status, html = http_get(shared_url)
            if "Fresh Entry Arrives" in html or "Late Arrival" not in html:
                problems.append(f"shared author's page (HTTP {status}) is stale")
            return problems

        wait_until("served pages reflect the second edit", third_unmet, REBUILD_SECONDS, log)
