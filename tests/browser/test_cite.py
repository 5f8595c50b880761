"""The Cite control in Chromium: it copies the entry's BibTeX, and where copying is refused it
shows the record selected for Ctrl+C. No network either way (the reader fixture checks)."""

from __future__ import annotations

from typing import Any

import bibtexparser
import pytest
from playwright.sync_api import expect

from .conftest import Reader

pytestmark = pytest.mark.browser

SAM = "Segment Anything"
REFUSE_CLIPBOARD = """
Object.defineProperty(navigator, "clipboard", {value: {writeText: () => Promise.reject(new Error("denied"))}});
document.execCommand = () => false;
"""


def open_cite(page: Any, reader: Reader, where: str) -> tuple[Any, str]:
    reader.visit(page, where)
    paper = reader.site.paper(SAM)
    details = page.locator(f'h3.pn-entry[id="{paper["id"]}"] + div.pn-meta details.pn-cite')
    details.locator("summary").click()
    expect(details.locator("pre")).to_be_visible()
    return details, paper["bibkey"]


def test_cite_copies_the_bibtex_record(reader: Reader) -> None:
    page = reader.new_page(viewport={"width": 1280, "height": 800})
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=reader.site.base_url.rstrip("/"))
    details, key = open_cite(page, reader, "blog_generative_models/")
    expect(details.locator(".pn-cite__status")).to_have_text("BibTeX copied to the clipboard")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == details.locator("code").inner_text()
    [record] = bibtexparser.parse_string(copied).entries
    assert record.key == key and record.fields_dict["eprint"].value == "2304.02643"
    reader.assert_clean("cite")


def test_cite_selects_the_record_when_copying_is_refused(reader: Reader) -> None:
    page = reader.new_page(viewport={"width": 390, "height": 800})
    page.add_init_script(REFUSE_CLIPBOARD)
    details, key = open_cite(page, reader, "blog_generative_models/")
    expect(details.locator(".pn-cite__status")).to_contain_text("Ctrl+C")
    selected = page.evaluate("window.getSelection().toString()")
    assert selected.startswith(f"@misc{{{key},") and selected == details.locator("code").inner_text()
    reader.assert_clean("cite, no clipboard")
