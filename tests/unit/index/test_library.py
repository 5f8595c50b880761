"""The library layer: authors, tags, slugs, anchors and URLs (no MkDocs)."""

from __future__ import annotations

import pytest
from papernotes.index.aliases import Aliases
from papernotes.index.library import Library, LibraryOptions, row_sort_key
from papernotes.index.names import family_name, name_key
from papernotes.index.urls import relative_url, src_to_url
from papernotes.notes.grammar import parse
from papernotes.notes.slugs import ascii_slug, github_slug, page_anchors


def library(*notes: tuple[str, str], aliases: str = "", **options) -> Library:
    docs = [parse(text, path) for path, text in notes]
    opts = LibraryOptions(**options)
    urls = {path: src_to_url(path, opts.use_directory_urls) for path, _ in notes}
    return Library(docs, urls, opts, Aliases.from_yaml(aliases, "aliases.yml")[0])


# -- slugs and anchors -------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "slug"), [
    ("José Lezama", "jose-lezama"), ("Stanisław Woźniak", "stanislaw-wozniak"), ("Piotr Dollár", "piotr-dollar"),
    ("张三", "zhang-san"), ("../../etc/passwd", "etc-passwd"), ("<img src=x onerror=alert(1)>", "img-src-x-onerror-alert-1"),
])
def test_ascii_slug_folding(name, slug):
    assert ascii_slug(name) == slug


def test_slug_of_nothing_sluggable_is_stable_and_safe():
    first, second = ascii_slug("!!!"), ascii_slug("!!!")
    assert first == second and first.startswith("x-") and "/" not in first and ".." not in first
    assert ascii_slug("???") != first


@pytest.mark.parametrize(("heading", "anchor"), [
    ("[!!!] [Meta AI] Segment Anything [[pdf]](https://arxiv.org/abs/2304.02643)", "-meta-ai-segment-anything-pdf"),
    ("Fundation Models", "fundation-models"),
    ("中文 标题", "中文-标题"),
    ("[NeurIPS 2023] DaTaSeg: Taming a Universal Multi-Dataset Multi-Task Segmentation Model [[pdf]](u)",
     "neurips-2023-dataseg-taming-a-universal-multi-dataset-multi-task-segmentation-model-pdf"),
    ("C++ `code` and [link](x)", "c-code-and-link"),
    ("[X] _Lumiere_: **bold** and *it* ~~gone~~", "x-lumiere-bold-and-it-gone"),
    ("snake_case_name and __init__", "snake_case_name-and-init"),
    ("a * b * c", "a--b--c"),
])
def test_github_slugs(heading, anchor):
    assert github_slug(heading) == anchor


def test_page_anchors_are_unique_the_github_way():
    doc = parse("## Same\n### [X] Same\n### Same\n")
    assert list(page_anchors(doc).values()) == ["same", "x-same", "same-1"]
    doc = parse("### [!] T\n### [!] T\n### [!] T\n")
    assert list(page_anchors(doc).values()) == ["-t", "-t-1", "-t-2"]


# -- urls --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("src", "dirs", "url"), [
    ("note.md", True, "note/"), ("note.md", False, "note.html"), ("index.md", True, "./"),
    ("index.md", False, "index.html"), ("authors/jose.md", True, "authors/jose/"), ("tags/index.md", True, "tags/"),
    ("sub/README.md", False, "sub/index.html"),
])
def test_src_to_url(src, dirs, url):
    assert src_to_url(src, dirs) == url


@pytest.mark.parametrize(("url", "base", "expected"), [
    ("note/#x", "authors/jose/", "../../note/#x"), ("note.html#x", "authors/jose.html", "../note.html#x"),
    ("note/#x", "note/", "./#x"), ("authors/", "./", "authors/"), ("./", "tags/a/", "../../"),
    ("tags/cvpr/", "must-read/", "../tags/cvpr/"),
])
def test_relative_url(url, base, expected):
    assert relative_url(url, base) == expected


# -- authors -----------------------------------------------------------------------------------

def test_author_identity_is_normalised_and_most_frequent_spelling_wins():
    lib = library(("a.md", "### [X] One\n_Yin  Cui, YIN CUI_\n### [X] Two\n_Yin Cui_\n### [X] Three\n_ｙｉｎ cui_\n"))
    assert list(lib.authors) == ["yin cui"]
    author = lib.authors["yin cui"]
    assert author.name == "Yin Cui" and len(author.entries) == 3  # the same author twice on one entry counts once
    assert author.spellings == {"Yin Cui": 2, "YIN CUI": 1, "ｙｉｎ cui": 1}


