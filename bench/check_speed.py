"""How long `papernotes check` spends on a 10,000-entry library (no MkDocs involved).

    python bench/check_speed.py [--entries 10000] [--notes 100] [--repeat 5]

Generates synthetic notes in memory (deterministic), then times, best of --repeat:
parse = grammar.parse of every note; checks = checks.run_checks over the parsed library.
Run from the repository root (it puts ./plugins first on sys.path).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from papernotes.checks.report import run_checks
from papernotes.notes.figures import Layout
from papernotes.notes.grammar import parse

FIRST = ["Ada", "Alan", "Grace", "Yann", "Fei-Fei", "Geoffrey", "Yoshua", "Kaiming", "Ross", "Piotr", "José", "Ming-Hsuan"]

VENUES = ["CVPR", "ICCV", "ECCV", "NeurIPS", "ICML", "ICLR", "arXiv", "SIGGRAPH"]
ORGS = ["Google", "Meta AI", "OpenAI", "DeepMind", "MIT", "Stanford", "Tsinghua", "MPI"]
TOPICS = ["diffusion", "video", "3d", "segmentation", "llm", "nerf", "detection", "alignment"]
WORDS = ["scaling", "latent", "video", "diffusion", "models", "large", "datasets", "learning", "transferable",
         "visual", "segment", "anything"]


def surname(k: int) -> str:
    syllables = ["ka", "lo", "mi", "ren", "sa", "to", "vi", "zu", "bel", "dor", "fa", "gu", "ha", "jin", "ne", "po"]
    parts = []
    while True:
        k, r = divmod(k, len(syllables))
        parts.append(syllables[r])
        if not k:
            return "".join(parts).capitalize()


def synthetic_notes(entries: int, notes: int, seed: int = 1) -> dict[str, str]:
    rng = random.Random(seed)
    per_note = entries // notes
    # Distinct people, about three papers each as in a real library, each spelled one way.
    people = [f"{FIRST[k % len(FIRST)]} {surname(k)}" for k in range(entries * 5 // 3)]
    texts = {}
    for n in range(notes):
        lines = [f"# Note {n}", "", "## Section A", ""]
        for i in range(per_note):
            number = n * per_note + i
            priority = rng.choice(["", "", "[!] ", "[!!] ", "[!!!] "])
            title = " ".join(rng.sample(WORDS, 5)).capitalize() + f" {number}"
            arxiv = f"{2000 + number // 10000:04d}.{number % 10000:05d}"
            lines.append(f"### {priority}[{rng.choice(VENUES)} {rng.randint(2015, 2025)}] [{rng.choice(ORGS)}] {title} "
                         f"[[pdf]](https://arxiv.org/abs/{arxiv}) [[code]](https://github.com/x/{number})")
            authors = ", ".join(rng.sample(people, rng.randint(2, 8)))
            lines.append(f"_{authors}_")
            lines.append("Tags: " + " ".join("#" + t for t in rng.sample(TOPICS, 2)))
            lines.append(f"- a finding about {title.lower()}, see [the section](#section-a)")
            lines.append(f"- ![](../assets/fig_{n}/{i}.png)")
            lines.append("")
        texts[f"note_{n:03d}.md"] = "\n".join(lines)
    return texts


def best_of(repeat: int, fn) -> tuple[float, float, object]:
    """Best wall-clock and best CPU seconds of `repeat` runs (CPU time is steadier on a busy machine)."""
    wall, cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall, cpu = min(wall, time.perf_counter() - start), min(cpu, time.process_time() - start_cpu)
    return wall, cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--notes", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    texts = synthetic_notes(args.entries, args.notes)
    size = sum(len(t) for t in texts.values())
    parse_s, parse_cpu, docs = best_of(args.repeat, lambda: [parse(text, path) for path, text in texts.items()])
    count = sum(len(d.entries) for d in docs)  # type: ignore[union-attr]
    checks_s, checks_cpu, found = best_of(args.repeat, lambda: run_checks(docs, Layout(), lambda src: True))  # type: ignore[arg-type]
    print(f"{count} entries in {len(texts)} notes ({size / 1e6:.1f} MB of Markdown)")
    print(f"parse:  {parse_s:.3f} s wall, {parse_cpu:.3f} s CPU")
    print(f"checks: {checks_s:.3f} s wall, {checks_cpu:.3f} s CPU ({len(found)} diagnostics)")  # type: ignore[arg-type]
    print(f"total:  {parse_s + checks_s:.3f} s wall, {parse_cpu + checks_cpu:.3f} s CPU (best of {args.repeat}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
