"""The library: every parsed note, indexed once per build.

Builds authors, tags, anchors, URLs and the priority lists from `Document`s.
Pure functions of the parsed entries (no MkDocs import): the plugin, the CLI and
the tests get the same answer from the same input.
"""

from __future__ import annotations

import functools
import posixpath
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import yaml
from nameparser import HumanName
from nameparser.config import CONSTANTS as NAME_CONSTANTS

from papernotes.notes.grammar import QUALIFIER_WORDS, is_safe_url, name_readings, plain_text, qualifier_word, set_venues, split_tag
from papernotes.notes.model import Diagnostic, Document, Entry, Venue
from papernotes.notes.slugs import ascii_fold, ascii_slug, assign_unique, entry_anchors, page_anchors

TagKind = Literal["venue", "year", "org", "topic"]
TAG_KINDS: tuple[TagKind, ...] = ("venue", "year", "org", "topic")
TAG_KIND_TITLES = {"venue": "Venues", "year": "Years", "org": "Organisations and other tags", "topic": "Topics"}


@functools.lru_cache(maxsize=1 << 17)  # pure; asked ~30 times per entry each build (index, checks, explorer)
def name_key(name: str) -> str:
    """Identity of a name: NFKC-normalised, whitespace-collapsed, case-folded."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


def topic_key(name: str) -> str:
    return name_key(name.replace("-", " ").replace("_", " "))


def row_sort_key(entry: Entry) -> tuple[int, int, str, str, int]:
    """The one order of every generated list: priority desc, year desc, title, then position."""
    return (-entry.priority, -(entry.year or 0), plain_text(entry.title).casefold(), entry.path, entry.line)


@functools.lru_cache(maxsize=1 << 16)  # pure; every rebuild asks again for every author and tag page
def src_to_url(src_uri: str, use_directory_urls: bool) -> str:
    """The URL MkDocs gives a Markdown page (mirrors mkdocs.structure.files.File)."""
    parent, filename = posixpath.split(src_uri)
    stem = posixpath.splitext(filename)[0]
    if not use_directory_urls or stem in ("index", "README"):
        dest = posixpath.join(parent, ("index" if stem == "README" else stem) + ".html")
    else:
        dest = posixpath.join(parent, stem, "index.html")
    if use_directory_urls and posixpath.basename(dest) == "index.html":
        dest = dest[: -len("index.html")]
    return dest or "./"


def relative_url(url: str, base: str) -> str:
    """`url` as seen from the page at `base` (same semantics as mkdocs.utils.get_relative_url)."""
    path, _, fragment = url.partition("#")
    # posixpath.relpath, without its abspath/commonprefix overhead: called for every link of every
    # generated page, it was a large share of the plugin's time on big libraries.
    target = _parts(path) if path not in ("", "./") else ()
    start = _base_parts(base)
    common = 0
    for a, b in zip(target, start, strict=False):
        if a != b:
            break
        common += 1
    rel = "/".join(("..",) * (len(start) - common) + target[common:]) or "."
    if path.endswith("/") or path in ("", "./"):
        rel = rel.rstrip("/") + "/" if rel != "." else "./"
    return rel + ("#" + fragment if fragment else "")


def depth_base(url: str) -> str:
    """A stand-in base for every page as deep as the page at `url`.

    A link made relative to it climbs to the site root and back down (`../../authors/b/`
    from any `authors/a/` or `tags/c/`), so it reaches its target from each of those pages:
    an entry's row, or a link to an author, is made once for all of them, not once per page.
    """
    return _NOWHERE_DIR * len(_base_parts(url))


_NOWHERE_DIR = "\x00/"  # a folder no site path contains: links from it never shortcut through it


@functools.lru_cache(maxsize=1 << 16)
def _base_parts(base: str) -> tuple[str, ...]:
    """Folder components of the page at `base` (`a/b.html` is in `a`, `a/b/` is `a/b`)."""
    if base != ".":
        head, tail = posixpath.split(base)
        base = head if "." in tail else base
    return _parts(base)


@functools.lru_cache(maxsize=1 << 16)  # pure; the same few thousand page URLs come back on every page
def _parts(path: str) -> tuple[str, ...]:
    """Components of a site path, normalised as posixpath.relpath does (`a/./b/../c` -> ("a", "c"))."""
    return tuple(p for p in posixpath.normpath("/" + path).split("/") if p)


@dataclass
class Aliases:
    """Merges of author and tag spellings, loaded from the aliases YAML file."""

    authors: dict[str, str] = field(default_factory=dict)  # name_key(variant) -> canonical name
    homepages: dict[str, str] = field(default_factory=dict)  # name_key(canonical) -> URL
    tags: dict[str, str] = field(default_factory=dict)  # name_key(variant) -> canonical tag
    venues: list[str] = field(default_factory=list)  # names that are venues even where written without a year
    qualifiers: list[str] = field(default_factory=list)  # words read as a venue's qualifier without a notice

    @classmethod
    def from_yaml(cls, text: str, path: str) -> tuple[Aliases, list[Diagnostic]]:
        """Parse the aliases file; problems become diagnostics, never exceptions."""
        aliases, problems = cls(), []

        def bad(message: str, line: int = 1) -> None:
            problems.append(Diagnostic(path, line, 1, "warning", "aliases", message))

        try:
            data: Any = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            bad(f"not valid YAML: {getattr(exc, 'problem', exc)}", mark.line + 1 if mark else 1)
            return aliases, problems
        if not isinstance(data, dict):
            bad("expected a mapping with 'authors' and/or 'tags'")
            return aliases, problems
        for name, spec in (data.get("authors") or {}).items():
            canonical = str(name)
            if isinstance(spec, list):
                spec = {"aliases": spec}
            if not isinstance(spec, dict):
                bad(f"authors.{canonical}: expected a list of aliases or a mapping")
                continue
            for variant in spec.get("aliases") or []:
                aliases.authors[name_key(str(variant))] = canonical
            homepage = spec.get("homepage")
            if homepage:
                if is_safe_url(str(homepage)):
                    aliases.homepages[name_key(canonical)] = str(homepage)
                else:
                    bad(f"authors.{canonical}: homepage is not a safe http(s) URL: {homepage!r}")
        for name, variants in (data.get("tags") or {}).items():
            if not isinstance(variants, list):
                variants = [variants]
            for variant in variants:
                aliases.tags[name_key(str(variant))] = str(name)
        for key in ("venues", "qualifiers"):
            names = data.get(key) or []
            if isinstance(names, str):
                names = [names]
            if not isinstance(names, list) or any(isinstance(n, (dict, list)) for n in names):
                bad(f"{key}: expected a list of names, e.g. {key}: [{'Nature Methods' if key == 'venues' else 'Methods'}]")
                continue
            getattr(aliases, key).extend(" ".join(str(n).split()) for n in names if str(n).strip())
        return aliases, problems

    def author(self, name: str) -> str:
        return self.authors.get(name_key(name), name)

    def tag(self, name: str) -> str:
        return self.tags.get(name_key(name), name)


@dataclass(frozen=True, slots=True)
class TagReading:
    """What one part of a written tag means (`TagReader.read`)."""

    kind: TagKind  # "venue", "year" or "org"
    name: str  # the tag's name after aliases.yml (`NIPS` -> `NeurIPS`)
    label: str  # the name as written (`NIPS`)
    year: int | None = None
    qualifier: str = ""
    # When the qualifier could instead continue the venue's name: that name (`[Nature 2023 Methods]` -> "Nature Methods").
    other_name: str | None = None

    @property
    def key(self) -> tuple[TagKind, str]:
        return self.kind, name_key(self.name)

    @property
    def fragment(self) -> str:
        """The year's anchor on the venue's page (`[CVPR 2023]` -> "2023")."""
        return str(self.year) if self.kind == "venue" and self.year else ""

    @property
    def text(self) -> str:
        """As a chip reads it: `NeurIPS 2023 · Oral`."""
        head = " ".join(str(x) for x in (self.label if self.kind == "venue" else None, self.year) if x) or self.label
        return f"{head} · {self.qualifier}" if self.qualifier else head


class TagReader:
    """What written tags mean in one library: the one answer for chips, tag pages, exports and checks.

    A part with a year is a venue (or a year alone). A part without one is a venue when its
    name, or the start of it, is a venue elsewhere in the library or listed under `venues:`
    in aliases.yml (case-insensitive, after aliases); otherwise an organisation or other tag.
    A tag none of whose parts is a venue or a year stays one tag, commas and all.
    """

    def __init__(self, tag_lists: Iterable[Iterable[str]], aliases: Aliases) -> None:
        self.aliases = aliases
        self.venue_keys = {name_key(aliases.tag(name)) for name in aliases.venues}
        for tags in tag_lists:
            for tag in tags:
                for part in split_tag(tag):
                    if part.venue:
                        self.venue_keys.add(name_key(aliases.tag(part.venue)))
        self.qualifier_words = QUALIFIER_WORDS | {qualifier_word(w) for q in aliases.qualifiers for w in q.split()}
        self._read: dict[str, tuple[TagReading, ...]] = {}

    def is_venue(self, name: str) -> bool:
        return name_key(self.aliases.tag(name)) in self.venue_keys

    def read(self, text: str) -> tuple[TagReading, ...]:
        """The readings of a written `[tag]`, one per comma-separated part, in order."""
        found = self._read.get(text)
        if found is None:
            found = self._read[text] = self._reading(text)
        return found

    def _reading(self, text: str) -> tuple[TagReading, ...]:
        readings = []
        for part in split_tag(text):
            if part.year is not None and part.venue is None:
                readings.append(TagReading("year", str(part.year), str(part.year), part.year, part.qualifier))
                continue
            if part.venue is not None:
                label, qualifier = self._longest_venue(part.venue, part.qualifier)
            else:
                label, qualifier = next(((n, q) for n, q in name_readings(part.text) if self.is_venue(n)), (None, ""))
                if label is None:
                    readings.append(TagReading("org", self.aliases.tag(part.text), part.text))
                    continue
            readings.append(TagReading("venue", self.aliases.tag(label), label, part.year, qualifier,
                                       self._other_name(label, qualifier)))
        if all(r.kind == "org" for r in readings):
            return (TagReading("org", self.aliases.tag(text), text),)
        return tuple(readings)

    def _longest_venue(self, venue: str, qualifier: str) -> tuple[str, str]:
        """`Nature` + `Methods Comment` -> ("Nature Methods", "Comment") when Nature Methods is a venue."""
        words = qualifier.split()
        for k in range(len(words), 0, -1):
            longer = f"{venue} {' '.join(words[:k])}"
            if self.is_venue(longer):
                return longer, " ".join(words[k:])
        return venue, qualifier

    def _other_name(self, label: str, qualifier: str) -> str | None:
        """The venue name a qualifier's leading words would make, unless they are qualifier words."""
        name = []
        for word in qualifier.split():
            folded = qualifier_word(word)
            if not folded or not folded[0].isalpha() or folded in self.qualifier_words:
                break
            name.append(word)
        return f"{label} {' '.join(name)}" if name else None


