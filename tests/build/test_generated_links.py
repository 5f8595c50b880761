"""A link to a generated page or file gets the same answer from `papernotes check` as from `mkdocs build --strict`.

The check knows where the plugin puts its outputs from mkdocs.yml alone (`outputs/paths.py`),
the build from the outputs the registry declares; the declarations put them at those same
paths. The feeds need a site_url: without one there is no feed.xml for either, with one there
is, even before any entry is dated (these sites are not git repositories).
"""

from __future__ import annotations

import json
import logging

import pytest
from mkdocs.exceptions import Abort
from papernotes.index.library import Library, LibraryOptions
from papernotes.mkdocs_plugin.config import PapernotesConfig
from papernotes.notes.grammar import parse
from papernotes.outputs import registry
from papernotes.outputs.paths import OutputPaths
from papernotes.render.views import Renderer
from support.commands import papernotes
from support.sites import build, write_site

TARGETS = ("recent.md", "feed.xml", "papers.md", "stats.md")
NOTE = ("# Links\n\n" + " ".join(f"[{t}]({t})" for t in TARGETS) + "\n\n"
        "## Vision\n\n### [!!] [CVPR 2023] One #video\n_Ada Lovelace, Bo Xu_\n")


def _named(messages: list[str]) -> set[str]:
    return {t for m in messages for t in TARGETS if f"'{t}'" in m}


@pytest.mark.parametrize(("site_url", "plugin", "broken"), [
    (None, {}, {"feed.xml"}),
    ("https://example.org/notes/", {}, set()),
    ("https://example.org/notes/", {"recent": False, "explorer": "all/index.md", "stats": "./stats.md"}, {"recent.md", "papers.md"}),
], ids=["no-site-url", "site-url", "options"])
def test_check_and_strict_build_agree_on_links_to_generated_paths(tmp_path, site_url, plugin, broken):
    root = write_site(tmp_path / "site", {"index.md": "# Home\n", "note.md": NOTE},
                      plugin=plugin, config={"site_url": site_url} if site_url else None)
    checked = papernotes(root, "check", "--format", "json", "--strict")
    found = json.loads(checked.stdout)
    assert _named([d["message"] for d in found if d["code"] == "broken-link"]) == broken

    site = build(root)
    warnings = [m for level, m in site.messages if level >= logging.WARNING]
    assert _named(warnings) == broken
    assert (root / "site" / "feed.xml").is_file() == ("feed.xml" not in broken)
    # --strict: the build fails exactly when the check does.
    assert checked.returncode == (1 if found else 0)
    if found:
        with pytest.raises(Abort):
            build(root, strict=True)
    else:
        assert not warnings
        build(root, strict=True)


def test_the_registry_puts_every_output_where_the_paths_say():
    """What `papernotes check` knows of the outputs (`OutputPaths`) is what the registry makes of a library."""
    doc = parse(NOTE, "note.md")
    library = Library([doc], {"note.md": "note/"}, LibraryOptions())
    config = PapernotesConfig()
    config.load_dict({})
    assert not config.validate()[0]
    for feeds in ({}, {"feed.xml": "", "tags/cvpr/feed.xml": "", "tags/video/feed.xml": ""}):
        context = registry.BuildContext(library, Renderer(library), config, feeds=feeds)
        made = [o.src for o in registry.outputs(context)]
        paths = OutputPaths.of(config, feeds=bool(feeds))
        assert all(src in paths for src in made)
        assert [src for src in made if src in paths.files()] == paths.files()  # each fixed path made, in the registry's order
        assert "tags/cvpr.md" in made and "papers/2.md" in paths and "papers/1.md" not in paths and "papers/x.md" not in paths
