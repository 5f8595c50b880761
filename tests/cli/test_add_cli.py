"""`papernotes add` as a contributor runs it: a subprocess, one line per message, no traceback; and the network
used by this command alone, never by a build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from support.addkit import FIXTURES, GENERATION, VISION, make_library
from support.commands import papernotes
from support.paths import NOT_COPIED, REPO


def test_bib_file_added_from_the_command_line(tmp_path: Path) -> None:
    root = make_library(tmp_path / "library", {"vision.md": VISION, "generation.md": GENERATION})
    shutil.copy(FIXTURES / "bib" / "zotero.bib", root / "zotero.bib")
    result = papernotes(root, "add", "--bib", "zotero.bib", "--note", "docs/generation.md", "--section", "Diffusion", "--priority", "1")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "docs/generation.md:11: added 'High-Resolution Image Synthesis with Latent Diffusion Models' under 'Diffusion'",
        "docs/generation.md:14: added 'NeRF: Representing Scenes as Neural Radiance Fields for View Synthesis' under 'Diffusion'",
        "docs/generation.md:17: added 'Deep learning' under 'Diffusion'"]
    lines = (root / "docs" / "generation.md").read_text(encoding="utf-8").splitlines()
    assert lines[10] == "### [!] [arXiv 2022] High-Resolution Image Synthesis with Latent Diffusion Models [[pdf]](https://arxiv.org/abs/2112.10752)"
    assert lines[16] == "### [!] [Nature 2015] Deep learning [[pdf]](https://doi.org/10.1038/nature14539)"
    check = papernotes(root, "check")
    assert (check.returncode, check.stdout) == (0, ""), check.stdout


def test_offline_is_one_line_exit_2_and_nothing_written(tmp_path: Path) -> None:
    """urllib's own path to the network, refused: a proxy on this machine's port 9, where nothing listens."""
    root = make_library(tmp_path / "library", {"vision.md": VISION})
    before = (root / "docs" / "vision.md").read_bytes()
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "https_proxy", "http_proxy", "all_proxy")}
    env.update(https_proxy="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9")
    result = papernotes(root, "add", "https://arxiv.org/abs/2006.11239", "--note", "docs/vision.md", env=env)
    assert result.returncode == 2
    assert result.stderr == ("papernotes add: error: arXiv:2006.11239: cannot reach export.arxiv.org (Connection refused); "
                             "check the network connection and try again\n")
    assert (root / "docs" / "vision.md").read_bytes() == before


def test_a_bad_identifier_is_refused_before_any_request(tmp_path: Path) -> None:
    result = papernotes(tmp_path, "add", "Segment Anything", env={**os.environ, "https_proxy": "http://127.0.0.1:9"})
    assert result.returncode == 2
    assert result.stderr.startswith("papernotes add: error: 'Segment Anything' is neither an arXiv id or URL")
    assert len(result.stderr.splitlines()) == 1


def test_help_lists_the_options(tmp_path: Path) -> None:
    result = papernotes(tmp_path, "add", "--help")
    for option in ("--bib FILE", "--note PATH", "--section NAME", "--priority 0-3", "--tag TAG", "--topic WORD", "--force"):
        assert option in result.stdout


def test_the_network_is_used_by_this_command_only_never_by_a_build(tmp_path: Path) -> None:
    """A build of the repository's own site, and importing every module of `papernotes.add`, under an audit hook that
    fails on any socket: nothing connects, and the build never imports the `add` package."""
    site = tmp_path / "site-src"
    shutil.copytree(REPO, site, ignore=shutil.ignore_patterns(*NOT_COPIED, "tests", "bench"))
    script = textwrap.dedent(f"""
        import sys
        def no_network(event, args):
            if event.startswith(("socket.connect", "socket.getaddrinfo", "socket.gethostbyname")):
                raise RuntimeError("network used: " + event + " " + repr(args))
        sys.addaudithook(no_network)
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        build(load_config(config_file={str(site / "mkdocs.yml")!r}, site_dir={str(tmp_path / "out")!r}))
        assert not [m for m in sys.modules if m.startswith("papernotes.add") or m == "papernotes.cli.add"], "a build imported add"
        import papernotes.add.arxiv, papernotes.add.bib, papernotes.add.crossref, papernotes.add.entries
        import papernotes.add.identifiers, papernotes.add.reconcile, papernotes.add.transport, papernotes.add.venues
        import papernotes.add.writer, papernotes.cli.add
        print("no network")
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=site, env=os.environ, capture_output=True, text=True,
                            encoding="utf-8", timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("no network")
