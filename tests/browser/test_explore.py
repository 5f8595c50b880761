"""The explorer (`papers/`) and stats (`stats/`) pages in Chromium: the URL as state, counts, keyboard, palettes, phones, no JS."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import Reader, ServedSite

pytestmark = pytest.mark.browser

EXPLORER = "papers/"
READY = ".pn-explorer[data-ready]"


def open_explorer(reader: Reader, page: Any, query: str = "") -> Any:
    reader.visit(page, EXPLORER + query)
    page.wait_for_selector(READY)
    return page


def reopen_explorer(reader: Reader, page: Any, address: str) -> Any:
    """The explorer at another address (a query, or a whole URL), in a loop over many: the page's
    clean load was checked by the loop's first `reader.visit`, so this waits for the load event and
    the explorer's ready mark, not for the network's quiet. The reader still hears every console
    error and failed request (test_other_no_venue_and_no_year_bars_... reads its bars this way)."""
    url = address if "://" in address else reader.site.url(EXPLORER + address)
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: HTTP {response and response.status}"
    page.wait_for_selector(READY)
    return page


def shown_count(page: Any) -> int:
    text = page.locator("[data-papernotes-count]").inner_text()
    return int(text.split()[0])


def shown_query(page: Any) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(page.url).query, keep_blank_values=True)


def papers(site: ServedSite) -> list[dict]:
    return site.json("papers.json")


def hrefs(page: Any, site: ServedSite, urls: Any) -> list[str]:
    """Site URLs as the browser writes them in `a.href`: a CJK anchor is percent-encoded."""
    return sorted(page.evaluate("urls => urls.map(u => new URL(u).href)", [site.url(u) for u in urls]))


# -- counts equal the exports -------------------------------------------------------------------

def test_counts_equal_tags_json_for_every_tag(page: Any, reader: Reader):
    tags = reader.site.json("tags.json")
    assert len(tags) >= 8
    open_explorer(reader, page)
    for tag in tags:
        reopen_explorer(reader, page, "?" + urlencode({"tag": tag["slug"]}))
        assert shown_count(page) == tag["count"], tag["name"]
        rows = page.locator(".pn-explorer__list a.pn-row__title").evaluate_all("els => els.map(a => a.href)")
        assert sorted(rows) == hrefs(page, reader.site, tag["papers"]), tag["name"]
    reader.assert_clean("the explorer at every tag")


def test_counts_equal_authors_json_priorities_and_years(page: Any, reader: Reader):
    site = reader.site
    authors = sorted(site.json("authors.json"), key=lambda a: -a["count"])
    open_explorer(reader, page)
    for author in [*authors[:4], next(a for a in authors if a["name"].startswith("<img"))]:
        reopen_explorer(reader, page, "?" + urlencode({"author": author["slug"]}))
        assert shown_count(page) == author["count"], author["name"]
        expect(page.locator("#pn-author")).to_have_value(author["name"])
    for priority in (1, 2, 3):
        reopen_explorer(reader, page, f"?priority={priority}")
        assert shown_count(page) == sum(1 for p in papers(site) if p["priority"] >= priority)
    years = {p["year"] for p in papers(site) if p["year"]}
    for year in sorted(years):
        reopen_explorer(reader, page, f"?year={year}")
        assert shown_count(page) == sum(1 for p in papers(site) if p["year"] == year), year
    reopen_explorer(reader, page, f"?year={min(years)}-{max(years)}")
    assert shown_count(page) == sum(1 for p in papers(site) if p["year"])
    reopen_explorer(reader, page, "?year=none")
    assert shown_count(page) == sum(1 for p in papers(site) if not p["year"])
    reader.assert_clean("the explorer by author, priority and year")


def test_tag_and_year_together(page: Any, reader: Reader):
    site = reader.site
    cvpr = next(t for t in site.json("tags.json") if t["name"] == "CVPR")
    years = {p["url"]: p["year"] for p in papers(site)}
    expected = sum(1 for url in cvpr["papers"] if years[url] == 2023)
    assert expected >= 2
    open_explorer(reader, page, f"?tag={cvpr['slug']}&year=2023")
    assert shown_count(page) == expected
    expect(page.locator("[data-papernotes-count]")).to_have_text(f"{expected} papers of {len(years)}")
    assert page.locator("[data-papernotes-count]").get_attribute("aria-live") == "polite"


# -- the URL is the state -----------------------------------------------------------------------

def test_every_filter_goes_into_the_url_and_comes_back_from_it(page: Any, reader: Reader):
    site = reader.site
    open_explorer(reader, page)
    total = shown_count(page)
    assert total == len(papers(site))
    page.locator("#pn-q").fill("entry")
    page.locator("#pn-tag-venue").select_option("cvpr")
    page.locator("#pn-author").fill("shared coauthor")  # any case: the name is matched, the slug goes in the URL
    page.locator("#pn-author").press("Enter")
    page.locator("#pn-priority").select_option("")
    page.locator("#pn-year-from").fill("2023")
    page.locator("#pn-year-to").fill("2022")
    page.locator("#pn-year-to").press("Tab")
    page.locator("#pn-sort").select_option("title")
    expected = [("q", "entry"), ("tag", "cvpr"), ("author", "shared-coauthor"), ("year", "2022-2023"), ("sort", "title")]
    assert shown_query(page) == expected
    count = shown_count(page)
    titles = page.locator(".pn-explorer__list a.pn-row__title").all_inner_texts()
    assert count == 2 and titles == sorted(titles, key=str.casefold)

    page.reload(wait_until="networkidle")
    page.wait_for_selector(READY)
    assert shown_count(page) == count
    assert page.locator(".pn-explorer__list a.pn-row__title").all_inner_texts() == titles
    expect(page.locator("#pn-q")).to_have_value("entry")
    expect(page.locator("#pn-author")).to_have_value("Shared Coauthor")
    expect(page.locator("#pn-year-from")).to_have_value("2022")
    expect(page.locator("#pn-year-to")).to_have_value("2023")
    expect(page.locator("#pn-sort")).to_have_value("title")
    expect(page.get_by_role("button", name="Remove filter: Venue: CVPR")).to_be_visible()
    page.locator("#pn-priority").select_option("3")
    assert ("priority", "3") in shown_query(page)
    reader.assert_clean("round trip")


def test_back_and_forward_step_through_filters(page: Any, reader: Reader):
    open_explorer(reader, page)
    total = shown_count(page)
    page.locator("#pn-priority").select_option("1")
    after_priority = shown_count(page)
    page.locator("#pn-tag-venue").select_option("cvpr")
    both = shown_count(page)
    assert total > after_priority > both > 0
    page.go_back()
    expect(page.locator("[data-papernotes-count]")).to_contain_text(f"{after_priority} paper")
    assert shown_query(page) == [("priority", "1")]
    expect(page.locator("#pn-priority")).to_have_value("1")
    page.go_back()
    expect(page.locator("[data-papernotes-count]")).to_have_text(f"{total} papers")
    page.go_forward()
    page.go_forward()
    expect(page.locator("[data-papernotes-count]")).to_contain_text(f"{both} paper")
    assert shown_query(page) == [("tag", "cvpr"), ("priority", "1")]
    reader.assert_clean("back and forward")


def test_typing_is_one_step_and_keeps_its_place_before_the_next(page: Any, reader: Reader):
    """A typing run is one step back, written as it ends: a filter chosen right after it (before
    the address of the last keys was written) is the next step, the typing's whole text before it."""
    open_explorer(reader, page)
    total = shown_count(page)
    page.locator("#pn-q").press_sequentially("entry")
    typed = shown_count(page)
    page.locator("#pn-priority").select_option("1")
    assert shown_query(page) == [("q", "entry"), ("priority", "1")]
    both = shown_count(page)
    assert total > typed > both > 0
    page.go_back()
    expect(page.locator("[data-papernotes-count]")).to_contain_text(f"{typed} paper")
    assert shown_query(page) == [("q", "entry")]
    expect(page.locator("#pn-q")).to_have_value("entry")
    page.go_back()
    expect(page.locator("[data-papernotes-count]")).to_have_text(f"{total} papers")
    assert shown_query(page) == []
    page.go_forward()
    expect(page.locator("#pn-q")).to_have_value("entry")
    reader.assert_clean("typing and back")


