"""BibTeX records: one record and one key per paper, and the one layout every record is written in.

Entries that are one paper by the identity `duplicate-paper` uses (`checks.paper_keys`: same
arXiv id or DOI, else the same normalised title) share one record and one key. Keys read like
`kirillov2023segment`: first author's family name, year, first significant title word. When
two papers want the same key, the one added first (`Library.added`, then note path and line)
keeps it and later ones get `a`, `b`, ... in order of date added, so adding a paper never
renames an older key.

`layout` writes a record out; papers.bib (`outputs/papers_bib.py`), the Cite control
(`EntryView.bibtex`) and the explorer's data (`outputs/explorer.py`, which leaves out what
`assets/explorer.js` can rebuild in the browser) all call it. It is written here rather than
with bibtexparser 2's writer (which it matches byte for byte, tests/unit/render/test_bibtex.py checks)
because explorer.js must rebuild the same text from a record's words: one layout in a dozen
lines can be read beside the script's, a library's writer cannot. Field values are LaTeX
source already (`latex_escape`); `author` stays `and`-joined as written. Pure module: no
MkDocs import.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from papernotes.notes.grammar import is_safe_url, plain_text
from papernotes.notes.identity import paper_keys, paper_keys_of
from papernotes.notes.memo import kept
from papernotes.notes.model import Entry, Link
from papernotes.notes.slugs import ascii_fold

# Braces are spelled as commands: BibTeX counts `\{` as a brace, so an escaped lone `{` would
# leave the field unbalanced and end the record early.
_LATEX = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
          "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
          "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_LATEX_TABLE = str.maketrans(_LATEX)
_STOPWORDS = frozenset({
    "a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "without", "towards", "toward", "via", "is", "are",
    "from", "by", "at", "as", "do", "does", "what", "how", "why", "when", "can", "be", "we", "our", "your", "its",
    "into", "over", "under", "beyond"})
# Venues that are journals though their names do not say so; anything else is a conference
# unless its name contains a journal word (_JOURNAL_WORDS).
KNOWN_JOURNALS = frozenset(s.casefold() for s in (
    "JMLR", "TMLR", "TPAMI", "PAMI", "IJCV", "TIP", "TOG", "ACM TOG", "TVCG", "TNNLS", "TACL", "Nature",
    "Nature Machine Intelligence", "Science", "Science Robotics", "PNAS", "Cell", "Neural Computation",
    "Artificial Intelligence", "Machine Learning", "Pattern Recognition", "Neurocomputing", "CSUR", "RA-L", "RAL",
    "IJRR", "T-RO", "TRO", "Distill", "eLife", "PLOS ONE", "Patterns", "CACM", "Communications of the ACM"))
_JOURNAL_WORDS = re.compile(r"\b(journal|transactions|letters|review|reviews|magazine|proceedings of the ieee)\b", re.I)
_ARXIV_NEW = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}$")
_ARXIV_OLD = re.compile(r"/(\d{2})(\d{2})\d{3}$")


def latex_escape(text: str) -> str:
    """Text as LaTeX source that prints as exactly that text; non-ASCII stays UTF-8."""
    return text.translate(_LATEX_TABLE)


def protect_capitals(text: str) -> str:
    """An escaped title with each word holding a capital braced, so styles do not lowercase it."""
    return " ".join(f"{{{word}}}" if any(c.isupper() for c in word) else word
                    for word in (latex_escape(w) for w in text.split(" ")))


def paper_groups(entries: Iterable[Entry]) -> list[list[Entry]]:
    """Entries grouped into papers: one group per connected set of shared `paper_keys`, in entry order."""
    entries = list(entries)
    parent = list(range(len(entries)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple[str, str], int] = {}
    for i, entry in enumerate(entries):
        for key in paper_keys(entry):
            j = first.setdefault(key, i)
            if j != i:
                a, b = root(i), root(j)
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[Entry]] = {}
    for i, entry in enumerate(entries):
        groups.setdefault(root(i), []).append(entry)
    return list(groups.values())


def arxiv_year(arxiv_id: str) -> int | None:
    """The year an arXiv id was issued (`2304.02643` -> 2023, `hep-th/9901001` -> 1999)."""
    m = _ARXIV_NEW.match(arxiv_id) or _ARXIV_OLD.search(arxiv_id)
    if not m or not 1 <= int(m.group(2)) <= 12:  # a month
        return None
    yy = int(m.group(1))
    return (1900 if yy >= 91 else 2000) + yy  # arXiv began in 1991


def family_name(name: str) -> str:
    """`Alexander Kirillov` -> `Kirillov`; `Kirillov, Alexander` -> `Kirillov`."""
    if "," in name:
        return name.split(",", 1)[0].strip()
    parts = name.split()
    return parts[-1] if parts else name


def _word(text: str) -> str:
    return ascii_fold(text).replace("-", "")


def base_key(entry: Entry, year: int | None) -> str:
    """`kirillov2023segment`: family name + year + first significant title word, ASCII."""
    return _base_key(entry.authors[0] if entry.authors else "", entry.title, year)


@functools.lru_cache(maxsize=1 << 16)  # pure; transliterating is slow and every rebuild asks for every paper
@kept("bibtex._base_key")
def _base_key(first_author: str, title: str, year: int | None) -> str:
    author = _word(family_name(first_author)) if first_author else ""
    words = [w for w in ascii_fold(plain_text(title)).split("-") if w]
    word = next((w for w in words if w not in _STOPWORDS), words[0] if words else "")
    return (author or "anon") + (str(year) if year else "") + (word or "untitled")


def _suffix(n: int) -> str:
    """0 -> "", 1 -> "a", 26 -> "z", 27 -> "aa": the n-th later paper's suffix."""
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(ord("a") + rem) + out
    return out


