"""Writing an entry into a note: inserted lines only, every other byte of the note as it was.

The entry goes at the end of its `## section`, after the section's last entry and whatever follows it
(notes, an ordinary `### Advantages` heading), before the blank lines and `---` rules that close the
section. A section that does not exist is added at the end of the note; when the note keeps a
contents list by hand (`## Contents` of in-page links), a line for the new section is added to it,
so the list stays whole on GitHub. The note's line endings (LF, CRLF), a byte-order mark, front
matter and the lack of a final newline are kept; only a missing last newline is added where the
entry follows the last line. The result is parsed again: the entry must be where it was put.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from papernotes.notes.grammar import parse, plain_text
from papernotes.notes.slugs import page_anchors

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")  # the lines the grammar counts (it reads \r\n and \r as \n)
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_CONTENTS_ITEM = re.compile(r"^(\s*)(?:([-*+])|(\d+)([.)]))(\s+)\[")


class PlacementError(ValueError):
    """The entry could not be placed where it was asked to go."""


@dataclass(frozen=True)
class Insertion:
    """A note's text with an entry inserted, and where."""

    text: str
    line: int  # 1-based line of the entry's heading
    lines: int  # how many lines were inserted, all told
    created_section: bool = False
    contents_line: int | None = None  # the line added to a hand-kept contents list


def insert_entry(text: str, entry: str, section: str | None = None) -> Insertion:
    """`text` with the Markdown `entry` at the end of `section` (created if missing), or at the end of the note."""
    lines = _LINE.findall(text)
    newline = _newline(lines)
    entry_lines = [line + newline for line in entry.rstrip("\n").split("\n")]
    doc = parse(text)
    wanted = " ".join(section.strip().lstrip("#").split()) if section else None
    heading = next((h for h in doc.headings if h.level == 2 and wanted is not None
                    and plain_text(h.text).casefold() == wanted.casefold()), None)
    created = wanted is not None and heading is None
    body = min(doc.body_start - 1, len(lines))  # lines before it are front matter, whose closing `---` is no rule to skip
    if created:
        after = max(_last_content(lines, body, len(lines)), body)
        block = [f"## {wanted}{newline}", newline, *entry_lines]
        if after:
            block.insert(0, newline)
        offset = 2
    else:
        start = heading.line if heading is not None else body
        end = next((h.line - 1 for h in doc.headings if h.level <= 2 and h.line > start), len(lines)) if heading else len(lines)
        after = max(_last_content(lines, start, end), start)
        block = [newline, *entry_lines] if after else entry_lines
        offset = 0
    if after and not lines[after - 1].endswith(("\n", "\r")):
        lines[after - 1] += newline  # the note had no final newline: the entry needs a line of its own
    if after < len(lines) and lines[after].strip():
        block.append(newline)  # keep a blank line before what follows
    lines[after:after] = block
    line = after + (1 if after else 0) + offset + 1
    result = Insertion("".join(lines), line, len(block), created)
    if created and doc.contents_block is not None:
        result = _add_to_contents(result, lines, doc.contents_block[1], newline)
    _verify(result, entry, wanted)
    return result


def _newline(lines: list[str]) -> str:
    for line in lines:
        if line.endswith("\r\n"):
            return "\r\n"
        if line.endswith("\n"):
            return "\n"
        if line.endswith("\r"):
            return "\r"
    return "\n"


def _last_content(lines: list[str], start: int, end: int) -> int:
    """1-based number of the last line in lines[start:end] that is neither blank nor a `---` rule (0 if none)."""
    for index in range(end - 1, start - 1, -1):
        line = lines[index].rstrip("\r\n")
        if line.strip() and not _THEMATIC_BREAK.match(line):
            return index + 1
    return 0


def _add_to_contents(result: Insertion, lines: list[str], last: int, newline: str) -> Insertion:
    """A contents item for the new section, after the list's last item, shaped like it."""
    doc = parse(result.text)
    heading_line = result.line - 2
    anchor = page_anchors(doc).get(heading_line)
    title = plain_text(next(h.text for h in doc.headings if h.line == heading_line))
    m = _CONTENTS_ITEM.match(lines[last - 1])
    if anchor is None or m is None or "[" in title or "]" in title:
        return result
    indent, bullet, number, delimiter, space = m.groups()
    marker = bullet or f"{int(number) + 1}{delimiter}"
    lines.insert(last, f"{indent}{marker}{space}[{title}](#{anchor}){newline}")
    return Insertion("".join(lines), result.line + 1, result.lines + 1, True, last + 1)


def _verify(result: Insertion, entry: str, section: str | None) -> None:
    """The grammar must find the entry at its line, in its section: else the note has a shape this code misread."""
    expected = parse(entry).entries[0]
    found = next((e for e in parse(result.text).entries if e.line == result.line), None)
    if found is None or found.heading != expected.heading or found.authors != expected.authors or \
            (section is not None and (found.section or "").casefold() != section.casefold()):
        where = f"section {section!r}" if section else "the end of the note"
        raise PlacementError(f"could not place the entry at {where} (an unclosed code block?); add it by hand")
