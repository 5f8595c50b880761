"""`index.changes.library_changes` on random edits of random libraries: what it calls unchanged is.

Under `mkdocs serve` the outputs take the last build's digests of every author and tag it does
not call changed, and the last build's entry digests of every entry it calls the same. So the
claim to check is plain: after any edit, every page digest made with the last build's help is
the digest a build from nothing makes, every entry called the same shows the same, and every
page of an author or tag not called changed renders as it did. The whole-site version of this
(a served site equal to a clean build after each edit) is tests/serve/test_incremental.py.

Edits of aliases.yml are among the random edits. A merged topic is caught twice in
index/changes.py (the entry's topics checked against the merges that changed, the tags'
spellings compared): a sabotage of both fails `test_a_topic_merged_in_aliases_yml_...`'s export
check; of `merged` alone, the first aliases edit.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from papernotes.index.aliases import Aliases
from papernotes.index.changes import LibraryChanges, library_changes, unplaced
from papernotes.index.library import Library, LibraryOptions
from papernotes.index.names import name_key
from papernotes.mkdocs_plugin.config import PapernotesConfig
from papernotes.notes.grammar import parse
from papernotes.outputs import registry as outputs
from papernotes.outputs.paths import EXPLORER_DATA_URI, EXPORTS
from papernotes.render.views import Renderer

from tests.support import libgen
from tests.support.libgen import ORGS, TOPICS, VENUES

NAMES = ["Hana García 9", "Hana Garcia 9", "HANA GARCÍA 9", "Ada Lovelace", "Bo Xu", "Uma Singh 4", "李 Petrov 7", "Zoë Quinn"]
WHOLE = (*EXPORTS, EXPLORER_DATA_URI)  # files made from every entry, line by line from what changed
TAGS = ["[CVPR 2023]", "[NeurIPS 2021 Oral]", "[Google Research]", "[Nature]", "[ICLR 2024, TPAMI 2025]", ""]


@dataclass
class Built:
    library: Library
    renderer: Renderer
    context: outputs.BuildContext
    changes: LibraryChanges | None
    digests: dict[str, str]
    exports: dict[str, str]
    from_nothing: list[tuple[object, ...]]  # `_authors` of the library made without the last one


def _config() -> PapernotesConfig:
    config = PapernotesConfig()
    config.load_dict({})
    assert not config.validate()[0]
    return config


CONFIG = _config()


ALIASES = Aliases()  # the aliases file as the edits leave it (`_edit_aliases`); each test starts with none


def _library(texts: dict[str, str], dates: dict[tuple[str, str], dt.datetime], last: Library | None = None) -> Library:
    docs = [parse(text, path) for path, text in texts.items()]
    aliases = Aliases(dict(ALIASES.authors), dict(ALIASES.homepages), dict(ALIASES.tags), list(ALIASES.venues))
    library = Library(docs, {path: path.removesuffix(".md") + "/" for path in texts}, LibraryOptions(), aliases, last=last)
    for entry in library.entries:
        date = dates.get((entry.path, entry.title))
        if date is not None:
            library.added_dates[id(entry)] = date
    return library


def _build(texts: dict[str, str], dates: dict[tuple[str, str], dt.datetime], last: Built | None) -> Built:
    library = _library(texts, dates, last.library if last is not None else None)  # authors taken from the last
    renderer = Renderer(library)
    changes = None
    if last is not None:
        before = last.renderer.bibliography

        def same_bibtex(entry, old):  # what the plugin's indexing.py gives
            a, b = renderer.bibliography.get(entry), before.get(old)
            return (a.bibtex if a else None) == (b.bibtex if b else None)

        changes = library_changes(last.library, library, same_bibtex)
        if changes is not None:
            renderer.take_from(last.renderer, changes)  # as the plugin does: views of the same entries taken
    context = outputs.BuildContext(library, renderer, CONFIG, changes=changes, last=last.context if last else None)
    made = outputs.outputs(context)
    digests = {o.src: o.digest() for o in made if o.digest is not None}
    files = {o.src: o.render() for o in made if o.src in WHOLE and o.render is not None}
    return Built(library, renderer, context, changes, digests, files, _authors(_library(texts, dates)))


def _unaccented(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))


def _edit(data: st.DataObject, texts: dict[str, str], dates: dict[tuple[str, str], dt.datetime]) -> str:
    path = data.draw(st.sampled_from(sorted(texts)))
    lines = texts[path].split("\n")
    headings = [i for i, line in enumerate(lines) if line.startswith("### ")]
    kind = data.draw(st.sampled_from(["bullet", "author", "priority", "entry", "delete", "tag", "title", "section",
                                      "note", "drop", "date", "aliases", "same"]))
    if kind == "bullet" and headings:
        i = data.draw(st.sampled_from(headings))
        lines.insert(i + 2, "- one more thought")
    elif kind == "author" and headings:
        i = data.draw(st.sampled_from(headings)) + 1
        if lines[i].startswith("_"):
            names = [n.strip() for n in lines[i].strip("_").split(",")]
            # Another author, or a spelling of one of the line's own: the same person written in capitals
            # (who may now show that way everywhere) or without accents (another person, whose page may
            # take the first one's URL).
            others = NAMES + [n.upper() for n in names] + [_unaccented(n) for n in names]
            names[data.draw(st.integers(0, len(names) - 1))] = data.draw(st.sampled_from(others))
            lines[i] = "_" + ", ".join(names) + "_"
    elif kind == "priority" and headings:
        i = data.draw(st.sampled_from(headings))
        lines[i] = lines[i].replace("### [!] ", "### ", 1) if lines[i].startswith("### [!] ") else lines[i].replace("### ", "### [!!!] ", 1)
    elif kind == "entry":
        authors = data.draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3))
        title = f"A new paper {len(lines)}"
        lines += ["", f"### {data.draw(st.sampled_from(TAGS))} {title}", "_" + ", ".join(authors) + "_", "", "- new"]
    elif kind == "delete" and headings:
        i = data.draw(st.sampled_from(headings))
        end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith(("### ", "## "))), len(lines))
        del lines[i:end]
    elif kind == "tag" and headings:
        i = data.draw(st.sampled_from(headings))
        lines[i] = "### " + data.draw(st.sampled_from(TAGS)) + " " + lines[i].split("] ", 1)[-1]
    elif kind == "title":
        lines[0] = f"# Renamed {len(lines)}"
    elif kind == "section":
        sections = [i for i, line in enumerate(lines) if line.startswith("## ")]
        if sections:
            lines[data.draw(st.sampled_from(sections))] = "## Another section"
    elif kind == "note":
        texts[f"new_{len(texts)}.md"] = texts[path]
        return kind
    elif kind == "drop" and len(texts) > 1:
        del texts[path]
        return kind
    elif kind == "aliases":
        return _edit_aliases(data, _library(texts, dates))
    elif kind == "date":
        library = _library(texts, dates)
        if library.entries:
            entry = data.draw(st.sampled_from(library.entries))
            dates[(entry.path, entry.title)] = dt.datetime(2024, 1, data.draw(st.integers(1, 28)), tzinfo=dt.UTC)
        return kind
    texts[path] = "\n".join(lines)
    return kind


def _edit_aliases(data: st.DataObject, library: Library) -> str:
    """aliases.yml edited: a spelling of an author (or a tag) merged into another name, or a merge
    undone; a homepage given or taken; a name declared a venue (its yearless tags read again)."""
    kind = data.draw(st.sampled_from(["author", "unmerge", "tag", "homepage", "venue"]))
    authors = sorted({name for e in library.entries for name in e.authors}) or NAMES
    if kind == "author":
        ALIASES.authors[name_key(data.draw(st.sampled_from(authors)))] = data.draw(st.sampled_from(authors + NAMES))
    elif kind == "unmerge" and ALIASES.authors:
        del ALIASES.authors[data.draw(st.sampled_from(sorted(ALIASES.authors)))]
    elif kind == "tag":
        variant, canonical = data.draw(st.sampled_from(TOPICS + ORGS)), data.draw(st.sampled_from(TOPICS + ORGS + ["Merged"]))
        ALIASES.tags[name_key(variant)] = canonical
    elif kind == "homepage":
        key = name_key(data.draw(st.sampled_from(authors)))
        if ALIASES.homepages.pop(key, None) is None:
            ALIASES.homepages[key] = f"https://example.org/{len(ALIASES.homepages)}"
    elif kind == "venue":
        ALIASES.venues.append(data.draw(st.sampled_from(VENUES + ORGS)))
    return f"aliases: {kind}"


def _authors(library: Library) -> list[tuple[object, ...]]:
    """Everything the library says of its authors, in its order; entries by place and author keys."""
    return [(a.key, a.name, a.slug, a.url, a.homepage, list(a.spellings.items()), list(a.written.items()),
             list(a.coauthors.items()), [(e.path, e.line) for e in a.entries], [library.author_keys(e) for e in a.entries],
             [(c.key, n) for c, n in library.ranked_coauthors(a)])
            for a in library.authors.values()]


def _check(last: Built, now: Built) -> None:
    changes = now.changes
    assert changes is not None  # same options
    # The library made with the last one's authors is the library made from nothing.
    assert _authors(now.library) == now.from_nothing
    fresh = outputs.BuildContext(now.library, Renderer(now.library), CONFIG)
    made = {o.src: o for o in outputs.outputs(fresh)}
    # Every digest and export line taken from the last build is the one a build from nothing makes.
    assert now.digests == {src: o.digest() for src, o in made.items() if o.digest is not None}
    assert now.exports == {src: made[src].render() for src in WHOLE}
    for entry in now.library.entries:
        old = changes.previous_entry(entry)
        if old is not None:
            assert unplaced(entry) == unplaced(old)  # where it is apart
            assert fresh.renderer.view(entry) == last.renderer.view(old), entry.title  # made anew, not taken
    before = {o.src: o for o in outputs.outputs(outputs.BuildContext(last.library, Renderer(last.library), CONFIG))}
    paths = fresh.paths
    for author in now.library.authors.values():
        if author.url and not changes.author_changed(author):
            src = paths.author_page(author.slug)
            assert made[src].render() == before[src].render(), src
    for tag in now.library.tags.values():
        if not changes.tag_changed(tag):
            src = paths.tag_page(tag.slug)
            assert made[src].render() == before[src].render(), src


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), data=st.data())
def test_what_a_build_takes_from_the_last_is_what_a_build_from_nothing_makes(seed, data):
    for merges in (ALIASES.authors, ALIASES.homepages, ALIASES.tags, ALIASES.venues):
        merges.clear()  # no aliases to begin with
    texts = libgen.generate(30, 3, seed=seed, author_pool=16)
    dates: dict[tuple[str, str], dt.datetime] = {}
    last = _build(texts, dates, None)
    for _ in range(data.draw(st.integers(1, 3))):
        _edit(data, texts, dates)
        now = _build(texts, dates, last)
        _check(last, now)
        last = now


def test_an_edit_of_one_entry_changes_only_what_shows_it():
    texts = libgen.generate(30, 3, seed=5, author_pool=16)
    last = _build(texts, {}, None)
    path = sorted(texts)[1]
    texts[path] = texts[path].replace("- a note on the paper", "- a note on the paper, and more", 1)  # no field changes
    now = _build(texts, {}, last)
    assert now.changes is not None and not now.changes.authors and not now.changes.tags
    assert len(now.changes.same) == len(now.library.entries)
    texts[path] = texts[path].replace("- a note on the paper", "- a note on the paper\n- and a new line below it", 1)
    moved = _build(texts, {}, now)  # every entry below the new bullet is a line further down: the same all the same
    assert moved.changes is not None and not moved.changes.authors and not moved.changes.tags
    assert len(moved.changes.same) == len(moved.library.entries)
    assert moved.exports["papers.json"] != now.exports["papers.json"]  # its "line"s
    now = moved
    texts[path] = texts[path].replace("\n### ", "\n### [!!!] ", 1)  # its first entry becomes a must-read
    after = _build(texts, {}, now)
    assert after.changes is not None
    edited = min((e for e in after.library.entries if e.path == path), key=lambda e: e.line)
    assert edited.priority == 3
    assert after.changes.previous_entry(edited) is None
    assert after.changes.authors == frozenset(after.library.author_keys(edited))
    assert len(after.changes.same) == len(after.library.entries) - 1


def test_other_options_change_everything():
    texts = libgen.generate(10, 1, seed=2)
    last = _build(texts, {}, None)
    library = _library(texts, {})
    library.options.min_papers = 2
    assert library_changes(last.library, library) is None
    assert library_changes(None, library) is None


def test_a_topic_merged_in_aliases_yml_changes_the_entries_and_tags_it_moves():
    """The entry's row shows no topic, its tags' pages do: the entry is not the same, both tags change."""
    for merges in (ALIASES.authors, ALIASES.homepages, ALIASES.tags, ALIASES.venues):
        merges.clear()
    texts = {"one.md": "# One\n\n### First\n_Ada Lovelace_\nTags: #diffusion\n",
             "two.md": "# Two\n\n### Second\n_Bo Xu_\nTags: #video\n\n### Third\n_Uma Singh_\nTags: #audio\n"}
    last = _build(texts, {}, None)
    ALIASES.tags[name_key("diffusion")] = "video"
    try:
        now = _build(texts, {}, last)
        _check(last, now)
    finally:
        ALIASES.tags.clear()
    assert now.changes is not None
    first = next(e for e in now.library.entries if e.title == "First")
    assert now.changes.previous_entry(first) is None
    assert {("topic", "diffusion"), ("topic", "video")} <= now.changes.tags
    assert ("topic", "audio") not in now.changes.tags and "uma singh" not in now.changes.authors


ONE = "# One\n\n### [CVPR 2023] First\n_Hana García, Ada Lovelace_\n\n- a\n"
TWO = "# Two\n\n### [cvpr 2022] Second\n_Hana García, Bo Xu_\n\n- b\n"


def _respelled(one: str) -> tuple[Built, Built]:
    texts = {"one.md": ONE, "two.md": TWO}
    last = _build(texts, {}, None)
    texts["one.md"] = one
    now = _build(texts, {}, last)
    _check(last, now)
    return last, now


def test_an_author_respelt_in_one_note_changes_their_coauthors_pages_in_others():
    # Written in capitals in the first note, she shows so everywhere (a tie goes to the first seen).
    _, now = _respelled(ONE.replace("Hana García", "HANA GARCÍA"))
    assert now.library.authors["hana garcía"].name == "HANA GARCÍA"
    assert now.changes is not None and "bo xu" in now.changes.authors  # his page's row names her


def test_an_author_whose_url_moves_changes_their_coauthors_pages():
    # "Hana Garcia" sorts first, takes `hana-garcia`, and "Hana García" moves to `hana-garcia-2`.
    _, now = _respelled(ONE.replace("Ada Lovelace", "Hana Garcia"))
    assert now.library.authors["hana garcía"].slug == "hana-garcia-2"
    assert now.changes is not None and "bo xu" in now.changes.authors


def test_a_tag_respelt_in_one_note_changes_the_pages_of_entries_in_others():
    _, now = _respelled(ONE.replace("[CVPR 2023]", "[cvpr 2023]"))  # `cvpr` now the most written
    assert now.library.tags[("venue", "cvpr")].name == "cvpr"
    assert now.changes is not None and "bo xu" in now.changes.authors  # his row's venue reads `cvpr 2022`


def test_a_tag_whose_url_moves_changes_the_pages_of_entries_in_others():
    texts = {"one.md": "# One\n\n### [Meta-AI] First\n_Ada Lovelace_\n", "two.md": "# Two\n\n### [Meta-AI] Second\n_Bo Xu_\n"}
    last = _build(texts, {}, None)
    texts["one.md"] = texts["one.md"].replace("[Meta-AI]", "[Meta AI]")  # another organisation, first for `meta-ai`
    now = _build(texts, {}, last)
    _check(last, now)
    assert now.library.tags[("org", "meta-ai")].slug == "meta-ai-2"
    assert now.changes is not None and "bo xu" in now.changes.authors and ("org", "meta-ai") in now.changes.tags


def test_an_author_no_edited_note_names_moves_to_another_url():
    texts = {"one.md": "# One\n\n### [CVPR 2023] First\n_Ada Lovelace_\n", "two.md": "# Two\n\n### Second\n_Hana García, Bo Xu_\n"}
    last = _build(texts, {}, None)
    texts["one.md"] = texts["one.md"].replace("Ada Lovelace", "Hana Garcia")  # sorts first for `hana-garcia`
    now = _build(texts, {}, last)
    _check(last, now)  # the library made with the last one's authors included
    assert now.library.authors["hana garcía"].url == "authors/hana-garcia-2/"
    assert now.changes is not None and "bo xu" in now.changes.authors


def test_a_note_without_entries_added_or_retitled_is_a_change_the_explorer_shows():
    """`shows_the_same` asks for every note as it was: the explorer's data lists notes with no entry too."""
    texts = libgen.generate(10, 2, seed=3)
    last = _build(texts, {}, None)
    texts["empty.md"] = "# Nothing yet\n"
    now = _build(texts, {}, last)
    assert now.changes is not None and not now.changes.authors and not now.changes.shows_the_same
    _check(last, now)
    texts["empty.md"] = "# Something soon\n"
    after = _build(texts, {}, now)
    assert after.changes is not None and not after.changes.shows_the_same
    _check(now, after)
    texts[sorted(texts)[0]] += "\n- one more line at the end\n"
    still = _build(texts, {}, after)
    assert still.changes is not None and still.changes.shows_the_same
    _check(after, still)


