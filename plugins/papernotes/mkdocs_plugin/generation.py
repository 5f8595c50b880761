"""Every output of the registry (outputs/registry.py) added to MkDocs' `Files`; a user's own file at the same path wins.

So does a user's `README.md` over a generated `index.md` in its folder: MkDocs makes a
`README.md` its folder's index page (docs/README.md is the site's home), and two pages
cannot both be `index.html`.

A generated page's `File` holds its front matter only (generated_pages.py); its body is
made in `on_page_content`. A page with a dependency digest (`outputs.Output.digest`) may be
settled under serve (serve/settled_pages.py). A generated file's text is made here, through
the rebuild cache when its output declares inputs.
"""

from __future__ import annotations

import posixpath

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

from papernotes.mkdocs_plugin import generated_pages
from papernotes.mkdocs_plugin.build_state import BuildState
from papernotes.mkdocs_plugin.config import PapernotesConfig
from papernotes.mkdocs_plugin.feed_links import make_feeds
from papernotes.outputs import registry as outputs
from papernotes.serve.incremental import Incremental


def generate_outputs(build: BuildState, files: Files, config: MkDocsConfig, options: PapernotesConfig,
                     incremental: Incremental, *, site_url: str | None, last: BuildState | None = None) -> None:
    """Append a `File` per output to `files`, and remember each output in `build.generated`.
    `site_url`: the site's address for the feeds, None when mkdocs.yml gives none (`feed_links.feed_site_url`);
    `last`: the last complete build under serve, whose digests of what did not change (`build.changes`) are taken."""
    assert build.library is not None and build.renderer is not None
    feeds_made = make_feeds(build, config, options, site_url)
    context = build.context = outputs.BuildContext(
        build.library, build.renderer, options, use_directory_urls=config.use_directory_urls, sources=build.sources,
        feeds=feeds_made, changes=build.changes, last=last.context if last is not None else None)
    build.paths = context.paths
    search_title_only = generated_pages.title_only_search(config)
    for output in outputs.outputs(context):
        if users_own(output.src, files):
            continue
        if output.is_page:
            files.append(_page_file(output, config, incremental, search_title_only))
        else:
            files.append(_file(output, config, incremental))
        build.generated[output.src] = output  # a page's body is made in on_page_content


def users_own(src: str, files: Files) -> bool:
    """Whether the user's files already hold the page or file at `src` (theirs wins)."""
    if src in files.src_uris:
        return True
    if not src.endswith("index.md"):  # most outputs (20,000 author pages): no split
        return False
    folder, name = posixpath.split(src)
    return name == "index.md" and posixpath.join(folder, "README.md") in files.src_uris


_UNDEFINED, _NOT_IN_NAV = InclusionLevel.UNDEFINED, InclusionLevel.NOT_IN_NAV  # read once, not per page


def _page_file(output: outputs.Output, config: MkDocsConfig, incremental: Incremental, search_title_only: bool) -> File:
    inclusion = _UNDEFINED if output.kind == outputs.PAGE else _NOT_IN_NAV
    markdown = output.markdown(search_title_only=search_title_only)
    if output.digest is not None and incremental.enabled:
        return incremental.page_file(config, output.src, markdown, inclusion, output.digest())
    return File.generated(config, output.src, content=markdown, inclusion=inclusion)


def _file(output: outputs.Output, config: MkDocsConfig, incremental: Incremental) -> File:
    if output.abs_src_path:  # a file of the plugin's own (its CSS), copied as it is
        return File.generated(config, output.src, abs_src_path=output.abs_src_path)
    content = ("" if output.render is None else output.render() if output.inputs is None
               else incremental.body(output.src, output.inputs, output.render, outputs.project))
    file = File.generated(config, output.src, content=content)
    incremental.generated_file(file, content)  # so serve removes it once a build no longer makes it
    return file
