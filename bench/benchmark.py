"""Build-time benchmark of the papernotes plugin (issue 3, "Done when", third bullet).

Not a test: it prints figures, it asserts nothing. For each scale (1x = a 400-entry
library) it generates the same synthetic notes, deterministically from `--seed`, and
builds them with MkDocs + Material in fresh subprocesses, three ways:

* plugin: the notes with the papernotes plugin (notes rendered, tag/author/must-read
  pages generated, JSON exports);
* plain:  the same notes without the plugin (no generated pages);
* hand:   no plugin, but every page the plugin build produced is written out as a
  hand-written Markdown file (the rendered notes, every generated page, the CSS and
  JSON), with the same nav and the per-tag/per-author pages kept out of it through
  `not_in_nav`. This is "the same site, written by hand".

A generated page costs (t_plugin - t_plain) / generated pages, a hand-written one
(t_hand - t_plain) / generated pages: the ratio is the price of generating a page
instead of writing it. The plugin's own work is its parse (grammar.parse) and index
(Library) time, the figure the issue asks for; its share of the build is checked against
5%. Page rendering is already in the page cost above, but the table also gives the time
spent in all the plugin's hooks (`on_*` methods wrapped with timers in the child: parse,
index, rendering notes and generated pages, exports) and its share, the stricter reading.

Times are CPU seconds (user + system) of the child process around `load_config` +
`build`, and of the plugin's hooks: the machine may be shared, and CPU time is far
less disturbed by other processes than wall time (reported too, in results.json).
Each variant is built `--repeat` times and the fastest run counts.

Usage:
    python bench/benchmark.py                      # scales 1,4,16, 3 runs each (min taken)
    python bench/benchmark.py --scales 1,4,16 --repeat 2,2,1   # fewer runs of the slow 16x builds
    python bench/benchmark.py --quick              # 100-entry base library, one run: a smoke test

Each run writes its sites and a results.json under `--out` (default: a temp folder).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parent.parent
BASE_ENTRIES = 400
TARGET_PAGE_RATIO = 1.1
TARGET_BUILD_RATIO = 1.0  # issue 10: a build with the plugin costs no more than the hand-written site
TARGET_SHARE = 0.05
# 16x the notes may take at most 17x the time (scaled the same way for other scale pairs).
TARGET_SCALING_SLACK = 17 / 16

# -- synthetic notes -------------------------------------------------------------------------


T = TypeVar("T")

def _words(text: str) -> list[str]:
    return text.split()


FIRST_NAMES = _words("""Alec Alexander Andreas Anja Bo Bryan Chao Chen Chloe Dan David Eric Fei Gabriel Golnaz Hanzi Hassan Huisheng
Ilya Irfan Jiahui Jonathan José Josh Kaiming Kihyuk Krishna Lijun Liang Lucas Maciej Mark Meera Ming Mikhail
Nikhila Piotr Quoc Rachel Robin Ross Saining Sergey Shuang Stanisław Tete Tim Tianyi Varun Vikram Wei Xiaolong
Xiuye Yair Yann Yi Yin Yinfei Yong Yuki Zhen Zion Ananya Björn Céline Dmitry Elena Fatima François Grace
Hiroshi Ingrid Jakub Kenji Laura Marta Nadia Olga Pablo Priya Rui Sofia Tomás Ulrike Wen Xin Yusuf Zoë Ahmed
Beatriz Carlos Daniela Emre Farid Gustavo Helena Ivan Jun Karim Leila Mateo Noor Oscar""")
FAMILY_NAMES = _words("""Akbari Askell Berg Black Blattmann Brown Chen Cheng Chiu Cui Dollár Dockhorn Essa Gong Girshick Goh Gu Gupta
Hahn Hauth He Huang Jampani Jia Jiang Kilian Kim Kirillov Kondratyuk Kulal Kuo Lezama Li Liang Lin Liu Lorenz
Ma Mao Minnen Müller Ng Parekh Pham Radford Ramesh Rashwan Ravi Rombach Ross Schmidt Seybold Sohn Sutskever
Tan Voleti Wang Whitehead Woźniak Xia Xiao Xie Xu Yang Yu Zhang Zhao Zhou Zhu Abe Bauer Costa Dubois Eriksson
Fischer García Hansen Ito Jensen Kowalski Lambert Moreau Nakamura Olsen Petrov Quinn Rossi Silva Tanaka Ueda
Vargas Weber Yamamoto Zanetti Öztürk Ångström Nguyen Park Kaur Singh Sharma Patel Hoang Tran""")
VENUES = ["CVPR", "NeurIPS", "ICCV", "ICLR", "ECCV", "ICML", "arXiv", "SIGGRAPH", "AAAI", "TPAMI",
          "SIGGRAPH Asia", "ACL", "EMNLP", "WACV", "3DV", "BMVC", "TOG", "CoRL", "ICRA", "RSS"]
ORGS = ["OpenAI", "Google Research", "Meta AI", "DeepMind", "NVIDIA", "Microsoft Research", "Stability AI",
        "Apple", "Adobe", "ByteDance", "Alibaba", "Tencent", "Baidu", "Anthropic", "Allen AI", "Hugging Face",
        "Runway", "Midjourney", "Snap", "Samsung", "Sony", "IBM Research", "Amazon", "Salesforce", "EleutherAI"]
TOPICS = ["Diffusion models", "Video generation", "Vision-language models", "Segmentation", "3D reconstruction",
          "Neural rendering", "Self-supervised learning", "Large language models", "Reinforcement learning",
          "Object detection", "Pose estimation", "Image editing", "Speech", "Robotics", "Efficient inference",
          "Mixture of experts", "Tokenizers", "Datasets and benchmarks", "Alignment", "Retrieval"]
TOPIC_TAGS = ["video", "diffusion", "3d", "nerf", "gaussian-splatting", "llm", "vit", "clip", "rlhf", "moe",
              "distillation", "tokenizer", "dataset", "benchmark", "segmentation", "detection", "audio"]
WORDS = _words("""model training data video image text diffusion transformer attention token scale latent prior encoder decoder
loss objective benchmark results baseline ablation pretraining finetuning contrastive masked representation
generation segmentation zero-shot multimodal efficient sparse dense resolution temporal spatial quality
dataset evaluation inference distillation alignment retrieval reasoning""")
PNG_1X1 = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@dataclass
class Library:
    """What was generated: note files and the counts the table reports."""

    notes: dict[str, str] = field(default_factory=dict)
    figures: list[str] = field(default_factory=list)
    entries: int = 0
    authors: int = 0


class _Names:
    """New authors are made up; reused ones are drawn by preferential attachment (long tail)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[str] = set()
        self.occurrences: list[str] = []  # one item per (author, entry): picking from it favours prolific authors

    def new(self) -> str:
        rng = self.rng
        while True:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(FAMILY_NAMES)}"
            if rng.random() < 0.25:
                name = f"{rng.choice(FIRST_NAMES)} {chr(65 + rng.randrange(26))}. {name.split()[1]}"
            if name in self.seen:
                name = f"{name.split()[0]} {rng.choice(FAMILY_NAMES)}-{rng.choice(FAMILY_NAMES)}"
            if name not in self.seen:
                self.seen.add(name)
                return name

    def reused(self) -> str | None:
        return self.rng.choice(self.occurrences) if self.occurrences else None

    def entry_authors(self) -> list[str]:
        rng = self.rng
        if rng.random() < 0.01:  # a big-team paper
            fresh, reuse = rng.randint(10, 25), rng.randint(5, 15)
        else:
            fresh, reuse = rng.choice((1, 2, 3, 3, 3, 4, 5)), rng.choice((0, 1, 1, 2, 2, 3, 4))
        names = [self.new() for _ in range(fresh)]
        for _ in range(reuse):
            name = self.reused()
            if name and name not in names:
                names.insert(rng.randrange(len(names) + 1), name)
        self.occurrences.extend(names)
        return names


