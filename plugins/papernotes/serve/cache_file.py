"""The files of the serve cache kept on disk (warm_start.py): plain data, checked before use (no MkDocs import).

Every file is a magic line, a one-line JSON header and a body:

    papernotes serve cache\\n
    {"format": 1, "kind": "index", "length": 1234, "crc32": 56789, ...}\\n
    <length bytes>

`read` gives the body back only if the magic, the format, the kind, the length and the CRC-32
of the body are the ones the header states; anything else (a file cut short, a flipped byte,
another version's file) is a `CacheFileError` whose message is the one line a notice shows.
Nothing in a file is ever executed or unpickled: an index is zlib-compressed JSON, a pack is
bytes that the index cuts into values (serve_state.py), each of which is again JSON, UTF-8
text or zlib data. A file put in the cache folder by someone else can at worst be a wrong
cache, which the reader of that folder could make with the notes themselves anyway.

CRC-32 rather than a cryptographic hash: it only has to catch damage, and it reads a 100 MB
pack in a tenth of the time blake2b takes (the start of `serve` waits for it).

`write` is atomic: a temporary file in the same folder, then `os.replace`; a reader sees the
old file or the new one, never half of one. No fsync: after a power cut a file may be
garbage, which the CRC catches (a full build, not a wrong page).
"""

from __future__ import annotations

import contextlib
import json
import os
import zlib
from collections.abc import Sequence
from typing import Any

MAGIC = b"papernotes serve cache\n"
FORMAT = 1  # bumped whenever the layout of a file or of any value in it changes
_MAX_HEADER = 1 << 16
TEMP_MARK = ".tmp-"  # in the name of a file being written


class CacheFileError(Exception):
    """A cache file that cannot be used; the message says why, in a few words."""


def write(path: str, kind: str, body: bytes | Sequence[bytes | memoryview], **meta: Any) -> None:
    """Write `body` (or its pieces, in order: never joined in memory) as a cache file of `kind` at
    `path`, atomically; `meta` joins the header."""
    pieces = [body] if isinstance(body, bytes) else body
    crc = 0
    for piece in pieces:
        crc = zlib.crc32(piece, crc)
    header = json.dumps({"format": FORMAT, "kind": kind, "length": sum(len(p) for p in pieces), "crc32": crc, **meta},
                        separators=(",", ":")).encode("ascii")
    temp = f"{path}{TEMP_MARK}{os.getpid()}"
    try:
        with open(temp, "wb") as fh:
            fh.write(MAGIC)
            fh.write(header + b"\n")
            for piece in pieces:
                fh.write(piece)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def read(path: str, kind: str) -> tuple[dict[str, Any], memoryview]:
    """(header, body) of the cache file of `kind` at `path`; CacheFileError if it cannot be trusted.
    The body is a view of the file as read (a 50 MB pack is not copied again)."""
    name = os.path.basename(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise CacheFileError(f"{name} is missing") from None
    except OSError as exc:
        raise CacheFileError(f"{name} cannot be read ({exc.strerror})") from None
    if not data.startswith(MAGIC):
        raise CacheFileError(f"{name} is not a papernotes cache file")
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + _MAX_HEADER)
    try:
        header = json.loads(data[len(MAGIC):end]) if end > 0 else None
    except ValueError:
        header = None
    if not isinstance(header, dict):
        raise CacheFileError(f"{name} has a damaged header")
    if header.get("format") != FORMAT:
        raise CacheFileError(f"{name} was written by another version of papernotes (format {header.get('format')!r}, "
                             f"this one reads {FORMAT})")
    if header.get("kind") != kind:
        raise CacheFileError(f"{name} is not a {kind}")
    body = memoryview(data)[end + 1:]
    if len(body) != header.get("length"):
        raise CacheFileError(f"{name} is {'cut short' if len(body) < (header.get('length') or 0) else 'too long'}")
    if zlib.crc32(body) != header.get("crc32"):
        raise CacheFileError(f"{name} is damaged (its checksum does not match)")
    return header, body


def write_json(path: str, kind: str, value: Any, **meta: Any) -> None:
    """`value` (plain data: dicts, lists, strings, numbers) as a compressed JSON cache file."""
    write(path, kind, zlib.compress(json.dumps(value, separators=(",", ":")).encode("utf-8", "surrogatepass"), 1), **meta)


def read_json(path: str, kind: str) -> tuple[dict[str, Any], Any]:
    """The header and the value of a file `write_json` wrote."""
    header, body = read(path, kind)
    try:
        return header, json.loads(zlib.decompress(body).decode("utf-8", "surrogatepass"))
    except (zlib.error, ValueError):
        raise CacheFileError(f"{os.path.basename(path)} holds no readable value") from None