@pytest.mark.parametrize(("query", "said"), [
    ("?tag=no-such-tag&priority=9&year=20x3&sort=sideways&author=nobody&added=2024-01",
     ["no-such-tag", "priority “9”", "year “20x3”", "sort “sideways”", "author “nobody”", "added “2024-01”"]),
    ("?priority=1&priority=3&q=%ZZ%&tag=cvpr&tag=cvpr&venue=none&venue=other", ["repeated “priority”", "repeated “venue”"]),
    ("?venue=elsewhere&tag=nope", ["venue “elsewhere” (none or other)", "tag “nope”"]),
    ("?q=" + "x" * 20_000 + "&tag=" + "<script>alert(1)</script>", ["tag “<script>alert(1)</script>”"]),
    ("?" + "&".join(f"tag=t{i}" for i in range(500)), ["tag “t0”", "tag “t499”"]),
])
def test_unknown_values_are_ignored_with_a_visible_note(page: Any, reader: Reader, query: str, said: list[str]):
    open_explorer(reader, page, query)
    note = page.locator(".pn-explorer__note")
    expect(note).to_be_visible()
    for text in said:
        expect(note).to_contain_text(text)
    assert page.locator("article script:not([src])").count() == 0
    assert shown_count(page) >= 0
    page.locator("#pn-priority").select_option("2")  # the page keeps working
    assert shown_count(page) == sum(1 for p in papers(reader.site) if p["priority"] >= 2) or "q" in dict(shown_query(page))


