"""What a page shows of the nav: the part of its theme-pass fingerprint the nav gives (theme_pass.py, settled_pages.py).

Material 9's templates read the nav in these places only (site-packages `material/templates`):

* `partials/nav.html` and `partials/nav-item.html`, the sidebar: every top-level item. With
  `navigation.prune` (and no `navigation.tabs`, `navigation.sections`, `navigation.indexes`,
  `navigation.expand`), a section is *expanded* only when it is active (it holds the page):
  its title and each child; any other section is *pruned* to one link, its title and the URL
  of its first leaf (`render_pruned` follows first children down). A page item shows its
  title, URL and the `icon`, `subtitle` and `status` of its meta (`render_content`); the page
  itself, when in the nav, shows its own TOC (in its content fingerprint already);
* `partials/header.html`, `partials/nav.html` and `partials/path.html`: the homepage's URL
  and title; `path.html` (`navigation.path`) the page's ancestors, their first leaves;
* `base.html` (`<link rel="prev|next">`, always) and `partials/footer.html`
  (`navigation.footer`): the previous and next pages' URLs and titles.

So a page's view of the nav is: the homepage, every top-level item closed (a section pruned,
a page or link as its link), and for each section on the page's way down (its ancestors) its
place and its children closed; plus its previous and next page. A page outside the nav (an
author or tag page: `NOT_IN_NAV`) has no ancestors and no neighbours: every such page shows
the same, `outside`, and adding a note that is not the Notes section's first changes nothing
of it. test_nav_views.py renders Material's templates over many navs to show that pages
with the same view get the same HTML.

When the theme or its features are not the ones this was derived for (`why_whole`), every
page's view is the whole nav, as before: exact, and slower on a structural edit.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
from functools import cached_property
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

from papernotes.serve.fingerprints import fingerprint

MATERIAL_VERSIONS = ("9.",)  # the templates described above; test_nav_views.py renders them
# Features whose templates read the nav as described above, or not at all (the JavaScript-only
# ones, `toc.*`, `content.*`, `search.*`, `announce.*`, `header.*`). Any other, `navigation.tabs`,
# `navigation.sections`, `navigation.indexes` and `navigation.expand` among them: the whole nav.
FEATURES = frozenset({
    "announce.dismiss", "content.action.edit", "content.action.view", "content.code.annotate", "content.code.copy",
    "content.code.select", "content.footnote.tooltips", "content.tabs.link", "content.tooltips", "header.autohide",
    "navigation.footer", "navigation.instant", "navigation.instant.prefetch", "navigation.instant.preview",
    "navigation.instant.progress", "navigation.path", "navigation.prune", "navigation.top", "navigation.tracking",
    "search.highlight", "search.share", "search.suggest", "toc.follow", "toc.integrate"})
# What in a template of the project's own (custom_dir) may read the nav: such an override makes the
# derivation unsafe, so the whole nav is used.
_NAV_WORDS = re.compile(r"\bnav\b|nav_item|previous_page|next_page|ancestors|\bparent\b|\bchildren\b|"
                        r"is_homepage|is_top_level|\bactive\b")


def why_whole(config: MkDocsConfig) -> str | None:
    """Why every page's view must be the whole nav with this theme (None: the derivation holds)."""
    theme = config.theme
    if theme.name != "material":
        return f"the theme is {theme.name!r}, not Material"
    version = _material_version()
    if not version.startswith(MATERIAL_VERSIONS):
        return f"Material {version or '(version unknown)'} is not a version the nav derivation is tested with"
    features = set(theme.get("features") or ())
    if "navigation.prune" not in features:
        return "navigation.prune is off: every page shows the whole nav"
    unknown = sorted(features - FEATURES)
    if unknown:
        return f"the theme feature {unknown[0]} may show more of the nav"
    for folder in _own_template_dirs(config):
        reader = _first_nav_reader(folder)
        if reader is not None:
            return f"{reader} may read the nav"
    return None


def _material_version() -> str:
    try:
        return importlib.metadata.version("mkdocs-material")
    except importlib.metadata.PackageNotFoundError:
        return ""


