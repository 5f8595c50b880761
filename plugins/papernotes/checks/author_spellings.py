"""The `author-alias` rule: two spellings that look like one person, not merged by aliases.yml.

`José Lezama` and `Jose Lezama`, `D. Ross` and `David Ross`, `Alec Radford1` and
`Alec Radford`: the message gives the aliases.yml line that merges them. Spellings
are compared only within a bucket (same last word, same first initial), so the
work grows with the largest bucket, not with the square of the number of authors.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

from papernotes.index.aliases import Aliases, merge_advice
from papernotes.notes.identity import fold
from papernotes.notes.memo import kept
from papernotes.notes.model import Diagnostic, Document, Entry, line_ref

_TRAILING_DIGITS = re.compile(r"\d+$")


def _tokens(name: str) -> list[str]:
    return _TRAILING_DIGITS.sub("", " ".join(name.split())).replace(".", ". ").split()


def _is_initial(token: str) -> bool:
    parts = [p for p in token.replace(".", " ").replace("-", " ").split() if p]
    return bool(parts) and all(len(p) == 1 for p in parts)


def _given_match(a: str, b: str) -> bool:
    """`David`~`David`, `D.`~`David`, `M.-H.`~`Ming-Hsuan`."""
    fa, fb = fold(a).strip("."), fold(b).strip(".")
    if fa == fb:
        return True
    if _is_initial(a) or _is_initial(b):
        ia = [p[0] for p in re.split(r"[.\s-]+", fa) if p]
        ib = [p[0] for p in re.split(r"[.\s-]+", fb) if p]
        return ia == ib or (ia[:1] == ib[:1] and (len(ia) == 1 or len(ib) == 1))
    return False


@lru_cache(maxsize=1 << 16)  # pure; every rebuild compares the same pairs of spellings again
@kept("alias_reason")  # and every `serve` start
def alias_reason(a: str, b: str) -> str | None:  # noqa: PLR0911 (one return per kind of likeness reads best)
    """Why two distinct spellings look like one person, or None."""
    if a.casefold() == b.casefold():
        return "they differ only in case"
    da, db = _TRAILING_DIGITS.sub("", a).strip(), _TRAILING_DIGITS.sub("", b).strip()
    if (da != a or db != b) and fold(da) == fold(db):
        return "they differ only in a trailing number"
    if fold(a) == fold(b):
        return "they differ only in accents"
    ta, tb = _tokens(a), _tokens(b)
    if len(ta) < 2 or len(tb) < 2 or fold(ta[-1]) != fold(tb[-1]):
        return None
    ga, gb = ta[:-1], tb[:-1]
    if not _given_match(ga[0], gb[0]):
        return None
    ma, mb = ga[1:], gb[1:]
    if ma and mb and (len(ma) != len(mb) or not all(_given_match(x, y) for x, y in zip(ma, mb, strict=True))):
        return None
    if any(_is_initial(t) for t in ga + gb) or bool(ma) != bool(mb):
        return "their given names differ only by initials"
    return None


@lru_cache(maxsize=1 << 16)
def _bucket(name: str) -> tuple[str, str]:
    tokens = _tokens(name)
    if not tokens:
        return ("", "")
    return (fold(tokens[-1]), fold(tokens[0])[:1] if len(tokens) > 1 else "")


def _preference(name: str, count: int) -> tuple[bool, int, bool, int, bool]:
    """Which spelling to suggest as canonical: no trailing number, most used, accented, fullest."""
    return (not _TRAILING_DIGITS.search(name), count, fold(name) != name.casefold(), len(name), not name.islower())


def author_aliases(documents: Iterable[Document], aliases: Aliases) -> list[Diagnostic]:
    """Spellings that probably name one person and are not merged by aliases.yml."""
    counts: Counter[str] = Counter()
    first_seen: dict[str, Entry] = {}
    spellings: dict[str, str] = {}  # name as written -> as aliases.yml merges it (names repeat)
    for doc in documents:
        for entry in doc.entries:
            for name in entry.authors:
                spelling = spellings.get(name)
                if spelling is None:
                    spelling = spellings[name] = " ".join(aliases.author(name).split())
                counts[spelling] += 1
                first_seen.setdefault(spelling, entry)
    result = []
    for variant, canonical, reason in _LIKENESSES.of(counts):
        entry, other = first_seen[variant], first_seen[canonical]
        where = line_ref(other.path, other.author_line or other.line, entry.path)
        result.append(Diagnostic(
            entry.path, entry.author_line or entry.line, 1, "warning", "author-alias",
            f"author {variant!r} looks like {canonical!r} ({where}): {reason}; if one person, "
            f"{merge_advice('authors', canonical, variant)}"))
    return result


def likenesses(counts: Counter[str]) -> list[tuple[str, str, str]]:
    """(variant, canonical, reason) of each spelling that looks like a more likely one, from how
    often each spelling is written: where the notes write them plays no part."""
    buckets: dict[tuple[str, str], list[str]] = defaultdict(list)
    for spelling in counts:
        buckets[_bucket(spelling)].append(spelling)
    found = []
    for group in buckets.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda s: _preference(s, counts[s]), reverse=True)
        reported: set[str] = set()
        for i, canonical in enumerate(group):
            if canonical in reported:
                continue
            for variant in group[i + 1 :]:
                if variant in reported:
                    continue
                reason = alias_reason(canonical, variant)
                if reason is None:
                    continue
                reported.add(variant)
                found.append((variant, canonical, reason))
    return found


class _LastLikenesses:
    """`likenesses` of the last counts asked for: under `mkdocs serve` a save mostly changes no
    author's count, and every rebuild asks again. Kept by the counts' items in order (ties keep
    the order), so the answer is `likenesses(counts)`'s, whoever asks."""

    def __init__(self) -> None:
        self._items: list[tuple[str, int]] | None = None
        self._found: list[tuple[str, str, str]] = []

    def of(self, counts: Counter[str]) -> list[tuple[str, str, str]]:
        items = list(counts.items())
        if items != self._items:
            self._items, self._found = items, likenesses(counts)
        return self._found


_LIKENESSES = _LastLikenesses()
