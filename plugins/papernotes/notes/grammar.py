"""The notes' grammar: Markdown text in, a `Document` of entries and diagnostics out.

This is the only parser of paper entries in the project. The MkDocs plugin, the
`papernotes` CLI and the tests all call `parse()`. It imports nothing from MkDocs
and never raises on user content: every problem becomes a `Diagnostic`. It is one
module past the usual size on purpose: it is one thing, the grammar below, and a
contributor who reads that grammar in `docs/contributing.md` finds all of it here
(how tags split, what a title is, how an entry is written back: `format_entry`).

The grammar, as documented for contributors in `docs/contributing.md`:

    ### [!!!] [CVPR 2023] [Google] Title words [[pdf]](https://...) [[code]](https://...)
    _First Author, Second Author and Third Author_
    Tags: #diffusion #video
    - notes ..., ![](../assets/fig.png)

* An entry starts at an ATX level-3 heading (0-3 leading spaces, optional closing
  `#`s) outside fenced code and front matter.
* Heading text, in order: optional priority marker `[!]`/`[!!]`/`[!!!]`, zero or
  more tags `[text]` (no brackets inside, not followed by `(`), then the title.
  Resource links `[[label]](url)` may stand anywhere after the tags.
* A tag is split on commas (outside parentheses) into parts, each read on its own. A part
  `Venue YYYY qualifier...` (a year 1900-2099) gives a venue, a year and a qualifier; a
  year alone after a yearless part completes it (`ICLR, 2020`). Whether a yearless part
  names a venue depends on the other notes: the library decides (`TagReader`).
* Authors: the next non-blank line when wrapped in `_..._` or `*...*`.
* An optional topics line `Tags: #topic #other` may follow the author line.
* A level-3 heading is an entry when it has a priority marker, a tag, a resource
  link or an author line; otherwise it is an ordinary heading.
* The body runs to the next heading of level 1-3; its images are the figures.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

import yaml

from papernotes.notes.model import Diagnostic, Document, Entry, Figure, Heading, InlineLink, Link, Severity, Venue, line_ref
from papernotes.notes.source import normalise_newlines, yaml_error_position

# Mirrors mkdocs.utils.meta.YAML_RE so line numbers agree with what MkDocs strips.
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
# Group 2 is the heading's text with any closing `#`s (see _heading_text): a lazy `(.*?)` followed by an
# optional closing sequence costs a regex step per character, the slowest part of a 10,000-entry parse.
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*))?$")
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_PRIORITY = re.compile(r"\[(!+)\](?!\()")
_TAG = re.compile(r"\[([^\[\]]*)\](?!\()")
_RESOURCE = re.compile(r"\[\[([^\[\]]*)\]\](?:\(([^()]*(?:\([^()]*\)[^()]*)*)\))?")
# Bracket and parenthesis nesting (one level) is written as unrolled loops, `a*(?:(b)a*)*`, not `(?:a|(b))*`:
# the same language, matched several times faster by `re`, which matters on 10,000-entry libraries.
_MD_LINK = re.compile(r"!?\[([^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*)\]\([^()]*(?:\([^()]*\)[^()]*)*\)")
_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*(<[^>]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_INLINE_LINK = re.compile(r"(?<!!)\[([^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*)\]\(([^()]*(?:\([^()]*\)[^()]*)*)\)")
_SPACE = re.compile(r"\s")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f]")
_LINK_TITLE = re.compile(r"^(\S+)\s+(?:\"[^\"]*\"|'[^']*')$")
_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")
# A tag part with a year: the words before it (lazy: the first year counts), the year, the words after.
_DATED_PART = re.compile(r"^(?:(.*?)[\s'’]*)?\b((?:19|20)\d\d)(?!\w)(.*)$")
_YEAR_ONLY = re.compile(r"^(?:19|20)\d\d$")
_EDGE_PUNCT = " \t-–—:·|/,;"
_WORD_PUNCT = "()[]{}.,;:!?-–—·|/\"'’"
# Words that qualify a venue (`[CVPR 2018 spotlight]`) rather than continue its name
# (`[Nature 2023 Methods]` could be either: `checks.tag_spellings.ambiguous_tags` asks).
QUALIFIER_WORDS = frozenset({
    "oral", "orals", "spotlight", "spotlights", "poster", "posters", "highlight", "highlights", "workshop",
    "workshops", "best", "paper", "papers", "award", "awards", "honorable", "honourable", "mention", "mentions",
    "outstanding", "student", "runner-up", "finalist", "nominee", "nomination", "candidate", "winner", "demo",
    "demos", "findings", "short", "long", "main", "conference", "track", "tracks", "dataset", "datasets",
    "benchmark", "benchmarks", "and", "&", "of", "on", "the", "in", "comment", "commentary", "letter", "letters",
    "review", "reviews", "perspective", "article", "tutorial", "keynote", "invited", "talk", "accepted", "submission",
    "submitted", "camera-ready", "extended", "abstract", "version", "preprint", "press", "position", "competition",
    "challenge", "special", "issue", "volume", "vol", "journal", "supplementary",
})
# Qualifier words that join others (`Datasets & Benchmarks`): shown as written, not capitalised.
_JOINING_WORDS = frozenset({"and", "&", "of", "on", "the", "in"})
# Qualifier words that say how or where a paper was presented, never how a venue is named: read as
# the qualifier wherever they stand, so `[CVPR Workshop 2019]` is `[CVPR 2019 workshop]` (venue CVPR,
# qualifier Workshop) whatever other notes write. Only these leave the words before a year: other
# qualifier words end real names there (`Physical Review Letters`, `The Astrophysical Journal`). A
# library that wants a workshop apart names it in aliases.yml (`index.tags.TagReader`).
TRACK_WORDS = frozenset({
    "workshop", "workshops", "oral", "orals", "spotlight", "spotlights", "poster", "posters", "highlight",
    "highlights", "findings", "demo", "demos",
})
_AUTHOR_SPLIT = re.compile(r"\s*(?:,\s*and\s+|,|\s&\s|\sand\s)\s*")
_ELLIPSIS = re.compile(r"^(?:\.{2,}|…|et al\.?)$", re.IGNORECASE)
_TOPICS_LINE = re.compile(r"^(?:tags|topics):(.*)$", re.IGNORECASE)
_TOPIC = re.compile(r"^#([\w][\w.+-]*)$")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_CONTENTS_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[[^\]]*\]\(#[^)\s]*\)\s*$")
_CONTENTS_TITLES = {"contents", "table of contents", "toc", "目录", "目錄"}  # 目录: Chinese notes
_SAFE_SCHEMES = ("http:", "https:", "mailto:", "ftp:")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def parse(text: str, path: str = "<string>") -> Document:
    """Parse one note. Never raises on content; problems become diagnostics."""
    return _Parser(text, path).run()


def is_safe_url(url: str) -> bool:
    """True when `url` may be emitted as a link: http(s)/mailto/ftp or a relative URL."""
    url = url.strip()
    if not url or _SPACE_OR_CONTROL.search(url):
        return False
    m = _SCHEME.match(url)
    return m is None or url.lower().startswith(_SAFE_SCHEMES)


def plain_text(markdown: str) -> str:
    """Inline Markdown to the text a reader sees: links and images become their text."""
    while "](" in markdown:  # nested `[[pdf]](url)` needs two passes
        previous, markdown = markdown, _MD_LINK.sub(lambda m: m.group(1), markdown)
        if markdown == previous:
            break
    if "`" in markdown:
        markdown = _CODE_SPAN.sub(lambda m: m.group(2).strip(), markdown)
    return " ".join(markdown.split())


def duplicate_title_key(title: str) -> str:
    """What makes two titles on one page the same title (`duplicate-title`): visible text, case-folded.

    Stricter than the paper identity `notes.identity.title_key` (which drops accents and
    punctuation too): the cross-note `duplicate-paper` check asks this to know what the
    grammar already reported.
    """
    return " ".join(plain_text(title).casefold().split())


def split_authors(text: str) -> tuple[str, ...]:
    """Split an author line's inner text into names, as written (whitespace collapsed)."""
    names = []
    for piece in _AUTHOR_SPLIT.split(" ".join(text.split())):
        name = piece.strip()
        if name and not _ELLIPSIS.match(name):
            names.append(name)
    return tuple(names)


