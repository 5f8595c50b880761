"""Results of slow pure functions, kept from one `mkdocs serve` process to the next.

`@kept("name")` goes under a function's `functools.lru_cache`: the first call with some
arguments in a process reaches it, and it answers from the results a previous process left
(`load`, by the warm start: serve/serve_state.py) before computing. Parsing 20,000 author
names with nameparser, transliterating them and comparing their spellings is a second of
every cold start at 16x, the same second every time.

Only for pure functions of strings, numbers and tuples of them, whose results are of the same
kinds (and None, booleans): JSON keeps those exactly, once lists are read back as tuples. Only
used where the function's code is in what the cache records (the plugin's code and the
installed packages), so that a changed function is never answered from an old table.
Imports nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_MISSING: Any = object()


class Kept:
    """One function's results by arguments: computed in this process (`made`) and left by the last (`known`)."""

    def __init__(self, function: Callable[..., Any], limit: int) -> None:
        self.function, self.limit = function, limit
        self.made: dict[tuple[Any, ...], Any] = {}
        self.known: dict[tuple[Any, ...], Any] = {}
        self.changed = False  # results made since the last `saved`

    def __call__(self, *args: Any) -> Any:
        result = self.known.pop(args, _MISSING)
        if result is _MISSING:
            result = self.function(*args)
            self.changed = True
        if len(self.made) >= self.limit:  # as bounded as the lru_cache above it: the older half goes
            for key in list(self.made)[: self.limit // 2]:
                del self.made[key]
        self.made[args] = result
        return result


KEPT: dict[str, Kept] = {}  # by name: the functions whose results outlive the process


def kept(name: str, limit: int = 1 << 17) -> Callable[[F], F]:
    """Decorator: `function`'s results kept for the next process under `name`."""

    def wrap(function: F) -> F:
        memo = KEPT[name] = Kept(function, limit)
        return functools.update_wrapper(memo, function)  # type: ignore[return-value]  # the wrapper has the function's signature

    return wrap


def export() -> dict[str, list[list[Any]]]:
    """The results this process asked for, each kept function's as JSON-ready rows [*arguments,
    result] (what the last process left and this one never asked for is not carried on)."""
    return {name: [[*args, result] for args, result in list(memo.made.items())] for name, memo in KEPT.items()}


def changed() -> bool:
    """Whether any kept function made a result since the last `saved`."""
    return any(memo.changed for memo in KEPT.values())


def saved() -> None:
    """What `export` gave is on disk."""
    for memo in KEPT.values():
        memo.changed = False


def load(tables: dict[str, list[list[Any]]]) -> int:
    """Results a previous process exported, for the functions of the same names; how many."""
    count = 0
    for name, rows in tables.items():
        memo = KEPT.get(name)
        if memo is None:
            continue
        known = memo.known = {}
        for row in rows:
            args, result = row[:-1], row[-1]
            known[tuple(map(_frozen, args)) if list in map(type, args) else tuple(args)] = (
                _frozen(result) if type(result) is list else result)
        count += len(rows)
    return count


def forget() -> None:
    """Results of the last process are not to be used (the cache they came with was not)."""
    for memo in KEPT.values():
        memo.known = {}


def _frozen(value: Any) -> Any:
    return tuple(_frozen(v) for v in value) if isinstance(value, list) else value
