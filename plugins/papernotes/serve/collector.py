"""Python's cyclic garbage collector kept off the whole heap while a build runs (no MkDocs import).

A build allocates millions of small objects and keeps most of them until it ends, so the
collector's automatic full collections find little garbage but scan an ever larger heap:
under `mkdocs serve` at 4x, a quarter of a rebuild's CPU time was collection (about 650 runs,
5 of them over the whole heap), charged by profilers to whatever function happened to
allocate (a dict lookup like `Library.added` looked slow).

So, for the length of a build: one full collection first, which frees the build before
(MkDocs' pages and files point at each other, so only the collector frees them; a full
collection is what freed them before too, in the middle of the next build); then young
objects are collected every `YOUNG` allocations instead of 700, which keeps the cycles a
build makes and drops (Markdown and Jinja leave some) from piling up, and no full
collection runs until the build ends. Measured at 4x: rebuild CPU -15%, peak RSS +7%; with
the collector off instead, peak RSS was +57%. The host's thresholds are restored after; a
collector the host turned off stays off.

Under `mkdocs serve` that full collection need not wait for the next save: `resume(idle=...)`
runs it on a timer thread once the build has ended and the browsers have reloaded (at 16x it
is 0.4 s that a save no longer waits for); a build that starts first cancels it and collects
itself, as before. The host's thresholds come back only after that collection: restored at
the end of the build, they would start a full collection at once (the middle generation ran
more than `threshold2` times during the build), before the browsers reload.

A rebuild under `mkdocs serve` that reuses the cache goes further (`hold`, from on_config): no
automatic collection at all until it ends, for garbage the idle collection frees anyway.
`python bench/rebuild_phases.py --kind priority --rounds 12 --hold alternate` (16x): the
rebuilds not held ran 47-49 young and 2 middle collections, 0.20-0.26 s; the median rebuild was
2.14 s held against 2.46 s not (bench/RESULTS.md, session 11). A first build, or
one after the environment changed, makes everything and keeps the build thresholds.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
from collections.abc import Callable

YOUNG = 10_000  # allocations between collections of the youngest objects (Python's default: 700)
THRESHOLDS = (YOUNG, 20, 100)  # the middle generation every 20 of those; the whole heap practically never
HELD = (0, 20, 100)  # a rebuild that reuses the last build's work: no automatic collection (threshold 0)


def _malloc_trim() -> Callable[[], object] | None:
    """glibc's `malloc_trim(0)`, which hands the heap's free pages back to the system (None elsewhere)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return lambda: trim(0)


_TRIM = _malloc_trim()


def trim() -> None:
    """The heap's free pages handed back to the system (after a save of the serve cache, whose
    encoded values are garbage once written)."""
    if _TRIM is not None:
        _TRIM()


def collect() -> None:
    """A full collection, then the freed memory given back to the system: a build frees most of
    what the one before made, and without this the process keeps its high-water mark (RSS grew
    with each rebuild's fragments of free heap, not with live objects: tracemalloc shows none)."""
    gc.collect()
    if _TRIM is not None:
        _TRIM()


class Pause:
    """`pause()` in on_config, `resume()` in on_post_build and on_build_error."""

    def __init__(self) -> None:
        self.saved: tuple[int, int, int] | None = None  # the host's thresholds while a build runs
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._collected = False  # the idle collection ran since the last build

    def pause(self) -> None:
        """on_config: the build thresholds (`THRESHOLDS`), after a full collection unless the idle one ran."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            collected, self._collected = self._collected, False
        if self.saved is None and not gc.isenabled():
            return
        if not collected:
            collect()
        if self.saved is None:  # else the last build's idle collection never ran: still paused
            self.saved = gc.get_threshold()
        gc.set_threshold(*THRESHOLDS)  # (a held build before may have left HELD)

    def hold(self) -> None:
        """After `pause`, for a build that reuses most of the last one (a rebuild under `serve`): no
        automatic collection at all until it ends. It makes little, and the garbage it leaves
        (cycles among Markdown's and Jinja's objects) is freed by the full collection after it
        (the idle one, or the next build's first step)."""
        if self.saved is not None:
            gc.set_threshold(*HELD)

    def resume(self, idle: float | None = None) -> None:
        """Back to the host's thresholds; with `idle` (seconds), the next build's full collection
        runs that long after this one ends, unless a build starts first, and the thresholds come
        back after it."""
        if self.saved is None:
            return
        if idle is None or not gc.isenabled():
            self._restore()
            return
        with self._lock:
            self._timer = threading.Timer(idle, self._collect_idle)
            self._timer.daemon = True
            self._timer.start()

    def _restore(self) -> None:
        if self.saved is not None:
            gc.set_threshold(*self.saved)
            self.saved = None

    def _collect_idle(self) -> None:
        with self._lock:
            if self._timer is None:  # cancelled: a build has started
                return
            self._timer = None
            collect()
            self._restore()  # after the collection, which leaves nothing for the host's thresholds to start
            self._collected = True
