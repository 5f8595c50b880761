"""A note's file as text: its bytes decoded, files that are not notes reported, positions located.

What comes before the grammar. The CLI and the plugin both read notes through
`read_source`, so an empty note, a binary file named `.md`, a file that is not
UTF-8, a 2 MB line or a symbolic link out of the repository get the same rule
from both. The positions a diagnostic points at in a file's bytes or in a YAML
document are found here too, once for every caller.
"""

from __future__ import annotations

import os

import yaml

from papernotes.notes.model import Diagnostic, Severity

LONG_LINE = 20_000  # characters; real notes stay far below, a minified or generated file does not


def read_source(data: bytes, display: str) -> tuple[str | None, list[Diagnostic]]:
    """A note's text from its bytes (None when it is not a note to parse) and problems with the file itself."""

    def problem(severity: Severity, code: str, message: str, line: int = 1, col: int = 1) -> Diagnostic:
        return Diagnostic(display, line, col, severity, code, message)

    if not data.strip():
        return "", [problem("warning", "empty-note", ("the note is empty" if not data else "the note has only blank lines")
                            + ": write the note or delete the file")]
    nul = data.find(b"\0", 0, 8192)
    if nul >= 0:
        line, col = byte_position(data, nul)
        return None, [problem("error", "binary", "binary file with a .md name (it contains NUL bytes), not a note: "
                                                  "remove or rename it", line, col)]
    text, found = decode(data, display)
    if len(text) > LONG_LINE:
        return _without_long_lines(text, found, display)
    return text, found


def _without_long_lines(text: str, found: list[Diagnostic], display: str) -> tuple[str, list[Diagnostic]]:
    """The note with each line over LONG_LINE characters replaced by a short notice.

    Such a line is not hand-written (minified, generated or pasted data): checking it would bury
    the report and rendering it takes minutes. The rest of the note is kept, so every entry in it
    still appears; line numbers stay as they were.
    """
    lines = normalise_newlines(text).split("\n")
    for number, line_text in enumerate(lines, 1):
        if len(line_text) > LONG_LINE:
            found.append(Diagnostic(display, number, 1, "error", "long-line",
                                    f"line {number} is {len(line_text):,} characters long: not a "
                                    "hand-written line, so it is neither shown nor checked; break it up"))
            lines[number - 1] = f"> **Not shown:** line {number} ({len(line_text):,} characters)."
    return "\n".join(lines), found


def symlink_problem(path: str, root: str, display: str) -> Diagnostic | None:
    """A symbolic link to a file outside the repository at `root`: reported and not read, by both tools."""
    if not os.path.islink(path):
        return None
    real, top = os.path.realpath(path), os.path.realpath(root)
    if real == top or real.startswith(top.rstrip(os.sep) + os.sep):
        return None
    return Diagnostic(display, 1, 1, "warning", "symlink",
                      f"symbolic link to {os.readlink(path)!r}, outside the repository: not followed")


def decode(data: bytes, path: str) -> tuple[str, list[Diagnostic]]:
    """A note's bytes as text. Not UTF-8: an `encoding` error at the first bad byte's
    line and column, and the text with replacement characters, so nothing is lost."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line, col = byte_position(data, exc.start)
        problem = Diagnostic(path, line, col, "error", "encoding",
                             f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8")
        return data.decode("utf-8-sig", errors="replace"), [problem]


def normalise_newlines(text: str) -> str:
    """What MkDocs reads: BOM dropped, CRLF and CR as LF."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of a byte offset."""
    return data.count(b"\n", 0, offset) + 1, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


def yaml_error_position(exc: yaml.YAMLError) -> tuple[int, int] | None:
    """1-based line and column, in the YAML text that was read, of what YAML could not read.

    None when YAML names no place (a `ReaderError` gives a byte offset, not a mark). The
    caller adds where that text starts in its file (front matter starts on the second line).
    """
    mark = getattr(exc, "problem_mark", None)
    return (mark.line + 1, mark.column + 1) if mark is not None else None
