"""Tags split into venue, year and qualifier parts, for any tag (Hypothesis); the table's rows: tests/unit/index/test_tags.py."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from papernotes.notes.grammar import QUALIFIER_WORDS, split_tag

# Qualifier words read as qualifiers wherever they stand, in one spelling (unit/index/test_qualifier_words.py): not here.
WORD = st.text(alphabet=st.characters(categories=["L"]), min_size=1, max_size=8).filter(lambda w: w.casefold() not in QUALIFIER_WORDS)
WORDS = st.lists(WORD, min_size=1, max_size=3).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(WORDS, st.integers(1900, 2099), st.one_of(st.just(""), WORDS)), min_size=1, max_size=4))
def test_written_parts_read_back(parts):
    tag = ", ".join(" ".join(x for x in (venue, str(year), qualifier) if x) for venue, year, qualifier in parts)
    assert [(p.venue, p.year, p.qualifier) for p in split_tag(tag)] == parts


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_tag_splits_into_clean_parts(tag):
    parts = split_tag(tag)
    assert re.sub(r"[\s,]", "", "".join(p.text for p in parts)) == re.sub(r"[\s,]", "", tag)  # nothing lost
    for part in parts:
        assert part.text and part.text == " ".join(part.text.split())
        assert part.year is None or 1900 <= part.year <= 2099
        assert part.venue is None or (part.venue and part.year is not None)