def test_alias_merge_and_homepage():
    aliases = ("authors:\n  Michael J. Black:\n    aliases: [Michael J. Black1, Michael Black]\n"
               "    homepage: https://ps.is.mpg.de\n  Bo Xu: [Bo XU]\n")
    lib = library(("a.md", "### [X] A\n_Michael J. Black1, Bo XU_\n### [X] B\n_Michael Black_\n### [X] C\n_Bo Xu_\n"),
                  aliases=aliases)
    black = lib.authors[name_key("Michael J. Black")]
    assert black.name == "Michael J. Black" and len(black.entries) == 2 and black.homepage == "https://ps.is.mpg.de"
    assert len(lib.authors[name_key("Bo Xu")].entries) == 2 and len(lib.authors) == 2


def test_bad_aliases_file_is_a_diagnostic_not_a_crash():
    _, problems = Aliases.from_yaml("authors: [unclosed", "aliases.yml")
    assert problems and problems[0].code == "aliases" and problems[0].path == "aliases.yml"
    _, problems = Aliases.from_yaml("authors:\n  X:\n    homepage: javascript:alert(1)\n", "aliases.yml")
    assert "not a safe" in problems[0].message
    _, problems = Aliases.from_yaml("- a list", "aliases.yml")
    assert problems


def test_coauthor_counts():
    lib = library(("a.md", "### [X] 1\n_A, B, C_\n### [X] 2\n_A, B_\n### [X] 3\n_A, A, D_\n"))
    a = lib.authors["a"]
    assert dict(a.coauthors) == {"b": 2, "c": 1, "d": 1}
    assert dict(lib.authors["b"].coauthors) == {"a": 2, "c": 1}


def test_slug_collisions_get_deterministic_suffixes():
    notes = ("a.md", "### [X] 1\n_José Lezama, Jose Lezama, JOSÉ-LEZAMA_\n")
    slugs = sorted(a.slug for a in library(notes).authors.values())
    assert slugs == ["jose-lezama", "jose-lezama-2", "jose-lezama-3"]
    assert slugs == sorted(a.slug for a in library(notes).authors.values())  # same input, same slugs


def test_reserved_and_hostile_author_slugs_stay_inside_the_folder():
    lib = library(("a.md", "### [X] 1\n_index, ../../etc/passwd, tags, <img src=x onerror=alert(1)>_\n"))
    slugs = {a.name: a.slug for a in lib.authors.values()}
    assert slugs["index"] == "index-2"
    assert slugs["../../etc/passwd"] == "etc-passwd"
    for author in lib.authors.values():
        assert author.url is not None and author.url.startswith("authors/") and ".." not in author.url


def test_min_papers_keeps_rare_authors_on_the_index_only():
    lib = library(("a.md", "### [X] 1\n_A, B_\n### [X] 2\n_A_\n"), min_papers=2)
    assert lib.authors["a"].url == "authors/a/" and lib.authors["b"].url is None


def test_family_name_letter():
    lib = library(("a.md", "### [X] 1\n_Ada Lovelace, 张三, Zoë Ürban, 42_\n"))
    letters = {a.name: a.letter for a in lib.authors.values()}
    assert letters == {"Ada Lovelace": "L", "张三": "Z", "Zoë Ürban": "U", "42": "#"}


@pytest.mark.parametrize(("name", "family"), [
    ("Martin Luther King Jr.", "King"), ("Ludwig van Beethoven", "Beethoven"), ("Aäron van den Oord", "Oord"),
    ("Charles de Gaulle", "Gaulle"), ("Jean-Baptiste de la Salle", "Salle"), ("John Smith III", "Smith"),
    ("Geoffrey E. Hinton", "Hinton"), ("Dr. Ruth Westheimer", "Westheimer"), ("Yann LeCun", "LeCun"),
    # a capitalised particle is part of the name as written; a lone "particle" is the name
    ("Jan Van den Bosch", "Van den Bosch"), ("Quoc V. Le", "Le"), ("Li Bin", "Bin"),
    # no last name to find: the whole name
    ("Ng", "Ng"), ("何恺明", "何恺明"), ("42", "42"),
])
def test_family_name_skips_suffixes_titles_and_lowercase_particles(name, family):
    assert family_name(name) == family