@dataclass
class Author:
    key: str
    name: str
    slug: str
    url: str | None
    entries: list[Entry]
    spellings: Counter[str]
    homepage: str | None = None
    coauthors: Counter[str] = field(default_factory=Counter)

    @functools.cached_property  # parsing a name is slow-ish (~0.1 ms): once per author
    def family_name(self) -> str:
        return family_name(self.name)

    @functools.cached_property  # co-author lists are sorted by it on every author page
    def folded_name(self) -> str:
        return self.name.casefold()

    @functools.cached_property  # co-authors are ranked by it (`Library.ranked_coauthors`), after the count
    def rank_name(self) -> tuple[str, str, str]:
        return self.family_name.casefold(), self.folded_name, self.name

    @property
    def letter(self) -> str:
        """The A-Z index letter: the family name's first letter, transliterated (`Öztürk` -> O, CJK too)."""
        return index_key(self.name)[1]

    @property
    def index_key(self) -> tuple[bool, str, str, str, str]:
        """Where the A-Z index files the author: letters first ("#" last), then family and full name."""
        return (*index_key(self.name), self.slug)


@functools.lru_cache(maxsize=1 << 17)  # pure; under `mkdocs serve` every rebuild sorts every author again
def index_key(name: str) -> tuple[bool, str, str, str]:
    """(no letter, the letter, folded family name, folded name) of a name, for the A-Z index."""
    family = family_name(name)
    letter = "#"
    for char in family:
        folded = _transliterated(char)
        if folded:
            letter = folded[0].upper() if folded[0].isalpha() else "#"
            break
    return letter == "#", letter, family.casefold(), name.casefold()


