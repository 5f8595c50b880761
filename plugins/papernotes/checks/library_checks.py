"""Library-level checks: problems only visible with every note in view.

The grammar reports what is wrong inside one entry; these functions look across
entries and notes: the same paper twice, one author under two spellings, links
that lead nowhere, suspicious URLs and link labels, tag spellings that differ
only in case or spacing (or by a publisher's name), tags that read two ways. Pure functions of parsed `Document`s (no MkDocs
import), so `papernotes check` and the plugin report the same things.

Every problem is a `Diagnostic` with a short rule code that `disable:` switches off.
"""

from __future__ import annotations

import difflib
import posixpath
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from papernotes.checks.rules import LIMIT_PER_RULE
from papernotes.index.aliases import Aliases
from papernotes.index.names import name_key, topic_key
from papernotes.index.tags import TagReader
from papernotes.notes.figures import Layout, plan_figures, resolve
from papernotes.notes.grammar import is_safe_url, plain_text
from papernotes.notes.identity import fold, paper_keys
from papernotes.notes.model import Diagnostic, Document, Entry, InlineLink
from papernotes.notes.slugs import entry_anchors, page_anchors

# Labels seen in the wild for `[[label]](url)`; anything else is reported once as unknown (info),
# and a near miss of one of these as a typo (warning).
KNOWN_LABELS = frozenset({
    "pdf", "paper", "arxiv", "html", "doi", "openreview", "acl", "pubmed", "biorxiv", "ssrn", "springer", "ieee",
    "project", "page", "project page", "website", "homepage", "site", "web",
    "code", "github", "gitlab", "repo", "colab", "notebook",
    "huggingface", "hf", "model", "models", "weights", "checkpoint", "space",
    "data", "dataset", "benchmark", "leaderboard",
    "demo", "video", "youtube", "talk", "slides", "poster", "supp", "supplementary", "appendix",
    "blog", "news", "twitter", "x", "tweet", "thread", "reddit", "review", "reviews",
    "bibtex", "bib", "citation", "docs", "api", "zenodo", "openai", "hn",
})


def _letters(label: str) -> str:
    return "".join(sorted(label))


# Swapped letters (`[[pfd]]`, `[[cdoe]]`) score low for difflib on short words: matched by their letters.
_ANAGRAMS = {_letters(label): [label] for label in sorted(KNOWN_LABELS)}
_TRAILING_DIGITS = re.compile(r"\d+$")
_WELL_FORMED_WEB = re.compile(r"^https?://[^/\s]", re.I)  # the common case, answered without urlsplit
_SCHEME_TYPO = re.compile(r"^(h+t+p+s*|htps?|hhtps?|http[s]?s+)(:?/*)", re.I)

Exists = Callable[[str], bool]


@dataclass(frozen=True)
class CheckOptions:
    """What the checks need besides the notes (all optional)."""

    aliases: Aliases | None = None
    disable: Collection[str] = ()
    # Report grammar diagnostics and missing figures too (False when the caller already did, e.g. the plugin).
    grammar: bool = True


def run_checks(documents: Iterable[Document], layout: Layout, exists: Exists,
               options: CheckOptions | None = None) -> list[Diagnostic]:
    """Every diagnostic for `documents`, sorted by position; rules in `options.disable` are dropped.

    `exists(src)` answers whether a site source path (`other.md`, `assets/x.png`,
    a generated page) exists; documents' own paths are known without it.
    Paths in the diagnostics are the documents' paths.
    """
    options = options or CheckOptions()
    aliases = options.aliases or Aliases()
    docs = sorted(documents, key=lambda d: d.path)
    found: list[Diagnostic] = []
    if options.grammar:
        for doc in docs:
            found += doc.diagnostics
            found += figure_diagnostics(doc, layout, exists)
    found += duplicate_papers(docs)
    found += author_aliases(docs, aliases)
    found += link_problems(docs, layout, exists)
    found += link_labels(docs)
    reader = TagReader((e.tags for doc in docs for e in doc.entries), aliases)
    found += tag_variants(docs, aliases, reader)
    found += ambiguous_tags(docs, reader)
    found += stale_contents(docs)
    disabled = set(options.disable)
    return sorted((d for d in found if d.code not in disabled), key=sort_key)


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.path, d.line, d.col, d.code, d.message)


