"""`papernotes add`: a paper from its arXiv id or DOI (or a BibTeX export's records) into a note.

    papernotes add ID [ID ...] [--note docs/x.md [--section NAME]] [--priority 0-3] [--tag TAG] [--topic WORD] [--force]
    papernotes add --bib FILE [same options]

Every paper is fetched (or read) and drafted before anything is written, so an error leaves every
file as it was. Exit codes: 0 every paper added; 1 a paper the library already holds (each place
printed as `path:line`; `--force` adds it anyway) or a BibTeX record that could not be read was
skipped; 2 nothing could be done (a bad id, offline, a timeout, an unknown paper, a rate limit, a
malformed answer, an unreadable file), with one line saying what failed and what to do. Entries go
to stdout without `--note`; messages go to stderr.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from papernotes.add.arxiv import ArxivClient
from papernotes.add.bib import read_bib
from papernotes.add.crossref import CrossrefClient
from papernotes.add.entries import Draft, EntryError, draft
from papernotes.add.identifiers import BadIdentifier, PaperId, parse_identifier
from papernotes.add.paper import Paper
from papernotes.add.reconcile import LibraryView, Location
from papernotes.add.transport import FetchError, Transport, UrllibTransport
from papernotes.add.writer import PlacementError, insert_entry
from papernotes.cli.project import Project, UsageError, collect, display_path, load_project, read_note
from papernotes.index.aliases import Aliases, load_aliases
from papernotes.notes.grammar import parse
from papernotes.notes.model import Document

PROG = "papernotes add"


class AddError(Exception):
    """What stops the command: one line, exit status 2, nothing written."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `add` subcommand in `papernotes`'s parser."""
    p = sub.add_parser("add", help="add a paper by arXiv id or DOI (or a BibTeX file's records) to a note",
                       description="Fetch a paper's metadata (arXiv's API for arXiv ids, Crossref for DOIs; "
                                   "--bib reads a BibTeX export instead) and write one entry per paper, reconciled "
                                   "with the library: authors and venues as the library writes them, papers it "
                                   "already holds refused with their path:line. Without --note the entries are printed.")
    p.add_argument("ids", nargs="*", metavar="ID",
                   help="arXiv id or URL (2304.02643, arXiv:2304.02643v2, https://arxiv.org/abs/...) or DOI (10.1109/..., https://doi.org/...)")
    p.add_argument("--bib", metavar="FILE", help="add every record of this BibTeX file (Zotero, Google Scholar, DBLP exports)")
    p.add_argument("--note", metavar="PATH", help="the note to write into (created with a # title if missing); default: print")
    p.add_argument("--section", metavar="NAME", help="the ## section to add under (created at the end of the note if missing)")
    p.add_argument("--priority", type=int, choices=range(4), default=0, metavar="0-3", help="priority marker: 1 [!] to 3 [!!!]")
    p.add_argument("--tag", action="append", default=[], metavar="TAG", help="an extra [tag] after the venue (repeatable)")
    p.add_argument("--topic", action="append", default=[], metavar="WORD", help="a #topic on the Tags: line (repeatable)")
    p.add_argument("--force", action="store_true", help="add a paper even when the library already holds it")
    p.add_argument("-f", "--config-file", help="MkDocs config of the library (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_add)


@dataclass
class Clients:
    """Where papers come from; tests give recorded answers through `transport`, and a clock that does not wait."""

    transport: Transport
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep

    def __post_init__(self) -> None:
        self.arxiv = ArxivClient(self.transport, clock=self.clock, sleep=self.sleep)
        self.crossref = CrossrefClient(self.transport)

    def fetch(self, paper: PaperId) -> Paper:
        return self.arxiv.fetch(paper) if paper.kind == "arxiv" else self.crossref.fetch(paper)


def cmd_add(args: argparse.Namespace, clients: Clients | None = None) -> int:
    """Run `papernotes add`; errors are one line on stderr and exit status 2."""
    try:
        return _add(args, clients or Clients(UrllibTransport()))
    except (AddError, UsageError, FetchError, EntryError, PlacementError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2


def _add(args: argparse.Namespace, clients: Clients) -> int:
    if not args.ids and not args.bib:
        raise AddError("give an arXiv id or a DOI (or several), or --bib FILE")
    if args.section and not args.note:
        raise AddError("--section needs --note: the note to add the section's entry to")
    try:
        ids = [parse_identifier(text) for text in args.ids]
    except BadIdentifier as exc:
        raise AddError(str(exc)) from None
    project = load_project(args.config_file)
    note = Path(args.note) if args.note else None
    note_text = _read_note(note) if note is not None else None
    view = _library(project, note, note_text)
    papers: list[Paper] = []
    skipped = 0
    if args.bib:
        reading = read_bib(_read_text(Path(args.bib), "BibTeX file"), display_path(Path(args.bib)))
        for problem in reading.problems:
            print(f"{PROG}: {problem}", file=sys.stderr)
        skipped += len(reading.problems)
        if not reading.papers and reading.problems:
            raise AddError(f"{display_path(Path(args.bib))}: no record could be read; nothing added")
        papers += reading.papers
    papers = [clients.fetch(paper) for paper in ids] + papers  # every fetch before any write
    drafts = []
    for paper in papers:
        entry = draft(paper, view, priority=args.priority, tags=tuple(args.tag), topics=tuple(args.topic))
        holders = view.holders(*entry.identity())
        if holders and not args.force:
            skipped += 1
            print(f"{PROG}: {paper.source}: {entry.title!r} is already in the library; not added (--force adds it anyway):",
                  file=sys.stderr)
            for at, reason in holders:
                print(f"{at}: same {reason}", file=sys.stderr)
            continue
        for at, reason in holders:
            print(f"{PROG}: {paper.source}: added although {at} holds it too (same {reason}; --force)", file=sys.stderr)
        for message in entry.notes:
            print(f"{PROG}: note: {message}", file=sys.stderr)
        drafts.append(entry)
        # Later papers of this run are compared with this one too.
        [written] = parse(entry.markdown, "<new>").entries
        view.index_entry(written, Location(f"{paper.source}, earlier in this command", 0))
    if note is None:
        sys.stdout.write("\n".join(d.markdown for d in drafts))
    elif drafts:
        _write(note, note_text, drafts, args.section)
    return 1 if skipped else 0


def _read_text(path: Path, what: str) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise AddError(f"{display_path(path)}: no such {what}") from None
    except IsADirectoryError:
        raise AddError(f"{display_path(path)}: a folder, not a {what}") from None
    except OSError as exc:
        raise AddError(f"{display_path(path)}: cannot read the {what}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise AddError(f"{display_path(path)}: not valid UTF-8; save the {what} as UTF-8") from None


def _read_note(note: Path) -> str | None:
    """The note's text, BOM kept (its bytes are written back as they were); None when it does not exist yet."""
    if not note.exists():
        if not note.parent.is_dir():
            raise AddError(f"{display_path(note)}: the folder {display_path(note.parent)} does not exist")
        if note.suffix != ".md":
            raise AddError(f"{display_path(note)}: a note is a .md file")
        return None
    _read_text(note, "note")  # the errors a user can fix, in words
    return note.read_bytes().decode("utf-8")  # again, keeping a byte-order mark, so that it is written back


def _library(project: Project, note: Path | None, note_text: str | None) -> LibraryView:
    """The library of `project` (every note of its docs folder) and the target note, as `papernotes check` reads them."""
    documents: dict[str, Document] = {}
    display: dict[str, str] = {}
    if project.docs_dir.is_dir():
        notes, _ = collect([os.path.relpath(project.docs_dir)], project)
        for found in notes:
            text, _problems = read_note(found)
            documents[found.src] = parse(text or "", found.src)
            display[found.src] = found.display
    if note is not None and note_text is not None:
        path = os.path.abspath(note)
        src = os.path.relpath(path, project.docs_dir).replace(os.sep, "/")
        if src.startswith("../") or src not in documents:  # a note outside docs/ counts too
            documents[display_path(note)] = parse(note_text, display_path(note))
            display[display_path(note)] = display_path(note)
    return LibraryView(documents.values(), _aliases(project), display)


def _aliases(project: Project) -> Aliases:
    name = project.options.get("aliases")
    if not name or not project.has_plugin:
        return Aliases()
    path = project.root / str(name)
    aliases, problems = load_aliases(str(path), display_path(path))
    for problem in problems:
        print(f"{PROG}: note: {problem} (authors and tags are reconciled without it)", file=sys.stderr)
    return aliases


def _write(note: Path, text: str | None, drafts: Sequence[Draft], section: str | None) -> None:
    created = text is None
    if text is None:
        title = re.sub(r"[_-]+", " ", note.stem).strip() or "Notes"
        text = f"# {title[:1].upper()}{title[1:]}\n"
    added = []
    for entry in drafts:
        insertion = insert_entry(text, entry.markdown, section)
        text = insertion.text
        added.append((insertion, entry))
    data = text.encode("utf-8")
    # Written whole through a temporary file in the same folder: an interrupted write leaves the note as it was.
    fd, temporary = tempfile.mkstemp(prefix=f".{note.name}.", dir=note.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if not created:
            os.chmod(temporary, note.stat().st_mode & 0o7777)
        os.replace(temporary, note)
    except OSError as exc:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise AddError(f"{display_path(note)}: cannot write the note: {exc.strerror}") from None
    if created:
        print(f"{PROG}: created {display_path(note)}", file=sys.stderr)
    # Each entry goes in after the ones before it (a contents line, above, only with the first): their lines hold.
    for insertion, entry in added:
        where = f" in a new section {section!r}" if insertion.created_section else f" under {section!r}" if section else ""
        print(f"{display_path(note)}:{insertion.line}: added {entry.title!r}{where}", file=sys.stderr)
