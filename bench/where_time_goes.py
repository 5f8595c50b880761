"""Where a build's time goes, from a py-spy profile of one benchmark child.

Not a test, and py-spy is not a dependency of the project (`pip install py-spy`):

    python bench/benchmark.py --scales 16 --repeat 1 --out /tmp/pnb        # sites to build
    py-spy record -r 50 -f raw -o /tmp/spy16.txt -- \\
        python bench/benchmark.py --child /tmp/pnb/scale-16/notes/mkdocs-plugin.yml --result /tmp/r.json
    python bench/where_time_goes.py /tmp/spy16.txt

Each sampled stack counts for the first category below that one of its frames matches:
the plugin's hooks, Material's search plugin, Material's nav, Markdown, Material's other
templates, MkDocs creating a Markdown instance per page, writing files.
"""

from __future__ import annotations

import sys
from collections import Counter

CATEGORIES = [
    ("papernotes plugin", "papernotes/"),
    ("search plugin", "plugins/search/"),
    ("nav (Material)", "block_site_nav"),
    ("Markdown.__init__", "Markdown.__init__"),
    ("Markdown", "Markdown.convert"),
    ("other templates (Material)", "material/templates"),
    ("writing files", "write_file"),
]


def shares(lines: list[str]) -> tuple[Counter[str], int]:
    """Samples per category in py-spy's raw format (`frame;frame;... count` per line)."""
    found: Counter[str] = Counter()
    total = 0
    for line in lines:
        stack, _, count = line.rstrip().rpartition(" ")
        if not count.isdigit():
            continue
        total += int(count)
        name = next((name for name, pattern in CATEGORIES if pattern in stack), "other")
        found[name] += int(count)
    return found, total


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    with open(argv[0], encoding="utf-8") as fh:
        found, total = shares(fh.readlines())
    for name, count in found.most_common():
        print(f"{name:28s} {count / total * 100:5.1f}%")
    print(f"{'samples':28s} {total}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
