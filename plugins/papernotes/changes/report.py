"""`papernotes diff` reports: Markdown for a reviewer (a GitHub job summary reads it) and JSON for tools.

Markdown escapes every piece of text that comes from the notes (titles, names, tags, messages,
the refs as given): each ASCII punctuation character gets a backslash, so no title can open a
link, an image, raw HTML, emphasis or a list, and no URL or `www.` in it becomes a link; an `@`
gets a word joiner after it, so no address or @mention is linked either. Locations and rule codes
are code spans, fenced past any backtick they hold. The report links to nothing.

Each list stops after `MAX_ITEMS` lines, keeping a job summary well under GitHub's 1 MiB limit;
the JSON report has everything.
"""

from __future__ import annotations

import json
import re

from papernotes.changes.compare import KINDS, Changes, Record

MAX_ITEMS = 100
_PUNCTUATION = re.compile(r"([!-/:-?\[-`{-~])")  # every ASCII punctuation character but "@" (handled apart)
_WORD_JOINER = "\u2060"

TITLES = {
    "added": "Papers added", "removed": "Papers removed", "moved": "Papers moved to another note",
    "retitled": "Papers retitled", "reprioritised": "Priorities changed", "new_authors": "New authors",
    "new_tags": "New tags and venues", "problems_introduced": "Problems introduced", "problems_fixed": "Problems fixed",
}
_PRIORITY = {0: "no priority", 1: "[!]", 2: "[!!]", 3: "[!!!]"}


def escape(text: str) -> str:
    """`text` as Markdown that shows it literally, on one line, linking nowhere."""
    text = " ".join(str(text).split())
    return _PUNCTUATION.sub(r"\\\1", text).replace("@", "@" + _WORD_JOINER)


def code(text: str) -> str:
    """`text` as a code span: shown as written (a path, a rule), never a link; backticks in it fenced off."""
    text = " ".join(str(text).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def to_json(changes: Changes) -> str:
    return json.dumps({kind: changes[kind] for kind in KINDS}, ensure_ascii=False, indent=1) + "\n"


def _where(record: Record) -> str:
    return code(record["location"])


def _paper(r: Record) -> str:
    return f"**{escape(r['title'])}** ({_where(r)})"


def _line(kind: str, r: Record) -> str:  # noqa: PLR0911 (one return per kind reads best)
    if kind in ("added", "removed"):
        return _paper(r)
    if kind == "moved":
        return f"{_paper(r)}, from {code(r['from'])}"
    if kind == "retitled":
        return f"{_paper(r)}, was “{escape(r['old_title'])}”"
    if kind == "reprioritised":
        return f"{_paper(r)}: {escape(_PRIORITY.get(r['old_priority'], str(r['old_priority'])))} → " \
               f"{escape(_PRIORITY.get(r['priority'], str(r['priority'])))}"
    if kind == "new_authors":
        like = "; ".join(f"looks like {escape(o['name'])} ({code(o['location'])}): {escape(o['reason'])}" for o in r["looks_like"])
        return f"**{escape(r['name'])}** ({_where(r)})" + (f": {like}" if like else "")
    if kind == "new_tags":
        return f"**{escape(r['name'])}**, {escape(r['kind'])} ({_where(r)})"
    return f"{_where(r)} {escape(r['severity'])}: {escape(r['message'])} {code(r['code'])}"


def _count(changes: Changes, kind: str, one: str, many: str) -> str | None:
    n = len(changes[kind])
    return f"{n} {one if n == 1 else many}" if n else None


def summary_line(changes: Changes) -> str:
    parts = [
        _count(changes, "added", "paper added", "papers added"), _count(changes, "removed", "removed", "removed"),
        _count(changes, "moved", "moved", "moved"), _count(changes, "retitled", "retitled", "retitled"),
        _count(changes, "reprioritised", "priority changed", "priorities changed"),
        _count(changes, "new_authors", "new author", "new authors"), _count(changes, "new_tags", "new tag", "new tags"),
        _count(changes, "problems_introduced", "problem introduced", "problems introduced"),
        _count(changes, "problems_fixed", "problem fixed", "problems fixed"),
    ]
    return ", ".join(p for p in parts if p) or "no change to the library's papers, authors, tags or problems"


def to_markdown(changes: Changes, base: str, head: str, *, max_items: int = MAX_ITEMS) -> str:
    out = ["## What this change does to the library", "",
           f"From {escape(base)} to {escape(head)}: {summary_line(changes)}."]
    for kind in KINDS:
        records = changes[kind]
        if not records:
            continue
        out += ["", f"### {TITLES[kind]} ({len(records)})", ""]
        out += [f"- {_line(kind, r)}" for r in records[:max_items]]
        if len(records) > max_items:
            out.append(f"- … and {len(records) - max_items} more (`papernotes diff --format json` lists every one)")
    return "\n".join(out) + "\n"
