"""Feeds without a site_url (issue 22, point 9): no feed.xml from `mkdocs build` or `mkdocs serve`,
one notice saying what is not made, why and how to get it, and `papernotes check` and the build
giving the same line for a note's link to `feed.xml` or a tag's feed, with a site_url and without.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from papernotes.mkdocs_plugin.config import PapernotesConfig
from papernotes.mkdocs_plugin.feed_links import NO_SITE_URL
from papernotes.outputs.paths import OutputPaths
from support.sites import build, write_site

SITE_URL = "https://example.org/notes/"
LINKS = ("# Links\n\n[the feed](feed.xml), [CVPR's feed](tags/cvpr/feed.xml), [a topic's](tags/video/feed.xml)\n\n"
         "## Vision\n\n### [!!] [CVPR 2023] One\n_Ada Lovelace_\nTags: #video\n")
NOTES = {"index.md": "# Home\n", "links.md": LINKS, "sub/deeper.md": "# Deeper\n\n[the feed](../feed.xml)\n"}
REASON = "the Atom feeds are made only when mkdocs.yml has a site_url"


def output_paths(feeds: bool, **options: str) -> OutputPaths:
    config = PapernotesConfig()
    config.load_dict(options)
    assert not config.validate()[0]
    return OutputPaths.of(config, feeds=feeds)


@pytest.mark.parametrize("tags_dir", ["tags", "lists/tags"])
def test_without_feeds_no_feed_is_a_generated_path_and_each_says_why(tags_dir):
    without, with_feeds = output_paths(False, tags_dir=tags_dir), output_paths(True, tags_dir=tags_dir)
    for src in ("feed.xml", f"{tags_dir}/cvpr/feed.xml"):
        assert src not in without and REASON in (without.not_made(src) or "")
        assert src in with_feeds and with_feeds.not_made(src) is None
    for src in (f"{tags_dir}/cvpr.md", f"{tags_dir}/index.md", "papers.json"):  # what needs no site_url is made either way
        assert src in without and src in with_feeds and without.not_made(src) is None
    for src in ("notes/feed.xml", f"{tags_dir}/a/b/feed.xml", "feed.xml.md"):  # not where a feed goes
        assert without.not_made(src) is None


@contextmanager
def captured() -> Iterator[list[tuple[int, str]]]:
    """Every record on MkDocs' loggers (the plugin's INFO notice included) while the block runs."""
    records: list[tuple[int, str]] = []

    class Handler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append((record.levelno, record.getMessage().removeprefix("papernotes: ")))  # the plugin logger's prefix

    handler, plugin_logger = Handler(logging.DEBUG), logging.getLogger("mkdocs.plugins.papernotes")
    level = plugin_logger.level
    plugin_logger.setLevel(logging.INFO)
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        yield records
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
        plugin_logger.setLevel(level)


def broken_links(messages: list[tuple[int, str]]) -> list[str]:
    return sorted(m for level, m in messages if level >= logging.WARNING and m.endswith("[broken-link]"))


def check(root: Path) -> list[str]:
    result = subprocess.run([sys.executable, "-m", "papernotes", "check", "--format", "json"], cwd=root, env=os.environ,
                            capture_output=True, text=True, encoding="utf-8", timeout=300, check=False)
    assert "Traceback" not in result.stderr, result.stderr
    return sorted(f"{d['location']}: {d['message']} [broken-link]" if "location" in d else
                  f"{d['path']}:{d['line']}:{d['col']}: {d['message']} [broken-link]"
                  for d in json.loads(result.stdout) if d["code"] == "broken-link")


@pytest.mark.parametrize("site_url", [None, SITE_URL], ids=["no-site-url", "site-url"])
def test_check_and_build_give_the_same_line_for_links_to_feeds(tmp_path, site_url):
    root = write_site(tmp_path / "site", NOTES, config={"site_url": site_url} if site_url else None)
    with captured() as messages:
        site = build(root)
    assert check(root) == broken_links(messages)
    notices = [m for level, m in messages if "site_url" in m and not m.endswith("[broken-link]")]
    if site_url:
        assert broken_links(messages) == [] and notices == []
        assert (site.site_dir / "feed.xml").is_file() and (site.site_dir / "tags" / "cvpr" / "feed.xml").is_file()
    else:
        assert not list(site.site_dir.rglob("feed.xml"))
        shown = broken_links(messages)
        assert [m.split(": ", 1)[0] for m in shown] == ["docs/links.md:3:1", "docs/links.md:3:23", "docs/links.md:3:58",
                                                        "docs/sub/deeper.md:3:1"]
        assert all(REASON in m for m in shown)
        assert notices == [NO_SITE_URL]  # once, at INFO: what is not made, why, and the line that makes it
        assert all(words in NO_SITE_URL for words in ("feed.xml", "not made", "absolute", "set site_url"))


def write_env_site(root: Path) -> Path:
    """A site whose mkdocs.yml reads its site_url from the environment, as this repository's does."""
    write_site(root, NOTES)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "site_url: !ENV [PN_FEED_TEST_SITE_URL]\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("site_url", [None, SITE_URL], ids=["no-site-url", "site-url"])
def test_serve_makes_feeds_exactly_when_the_build_does(tmp_path, monkeypatch, site_url):
    """`mkdocs serve` sets site_url to the preview's address whatever mkdocs.yml says; the feeds
    follow mkdocs.yml, so a link to feed.xml is broken in the preview exactly when in the build."""
    from support.serving import SERVE_URL, ServeLike

    if site_url:
        monkeypatch.setenv("PN_FEED_TEST_SITE_URL", site_url)
    else:
        monkeypatch.delenv("PN_FEED_TEST_SITE_URL", raising=False)
    root = write_env_site(tmp_path / "site")
    with captured() as built:
        build(root, site_dir=str(tmp_path / "built"))
    serve = ServeLike(root / "mkdocs.yml", tmp_path / "served")
    try:  # read while serve runs: once it stops, its site_dir is let go (serve/warm_start.py)
        with captured() as served:
            serve.rebuild()
        assert broken_links(served) == broken_links(built) == check(root)
        assert (tmp_path / "served" / "feed.xml").is_file() == (tmp_path / "built" / "feed.xml").is_file() == bool(site_url)
        if site_url:
            assert f"<id>{SERVE_URL}feed.xml</id>" in (tmp_path / "served" / "feed.xml").read_text(encoding="utf-8")  # the preview's
        else:
            assert [m for _, m in served if m == NO_SITE_URL] == [NO_SITE_URL]
    finally:
        serve.close()


def test_serve_replaces_site_url_and_mkdocs_yaml_loader_reads_the_file_as_written(tmp_path, monkeypatch):
    """What `feed_links.feed_site_url` relies on: `mkdocs serve` overwrites site_url before every build
    (so the config cannot tell), and MkDocs' own loader reads mkdocs.yml's `!ENV` as `load_config` does."""
    import inspect

    from mkdocs.commands import serve
    from mkdocs.config import load_config
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    source = inspect.getsource(serve.serve)
    assert "config.site_url = serve_url" in source and "on_startup(command=" in source, "mkdocs serve changed how it sets site_url"
    root = write_env_site(tmp_path / "site")
    for value in (None, SITE_URL):
        if value:
            monkeypatch.setenv("PN_FEED_TEST_SITE_URL", value)
        else:
            monkeypatch.delenv("PN_FEED_TEST_SITE_URL", raising=False)
        config = load_config(config_file=str(root / "mkdocs.yml"))
        with open(root / "mkdocs.yml", "rb") as fh:
            assert yaml_load(fh, get_yaml_loader(config=config)).get("site_url") == config.site_url == value
