"""A `Paper` as an entry: its fields by the issue's rules, reconciled with the library, written with `format_entry`.

* **VenueTag and year**, the first tag: see `venues` (known venues only for arXiv, else
  `[arXiv YYYY]`; Crossref's and BibTeX's venue texts shortened; else the year alone).
* **Links**: `[[pdf]]` to the paper's page (arXiv's abstract page, or the DOI), as the notes
  already link papers; `[[code]]` when the abstract or comment names a repository
  (GitHub, GitLab, Bitbucket, Codeberg).
* **Authors** as the library writes them (`reconcile.LibraryView.author`); each change is a note
  the command prints.

The grammar has no escapes, so a field that cannot be written as it is is made writable (a title's
square brackets become parentheses; a comma inside one author's name is dropped) and the command
says so; the entry is then parsed back and must give the same fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from papernotes.add.paper import Paper
from papernotes.add.reconcile import LibraryView
from papernotes.add.venues import VenueTag, known_mentions, shorten, year_in
from papernotes.notes.grammar import format_entry, parse

_REPOSITORY = re.compile(r"https?://(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org)/[\w.-]+/[\w.-]+",
                         re.IGNORECASE)
_NOT_REPOSITORIES = frozenset({"orgs", "sponsors", "features", "topics", "settings", "marketplace", "about"})
_NAME_SPLITTERS = re.compile(r"\s*(?:,|\s&\s|\sand\s)\s*")
_TOPIC = re.compile(r"^[\w][\w.+-]*$")
_CLOSING_HASHES = re.compile(r"\s+#+\s*$")


class EntryError(ValueError):
    """An entry that cannot be written in the grammar as asked (a bad `--tag` or `--topic`)."""


@dataclass
class Draft:
    """An entry about to be written, and what the command should tell the user about it."""

    paper: Paper
    title: str
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    links: tuple[tuple[str, str], ...]
    priority: int = 0
    topics: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)

    @property
    def markdown(self) -> str:
        return format_entry(title=self.title, priority=self.priority, tags=self.tags, links=self.links,
                            authors=self.authors, topics=self.topics)

    def identity(self) -> tuple[list[str], str]:
        """(link URLs, title) that say which paper this is: its page, and its DOI when it has one."""
        paper = self.paper
        urls = [url for _, url in self.links]
        if paper.doi:
            urls.append(f"https://doi.org/{paper.doi}")
        if paper.arxiv_id:
            urls.append(f"https://arxiv.org/abs/{paper.arxiv_id}")
        return urls, self.title


def draft(paper: Paper, view: LibraryView, *, priority: int = 0, tags: tuple[str, ...] = (),
          topics: tuple[str, ...] = ()) -> Draft:
    """The entry for `paper` in the library `view` describes."""
    notes: list[str] = []
    title = " ".join(paper.title.split())
    if "[" in title or "]" in title:
        title = title.replace("[", "(").replace("]", ")")
        notes.append(f"{paper.source}: the title's square brackets are written as parentheses (the grammar reads [...] as a tag)")
    # A run of `#` after a space would close the heading (`### Title #`): it is not part of a title.
    title = _CLOSING_HASHES.sub("", title) or title
    authors = []
    for name in paper.authors:
        writable = " ".join(_NAME_SPLITTERS.sub(" ", name).split())
        if writable != " ".join(name.split()):
            notes.append(f"{paper.source}: author {name!r} written {writable!r} (a comma, '&' or 'and' would split the name)")
        respelled = view.author(writable)
        if respelled is not None:
            where = f" ({respelled.where})" if respelled.where else ""
            notes.append(f"{paper.source}: author {respelled.given!r} written {respelled.written!r} as the library "
                         f"writes it{where}: {respelled.reason}")
            writable = respelled.written
        if writable not in authors:
            authors.append(writable)
    venue, note = choose_venue(paper, view)
    if note:
        notes.append(note)
    written_tags = [venue.tag] if venue is not None else [str(paper.year)] if paper.year else []
    for tag in tags:
        text = " ".join(tag.split())
        if not text or "[" in text or "]" in text:
            raise EntryError(f"--tag {tag!r}: a tag is text without square brackets, e.g. --tag 'Google Research'")
        text = view.tag(text)
        if text not in written_tags:
            written_tags.append(text)
    written_topics = []
    for topic in topics:
        text = topic.lstrip("#")
        if not _TOPIC.match(text):
            raise EntryError(f"--topic {topic!r}: a topic is one word of letters, digits, '_', '-', '.' or '+', e.g. --topic diffusion")
        written_topics.append(view.topic(text))
    links = [("pdf", paper.url)] if paper.url else []
    code = code_url(paper.text)
    if code:
        links.append(("code", code))
    result = Draft(paper, title, tuple(authors), tuple(written_tags), tuple(links), priority, tuple(written_topics), notes)
    _check_round_trip(result)
    return result


def choose_venue(paper: Paper, view: LibraryView) -> tuple[VenueTag | None, str | None]:
    """The entry's venue tag by the rules of `venues`, and a note when the venue could not be read."""
    return _known_venue(paper, view) if paper.venue_rule == "known" else _any_venue(paper, view)


