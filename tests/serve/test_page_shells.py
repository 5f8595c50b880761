"""Generated pages made from a proven shell (serve/page_shells.py): the same bytes as the theme
makes, and a theme that would make a shell wrong gets none.

Each sabotage of page_shells.py these tests were run against fails one of them: no hard probe
(`_probe` comparing the plain render with itself), one page verified instead of two
(`VERIFIED_BY = 1`), no check of the content slot, a fill that adds a byte.
"""

from __future__ import annotations

import pytest
from support.site_model import served_site


@pytest.fixture(autouse=True)
def _fixed_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def test_generated_pages_come_from_shells_and_are_the_pages_the_theme_makes(tmp_path):
    root, _model, serve = served_site(tmp_path)
    try:
        serve.rebuild()
        shells = serve.plugin.incremental.theme.shells
        assert shells.failed == {}
        filled = shells.filled
        authors = [p for p in (tmp_path / "served" / "authors").iterdir() if p.is_dir()]
        assert filled >= len(authors) - 4  # every author page but each group's two verified ones
        serve.assert_same_as_clean("first build")
        # A renamed note: the pages of its entries' authors and tags change, and come from shells.
        note = root / "docs" / "vision.md"
        note.rename(root / "docs" / "seeing.md")
        serve.rebuild()
        assert shells.failed == {} and 0 < shells.filled < filled
        serve.assert_same_as_clean("after a rename")
    finally:
        serve.close()


# Themes that print a page's own values otherwise than as given, or print another of its values
# (the block of main.html, its body, the check that catches it): a shell of them would be wrong.
BREAKING = {
    "a shortened title": ("htmltitle", "<title>{{ page.meta.title | truncate(40) }}</title>", "changes a page's value"),
    "an escaped body": ("content", "{{ page.content | e }}", "does not print a page's content as given"),
    "a body without its tags": ("content", "{{ page.content | striptags }}", "does not print a page's content as given"),
    "a re-encoded URL": ("site_meta", '{{ super() }}<meta name="u" content="{{ page.url | urlencode }}">',
                         "changes a page's value"),
    "the page's source path": ("footer", "{{ super() }}<p>{{ page.file.src_uri }}</p>", "is not its shell filled in"),
    "a title read as a number": ("footer", "{{ super() }}{% if 'Pn' in page.meta.title %}{{ 1 // 0 }}{% endif %}",
                                 "could not render a probe"),
}


@pytest.mark.parametrize("name", BREAKING)
def test_a_theme_that_would_make_a_shell_wrong_gets_none(tmp_path, name):
    block, body, reason = BREAKING[name]
    root, _model, serve = served_site(tmp_path)
    main = root / "overrides" / "main.html"  # the 404 page has no page: it keeps the theme's block
    main.write_text(main.read_text(encoding="utf-8") + f"\n{{% block {block} %}}{{% if page %}}{body}"
                    "{% else %}{{ super() }}{% endif %}{% endblock %}\n", encoding="utf-8")
    try:
        serve.rebuild()
        shells = serve.plugin.incremental.theme.shells
        assert shells.failed and all(reason in why for why in shells.failed.values()), shells.failed
        assert shells.filled == 0
        serve.assert_same_as_clean(name)
    finally:
        serve.close()


def test_pages_not_of_a_shells_form_are_made_by_the_theme(tmp_path):
    """A page the nav links to, or with a template of its own, is in no group."""
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import get_toc
    from papernotes.serve.page_shells import _group_key

    def page(url: str, **meta: object) -> Page:
        file = File(url.strip("/") + ".md", "/docs", "/site", use_directory_urls=True)
        made = Page("T", file, _Config())
        made.meta, made.content = {"title": "T", **meta}, '<h1 id="t">T</h1>'
        made.toc = get_toc([{"level": 1, "id": "t", "name": "T", "children": []}])
        return made

    assert _group_key(page("authors/ada/"), "v", set(), False) is not None
    assert _group_key(page("authors/ada/"), "v", {"authors/ada/"}, False) is None  # the nav links to it
    assert _group_key(page("authors/ada/", template="x.html"), "v", set(), False) is None
    other = page("authors/ada/")
    other.toc = get_toc([{"level": 1, "id": "t", "name": "T", "children": [
        {"level": 2, "id": "u", "name": "U", "children": []}]}])
    assert _group_key(other, "v", set(), False) is None  # a TOC of more than its heading
    other = page("authors/ada/")
    other.content = "<p>no heading</p>"
    assert _group_key(other, "v", set(), False) is None
    # pages of the same folder and meta share a group; another folder or meta is another group
    key = _group_key(page("authors/ada/"), "v", set(), False)
    assert _group_key(page("authors/bob/"), "v", set(), False) == key
    assert _group_key(page("tags/bob/"), "v", set(), False) != key
    assert _group_key(page("authors/bob/", hide=["toc"]), "v", set(), False) != key
    assert _group_key(page("authors/bob/"), "w", set(), False) != key


class _Config(dict):
    def __init__(self) -> None:
        super().__init__(site_url=None, repo_url=None, edit_uri=None, edit_uri_template=None)