def test_an_entry_added_or_removed_leaves_the_others_of_its_note_the_same():
    texts = libgen.generate(20, 2, seed=8, author_pool=12)
    last = _build(texts, {}, None)
    path = sorted(texts)[0]
    texts[path] += "\n### [Venue9 2025] A paper added at the end\n_Newauthor Person_\n- fresh\n"
    now = _build(texts, {}, last)
    added = next(e for e in now.library.entries if e.title == "A paper added at the end")
    assert now.changes is not None and len(now.changes.same) == len(last.library.entries)
    assert "newauthor person" in now.changes.authors and now.changes.previous_entry(added) is None
    assert not now.changes.shows_the_same
    _check(last, now)
    lines = texts[path].split("\n")
    second = [i for i, line in enumerate(lines) if line.startswith("### ")][1]
    end = next(j for j in range(second + 1, len(lines)) if lines[j].startswith(("### ", "## ")))
    removed = now.library.documents[path].entries[1]
    texts[path] = "\n".join(lines[:second] + lines[end:])  # the note's second entry removed
    after = _build(texts, {}, now)
    assert after.changes is not None and len(after.changes.same) == len(now.library.entries) - 1
    assert set(now.library.author_keys(removed)) <= after.changes.authors
    _check(now, after)


def test_an_entry_whose_anchor_moves_to_a_twin_added_before_it_is_not_the_same():
    texts = libgen.generate(10, 1, seed=4, author_pool=8)
    path = sorted(texts)[0]
    texts[path] += "\n### Twin title\n_Ada Lovelace_\n- the first one written\n"
    last = _build(texts, {}, None)
    twin = last.library.documents[path].entries[-1]
    assert last.library.anchor(twin) == "twin-title"
    title = texts[path].index("\n### ")
    texts[path] = texts[path][:title] + "\n### Twin title\n_Bo Xu_\n- now written first\n" + texts[path][title:]
    now = _build(texts, {}, last)
    moved = now.library.documents[path].entries[-1]
    assert now.library.anchor(moved) == "twin-title-2"
    assert now.changes is not None and now.changes.previous_entry(moved) is None
    _check(last, now)
