"""What changed between two snapshots of the library, by kind.

A paper is the same paper on both sides when the two entries share an identity: an arXiv id, a
DOI or the normalised title (`entry_keys`, which `duplicate-paper` and the dates added use too).
So a note split in two gives moves, not removals and additions, and a retitled entry whose link
kept its arXiv id is one paper retitled. Entries are paired in the same note first, then across
notes, each with the first unpaired entry it shares an identity with, stronger identities first.

Authors and tags are compared by identity after aliases.yml (the keys of the author and tag
pages); an author is new when no name its entries write was an author before, so a spelling
aliases.yml now merges under another name is not new. A problem is compared by its rule, severity
and message with every reference to a line (`line 12`, `other.md:12`) taken out, and paired by its
file and the text of its line, so a problem whose entry only moved, down a note or to another note,
is neither "fixed" nor "introduced".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from papernotes.changes.snapshot import Snapshot
from papernotes.checks.author_spellings import alias_reason
from papernotes.index.authors import Author
from papernotes.index.history import entry_keys
from papernotes.index.names import name_key
from papernotes.notes.grammar import plain_text
from papernotes.notes.identity import PaperKey, fold
from papernotes.notes.model import Diagnostic, Entry

KINDS = ("added", "removed", "moved", "retitled", "reprioritised", "new_authors", "new_tags",
         "problems_introduced", "problems_fixed")
_LINE_REF = re.compile(r"\bline \d[\d,]*|[^\s()'\"]+\.md:\d+")  # "line 12", "other.md:12" in messages
# Rules that report a problem of the whole library once, at its first occurrence in path order.
REPORTED_ONCE = frozenset({"author-alias", "tag-variant", "ambiguous-tag", "link-label"})
_KEY_RANK = {"arXiv id": 0, "DOI": 0, "title": 1}

Record = dict[str, Any]


@dataclass
class Changes:
    """One list of records per kind (`KINDS`); a record is what the JSON report prints."""

    lists: dict[str, list[Record]] = field(default_factory=lambda: {kind: [] for kind in KINDS})

    def __getitem__(self, kind: str) -> list[Record]:
        return self.lists[kind]


def title_text(entry: Entry) -> str:
    """The title as `plain_text` reads it (links and code spans unwrapped), spaces collapsed."""
    return " ".join(plain_text(entry.title).split())


def compare(base: Snapshot, head: Snapshot) -> Changes:
    """Everything that differs from `base` to `head`, each list in the order of its locations."""
    changes = Changes()
    _papers(base, head, changes)
    changes["new_authors"].extend(_new_authors(base, head))
    changes["new_tags"].extend(_new_tags(base, head))
    introduced, fixed = _problems(base, head)
    changes["problems_introduced"].extend(introduced)
    changes["problems_fixed"].extend(fixed)
    return changes


# -- papers ----------------------------------------------------------------------------------


def _entries(snapshot: Snapshot) -> list[Entry]:
    return [e for path in sorted(snapshot.documents) for e in snapshot.documents[path].entries]


def pair(base: Snapshot, head: Snapshot) -> list[tuple[Entry, Entry]]:
    """(base entry, head entry) for each paper on both sides; see the module's docstring."""
    old, new = _entries(base), _entries(head)
    keys = {id(e): sorted(set(entry_keys(e)), key=lambda k: _KEY_RANK.get(k[0], 2)) for e in [*old, *new]}
    holders: dict[PaperKey, list[Entry]] = defaultdict(list)
    for entry in old:
        for key in keys[id(entry)]:
            holders[key].append(entry)
    taken: set[int] = set()
    pairs: list[tuple[Entry, Entry]] = []
    for same_note in (True, False):
        for entry in new:
            if id(entry) in taken:
                continue
            note = head.display.get(entry.path)
            match = next((b for key in keys[id(entry)] for b in holders[key]
                          if id(b) not in taken and (not same_note or base.display.get(b.path) == note)), None)
            if match is not None:
                taken |= {id(entry), id(match)}
                pairs.append((match, entry))
    return pairs


def _paper(snapshot: Snapshot, entry: Entry) -> Record:
    return {"title": title_text(entry), "location": snapshot.location(entry)}


def _papers(base: Snapshot, head: Snapshot, changes: Changes) -> None:
    old, new = _entries(base), _entries(head)
    pairs = pair(base, head)
    paired = {id(e) for both in pairs for e in both}
    changes["added"].extend(_paper(head, e) for e in new if id(e) not in paired)
    changes["removed"].extend(_paper(base, e) for e in old if id(e) not in paired)
    for before, after in sorted(pairs, key=lambda p: (head.display.get(p[1].path, ""), p[1].line)):
        record = _paper(head, after)
        if base.display.get(before.path) != head.display.get(after.path):  # the files, wherever docs_dir is
            changes["moved"].append({**record, "from": base.location(before)})
        if title_text(before) != record["title"]:
            changes["retitled"].append({**record, "old_title": title_text(before)})
        if before.priority != after.priority:
            changes["reprioritised"].append({**record, "priority": after.priority, "old_priority": before.priority})


