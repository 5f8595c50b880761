"""Property-based tests of the one parser (`grammar.parse`): it never raises, it classifies
every level-3 heading, its line numbers are right, and entries round-trip through
`format_entry`."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from papernotes.notes.grammar import format_entry, parse
from papernotes.notes.source import normalise_newlines

# Modest budgets: the suite runs on every change.
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that carry meaning in the grammar or in Markdown, plus the awkward ones
# (CR, tab, BOM, RTL/LTR marks, zero-width joiners and spaces, CJK, combining accents).
HOSTILE_CHARS = ["#", "[", "]", "!", "_", "*", "`", "~", "(", ")", "\r\n", "\r", "\n", "\t", " ", "\ufeff",
                 "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202e", "\u2066", "中", "文", "标题", "ש",
                 "ا", "é", "e\u0301", "-", ",", ":", "&", "and", "Tags:", "x", "1", "2023", "<", ">", '"',
                 "{{", "}}", "{%", "|", "\\", "\u2028", "\x00"]

hostile_text = st.lists(st.sampled_from(HOSTILE_CHARS) | st.text(max_size=3), max_size=80).map("".join)


def _line(prefix: str) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(HOSTILE_CHARS), max_size=12).map(lambda parts: prefix + "".join(parts))


# Whole lines that start like the constructs the parser cares about.
structured_line = st.one_of(
    _line("### "), _line("###"), _line("   ### "), _line("    ### "), _line("## "), _line("# "), _line("#### "),
    _line("```"), _line("~~~"), _line("_"), _line("*"), _line("Tags: #"), _line("---"), _line(""),
    st.just(""), st.just("---"), st.just("```"), st.just("~~~~"),
)
structured_text = st.tuples(
    st.lists(structured_line, max_size=40),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.booleans(),
).map(lambda t: ("\ufeff" if t[2] else "") + t[1].join(t[0]))

ATX3 = re.compile(r"^ {0,3}###(?:[ \t]|$)")


@FAST
@given(st.one_of(hostile_text, structured_text, st.text(max_size=300)))
@example("```\n### [!] in code\n```\n### [!] out")
@example("---\ntitle: x\n---\n### [!!!] A\n_B_")
@example("---\n### \x00\n---\n### ")  # YAML's ReaderError (a control character) is a two-line message
@example("\ufeff### [!] A\r\n_B, C_\r\n")
def test_parse_never_raises_and_classifies_every_level_3_heading(text):
    doc = parse(text, "note.md")
    lines = normalise_newlines(text).split("\n")
    level3 = {h.line for h in doc.headings if h.level == 3}
    entry_lines = [e.line for e in doc.entries]
    # Each level-3 heading is exactly one of: an entry, an ordinary heading.
    assert len(entry_lines) == len(set(entry_lines))
    assert set(entry_lines) <= level3
    for heading in doc.headings:
        assert 1 <= heading.line <= len(lines)
        if heading.level == 3:
            # The line number points at the `###` line of the text MkDocs reads.
            assert ATX3.match(lines[heading.line - 1]), (heading, lines[heading.line - 1])
    for entry in doc.entries:
        assert ATX3.match(lines[entry.line - 1])
        assert entry.line <= entry.header_end_line <= max(entry.end_line, entry.header_end_line)
        assert 0 <= entry.priority <= 3
        assert all(tag == " ".join(tag.split()) and tag for tag in entry.tags)
        assert all(name == " ".join(name.split()) and name for name in entry.authors)
    for d in doc.diagnostics:
        assert d.path == "note.md"
        assert 1 <= d.line <= len(lines), d
        assert d.col >= 1, d
        assert "\n" not in d.message


@FAST
@given(structured_text)
def test_fenced_code_hides_headings(text):
    """Wrapping any text in a long enough fence leaves no heading and no entry behind it."""
    body = normalise_newlines(text).replace("`", "'").replace("~", "-")
    doc = parse("# Note\n\n```````\n" + body + "\n```````\n\n### [!] After\n", "note.md")
    assert [h.text for h in doc.headings] == ["Note", "[!] After"]
    assert [e.title for e in doc.entries] == ["After"]


# -- round trip: fields -> format_entry -> parse -> the same fields ----------------------------

_letters = st.characters(categories=["L", "Nd"], exclude_characters="_")
word = st.text(_letters, min_size=1, max_size=8).filter(lambda w: w not in ("and", "et"))
title_word = word | st.sampled_from(["-", ":", "&", "?", "v2", "3D", "C++", "GPT-4", "“quoted”", "中文", "é"])
tag_text = st.lists(word | st.sampled_from(["2023", "NeurIPS", "&", "+", "."]), min_size=1, max_size=3).map(" ".join)
title = st.lists(title_word, min_size=1, max_size=8).map(" ".join)
author = st.lists(word, min_size=1, max_size=3).map(" ".join)
url = st.builds(lambda host, path: f"https://{host}.org/{path}",
                st.text(st.characters(categories=["Ll"], max_codepoint=127), min_size=1, max_size=8),
                st.text(st.characters(categories=["L", "Nd"], max_codepoint=127, include_characters="/_.-~%"), max_size=12))
link = st.tuples(st.lists(word, min_size=1, max_size=2).map(" ".join), url)
topic = st.text(st.characters(categories=["L", "Nd"]), min_size=1, max_size=10)

fields = st.fixed_dictionaries({
    "priority": st.integers(0, 3),
    "tags": st.lists(tag_text, max_size=4).map(tuple),
    "title": title,
    "links": st.lists(link, max_size=3).map(tuple),
    "authors": st.lists(author, max_size=6).map(tuple),
    "topics": st.lists(topic, max_size=3).map(tuple),
})


def _read_back(entry) -> dict:
    return {"priority": entry.priority, "tags": entry.tags, "title": entry.title,
            "links": tuple((link.label, link.url) for link in entry.links), "authors": entry.authors,
            "topics": entry.topics}


@FAST
@given(fields, st.sampled_from(["", " ", "   "]), st.sampled_from(["", " ###", " #"]), st.sampled_from(["\n", "\r\n"]))
def test_format_then_parse_gives_the_same_fields(f, indent, closing, newline):
    assume(f["priority"] or f["tags"] or f["links"] or f["authors"])  # otherwise it is an ordinary heading
    markdown = format_entry(**f)
    first, rest = markdown.split("\n", 1)
    text = newline.join(["# Note", "", "## Section", "", indent + first + closing, *rest.split("\n"), "- a note", ""])
    doc = parse(text, "note.md")
    assert [d for d in doc.diagnostics if d.severity != "info"] == []
    [entry] = doc.entries
    assert _read_back(entry) == f
    assert entry.line == 5
    assert entry.section == "Section"


@FAST
@given(st.lists(fields, min_size=1, max_size=6))
def test_many_entries_keep_their_fields_and_order(many):
    many = [f for f in many if f["priority"] or f["tags"] or f["links"] or f["authors"]]
    titles = [f["title"] for f in many]
    assume(many and len({t.casefold() for t in titles}) == len(titles))
    text = "\n".join(format_entry(**f) + "\nSome body text.\n" for f in many)
    doc = parse(text, "note.md")
    assert [_read_back(e) for e in doc.entries] == many
    lines = text.split("\n")
    for entry in doc.entries:
        assert lines[entry.line - 1].startswith("### ")


def test_format_entry_of_the_seed_shape():
    text = format_entry(priority=3, tags=("Meta AI",), title="Segment Anything",
                        links=(("pdf", "https://arxiv.org/abs/2304.02643"),), authors=("A B", "C D"))
    assert text == "### [!!!] [Meta AI] Segment Anything [[pdf]](https://arxiv.org/abs/2304.02643)\n_A B, C D_\n"
