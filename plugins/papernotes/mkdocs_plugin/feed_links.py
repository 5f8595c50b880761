"""The site's Atom feeds, and the `<link>`s in every page's `<head>` that let feed readers find them.

Every page links to the site's feed; a tag's page links to its own feed too. The links go in
after the rebuild cache stored the theme's output (`on_post_page`), so a page whose output is
reused gets them the same way.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.pages import Page

from papernotes.mkdocs_plugin.build_state import BuildState
from papernotes.mkdocs_plugin.config import PapernotesConfig
from papernotes.outputs import feeds
from papernotes.outputs.paths import FEED

log = get_plugin_logger(__name__)


def make_feeds(build: BuildState, config: MkDocsConfig, options: PapernotesConfig) -> dict[str, str]:
    """feed.xml and the per-tag feeds (path -> text), their `<head>` links in `build.head`; none without site_url."""
    assert build.library is not None and build.renderer is not None
    library, renderer = build.library, build.renderer
    if not config.site_url:
        log.info("no site_url in mkdocs.yml: the Atom feeds are not made (they need absolute links)")
        return {}
    site = feeds.SiteIdentity(config.site_url.rstrip("/") + "/", config.site_name)
    made = feeds.feeds(library, build.lines, site, tags_dir=options.tags_dir, limit=options.feed_entries,
                       fragments=renderer.fragments)
    if not made:
        return {}
    build.head[None] = feeds.head_link(site.url + FEED, config.site_name)
    for tag in library.tags.values():
        if tag.kind in feeds.FEED_TAG_KINDS:
            path = feeds.tag_feed_path(options.tags_dir, tag)
            build.head[f"{options.tags_dir}/{tag.slug}.md"] = feeds.head_link(site.url + path, f"{config.site_name}: {tag.name}")
    return made


def add_feed_links(output: str, page: Page, build: BuildState | None) -> str:
    """The page's HTML with its feed links at the end of `<head>`."""
    head = build.head if build is not None else {}
    links = "".join(link for link in (head.get(None), head.get(page.file.src_uri)) if link)
    return output.replace("</head>", links + "</head>", 1) if links else output
