"""mkdocs-macros integration: pages that opt in can query the library; notes are never altered."""

from __future__ import annotations

import re

MACROS_CONFIG = {"plugins": ["search", {"macros": {"render_by_default": False}}, {"papernotes": {}}]}
NOTES = {
    "a.md": "# A\n## Vision\n### [!!!] [CVPR 2023] Alpha\n_Yin Cui, Ada_\n### [CVPR 2022] Beta\n_Ada_\n",
    "b.md": "# B\n### [!!!] [ICML 2021] Gamma\n_Yin Cui_\n### [!] [cvpr 2021] Delta\n_Bob_\n",
}


def test_papers_macro_and_counts_on_an_opted_in_page(make_site):
    home = ("---\nrender_macros: true\n---\n# Home\n\n{{ paper_count }} papers, {{ author_count }} authors, "
            "{{ must_read_count }} must-read.\n\n{{ papers(tag=\"CVPR\", priority=3) }}\n\n## Yin\n\n{{ papers(author=\"yin cui\") }}\n")
    site = make_site({"index.md": home, **NOTES}, config=MACROS_CONFIG)
    assert [w.split(" [")[-1] for w in site.warnings] == ["tag-variant]"]  # [cvpr 2021] beside [CVPR 2023]
    html = site.page("index.md")
    assert "4 papers, 3 authors, 2 must-read." in html
    cvpr_must = html.split('<ul class="pn-rows" data-search-exclude>')[1].split("</ul>")[0]
    assert re.findall(r'class="pn-row__title" href="([^"]+)">(\w+)<', cvpr_must) == [("a/#alpha", "Alpha")]
    yin = html.split('<ul class="pn-rows" data-search-exclude>')[2].split("</ul>")[0]
    assert re.findall(r'class="pn-row__title"[^>]*>(\w+)<', yin) == ["Alpha", "Gamma"]


def test_notes_with_braces_are_never_altered(make_site):
    note = "### [!] T\n_A_\n\n$\\frac{{a}}{b}$ and `{% raw %}` and {{ not_a_variable }}\n"
    site = make_site({"note.md": note}, config=MACROS_CONFIG)
    html = site.page("note.md")
    assert "{{ not_a_variable }}" in html and "{% raw %}" in html and "\\frac{{a}}{b}" in html
    assert site.warnings == []


def test_opted_in_note_still_renders_its_entries(make_site):
    note = "---\nrender_macros: true\n---\n# N\n{{ paper_count }} here.\n### [!!] [X] T\n_A_\n"
    site = make_site({"note.md": note}, config=MACROS_CONFIG)
    html = site.page("note.md")
    assert "1 here." in html and "pn-entry--p2" in html and "pn-contents" in html


def test_macros_rendering_by_default_is_warned_about(make_site):
    site = make_site({"note.md": "### [!] T\n"}, config={"plugins": ["search", "macros", "papernotes"]})
    assert any("render_by_default: false" in w for w in site.warnings)


def test_registered_variable_names_are_the_ones_filled_in():
    from papernotes.index.library import Library
    from papernotes.mkdocs_plugin.macros import VARIABLES, variables
    from papernotes.notes.grammar import parse

    assert tuple(variables(Library([parse("### [!!!] T\n_A_\n", "n.md")], {"n.md": "n/"}))) == VARIABLES