_MORE_PARTICLES = frozenset({"den", "ter", "ten", "zu", "zur", "het", "'t"})  # Dutch/German ones nameparser lacks


@functools.lru_cache(maxsize=1 << 16)  # pure; under `mkdocs serve` every rebuild asks again for every author
def family_name(name: str) -> str:
    """The part of a name the A-Z index files it under: `Martin Luther King Jr.` -> `King`,
    `Ludwig van Beethoven` -> `Beethoven`, `Aäron van den Oord` -> `Oord`.

    nameparser splits off titles, suffixes and nicknames and keeps particles with the last
    name (`van Beethoven`); lowercase particles are then dropped, as Dutch and German
    indexes do. A capitalised particle is part of the name as its bearer writes it
    (`Van den Bosch` under V, `De Niro` under D). A name nameparser finds no last name in
    (`Ng`, `何恺明`, a lone title) is filed under the whole name.
    """
    words = HumanName(name).last.split()
    while len(words) > 1 and words[0].islower() and (words[0] in NAME_CONSTANTS.prefixes or words[0] in _MORE_PARTICLES):
        words.pop(0)
    return " ".join(words) or " ".join(name.split()) or name


@functools.lru_cache(maxsize=4096)
def _transliterated(char: str) -> str:
    """One character as ascii_slug spells it ('' for punctuation); transliterating is slow, characters repeat."""
    return ascii_fold(char)


