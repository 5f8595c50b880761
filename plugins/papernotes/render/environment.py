"""The Jinja environment of the package's templates (`templates/*.html`), one per build.

Every value from a note goes through Jinja's autoescaping. Generated HTML links relative to
the page it is on (the `rel` filter), so the site works from any base URL and from `file://`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from papernotes.index.urls import depth_base, relative_url
from papernotes.serve.stores import CompiledTemplates, Fragments

_COMPILED = CompiledTemplates()  # the package's templates, compiled once per process (a Templates is made every build)


def _compact(markup: str) -> str:
    """Drop blank lines: a blank line would end a raw HTML block in Markdown."""
    return "\n".join(line for line in markup.splitlines() if line.strip())


class Templates:
    """The templates of one build, with the `rel` filter and the `list_items` global.

    `globals`: more functions templates call (the renderer's `rows_html`). `fragments`: where
    `list_items` keeps the items it made, by what they show.
    """

    def __init__(self, fragments: Fragments, **globals: Callable[..., Any]) -> None:
        self.fragments = fragments
        # auto_reload off: templates are package data, and a Templates lives for one build only;
        # otherwise every render stats the template files again.
        self.env = Environment(loader=PackageLoader("papernotes.render", "templates"), autoescape=True, auto_reload=False,
                               trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined,
                               bytecode_cache=_COMPILED)
        self.env.filters["rel"] = self.rel
        self.env.globals.update(globals, list_items=self.list_items)
        self.macros: Any = self.env.get_template("macros.html").module  # `row`, `coauthor`, ...: called per item
        self._depths: dict[str, str] = {}  # page URL -> its depth_base
        self._links: dict[tuple[str, str], str] = {}  # (URL, depth_base) -> relative link

    def html(self, template: str, **context: Any) -> str:
        """Markup to put into Markdown: without blank lines, which would end a raw HTML block."""
        return _compact(self.body(template, **context))

    def body(self, template: str, **context: Any) -> str:
        """Markup that goes into the page after Markdown (a generated page's body)."""
        return self.env.get_template(template).render(**context)

    def depth(self, base: str) -> str:
        """`depth_base` of the page at `base`, remembered."""
        depth = self._depths.get(base)
        if depth is None:
            depth = self._depths[base] = depth_base(base)
        return depth

    def rel(self, url: str, base: str) -> str:
        """`url` from the page at `base`, made from its `depth_base`: the same link serves every
        page as deep, so it is computed once per depth."""
        key = (url, self.depth(base))
        link = self._links.get(key)
        if link is None:
            link = self._links[key] = relative_url(*key)
        return link

    def list_items(self, macro: str, items: list[tuple[Any, ...]]) -> Markup:
        """List items made by the `macros.html` macro `macro`, one per argument tuple of `items`,
        each remembered by its macro and arguments (`fragments`): a long list changes by a few
        items from one rebuild to the next."""
        make = getattr(self.macros, macro)
        return Markup("".join([f"{self.fragments.get((macro, *a), partial(make, *a))}\n" for a in items]))
