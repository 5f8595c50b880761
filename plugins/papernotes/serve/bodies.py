"""Generated pages' bodies (and generated files' texts), made again only when what they are made of changed.

A body is known unchanged by its dependency digest where its output declares one
(`outputs.Output.digest`: its inputs are then not even computed), else by the fingerprint
of its registry inputs (`outputs.Output.inputs`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from papernotes.serve.fingerprints import fingerprint
from papernotes.serve.stores import Store


class GeneratedBodies:
    """Bodies by fingerprint, in the cache's `bodies` store; `digest_of(src)` gives the dependency
    digest a page was given this build, if any (settled_pages.py records them)."""

    def __init__(self, bodies: Store[str], digest_of: Callable[[str], str | None]) -> None:
        self.bodies = bodies
        self._digest_of = digest_of
        self._memo: dict[int, tuple[Any, bytes]] = {}  # fingerprints of objects met on many pages, this build

    def body(self, src: str, inputs: Callable[[], Any], render: Callable[[], str],
             default: Callable[[Any], Any], depends: Callable[[], str] | None = None) -> str:
        """on_page_content: a generated page's body (on_files: a generated file's text)."""
        if depends is not None:
            digest = self._digest_of(src) or depends()
            fp = f"depends:{digest}"
        else:
            fp = fingerprint(inputs(), default=default, memo=self._memo)
        html = self.bodies.get(src, fp)
        if html is None:
            html = render()
            self.bodies.put(src, fp, html)
        return html

    def forget_memo(self) -> None:
        """The memo holds the objects it hashed (so their ids stay unique): one build's only."""
        self._memo = {}