def _weighted(rng: random.Random, items: list[str], skew: float = 1.0) -> str:
    """Zipf-like pick: the first items are the common ones."""
    weights = [1 / (i + 1) ** skew for i in range(len(items))]
    return rng.choices(items, weights)[0]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 30))]
    return " ".join(words).capitalize() + "."


def _entry(rng: random.Random, names: _Names, n: int, figures: list[str]) -> str:
    roll = rng.random()
    priority = "[!!!] " if roll < 0.1 else "[!!] " if roll < 0.2 else "[!] " if roll < 0.3 else ""
    tags = []
    roll = rng.random()
    if roll < 0.75:
        year = 2025 - min(10, int(rng.expovariate(0.35)))
        venue = _weighted(rng, VENUES)
        tags.append(f"[{venue.upper() if rng.random() < 0.03 else venue} {year}]")  # some case variants
    elif roll < 0.8:
        tags.append(f"[{rng.randint(2015, 2025)}]")
    if rng.random() < 0.3:
        tags.append(f"[{_weighted(rng, ORGS)}]")
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9))).title()
    title = f"{title.split()[0]}-{n}: {title}"
    links = []
    if rng.random() < 0.9:
        links.append(f"[[pdf]](https://arxiv.org/abs/{rng.randint(1501, 2512)}.{rng.randint(10000, 99999)})")
    if rng.random() < 0.4:
        links.append(f"[[code]](https://github.com/example/{title.split(':')[0].lower()})")
    if rng.random() < 0.15:
        links.append(f"[[project]](https://example.org/p/{n})")
    lines = [f"### {priority}{' '.join(tags)}{' ' if tags else ''}{title} {' '.join(links)}".rstrip(),
             "_" + ", ".join(names.entry_authors()) + "_"]
    if rng.random() < 0.3:
        lines.append("Tags: " + " ".join("#" + t for t in rng.sample(TOPIC_TAGS, rng.randint(1, 3))))
    lines += [f"- {_sentence(rng)}" for _ in range(rng.randint(1, 5))]
    if rng.random() < 0.03:
        figure = f"fig_bench/{len(figures) + 1}.png"
        figures.append(figure)
        lines.append(f"- ![](../assets/{figure})")
    return "\n".join(lines)


