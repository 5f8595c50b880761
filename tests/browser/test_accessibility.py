"""Accessibility of the built site: axe-core on every page type, and the keyboard.

axe-core (the `axe.min.js` that axe-playwright-python ships, pinned in requirements-test.txt)
is injected into each page and run with its default rules (WCAG A/AA and best practices). A
serious or critical violation fails the test; moderate and minor ones are listed in the
"axe-core findings" section at the end of pytest's output, so they stay visible without
failing the build.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib.resources import files
from typing import Any

import pytest
from support.contrast import CONTRAST_JS

from .conftest import AXE_FINDINGS, FIXTURES, Reader, ServedSite

pytestmark = pytest.mark.browser

# What axe-playwright-python==0.1.8 (requirements-test.txt) bundles: a new pin of the package
# must say which axe-core it brings, since a new axe-core can find new things. Of the rules that
# 4.14.1 (npm's, before) runs by default, 4.12.1 leaves out label-content-name-mismatch: still
# experimental there, and turned on it misreads the stats chart's links ("2019 1" in
# "2019 1 paper, open in the explorer"), which 4.14.1 passes.
AXE_CORE = "4.12.1"
FAILING_IMPACTS = ("serious", "critical")

# Every page type the audit reads, in ONE place: add a new kind of page here. The library it reads
# (fixtures/every_state.md, checked by test_the_audited_library_holds_every_state_a_row_can_have)
# puts every state a row can be in on each page that lists rows.
PAGE_TYPES: dict[str, Callable[[ServedSite], str]] = {
    "home": lambda s: s.url(""),
    "note": lambda s: s.url("reader_checks/"),
    "note with every row state": lambda s: s.url("every_state/"),
    "note with placeholder figures (the seed)": lambda s: s.url("blog_generative_models/"),
    "note with CJK headings and figures": lambda s: s.url("figures_cjk/"),
    "must-read": lambda s: s.url("must-read/"),
    "tags index": lambda s: s.url("tags/"),
    "venue page": lambda s: s.tag_url("CVPR"),
    "topic page": lambda s: s.tag_url("segmentation"),
    "authors index": lambda s: s.url("authors/"),
    "author page": lambda s: s.author_url("Ottilie Brightwater"),
    "author page with every row state": lambda s: s.author_url("Ysolde Marchbanks"),
    "explorer": lambda s: s.url("papers/"),
    "explorer, filtered": lambda s: s.url("papers/?tag=cvpr&priority=1&sort=title"),
    "explorer, no match": lambda s: s.url("papers/?q=nothing+like+this&tag=cvpr"),
    "stats": lambda s: s.url("stats/"),
    "recently added, no dates known": lambda s: s.url("recent/"),
}
# Read on `dated_site`, the same notes committed to git: only there have entries a date added.
DATED_PAGE_TYPES: dict[str, Callable[[ServedSite], str]] = {
    "recently added": lambda s: s.url("recent/"),
    "note with dates added": lambda s: s.url("every_state/"),
}
VIEWS: dict[str, dict[str, Any]] = {
    "light": {"viewport": {"width": 1280, "height": 800}, "color_scheme": "light"},
    "dark": {"viewport": {"width": 1280, "height": 800}, "color_scheme": "dark"},
    "390px light": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "color_scheme": "light"},
    "390px dark": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "color_scheme": "dark"},
}


def axe_script() -> str:
    """The path of the axe.min.js that axe-playwright-python ships. Its own `Axe.run` is not used:
    it would inject axe again on every call and hand back axe's whole result, where `run_axe`
    keeps what a failure message needs."""
    try:
        return str(files("axe_playwright_python") / "axe.min.js")
    except ModuleNotFoundError:
        pytest.fail("the accessibility tests need axe-playwright-python: `pip install -r requirements-test.txt`", pytrace=False)


def run_axe(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=axe_script())
        version = page.evaluate("axe.version")
        assert version == AXE_CORE, f"axe-playwright-python brings axe-core {version}, not {AXE_CORE}: update AXE_CORE and requirements-test.txt"
    # Rows of a long list are laid out only when scrolled to (`content-visibility: auto`); scrolled
    # through once, each keeps its real height, so the page does not move while axe measures colours
    # (on a busy machine it did: a row measured against the footer's background).
    page.evaluate("""async () => {
        if (!document.querySelector('.pn-explorer')) return;
        const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
        for (let y = 0; y < document.body.scrollHeight; y += innerHeight) { scrollTo(0, y); await frame(); }
        scrollTo(0, 0);
        await new Promise((resolve) => setTimeout(resolve, 800));  // the theme's header transition back
    }""")
    return page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                                      summary: (n.failureSummary || '').split('\\n').slice(0, 2).join(' ')}))}));
    }""")


