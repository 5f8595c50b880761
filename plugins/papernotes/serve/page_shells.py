"""Many pages of one kind through the theme at the cost of one: a proven shell, filled in.

The theme's HTML for an author's or a tag's page differs from its neighbour's only where the
page's own values go: its title, its URL's last segment, its heading's anchor and its body.
When a rename or a new note changes hundreds of such pages at once, rendering the theme's
templates for each (~8 ms a page with Material) is most of the rebuild. So pages that show
the same of everything else (a `group`: the same nav view, folder, meta but for the title,
date and edit link) get one *shell*: the theme's output with the page's values cut out, each
page's HTML is the shell with its own values put back.

A shell is never trusted on its form alone. For each group, each build:

1. the theme renders the group's first page's context twice more with a *probe* in place of
   the page: once with plain tokens for the four values, once with hard ones (markup,
   entities, quotes, braces, non-ASCII letters, percent escapes, a long title). The hard
   render must be the plain one with each token swapped: the templates then print each value
   as it is, wherever they print it, whatever it holds;
2. the group's first two pages are rendered by the theme as usual, and each must equal its
   shell filled in, byte for byte.

Only then does a later page of the group get its filled shell; on any mismatch the group's
pages are all rendered by the theme (`failed` says why). Only pages with the form shells
assume are grouped: out of the nav, not linked from it, no template of their own, no edit
link, a TOC of their `<h1>` alone (as generated pages have), a title the same in meta and page.
tests/serve/test_page_shells.py shows each check catching a theme that would break it.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from papernotes.serve.fingerprints import fingerprint

SHELL_TEMPLATE = "papernotes/shell-page.html"
THEME_TEMPLATE = "main.html"  # what MkDocs renders a page with when its meta names no template
MIN_GROUP = 4  # fewer pages to render than this: the probes would cost more than they save
VERIFIED_BY = 2  # pages of a group rendered by the theme and matched before its shell is used
SLOTS = ("title", "slug", "anchor", "content")
# The probes' values: plain, then hard (what a template that escapes, strips, quotes, shortens or
# re-encodes a value would print differently). The content keeps an `<h1>`: Material adds one
# when the content has none.
PLAIN = {"title": "PnShellTitleQ", "slug": "pnshellslugq", "anchor": "pnshellanchorq",
         "content": "<h1>PnShellContentQ</h1>"}
HARD = {"title": "PnShellTitleZ &amp; &lt;b&gt; \"q\" 'a' {{ x }} {% y %} % é 漢 😀 " + "long " * 60,
        "slug": "pnshellslugz-%C3%A9-%E6%BC%A2_x.y~",
        "anchor": "pnshellanchorz-é-漢_x",
        "content": '<h1 id="z">PnShellContentZ &amp; {{ x }} {% y %} é 漢</h1>\n<p a="\'">"</p>'}


@dataclass
class _Group:
    """One group's shell, this build: None until the probes ran; `pieces` between the slots."""

    pieces: list[str] | None = None
    slots: list[str] = field(default_factory=list)  # the slot after each piece but the last
    matched: int = 0  # pages rendered by the theme that equalled their filled shell
    failed: str | None = None  # why this group's pages are rendered by the theme

    @property
    def proven(self) -> bool:
        return self.failed is None and self.pieces is not None and self.matched >= VERIFIED_BY


class PageShells:
    """The groups of this build and their shells (`plan` picks the pages, `install` the template)."""

    def __init__(self) -> None:
        self._group_of: dict[str, str] = {}  # src_uri -> group key, pages that go through a shell
        self._groups: dict[str, _Group] = {}
        self.filled = 0  # pages made from a proven shell, this build

    def begin(self) -> None:
        self._group_of, self._groups, self.filled = {}, {}, 0

    def plan(self, pages: list[tuple[Page, str]], nav_urls: set[str], dated: bool) -> None:
        """on_env, for the pages whose theme output must be made (each with its nav view): those
        of a group with at least MIN_GROUP of them get the shell template."""
        members: dict[str, list[Page]] = {}
        for page, view in pages:
            key = _group_key(page, view, nav_urls, dated)
            if key is not None:
                members.setdefault(key, []).append(page)
        for key, group in members.items():
            if len(group) < MIN_GROUP:
                continue
            self._groups[key] = _Group()
            for page in group:
                page.meta["template"] = SHELL_TEMPLATE
                self._group_of[page.file.src_uri] = key

    def install(self, env: Environment) -> None:
        """on_env, last: the shell template (its loader entry is ThemePass.install's)."""
        @pass_context
        def shell(context: Context) -> Markup:
            return self._html(context)

        env.globals["papernotes_shell"] = shell

    @property
    def failed(self) -> dict[str, str]:
        """Why each group that could not use its shell could not, this build."""
        return {k: g.failed for k, g in self._groups.items() if g.failed is not None}

    def _html(self, context: Context) -> Markup:
        page = context["page"]
        group = self._groups[self._group_of[page.file.src_uri]]
        values = _values(page)
        if group.proven and values is not None:
            self.filled += 1
            return Markup(_fill(group, values))
        env = context.environment
        variables = context.get_all()
        html = env.get_template(THEME_TEMPLATE).render(variables)
        if group.failed is None:
            if group.pieces is None:
                _probe(group, env, variables, page)
            if group.failed is None and group.pieces is not None:
                if values is not None and _fill(group, values) == html:
                    group.matched += 1
                else:
                    group.failed = f"{page.file.src_uri}: the theme's page is not its shell filled in"
        return Markup(html)


