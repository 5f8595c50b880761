"""Markdown extension: every heading's id exactly as GitHub makes it, repeats included.

Python-Markdown's toc de-duplicates repeated headings as `x_1`, `x_2`; GitHub as
`x-1`, `x-2` (github-slugger), and links written on GitHub use those. This runs
after attr_list (an explicit `{: #id }` wins, as the plugin's entry headings use)
and before toc, which keeps ids it finds. The plugin adds it; the slug function is
toc's own (`pymdownx.slugs.slugify`, GitHub-compatible, in mkdocs.yml).
"""

from __future__ import annotations

import html
import re
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.toc import remove_fnrefs, render_inner_html, strip_tags
from markdown.treeprocessors import Treeprocessor
from pymdownx.slugs import slugify

from papernotes.notes.slugs import github_unique

_HEADING = re.compile(r"[Hh][123456]")
_default_slugify = slugify(case="lower")


class GitHubIds(Treeprocessor):
    def run(self, root: Element) -> None:
        toc = self.md.treeprocessors["toc"] if "toc" in self.md.treeprocessors else None  # noqa: SIM401 (a Registry has no .get)
        slug = getattr(toc, "slugify", None) or _default_slugify
        sep = getattr(toc, "sep", "-")
        occurrences = {el.attrib["id"]: 0 for el in root.iter() if "id" in el.attrib}
        for el in root.iter():
            if isinstance(el.tag, str) and _HEADING.fullmatch(el.tag) and "id" not in el.attrib:
                name = strip_tags(render_inner_html(remove_fnrefs(el), self.md))
                el.attrib["id"] = github_unique(slug(html.unescape(name), sep), occurrences)


class GitHubIdsExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After attr_list (8), before toc (5).
        md.treeprocessors.register(GitHubIds(md), "papernotes_github_ids", 6)


def makeExtension(**kwargs: Any) -> GitHubIdsExtension:
    return GitHubIdsExtension(**kwargs)