def format_diagnostic(d: Diagnostic) -> str:
    """`path:line:col: message [rule]`: how the build logs a diagnostic (the log level is its severity)."""
    return f"{d.path}:{d.line}:{d.col}: {d.message} [{d.code}]"


# -- the one report: what `papernotes check` prints and what the build logs ------------------


def diagnose(documents: Iterable[Document], display: Mapping[str, str], layout: Layout, exists: Exists, *,
             aliases: Aliases | None = None, file_problems: Iterable[Diagnostic] = (),
             disable: Collection[str] = (), wanted: Collection[str] | None = None,
             limit: int | None = LIMIT_PER_RULE) -> list[Diagnostic]:
    """Every problem of a set of notes, as both `papernotes check` and the build report it.

    `documents` are the parsed notes (keyed by their site path), `display` maps a
    site path to the path shown in messages, `file_problems` are what reading the
    files found (`notes.source.read_source`, aliases). Only notes in `wanted` (default: all) are
    reported, but every document is seen (links, duplicates). Sorted by file and
    line, rules in `disable` dropped, at most `limit` per rule per file.
    """
    found = list(file_problems)
    for d in run_checks(documents, layout, exists, CheckOptions(aliases=aliases)):
        if wanted is None or d.path in wanted:
            found.append(Diagnostic(display.get(d.path, d.path), d.line, d.col, d.severity, d.code, d.message))
    disabled = set(disable)
    result = sorted((d for d in found if d.code not in disabled), key=sort_key)
    return cap(result, limit) if limit is not None else result


_RANK = {"info": 0, "warning": 1, "error": 2}


def cap(diagnostics: list[Diagnostic], limit: int = LIMIT_PER_RULE) -> list[Diagnostic]:
    """At most `limit` diagnostics per rule per file; the rest become one "… and N more" line.

    The summary line stands where the first left-out diagnostic stood and has the
    highest severity of those it replaces, so `--strict` fails on the same input.
    """
    shown: Counter[tuple[str, str]] = Counter()
    left: dict[tuple[str, str], list[Diagnostic]] = defaultdict(list)
    result = []
    for d in diagnostics:
        key = (d.path, d.code)
        shown[key] += 1
        if shown[key] <= limit:
            result.append(d)
        else:
            left[key].append(d)
    for rest in left.values():
        first = rest[0]
        severity = max((d.severity for d in rest), key=_RANK.__getitem__)
        result.append(Diagnostic(first.path, first.line, first.col, severity, first.code, f"… and {len(rest):,} more"))
    return sorted(result, key=sort_key) if left else result


# -- figures ---------------------------------------------------------------------------------


def figure_diagnostics(doc: Document, layout: Layout, exists: Exists) -> list[Diagnostic]:
    """Missing figures (notices on pages that show placeholders), as the site reports them."""
    return plan_figures(doc, layout, exists).diagnostics


# -- duplicate papers (same by notes.identity) ----------------------------------------------


def duplicate_papers(documents: Iterable[Document]) -> list[Diagnostic]:
    """An entry whose arXiv id, DOI or normalised title was already seen (reported at the later one)."""
    first: dict[tuple[str, str], Entry] = {}
    result = []
    for doc in documents:
        for entry in doc.entries:
            reasons: list[str] = []
            earlier: Entry | None = None
            for key in paper_keys(entry):
                other = first.setdefault(key, entry)
                if other is entry:
                    continue
                if earlier is None:
                    earlier = other
                if other is earlier:
                    reasons.append(key[0] if key[0] == "title" else f"{key[0]} {key[1]}")
            if earlier is None or _grammar_reported(entry, earlier, reasons):
                continue
            where = f"line {earlier.line}" if earlier.path == entry.path else f"{earlier.path}:{earlier.line}"
            result.append(Diagnostic(entry.path, entry.line, 1, "warning", "duplicate-paper",
                                f"same paper as {where} (same {' and '.join(reasons)}); keep one entry"))
    return result