def test_q_in_the_address_is_the_explorers_not_the_themes_search(page: Any, reader: Reader):
    """Material opens its own search for `?q=` and then deletes `q`: the explorer keeps it."""
    open_explorer(reader, page, "?q=quokka&priority=1")
    assert shown_count(page) == 1
    page.wait_for_timeout(500)  # past the theme's start and its search worker
    expect(page.locator("#pn-q")).to_have_value("quokka")
    assert shown_query(page) == [("q", "quokka"), ("priority", "1")]
    assert page.locator("#__search").is_checked() is False
    expect(page.locator(".md-search__output")).to_be_hidden()


def test_text_search_ignores_case_and_accents_and_matches_authors(page: Any, reader: Reader):
    open_explorer(reader, page)
    box = page.locator("#pn-q")
    box.fill("QUOKKA")
    assert shown_count(page) == 1
    box.fill("bartholomew quillfeather")
    # textContent, not innerText: a row the browser has not yet laid out (content-visibility) has no innerText
    assert page.locator(".pn-explorer__list a.pn-row__title").all_text_contents() == ["Narwhal Mid Priority Entry"]
    box.fill("lumière")  # the seed note's "Lumiere" entry, accent typed by the reader
    assert shown_count(page) == sum(1 for p in papers(reader.site) if "lumiere" in p["title"].lower())
    box.fill("")
    assert shown_count(page) == len(papers(reader.site))


# -- the one row format, keyboard, palettes, phones, no JavaScript --------------------------------

def _static_and_scripted_rows(plain: Any, scripted: Any) -> tuple[list[str], list[str]]:
    """The rows of the page without JavaScript, and the rows the script wrote. The script keeps the
    page's rows as the rows of their papers while the list is in the page's order (priority); opened
    sorted by title, it drops them and writes every row itself, kept when sorted back by priority.
    A search and its clearing then write the list from those rows (the first rows at once, the
    rest when idle: `aria-busy` until then). Material numbers the code blocks it finds when it
    starts, rows the script wrote by then included (`id="__code_N"`): that is the theme's, not the row's."""
    assert scripted.evaluate("new URL(location.href).searchParams.get('sort')") == "title"
    scripted.locator("#pn-sort").select_option("priority")
    scripted.locator("#pn-q").fill("zzz")
    assert shown_count(scripted) == 0
    scripted.locator("#pn-q").fill("")
    expect(scripted.locator(".pn-explorer__list ul[aria-busy]")).to_have_count(0)
    rows_js = "els => els.map(li => li.outerHTML.replace(/ id=\"__code_\\d+\"/g, ''))"
    return (plain.locator(".pn-explorer__list li.pn-row").evaluate_all(rows_js),
            scripted.locator(".pn-explorer__list li.pn-row").evaluate_all(rows_js))


def test_rows_made_by_the_script_equal_the_rows_of_the_page(reader: Reader):
    plain = reader.new_page(java_script_enabled=False)
    reader.visit(plain, EXPLORER)
    scripted = open_explorer(reader, reader.new_page(), "?sort=title")
    static, made = _static_and_scripted_rows(plain, scripted)
    assert len(static) == len(papers(reader.site)) and made == static
    # The Cite control works on a row the script wrote after the page loaded.
    cite = scripted.locator(".pn-explorer__list li.pn-row details.pn-cite").first
    cite.locator("summary").click()
    expect(cite.locator(".pn-cite__status")).not_to_be_empty()
    assert cite.locator("code").inner_text().startswith("@")
    reader.assert_clean("rows made by the script")