def _known_venue(paper: Paper, view: LibraryView) -> tuple[VenueTag, str | None]:
    """arXiv: a venue the library or aliases.yml knows, named in the journal reference or comment; else arXiv."""
    known = view.known_venues()
    as_written = {k.written: k.venue for k in known if not k.any_case}
    any_case = {k.written: k.venue for k in known if k.any_case}  # aliases.yml's variants, stored case-folded
    for text in paper.venue_texts:
        fallback = year_in(text) or paper.update_year or paper.year
        for mention in [*known_mentions(text, as_written), *known_mentions(text.casefold(), any_case)][:1]:
            return VenueTag(mention.name, mention.year or fallback), None
        short = shorten(text)
        if short is not None and view.is_known_venue(short.name):
            return VenueTag(view.venue(short.name), short.year or fallback, short.qualifier), None
    unknown = next((v for t in paper.venue_texts if (v := shorten(t)) is not None and v.year), None)
    note = (f"{paper.source}: {unknown.tag!r} is not a venue the library or aliases.yml knows: wrote [arXiv {paper.year}]; "
            f"write [{unknown.tag}] instead if it is where the paper appeared") if unknown else None
    return VenueTag("arXiv", paper.year), note


def _any_venue(paper: Paper, view: LibraryView) -> tuple[VenueTag | None, str | None]:
    """Crossref and BibTeX: the first venue text that shortens to a venue, as the library spells it."""
    for text in paper.venue_texts:
        short = shorten(text)
        if short is not None:
            return VenueTag(view.venue(short.name), short.year or paper.year, short.qualifier), None
    if paper.preprint:
        return VenueTag("arXiv", paper.year), None
    if paper.venue_texts:
        return None, (f"{paper.source}: no venue could be read from {paper.venue_texts[0]!r}: wrote the year alone; "
                      "add the venue's tag by hand")
    return None, None


def code_url(text: str) -> str | None:
    """The first code repository named in `text` (`https://github.com/owner/repo`), without `.git` or trailing punctuation."""
    for m in _REPOSITORY.finditer(text):
        url = m.group(0).rstrip(".,;:)")
        if url.lower().endswith(".git"):
            url = url[:-4]
        owner = url.split("/")[3].lower()
        if owner not in _NOT_REPOSITORIES:
            return url
    return None


def _check_round_trip(result: Draft) -> None:
    """The grammar must read back the fields written; a field it would read otherwise is a bug to report, not to write."""
    [entry] = parse(result.markdown).entries
    read = (entry.title, entry.authors, entry.tags, tuple((link.label, link.url) for link in entry.links), entry.topics)
    if read != (result.title, result.authors, result.tags, result.links, result.topics):
        raise EntryError(f"{result.paper.source}: the entry would not read back as written ({read!r}); add it by hand")