def _grammar_reported(entry: Entry, earlier: Entry, reasons: list[str]) -> bool:
    """The grammar already reports the same title twice on one page (`duplicate-title`)."""
    same_title = " ".join(plain_text(entry.title).casefold().split()) == " ".join(plain_text(earlier.title).casefold().split())
    return entry.path == earlier.path and same_title and reasons == ["title"]


# -- author spellings ------------------------------------------------------------------------


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
    buckets: dict[tuple[str, str], list[str]] = defaultdict(list)
    for spelling in counts:
        buckets[_bucket(spelling)].append(spelling)
    result = []
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
                entry, other = first_seen[variant], first_seen[canonical]
                where = f"line {other.author_line or other.line}" if other.path == entry.path else \
                    f"{other.path}:{other.author_line or other.line}"
                result.append(Diagnostic(
                    entry.path, entry.author_line or entry.line, 1, "warning", "author-alias",
                    f"author {variant!r} looks like {canonical!r} ({where}): {reason}; if one person, "
                    f"add to aliases.yml under authors:  {_yaml_key(canonical)}: [{_yaml_key(variant)}]"))
    return result


def _yaml_key(text: str) -> str:
    plain = re.fullmatch(r"[^\s:#\[\]{},&*!|>'\"%@`-][^:#\[\]{},]*", text) and not text.endswith(" ")
    return text if plain else '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# -- links -----------------------------------------------------------------------------------


def bad_url_reason(url: str) -> str | None:
    """A malformed web URL: a misspelt scheme or a scheme without a host."""
    if _WELL_FORMED_WEB.match(url):
        return None
    m = _SCHEME_TYPO.match(url)
    if m and m.group(1).lower() not in ("http", "https"):
        return f"misspelt scheme {m.group(0)!r}"
    lower = url.lower()
    if lower.startswith(("http:", "https:")):
        parts = urlsplit(url)
        if not url[len(parts.scheme) + 1 :].startswith("//") or not parts.netloc:
            return "no host after the scheme (write https://host/...)"
    elif m and m.group(2) != "://":
        return f"scheme without '://': {m.group(0)!r}"
    return None


def link_problems(documents: list[Document], layout: Layout, exists: Exists) -> list[Diagnostic]:
    """Relative links to missing notes, files or `#anchors`, and suspicious URLs of body links."""
    by_path = {doc.path: doc for doc in documents}
    anchors: dict[str, set[str]] = {}

    def anchors_of(path: str) -> set[str] | None:
        """Anchors of a checked note (None for other files); computed once, when first linked to."""
        if path not in by_path:
            return None
        if path not in anchors:
            doc = by_path[path]
            github = page_anchors(doc)  # every heading's GitHub anchor, and each entry's short one
            anchors[path] = set(github.values()) | set(entry_anchors(doc, github).values())
        return anchors[path]

    result = []
    for doc in documents:
        entry_heading_lines = {e.line for e in doc.entries}
        for link in doc.links:
            url = link.url
            in_entry_heading = link.line in entry_heading_lines  # the grammar checks those links' URLs
            reason = bad_url_reason(url)
            if reason and not (in_entry_heading and not is_safe_url(url)):
                result.append(_link_diag(doc, link, "bad-url", f"malformed URL {url!r}: {reason}"))
                continue
            if not in_entry_heading and any(ch.isspace() for ch in url):
                result.append(_link_diag(doc, link, "url-space", f"URL contains a space: {url!r}"))
                continue
            if not in_entry_heading and not is_safe_url(url):
                result.append(_link_diag(doc, link, "unsafe-url", f"URL is not http(s), mailto or relative: {url!r}"))
                continue
            message = _broken(doc, url, _Targets(layout, exists, anchors_of))
            if message:
                result.append(_link_diag(doc, link, "broken-link", message))
    return result


