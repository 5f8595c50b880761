"""`aliases` in authors.json and tags.json (issue 22, point 2): every other spelling the notes write
that was merged into the record, by case and spacing or by aliases.yml; the record's own name never.

Unit tests on the library and the export functions (no MkDocs), the repository's own seed note
with its aliases.yml, the documented fields, and one small build for the author page.
"""

from __future__ import annotations

import json
import re

from papernotes.index.aliases import Aliases
from papernotes.index.library import Library
from papernotes.notes.grammar import parse
from papernotes.outputs import exports
from support.paths import REPO, SEED
from support.sites import build as build_site
from support.sites import write_site


def library(text: str, aliases: str = "") -> Library:
    found, problems = Aliases.from_yaml(aliases, "aliases.yml")
    assert problems == []
    return Library([parse(text, "note.md")], {"note.md": "note/"}, aliases=found)


def author_aliases(lib: Library) -> dict[str, list[str]]:
    return {record["name"]: record["aliases"] for record in exports.authors(lib)}


def tag_aliases(lib: Library) -> dict[tuple[str, str], list[str]]:
    return {(record["kind"], record["name"]): record["aliases"] for record in exports.tags(lib)}


def test_the_seed_spellings_merged_by_this_repositorys_aliases_file_are_listed():
    aliases = (REPO / "aliases.yml").read_text(encoding="utf-8")
    lib = library(SEED.read_text(encoding="utf-8"), aliases)
    assert author_aliases(lib)["David A. Ross"] == ["David A Ross", "David Ross"]


def test_the_name_of_the_record_is_not_its_own_alias():
    lib = library("### A\n_David A. Ross_\n### B\n_David Ross, Ada Lovelace_\n### C\n_Ada Lovelace_\n",
                  "authors:\n  David A. Ross: [David Ross]\n")
    assert author_aliases(lib) == {"David A. Ross": ["David Ross"], "Ada Lovelace": []}


def test_spellings_merged_by_case_or_spacing_are_aliases_too():
    lib = library("### A\n_Kaiming He_\n### B\n_Kaiming  He_\n### C\n_Kaiming HE_\n")
    assert author_aliases(lib) == {"Kaiming He": ["Kaiming HE"]}  # spacing collapsed: not a spelling of its own


def test_a_homepage_entry_in_the_mapping_form_merges_and_lists_as_well():
    lib = library("### A\n_Michael Black_\n### B\n_Michael J. Black1_\n",
                  "authors:\n  Michael J. Black:\n    aliases: [Michael J. Black1, Michael Black]\n"
                  "    homepage: https://ps.is.mpg.de/person/black\n")
    (record,) = exports.authors(lib)
    assert (record["name"], record["aliases"], record["homepage"]) == (
        "Michael J. Black", ["Michael Black", "Michael J. Black1"], "https://ps.is.mpg.de/person/black")


def test_tags_list_the_spellings_merged_into_them():
    lib = library("## Vision\n\n"
                  "### [NIPS 2017] A\nTags: #self-supervised\n"
                  "### [NeurIPS 2019] B\nTags: #self_supervised\n"
                  "### [cvpr 2020] [Google AI] C\nTags: #self-supervised\n"
                  "### [CVPR 2021] [Google Research] D\n"
                  "### [CVPR 2022, NeurIPS 2022] [Meta AI] E\n",
                  "tags:\n  NeurIPS: [NIPS]\n  Google Research: [Google AI]\n")
    assert tag_aliases(lib) == {
        ("venue", "CVPR"): ["cvpr"], ("venue", "NeurIPS"): ["NIPS"],
        ("year", "2017"): [], ("year", "2019"): [], ("year", "2020"): [], ("year", "2021"): [], ("year", "2022"): [],
        ("org", "Google Research"): ["Google AI"], ("org", "Meta AI"): [],
        ("topic", "Vision"): [], ("topic", "self-supervised"): ["self_supervised"],
    }


def test_every_field_of_the_records_is_documented():
    doc = (REPO / "docs" / "exports.md").read_text(encoding="utf-8")
    sections = {name: doc.split(f"## `{name}`", 1)[1].split("\n## ", 1)[0] for name in ("tags.json", "authors.json")}
    lib = library("### [NIPS 2017] A\n_Ada Lovelace_\n", "tags:\n  NeurIPS: [NIPS]\n")
    for name, records in (("tags.json", exports.tags(lib)), ("authors.json", exports.authors(lib))):
        documented = set(re.findall(r"`(\w+)`", sections[name]))
        assert set(records[0]) <= documented, (name, set(records[0]) - documented)
        assert "aliases" in documented


def test_the_built_exports_and_the_author_page_list_the_merged_spellings(tmp_path):
    root = write_site(tmp_path / "site", {
        "index.md": "# Home\n",
        "note.md": "# Note\n\n### [NIPS 2021] A\n_David Ross_\n\n### [NeurIPS 2022] B\n_David A Ross_\n\n"
                   "### [NeurIPS 2023] C\n_David A. Ross_\n",
    }, plugin={"aliases": "aliases.yml"})
    (root / "aliases.yml").write_text("authors:\n  David A. Ross: [David Ross, David A Ross]\ntags:\n  NeurIPS: [NIPS]\n",
                                      encoding="utf-8")
    site = build_site(root)
    (author,) = json.loads(site.read("authors.json"))
    assert (author["name"], author["aliases"]) == ("David A. Ross", ["David A Ross", "David Ross"])
    venue = next(t for t in json.loads(site.read("tags.json")) if t["kind"] == "venue")
    assert (venue["name"], venue["aliases"]) == ("NeurIPS", ["NIPS"])
    page = site.page(author["url"].rstrip("/") + ".md")
    assert '<p class="pn-aliases">Also written: David A Ross, David Ross</p>' in page