@dataclass(frozen=True, slots=True)
class TagPart:
    """One comma-separated part of a tag, read on its own (`split_tag`).

    With a year: `venue` is the words before it (None for a year alone) up to a `TRACK_WORDS`
    word, and `qualifier` the rest of them and the words after it. Without one, `venue` and `year` are None: whether `text` names a venue
    is for the library to say (`name_readings` lists how it could).
    """

    text: str
    venue: str | None = None
    year: int | None = None
    qualifier: str = ""


@functools.lru_cache(maxsize=1 << 16)  # pure; every rebuild reads every tag again (the library's reader, the checks')
def split_tag(tag: str) -> tuple[TagPart, ...]:
    """`"CVPR 2014, TPAMI 2016 Oral"` -> CVPR 2014 and TPAMI 2016 with qualifier "Oral".

    Commas inside parentheses do not split (`ECCV 2018 (Best Paper, Honorable Mention)`);
    a year alone completes a yearless part before it (`ICLR, 2020` is ICLR 2020).
    """
    parts: list[TagPart] = []
    for piece in _comma_pieces(tag):
        part = _read_part(piece)
        previous = parts[-1] if parts else None
        if (previous is not None and previous.year is None and part.venue is None and not part.qualifier
                and _YEAR_ONLY.match(piece)):
            venue, track = _split_track(previous.text)
            parts[-1] = TagPart(f"{previous.text}, {piece}", venue, part.year, track)
        else:
            parts.append(part)
    return tuple(parts)


