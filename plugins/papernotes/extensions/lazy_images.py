"""Markdown extension: `loading="lazy"` on every image.

A note with dozens of figures would otherwise fetch all of them before the reader
scrolls. Registered in mkdocs.yml as `papernotes.extensions.lazy_images`. An image that sets its
own `loading` (attr_list: `![](x.png){ loading=eager }`) keeps it.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor


class LazyImages(Treeprocessor):
    def run(self, root: Element) -> None:
        for img in root.iter("img"):
            img.attrib.setdefault("loading", "lazy")


class LazyImagesExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # Below attr_list (priority 8), so an explicit `{ loading=... }` is already in place.
        md.treeprocessors.register(LazyImages(md), "papernotes_lazy_images", 5)


def makeExtension(**kwargs: Any) -> LazyImagesExtension:
    return LazyImagesExtension(**kwargs)
