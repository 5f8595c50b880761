"""Accessibility of the built site: axe-core on every page type, and the keyboard.

axe-core (the `axe.min.js` that axe-playwright-python ships, pinned in requirements-test.txt)
is injected into each page and run with its default rules (WCAG A/AA and best practices). A
serious or critical violation fails the test; moderate and minor ones are listed in the
"axe-core findings" section at the end of pytest's output, so they stay visible without
failing the build.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from typing import Any

import pytest

from .conftest import AXE_FINDINGS_KEY, Reader, ServedSite

pytestmark = pytest.mark.browser

# What axe-playwright-python==0.1.8 (requirements-test.txt) bundles: a new pin of the package
# must say which axe-core it brings, since a new axe-core can find new things. Of the rules that
# 4.14.1 (npm's, before) runs by default, 4.12.1 leaves out label-content-name-mismatch: still
# experimental there, and turned on it misreads the stats chart's links ("2019 1" in
# "2019 1 paper, open in the explorer"), which 4.14.1 passes.
AXE_CORE = "4.12.1"
FAILING_IMPACTS = ("serious", "critical")

# Every page type the audit reads, in ONE place: add a new kind of page here.
PAGE_TYPES: dict[str, Callable[[ServedSite], str]] = {
    "home": lambda s: s.url(""),
    "note": lambda s: s.url("reader_checks/"),
    "note with placeholder figures (the seed)": lambda s: s.url("blog_generative_models/"),
    "note with CJK headings and figures": lambda s: s.url("figures_cjk/"),
    "must-read": lambda s: s.url("must-read/"),
    "tags index": lambda s: s.url("tags/"),
    "venue page": lambda s: s.tag_url("CVPR"),
    "topic page": lambda s: s.tag_url("segmentation"),
    "authors index": lambda s: s.url("authors/"),
    "author page": lambda s: s.author_url("Ottilie Brightwater"),
    "explorer": lambda s: s.url("papers/"),
    "explorer, filtered": lambda s: s.url("papers/?tag=cvpr&priority=1&sort=title"),
    "stats": lambda s: s.url("stats/"),
    "recently added": lambda s: s.url("recent/"),
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


@pytest.fixture(scope="session")
def axe_findings(request: pytest.FixtureRequest) -> dict[str, list[str]]:
    return request.config.stash.setdefault(AXE_FINDINGS_KEY, {})  # printed by conftest.pytest_terminal_summary


@pytest.mark.parametrize("view", list(VIEWS))
def test_no_serious_axe_violation_on_any_page_type(reader: Reader, axe_findings: dict[str, list[str]], view: str):
    page = reader.new_page(**VIEWS[view])
    failing: list[str] = []
    minor: list[str] = []
    for name, url in PAGE_TYPES.items():
        reader.visit(page, url(reader.site))
        for violation in run_axe(page):
            (failing if violation["impact"] in FAILING_IMPACTS else minor).extend(describe(f"{view} / {name}", violation))
    axe_findings[view] = minor
    assert failing == [], "axe-core found serious or critical violations:\n" + "\n".join(failing)


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
