"""The one report: what `papernotes check` prints and what the build logs.

`run_checks` gathers every rule's diagnostics for a set of parsed notes (the grammar's,
missing figures, and the cross-note rules of this package); `diagnose` adds what
reading the files found, names files as the caller shows them and caps each rule per
file (`cap`). Pure functions of parsed `Document`s (no MkDocs import), so the CLI and
the plugin report the same things; rules in `disable` are dropped.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

from papernotes.checks.author_spellings import author_aliases
from papernotes.checks.contents import stale_contents
from papernotes.checks.duplicates import duplicate_papers
from papernotes.checks.links import link_labels, link_problems
from papernotes.checks.rules import LIMIT_PER_RULE
from papernotes.checks.tag_spellings import ambiguous_tags, tag_variants
from papernotes.index.aliases import Aliases
from papernotes.index.tags import TagReader
from papernotes.notes.figures import Exists, Layout, plan_figures
from papernotes.notes.model import Diagnostic, Document, Severity


@dataclass(frozen=True)
class CheckOptions:
    """What the checks need besides the notes (all optional)."""

    aliases: Aliases | None = None
    disable: Collection[str] = ()
    # Report grammar diagnostics and missing figures too (False when the caller already did, e.g. the plugin).
    grammar: bool = True
    # Why the site has no `src` though another config would make it (`outputs.paths.OutputPaths.not_made`).
    not_made: Callable[[str], str | None] | None = None


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
    found += link_problems(docs, layout, exists, options.not_made)
    found += link_labels(docs)
    reader = TagReader((e.tags for doc in docs for e in doc.entries), aliases)
    found += tag_variants(docs, aliases, reader)
    found += ambiguous_tags(docs, reader)
    found += stale_contents(docs)
    disabled = set(options.disable)
    return sorted((d for d in found if d.code not in disabled), key=sort_key)


def figure_diagnostics(doc: Document, layout: Layout, exists: Exists) -> list[Diagnostic]:
    """Missing figures (notices on pages that show placeholders), as the site reports them."""
    return plan_figures(doc, layout, exists).diagnostics


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    """The report's order: file, line, column, then rule and message so equal positions read the same every run."""
    return (d.path, d.line, d.col, d.code, d.message)


def format_diagnostic(d: Diagnostic) -> str:
    """`path:line:col: message [rule]`: how the build logs a diagnostic (the log level is its severity)."""
    return f"{d.path}:{d.line}:{d.col}: {d.message} [{d.code}]"


def diagnose(documents: Iterable[Document], display: Mapping[str, str], layout: Layout, exists: Exists, *,
             aliases: Aliases | None = None, file_problems: Iterable[Diagnostic] = (),
             disable: Collection[str] = (), wanted: Collection[str] | None = None,
             limit: int | None = LIMIT_PER_RULE, not_made: Callable[[str], str | None] | None = None) -> list[Diagnostic]:
    """Every problem of a set of notes, as both `papernotes check` and the build report it.

    `documents` are the parsed notes (keyed by their site path), `display` maps a
    site path to the path shown in messages, `file_problems` are what reading the
    files found (`notes.source.read_source`, aliases). Only notes in `wanted` (default:
    all) are reported, but every document is seen (links, duplicates). Sorted by file
    and line, rules in `disable` dropped, at most `limit` per rule per file. `not_made`: see `CheckOptions`.
    """
    found = list(file_problems)
    for d in run_checks(documents, layout, exists, CheckOptions(aliases=aliases, not_made=not_made)):
        if wanted is None or d.path in wanted:
            found.append(Diagnostic(display.get(d.path, d.path), d.line, d.col, d.severity, d.code, d.message))
    disabled = set(disable)
    result = sorted((d for d in found if d.code not in disabled), key=sort_key)
    return cap(result, limit) if limit is not None else result


_RANK: dict[Severity, int] = {"info": 0, "warning": 1, "error": 2}


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