@dataclass
class Tag:
    key: str
    kind: TagKind
    name: str
    slug: str
    url: str
    entries: list[Entry]
    spellings: Counter[str] = field(default_factory=Counter)
    # Venue tags: id(entry) -> the (year, qualifier) the entry gives this venue (its first mention).
    marks: dict[int, tuple[int | None, str]] = field(default_factory=dict)

    def year_of(self, entry: Entry) -> int | None:
        """The entry's year at this venue (`[CVPR 2014, TPAMI 2016]` is 2016 on TPAMI's page)."""
        mark = self.marks.get(id(entry))
        return mark[0] if mark is not None else entry.year

    def qualifier_of(self, entry: Entry) -> str:
        mark = self.marks.get(id(entry))
        return mark[1] if mark is not None else ""

    def by_year(self) -> list[tuple[int | None, list[Entry]]]:
        """Entries grouped by their year at this venue, newest first (venue pages)."""
        groups: dict[int | None, list[Entry]] = defaultdict(list)
        for entry in self.entries:
            groups[self.year_of(entry)].append(entry)
        return sorted(groups.items(), key=lambda kv: -(kv[0] or 0))


@dataclass
class LibraryOptions:
    use_directory_urls: bool = True
    authors_dir: str = "authors"
    tags_dir: str = "tags"
    min_papers: int = 1
    section_topics: bool = True


