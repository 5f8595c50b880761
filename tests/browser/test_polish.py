"""The reader's polish list (issue 9, point 5), each point read in Chromium on the built site.

The pages come from tests/browser/fixtures/reader_checks.md and polish_checks.md (names with
particles and suffixes, an entry with pdf/code/project buttons and organisation tags, co-authors
sharing one or two papers, a missing figure) and the seed note.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import Reader

pytestmark = pytest.mark.browser

NOTES = ["reader_checks/", "polish_checks/", "blog_generative_models/"]
GANNET = "Gannet: Resource Buttons In Generated Rows"
BEETHOVEN = "Ludwig van Beethoven"
KING = "Martin Luther King Jr."
TARGETS = "article li.pn-row a, article li.pn-row .pn-chip, article li.pn-row .pn-link"

# The heading's title text, measured without its ¶ link: a Range over the other child nodes.
HEADING_JS = """
(h) => {
  const link = h.querySelector(':scope > .headerlink');
  const range = document.createRange();
  range.setStartBefore(h.firstChild);
  range.setEndBefore(link);
  const text = range.getBoundingClientRect(), box = h.getBoundingClientRect(), l = link.getBoundingClientRect();
  const s = getComputedStyle(h);
  const content = h.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom);
  const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
  return {id: h.id, width: innerWidth, content, lines, lineHeight: parseFloat(s.lineHeight), textLeft: text.left, textRight: text.right,
          linkTop: l.top, linkBottom: l.bottom, linkLeft: l.left, boxTop: box.top, boxBottom: box.bottom, boxRight: box.right};
}
"""


def phone(reader: Reader, scheme: str = "light") -> Any:
    return reader.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, color_scheme=scheme)


def row(page: Any, title: str) -> Any:
    return page.locator("article li.pn-row").filter(has=page.locator("a.pn-row__title", has_text=title))


# -- note pages ------------------------------------------------------------------------------

@pytest.mark.parametrize("note", NOTES)
def test_permalink_never_takes_a_line_of_its_own(reader: Reader, note: str):
    """At every width from phone to desktop, an entry heading is exactly as tall as its title: the
    hidden ¶ sits beside the title, inside the heading, and never wraps onto a blank line."""
    page = reader.new_page(viewport={"width": 1280, "height": 800})
    reader.visit(page, note)
    headings = page.locator("article h3.pn-entry")
    assert headings.count() > 0
    bad = []
    for width in range(360, 1281, 23):  # 41 widths: some put a title's last word at the very end of a line
        page.set_viewport_size({"width": width, "height": 800})
        for m in headings.evaluate_all(f"hs => hs.map({HEADING_JS})"):
            if abs(m["content"] - m["lines"] * m["lineHeight"]) > 1.5:
                bad.append(f"{m['id']} at {width}px: heading {m['content']:.0f}px tall for {m['lines']} line(s) of title")
            if not (m["boxTop"] <= m["linkTop"] and m["linkBottom"] <= m["boxBottom"] and m["linkLeft"] >= m["textRight"] - 1
                    and m["linkLeft"] < m["boxRight"]):
                bad.append(f"{m['id']} at {width}px: ¶ outside the heading or over the title: {m}")
    assert bad == [], "\n".join(bad[:20])


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_unmarked_entry_title_lines_up_with_its_chips_and_authors(reader: Reader, scheme: str, width: int):
    page = reader.new_page(viewport={"width": width, "height": 800}, color_scheme=scheme)
    reader.visit(page, "reader_checks/")
    heading = page.locator("article h3.pn-entry--p0", has_text="Axolotl Plain Entry")
    title_left = heading.evaluate(HEADING_JS)["textLeft"]
    meta = heading.locator("xpath=following-sibling::div[1]")
    chip_left = meta.locator("a.pn-chip").first.evaluate("e => e.getBoundingClientRect().left")
    authors_left = meta.locator(".pn-authors").evaluate("e => e.getBoundingClientRect().left")
    assert abs(title_left - chip_left) <= 1 and abs(title_left - authors_left) <= 1, (title_left, chip_left, authors_left)
    # A marked entry keeps its highlight bar and the room for it.
    marked = page.locator("article h3.pn-entry--p3").first
    assert marked.evaluate(HEADING_JS)["textLeft"] > chip_left + 8


def test_missing_figure_box_names_the_file_in_words_and_is_kept_out_of_search(page: Any, reader: Reader):
    reader.visit(page, "polish_checks/")
    box = page.locator("article .pn-missing-figure")
    expect(box).to_have_count(1)
    expect(box).to_be_visible()
    expect(box).to_have_text("Figure not available (missing_figure.png)")
    expect(box).to_have_attribute("data-search-exclude", "")
    reader.visit(page, "blog_generative_models/")
    boxes = page.locator("article .pn-missing-figure").all_text_contents()
    assert boxes and all(b.startswith("Figure not available (") for b in boxes)
    assert "../assets" not in page.locator("article").inner_text(), "a raw figure path is shown to the reader"
    # The search index the browser loads has the note's text but none of the boxes.
    docs = page.evaluate("() => fetch('../search/search_index.json').then(r => r.json())")["docs"]
    index = "\n".join(d["title"] + " " + d["text"] for d in docs if d["location"].startswith("blog_generative_models/"))
    assert "Segment Anything" in index
    assert "fig_generative_models" not in index and "not available" not in index
    assert [b for b in boxes if b in index] == []


def test_note_lists_its_papers_once_and_the_theme_toc_keeps_the_sections(page: Any, reader: Reader):
    """One design: the generated contents lists the papers (with priorities); the right-hand table
    of contents, which follows the reader down the page, lists the sections only."""
    site = reader.site
    reader.visit(page, "reader_checks/")
    papers = [p for p in site.json("papers.json") if p["url"].startswith("reader_checks/")]
    assert len(papers) == 6
    toc = page.locator(".md-sidebar--secondary nav.md-nav--secondary")
    expect(toc).to_be_visible()
    toc_targets = toc.locator("a.md-nav__link").evaluate_all("els => els.map(a => a.hash)")
    assert toc_targets == ["#vision", "#language"]
    for paper in papers:
        anchor = "#" + paper["url"].split("#", 1)[1]
        in_contents = page.locator(f'article nav.pn-contents a[href="{anchor}"]').count()
        in_toc = toc.locator(f'a[href="{anchor}"]').count()
        assert (in_contents, in_toc) == (1, 0), f"{paper['title']}: {in_contents} in the contents, {in_toc} in the toc"


@pytest.mark.parametrize("note", ["reader_checks/", "blog_generative_models/"])
def test_nested_contents_indentation_is_at_most_a_tenth_of_the_phone_width(reader: Reader, note: str):
    page = phone(reader)
    reader.visit(page, note)
    contents = page.locator("article nav.pn-contents")
    width = contents.evaluate("e => e.getBoundingClientRect().width")
    indents = contents.locator("li.pn-contents__section").evaluate_all("""secs => secs.flatMap(sec => {
        const left = sec.firstElementChild.getBoundingClientRect().left;
        return [...sec.querySelectorAll('li.pn-row')].map(r => r.firstElementChild.getBoundingClientRect().left - left);
    })""")
    assert indents, "no nested rows"
    assert max(indents) <= 0.1 * width, f"nested rows indented {max(indents):.0f}px in a {width:.0f}px contents box"


# -- author pages ----------------------------------------------------------------------------

def test_author_page_names_its_author_in_bold_not_as_a_link_to_itself(page: Any, reader: Reader):
    site = reader.site
    here = site.author_url(BEETHOVEN)
    reader.visit(page, here)
    rows = page.locator("article ul.pn-rows li.pn-row")
    expect(rows).to_have_count(3)
    for i in range(3):
        expect(rows.nth(i).locator("strong.pn-row__self")).to_have_text(BEETHOVEN)
    hrefs = page.locator("article ul.pn-rows a").evaluate_all("els => els.map(a => a.href.split('#')[0])")
    assert here not in hrefs, "a row links to the page it is on"
    # The same rows, cached per depth, on a co-author's page: Beethoven is a link again, King is bold.
    rows.first.get_by_role("link", name=KING, exact=True).click()
    page.wait_for_url(site.author_url(KING))
    gannet = row(page, GANNET)
    expect(gannet.locator("strong.pn-row__self")).to_have_text(KING)
    assert gannet.get_by_role("link", name=BEETHOVEN, exact=True).evaluate("a => a.href") == here
    reader.assert_clean("co-author page")


def test_coauthors_by_shared_papers_then_family_name_with_counts_only_above_one(page: Any, reader: Reader):
    reader.visit(page, reader.site.author_url(BEETHOVEN))
    items = page.locator('article h2#coauthors + ul.pn-author-list > li').evaluate_all(
        "lis => lis.map(li => [li.querySelector('a').textContent, li.querySelector('.pn-count')?.textContent ?? null])")
    # Adams before Zimmer: by family name (by first name, Amy would come before Zed).
    assert items == [[KING, "2"], ["Zed Adams", None], ["Amy Zimmer", None]]


def test_authors_index_files_names_under_their_family_name(page: Any, reader: Reader):
    reader.visit(page, "authors/")
    letters = dict(page.locator("article h2[id^='letter-']").evaluate_all(
        "hs => hs.map(h => [h.textContent.trim(), [...h.nextElementSibling.querySelectorAll('li > a')].map(a => a.textContent)])"))
    assert KING in letters["K"] and BEETHOVEN in letters["B"]
    assert "Zed Adams" in letters["A"] and "Amy Zimmer" in letters["Z"]
    assert all(KING not in names for letter, names in letters.items() if letter != "K")


# -- tags ------------------------------------------------------------------------------------

def test_tags_index_lists_years_newest_first(page: Any, reader: Reader):
    reader.visit(page, "tags/")
    years = page.locator("article h2#year + ul.pn-tag-cloud a.pn-chip").all_text_contents()
    assert len(years) >= 4, years
    assert years == sorted(years, key=int, reverse=True)


def test_venue_page_grouped_by_year_does_not_repeat_venue_and_year_in_rows(page: Any, reader: Reader):
    reader.visit(page, reader.site.tag_url("ICML"))
    groups = page.locator("article h2").all_text_contents()
    assert [g.split()[0] for g in groups] == ["2021", "2019"]
    rows = page.locator("article ul.pn-rows li.pn-row")
    assert rows.count() >= 3
    assert rows.locator(".pn-row__venue").count() == 0
    for text in rows.all_inner_texts():
        assert "ICML" not in text and "2021" not in text and "2019" not in text, text


def test_year_page_rows_name_the_venue_but_not_the_year(page: Any, reader: Reader):
    reader.visit(page, reader.site.tag_url("2019"))
    gannet_free = row(page, "Ibis Older Paper")
    expect(gannet_free.locator(".pn-row__venue")).to_have_text("ICML")


# -- rows --------------------------------------------------------------------------------------

@pytest.mark.parametrize("where", ["author", "tag", "must-read"])
def test_rows_show_the_entrys_resource_buttons_and_organisation_tags(page: Any, reader: Reader, where: str):
    site = reader.site
    url, title, buttons, orgs = {
        "author": (site.author_url(BEETHOVEN), GANNET, {"pdf": "https://example.org/gannet.pdf",
                   "code": "https://example.org/gannet-code", "project": "https://example.org/gannet"}, ["DeepMind", "Bell Labs"]),
        "tag": (site.tag_url("ICML"), GANNET, {"pdf": "https://example.org/gannet.pdf"}, ["DeepMind", "Bell Labs"]),
        "must-read": (site.url("must-read/"), "Quokka: Priority Three", {"pdf": "https://example.org/quokka.pdf"}, ["Google"]),
    }[where]
    reader.visit(page, url)
    entry = row(page, title)
    expect(entry).to_have_count(1)
    for label, href in buttons.items():
        expect(entry.locator("a.pn-link", has_text=label)).to_have_attribute("href", href)
    chips = entry.locator("a.pn-chip--org")
    assert chips.all_text_contents() == orgs
    chips.first.click()
    page.wait_for_url(site.tag_url(orgs[0]))
    expect(row(page, title)).to_have_count(1)
    reader.assert_clean(f"{where}: organisation chip")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_row_tags_and_buttons_are_readable(reader: Reader, scheme: str):
    from support.contrast import CONTRAST_JS

    page = reader.new_page(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    reader.visit(page, reader.site.author_url(BEETHOVEN))
    results = page.locator("article .pn-row__tags a, article .pn-row__self").evaluate_all(
        f"(els) => els.map((el) => ({{...({CONTRAST_JS})(el), what: el.textContent}}))")
    assert len(results) == 8  # DeepMind, Bell Labs, pdf, code, project, and the author's own name in each of 3 rows
    low = [f"{r['text']:.2f}:1 {r['fg']} on {r['bg']}: {r['what']}" for r in results if r["text"] < 4.5]
    assert low == [], low


# -- phones ------------------------------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_row_links_and_chips_are_44px_touch_targets(reader: Reader, scheme: str):
    """At 390 px every link and chip in a row is at least 44 px high and no two targets overlap:
    a tap lands on the one the finger aims at (WCAG 2.5.5's 44 px, as the issue asks)."""
    site = reader.site
    page = phone(reader, scheme)
    bad = []
    for url in (site.author_url(BEETHOVEN), site.tag_url("ICML"), site.url("must-read/"), site.url("reader_checks/"),
                site.author_url("Shared Coauthor")):
        reader.visit(page, url)
        boxes = page.locator(TARGETS).evaluate_all(
            "els => els.filter(e => e.offsetParent).map(e => { const r = e.getBoundingClientRect();"
            " return {what: e.textContent.trim().slice(0, 30), l: r.left, r: r.right, t: r.top, b: r.bottom}; })")
        assert len(boxes) >= 3, url
        for i, box in enumerate(boxes):
            if box["b"] - box["t"] < 44 - 0.5:
                bad.append(f"{url}: {box['what']!r} is {box['b'] - box['t']:.1f}px high")
            for other in boxes[i + 1:]:
                if min(box["r"], other["r"]) - max(box["l"], other["l"]) > 0.5 and min(box["b"], other["b"]) - max(box["t"], other["t"]) > 0.5:
                    bad.append(f"{url}: {box['what']!r} overlaps {other['what']!r}")
    assert bad == [], "\n".join(bad[:20])
