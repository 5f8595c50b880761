"""Build the reference sites whose bytes a behaviour-preserving change must not alter.

    python bench/same_output.py --out /tmp/before      # at the commit before the change
    python bench/same_output.py --out /tmp/after       # after it
    diff -r /tmp/before /tmp/after                     # empty: not one byte of output changed

Four sites, each built by `mkdocs build` in a fresh interpreter with SOURCE_DATE_EPOCH fixed:

* `repo`: this repository's own site (its notes dated by this repository's git history), with
  a site_url so the feeds are made;
* `bench-1x`: the benchmark's 1x generated library (bench/benchmark.py, 400 entries);
* `every-page`: a small library in a git repository of its own with dated commits, made to
  hold every page and file type: must-read, tags, authors, explorer with static pages 2..n,
  stats, recently added, feeds, exports, BibTeX, a macros page, figures (present and
  missing), broken links, CJK, aliases, an unreadable note;
* `every-page-flat`: the same with `use_directory_urls: false`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from benchmark import MARKDOWN_EXTENSIONS, PNG_1X1, generate, write_project  # noqa: E402

EPOCH = "1700000000"
SITE_URL = "https://example.org/notes/"

EDGE_NOTE = """\
# Edge cases

Links to [the explorer](papers.md), [stats](stats.md) and [a note that is not there](missing.md).

## 中文

### [!!!] [CVPR 2023] [清华大学] 标题 生成 [[pdf]](https://arxiv.org/abs/2301.00001) [[code]](https://github.com/a/b)
_李 伟, José Lezama, David Ross_
- a figure that exists: ![fig](../assets/fig_ok.png)
- one that does not: ![gone](../assets/fig_gone.png)

### [!!] [NeurIPS 2022 Oral] [Google Research] Same Paper, Two Venues [[pdf]](https://arxiv.org/abs/2202.00002)
_David A Ross, A. Radford_

### [NIPS 2021] An Old Spelling of a Venue [[pdf]](https://arxiv.org/abs/2102.00003)
_Alec Radford1, Kaiming He_

### [CVPR 2019 Workshop] [ECCV 2022 Workshop] Workshop Paper [[pdf]]()
_Kaiming HE_

### [!] [arXiv 2024] A Title That Is Long Enough To Wrap On A Phone Screen, Going On And On About Diffusion Models And Their Many Uses In Vision [[pdf]](https://arxiv.org/abs/2401.00004)

## Robotics

### [ICRA 2020] Robots [[pdf]](https://example.org/robots.pdf) [[link]](#中文)
_Kaiming He, 李 伟_
"""

MACROS_PAGE = """\
---
render_macros: true
---
# Queries

{{ papers(author="Kaiming He") }}

{{ papers(tag="CVPR") }}

There are {{ paper_count }} papers.
"""

ALIASES = """\
authors:
  Alec Radford:
    aliases: [A. Radford, Alec Radford1]
  David A. Ross: [David Ross, David A Ross]
tags:
  NeurIPS: [NIPS]
"""

CONFIG = """\
site_name: Every page
site_url: {site_url}
use_directory_urls: {directory_urls}
theme:
  name: material
  font: false
  features: [search.highlight, navigation.top, toc.follow, navigation.prune, content.action.edit]
repo_url: https://github.com/owner/notes
edit_uri: edit/main/docs/
plugins:
  - search
  - macros:
      render_by_default: false
  - papernotes:
      aliases: aliases.yml
  - glightbox:
      auto_caption: true
markdown_extensions:
""" + MARKDOWN_EXTENSIONS + "  - papernotes.extensions.lazy_images\n"


def _git(repo: Path, *args: str, date: str | None = None) -> None:
    env = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(repo), "GIT_CONFIG_NOSYSTEM": "1", "PATH": os.environ["PATH"]}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def write_every_page(root: Path, *, directory_urls: bool) -> None:
    """A git repository whose notes arrive over three dated commits (recent page, feeds, dates)."""
    if root.exists():
        shutil.rmtree(root)
    docs = root / "docs"
    docs.mkdir(parents=True)
    (root / "assets").mkdir()
    (root / "assets" / "fig_ok.png").write_bytes(PNG_1X1)
    (root / "aliases.yml").write_text(ALIASES, encoding="utf-8")
    (root / "mkdocs.yml").write_text(CONFIG.format(site_url=SITE_URL, directory_urls=str(directory_urls).lower()), encoding="utf-8")
    _git(root, "init", "-q", "-b", "main")
    lib = generate(0.6, 7)  # 240 entries: the explorer has a static page 2
    notes = sorted(lib.notes)
    (docs / "index.md").write_text("# Every page\n\nA home page of its own.\n", encoding="utf-8")
    for name in notes[: len(notes) // 2]:
        (docs / name).write_text(lib.notes[name], encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "first notes", date="2024-01-15T10:00:00+00:00")
    for name in notes[len(notes) // 2:]:
        (docs / name).write_text(lib.notes[name], encoding="utf-8")
    shutil.copy(REPO / "docs" / "blog_generative_models.md", docs / "seed.md")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "more notes", date="2024-03-02T10:00:00+00:00")
    (docs / "edge.md").write_text(EDGE_NOTE, encoding="utf-8")
    (docs / "queries.md").write_text(MACROS_PAGE, encoding="utf-8")
    (docs / "binary.md").write_bytes(b"\x00\x01\x02 not text")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "edge cases", date="2024-06-20T10:00:00+00:00")


def build(config: Path, site_dir: Path, env: dict[str, str] | None = None) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "plugins"), os.environ.get("PYTHONPATH")])), **(env or {})}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site_dir)],
                          check=False, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"building {config} failed:\n{done.stderr}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the four sites (emptied first)")
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    work = out.parent / f".{out.name}-sources"
    if work.exists():
        shutil.rmtree(work)

    build(REPO / "mkdocs.yml", out / "repo", {"SITE_URL": SITE_URL})
    write_project(work / "bench-1x", generate(1, 2024))
    build(work / "bench-1x" / "mkdocs-plugin.yml", out / "bench-1x")
    for name, directory_urls in (("every-page", True), ("every-page-flat", False)):
        write_every_page(work / name, directory_urls=directory_urls)
        build(work / name / "mkdocs.yml", out / name)
    shutil.rmtree(work)
    for site in sorted(out.iterdir()):
        files = sum(1 for p in site.rglob("*") if p.is_file())
        print(f"{site.name:16} {files:6} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