ODD_ROWS = """# Odd rows

## Rows

### [!!] [NeurIPS 2022 Oral, TPAMI 2023] [Jacana "Lab" & <Co>] Jacana: Two Venues & "An" <Unsafe> Link [[code]](javascript:alert(5)) [[pdf]](https://example.org/j.pdf?a=1&b=2)
_Ottoline Quince, Zoë Ünal, 王小明_

### [清华大学] [ICML 2021] 中文标题 with an émoji 🎉 and {braces} $x$ [[pdf]](https://example.org/x.pdf)
_王小明_

### [!!!] [arXiv 2024] [Google] [DeepMind] Many Authors Without Links
_A One, B Two, C Three, D Four, E Five, F Six, G Seven, H Eight, I Nine, J Ten, K Eleven, L Twelve, M Thirteen, N Fourteen_

### An entry with no year and no venue
_Nobody Special_
"""


def test_rows_made_by_the_script_equal_the_rows_of_the_page_for_odd_entries(browser: Any, tmp_path: Any):
    """Hostile names, two venues with a qualifier, an unsafe link (text, not a link), CJK, many
    authors, no venue: every part of the row the script writes equals the page's (from `file://`)."""
    from support.sites import build, write_site

    site = build(write_site(tmp_path / "project", {"odd.md": ODD_ROWS, "index.md": "# Home\n"}))
    explorer = (site.site_dir / "papers" / "index.html").as_uri()
    context = browser.new_context(java_script_enabled=False)
    scripted_context = browser.new_context()
    try:
        plain = context.new_page()
        plain.goto(explorer)
        scripted = scripted_context.new_page()
        scripted.goto(explorer + "?sort=title")
        scripted.wait_for_selector(READY)
        static, made = _static_and_scripted_rows(plain, scripted)
        assert len(static) == 4 and made == static
        # The parts of the one format, present here (so the equality covers them).
        for part in ("details.pn-cite", "a.pn-chip--org", "a.pn-link", "span.pn-link--broken", "a[href$='odd/#many-authors-without-links']"):
            assert scripted.locator(f".pn-explorer__list li.pn-row {part}").count() > 0, part
        assert scripted.locator(".pn-explorer__list a[href^='javascript']").count() == 0
        # Its tags count as tags.json counts them: the entry under both venues and both years.
        tags = {t["name"]: t for t in site_json(site, "tags.json")}
        for name in ("NeurIPS", "TPAMI", "2022", "2023"):
            scripted.goto(explorer + "?" + urlencode({"tag": tags[name]["slug"]}))
            scripted.wait_for_selector(READY)
            assert shown_count(scripted) == tags[name]["count"] == 1, name
    finally:
        context.close()
        scripted_context.close()


def site_json(site: Any, name: str) -> Any:
    import json

    return json.loads(site.read(name))


def test_without_javascript_every_entry_is_listed(reader: Reader):
    page = reader.new_page(java_script_enabled=False, viewport={"width": 390, "height": 800})
    reader.visit(page, EXPLORER)
    expect(page.locator(".pn-explorer__controls")).to_be_hidden()  # with the filters' toggle in it
    expect(page.locator(".pn-explorer__empty")).to_be_hidden()
    expect(page.locator("[data-papernotes-count]")).to_have_text(f"{len(papers(reader.site))} papers")
    shown = page.locator(".pn-explorer__list a.pn-row__title").evaluate_all("els => els.map(a => a.href)")
    assert sorted(shown) == hrefs(page, reader.site, [p["url"] for p in papers(reader.site)])