# -- authors and tags ------------------------------------------------------------------------


def _family(name: str) -> str:
    """A name's last word, folded, without a trailing number: every pair of spellings `alias_reason`
    takes for one person shares it, so only authors with the same one are compared."""
    words = re.sub(r"\d+$", "", " ".join(name.split())).replace(".", ". ").split()
    return fold(words[-1]) if words else ""


def _first_location(snapshot: Snapshot, entries: Iterable[Entry]) -> str:
    first = min(entries, key=lambda e: (snapshot.display.get(e.path, e.path), e.line))
    return snapshot.location(first)


def _known_as_written(base: Snapshot, head: Snapshot, author: Author) -> bool:
    """Whether the base library had one of the names this author's entries write: then the author is
    not new, only named anew (aliases.yml merging `David Ross` into `David A. Ross`)."""
    aliases = head.library.aliases
    return any(name_key(base.library.aliases.author(name)) in base.library.authors
               for entry in author.entries for name in entry.authors if name_key(aliases.author(name)) == author.key)


def _new_authors(base: Snapshot, head: Snapshot) -> list[Record]:
    known: dict[str, list[Author]] = defaultdict(list)
    for author in base.library.authors.values():
        known[_family(author.name)].append(author)
    records: list[Record] = []
    for key, author in head.library.authors.items():
        if key in base.library.authors or _known_as_written(base, head, author):
            continue
        looks_like: list[Record] = []
        for other in known.get(_family(author.name), []):
            reason = alias_reason(other.name, author.name)
            if reason is not None:
                looks_like.append({"name": other.name, "location": _first_location(base, other.entries), "reason": reason})
        records.append({"name": author.name, "location": _first_location(head, author.entries),
                        "looks_like": sorted(looks_like, key=lambda r: r["name"])})
    return sorted(records, key=lambda r: (r["location"], r["name"]))


def _new_tags(base: Snapshot, head: Snapshot) -> list[Record]:
    records = [{"name": tag.name, "kind": tag.kind, "location": _first_location(head, tag.entries)}
               for key, tag in head.library.tags.items() if key not in base.library.tags and tag.entries]
    return sorted(records, key=lambda r: (r["location"], r["kind"], r["name"]))


# -- problems --------------------------------------------------------------------------------


def _problem_key(d: Diagnostic) -> tuple[str, str, str]:
    """A problem without its place: rule, severity, and the message with every line reference taken out."""
    return d.code, d.severity, _LINE_REF.sub("#", d.message)


def _problem(d: Diagnostic) -> Record:
    return {"location": f"{d.path}:{d.line}", "severity": d.severity, "code": d.code, "message": d.message}


def _problems(base: Snapshot, head: Snapshot) -> tuple[list[Record], list[Record]]:
    groups: dict[tuple[str, str, str], tuple[list[Diagnostic], list[Diagnostic]]] = defaultdict(lambda: ([], []))
    for d in base.diagnostics:
        groups[_problem_key(d)][0].append(d)
    for d in head.diagnostics:
        groups[_problem_key(d)][1].append(d)
    introduced: list[Diagnostic] = []
    fixed: list[Diagnostic] = []
    for before, after in groups.values():
        if len(before) == len(after) == 1 and before[0].path == after[0].path:
            continue  # the common case: the same problem, wherever its line went
        left_before, left_after = _unpaired(base, before, head, after)
        fixed += left_before
        introduced += left_after
    return [_problem(d) for d in sorted(introduced, key=_order)], [_problem(d) for d in sorted(fixed, key=_order)]


def _order(d: Diagnostic) -> tuple[str, int, int, str]:
    return d.path, d.line, d.col, d.code


def _unpaired(base: Snapshot, before: list[Diagnostic], head: Snapshot,
              after: list[Diagnostic]) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """The problems of one kind left once paired: on a line of the same text in the same file, then on a
    line of the same text in another file (it moved with its entry), then in the same file in order
    (its line was edited). A problem fixed in one note and another like it made in another stay apart,
    but for the rules that report a library-wide problem once, where they first meet it: their message
    names it, and where it is reported moves with whichever note sorts first."""
    stages: list[Callable[[Snapshot, Diagnostic], object]] = [
        lambda side, d: (d.path, side.line_text(d)),
        lambda side, d: side.line_text(d) or object(),  # a blank line says nothing of where a problem went
        lambda side, d: d.path,
    ]
    if any(d.code in REPORTED_ONCE for d in before):
        stages.append(lambda side, d: "")
    for same in stages:
        waiting: dict[object, list[Diagnostic]] = defaultdict(list)
        for d in before:
            waiting[same(base, d)].append(d)
        rest = []
        for d in after:
            match = waiting.get(same(head, d))
            if match:
                match.pop(0)
            else:
                rest.append(d)
        before, after = sorted((d for ds in waiting.values() for d in ds), key=_order), rest
    return before, after