def _own_template_dirs(config: MkDocsConfig) -> list[str]:
    """The theme's template folders that are not Material's or MkDocs' own (custom_dir)."""
    shipped = tuple(os.path.abspath(folder) + os.sep for name in ("material", "mkdocs")
                    for folder in (getattr(importlib.util.find_spec(name), "submodule_search_locations", None) or ()))
    return [d for d in config.theme.dirs if not (os.path.abspath(d) + os.sep).startswith(shipped)]


def _first_nav_reader(folder: str) -> str | None:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith((".html", ".j2", ".jinja", ".xml")):
                continue
            path = os.path.join(dirpath, name)
            try:
                with open(path, encoding="utf-8", errors="replace") as fh:
                    if _NAV_WORDS.search(fh.read()):
                        return os.path.relpath(path, os.path.dirname(folder))
            except OSError:
                return path
    return None


class NavViews:
    """Each page's view of one build's nav, as a fingerprint; the whole nav when `whole`."""

    def __init__(self, nav: Navigation, whole: bool) -> None:
        self.nav, self.whole = nav, whole
        self._closed: dict[int, Any] = {}  # id(item) -> its closed form
        self._children: dict[int, str] = {}  # id(section) -> fingerprint of its children, closed
        self._place: dict[int, int] = {}  # id(item) -> its index among its parent's children (or the top items)
        self._in_nav: set[int] = set()  # id of every page in the nav
        self._walk(nav.items)

    def _walk(self, items: list[Any]) -> None:
        for n, item in enumerate(items):
            self._place[id(item)] = n
            if isinstance(item, Page):
                self._in_nav.add(id(item))
            elif isinstance(item, Section):
                self._walk(item.children)

    @cached_property
    def whole_nav(self) -> str:
        """Everything every page could show of the nav."""
        nav = self.nav
        return fingerprint("whole", _whole(nav.items), [p.url for p in nav.pages],
                           nav.homepage.url if nav.homepage is not None else None, default=repr)

    @cached_property
    def outside(self) -> str:
        """What a page outside the nav shows of it (every such page the same)."""
        return self.whole_nav if self.whole else fingerprint("outside", self._top)

    @cached_property
    def _top(self) -> str:
        home = self.nav.homepage
        return fingerprint(None if home is None else (home.title, home.url), [self.closed(i) for i in self.nav.items],
                           default=repr)

    def of(self, page: Page) -> str:
        """What `page` shows of the nav."""
        if self.whole:
            return self.whole_nav
        if id(page) not in self._in_nav:
            return self.outside
        way = [(self._place.get(id(section)), self._children_of(section)) for section in reversed(list(page.ancestors))]
        return fingerprint("in nav", self._top, way, _neighbour(page.previous_page), _neighbour(page.next_page))

    def closed(self, item: Any) -> Any:
        """An item as a page that does not hold it shows it (a section pruned to one link)."""
        known = self._closed.get(id(item))
        if known is None:
            known = self._closed[id(item)] = _closed(item)
        return known

    def _children_of(self, section: Any) -> str:  # a Section (`Page.ancestors` is typed loosely)
        known = self._children.get(id(section))
        if known is None:
            known = self._children[id(section)] = fingerprint(section.title, [self.closed(c) for c in section.children],
                                                              default=repr)
        return known


def _closed(item: Any) -> Any:
    if isinstance(item, Section):
        if not item.children:
            return ("empty section", item.title)
        leaf = item.children[0]
        while isinstance(leaf, Section) and leaf.children:  # Material's render_pruned
            leaf = leaf.children[0]
        return ("section", item.title, type(leaf).__name__, getattr(leaf, "url", None))
    if isinstance(item, Page):
        return ("page", item.title, item.url, item.file.src_uri, _shown_meta(item))
    if isinstance(item, Link):
        return ("link", item.title, item.url)
    return ("other", repr(item))


def _shown_meta(page: Page) -> Any:
    """What nav-item.html's render_content shows of a page's meta, and of what plugins set on it."""
    meta = page.meta or {}
    return (meta.get("icon"), meta.get("subtitle"), meta.get("status"),
            getattr(page, "encrypted", None) if meta else None, getattr(page, "typeset", None))


def _neighbour(page: Page | None) -> Any:
    return None if page is None else (page.title, page.url)


def _whole(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, Section):
            out.append(("section", item.title, _whole(item.children)))
        elif isinstance(item, Page):
            out.append(("page", item.title, item.url, item.file.src_uri, _shown_meta(item)))
        else:
            out.append(_closed(item))
    return out