def test_keyboard_only(page: Any, reader: Reader):
    open_explorer(reader, page)
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "pn-q":
            break
    else:
        pytest.fail("Tab never reaches the search box")
    page.keyboard.type("pangolin")
    assert shown_count(page) == 1
    page.keyboard.press("Tab")  # the filters' toggle, then the filters it shows (open on a wide screen)
    assert page.evaluate("document.activeElement.matches('.pn-explorer__toggle')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "pn-author"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "pn-priority"
    outline = page.evaluate("(s => [s.outlineStyle, parseFloat(s.outlineWidth)])(getComputedStyle(document.activeElement))")
    assert outline[0] != "none" and outline[1] >= 2, outline
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    assert shown_count(page) == len(papers(reader.site))
    # every control has a label a screen reader reads
    unlabelled = page.locator(".pn-explorer__controls").locator("input, select").evaluate_all(
        "els => els.filter(e => !e.labels || !e.labels.length).map(e => e.id)")
    assert unlabelled == []
    reader.assert_clean("keyboard")


# -- no match, and a phone's first screen ---------------------------------------------------------

def empty_state(page: Any) -> dict[str, Any]:
    """What the no-match panel says and offers, and where the focus is."""
    return page.evaluate("""() => {
        const panel = document.querySelector('.pn-explorer__empty'), seen = (el) => el.getClientRects().length > 0;
        return {shown: seen(panel), text: panel.querySelector('p').textContent,
                buttons: [...panel.querySelectorAll('button')].filter(seen).map(b => b.textContent),
                focus: [...document.activeElement.classList].filter(c => c.startsWith('pn-')).join(' ') || document.activeElement.id};
    }""")


def test_no_match_says_so_and_offers_the_way_back(page: Any, reader: Reader):
    total = len(papers(reader.site))
    open_explorer(reader, page, "?q=nothing+like+this&tag=cvpr&priority=2")
    assert shown_count(page) == 0
    assert empty_state(page) == {
        "shown": True, "text": "No paper has “nothing like this” in its title or authors with these 2 filters.",
        "buttons": ["Clear the search", "Remove “Priority: ★★ important or more”"], "focus": ""}
    # The filter set last goes first: from the address, the address's last one.
    page.locator(".pn-explorer__undo").click()
    assert shown_query(page) == [("q", "nothing like this"), ("tag", "cvpr")] and shown_count(page) == 0
    assert empty_state(page)["buttons"] == ["Clear the search", "Remove “Venue: CVPR”"]
    assert empty_state(page)["focus"] == "pn-explorer__undo"  # the next way back, under the keyboard's focus
    page.locator(".pn-explorer__clear-q").click()
    assert shown_query(page) == [("tag", "cvpr")] and shown_count(page) > 0
    assert not empty_state(page)["shown"]
    expect(page.locator("#pn-q")).to_be_focused()
    # Each way back is a step Back undoes.
    page.go_back()
    expect(page.locator(".pn-explorer__empty")).to_be_visible()
    expect(page.locator("#pn-q")).to_have_value("nothing like this")

    # Set here: the last filter chosen is the one offered, whatever the address's order.
    open_explorer(reader, page)
    page.locator("#pn-priority").select_option("3")
    page.locator("#pn-tag-venue").select_option("cvpr")
    page.locator("#pn-priority").select_option("2")
    page.locator("#pn-q").fill("zzzz")
    assert empty_state(page)["buttons"] == ["Clear the search", "Remove “Priority: ★★ important or more”"]
    page.locator("#pn-q").fill("")  # a tag's option is offered while some paper has it
    page.locator("#pn-tag-year").select_option(next(t["slug"] for t in reader.site.json("tags.json") if t["name"] == "2023"))
    page.locator("#pn-q").fill("zzzz")
    assert empty_state(page)["buttons"] == ["Clear the search", "Remove “Year: 2023”"]
    # Filters alone, no search: only the filter is offered; removing it brings the rows back, the first one focused.
    open_explorer(reader, page, "?tag=cvpr&year=none")
    assert empty_state(page) == {"shown": True, "text": "No paper matches these 2 filters.",
                                 "buttons": ["Remove “No year”"], "focus": ""}
    page.locator(".pn-explorer__undo").click()
    assert shown_count(page) > 0 and not empty_state(page)["shown"]
    expect(page.locator(".pn-explorer__list li.pn-row a").first).to_be_focused()
    # A search alone: only the search.
    open_explorer(reader, page, "?q=zzzz")
    assert empty_state(page) == {"shown": True, "text": "No paper has “zzzz” in its title or authors.",
                                 "buttons": ["Clear the search"], "focus": ""}
    page.locator("#pn-q").fill("")
    assert shown_count(page) == total and not empty_state(page)["shown"]
    reader.assert_clean("no match")


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
FIRST_SCREEN_JS = """() => {
    const box = (el) => { const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; };
    const rows = document.querySelectorAll('.pn-explorer__list li.pn-row');
    return {height: innerHeight, search: box(document.querySelector('#pn-q')), chips: box(document.querySelector('.pn-explorer__active')),
            first: box(rows[0]), second: box(rows[1]), scrollY: scrollY};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_on_a_phone_the_filters_fold_and_the_first_screen_shows_search_chips_and_rows(reader: Reader, scheme: str):
    page = reader.new_page(**PHONE, color_scheme=scheme)
    toggle = page.locator(".pn-explorer__toggle")
    for query, active in (("", 0), ("?tag=cvpr&priority=1", 2), ("?tag=cvpr&tag=segmentation&year=2020-2024&priority=1", 4)):
        open_explorer(reader, page, query)
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(page.locator("#pn-filters")).to_be_hidden()
        # The count, and its words for a screen reader.
        expect(toggle).to_have_text(f"Filters {active} active" if active else "Filters", use_inner_text=True)
        screen = page.evaluate(FIRST_SCREEN_JS)
        assert screen["scrollY"] == 0
        # The search box, the chips and the first row whole, and the second row begins, on the first screen.
        assert screen["search"]["bottom"] <= screen["height"], screen
        assert screen["chips"]["bottom"] <= screen["height"], screen
        assert screen["first"]["bottom"] <= screen["height"] and screen["second"]["top"] < screen["height"], screen
        if active:
            expect(page.locator("button.pn-explorer__chip")).to_have_count(active)
    # Unfolded by the toggle, by touch or keyboard; folding is not a step of the address.
    toggle.tap()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#pn-author")).to_be_visible()
    page.locator("#pn-priority").select_option("2")
    expect(toggle).to_have_text("Filters 4 active", use_inner_text=True)
    assert ("priority", "2") in shown_query(page)
    address, steps = page.url, page.evaluate("history.length")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#pn-filters")).to_be_hidden()
    page.keyboard.press("Space")
    expect(page.locator("#pn-filters")).to_be_visible()
    assert (page.url, page.evaluate("history.length")) == (address, steps)
    width, client = page.evaluate("(s => [s.scrollWidth, s.clientWidth])(document.scrollingElement)")
    assert width <= client
    reader.assert_clean("phone")


def test_on_a_wide_screen_the_filters_are_open_and_fold_when_it_narrows(page: Any, reader: Reader):
    open_explorer(reader, page, "?tag=cvpr")
    toggle = page.locator(".pn-explorer__toggle")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#pn-author")).to_be_visible()
    expect(toggle).to_have_text("Filters 1 active", use_inner_text=True)
    page.set_viewport_size({"width": 390, "height": 844})
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#pn-filters")).to_be_hidden()
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.locator("#pn-author")).to_be_visible()
    reader.assert_clean("wide")


BAR_CONTRAST_JS = """
(rect) => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                       return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const a = lum(rgb(getComputedStyle(rect).fill)), b = lum(rgb(getComputedStyle(document.body).backgroundColor));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_stats_follow_the_palette_and_fit_a_phone(reader: Reader, scheme: str):
    page = reader.new_page(viewport={"width": 390, "height": 800}, is_mobile=True, color_scheme=scheme)
    reader.visit(page, "stats/")
    bars = page.locator("svg.pn-chart rect.pn-chart__bar")
    assert bars.count() >= 10
    assert min(bars.evaluate_all(f"els => els.map({BAR_CONTRAST_JS})")) >= 3
    labels = page.locator("svg.pn-chart text")  # labels and counts: readable text on the page's own background
    assert min(labels.evaluate_all(f"els => els.map({BAR_CONTRAST_JS})")) >= 4.5
    for path in ("stats/", EXPLORER):
        reader.visit(page, path)
        width, client = page.evaluate("(s => [s.scrollWidth, s.clientWidth])(document.scrollingElement)")
        assert width <= client, f"{path}: {width}px wide at 390px"


def test_every_stats_bar_opens_the_explorer_at_its_count(reader: Reader):
    stats = reader.new_page(viewport={"width": 1280, "height": 800})
    reader.visit(stats, "stats/")
    bars = stats.locator("section[aria-labelledby=per-venue] a.pn-chart__row, section[aria-labelledby=per-year] a.pn-chart__row").evaluate_all(
        "els => els.map(a => [a.href.baseVal === undefined ? a.href : new URL(a.getAttribute('href'), location.href).href,"
        " Number(a.querySelector('.pn-chart__value').textContent)])")
    assert len(bars) >= 10
    explorer = open_explorer(reader, reader.new_page())
    for href, count in bars:
        reopen_explorer(reader, explorer, href)
        assert shown_count(explorer) == count, href
        expect(explorer.locator(".pn-explorer__note")).to_be_hidden()
    reader.assert_clean("the explorer from every bar")
    # The numbers are in a table too: the year table has one row per year, year first, count next.
    rows = stats.locator("#per-year-table tbody tr").evaluate_all("trs => trs.map(tr => [...tr.cells].map(c => c.textContent))")
    years = sorted({p["year"] for p in papers(reader.site) if p["year"]})
    assert [r[0] for r in rows] == [*map(str, years), "no year"]


def test_filter_further_from_a_tag_page_and_an_author_page(page: Any, reader: Reader):
    site = reader.site
    tag = next(t for t in site.json("tags.json") if t["name"] == "CVPR")
    reader.visit(page, site.tag_url("CVPR"))
    page.get_by_role("link", name="Filter further").click()
    page.wait_for_selector(READY)
    assert shown_count(page) == tag["count"] and shown_query(page) == [("tag", tag["slug"])]
    page.locator("#pn-year-from").fill("2023")
    page.locator("#pn-year-from").press("Enter")
    assert shown_count(page) < tag["count"] or all(p["year"] and p["year"] >= 2023 for p in papers(site) if p["url"] in tag["papers"])
    author = next(a for a in site.json("authors.json") if a["name"] == "Shared Coauthor")
    reader.visit(page, site.author_url("Shared Coauthor"))
    page.get_by_role("link", name="Filter further").click()
    page.wait_for_selector(READY)
    assert shown_count(page) == author["count"]
    reader.visit(page, "tags/")
    page.get_by_role("link", name="Filter further: CVPR", exact=True).click()
    page.wait_for_selector(READY)
    assert shown_count(page) == tag["count"]
    reader.assert_clean("filter further")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_explorer_text_is_readable_in_both_palettes(reader: Reader, scheme: str):
    from support.contrast import CONTRAST_JS

    page = reader.new_page(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    open_explorer(reader, page, "?tag=nope&tag=cvpr")  # a note and a chip to read
    selector = (".pn-field label, .pn-field__label, .pn-field input, .pn-field select, .pn-explorer__note,"
                " [data-papernotes-count], .pn-explorer__reset, button.pn-explorer__chip")
    expect(page.locator(".pn-explorer__note")).to_be_visible()
    results = page.locator(selector).evaluate_all(f"(els) => els.map((el) => ({{...({CONTRAST_JS})(el), what: el.className + el.id}}))")
    assert len(results) >= 12
    low = [f"{r['text']:.2f}:1 {r['fg']} on {r['bg']}: {r['what']}" for r in results if r["text"] < 4.5]
    assert low == [], "\n".join(low)
    reader.visit(page, "tags/")
    links = page.locator("a.pn-filter-further").evaluate_all(f"(els) => els.map((el) => ({CONTRAST_JS})(el).text)")
    assert links and min(links) >= 4.5


def test_explorer_works_from_file_urls(browser: Any, served_site: ServedSite):
    """Opened from disk (`file://`), not served: the data is a script, so it loads; the address still holds the state."""
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        # Material's search cannot load its index from file:// (its `offline` plugin is for that): not ours.
        page.on("pageerror", lambda exc: "search_index" not in str(exc) and errors.append(str(exc)))
        page.on("console", lambda msg: msg.type == "error" and "search" not in f"{msg.text} {msg.location}" and errors.append(msg.text))
        cvpr = next(t for t in served_site.json("tags.json") if t["name"] == "CVPR")
        page.goto((served_site.site_dir / "papers" / "index.html").as_uri() + f"?tag={cvpr['slug']}")
        page.wait_for_selector(READY)
        assert shown_count(page) == cvpr["count"]
        page.locator("#pn-priority").select_option("3")
        assert shown_count(page) == sum(1 for p in papers(served_site) if p["priority"] == 3 and p["url"] in cvpr["papers"])
        assert ("priority", "3") in shown_query(page)
        assert errors == []
    finally:
        context.close()


def _serve(site: Any) -> Any:
    """Serve a built site on its own port: (site, base URL), until the generator is closed."""
    import functools
    import threading
    from http.server import ThreadingHTTPServer

    from .conftest import _QuietHandler

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site.site_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A 430-entry library (three static explorer pages), served on its own port."""
    from support.libgen import generate
    from support.sites import build, write_site

    yield from _serve(build(write_site(tmp_path_factory.mktemp("long") / "project", {**generate(430, 4, seed=5), "index.md": "# Home\n"})))


@pytest.fixture(scope="module")
def venues_site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """tests/fixtures/many_venues.md: 18 venues (3 past the stats page's 15), entries with no venue and no year."""
    from support.paths import REPO
    from support.sites import build, write_site

    note = (REPO / "tests" / "fixtures" / "many_venues.md").read_text(encoding="utf-8")
    yield from _serve(build(write_site(tmp_path_factory.mktemp("venues") / "project", {"many.md": note, "index.md": "# Home\n"})))


def test_show_more_and_the_static_pages(reader: Reader, long_site: Any):
    site, base = long_site
    total = len(site.read("papers.json").split('"id":')) - 1
    assert total == 430
    plain = reader.new_page(java_script_enabled=False)
    seen = []
    for path in ("papers/", "papers/2/", "papers/3/"):
        reader.visit(plain, base + path)
        seen += plain.locator("li.pn-row a.pn-row__title").evaluate_all("els => els.map(a => a.href)")
    assert len(seen) == len(set(seen)) == total  # every entry once, across the pager's pages
    page = reader.new_page()
    reader.visit(page, base + "papers/?priority=0&sort=title")
    page.wait_for_selector(READY)
    rows = page.locator(".pn-explorer__list li.pn-row")
    expect(rows).to_have_count(50)
    more = page.locator(".pn-explorer__more")
    expect(more).to_have_text(f"Show 200 more ({total - 50} not shown)")
    more.focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(250)
    assert page.evaluate("document.activeElement.closest('li') === document.querySelectorAll('.pn-explorer__list li')[50]")
    more.click()
    expect(rows).to_have_count(total)
    expect(more).to_be_hidden()
    # textContent: rows out of view are not rendered (content-visibility), so their innerText is empty
    titles = rows.locator("a.pn-row__title").all_text_contents()
    assert titles == sorted(titles, key=lambda t: t.casefold()) and all(titles)
    expect(page.locator(".pn-pager")).to_be_hidden()
    reader.assert_clean("show more")


def test_other_no_venue_and_no_year_bars_open_the_explorer_at_their_counts(reader: Reader, venues_site: Any):
    site, base = venues_site
    stats = reader.new_page(viewport={"width": 1280, "height": 800})
    reader.visit(stats, base + "stats/")
    bars = stats.locator("section[aria-labelledby=per-venue] a.pn-chart__row, section[aria-labelledby=per-year] a.pn-chart__row").evaluate_all(
        "els => els.map(a => [new URL(a.getAttribute('href'), location.href).href, a.querySelector('.pn-chart__label').textContent.trim(),"
        " Number(a.querySelector('.pn-chart__value').textContent)])")
    # every bar of every chart is a link
    assert stats.locator("svg.pn-chart a.pn-chart__row rect").count() == stats.locator("svg.pn-chart rect").count() > 30
    assert len(bars) == 15 + 2 + 5 + 1  # the venue chart's 15, "other", "no venue"; five years, "no year"
    by_label = {label: (href, count) for href, label, count in bars}
    assert {label: by_label[label][1] for label in ("other", "no venue", "no year")} == {"other": 3, "no venue": 2, "no year": 2}
    explorer = reader.new_page()
    for href, label, count in bars:  # every bar: the explorer shows the bar's number, and no note
        explorer.goto(href)
        explorer.wait_for_selector(READY)
        assert shown_count(explorer) == count, (label, href)
        expect(explorer.locator(".pn-explorer__note")).to_be_hidden()
    # The chip shows the filter and removes it; back and forward step through it.
    total = len(site_json(site, "papers.json"))
    reader.visit(explorer, base + EXPLORER)
    reader.visit(explorer, by_label["other"][0])
    explorer.wait_for_selector(READY)
    chip = explorer.get_by_role("button", name="Remove filter: Venue: other")
    expect(chip).to_have_text("Venue: other ✕")
    titles = explorer.locator(".pn-explorer__list a.pn-row__title").all_text_contents()
    assert sorted(titles) == ["Only at Small A", "Only at Small B", "Only at Small C"]
    explorer.locator("#pn-priority").select_option("2")
    assert shown_count(explorer) == 1 and shown_query(explorer) == [("venue", "other"), ("priority", "2")]
    chip.click()
    assert shown_count(explorer) == sum(1 for p in site_json(site, "papers.json") if p["priority"] >= 2)
    assert shown_query(explorer) == [("priority", "2")]
    explorer.go_back()
    expect(explorer.locator("[data-papernotes-count]")).to_have_text(f"1 paper of {total}")
    expect(explorer.get_by_role("button", name="Remove filter: Venue: other")).to_be_visible()
    explorer.go_back()
    explorer.go_back()
    expect(explorer.locator("[data-papernotes-count]")).to_have_text(f"{total} papers")
    expect(explorer.locator("button.pn-explorer__chip")).to_have_count(0)
    explorer.go_forward()
    expect(explorer.locator("[data-papernotes-count]")).to_have_text(f"3 papers of {total}")
    reader.visit(explorer, by_label["no venue"][0])
    explorer.wait_for_selector(READY)
    expect(explorer.get_by_role("button", name="Remove filter: Venue: none")).to_be_visible()
    assert sorted(explorer.locator(".pn-explorer__list a.pn-row__title").all_text_contents()) == [
        "A year but no venue", "Neither year nor venue"]
    reader.assert_clean("venue=other and venue=none")
