"""The site's Atom feeds, and the `<link>`s in every page's `<head>` that let feed readers find them.

Every page links to the site's feed; a tag's page links to its own feed too. The links go in
after the rebuild cache stored the theme's output (`on_post_page`), so a page whose output is
reused gets them the same way. Feeds are made when mkdocs.yml has a site_url, under
`mkdocs serve` too (`feed_site_url`), as `papernotes check` expects (`outputs/paths.py`).
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.pages import Page
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from papernotes.mkdocs_plugin.build_state import BuildState
from papernotes.mkdocs_plugin.config import PapernotesConfig
from papernotes.outputs import feeds
from papernotes.outputs.paths import FEED

log = get_plugin_logger(__name__)

NO_SITE_URL = ("no site_url in mkdocs.yml: the Atom feeds are not made (feed.xml and each tag's feed), as their links must be "
               "absolute, and a link to one is reported as broken; set site_url in mkdocs.yml "
               "(e.g. site_url: https://example.org/notes/) to make them")


def feed_site_url(config: MkDocsConfig, *, serving: bool) -> str | None:
    """The address the feeds link to, or None: no feeds.

    `mkdocs serve` sets site_url to the preview's address whether mkdocs.yml has one or not
    (mkdocs/commands/serve.py), so under serve mkdocs.yml itself is asked, through MkDocs' own
    YAML loader (`!ENV`, `INHERIT`): the preview then has a feed.xml exactly when the build
    does, and a link to it is broken in both or in neither. Its feeds link to the preview.
    """
    if not config.site_url or not serving or not config.config_file_path:
        return config.site_url or None
    try:
        with open(config.config_file_path, "rb") as fh:
            written = yaml_load(fh, get_yaml_loader(config=config)).get("site_url")
    except (OSError, ConfigurationError):  # read a moment ago by MkDocs: keep what it made of it
        return config.site_url
    return config.site_url if written else None


def make_feeds(build: BuildState, config: MkDocsConfig, options: PapernotesConfig, site_url: str | None) -> dict[str, str]:
    """feed.xml and the per-tag feeds (path -> text), their `<head>` links in `build.head`; none without `site_url`."""
    assert build.library is not None and build.renderer is not None
    library, renderer = build.library, build.renderer
    if not site_url:
        log.info(NO_SITE_URL)
        return {}
    site = feeds.SiteIdentity(site_url.rstrip("/") + "/", config.site_name)
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
