"""MkDocs, Material, mkdocs-macros and livereload internals the plugin and the rebuild cache rely on.

Each test pins one internal that no other test pins directly (the build loop, `Page.render`,
Material's search index, the watcher and the lean pages are pinned in serve/test_incremental.py
and build/test_lean.py) and fails with a message naming what changed and the code that relies on it.
When one fails after an upgrade, re-read that code against the new version; the rebuild cache
builds in full on any engine version outside `PINNED_ENGINES` meanwhile. tests/serve/test_properdocs.py
runs this file again through ProperDocs' modules.
"""

from __future__ import annotations

import inspect
import logging
import re
from pathlib import Path

import mkdocs
import pytest
from mkdocs.commands import build as mkdocs_build
from mkdocs.commands import serve as mkdocs_serve
from mkdocs.config import load_config
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import File, Files, InclusionLevel, set_exclusions
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_date
from papernotes.mkdocs_plugin import log_filters
from papernotes.serve import settled_pages, sitemap
from papernotes.serve.incremental import PINNED_ENGINES, engine, unsupported
from papernotes.serve.stores import PageStore
from papernotes.serve.theme_files import THEME_FILES_FILTER, ThemeFiles


@pytest.fixture
def config(tmp_path: Path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nsite_url: https://example.org/notes/\n", encoding="utf-8")
    loaded = load_config(config_file=str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    loaded.plugins._current_plugin = "papernotes"  # what MkDocs sets while a plugin's event runs (File.generated)
    return loaded


def _source(function: object) -> str:
    return inspect.getsource(function)  # type: ignore[arg-type]


def test_the_installed_mkdocs_is_the_one_the_rebuild_cache_is_pinned_to():
    assert unsupported() is None, (
        f"{engine()} is not in {PINNED_ENGINES}: `mkdocs serve` now builds in full. Check every internal pinned "
        "here and in serve/test_incremental.py / build/test_lean.py, then widen serve/incremental.PINNED_ENGINES")


def test_populate_page_can_be_called_for_a_page_taken_back_from_settled():
    params = list(inspect.signature(mkdocs_build._populate_page).parameters)
    assert params[:3] == ["page", "config", "files"], (
        f"mkdocs.commands.build._populate_page{params}: serve/settled_pages.SettledPages.confirm calls it as (page, config, files)")


def test_a_page_made_of_a_file_is_that_files_page(config):
    file = File.generated(config, "authors/ada.md", content="", inclusion=InclusionLevel.NOT_IN_NAV)
    page = Page(None, file, config)
    assert file.page is page, "Page(None, file, config) no longer sets file.page: SettledPages.confirm relies on it"


def test_an_excluded_file_gets_no_page_and_keeps_the_inclusion_it_was_given(config):
    """Settled pages are added as EXCLUDED (serve/settled_pages.py): MkDocs must make no Page of them,
    under `serve` as under `build`, and must not compute their inclusion again after on_files."""
    excluded = InclusionLevel.EXCLUDED
    assert not excluded.is_in_serve() and not excluded.is_included() and excluded.is_excluded(), \
        "InclusionLevel.EXCLUDED is built by MkDocs now: settled pages would be built twice"
    assert InclusionLevel.NOT_IN_NAV.is_included(), "NOT_IN_NAV pages (authors, tags) are no longer built"
    whole = _source(mkdocs_build.build)
    assert "InclusionLevel.is_in_serve if serve_url else InclusionLevel.is_included" in whole, \
        "mkdocs.commands.build.build chooses which files to read and build differently"
    files = [File.generated(config, "a.md", content="", inclusion=excluded),
             File.generated(config, "b.md", content="", inclusion=InclusionLevel.NOT_IN_NAV)]
    set_exclusions(files, config)
    assert [f.inclusion for f in files] == [excluded, InclusionLevel.NOT_IN_NAV], \
        "set_exclusions (after on_files) overrides an inclusion a plugin set"


def test_a_link_to_an_excluded_file_is_the_info_the_settled_links_filter_drops(config, tmp_path: Path):
    (tmp_path / "docs" / "a.md").write_text("[Ada](authors/ada.md)\n", encoding="utf-8")
    note = File("a.md", str(tmp_path / "docs"), str(tmp_path / "site"), True)
    settled = File.generated(config, "authors/ada.md", content="", inclusion=InclusionLevel.EXCLUDED)
    files = Files([note, settled])
    page = Page(None, note, config)
    page.read_source(config)
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger(settled_pages.PAGES_LOGGER)
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        page.render(config, files)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    excluded = [r for r in records if "excluded" in r.getMessage()]
    assert excluded, f"MkDocs no longer logs a link to an excluded file on {settled_pages.PAGES_LOGGER!r}"
    assert excluded[0].levelno == logging.INFO, "a link to an excluded file is no longer an INFO"
    assert not settled_pages._SettledLinks({"authors/ada.md": settled}).filter(excluded[0]), (
        f"MkDocs' message changed ({excluded[0].getMessage()!r}): settled_pages._EXCLUDED_LINK no longer matches it")


def test_the_loggers_the_filters_sit_on_are_the_ones_mkdocs_and_macros_log_to():
    import mkdocs_macros.util

    assert mkdocs_pages.log.name == settled_pages.PAGES_LOGGER, \
        "MkDocs' page logger was renamed: the settled-link and Repeats filters see nothing"
    assert mkdocs_macros.util.LOG.name == log_filters.MACROS_LOGGER, \
        "mkdocs-macros' logger was renamed: log_filters.Chatter no longer calms it"


def test_the_sitemap_template_reads_what_the_kept_sitemap_fingerprints():
    """serve/sitemap.py reuses the output when `is_link`, `canonical_url`, `abs_url`, `update_date`
    of every page are unchanged; settled_pages.sitemap_file stands for a settled page with those."""
    path = Path(mkdocs.__file__).parent / "templates" / "sitemap.xml"
    text = path.read_text(encoding="utf-8")
    read = set(re.findall(r"file\.page\.(\w+)", text))
    assert read == {"is_link", "canonical_url", "abs_url", "update_date"}, \
        f"MkDocs' sitemap.xml reads {sorted(read)} of a page now: update serve/sitemap.py and settled_pages._SitemapPage"
    variables = set(re.findall(r"{%-?\s*for \w+ in (\w+)", text)) | set(re.findall(r"{{\s*(\w+)", text))
    assert variables <= {"pages", "file"}, f"MkDocs' sitemap.xml reads {sorted(variables)} from its context now"

    class Template:
        filename = str(path)

    assert sitemap._mkdocs_sitemap(Template(), "sitemap.xml"), "MkDocs' sitemap template is no longer recognised"
    template = _source(mkdocs_build._build_template)
    assert "on_pre_template" in template and "on_template_context" in template, \
        "static templates are no longer passed through on_pre_template and on_template_context"
    assert "pages=files" in _source(mkdocs_build.get_context) and "files.documentation_pages()" in _source(mkdocs_build.get_context), \
        "a static template's `pages` is no longer the list of documentation pages (settled pages are listed in it)"


def test_a_pages_update_date_is_the_build_date(config):
    page = Page(None, File.generated(config, "authors/ada.md", content=""), config)
    assert page.update_date == get_build_date(), \
        "Page.update_date is not the build date: settled pages' sitemap lines (settled_pages.template_context) would differ"


def test_pages_are_built_in_the_order_of_files():
    """serve/search_entries.py puts settled pages' search entries back where their page comes."""
    whole = _source(mkdocs_build.build)
    loop = whole.index("doc_files = files.documentation_pages(inclusion=inclusion)")
    assert whole.index("for file in doc_files:", loop) < whole.index("_build_page(", loop), \
        "MkDocs no longer builds pages in the order of `files`"


def test_a_pages_source_is_read_the_way_lean_pages_read_it():
    """generated_pages.known_source does what Page.read_source does, without YAML for the plugin's own text."""
    source = _source(Page.read_source)
    for step in ("config.plugins.on_page_read_source(page=self, config=config)", "self.file.content_string",
                 "self.markdown, self.meta = meta.get_data(source)"):
        assert step in source, f"Page.read_source no longer does `{step}`: update generated_pages.known_source"


def test_a_generated_file_is_what_the_plugin_adds_and_reads_back(config):
    file = File.generated(config, "authors/ada.md", content="text", inclusion=InclusionLevel.NOT_IN_NAV)
    assert file.generated_by == "papernotes" and file.inclusion == InclusionLevel.NOT_IN_NAV and file.page is None
    assert Path(file.abs_dest_path).parts[-3:] == ("authors", "ada", "index.html")
    file.inclusion = InclusionLevel.EXCLUDED  # what SettledPages.settle does
    assert file.inclusion.is_excluded()
    assert "authors/ada.md" in Files([file]).src_uris, "Files.src_uris is gone: generation.py tests a user's own file with it"
    note = File.generated(config, "a.md", content="\0binary")
    note.content_string = ""  # what reading.py does to a note it will not show
    assert note.content_string == "", "File.content_string can no longer be set: reading.py sets what MkDocs renders"


def test_site_dir_writes_go_through_mkdocs_utils_looked_up_at_call_time():
    """serve/site_dir.py replaces mkdocs.utils.write_file, copy_file and clean_directory."""
    from material.plugins.search import plugin as material_search

    whole = _source(mkdocs_build.build)
    assert whole.index("on_pre_build") < whole.index("utils.clean_directory(config.site_dir)"), \
        "MkDocs no longer cleans site_dir through utils.clean_directory after on_pre_build"
    assert "utils.write_file(" in _source(mkdocs_build._build_page), "pages are no longer written through utils.write_file"
    assert "utils.write_file(" in _source(mkdocs_build._build_theme_template)
    assert "utils.copy_file(" in _source(File.copy_file), "static files are no longer copied through utils.copy_file"
    assert "utils.write_file(" in _source(material_search.SearchPlugin.on_post_build)


def test_material_writes_its_search_index_between_the_plugins_two_post_build_handlers():
    """The plugin's first on_post_build (priority 100) adds settled pages' entries before Material
    writes the index; its last (-100) tidies site_dir after every plugin wrote there."""
    from material.plugins.search import plugin as material_search

    priority = getattr(material_search.SearchPlugin.on_post_build, "mkdocs_priority", 0)
    assert -100 < priority < 100, f"Material's search on_post_build has priority {priority}"
    assert "generate_search_index" in _source(material_search.SearchPlugin.on_post_build)


def test_material_search_edits_a_pages_html_only_where_the_lent_pages_check_looks():
    """serve/search_entries.py lends Material's on_page_context an empty string for a page whose HTML
    holds no `data-search-*="..."`: what its one edit of `page.content` removes. It runs after the
    index entry is made, so the plugin's on_page_context (priority -100) gives the HTML back."""
    from material.plugins.search import plugin as material_search
    from papernotes.serve.search_entries import _REMOVED

    source = _source(material_search.SearchPlugin.on_page_context)
    assert source.count("page.content") == 2 and 'r"\\s?data-search-\\w+=\\"[^\\"]+\\""' in source, (
        "Material's search on_page_context edits page.content otherwise now: re-read serve/search_entries._lend")
    assert source.index("add_entry_from_context(page)") < source.index("re.sub("), source
    assert _REMOVED.pattern == 'data-search-\\w+="[^"]+"'
    assert getattr(material_search.SearchPlugin.on_page_context, "mkdocs_priority", 0) > -100


def test_serve_watches_docs_before_on_serve():
    """serve/watcher.poll_notes_faster re-watches docs/, which `mkdocs serve` watches before on_serve."""
    source = _source(mkdocs_serve.serve)
    assert source.index("server.watch(config.docs_dir)") < source.index("on_serve("), \
        "`mkdocs serve` no longer watches docs/ before on_serve: poll_notes_faster changes nothing"
    assert source.index("on_serve(") < source.index("on_shutdown()")


def _theme_files(config) -> list[str]:
    files = Files([])
    files.add_files_from_theme(config.theme.get_env(), config)
    return sorted(f.src_uri for f in files)


def test_the_theme_files_are_listed_once_per_environment_and_the_same_as_mkdocs_lists_them(tmp_path: Path):
    (tmp_path / "docs").mkdir()
    overrides = tmp_path / "overrides"
    (overrides / "assets").mkdir(parents=True)
    (overrides / "assets" / "extra.css").write_text("a{}", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ntheme:\n  name: material\n  custom_dir: overrides\n", encoding="utf-8")

    def load():
        return load_config(config_file=str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))

    plain = _theme_files(load())
    assert "assets/extra.css" in plain and len(plain) > 40  # and Material's scripts, styles, search languages
    kept = ThemeFiles()
    for environment in ("one", "one"):  # two builds of one environment: one listing
        config = load()
        kept.install(config, environment)
        assert _theme_files(config) == plain, (
            "Files.add_files_from_theme no longer lists the theme's files through env.list_templates(filter_func=...) "
            f"with a filter named {THEME_FILES_FILTER!r}: serve/theme_files.py keeps that listing")
    assert kept.listings == 1
    (overrides / "assets" / "more.css").write_text("b{}", encoding="utf-8")  # overrides/ edited: another environment
    config = load()
    kept.install(config, "two")
    assert _theme_files(config) == sorted([*plain, "assets/more.css"]) and kept.listings == 2


def test_every_theme_environment_of_a_build_shares_the_compiled_templates(tmp_path: Path):
    """Material's search makes Jinja environments in its `on_config` (`config.theme.get_env()`, three
    a build) to translate its labels; the plugin's `on_config` runs first and gives each the
    process's compiled templates (serve/theme_pass.py `share_compiled`)."""
    from material.plugins.search.plugin import SearchPlugin
    from papernotes.serve.stores import CompiledTemplates
    from papernotes.serve.theme_pass import ThemePass

    assert "config.theme.get_env()" in _source(SearchPlugin._translate), (
        "Material's search no longer makes its environment with config.theme.get_env(): share_compiled may be dropped")
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ntheme:\n  name: material\n", encoding="utf-8")
    passes = ThemePass(PageStore())
    compiled: list[str] = []
    dump = passes.bytecode.dump_bytecode
    passes.bytecode.dump_bytecode = lambda bucket: (compiled.append(bucket.key), dump(bucket))  # type: ignore[method-assign]
    for build in range(2):  # two builds: the second compiles nothing
        config = load_config(config_file=str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
        passes.share_compiled(config)
        env = config.theme.get_env()
        assert env.bytecode_cache is passes.bytecode and isinstance(env.bytecode_cache, CompiledTemplates)
        assert SearchPlugin._translate(None, config, "search.config.lang")  # what Material's on_config asks
        assert compiled if build == 0 else not compiled, compiled
        compiled.clear()
