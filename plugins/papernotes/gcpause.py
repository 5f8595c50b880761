"""Python's cyclic garbage collector paused for the length of one build (no MkDocs import).

A build allocates millions of small objects (tuples, Markup strings, MkDocs pages) and keeps
most of them until it ends, so the collector's automatic runs find little garbage but scan an
ever larger heap: under `mkdocs serve` at 4x, a quarter of a rebuild's CPU time was collection
(700 collections, 5 of them of the whole heap), charged by profilers to whatever function
happened to allocate (a dict lookup like `Library.added` looked slow). Paused, the build runs
without them and one full collection at the end frees the cycles it left (MkDocs' pages and
files point at each other), so memory across the rebuilds of one process stays bounded.
Reference counting frees everything else as usual. A collector the host had turned off stays off.
"""

from __future__ import annotations

import gc


class Pause:
    """`pause()` in on_config, `resume()` in on_post_build and on_build_error."""

    def __init__(self) -> None:
        self.paused = False

    def pause(self) -> None:
        if gc.isenabled():
            gc.disable()
            self.paused = True

    def resume(self) -> None:
        """Turn the collector back on (if this paused it) and free what the build left in cycles."""
        if self.paused:
            self.paused = False
            gc.enable()
            gc.collect()
