"""Fingerprints: a value's hash by its canonical encoding, so that equal inputs are known equal (pure).

A fingerprint is a hash of a value's canonical encoding: two values with the same
fingerprint make the same output. Every reuse under `mkdocs serve` is decided by comparing
fingerprints (the stores in stores.py keep each result with the fingerprint of what made
it), and the output registry digests each generated page's inputs with it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import struct
from collections.abc import Callable
from typing import Any


def fingerprint(*parts: Any, default: Callable[[Any], Any] | None = None,
                memo: dict[int, tuple[Any, bytes]] | None = None) -> str:
    """A hex digest of `parts` encoded canonically (type-tagged, length-prefixed).

    Takes None, bool, int, float, str, bytes, tuples/lists, dicts (in their order: order
    is output), sets (sorted); anything else goes through `default`, which returns what
    stands for it (one of those) or NotImplemented; then dataclasses go by class and
    fields, and anything else raises TypeError.

    `memo` (id -> (object, digest)) remembers what each object that is not a str, number
    or container hashed to, so an object met on many pages (an entry's view) is hashed
    once. It holds the objects, so no id is reused while it lives: keep one per build.
    """
    out: list[bytes] = []
    _encode(out, parts, default, memo)
    return hashlib.blake2b(b"".join(out), digest_size=20).hexdigest()


def _encode(out: list[bytes], value: Any, default: Callable[[Any], Any] | None,
            memo: dict[int, tuple[Any, bytes]] | None = None) -> None:
    """Append `value`'s canonical encoding to `out` (type tag, length, data)."""
    kind = type(value)
    if kind is str:  # the common exact types first, by identity (cheaper than isinstance)
        data = value.encode("utf-8", "surrogatepass")
        out.append(b"s%d:" % len(data))
        out.append(data)
    elif kind is list or kind is tuple:
        out.append(b"l%d:" % len(value))
        for item in value:
            _encode(out, item, default, memo)
    elif kind is int:
        out.append(b"i%d;" % value)
    elif memo is not None and kind in _MEMO_TYPES:
        known = memo.get(id(value))
        if known is None:
            inner: list[bytes] = []
            _encode(inner, value, default, None)
            known = memo[id(value)] = (value, hashlib.blake2b(b"".join(inner), digest_size=20).digest())
        out.append(b"m")
        out.append(known[1])
    elif isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        out.append(b"s%d:" % len(data))
        out.append(data)
    elif isinstance(value, (tuple, list)):
        out.append(b"l%d:" % len(value))
        for item in value:
            _encode(out, item, default, memo)
    elif value is None:
        out.append(b"N")
    elif isinstance(value, bool):
        out.append(b"T" if value else b"F")
    elif isinstance(value, int):
        out.append(b"i%d;" % value)
    elif isinstance(value, dict):
        out.append(b"d%d:" % len(value))
        for key, item in value.items():
            _encode(out, key, default, memo)
            _encode(out, item, default, memo)
    elif isinstance(value, float):
        out.append(b"f" + struct.pack("<d", value))
    elif isinstance(value, bytes):
        out.append(b"b%d:" % len(value))
        out.append(value)
    elif isinstance(value, (set, frozenset)):
        items = sorted(fingerprint(item, default=default) for item in value)
        out.append(b"S%d:" % len(items))
        out.append("".join(items).encode())
    elif memo is not None:
        _MEMO_TYPES.add(kind)
        _encode(out, value, default, memo)
    else:
        projected = NotImplemented if default is None else default(value)
        if projected is not NotImplemented:
            _encode(out, (type(value).__qualname__, projected), default)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            _encode(out, type(value).__qualname__, default)
            _encode(out, [getattr(value, f.name) for f in dataclasses.fields(value)], default)
        else:
            raise TypeError(f"cannot fingerprint a {type(value).__name__}")


# Types found to need the memo (anything but str, numbers, containers): dispatched early next time.
_MEMO_TYPES: set[type] = set()