def _comma_pieces(tag: str) -> list[str]:
    pieces, depth, start = [], 0, 0
    for i, char in enumerate(tag):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == "," and depth == 0:
            pieces.append(tag[start:i])
            start = i + 1
    pieces.append(tag[start:])
    return [p for p in (" ".join(piece.split()) for piece in pieces) if p]


def _read_part(text: str) -> TagPart:
    m = _DATED_PART.match(text)
    if not m:
        return TagPart(text)
    venue = (m.group(1) or "").rstrip(_EDGE_PUNCT + "'’") or None
    qualifier = clean_qualifier(m.group(3))
    if venue is not None:
        venue, track = _split_track(venue)
        qualifier = " ".join(q for q in (track, qualifier) if q)
    return TagPart(text, venue, int(m.group(2)), qualifier)


def _split_track(venue: str) -> tuple[str, str]:
    """`CVPR Workshop` (written before the year) -> ("CVPR", "Workshop"): a venue's name ends before its first `TRACK_WORDS` word."""
    words = venue.split()
    for i in range(1, len(words)):
        if qualifier_word(words[i]) in TRACK_WORDS:
            name = " ".join(words[:i]).rstrip(_EDGE_PUNCT)
            if name:
                return name, clean_qualifier(" ".join(words[i:]))
    return venue, ""


def clean_qualifier(text: str) -> str:
    """Words after a venue as shown: edge dashes and colons dropped, one pair of parentheses unwrapped,
    qualifier words in one spelling (`workshop`, `WORKSHOP` -> `Workshop`), so a qualifier reads the
    same however it is written."""
    text = " ".join(text.split()).strip(_EDGE_PUNCT)
    if text.startswith("(") and text.endswith(")") and "(" not in text[1:] and ")" not in text[:-1]:
        text = text[1:-1].strip(_EDGE_PUNCT)
    return " ".join(_shown_word(word) for word in text.split())


def _shown_word(word: str) -> str:
    """A word of a qualifier as shown: a `QUALIFIER_WORDS` word capitalised (`best,` -> `Best,`), any other as written."""
    core = word.strip(_WORD_PUNCT)
    folded = core.casefold()
    if not core or folded not in QUALIFIER_WORDS or folded in _JOINING_WORDS:
        return word
    start = word.index(core)
    return word[:start] + core[0].upper() + core[1:].lower() + word[start + len(core):]


def name_readings(text: str) -> list[tuple[str, str]]:
    """A yearless part as (venue name, qualifier), longest name first:
    `"CVPR workshop"` -> [("CVPR workshop", ""), ("CVPR", "workshop")]."""
    words = text.split()
    readings = []
    for k in range(len(words), 0, -1):
        name = " ".join(words[:k]).rstrip(_EDGE_PUNCT)
        if name:
            readings.append((name, clean_qualifier(" ".join(words[k:]))))
    return readings


def qualifier_word(word: str) -> str:
    """A qualifier word as `QUALIFIER_WORDS` lists it: case-folded, edge punctuation dropped."""
    return word.strip(_WORD_PUNCT).casefold()


def venue_and_year(tag: str) -> tuple[str | None, int | None] | None:
    """The first part with a year: `"NeurIPS 2023 Oral"` -> ("NeurIPS", 2023); `"2021"` -> (None, 2021);
    tags without a year -> None."""
    for part in split_tag(tag):
        if part.year is not None:
            return part.venue, part.year
    return None


