"""Rules about links in the notes' text: where they lead, how their URLs are written, how they are labelled.

`broken-link` (a relative link to a missing note, file or `#anchor`; external links are
not followed: no network), `bad-url`, `url-space` and `unsafe-url` for links in the body
(the grammar checks the resource links of entry headings), and `link-label` for a
`[[label]]` that looks like a typo of a known one.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from papernotes.notes.figures import Exists, Layout, resolve
from papernotes.notes.grammar import is_safe_url
from papernotes.notes.model import Diagnostic, Document, InlineLink
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
_WELL_FORMED_WEB = re.compile(r"^https?://[^/\s]", re.I)  # the common case, answered without urlsplit
_SCHEME_TYPO = re.compile(r"^(h+t+p+s*|htps?|hhtps?|http[s]?s+)(:?/*)", re.I)


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


def link_problems(documents: list[Document], layout: Layout, exists: Exists,
                  not_made: Callable[[str], str | None] | None = None) -> list[Diagnostic]:
    """Relative links to missing notes, files or `#anchors`, and suspicious URLs of body links.

    `not_made(src)`: why the site has no `src` though another config would make it (a feed
    without a site_url), said in the link's message."""
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
            message = _broken(doc, url, _Targets(layout, exists, anchors_of, not_made))
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
    not_made: Callable[[str], str | None] | None = None


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
        reason = targets.not_made(target) if targets.not_made is not None else None
        return f"link target not found: {url!r}" + (f" ({reason})" if reason else "")
    fragment = unquote(fragment)
    if not fragment or known is None or fragment in known:
        return None
    near = difflib.get_close_matches(fragment, sorted(known), n=1, cutoff=0.6)
    hint = f"; did you mean #{near[0]}?" if near else ""
    return f"no heading with anchor #{fragment} on {'this page' if target == doc.path else target}{hint}"


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