def _group_key(page: Page, view: str, nav_urls: set[str], dated: bool) -> str | None:
    """The group of a page that can be made from a shell (None: it cannot)."""
    if "template" in page.meta or page.edit_url is not None or page.url in nav_urls or page.is_homepage:
        return None
    if _values(page) is None:
        return None
    folder = posixpath.dirname(page.url.rstrip("/"))
    meta = {k: v for k, v in page.meta.items() if k != "title"}
    return fingerprint(view, folder, page.file.dest_uri.count("/"), meta, page.update_date if dated else None,
                       page.canonical_url is None, default=repr)


def _values(page: Page) -> dict[str, str] | None:
    """The page's values for the slots (None: it has not the form a shell assumes)."""
    url, title, toc, content = page.url, page.meta.get("title"), list(page.toc), page.content
    if not (isinstance(title, str) and page.title == title and isinstance(content, str) and "<h1" in content):
        return None
    if len(toc) != 1 or toc[0].level != 1 or toc[0].children or toc[0].title != title:
        return None
    if not url.endswith("/") or url.count("/") < 2 or "%" in url.rsplit("/", 2)[0]:
        return None
    if page.canonical_url is not None and not page.canonical_url.endswith(url):
        return None
    return {"title": title, "slug": url.rsplit("/", 2)[1], "anchor": toc[0].id, "content": content}


class _Probe:
    """The page, with the slots' values replaced (everything else read from the page)."""

    def __init__(self, page: Page, values: dict[str, str]) -> None:
        self._page = page
        self.title = values["title"]
        self.meta = {**page.meta, "title": values["title"]}
        self.content = values["content"]
        self.toc = get_toc([{"level": 1, "id": values["anchor"], "name": values["title"], "children": []}])
        self.url = page.url.rsplit("/", 2)[0] + "/" + values["slug"] + "/"
        base = None if page.canonical_url is None else page.canonical_url[: len(page.canonical_url) - len(page.url)]
        self.canonical_url = None if base is None else base + self.url
        self.abs_url = None if page.abs_url is None else page.abs_url[: len(page.abs_url) - len(page.url)] + self.url

    def __getattr__(self, name: str) -> Any:
        return getattr(self._page, name)


def _probe(group: _Group, env: Environment, variables: dict[str, Any], page: Page) -> None:
    """The shell of `page`'s group, from two probe renders; `failed` if they do not agree."""
    template = env.get_template(THEME_TEMPLATE)
    try:
        plain = template.render({**variables, "page": _Probe(page, PLAIN)})
        hard = template.render({**variables, "page": _Probe(page, HARD)})
    except Exception as error:  # a theme that cannot render a probe gets no shell, and the build goes on
        group.failed = f"the theme could not render a probe: {error!r}"
        return
    tokens = {v: k for k, v in PLAIN.items()}
    parts = re.split("(" + "|".join(re.escape(t) for t in tokens) + ")", plain)
    pieces, slots = parts[0::2], [tokens[t] for t in parts[1::2]]
    if "content" not in slots:
        group.failed = "the theme does not print a page's content as given"
    elif _join(pieces, slots, HARD) != hard:
        group.failed = "the theme changes a page's value before printing it"
    else:
        group.pieces, group.slots = pieces, slots


def _fill(group: _Group, values: dict[str, str]) -> str:
    assert group.pieces is not None
    return _join(group.pieces, group.slots, values)


def _join(pieces: list[str], slots: list[str], values: dict[str, str]) -> str:
    out = [pieces[0]]
    for slot, piece in zip(slots, pieces[1:], strict=True):
        out.append(values[slot])
        out.append(piece)
    return "".join(out)