def generate(scale: float, seed: int, base_entries: int = BASE_ENTRIES) -> Library:
    """`scale` x `base_entries` entries over about 8*sqrt(scale) notes of 3-6 `##` sections each."""
    rng = random.Random(f"{seed}:{scale}")
    names = _Names(rng)
    lib = Library()
    total = round(base_entries * scale)
    n_notes = max(2, round(8 * math.sqrt(scale) * base_entries / BASE_ENTRIES))
    per_note = [total // n_notes + (1 if i < total % n_notes else 0) for i in range(n_notes)]
    n = 0
    for i, count in enumerate(per_note):
        sections = rng.sample(TOPICS, rng.randint(3, 6))
        title = f"Reading notes {i + 1}: {sections[0].lower()}"
        parts = [f"# {title}", "Papers read, newest first within each topic."]
        cuts = sorted(rng.sample(range(1, count), len(sections) - 1)) if count > len(sections) else []
        bounds = list(zip([0, *cuts], [*cuts, count], strict=True))
        for section, (lo, hi) in zip(sections, bounds, strict=False):
            parts.append(f"## {section}")
            for _ in range(lo, hi):
                n += 1
                parts.append(_entry(rng, names, n, lib.figures))
        lib.notes[f"notes_{i + 1:03d}.md"] = "\n\n".join(parts) + "\n"
    lib.entries = n
    lib.authors = len(names.seen)
    return lib


MKDOCS_BASE = """\
site_name: Benchmark notes
docs_dir: {docs_dir}
site_dir: {site_dir}
theme:
  name: material
  font: false
  features: [search.highlight, navigation.top, toc.follow, navigation.prune]  # as the repository's mkdocs.yml
markdown_extensions:
"""
# The repository's Markdown extensions (a `str.format` template, as the configs are), the
# plugin's own `lazy_images` aside.
MARKDOWN_EXTENSIONS = """\
  - toc:
      permalink: true
      slugify: !!python/object/apply:pymdownx.slugs.slugify {{ kwds: {{ case: lower }} }}
  - attr_list
  - md_in_html
  - admonition
  - tables
  - pymdownx.superfences
  - pymdownx.details
"""
MKDOCS_BASE += MARKDOWN_EXTENSIONS


def write_project(root: Path, lib: Library) -> None:
    """The notes site: docs/, assets/, aliases.yml and one mkdocs config per variant."""
    if root.exists():
        shutil.rmtree(root)
    (root / "docs").mkdir(parents=True)
    notes = sorted(lib.notes)
    (root / "docs" / "index.md").write_text(
        "# Benchmark notes\n\n" + "\n".join(f"- [{n}]({n})" for n in notes) + "\n", encoding="utf-8")
    for name, text in lib.notes.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    for figure in lib.figures:
        path = root / "assets" / figure
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(PNG_1X1)
    (root / "aliases.yml").write_text(
        "authors:\n  Alec Radford:\n    aliases: [A. Radford, Alec Radford1]\ntags:\n  NeurIPS: [NIPS]\n", encoding="utf-8")
    base = MKDOCS_BASE.format(docs_dir="docs", site_dir="site-{variant}")
    (root / "mkdocs-plugin.yml").write_text(
        base.replace("{variant}", "plugin") + "plugins:\n  - search\n  - papernotes:\n      aliases: aliases.yml\n",
        encoding="utf-8")
    (root / "mkdocs-plain.yml").write_text(
        base.replace("{variant}", "plain") + "plugins:\n  - search\n", encoding="utf-8")


def write_hand_project(root: Path, dump: Path, lib: Library) -> None:
    """The plugin build's output pages as hand-written Markdown, same nav, per-page indexes out of it."""
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(dump, root / "docs")
    nav = ["  - Home: index.md", "  - Notes:", *(f"    - {n}" for n in sorted(lib.notes))]  # as the plugin lays it out
    nav += ["  - Must-read: must-read.md", "  - Tags: tags/index.md", "  - Authors: authors/index.md"]
    config = MKDOCS_BASE.format(docs_dir="docs", site_dir="site-hand") + (
        "plugins:\n  - search\nextra_css: [papernotes/papernotes.css]\n"
        "not_in_nav: |\n  /tags/*.md\n  !/tags/index.md\n  /authors/*.md\n  !/authors/index.md\n"
        "nav:\n" + "\n".join(nav) + "\n")
    (root / "mkdocs-hand.yml").write_text(config, encoding="utf-8")


# -- the child: one build in a fresh interpreter --------------------------------------------------


def child(config_file: str, result_file: str, dump: str | None) -> None:
    """Build once; write timings, page counts and peak memory as JSON."""
    import gc
    import logging
    import resource

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    timers: dict[str, float] = {"hooks": 0.0, "parse": 0.0, "index": 0.0, "gc": 0.0, "gc_in_hooks": 0.0}
    gc_start = [0.0]
    in_hook = [0]

    def gc_timer(phase: str, info: dict) -> None:
        if phase == "start":
            gc_start[0] = time.process_time()
        else:
            spent = time.process_time() - gc_start[0]
            timers["gc"] += spent
            if in_hook[0]:  # a collection the plugin's allocations set off, paid inside its hooks
                timers["gc_in_hooks"] += spent

    gc.callbacks.append(gc_timer)
    rendered: dict[str, str] = {}
    warnings = [0]

    class Count(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            warnings[0] += 1

    logging.getLogger("mkdocs").addHandler(Count(logging.WARNING))

    per_hook: dict[str, float] = {}

    def timed(fn, key):
        def wrapper(*args, **kwargs):
            start = time.process_time()
            in_hook[0] += key == "hooks"
            try:
                return fn(*args, **kwargs)
            finally:
                in_hook[0] -= key == "hooks"
                spent = time.process_time() - start
                timers[key] += spent
                if key == "hooks":
                    per_hook[fn.__name__] = per_hook.get(fn.__name__, 0.0) + spent
        wrapper.__dict__.update(fn.__dict__)  # keeps mkdocs_priority and the like
        return wrapper

    # Wrapped whether or not this config uses the plugin: unused hooks cost nothing.
    from mkdocs.plugins import CombinedEvent
    from papernotes.index import library as pn_library
    from papernotes.mkdocs_plugin import note_pages as pn_note_pages
    from papernotes.mkdocs_plugin import plugin as pn_plugin
    from papernotes.mkdocs_plugin import reading as pn_reading

    plugin_cls = pn_plugin.PapernotesPlugin
    for name, fn in list(vars(plugin_cls).items()):
        if name.startswith("on_") and isinstance(fn, CombinedEvent):  # several handlers, each timed
            setattr(plugin_cls, name, CombinedEvent(*[timed(method, "hooks") for method in fn.methods]))
        elif name.startswith("on_") and callable(fn):
            setattr(plugin_cls, name, timed(fn, "hooks"))
    for module in (pn_reading, pn_note_pages):  # a note parsed in on_files, or again if a plugin changed it
        module.parse = timed(module.parse, "parse")
    pn_library.Library.__init__ = timed(pn_library.Library.__init__, "index")
    built_files: list = []  # the build's own Files, generated ones included, for the dump
    if dump:
        markdown_hook, files_hook = plugin_cls.on_page_markdown, plugin_cls.on_files

        def record(self, markdown, *, page, config, files):
            out = markdown_hook(self, markdown, page=page, config=config, files=files)
            rendered[page.file.src_uri] = markdown if out is None else out
            return out

        def keep_files(self, files, *, config):
            files = files_hook(self, files, config=config)
            built_files.append(files)
            return files

        record.__dict__.update(markdown_hook.__dict__)
        keep_files.__dict__.update(files_hook.__dict__)
        plugin_cls.on_page_markdown, plugin_cls.on_files = record, keep_files

    start, cpu = time.perf_counter(), time.process_time()
    config = load_config(config_file=config_file)
    build(config)
    wall, seconds = time.perf_counter() - start, time.process_time() - cpu
    site = Path(config.site_dir)
    pages = sum(1 for p in site.rglob("*.html") if p.name != "404.html")
    result = {"seconds": seconds, "wall": wall, "pages": pages, "warnings": warnings[0],
              "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, **timers, "per_hook": dict(per_hook)}
    if "papernotes" in config.plugins:
        lib = config.plugins["papernotes"].build.library
        result.update(authors=len(lib.authors), author_pages=sum(1 for a in lib.authors.values() if a.url),
                      tags=len(lib.tags), entries=len(lib.entries))
    if dump:
        _dump_site_sources(config, built_files[-1], rendered, Path(dump))
    Path(result_file).write_text(json.dumps(result), encoding="utf-8")


def _dump_site_sources(config, files, rendered: dict[str, str], out: Path) -> None:
    """Every page of the plugin build as the Markdown MkDocs rendered, plus static files it added."""
    plugin = config.plugins["papernotes"]
    for file in files:
        if not (file.is_documentation_page() or file.generated_by or file.src_uri.startswith("assets/")):
            continue  # theme files and the like: the hand-written site gets them from the theme
        target = out / file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if file.is_documentation_page():
            generated = plugin.build.generated.get(file.src_uri)
            # A generated page written by hand: its title and its body (raw HTML) in one Markdown file.
            text = generated.as_markdown() if generated is not None else rendered.get(file.src_uri)
            target.write_text(text if text is not None else file.content_string, encoding="utf-8")
        else:
            target.write_bytes(file.content_bytes)


# -- the parent: generate, run children, print the table --------------------------------------


def run_child(config_file: Path, work: Path, dump: Path | None = None) -> dict:
    result = work / f"result-{config_file.stem}.json"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO / "plugins"), os.environ.get("PYTHONPATH")])))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(config_file), "--result", str(result)]
    if dump:
        cmd += ["--dump", str(dump)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"build of {config_file} failed:\n{proc.stderr[-4000:]}")
    return json.loads(result.read_text(encoding="utf-8"))