def _link_diag(doc: Document, link: InlineLink, code: str, message: str) -> Diagnostic:
    return Diagnostic(doc.path, link.line, link.col, "warning", code, message)


@dataclass(frozen=True)
class _Targets:
    layout: Layout
    exists: Exists
    anchors_of: Callable[[str], set[str] | None]


def _broken(doc: Document, url: str, targets: _Targets) -> str | None:
    """Why a relative link leads nowhere, or None (external links are not followed: no network)."""
    if not url or url.startswith("/") or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url):
        return None
    path, _, fragment = url.partition("#")
    path = path.split("?", 1)[0]
    target = resolve(doc.path, path, targets.layout) if path else doc.path
    if target is None:
        return None
    if target == "":
        layout = targets.layout
        return f"link {url!r} points outside the {layout.docs_dir}/ and {layout.assets_dir}/ folders"
    known = targets.anchors_of(target)
    if known is None and not targets.exists(posixpath.join(target, "index.md") if path.endswith("/") else target):
        return f"link target not found: {url!r}"
    fragment = unquote(fragment)
    if not fragment or known is None or fragment in known:
        return None
    near = difflib.get_close_matches(fragment, sorted(known), n=1, cutoff=0.6)
    hint = f"; did you mean #{near[0]}?" if near else ""
    return f"no heading with anchor #{fragment} on {'this page' if target == doc.path else target}{hint}"


# -- link labels -----------------------------------------------------------------------------


def link_labels(documents: Iterable[Document]) -> list[Diagnostic]:
    """`[[Porject]]` (a typo of a known label, warning) and labels nobody else uses (info)."""
    result = []
    reported_unknown: set[str] = set()
    for doc in documents:
        for entry in doc.entries:
            for link in entry.links:
                label = link.label.casefold()
                if not label or label in KNOWN_LABELS:
                    continue
                near = difflib.get_close_matches(label, sorted(KNOWN_LABELS), n=1, cutoff=0.75) or _ANAGRAMS.get(_letters(label), [])
                if near:
                    result.append(Diagnostic(doc.path, entry.line, link.col, "warning", "link-label",
                                        f"unknown link label [[{link.label}]]: did you mean [[{near[0]}]]?"))
                elif label not in reported_unknown:
                    reported_unknown.add(label)
                    result.append(Diagnostic(doc.path, entry.line, link.col, "info", "link-label",
                                        f"unknown link label [[{link.label}]]; usual ones are pdf, code, project, video, data"))
    return result


# -- tags ------------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 14)
def _squash(text: str) -> str:
    return re.sub(r"[\s_-]+", "", unicodedata.normalize("NFKC", text)).casefold()


def tag_variants(documents: Iterable[Document], aliases: Aliases, reader: TagReader | None = None) -> list[Diagnostic]:
    """Tags (or topics) written two ways that differ only in case, spaces, `-` or `_`; venues
    that differ by a publisher's name (`IEEE TPAMI`, `TPAMI`)."""
    documents = list(documents)
    reader = reader or TagReader((e.tags for doc in documents for e in doc.entries), aliases)
    spellings: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    first_seen: dict[tuple[str, str], tuple[str, int, int]] = {}
    venues: Counter[str] = Counter()
    for doc in documents:
        for entry in doc.entries:
            for kind, text in _tag_texts(entry, reader):
                canonical = aliases.tag(text)
                group = "topic" if kind == "topic" else "label"  # a venue and an organisation may differ in case only
                spellings[(group, _squash(canonical))][canonical] += 1
                first_seen.setdefault((group, canonical), (doc.path, entry.topics_line if kind == "topic" else entry.line, 1))
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
            path, line, col = first_seen[(kind, variant)]
            other_path, other_line, _ = first_seen[(kind, canonical)]
            where = f"line {other_line}" if other_path == path else f"{other_path}:{other_line}"
            shown = (lambda s: f"#{s}") if kind == "topic" else (lambda s: f"[{s}]")
            merged = topic_key(variant) == topic_key(canonical) if kind == "topic" else name_key(variant) == name_key(canonical)
            effect = "merged on the site, but spelled two ways" if merged else "they get separate tag pages"
            result.append(Diagnostic(path, line, col, "warning", "tag-variant",
                                f"tag {shown(variant)} differs from {shown(canonical)} ({where}) only in case or spacing "
                                f"({effect}); write it one way or add to aliases.yml under tags:  "
                                f"{_yaml_key(canonical)}: [{_yaml_key(variant)}]"))
    return result


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


