"""What the plugin adds to the site's MkDocs config: Markdown extensions, GitHub's heading slugs, its CSS and script."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from pymdownx.slugs import slugify

from papernotes.extensions import github_ids
from papernotes.outputs.paths import CITE_JS_URI, CSS_URI

GITHUB_IDS = github_ids.__name__  # as mkdocs.yml names it


def extend_mkdocs_config(config: MkDocsConfig) -> None:
    """on_config: each addition made once, and only when mkdocs.yml does not have it already."""
    # Entry headings carry their anchor and classes as `{: #id .class }`.
    if "attr_list" not in config.markdown_extensions:
        config.markdown_extensions.append("attr_list")
    # Heading ids exactly GitHub's, repeats `-1`, `-2` included, so in-page links written on GitHub work.
    if GITHUB_IDS not in config.markdown_extensions:
        config.markdown_extensions.append(GITHUB_IDS)
    # GitHub-compatible anchors for ordinary headings, so links copied from GitHub work.
    toc = config.mdx_configs.setdefault("toc", {})
    toc.setdefault("slugify", slugify(case="lower"))
    if CSS_URI not in config.extra_css:
        config.extra_css.append(CSS_URI)
    if CITE_JS_URI not in [str(script) for script in config.extra_javascript]:
        config.extra_javascript.append(CITE_JS_URI)