def bench_scale(scale: float, out: Path, seed: int, repeat: int, base_entries: int) -> dict:
    root = out / f"scale-{scale:g}"
    lib = generate(scale, seed, base_entries)
    write_project(root / "notes", lib)
    dump = root / "dump"
    if dump.exists():
        shutil.rmtree(dump)
    runs: dict[str, list[dict]] = {"plugin": [], "plain": [], "hand": []}
    for i in range(repeat):
        runs["plugin"].append(run_child(root / "notes" / "mkdocs-plugin.yml", root, dump if i == 0 else None))
        if i == 0:
            write_hand_project(root / "hand", dump, lib)
        runs["plain"].append(run_child(root / "notes" / "mkdocs-plain.yml", root))
        runs["hand"].append(run_child(root / "hand" / "mkdocs-hand.yml", root))
        print(f"  scale {scale:g} run {i + 1}/{repeat}: "
              + ", ".join(f"{k} {v[-1]['seconds']:.1f}s" for k, v in runs.items()), file=sys.stderr, flush=True)
    best = {k: min(v, key=lambda r: r["seconds"]) for k, v in runs.items()}
    plugin, plain, hand = best["plugin"], best["plain"], best["hand"]
    generated = plugin["pages"] - plain["pages"]
    per_gen = (plugin["seconds"] - plain["seconds"]) / generated
    per_hand = (hand["seconds"] - plain["seconds"]) / generated
    own = plugin["hooks"]
    return {
        "scale": scale, "entries": lib.entries, "authors": plugin["authors"], "author_pages": plugin["author_pages"],
        "tags": plugin["tags"], "pages": plugin["pages"], "hand_pages": hand["pages"], "plain_pages": plain["pages"],
        "generated": generated, "t_plugin": plugin["seconds"], "t_plain": plain["seconds"], "t_hand": hand["seconds"],
        "per_gen": per_gen, "per_hand": per_hand, "page_ratio": per_gen / per_hand if per_hand > 0 else float("inf"),
        "parse": plugin["parse"], "index": plugin["index"], "render": own - plugin["parse"] - plugin["index"],
        "own": own, "share": own / plugin["seconds"], "per_hook": plugin.get("per_hook", {}),
        "maxrss_plugin": plugin["maxrss_mb"],
        "maxrss_plain": plain["maxrss_mb"], "maxrss_hand": hand["maxrss_mb"],
        "warnings": {k: v["warnings"] for k, v in best.items()}, "runs": runs,
    }


