"""Material's search under `mkdocs serve`: a page's HTML lent away while Material's regex would change nothing in it.

Material's search `on_page_context` runs `re.sub` over every built page's HTML to drop
`data-search-*="..."` attributes. serve/search_entries.py lends it an empty string for a page
without any, and the plugin's `on_page_context`, next in line, gives the HTML back.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from papernotes.serve import search_entries
from papernotes.serve.search_entries import SearchEntries, lend_to
from support.serving import ServeLike, repository_like_project


def _handlers(*owners: object) -> list[object]:
    return [SimpleNamespace(__self__=owner) for owner in owners]


def test_the_html_is_lent_only_when_the_plugin_is_the_next_to_see_the_page():
    search, plugin, other = object(), object(), object()
    assert lend_to(_handlers(search, plugin), search, plugin)
    assert lend_to(_handlers(other, search, plugin, other), search, plugin)
    assert not lend_to(_handlers(search, other, plugin), search, plugin)  # `other` would read an empty page
    assert not lend_to(_handlers(plugin, search), search, plugin)
    assert not lend_to(_handlers(search), search, plugin)
    assert not lend_to(_handlers(search, plugin), None, plugin)


def test_a_page_with_an_attribute_materials_regex_removes_keeps_its_html():
    entries = SearchEntries(cache=None)  # type: ignore[arg-type]  # lending reads no store
    entries._lending = True
    plain = SimpleNamespace(content='<p data-search-exclude>x</p>')
    marked = SimpleNamespace(content='<p data-search-boost="2">x</p>')
    entries._lend(plain)  # type: ignore[arg-type]
    entries._lend(marked)  # type: ignore[arg-type]
    assert plain.content == "" and marked.content == '<p data-search-boost="2">x</p>'
    entries.give_back(plain)  # type: ignore[arg-type]
    entries.give_back(marked)  # type: ignore[arg-type]
    assert plain.content == '<p data-search-exclude>x</p>' and marked.content == '<p data-search-boost="2">x</p>'


def test_served_pages_lent_to_material_are_the_clean_builds(tmp_path: Path, monkeypatch):
    """Pages through the theme under serve, lent or not, equal a clean build's; Material still drops the
    attribute from the note that has one, and the other pages were lent (the saving is real)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    lent: list[str] = []
    lend = SearchEntries._lend

    def spy(self: SearchEntries, page) -> None:
        lend(self, page)
        if id(page) in self._lent:
            lent.append(page.file.src_uri)

    monkeypatch.setattr(SearchEntries, "_lend", spy)
    root = tmp_path / "src"
    config = repository_like_project(root)
    entry = "### [!!] [CVPR 2023] Keeper {n} [[pdf]](https://arxiv.org/abs/2301.0000{n})\n_Ada Lovelace, Bo Xu_\n- a point\n"
    marked = root / "docs" / "marked.md"
    marked.write_text('# Marked\n\n<p data-search-boost="2">boosted</p>\n\n' + entry.format(n=1), encoding="utf-8")
    (root / "docs" / "plain.md").write_text("# Plain\n\n" + entry.format(n=2), encoding="utf-8")
    serve = ServeLike(config, tmp_path / "served")
    try:
        serve.rebuild()
        lent.clear()
        marked.write_text(marked.read_text(encoding="utf-8") + "- another point\n", encoding="utf-8")
        (root / "docs" / "added.md").write_text("# Added\n", encoding="utf-8")  # a new nav: every page through the theme
        serve.rebuild()
        assert serve.plugin.incremental.search._lending
        serve.assert_same_as_clean("after an edit")
        assert "marked.md" not in lent and "plain.md" in lent, lent
        assert not serve.plugin.incremental.search._lent, "every page lent was given back"
        html = (tmp_path / "served" / "marked" / "index.html").read_text(encoding="utf-8")
        assert "boosted" in html and "data-search-boost" not in html
    finally:
        serve.close()
    assert search_entries._REMOVED.search('<p data-search-boost="2">')
