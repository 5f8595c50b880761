"""How long the A-Z index's family names take: `library.family_name` (nameparser) on N names.

Not a test: it prints figures. The names are synthetic (deterministic from `--seed`),
mixing plain names, middle initials, particles (`van der`), suffixes (`Jr.`) and CJK
names, like a large library's authors. Each author's family name is computed once per
build (`Author.family_name` is cached), so N names cost what is printed here, once.

Usage: python bench/names.py [--names 20000] [--seed 2024]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from papernotes.index.names import family_name

FIRST = ["Ada", "Martin", "Ludwig", "Yann", "Kaiming", "Aäron", "Fei-Fei", "Jean-Baptiste", "Quoc", "Diederik", "Mia", "Oriol"]
MIDDLE = ["", "", "", "A.", "P.", "Luther", "V.", "R. R."]
PARTICLE = ["", "", "", "", "van", "van den", "de la", "von", "da"]
LAST = ["Lovelace", "King", "Beethoven", "LeCun", "He", "Oord", "Li", "Salle", "Le", "Kingma", "Chen", "Vinyals", "Müller"]
SUFFIX = ["", "", "", "", "", "", "Jr.", "III", "PhD"]
CJK = ["何恺明", "李飞飞", "张三", "田中太郎"]


def names(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        if rng.random() < 0.05:
            out.append(rng.choice(CJK) + str(i))
            continue
        parts = [rng.choice(FIRST), rng.choice(MIDDLE), rng.choice(PARTICLE), rng.choice(LAST) + str(i), rng.choice(SUFFIX)]
        out.append(" ".join(p for p in parts if p))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--names", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    sample = names(args.names, args.seed)
    start = time.process_time()
    for name in sample:
        family_name(name)
    parsed = time.process_time() - start
    start = time.process_time()
    for name in sample:
        name.split()[-1]  # what the index used before: the last word
    last_word = time.process_time() - start
    print(f"{args.names} names: family_name (nameparser) {parsed:.3f} s CPU, {parsed / args.names * 1e6:.0f} us/name; "
          f"last word {last_word:.4f} s; ratio {parsed / max(last_word, 1e-9):.0f}x")


if __name__ == "__main__":
    main()