def _own_share(r: dict) -> float:
    """The plugin's own work (parse + index) over the build with the plugin."""
    return (r["parse"] + r["index"]) / r["t_plugin"]


def table(rows: list[dict]) -> str:
    head = ("| scale | entries | authors | pages (gen.) | build s plugin | s plain | s hand-written "
            "| ms/gen. page | ms/hand page | ratio | parse+index s | share | all hooks s (render) | share "
            "| peak MB plugin/plain/hand |")
    lines = [head, "|" + "---|" * head.count(" | ") + "---|"]
    for r in rows:
        lines.append(
            f"| {r['scale']:g}x | {r['entries']} | {r['authors']} | {r['pages']} ({r['generated']}) "
            f"| {r['t_plugin']:.1f} | {r['t_plain']:.1f} | {r['t_hand']:.1f} "
            f"| {r['per_gen'] * 1000:.2f} | {r['per_hand'] * 1000:.2f} | {r['page_ratio']:.2f} "
            f"| {r['parse'] + r['index']:.2f} ({r['parse']:.2f}+{r['index']:.2f}) | {_own_share(r) * 100:.1f}% "
            f"| {r['own']:.2f} ({r['render']:.2f}) | {r['share'] * 100:.1f}% "
            f"| {r['maxrss_plugin']:.0f}/{r['maxrss_plain']:.0f}/{r['maxrss_hand']:.0f} |")
    return "\n".join(lines)