def link_destination(raw: str) -> str:
    """The URL of a link's `(...)` part: `<>` and a quoted title removed."""
    url = raw.strip()
    if url.startswith("<") and url.endswith(">"):
        return url[1:-1].strip()
    m = _LINK_TITLE.match(url)
    return m.group(1) if m else url


def _mask_code_spans(line: str) -> str:
    """Blank out inline code so `![x](y)` inside backticks is not taken for an image."""
    if "`" not in line:
        return line
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


class _Parser:
    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.lines = normalise_newlines(text).split("\n")
        self.doc = Document(path=path)

    def warn(self, line: int, col: int, code: str, message: str, severity: Severity = "warning") -> None:
        self.doc.diagnostics.append(Diagnostic(self.path, line, col, severity, code, message))

    def run(self) -> Document:
        start = self._front_matter()
        self.doc.body_start = start + 1
        in_code = self._scan(start)
        self._find_contents_block(in_code)
        self._build_entries(in_code)
        return self.doc

    def _front_matter(self) -> int:
        """Return the index of the first body line (MkDocs strips YAML front matter)."""
        text = "\n".join(self.lines)
        m = _FRONT_MATTER.match(text)
        if not m:
            return 0
        try:
            meta: Any = yaml.safe_load(m.group(1))
        except yaml.YAMLError as exc:
            position = yaml_error_position(exc)
            line = position[0] + 1 if position is not None else 1  # the YAML starts on the line after `---`
            problem = " ".join(str(getattr(exc, "problem", None) or exc).split())  # one line
            self.warn(line, 1, "front-matter", f"front matter is not valid YAML: {problem}")
            return 0
        if not isinstance(meta, dict):
            return 0
        self.doc.meta = meta
        start = text[: m.end()].count("\n")
        while start < len(self.lines) and self.lines[start] == "":
            start += 1
        return start

    def _scan(self, start: int) -> list[bool]:
        """Record headings and figures; return, per line index, whether it is code."""
        in_code = [True] * start + [False] * (len(self.lines) - start)
        fence: tuple[str, int] | None = None
        for i in range(start, len(self.lines)):
            line = self.lines[i]
            stripped = line.lstrip(" ")
            if fence is not None:
                in_code[i] = True
                char, size = fence
                if len(line) - len(stripped) <= 3 and stripped.startswith(char * size) and not stripped.rstrip().strip(char):
                    fence = None
                continue
            if stripped[:1] in ("`", "~"):
                m = _FENCE_OPEN.match(line)
                if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
                    fence = (m.group(1)[0], len(m.group(1)))
                    in_code[i] = True
                    continue
            if stripped[:1] == "#":
                m = _ATX.match(line)
                if m:
                    self.doc.headings.append(Heading(len(m.group(1)), _heading_text(m.group(2)), i + 1))
                    if "](" in line:
                        self._links(line, i)
                    continue
            if "![" in line:
                for m in _IMAGE.finditer(_mask_code_spans(line)):
                    url = m.group(2)
                    if url.startswith("<") and url.endswith(">"):
                        url = url[1:-1]
                    self.doc.figures.append(Figure(m.group(1), url, i + 1, m.start() + 1, m.end() + 1))
            if "](" in line:
                self._links(line, i)
        headings = self.doc.headings
        if headings and headings[0].level == 1 and not any(self.lines[j].strip() for j in range(start, headings[0].line - 1)):
            self.doc.title_line = headings[0].line
        return in_code

    def _links(self, line: str, index: int) -> None:
        for m in _INLINE_LINK.finditer(_mask_code_spans(line)):
            text, raw = line[m.start(1) : m.end(1)], line[m.start(2) : m.end(2)]  # masking keeps positions
            self.doc.links.append(InlineLink(text, link_destination(raw), index + 1, m.start() + 1))

    def _find_contents_block(self, in_code: list[bool]) -> None:
        """A hand-kept `## Contents` list of in-page links is replaced by the generated one."""
        for heading in self.doc.headings:
            if heading.level > 3 or plain_text(heading.text).strip().lower().rstrip(":") not in _CONTENTS_TITLES:
                continue
            last = None
            for j in range(heading.line, len(self.lines)):
                line = self.lines[j]
                if in_code[j] or _ATX.match(line) or _THEMATIC_BREAK.match(line):
                    break
                if not line.strip():
                    continue
                if not _CONTENTS_ITEM.match(line):
                    last = None
                    break
                last = j + 1
            if last is not None:
                self.doc.contents_block = (heading.line, last)
            return

    def _next_nonblank(self, index: int, in_code: list[bool]) -> int | None:
        """0-based index of the first non-blank line at or after `index`."""
        while index < len(self.lines):
            if self.lines[index].strip():
                return index
            index += 1
        return None

    def _build_entries(self, in_code: list[bool]) -> None:
        section: str | None = None
        seen_titles: dict[str, int] = {}
        headings = self.doc.headings
        # Where each heading's body ends: before the next heading of level 1-3 (one backward pass).
        body_end = [len(self.lines)] * len(headings)
        upcoming = len(self.lines)
        for i in range(len(headings) - 1, -1, -1):
            body_end[i] = upcoming
            if headings[i].level <= 3:
                upcoming = headings[i].line - 1
        figure_lines = [f.line for f in self.doc.figures]  # in line order, as _scan found them
        for n, heading in enumerate(headings):
            if heading.level == 2:
                section = plain_text(heading.text) or None
            elif heading.level == 1:
                section = None
            if heading.level != 3:
                continue
            entry = self._parse_entry(heading, in_code)
            if entry is None:
                continue
            entry.section = section
            end = body_end[n]
            while end > entry.header_end_line and not self.lines[end - 1].strip():
                end -= 1
            entry.end_line = end
            entry.figures = tuple(self.doc.figures[bisect_right(figure_lines, entry.line) : bisect_right(figure_lines, end)])
            key = duplicate_title_key(entry.title)
            if key:
                if key in seen_titles:
                    first = line_ref(self.path, seen_titles[key], self.path)
                    self.warn(entry.line, 1, "duplicate-title", f"duplicate title {entry.title!r} on this page (first at {first})")
                else:
                    seen_titles[key] = entry.line
            self.doc.entries.append(entry)

    def _heading_offset(self, line_no: int) -> int:
        """0-based column where a heading's text starts."""
        line = self.lines[line_no - 1]
        m = _ATX.match(line)
        return m.start(2) if m and m.group(2) is not None else len(line)

    def _parse_entry(self, heading: Heading, in_code: list[bool]) -> Entry | None:
        text, line_no = heading.text, heading.line
        base = self._heading_offset(line_no)
        warnings: list[tuple[int, str, str]] = []
        priority, pos = 0, 0
        m = _PRIORITY.match(text)
        if m:
            priority = self._priority(m, base + 1, warnings)
            pos = _skip_space(text, m.end())
        tags: list[str] = []
        while (m := _TAG.match(text, pos)) is not None:
            inner = m.group(1)
            if inner and set(inner) == {"!"}:
                warnings.append((base + m.start() + 1, "priority-order", "priority marker must come before the tags"))
                priority = max(priority, self._priority(m, base + m.start() + 1, warnings))
            elif not inner.strip():
                warnings.append((base + m.start() + 1, "empty-tag", "empty tag []"))
            else:
                tags.append(" ".join(inner.split()))
            pos = _skip_space(text, m.end())
        rest = text[pos:]
        links: list[Link] = []
        for m in _RESOURCE.finditer(rest):
            col = base + pos + m.start() + 1
            label = " ".join(m.group(1).split())
            links.append(Link(label, self._link_url(m.group(2), label, line_no, col, warnings), col))
        title_md = _RESOURCE.sub(" ", rest)
        for m in _PRIORITY.finditer(title_md):
            warnings.append((base + pos + m.start() + 1, "priority-order", "priority marker must come first in the heading"))
            priority = max(priority, self._priority(m, base + pos + m.start() + 1, warnings))
        title = " ".join(_PRIORITY.sub(" ", title_md).split())

        authors, author_line = self._author_line(line_no, in_code, warnings)
        is_entry = priority > 0 or tags or links or author_line is not None
        if not is_entry:
            return None
        for col, code, message in warnings:
            self.warn(line_no if code != "author-line" else author_line or line_no, col, code, message)
        if not title:
            self.warn(line_no, base + 1, "empty-title", "entry has no title")
        entry = Entry(path=self.path, line=line_no, heading=text, title=title, priority=priority,
                      tags=tuple(tags), links=tuple(links), authors=authors, author_line=author_line)
        parts = [part for tag in tags for part in split_tag(tag)]
        set_venues(entry, [Venue(p.venue, p.year, p.qualifier) for p in parts if p.venue],
                   next((p.year for p in parts if p.year is not None), None))
        self._topics_line(entry, in_code)
        return entry

    def _priority(self, m: re.Match[str], col: int, warnings: list[tuple[int, str, str]]) -> int:
        bangs = len(m.group(1))
        if bangs > 3:
            warnings.append((col, "priority-marker", f"priority marker [{m.group(1)}] has more than three '!'; read as [!!!]"))
        return min(bangs, 3)

    def _link_url(self, raw: str | None, label: str, line_no: int, col: int,
                  warnings: list[tuple[int, str, str]]) -> str:
        if raw is None or not raw.strip():
            warnings.append((col, "link-url", f"link [[{label}]] has no URL: write [[{label}]](https://...)"))
            return ""
        url = link_destination(raw)
        if _SPACE.search(url):
            warnings.append((col, "url-space", f"URL of [[{label}]] contains a space: {url!r}"))
        elif not is_safe_url(url):
            warnings.append((col, "unsafe-url", f"URL of [[{label}]] is not http(s), mailto or relative: {url!r}"))
        if not label:
            warnings.append((col, "link-url", "resource link has an empty label [[]]"))
        return url

    def _author_line(self, line_no: int, in_code: list[bool],
                     warnings: list[tuple[int, str, str]]) -> tuple[tuple[str, ...], int | None]:
        index = self._next_nonblank(line_no, in_code)
        if index is None or in_code[index]:
            return (), None
        line = self.lines[index].strip().rstrip("\\").rstrip()
        if _ATX.match(self.lines[index]):
            return (), None
        opener = line[:1]
        if opener not in ("_", "*") or len(line) < 2 or line[1] in (opener, " ", "\t"):
            return (), None
        if len(line) > 2 and line.endswith(opener) and line[-2] != opener:
            return split_authors(line[1:-1]), index + 1
        if opener in line[1:]:
            return (), None  # emphasis that closes mid-line: an ordinary paragraph
        col = len(self.lines[index]) - len(self.lines[index].lstrip()) + 1
        warnings.append((col, "author-line", f"author line is not closed: end it with {opener}"))
        return split_authors(line[1:]), index + 1

    def _topics_line(self, entry: Entry, in_code: list[bool]) -> None:
        index = self._next_nonblank(entry.author_line or entry.line, in_code)
        if index is None or in_code[index]:
            return
        m = _TOPICS_LINE.match(self.lines[index].strip())
        if not m:
            return
        topics, bad = [], []
        for token in m.group(1).split():
            tm = _TOPIC.match(token.rstrip(","))
            (topics.append(tm.group(1)) if tm else bad.append(token))
        if bad or not topics:
            what = ", ".join(repr(b) for b in bad) if bad else "nothing"
            self.warn(index + 1, 1, "topics", f"topics line has {what}: write topics as #word, e.g. Tags: #diffusion #video")
        entry.topics = tuple(topics)
        entry.topics_line = index + 1


