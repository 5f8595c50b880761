"""papers.bib and the Cite control on a built site: the records parse back to what papers.json says.

The records' parts (keys, escaping, layout): tests/unit/render/test_bibtex.py."""

from __future__ import annotations

import html
import json
import re

import bibtexparser
from bibtexparser.middlewares import LatexDecodingMiddleware
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

SPECIALS = "& % $ # _ { } ~ ^ \\"  # as in tests/unit/render/test_bibtex.py


HOSTILE = f"""# Hostile titles

## Papers

### [CVPR 2023] Costs of 100% & $5 #1 under_score {{braces}} ~tilde ^caret back\\\\slash [[pdf]](https://arxiv.org/abs/2304.02643)
_Piotr Dollár, Zoë O'Brien & Co_

### [TPAMI 2021] Über Ära: ÉCOLE résumé naïve [[doi]](https://doi.org/10.1109/TPAMI.2021.12345)
_José Álvarez_

### [arXiv 2024] 大规模视觉模型 Large Vision Models 中文
_张伟, 李娜_

### [NeurIPS 2022] Plain Title Without Links
_Ada Lovelace_

### A note without venue or links {{ {SPECIALS} }}
_Someone_
"""


def _latex_decoder() -> LatexDecodingMiddleware:
    """pylatexenc (bibtexparser's own decoder), taught the text-mode commands it lacks or prints
    differently from LaTeX (`\\textasciicircum` is `^`, not the modifier letter `ˆ`)."""
    db = get_default_latex_context_db().filter_context()
    db.add_context_category("text-commands", prepend=True, macros=[
        MacroTextSpec("textbraceleft", "{"), MacroTextSpec("textbraceright", "}"), MacroTextSpec("textasciicircum", "^")])
    return LatexDecodingMiddleware(decoder=LatexNodes2Text(latex_context=db, math_mode="verbatim", strict_latex_spaces=True))


def _decode(value: str) -> str:
    return " ".join(value.split())


def test_papers_bib_parses_back_to_what_papers_json_says(make_site) -> None:
    site = make_site({"index.md": "# Home\n", "hostile.md": HOSTILE, "zz-again.md":
                      "# Again\n\n### The same paper, retitled [[arxiv]](https://arxiv.org/abs/2304.02643)\n_P Dollár_\n"})
    papers = json.loads(site.read("papers.json"))
    library = bibtexparser.parse_string(site.read("papers.bib"), append_middleware=[_latex_decoder()])
    assert not library.failed_blocks
    records = {e.key: e for e in library.entries}
    assert len(records) == len(library.entries) == len({p["bibkey"] for p in papers}) == 5  # the retitled one shares
    first_by_key: dict[str, dict] = {}
    for paper in papers:
        first_by_key.setdefault(paper["bibkey"], paper)
    assert papers[-1]["bibkey"] == papers[0]["bibkey"]  # zz-again.md's entry is hostile.md's first paper
    for key, paper in first_by_key.items():
        fields = {k: _decode(v.value) for k, v in records[key].fields_dict.items()}
        assert fields["title"] == paper["title"], key
        assert fields["author"].split(" and ") == paper["authors"]
        if paper["year"]:
            assert fields["year"] == str(paper["year"])
        venue = paper["venue"]
        if venue and venue != "arXiv":
            assert fields.get("booktitle", fields.get("journal")) == venue
        if paper["links"]:
            assert fields["url"] == paper["links"][0]["url"]
    by_title = {p["title"]: records[p["bibkey"]] for p in papers}
    hostile = by_title[next(t for t in by_title if t.startswith("Costs"))]
    assert hostile.entry_type == "inproceedings" and hostile.fields_dict["eprint"].value == "2304.02643"
    for special in SPECIALS.split():
        assert special in _decode(hostile.fields_dict["title"].value)
    journal = by_title["Über Ära: ÉCOLE résumé naïve"]
    assert journal.entry_type == "article" and journal.fields_dict["doi"].value == "10.1109/tpami.2021.12345"
    cjk = by_title["大规模视觉模型 Large Vision Models 中文"]
    assert cjk.entry_type == "misc" and cjk.fields_dict["author"].value == "张伟 and 李娜"
    raw = site.read("papers.bib")
    assert "中文" in raw and "Dollár" in raw and "\\u" not in raw  # UTF-8, not escaped

    # The Cite control carries the same record, on the note and in rows.
    note = site.page("hostile.md")
    cite = r'<details class="pn-cite"><summary>Cite</summary><pre class="pn-cite__bib"><code>(.*?)</code>'
    shown = [html.unescape(m) for m in re.findall(cite, note, re.S)]
    assert len(shown) == 5
    from_note = bibtexparser.parse_string("\n".join(shown))
    assert [e.key for e in from_note.entries] == [p["bibkey"] for p in papers if p["page"] == "hostile.md"]
    must_read = site.read("tags/cvpr/index.html")
    assert '<details class="pn-cite">' in must_read and "dollar2023costs" in must_read
    assert "papernotes/papernotes-cite.js" in note and (site.site_dir / "papernotes" / "papernotes-cite.js").is_file()