def venue_type(venue: str | None) -> str:
    """`article` for journals (known names or a journal word), `inproceedings` otherwise."""
    if venue and (venue.casefold() in KNOWN_JOURNALS or _JOURNAL_WORDS.search(venue)):
        return "article"
    return "inproceedings"


@dataclass(frozen=True, slots=True)
class Citation:
    """One paper's BibTeX record: key, type, fields (values already LaTeX source)."""

    key: str
    entry_type: str
    fields: tuple[tuple[str, str], ...]

    @property
    def bibtex(self) -> str:
        """The record as text (`layout`)."""
        return layout(self.entry_type, self.key, self.fields)


def _ids(group: Sequence[Entry | _Cited]) -> dict[str, str]:
    """The paper's arXiv id and DOI (`paper_keys` kinds), the first written of each."""
    return dict(reversed([k for e in group for k in paper_keys_of(tuple(link.url for link in e.links), e.title)
                          if k[0] != "title"]))


def paper_year(group: Sequence[Entry | _Cited]) -> int | None:
    """The year of a venue tag, else the year of its arXiv id."""
    arxiv = _ids(group).get("arXiv id")
    return next((e.year for e in group if e.year), None) or (arxiv_year(arxiv) if arxiv else None)


def citation(key: str, group: list[Entry]) -> Citation:
    """The record of a paper from its entries (the first one written, the others fill gaps)."""
    return _citation(key, tuple(_Cited(e.title, e.authors, e.venue, e.year, e.links) for e in group))


@dataclass(frozen=True, slots=True)
class _Cited:
    """What a record reads of an entry (by value: `_citation` is remembered across rebuilds)."""

    title: str
    authors: tuple[str, ...]
    venue: str | None
    year: int | None
    links: tuple[Link, ...]


@functools.lru_cache(maxsize=1 << 16)  # pure; under `mkdocs serve` every rebuild makes every record again
def _citation(key: str, group: tuple[_Cited, ...]) -> Citation:
    entry = group[0]
    ids = _ids(group)
    arxiv, doi = ids.get("arXiv id"), ids.get("DOI")
    venue = next((e.venue for e in group if e.venue), None)
    year = paper_year(group)
    if venue and venue.casefold() not in ("arxiv", "corr"):
        kind = venue_type(venue)
    else:
        kind, venue = "misc", None
    fields = [("title", protect_capitals(plain_text(entry.title))),
              ("author", " and ".join(latex_escape(a) for a in entry.authors))]
    if year:
        fields.append(("year", str(year)))
    if venue:
        fields.append(("journal" if kind == "article" else "booktitle", latex_escape(venue)))
    if arxiv:
        fields += [("eprint", arxiv), ("archivePrefix", "arXiv")]
    url = next((link.url for e in group for link in e.links if is_safe_url(link.url)), None)
    if url:
        fields.append(("url", url.replace("{", "%7B").replace("}", "%7D")))
    if doi:
        fields.append(("doi", latex_escape(doi)))
    return Citation(key, kind, tuple((k, v) for k, v in fields if v))


def layout(entry_type: str, key: str, fields: Sequence[tuple[str, str]]) -> str:
    """A record as text: `@type{key,`, a line `  name = {value},` per field (the last without
    its comma), then `}` and a newline. explorer.js's `bib` rebuilds exactly this, less the final
    newline, for a record with fields (it writes an empty line in a record without any)."""
    lines = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{key},\n" + (lines + "\n" if fields else "") + "}\n"


class Bibliography:
    """Every paper of a set of entries once, with stable keys.

    A pure function of what it reads of each entry, in order (`reads`): with `last` (under
    `mkdocs serve`, the last build's) reading the same, its records are taken as they are, each
    entry getting the record of the entry at its place there (a bullet added to a note changes
    nothing here, and every rebuild would otherwise group and key every paper again).
    """

    def __init__(self, entries: Iterable[Entry], added: Callable[[Entry], datetime | None], *,
                 last: Bibliography | None = None) -> None:
        entries = self._entries = list(entries)
        self.reads = [(e.title, e.authors, e.venue, e.year, e.links, added(e)) for e in entries]
        self.citations: list[Citation] = []
        self._by_entry: dict[int, Citation] = {}
        if last is not None and last.reads == self.reads:
            self.citations = last.citations
            self._by_entry = {id(e): last._by_entry[id(old)] for e, old in zip(entries, last._entries, strict=True)}
            return
        position = {id(e): i for i, e in enumerate(entries)}

        def order(e: Entry) -> tuple[bool, float, str, str, tuple[str, ...], str, int, int]:
            # Date added, then the paper itself: never the note it is in or the notes' order, so
            # renaming, moving or deleting a note changes no other paper's key.
            date = added(e)
            return (date is None, date.timestamp() if date else 0.0, e.title.casefold(), e.title, e.authors,
                    e.venue or "", e.year or 0, position[id(e)])

        groups = [sorted(g, key=order) for g in paper_groups(entries)]
        groups.sort(key=lambda g: order(g[0]))  # a paper's date is its first entry's
        taken: set[str] = set()
        bases = [base_key(g[0], paper_year(g)) for g in groups]
        for group, base in zip(groups, bases, strict=True):
            n = 0
            while base + _suffix(n) in taken:
                n += 1
            key = base + _suffix(n)
            taken.add(key)
            record = citation(key, group)
            self.citations.append(record)
            for e in group:
                self._by_entry[id(e)] = record

    def get(self, entry: Entry) -> Citation | None:
        return self._by_entry.get(id(entry))