def verdicts(rows: list[dict]) -> list[str]:
    out = []
    for r in rows:
        ratio = r["t_plugin"] / r["t_hand"]
        out.append(f"{r['scale']:g}x: cold build with the plugin / the same site written by hand "
                   f"{ratio:.2f} (issue 10 target <= {TARGET_BUILD_RATIO}): {'met' if ratio <= TARGET_BUILD_RATIO else 'MISSED'}")
        ok = r["page_ratio"] <= TARGET_PAGE_RATIO
        out.append(f"{r['scale']:g}x: generated/hand-written page cost {r['page_ratio']:.2f} "
                   f"(target <= {TARGET_PAGE_RATIO}): {'met' if ok else 'MISSED'}")
        ok = _own_share(r) <= TARGET_SHARE
        out.append(f"{r['scale']:g}x: plugin's own parse+index {_own_share(r) * 100:.1f}% of the build "
                   f"(target <= {TARGET_SHARE * 100:.0f}%): {'met' if ok else 'MISSED'}")
        ok = r["share"] <= TARGET_SHARE
        out.append(f"{r['scale']:g}x: all the plugin's hooks (parse, index, pages, exports) {r['share'] * 100:.1f}% "
                   f"of the build (same 5% bound, stricter reading): {'within' if ok else 'OVER'}")
    small, large = rows[0], rows[-1]
    if large["scale"] > small["scale"]:
        factor = large["scale"] / small["scale"]
        ratio = large["t_plugin"] / small["t_plugin"]
        limit = factor * TARGET_SCALING_SLACK
        out.append(f"{large['scale']:g}x/{small['scale']:g}x build time (plugin) {ratio:.2f} for {factor:g}x the notes "
                   f"(target <= {limit:g}): {'met' if ratio <= limit else 'MISSED'}")
        plain = large["t_plain"] / small["t_plain"]
        out.append(f"  (same ratio without the plugin: {plain:.2f})")
    return out


