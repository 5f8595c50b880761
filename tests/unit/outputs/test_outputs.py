"""The output registry: one list declares every generated page and file (no MkDocs).

That the plugin builds exactly it: tests/build/test_outputs_built.py."""

from __future__ import annotations

from collections.abc import Iterable

from papernotes.index.library import Library, LibraryOptions
from papernotes.mkdocs_plugin.config import PapernotesConfig
from papernotes.notes.grammar import parse
from papernotes.outputs import registry as outputs
from papernotes.outputs.paths import CITE_JS_URI, CSS_URI
from papernotes.render.views import Renderer

NOTE = "# N\n\n## Vision\n\n### [!!] [CVPR 2023] One\n_Ada Lovelace, Bo Xu_\n\n### [ICCV 2021] Two #video\n_Bo Xu_\n"


def _site() -> outputs.BuildContext:
    doc = parse(NOTE, "note.md")
    library = Library([doc], {"note.md": "note/"}, LibraryOptions())
    config = PapernotesConfig()
    config.load_dict({})
    assert not config.validate()[0]
    return outputs.BuildContext(library, Renderer(library), config)


def test_the_registry_lists_every_page_and_file_once_in_order():
    listed = outputs.outputs(_site())
    srcs = [o.src for o in listed]
    assert len(srcs) == len(set(srcs))
    assert srcs[:4] == [CSS_URI, CITE_JS_URI, "index.md", "must-read.md"]
    pages = [o.src for o in listed if o.kind == outputs.PAGE]  # the order of the laid-out nav
    assert pages == ["index.md", "must-read.md", "papers.md", "recent.md", "tags/index.md", "authors/index.md", "stats.md"]
    assert {"tags/cvpr.md", "tags/iccv.md", "tags/vision.md", "authors/index.md",
            "authors/ada-lovelace.md", "authors/bo-xu.md", "papers.json", "tags.json", "authors.json", "papers.bib"} <= set(srcs)
    kinds = {o.src: o.kind for o in listed}
    assert kinds["must-read.md"] == kinds["authors/index.md"] == outputs.PAGE
    assert kinds["authors/bo-xu.md"] == kinds["tags/cvpr.md"] == outputs.HIDDEN
    assert kinds["papers.json"] == kinds[CSS_URI] == outputs.FILE
    for output in listed:
        if output.is_page:
            assert output.title and output.inputs is not None and output.render is not None, output.src
            assert output.markdown().startswith("---\ntitle: ")


def test_the_first_declaration_of_a_path_wins(monkeypatch):
    def shadow(build: outputs.BuildContext) -> Iterable[outputs.Output]:
        yield outputs.Output("must-read.md", outputs.HIDDEN, title="Shadow")

    monkeypatch.setattr(outputs, "DECLARATIONS", [*outputs.declarations(), shadow])
    listed = [o for o in outputs.outputs(_site()) if o.src == "must-read.md"]
    assert [o.title for o in listed] == ["Must-read"]


def test_projection_of_library_objects_for_fingerprints():
    site = _site()
    author = site.library.authors[next(iter(site.library.authors))]
    assert outputs.project(author)[0] == "author" and outputs.project(author)[-1] == len(author.entries)
    tag = next(iter(site.library.tags.values()))
    assert outputs.project(tag)[0] == "tag"
    assert outputs.project(object()) is NotImplemented