def test_a_to_z_letters_follow_the_family_name():
    lib = library(("a.md", "### [X] 1\n_Martin Luther King Jr., Ludwig van Beethoven, Kaiming He, 张三_\n"))
    assert {a.name: a.letter for a in lib.authors.values()} == {
        "Martin Luther King Jr.": "K", "Ludwig van Beethoven": "B", "Kaiming He": "H", "张三": "Z"}


def test_coauthors_rank_by_shared_papers_then_family_name():
    lib = library(("a.md", "### [X] 1\n_Ludwig van Beethoven, Zed Adams, Amy Zimmer, Bo King_\n"
                           "### [X] 2\n_Ludwig van Beethoven, Bo King_\n"))
    ranked = lib.ranked_coauthors(lib.authors[name_key("Ludwig van Beethoven")])
    assert [(a.name, n) for a, n in ranked] == [("Bo King", 2), ("Zed Adams", 1), ("Amy Zimmer", 1)]


@pytest.mark.parametrize("name", ["Gerard 't Hooft", "Ida Ødegaard", "Å. Ångström", "Li 李", "X ..Dot", "Y 9lives", "Z ~",
                                  "Bo ß", "Jo Œuvre", "Q -Dash"])
def test_letter_is_the_first_letter_of_the_folded_family_name(name):
    """The A-Z letter is read character by character (fast); it agrees with folding the whole family name."""
    from papernotes.notes.slugs import ascii_fold

    author = library(("a.md", f"### [X] 1\n_{name}_\n")).authors[name_key(name)]
    folded = ascii_fold(author.family_name)[:1].upper()
    assert author.letter == (folded if folded.isalpha() else "#")


# -- tags --------------------------------------------------------------------------------------

def test_tags_are_case_insensitive_and_grouped_by_kind():
    lib = library(("a.md", "## Video\n### [SIGGRAPH 2023] A\n### [Siggraph 2022] [OpenAI] B\n### [2021] [openai] C\n"
                           "_X_\nTags: #Diffusion\n"))
    kinds = {kind: [(t.name, len(t.entries)) for t in tags] for kind, tags in lib.tags_by_kind().items()}
    assert kinds["venue"] == [("SIGGRAPH", 2)]
    assert kinds["year"] == [("2023", 1), ("2022", 1), ("2021", 1)]  # newest first
    assert kinds["org"] == [("OpenAI", 2)]
    assert kinds["topic"] == [("Video", 3), ("Diffusion", 1)]
    venue = lib.tags[("venue", "siggraph")]
    assert [year for year, _ in venue.by_year()] == [2023, 2022]


def test_tag_aliases():
    lib = library(("a.md", "### [NIPS 2017] A\n### [NeurIPS 2023] B\n"), aliases="tags:\n  NeurIPS: [NIPS]\n")
    assert [(t.name, len(t.entries)) for t in lib.tags_by_kind()["venue"]] == [("NeurIPS", 2)]


def test_section_topics_switch():
    lib = library(("a.md", "## Video\n### [X] A\n"), section_topics=False)
    assert lib.tags_by_kind()["topic"] == []


def test_punctuation_only_tag_gets_a_safe_page():
    lib = library(("a.md", "### [!?*] A\n"))
    (tag,) = lib.tags_by_kind()["org"]
    assert tag.slug.startswith("tag-") and tag.url == f"tags/{tag.slug}/"


def test_row_order_priority_then_year_then_title():
    lib = library(("a.md", "### [2020] b\n### [!] [2019] z\n### [2021] a\n### [!] [2022] y\n"))
    assert [e.title for e in sorted(lib.entries, key=row_sort_key)] == ["y", "z", "a", "b"]


def test_entry_urls_and_anchors_both_url_styles():
    notes = ("sub/note.md", "### [!!!] [Meta AI] Segment Anything [[pdf]](https://x.org)\n")
    assert library(notes).entry_url(library(notes).entries[0]) == "sub/note/#segment-anything"
    flat = library(notes, use_directory_urls=False)
    assert flat.entry_url(flat.entries[0]) == "sub/note.html#segment-anything"
