"""The built site, read in Chromium as a reader would: pages, highlights, links, search, phones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect
from support.contrast import CONTRAST_JS

from .conftest import Reader, ServedSite

pytestmark = pytest.mark.browser

NOTE = "reader_checks/"
P3_TITLE = "Quokka: Priority Three Highlighted Entry"
P0_TITLE = "Axolotl Plain Entry Without Priority"
HOSTILE_AUTHOR = "<img src=x onerror=alert(3)>"
HOSTILE_TAG = 'Hostile "><img src=x onerror=alert(1)>'

PAGES: dict[str, Callable[[ServedSite], str]] = {
    "home": lambda s: s.url(""),
    "note": lambda s: s.url(NOTE),
    "seed note": lambda s: s.url("blog_generative_models/"),
    "must-read": lambda s: s.url("must-read/"),
    "tags": lambda s: s.url("tags/"),
    "authors": lambda s: s.url("authors/"),
    "contributing": lambda s: s.url("contributing/"),
    "tag page": lambda s: s.tag_url("CVPR"),
    "author page": lambda s: s.author_url("Ottilie Brightwater"),
    "hostile tag page": lambda s: s.tag_url(HOSTILE_TAG),
    "hostile author page": lambda s: s.author_url(HOSTILE_AUTHOR),
    "all papers": lambda s: s.url("papers/"),
    "stats": lambda s: s.url("stats/"),
}
PHONE_PAGES = ["home", "note", "seed note", "must-read", "tags", "authors", "tag page", "author page", "all papers", "stats"]


def entry_heading(page: Any, site: ServedSite, title: str) -> Any:
    return page.locator(f'h3.pn-entry[id="{site.paper(title)["id"]}"]')


def entry_meta(page: Any, site: ServedSite, title: str) -> Any:
    return page.locator(f'h3.pn-entry[id="{site.paper(title)["id"]}"] + div.pn-meta')


# -- every page ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_offline_without_errors_or_dialogs(reader: Reader, name: str):
    page = reader.new_page(viewport={"width": 1280, "height": 800})
    reader.visit(page, PAGES[name](reader.site))
    expect(page.locator("article h1").first).to_be_visible()
    assert page.locator("article").inner_text().strip(), f"{name}: empty article"


def test_hostile_text_is_shown_as_text_and_never_runs(page: Any, reader: Reader):
    reader.visit(page, NOTE)
    heading = entry_heading(page, reader.site, "<script>")
    expect(heading).to_contain_text("<script>alert(2)</script> Escaped Title")
    meta = heading.locator("xpath=following-sibling::div[1]")
    expect(meta.get_by_role("link", name=HOSTILE_AUTHOR, exact=True)).to_be_visible()
    expect(meta.get_by_role("link", name=HOSTILE_TAG, exact=True)).to_be_visible()
    assert page.locator("article img[src='x']").count() == 0
    meta.get_by_role("link", name=HOSTILE_AUTHOR, exact=True).click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("article h1")).to_contain_text(HOSTILE_AUTHOR)
    reader.assert_clean("hostile author page")


# -- priority highlight ----------------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark", "toggled to dark"])
def test_priority_three_heading_is_highlighted_with_readable_text(reader: Reader, scheme: str):
    page = reader.new_page(viewport={"width": 1280, "height": 800}, color_scheme="dark" if scheme == "dark" else "light")
    reader.visit(page, NOTE)
    if scheme == "toggled to dark":  # the header's palette button, as a reader on a light system would
        page.get_by_title("Switch to dark mode").click()
    expected_palette = {"light": "default"}.get(scheme, "slate")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", expected_palette)

    p3 = entry_heading(page, reader.site, P3_TITLE).evaluate(CONTRAST_JS)
    p0 = entry_heading(page, reader.site, P0_TITLE).evaluate(CONTRAST_JS)
    assert (p3["bg"], p3["borderWidth"]) != (p0["bg"], p0["borderWidth"]), f"priority 3 looks like priority 0: {p3}"
    # The highlight is visible: a bar that stands out from the page (WCAG non-text contrast 3:1)
    # on a background of its own.
    assert p3["borderWidth"] >= 4 and p3["border"] >= 3, p3
    assert p3["bg"] != p3["page"], p3
    assert p0["bg"] == p0["page"], p0
    for info in (p3, p0):
        assert info["text"] >= 4.5, f"heading text contrast {info['text']:.2f}:1 ({info['fg']} on {info['bg']})"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("where", ["note", "seed note", "must-read", "author page", "tags", "authors", "all papers", "stats"])
def test_generated_text_has_enough_contrast(reader: Reader, scheme: str, where: str):
    """Badges, chips, author lines and row details, in both palettes, on highlighted rows too."""
    page = reader.new_page(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    reader.visit(page, PAGES[where](reader.site))
    # The palette's colours, not a frame of Material's 125 ms colour transition into them (the
    # explorer can be ready within it: a dark run once read a link mid-way, 4.18:1).
    page.add_style_tag(content="* { transition: none !important; }")
    selector = ("article .pn-badge, article a.pn-chip, article .pn-authors, article .pn-authors a, article .pn-row > a,"
                " article .pn-row__venue, article .pn-row__authors, article .pn-row__authors a, article .pn-row__note,"
                " article .pn-count, article .pn-summary, article .pn-missing-figure, article a.pn-link,"
                " article .pn-letters a, article .pn-author-list a")
    results = page.locator(selector).evaluate_all(f"(els) => els.map((el) => ({{...({CONTRAST_JS})(el), "
                                                  "what: el.className + ' ' + el.textContent.trim().slice(0, 40)}))")
    assert results, f"nothing matched on {where}"
    low = [f"{r['text']:.2f}:1 {r['fg']} on {r['bg']}: {r['what']}" for r in results if r["text"] < 4.5]
    assert low == [], "\n".join(low)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_hovered_resource_button_stays_readable(reader: Reader, scheme: str):
    page = reader.new_page(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    reader.visit(page, NOTE)
    button = entry_meta(page, reader.site, P3_TITLE).locator("a.pn-link", has_text="pdf")
    page.add_style_tag(content="* { transition: none !important; }")  # read the hover colours, not a frame of their animation
    before = button.evaluate(CONTRAST_JS)
    button.hover()
    after = button.evaluate(CONTRAST_JS)
    assert after["bg"] != before["bg"], "hover shows nothing"
    assert after["text"] >= 4.5, f"hovered: {after['text']:.2f}:1 ({after['fg']} on {after['bg']})"


# -- links between notes and generated pages -------------------------------------------------

def test_author_name_opens_author_page_which_links_back_to_the_entry(page: Any, reader: Reader):
    site = reader.site
    paper = site.paper(P3_TITLE)
    reader.visit(page, NOTE)
    entry_meta(page, site, P3_TITLE).get_by_role("link", name="Ottilie Brightwater", exact=True).click()
    page.wait_for_url(site.author_url("Ottilie Brightwater"))
    expect(page.locator("article h1")).to_contain_text("Ottilie Brightwater")

    row_link = page.locator("article a.pn-row__title", has_text=P3_TITLE)
    expect(row_link).to_have_count(1)
    assert row_link.evaluate("a => a.href") == site.url(paper["url"])
    row_link.click()
    page.wait_for_url(site.url(paper["url"]))
    heading = entry_heading(page, site, P3_TITLE)
    expect(heading).to_be_in_viewport()
    header_bottom = page.locator("header.md-header").evaluate("h => h.getBoundingClientRect().bottom")
    assert heading.evaluate("h => h.getBoundingClientRect().top") >= header_bottom - 1, "entry heading hidden under the header"

    # The browser's Back button returns to where the reader was: at the author name they clicked.
    page.go_back()
    page.wait_for_url(site.author_url("Ottilie Brightwater"))
    page.go_back()
    page.wait_for_url(site.url(NOTE))
    expect(entry_meta(page, site, P3_TITLE).get_by_role("link", name="Ottilie Brightwater", exact=True)).to_be_in_viewport()
    reader.assert_clean("author round trip")


@pytest.mark.parametrize(("chip", "expected_url", "group"), [
    ("CVPR 2023", "tags/cvpr/#2023", "2023"),
    ("#segmentation", "tags/segmentation/", None),
])
def test_tag_chip_opens_tag_page_listing_the_entry(page: Any, reader: Reader, chip: str, expected_url: str, group: str | None):
    site = reader.site
    reader.visit(page, NOTE)
    entry_meta(page, site, P3_TITLE).get_by_role("link", name=chip, exact=True).click()
    page.wait_for_url(site.url(expected_url))
    rows = page.locator("article ul.pn-rows")
    if group:
        section = page.locator(f'article h2[id="{group}"]')
        expect(section).to_be_in_viewport()
        rows = section.locator("xpath=following-sibling::ul[1]")
    titles = rows.locator("a.pn-row__title")
    expect(titles.filter(has_text=P3_TITLE)).to_have_count(1)
    hrefs = titles.evaluate_all("els => els.map(a => a.href)")
    assert site.url(site.paper(P3_TITLE)["url"]) in hrefs
    reader.assert_clean(chip)


def test_must_read_lists_exactly_the_priority_entries(page: Any, reader: Reader):
    site = reader.site
    reader.visit(page, "must-read/")
    rows = page.locator("article li.pn-row").evaluate_all(
        "els => els.map(li => [li.querySelector('a.pn-row__title').href, Number(li.dataset.priority)])")
    # URLs as the browser writes them: a CJK anchor is percent-encoded in `a.href`.
    expected = [[page.evaluate("u => new URL(u).href", site.url(p["url"])), p["priority"]]
                for p in site.json("papers.json") if p["priority"] > 0]
    assert sorted(rows) == sorted(expected)
    assert len({href for href, _ in rows}) == len(rows), "an entry is listed twice"
    for ul in page.locator("article ul.pn-rows").all():
        priorities = ul.locator("li.pn-row").evaluate_all("els => els.map(li => Number(li.dataset.priority))")
        assert priorities == sorted(priorities, reverse=True), "rows not sorted by priority"


# -- search ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "title"), [
    ("Quokka", P3_TITLE),
    ("Marguerite Fenwickshire", "Pangolin Low Priority Entry"),
    ("Escaped", "<script>alert(2)</script> Escaped Title"),
])
def test_search_finds_entry_by_title_word_and_author(page: Any, reader: Reader, query: str, title: str):
    site = reader.site
    reader.visit(page, "")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=20)
    target = site.url(site.paper(title)["url"])
    # search.highlight adds `?h=<query>` to result links: compare without the query string.
    href_js = "a => a.origin + a.pathname + a.hash"
    page.wait_for_function(f"t => [...document.querySelectorAll('.md-search-result__link')].some(a => ({href_js})(a) === t)",
                           arg=target, timeout=15_000)
    links = page.locator(".md-search-result__link")
    links.nth(links.evaluate_all(f"els => els.map({href_js})").index(target)).click()
    page.wait_for_url(f"{target.split('#')[0]}**")
    expect(entry_heading(page, site, title)).to_be_in_viewport()
    reader.assert_clean(f"search {query!r}")


# -- phones ------------------------------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_viewport_never_scrolls_sideways(reader: Reader, scheme: str):
    page = reader.new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True, color_scheme=scheme)
    wide = []
    for name in PHONE_PAGES:
        reader.visit(page, PAGES[name](reader.site))
        scroll_width, client_width = page.evaluate("(s => [s.scrollWidth, s.clientWidth])(document.scrollingElement)")
        if scroll_width > client_width:
            wide.append(f"{name}: {scroll_width}px wide in a {client_width}px viewport")
    assert wide == []