def set_venues(entry: Entry, venues: list[Venue], first_year: int | None) -> None:
    """An entry's venues; `venue`/`year` are the first one's (`first_year`, the first year written, when it has none)."""
    entry.venues = tuple(venues)
    entry.venue = venues[0].name if venues else None
    entry.year = venues[0].year if venues and venues[0].year is not None else first_year


def _heading_text(raw: str | None) -> str:
    """ATX heading content without trailing blanks and a closing `#` run (which needs a space or tab before it)."""
    text = (raw or "").rstrip(" \t")
    unclosed = text.rstrip("#")
    if unclosed != text and unclosed.endswith((" ", "\t")):
        text = unclosed
    return text.strip()


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


def format_entry(*, title: str, priority: int = 0, tags: tuple[str, ...] | list[str] = (),
                 links: tuple[tuple[str, str], ...] | list[tuple[str, str]] = (),
                 authors: tuple[str, ...] | list[str] = (), topics: tuple[str, ...] | list[str] = ()) -> str:
    """The canonical Markdown of an entry with these fields; `parse()` reads the same fields back.

    The grammar has no escapes, so fields must already be writable: no brackets in tags
    or labels, no `,`/`&`/` and ` inside a name, topics as `\\w` words. The CLI and tests
    use it to write entries; property tests check the round trip.
    """
    head = ["###"]
    if priority:
        head.append(f"[{'!' * priority}]")
    head += [f"[{tag}]" for tag in tags]
    if title:
        head.append(title)
    head += [f"[[{label}]]({url})" for label, url in links]
    lines = [" ".join(head)]
    if authors:
        lines.append(f"_{', '.join(authors)}_")
    if topics:
        lines.append("Tags: " + " ".join(f"#{topic}" for topic in topics))
    return "\n".join(lines) + "\n"