def describe(where: str, violation: dict[str, Any]) -> list[str]:
    lines = [f"{where}: {violation['impact']} {violation['id']}: {violation['help']} ({len(violation['nodes'])} element(s))"]
    lines += [f"    {n['target']}  {n['html']}  -- {n['summary']}" for n in violation["nodes"][:5]]
    return lines


@pytest.fixture
def axe_findings(request: pytest.FixtureRequest) -> dict[str, list[str]]:
    """This test's findings below the failing level, by view: they ride on its report (conftest.AXE_FINDINGS)
    and are printed at the end of the run (tests/conftest.py)."""
    found: dict[str, list[str]] = {}
    request.node.user_properties.append((AXE_FINDINGS, found))  # the call's report carries what the test put in
    return found


@pytest.mark.parametrize("view", list(VIEWS))
def test_no_serious_axe_violation_on_any_page_type(reader: Reader, dated_site: ServedSite,
                                                   axe_findings: dict[str, list[str]], view: str):
    page = reader.new_page(**VIEWS[view])
    failing: list[str] = []
    minor: list[str] = []
    pages = [(name, url(reader.site)) for name, url in PAGE_TYPES.items()]
    pages += [(name, url(dated_site)) for name, url in DATED_PAGE_TYPES.items()]
    for name, url in pages:
        reader.visit(page, url)
        for violation in run_axe(page):
            (failing if violation["impact"] in FAILING_IMPACTS else minor).extend(describe(f"{view} / {name}", violation))
    axe_findings[view] = minor
    assert failing == [], "axe-core found serious or critical violations:\n" + "\n".join(failing)


# -- the every-state library --------------------------------------------------------------

EVERY_STATE = FIXTURES / "every_state.md"
# Pages that list rows, each with the every-state note's rows on it (at least its broken links).
ROW_PAGES: dict[str, Callable[[ServedSite], str]] = {
    "note": PAGE_TYPES["note with every row state"],
    "explorer": PAGE_TYPES["explorer"],
    "venue page": PAGE_TYPES["venue page"],
    "author page": PAGE_TYPES["author page with every row state"],
    "must-read": PAGE_TYPES["must-read"],
    "recently added": DATED_PAGE_TYPES["recently added"],
}
# The product of the element's and its ancestors' opacity: CONTRAST_JS reads colours only.
OPACITY_JS = "((el) => { let o = 1; for (let n = el; n; n = n.parentElement) o *= Number(getComputedStyle(n).opacity); return o; })"