def _venue_core(name: str) -> str:
    """A venue's name without publisher words, squashed: `IEEE TPAMI` and `tpami` -> "tpami"."""
    words = [w for w in name.split() if w.casefold() not in _PUBLISHER_WORDS]
    return _squash(" ".join(words)) if words else _squash(name)


def _publisher_variants(venues: Counter[str], first_seen: dict[tuple[str, str], tuple[str, int, int]]) -> list[Diagnostic]:
    """Venues whose names differ by a publisher's name (`IEEE TPAMI` and `TPAMI`): suggest one spelling."""
    # One spelling per squashed name (case and spacing variants are the rule above's), grouped by core.
    spelled: dict[str, str] = {}
    for name in sorted(venues, key=lambda n: -venues[n]):
        spelled.setdefault(_squash(name), name)
    totals: Counter[str] = Counter()
    for name, count in venues.items():
        totals[_squash(name)] += count
    groups: dict[str, list[str]] = defaultdict(list)
    for squashed, name in spelled.items():
        groups[_venue_core(name)].append(squashed)
    result = []
    for group in groups.values():
        if len(group) < 2:
            continue
        canonical = spelled[min(group, key=lambda sq: (-totals[sq], len(spelled[sq]), spelled[sq]))]
        for variant in (spelled[sq] for sq in group):
            if variant == canonical:
                continue
            path, line, col = first_seen[("label", variant)]
            other_path, other_line, _ = first_seen[("label", canonical)]
            where = f"line {other_line}" if other_path == path else f"{other_path}:{other_line}"
            result.append(Diagnostic(path, line, col, "warning", "tag-variant",
                                     f"venue [{variant}] looks like [{canonical}] ({where}) with or without a publisher's "
                                     f"name (they get separate tag pages); write it one way or add to aliases.yml under "
                                     f"tags:  {_yaml_key(canonical)}: [{_yaml_key(variant)}]"))
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
                        f"aliases.yml with  venues: [{_yaml_key(reading.other_name)}]  (the second) or  "
                        f"qualifiers: [{_yaml_key(' '.join(words))}]  (the first)"))
    return result


# -- hand-kept contents ----------------------------------------------------------------------


def stale_contents(documents: Iterable[Document]) -> list[Diagnostic]:
    """A hand-kept `## Contents` list that misses `##` sections.

    The site replaces it with a generated list, but GitHub's preview shows it as
    written, so the gap is reported as a notice.
    """
    result = []
    for doc in documents:
        if doc.contents_block is None:
            continue
        start, end = doc.contents_block
        anchors = page_anchors(doc)
        listed = {link.url[1:] for link in doc.links if start <= link.line <= end and link.url.startswith("#")}
        missing = [h for h in doc.headings if h.level == 2 and h.line != start and anchors[h.line] not in listed]
        if missing and listed:
            names = ", ".join(repr(plain_text(h.text)) for h in missing)
            result.append(Diagnostic(doc.path, start, 1, "info", "stale-contents",
                                f"hand-kept contents list misses {len(missing)} section(s): {names} "
                                "(the site shows a generated list; GitHub shows this one)"))
    return result
