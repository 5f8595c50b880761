"""Rules about how tags are written: `tag-variant` and `ambiguous-tag`.

A tag or topic written two ways that differ only in case, spaces, `-` or `_`; a venue
written with and without its publisher's name (`IEEE TPAMI`, `TPAMI`); a venue tag
whose qualifier could continue the venue's name (`[Nature 2023 Methods]`). Each
message gives the aliases.yml line that settles it. Tags are read as the site reads
them (`index.tags.TagReader`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

from papernotes.index.aliases import Aliases, merge_advice, yaml_key
from papernotes.index.names import name_key, topic_key
from papernotes.index.tags import TagReader
from papernotes.notes.model import Diagnostic, Document, Entry, line_ref

FirstSeen = dict[tuple[str, str], tuple[str, int, int]]  # (group, spelling) -> where first written: path, line, column


@lru_cache(maxsize=1 << 14)
def squash_tag(text: str) -> str:
    return re.sub(r"[\s_-]+", "", unicodedata.normalize("NFKC", text)).casefold()


def tag_variants(documents: Iterable[Document], aliases: Aliases, reader: TagReader | None = None) -> list[Diagnostic]:
    """Tags (or topics) written two ways that differ only in case, spaces, `-` or `_`; venues
    that differ by a publisher's name (`IEEE TPAMI`, `TPAMI`)."""
    documents = list(documents)
    reader = reader or TagReader((e.tags for doc in documents for e in doc.entries), aliases)
    spellings: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    first_seen: FirstSeen = {}
    venues: Counter[str] = Counter()
    for doc in documents:
        for entry in doc.entries:
            for kind, text in _tag_texts(entry, reader):
                canonical = aliases.tag(text)
                group = "topic" if kind == "topic" else "label"  # a venue and an organisation may differ in case only
                spellings[(group, squash_tag(canonical))][canonical] += 1
                first_seen.setdefault((group, canonical), (doc.path, (entry.topics_line or entry.line) if kind == "topic" else entry.line, 1))
                if kind == "venue":
                    venues[canonical] += 1
    result = _publisher_variants(venues, first_seen)
    for (kind, _key), counter in spellings.items():
        if len(counter) < 2:
            continue
        canonical = max(counter, key=counter.__getitem__)  # ties: the spelling seen first
        for variant in counter:
            if variant == canonical:
                continue
            path, line, col, where = _places(first_seen, kind, variant, canonical)
            shown = "#{}" if kind == "topic" else "[{}]"
            merged = topic_key(variant) == topic_key(canonical) if kind == "topic" else name_key(variant) == name_key(canonical)
            effect = "merged on the site, but spelled two ways" if merged else "they get separate tag pages"
            result.append(Diagnostic(path, line, col, "warning", "tag-variant",
                                     f"tag {shown.format(variant)} differs from {shown.format(canonical)} ({where}) only in case or spacing "
                                     f"({effect}); write it one way or {merge_advice('tags', canonical, variant)}"))
    return result


def _places(first_seen: FirstSeen, group: str, variant: str, canonical: str) -> tuple[str, int, int, str]:
    """Where `variant` is first written (path, line, column), and how its message names where `canonical` is."""
    path, line, col = first_seen[(group, variant)]
    other_path, other_line, _ = first_seen[(group, canonical)]
    return path, line, col, line_ref(other_path, other_line, path)


def _tag_texts(entry: Entry, reader: TagReader) -> Iterable[tuple[str, str]]:
    """(kind, name as written) of an entry's tags: "venue", "label" (organisations and other tags) or "topic"."""
    for text in entry.tags:
        for reading in reader.read(text):
            if reading.kind != "year":
                yield ("venue" if reading.kind == "venue" else "label"), reading.label
    for topic in entry.topics:
        yield "topic", topic


# Words a venue's name may carry or not: `IEEE TPAMI` and `TPAMI` are one journal.
_PUBLISHER_WORDS = frozenset({"ieee", "acm", "cvf", "ieee/cvf", "ieee-cvf", "springer", "elsevier", "aaai", "usenix",
                              "siam", "iapr", "acl", "the", "proc", "proc.", "proceedings", "of"})


def venue_core(name: str) -> str:
    """A venue's name without publisher words, squashed: `IEEE TPAMI` and `tpami` -> "tpami"."""
    words = [w for w in name.split() if w.casefold() not in _PUBLISHER_WORDS]
    return squash_tag(" ".join(words)) if words else squash_tag(name)


def _publisher_variants(venues: Counter[str], first_seen: FirstSeen) -> list[Diagnostic]:
    """Venues whose names differ by a publisher's name (`IEEE TPAMI` and `TPAMI`): suggest one spelling."""
    # One spelling per squashed name (case and spacing variants are the rule above's), grouped by core.
    spelled: dict[str, str] = {}
    for name in sorted(venues, key=lambda n: -venues[n]):
        spelled.setdefault(squash_tag(name), name)
    totals: Counter[str] = Counter()
    for name, count in venues.items():
        totals[squash_tag(name)] += count
    groups: dict[str, list[str]] = defaultdict(list)
    for squashed, name in spelled.items():
        groups[venue_core(name)].append(squashed)
    result = []
    for group in groups.values():
        if len(group) < 2:
            continue
        canonical = spelled[min(group, key=lambda sq: (-totals[sq], len(spelled[sq]), spelled[sq]))]
        for variant in (spelled[sq] for sq in group):
            if variant == canonical:
                continue
            path, line, col, where = _places(first_seen, "label", variant, canonical)
            result.append(Diagnostic(path, line, col, "warning", "tag-variant",
                                     f"venue [{variant}] looks like [{canonical}] ({where}) with or without a publisher's "
                                     f"name (they get separate tag pages); write it one way or {merge_advice('tags', canonical, variant)}"))
    return result


def ambiguous_tags(documents: Iterable[Document], reader: TagReader) -> list[Diagnostic]:
    """A venue tag whose qualifier could continue the venue's name (`[Nature 2023 Methods]`), once per
    spelling, with the aliases.yml line that settles it either way."""
    result = []
    seen: set[tuple[str, str]] = set()
    for doc in documents:
        for entry in doc.entries:
            for text in entry.tags:
                for reading in reader.read(text):
                    if reading.other_name is None or (reading.label, reading.qualifier) in seen:
                        continue
                    seen.add((reading.label, reading.qualifier))
                    words = reading.other_name[len(reading.label):].split()
                    result.append(Diagnostic(
                        doc.path, entry.line, 1, "info", "ambiguous-tag",
                        f"tag [{text}] can be read two ways: venue {reading.label!r} with qualifier "
                        f"{reading.qualifier!r} (as read now), or venue {reading.other_name!r}; settle it in "
                        f"aliases.yml with  venues: [{yaml_key(reading.other_name)}]  (the second) or  "
                        f"qualifiers: [{yaml_key(' '.join(words))}]  (the first)"))
    return result