def scales_parser(doc: str) -> argparse.ArgumentParser:
    """The options of the `mkdocs serve` benchmarks (edit_reload.py, warm_start.py): `--scales`,
    `--seed`, `--out` (where the projects go; by default a temporary folder, removed after)."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--scales", default="1,4,16")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--out", type=Path, default=None, help="where the projects go (default: a temp folder, removed)")
    return parser


def at_each_scale(args: argparse.Namespace, prefix: str, run: Callable[[float, Path], T]) -> list[T]:
    """`run(scale, folder)` for each of `args.scales`, in `args.out` or a temporary folder removed after."""
    out = args.out or Path(tempfile.mkdtemp(prefix=prefix))
    try:
        return [run(float(s), out) for s in args.scales.split(",")]
    finally:
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default=None, help="comma-separated multiples of a 400-entry library (default 1,4,16)")
    parser.add_argument("--out", type=Path, default=None, help="folder for the generated sites and results.json")
    parser.add_argument("--quick", action="store_true", help="smoke test: 100-entry base library, one run, scales 1,4")
    parser.add_argument("--repeat", default=None,
                        help="builds per variant and scale, the fastest counts: N, or one N per scale (default 3)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--report", type=Path, help="print the table and verdicts of an earlier run's results.json")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--dump", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.result, args.dump)
        return 0
    if args.report:
        rows = json.loads(args.report.read_text(encoding="utf-8"))
        print(table(rows) + "\n\n" + "\n".join(verdicts(rows)))
        return 0
    scales = [float(s) for s in (args.scales or ("1,4" if args.quick else "1,4,16")).split(",")]
    repeats = [int(n) for n in (args.repeat or ("1" if args.quick else "3")).split(",")]
    if len(repeats) not in (1, len(scales)):
        parser.error("--repeat takes one number, or one per scale")
    repeats = repeats * len(scales) if len(repeats) == 1 else repeats
    base = 100 if args.quick else BASE_ENTRIES
    out = args.out or Path(tempfile.mkdtemp(prefix="papernotes-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    print(f"papernotes benchmark: base {base} entries, scales {scales}, runs {repeats}, "
          f"seed {args.seed}, sites in {out}", file=sys.stderr)
    rows = []
    for scale, repeat in zip(scales, repeats, strict=True):
        rows.append(bench_scale(scale, out, args.seed, repeat, base))
    (out / "results.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    print(table(rows))
    print()
    for line in verdicts(rows):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
