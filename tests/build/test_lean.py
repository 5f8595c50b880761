"""Lean generated pages: no Markdown pass, no search parsing, no lightbox; what readers get is kept."""

from __future__ import annotations

import inspect
import json

from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from papernotes.mkdocs_plugin import generated_pages as lean
from papernotes.render.page_shell import page_heading
from support.sites import build, write_site

NOTE = "# Note\n\n### [!!] [CVPR 2023] Zebra Paper\n_Ada <Lovelace>, Bo Xu_\n- ![a figure](img/a.png)\n"


def test_generated_pages_index_their_title_alone_and_notes_keep_the_lightbox(tmp_path):
    root = write_site(tmp_path / "s", {"note.md": NOTE, "img/a.png": b"\x89PNG\r\n\x1a\n"},
                      config={"plugins": ["search", "papernotes", "glightbox"]})
    site = build(root)
    docs = json.loads(site.read("search/search_index.json"))["docs"]
    generated = [d for d in docs if d["location"].startswith(("authors/", "tags/", "must-read/"))]
    assert generated and all(d["text"] == "" for d in generated)
    assert sorted(d["location"] for d in generated) == sorted({d["location"] for d in generated})  # one entry each
    by_location = {d["location"]: d["title"] for d in generated}
    assert by_location["authors/ada-lovelace/"] == "Ada &lt;Lovelace&gt;"  # HTML, as Material indexes titles
    assert by_location["tags/cvpr/"] == "CVPR" and by_location["authors/"] == "Authors"
    note = site.page("note.md")
    assert "glightbox.min.js" in note and 'class="glightbox"' in note
    author = site.page("authors/ada-lovelace.md")
    assert "glightbox" not in author and page_heading("Ada <Lovelace>") in author


def test_skipping_markdown_gives_what_markdown_makes_of_nothing(tmp_path):
    root = write_site(tmp_path / "s", {"index.md": "# Home\n"})
    config = load_config(config_file=str(root / "mkdocs.yml"))
    config.plugins._current_plugin = "test"  # File.generated outside a build
    files = Files([])
    # What a hand-written page of the title alone makes of its heading, the lean page makes without Markdown.
    real = Page(None, File.generated(config, "a.md", content="---\ntitle: A title\n---\n# A title\n"), config)
    lean_page = Page(None, File.generated(config, "b.md", content="---\ntitle: A title\n---\n"), config)
    for page in (real, lean_page):
        page.read_source(config)
    lean.skip_markdown(lean_page, "A title")
    real.render(config, files)
    lean_page.render(config, files)
    for attribute in ("present_anchor_ids", "links_to_anchors"):
        assert getattr(real, attribute) == getattr(lean_page, attribute), attribute
    assert [(i.id, i.title, i.level) for i in real.toc] == [(i.id, i.title, i.level) for i in lean_page.toc] == [("a-title", "A title", 1)]
    assert real.content == page_heading("A title") and lean_page.content == ""  # the heading comes after Markdown
    assert real.title == lean_page.title == "A title"
    # Markdown put into such a page is rendered for real
    extra = Page(None, File.generated(config, "c.md", content="# Heading\n"), config)
    extra.read_source(config)
    lean.skip_markdown(extra, "Heading")
    extra.render(config, files)
    assert extra.content is not None and "<h1" in extra.content


def test_material_search_is_what_the_title_entry_assumes():
    """Pinned: Material skips a page with `search: exclude` and builds entries as {location, title, text}."""
    from material.plugins.search import plugin as material

    source = inspect.getsource(material.SearchIndex.add_entry_from_context)
    assert 'search.get("exclude")' in source and source.index("exclude") < source.index("parser.feed")
    entry = inspect.getsource(material.SearchIndex.create_entry_for_section)
    assert '"location": url' in entry and '"title": title' in entry and '"text": text' in entry
    assert 'page.meta.get("title", page.title)' in entry
    # the rebuild cache replays a page's entries by wrapping the index's add_entry_from_context
    context = inspect.getsource(material.SearchPlugin.on_page_context)
    assert "self.search_index.add_entry_from_context(page)" in context
    assert "self.entries.append(entry)" in entry
    assert material.__name__ == lean.MATERIAL_SEARCH


def test_without_material_search_generated_pages_are_searched_as_before(tmp_path):
    root = write_site(tmp_path / "s", {"note.md": NOTE}, theme="mkdocs")
    site = build(root)
    docs = json.loads(site.read("search/search_index.json"))["docs"]
    assert any(d["location"] == "authors/ada-lovelace/" for d in docs)
    front = site.page("authors/ada-lovelace.md")
    assert page_heading("Ada <Lovelace>") in front


def test_front_matter_made_without_yaml_is_what_mkdocs_reads(tmp_path):
    from mkdocs.utils.meta import get_data
    from papernotes.render.page_shell import page_markdown, page_meta

    titles = ["Ada", "O'Brien \"x\" \\ <b>&amp;", "何恺明", "tab\there", "a: b #c", "", "  spaced  ",
              "line\nbreak", "\u2028sep", "\x07bell", "- [list]", "{not: a map}", "null", "true", "3.5"]
    for title in titles:
        for search in (True, False):
            meta = page_meta(title, search_title_only=search)
            assert meta is not None
            assert get_data(page_markdown(title, search_title_only=search)) == ("", meta), title
    # Beyond U+FFFF: JSON's surrogate pairs are refused by YAML, so page_markdown writes `\UXXXXXXXX`.
    for title in ("emoji \U0001F600", "\U0001F389\U0001F389 <b>"):
        assert get_data(page_markdown(title)) == ("", page_meta(title)), title

    root = write_site(tmp_path / "s", {"index.md": "# Home\n"})
    config = load_config(config_file=str(root / "mkdocs.yml"))
    config.plugins._current_plugin = "test"  # File.generated outside a build
    source = page_markdown("Ada")
    file = File.generated(config, "authors/ada.md", content=source)
    page = Page(None, file, config)
    lean.known_source(page, source, page_meta("Ada"))
    page.read_source(config)
    assert (page.markdown, page.meta) == get_data(source)
    other = File.generated(config, "authors/bob.md", content="---\ntitle: Bob\n---\nBody\n")  # someone else's text
    page = Page(None, other, config)
    lean.known_source(page, source, page_meta("Ada"))
    page.read_source(config)
    assert (page.markdown, page.meta) == ("Body\n", {"title": "Bob"})


def test_a_generated_page_titled_with_an_emoji_reads_its_front_matter(tmp_path):
    """An author named with a character beyond U+FFFF: the page's title comes from its front matter."""
    site = build(write_site(tmp_path / "s", {"index.md": "# Home\n", "note.md": "# N\n\n### [X] Party paper\n_Zoë 🎉 Tan_\n"}))
    page = next(p for p in (site.site_dir / "authors").glob("*/index.html") if "Tan" in p.read_text(encoding="utf-8"))
    html = page.read_text(encoding="utf-8")
    assert "<title>Zoë 🎉 Tan - " in html and ">Zoë 🎉 Tan</h1>" in html
    assert "glightbox: false" not in html and "title:" not in html  # front matter read, not shown as text
