"""The differential test's site model: a small notes site as data (`SiteM`), the random edits a
contributor makes to it (`edit_site`: entries, authors, priorities, tags, topics, titles, sections,
notes added, renamed and deleted, aliases.yml, front matter, figures), and the project it is
written into. Shared by serve/test_incremental.py and the warm-start tests."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from hypothesis import strategies as st

from support.paths import REPO
from support.serving import ServeLike

VENUES = ["CVPR 2023", "ICCV 2021", "NeurIPS 2022", "arXiv 2024", ""]
PEOPLE = ["Ada Lovelace", "Bo Xu", "Chen Wei", "Dana Scott", "Élodie Roux", "Farid Haddad"]
TOPICS = ["video", "nerf", "llm"]
SECTIONS = ["Vision", "Language", "Robotics"]


@dataclass
class EntryM:
    title: str
    priority: int = 0
    venue: str = ""
    authors: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    figure: str | None = None  # an image name under docs/img/

    def text(self) -> str:
        head = "### " + ("[" + "!" * self.priority + "] " if self.priority else "")
        head += f"[{self.venue}] " if self.venue else ""
        head += self.title + "".join(f" #{t}" for t in self.topics)
        lines = [head]
        if self.authors:
            lines.append("_" + ", ".join(self.authors) + "_")
        lines += [f"- {b}" for b in self.bullets]
        if self.figure:
            lines.append(f"- ![figure](img/{self.figure})")
        return "\n".join(lines) + "\n"


@dataclass
class NoteM:
    title: str
    sections: dict[str, list[EntryM]]
    contents: bool = True
    placeholder: bool = False

    def text(self) -> str:
        options = {k: v for k, v in (("contents", False if not self.contents else None),
                                     ("missing_figures", "placeholder" if self.placeholder else None)) if v is not None}
        out = f"---\npapernotes: {yaml.safe_dump(options, default_flow_style=True).strip()}\n---\n" if options else ""
        out += f"# {self.title}\n\n"
        for section, entries in self.sections.items():
            out += f"## {section}\n\n" + "\n".join(e.text() for e in entries) + "\n"
        return out


@dataclass
class SiteM:
    notes: dict[str, NoteM]
    aliases: dict[str, list[str]] = field(default_factory=dict)
    images: set[str] = field(default_factory=set)
    serial: int = 0
    home: bool = True  # the user's index.md; without it the plugin makes the home page

    def entries(self) -> list[EntryM]:
        return [e for n in self.notes.values() for es in n.sections.values() for e in es]

    def write(self, root: Path) -> None:
        docs = root / "docs"
        for path in docs.glob("*.md"):
            if path.name != "index.md" and path.name not in self.notes:
                path.unlink()
        for name, note in self.notes.items():
            target = docs / name
            text = note.text()
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                target.write_text(text, encoding="utf-8")
        index = docs / "index.md"
        if self.home and not index.exists():
            index.write_text(HOME, encoding="utf-8")
        elif not self.home and index.exists():
            index.unlink()
        img = docs / "img"
        img.mkdir(exist_ok=True)
        for path in img.iterdir():
            if path.name not in self.images:
                path.unlink()
        for name in self.images:
            if not (img / name).exists():
                (img / name).write_bytes(b"\x89PNG\r\n\x1a\n" + name.encode())
        authors = {name: {"aliases": spellings} for name, spellings in self.aliases.items()}
        (root / "aliases.yml").write_text(yaml.safe_dump({"authors": authors}, allow_unicode=True), encoding="utf-8")


def start_site() -> SiteM:
    return SiteM(notes={
        "vision.md": NoteM("Vision notes", {"Vision": [
            EntryM("Keeper One", 2, "CVPR 2023", ["Ada Lovelace", "Bo Xu"], ["video"], ["a point"]),
            EntryM("Solo Two", 0, "ICCV 2021", ["Chen Wei"], [], [], "a.png")]}),
        "language.md": NoteM("Language notes", {"Language": [
            EntryM("Talker Three", 3, "NeurIPS 2022", ["Bo Xu", "Dana Scott"], ["llm"])]}),
    }, images={"a.png"})


def edit_site(data: st.DataObject, site: SiteM) -> str:  # noqa: PLR0911 - one branch per kind of edit
    """Apply one random edit to the model; returns what it did (for the failure message)."""
    draw = data.draw
    notes = site.notes
    entries = site.entries()
    kind = draw(st.sampled_from([
        "add entry", "change entry", "delete entry", "priority", "venue", "authors", "topics", "title", "bullet",
        "section", "note title", "add note", "rename note", "delete note", "alias", "contents", "placeholder",
        "add figure", "remove figure", "image file", "home"]))
    if kind == "add entry" or (not entries and kind in ("change entry", "delete entry", "priority", "venue", "authors",
                                                         "topics", "title", "bullet", "add figure", "remove figure")):
        site.serial += 1
        note = notes[draw(st.sampled_from(sorted(notes)))] if notes else None
        if note is None:
            notes["fresh.md"] = note = NoteM("Fresh", {})
        section = draw(st.sampled_from(SECTIONS))
        authors = draw(st.lists(st.sampled_from([*PEOPLE, f"Newcomer {site.serial}"]), max_size=3, unique=True))
        note.sections.setdefault(section, []).append(
            EntryM(f"Added {site.serial}", draw(st.integers(0, 3)), draw(st.sampled_from(VENUES)), authors))
        return f"add entry {site.serial} to {section}"
    if kind in ("change entry", "priority", "venue", "authors", "topics", "title", "bullet", "add figure",
                "remove figure", "delete entry"):
        entry = draw(st.sampled_from(entries))
        if kind == "delete entry":
            for note in notes.values():
                for section, es in list(note.sections.items()):
                    if entry in es:
                        es.remove(entry)
                        if not es:
                            del note.sections[section]
        elif kind == "priority":
            entry.priority = draw(st.integers(0, 3))
        elif kind == "venue":
            entry.venue = draw(st.sampled_from(VENUES))
        elif kind in ("authors", "change entry"):
            entry.authors = draw(st.lists(st.sampled_from(PEOPLE), max_size=3, unique=True))
        elif kind == "topics":
            entry.topics = draw(st.lists(st.sampled_from(TOPICS), max_size=2, unique=True))
        elif kind == "title":
            site.serial += 1
            entry.title = f"Retitled {site.serial}"
        elif kind == "bullet":
            entry.bullets.append(f"point {len(entry.bullets)}")
        elif kind == "add figure":
            entry.figure = draw(st.sampled_from(["a.png", "b.png"]))
        else:
            entry.figure = None
        return f"{kind}: {entry.title}"
    if kind == "image file":
        name = draw(st.sampled_from(["a.png", "b.png"]))
        site.images ^= {name}
        return f"toggle image {name}"
    if kind == "home":
        site.home = not site.home
        return f"home page {'written' if site.home else 'removed'}"
    if kind == "alias":
        name = draw(st.sampled_from(PEOPLE[:3]))
        if name in site.aliases:
            del site.aliases[name]
        else:
            site.aliases[name] = [draw(st.sampled_from(PEOPLE[3:]))]
        return f"alias {name}: {site.aliases.get(name)}"
    if kind == "add note":
        site.serial += 1
        notes[f"n{site.serial}.md"] = NoteM(f"Note {site.serial}", {})
        return f"add note n{site.serial}.md"
    if not notes:
        return "nothing"
    name = draw(st.sampled_from(sorted(notes)))
    note = notes[name]
    if kind == "rename note":
        site.serial += 1
        notes[f"r{site.serial}.md"] = notes.pop(name)
        return f"rename {name} -> r{site.serial}.md"
    if kind == "delete note":
        del notes[name]
        return f"delete {name}"
    if kind == "note title":
        site.serial += 1
        note.title = f"Titled {site.serial}"
    elif kind == "section" and note.sections:
        old = draw(st.sampled_from(sorted(note.sections)))
        new = draw(st.sampled_from(SECTIONS))
        if new not in note.sections:
            note.sections = {new if k == old else k: v for k, v in note.sections.items()}
    elif kind == "contents":
        note.contents = not note.contents
    elif kind == "placeholder":
        note.placeholder = not note.placeholder
    return f"{kind}: {name}"


HOME = "# Home\n\nSee the [must-read list](must-read.md).\n"


def make_root(base: Path) -> Path:
    root = base / "site-src"
    (root / "docs").mkdir(parents=True)
    shutil.copytree(REPO / "overrides", root / "overrides")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    # A site_url of its own, so serve makes the feeds (and each tag's) the differential test compares.
    assert "site_url: !ENV [SITE_URL]" in config
    config = config.replace("site_url: !ENV [SITE_URL]", "site_url: https://example.org/notes/")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    (root / "docs" / "index.md").write_text(HOME, encoding="utf-8")
    return root



def served_site(tmp_path: Path) -> tuple[Path, SiteM, ServeLike]:
    """The differential test's starting site, written, and a serve-like builder of it."""
    root = make_root(tmp_path)
    model = start_site()
    model.write(root)
    return root, model, ServeLike(root / "mkdocs.yml", tmp_path / "served")