def faded_ratio(measured: dict[str, Any]) -> float:
    """CONTRAST_JS's text contrast with the text faded by `opacity` over its background, as it is painted."""
    def rgb(hex_colour: str) -> list[float]:
        return [int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]

    def luminance(c: list[float]) -> float:
        f = [v / 255 / 12.92 if v / 255 <= 0.03928 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * f[0] + 0.7152 * f[1] + 0.0722 * f[2]

    o, fg, bg = measured["opacity"], rgb(measured["fg"]), rgb(measured["bg"])
    a, b = luminance([o * x + (1 - o) * y for x, y in zip(fg, bg, strict=True)]), luminance(bg)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def test_the_audited_library_holds_every_state_a_row_can_have():
    """The states the audit must see, as the notes' parser reads them: a change to the fixture
    that drops one fails here, not silently in a smaller audit."""
    from papernotes.notes.grammar import is_safe_url, parse

    entries = parse(EVERY_STATE.read_text(encoding="utf-8"), "every_state.md").entries
    urls = [link.url for e in entries for link in e.links]
    missing = [f for e in entries for f in e.figures
               if not (FIXTURES / "assets" / f.url.split("assets/", 1)[-1]).exists()]
    states = {
        "a link the build marks broken": any(url and not is_safe_url(url) for url in urls),
        "a link with an empty URL": "" in urls,
        "a missing figure": bool(missing),
        "no author line": any(not e.authors for e in entries),
        "no venue": any(not e.venues for e in entries),
        "a 300-character title": any(len(e.title) >= 300 for e in entries),
        "a CJK title": any(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", e.title) for e in entries),
        "a qualifier": any(v.qualifier for e in entries for v in e.venues),
        "several venues": any(len(e.venues) > 1 for e in entries),
        **{f"priority {p}": any(e.priority == p for e in entries) for p in range(4)},
        # Rows leave a link without a URL out: each priority's rows show an unsafe one.
        **{f"an unsafe link at priority {p}": any(e.priority == p and any(link.url and not is_safe_url(link.url) for link in e.links)
                                                  for e in entries) for p in range(4)},
    }
    assert [state for state, held in states.items() if not held] == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_broken_links_are_readable_wherever_rows_show_them(reader: Reader, dated_site: ServedSite, scheme: str):
    """A link the build will not emit is shown as struck-through text, at 4.5:1 or more on the page
    and on every row highlight; opacity counted (it once faded it to 3.2:1 in the light palette,
    3.0:1 in the dark one)."""
    page = reader.new_page(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    low: list[str] = []
    priorities: set[str] = set()  # the row highlights they were read on
    for name, url in ROW_PAGES.items():
        reader.visit(page, url(dated_site if name == "recently added" else reader.site))
        page.add_style_tag(content="* { transition: none !important; }")  # the palette's colours, not a frame of a transition
        results = page.locator("article .pn-link--broken").evaluate_all(
            f"(els) => els.map((el) => ({{...({CONTRAST_JS})(el), opacity: {OPACITY_JS}(el), what: el.outerHTML.slice(0, 100)}}))")
        assert results, f"{name}: no broken link shown"
        priorities.update(page.locator("article .pn-link--broken").evaluate_all(
            "els => els.map(el => (el.closest('[data-priority]') || el.closest('.pn-meta').previousElementSibling).dataset.priority)"))
        low += [f"{name}: {faded_ratio(r):.2f}:1 {r['fg']} at opacity {r['opacity']:.2f} on {r['bg']}: {r['what']}"
                for r in results if faded_ratio(r) < 4.5]
    assert low == [], "\n".join(low)
    assert priorities == {"0", "1", "2", "3"}


def test_open_lightbox_is_a_named_dialog_around_a_named_figure(reader: Reader):
    """Zooming a figure opens GLightbox's dialog: it too must pass, and show the figure's name."""
    page = reader.new_page(**VIEWS["light"])
    reader.visit(page, PAGE_TYPES["note with CJK headings and figures"](reader.site))
    link = page.locator("article a.glightbox").nth(1)
    name = link.locator("img").get_attribute("alt")
    assert name == "画像セグメンテーションの基盤モデル — figure 1"
    assert link.get_attribute("data-title") == name  # glightbox's auto_caption
    link.click()
    slide = page.locator(".gslide.current img")
    slide.wait_for(state="visible")
    page.wait_for_timeout(600)  # the opening animation
    labelled_by = slide.get_attribute("aria-labelledby")
    assert labelled_by and page.locator(f"#{labelled_by}").inner_text() == name
    failing = [line for v in run_axe(page) if v["impact"] in FAILING_IMPACTS for line in describe("open lightbox", v)]
    assert failing == [], "\n".join(failing)
    page.keyboard.press("Escape")
    page.locator("#glightbox-body").wait_for(state="detached")
    reader.assert_clean("lightbox")


# -- the keyboard --------------------------------------------------------------------------

KEYBOARD_PAGES = ["note", "note with CJK headings and figures", "must-read", "tags index", "author page"]
# Focusable elements of the page's content (the notes' text and everything papernotes generates),
# but the theme's edit button, which sits before the skip link's target (Tab from the header reaches it).
FOCUSABLE = ("article :is(a[href], button, input, select, textarea, summary, [tabindex])"
             ":not([tabindex^='-'], [disabled], .md-content__button)")
MARK_TARGETS_JS = """(selector) => {
    const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const targets = [...document.querySelectorAll(selector)].filter(visible);
    targets.forEach((el, i) => el.dataset.kbTarget = String(i));
    return targets.map((el) => el.outerHTML.slice(0, 120));
}"""
# Where the focused element is and whether a reader can see it: not under the sticky header
# or anything else (the point in the middle of its first line box is the element itself).
FOCUSED_JS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const box = el.getClientRects()[0] || el.getBoundingClientRect();
    const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
    const top = document.elementFromPoint(x, y);
    return {target: el.dataset.kbTarget ?? null, html: el.outerHTML.slice(0, 120),
            obscured: !(top && (top === el || el.contains(top))), over: top ? top.outerHTML.slice(0, 100) : "",
            clip: {x: Math.max(box.left - 6, 0), y: Math.max(box.top - 6, 0), width: box.width + 12, height: box.height + 12}};
}"""


@pytest.mark.parametrize("name", KEYBOARD_PAGES)
def test_every_link_and_control_is_reachable_by_tab_and_visibly_focused(reader: Reader, name: str):
    page = reader.new_page(**VIEWS["light"])
    reader.visit(page, PAGE_TYPES[name](reader.site))
    targets = page.evaluate(MARK_TARGETS_JS, FOCUSABLE)
    assert targets, f"{name}: nothing focusable in the content"
    total = page.evaluate("() => document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]').length")
    # A keyboard reader's way in: the theme's "Skip to content" link is the first Tab stop.
    # (Tabbing through the header instead opens the search overlay, which then covers the page.)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.matches('a.md-skip')"), "the first Tab stop is not 'Skip to content'"
    page.keyboard.press("Enter")
    reached: set[str] = set()
    unseen_focus: list[str] = []
    for _ in range(total + 10):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        if focused is None or focused["target"] is None:
            if reached:
                break  # Tab has left the content
            continue
        if focused["target"] in reached:
            break
        reached.add(focused["target"])
        # Visibly focused: the element and its surroundings look different without focus,
        # and nothing covers it.
        with_focus = page.screenshot(clip=focused["clip"])
        page.evaluate("() => document.activeElement.blur()")
        without_focus = page.screenshot(clip=focused["clip"])
        page.evaluate("(i) => document.querySelector(`[data-kb-target='${i}']`).focus()", focused["target"])
        if focused["obscured"]:
            unseen_focus.append(f"covered by {focused['over']}: {focused['html']}")
        elif with_focus == without_focus:
            unseen_focus.append(f"no visible focus: {focused['html']}")
    missed = [html for i, html in enumerate(targets) if str(i) not in reached]
    assert missed == [], f"{name}: {len(missed)} of {len(targets)} not reachable with Tab:\n" + "\n".join(missed)
    assert unseen_focus == [], f"{name}: focus not visible on:\n" + "\n".join(unseen_focus)
    reader.assert_clean(name)