class Library:
    """Every entry of the site, with authors, tags, anchors and URLs. Built once per build."""

    def __init__(self, documents: Iterable[Document], page_urls: Mapping[str, str],
                 options: LibraryOptions | None = None, aliases: Aliases | None = None) -> None:
        self.options = options or LibraryOptions()
        self.aliases = aliases or Aliases()
        self.documents = {doc.path: doc for doc in sorted(documents, key=lambda d: d.path)}
        self.page_urls = dict(page_urls)
        self.entries: list[Entry] = [e for doc in self.documents.values() for e in doc.entries]
        self.reader = TagReader((e.tags for e in self.entries), self.aliases)
        for entry in self.entries:  # before the sort keys: the year is the first venue's
            readings = [r for text in entry.tags for r in self.reader.read(text)]
            set_venues(entry, [Venue(r.name, r.year, r.qualifier) for r in readings if r.kind == "venue"],
                       next((r.year for r in readings if r.year is not None), None))
        # Heading line -> GitHub's anchor (every heading), and -> the short anchor of each entry.
        self.page_anchors: dict[str, dict[int, str]] = {path: page_anchors(doc) for path, doc in self.documents.items()}
        self.entry_anchors: dict[str, dict[int, str]] = {path: entry_anchors(doc, self.page_anchors[path])
                                                         for path, doc in self.documents.items()}
        # Per entry, once: asked for on every page and export the entry is in.
        self._sort_keys = {id(e): row_sort_key(e) for e in self.entries}
        self._entry_urls = {id(e): self._url_of(e) for e in self.entries}
        self._ranked_coauthors: dict[str, list[tuple[Author, int]]] = {}
        self._author_keys: dict[int, list[str]] = {}  # id(entry) -> author_keys(entry)
        self.added_dates: dict[int, datetime] = {}  # id(entry) -> date added (from git history; filled by history.py)
        self.authors = self._index_authors()
        self.tags = self._index_tags()
        for entry in self.entries:  # each venue named as its tag page is
            if entry.venues:
                set_venues(entry, [Venue(self._venue_name(v.name), v.year, v.qualifier) for v in entry.venues], entry.year)

    # -- entries ---------------------------------------------------------------------------

    def added(self, entry: Entry) -> datetime | None:
        return self.added_dates.get(id(entry))

    def anchor(self, entry: Entry) -> str:
        """The entry's short anchor (`segment-anything`): permalinks, rows, feeds and exports use it."""
        found = self.entry_anchors.get(entry.path, {}).get(entry.line)
        return found if found is not None else self.github_anchor(entry)

    def github_anchor(self, entry: Entry) -> str:
        """GitHub's anchor of the entry's whole heading (`-cvpr-2023-segment-anything-pdf`), kept working."""
        return self.page_anchors.get(entry.path, {}).get(entry.line, "")

    def owns(self, entry: Entry) -> bool:
        """Whether `entry` is one of the library's own (they live as long as it does, so ids are stable)."""
        return id(entry) in self._sort_keys

    def entry_url(self, entry: Entry) -> str:
        url = self._entry_urls.get(id(entry))
        return url if url is not None else self._url_of(entry)

    def _url_of(self, entry: Entry) -> str:
        page = self.page_urls.get(entry.path)
        return f"{page if page is not None else src_to_url(entry.path, self.options.use_directory_urls)}#{self.anchor(entry)}"

    def sort_key(self, entry: Entry) -> tuple[int, int, str, str, int]:
        """`row_sort_key`, computed once per entry of the library."""
        key = self._sort_keys.get(id(entry))
        return key if key is not None else row_sort_key(entry)

    @functools.cached_property
    def row_order(self) -> list[Entry]:
        """Every entry in the one row order (priority, year, title): sorted once per build."""
        return sorted(self.entries, key=self.sort_key)

    def priority_entries(self) -> list[Entry]:
        return sorted((e for e in self.entries if e.priority > 0), key=self.sort_key)

    def author_keys(self, entry: Entry) -> list[str]:
        """Distinct author identities of an entry, in written order (a repeated name counts once)."""
        keys = self._author_keys.get(id(entry))
        return keys if keys is not None else self._authors_of(entry)[0]

    def _authors_of(self, entry: Entry) -> tuple[list[str], list[tuple[str, str]]]:
        """(author_keys, every author as written: (key, name after aliases))."""
        written = []
        for name in entry.authors:
            canonical = self.aliases.author(name)
            written.append((name_key(canonical), canonical))
        keys = list(dict.fromkeys(key for key, _ in written if key))
        return keys, written

    def ranked_coauthors(self, author: Author) -> list[tuple[Author, int]]:
        """An author's co-authors, most shared papers first, then by family name (author page and authors.json)."""
        ranked = self._ranked_coauthors.get(author.key)
        if ranked is None:
            ranked = self._ranked_coauthors[author.key] = sorted(
                ((self.authors[k], n) for k, n in author.coauthors.items()),
                key=lambda pair: (-pair[1], pair[0].rank_name))
        return ranked

    def entry_tags(self, entry: Entry) -> list[tuple[str, Tag, str]]:
        """(text shown, tag, fragment) for each chip shown on the entry: one per part of a tag."""
        chips: list[tuple[str, Tag, str]] = []
        for text in entry.tags:
            for reading in self.written_tag(text):
                if reading.key in self.tags:
                    chips.append((reading.text, self.tags[reading.key], reading.fragment))
        for topic in entry.topics:
            key, _ = self._topic(topic)
            if key in self.tags:
                chips.append(("#" + topic, self.tags[key], ""))
        return chips

    # -- indexing --------------------------------------------------------------------------

    def _page(self, folder: str, slug: str) -> str:
        return src_to_url(f"{folder}/{slug}.md", self.options.use_directory_urls)

    def _index_authors(self) -> dict[str, Author]:
        spellings: dict[str, Counter[str]] = defaultdict(Counter)
        entries: dict[str, list[Entry]] = defaultdict(list)
        coauthors: dict[str, Counter[str]] = defaultdict(Counter)
        for entry in self.entries:
            keys, written = self._authors_of(entry)
            self._author_keys[id(entry)] = keys
            for key, canonical in written:
                spellings[key][" ".join(canonical.split())] += 1
            for key in keys:
                entries[key].append(entry)
                if len(keys) > 1:  # every other author of the entry once (`update` counts in C)
                    counter = coauthors[key]
                    counter.update(keys)
                    del counter[key]
        display = {key: _most_common(spellings[key]) for key in entries}
        base_slugs = {k: ascii_slug(display[k], "author") for k in entries}  # transliteration is slow: once per author
        order = sorted(entries, key=lambda k: (base_slugs[k], k))
        slugs = assign_unique(order, base_slugs, {"index"})
        authors: dict[str, Author] = {}
        for key in order:
            has_page = len(entries[key]) >= self.options.min_papers
            authors[key] = Author(
                key=key, name=display[key], slug=slugs[key],
                url=self._page(self.options.authors_dir, slugs[key]) if has_page else None,
                entries=sorted(entries[key], key=self.sort_key), spellings=spellings[key],
                homepage=self.aliases.homepages.get(key), coauthors=coauthors[key])
        return authors

    def written_tag(self, text: str) -> tuple[TagReading, ...]:
        """What a written `[tag]` means, part by part (`TagReader.read`): `[CVPR 2014, TPAMI 2016]`
        is venue CVPR (year 2014) and venue TPAMI (year 2016)."""
        return self.reader.read(text)

    def _venue_name(self, name: str) -> str:
        tag = self.tags.get(("venue", name_key(name)))
        return tag.name if tag is not None else name

    def _topic(self, topic: str) -> tuple[tuple[TagKind, str], str]:
        canonical = self.aliases.tag(topic)
        return ("topic", topic_key(canonical)), canonical

    def _tag_occurrences(self, entry: Entry) -> Iterable[tuple[tuple[TagKind, str], str, TagReading | None]]:
        """Every tag an entry belongs to, with the spelling it uses there (and the reading, for venues)."""
        for text in entry.tags:
            for reading in self.written_tag(text):
                yield reading.key, reading.name, reading
                if reading.fragment:  # a venue with a year also files the entry under its year
                    yield ("year", reading.fragment), reading.fragment, None
        topics = list(entry.topics)
        if self.options.section_topics and entry.section:
            topics.insert(0, entry.section)
        for topic in topics:
            yield (*self._topic(topic), None)

    def _index_tags(self) -> dict[tuple[TagKind, str], Tag]:
        found: dict[tuple[TagKind, str], tuple[Counter[str], list[Entry]]] = {}
        marks: dict[tuple[TagKind, str], dict[int, tuple[int | None, str]]] = defaultdict(dict)
        for entry in self.entries:
            for key, spelling, reading in self._tag_occurrences(entry):
                if not key[1]:
                    continue
                counter, entries = found.setdefault(key, (Counter(), []))
                counter[spelling] += 1
                if not entries or entries[-1] is not entry:
                    entries.append(entry)
                if reading is not None and reading.kind == "venue":
                    marks[key].setdefault(id(entry), (reading.year, reading.qualifier))
        order = sorted(found, key=lambda k: (TAG_KINDS.index(k[0]), k[1]))
        names = {k: _most_common(found[k][0]) for k in order}
        slugs = assign_unique(order, {k: ascii_slug(names[k], "tag") for k in order}, {"index"})
        return {
            k: Tag(key=k[1], kind=k[0], name=names[k], slug=slugs[k],
                   url=self._page(self.options.tags_dir, slugs[k]),
                   entries=sorted(found[k][1], key=self.sort_key), spellings=found[k][0], marks=marks.get(k, {}))
            for k in order
        }

    def tags_by_kind(self) -> dict[TagKind, list[Tag]]:
        """Tags grouped by kind: years newest first, the other kinds by count (desc) then name."""
        groups: dict[TagKind, list[Tag]] = {kind: [] for kind in TAG_KINDS}
        for tag in self.tags.values():
            groups[tag.kind].append(tag)
        for kind, tags in groups.items():
            if kind == "year":
                tags.sort(key=lambda t: (-int(t.key) if t.key.isdigit() else 0, t.slug))
            else:
                tags.sort(key=lambda t: (-len(t.entries), t.name.casefold(), t.slug))
        return groups


def _most_common(counter: Counter[str]) -> str:
    """Most frequent spelling; ties go to the first one seen (Counter keeps insertion order)."""
    best = max(counter.values())
    return next(name for name, count in counter.items() if count == best)
