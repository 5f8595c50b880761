"""Site URLs: the URL MkDocs gives a page, and links between pages made relative.

Generated pages link to notes, authors and tags by relative URLs, as MkDocs writes
its own, so the site works under any prefix and from `file://`. These follow
MkDocs' rules without importing MkDocs (`tests/unit/index/test_library.py` and
`tests/unit/render/test_render_speedups.py` pin them).
"""

from __future__ import annotations

import functools
import posixpath


@functools.lru_cache(maxsize=1 << 16)  # pure; every rebuild asks again for every author and tag page
def src_to_url(src_uri: str, use_directory_urls: bool) -> str:
    """The URL MkDocs gives a Markdown page (mirrors mkdocs.structure.files.File)."""
    parent, filename = posixpath.split(src_uri)
    stem = posixpath.splitext(filename)[0]
    if not use_directory_urls or stem in ("index", "README"):
        dest = posixpath.join(parent, ("index" if stem == "README" else stem) + ".html")
    else:
        dest = posixpath.join(parent, stem, "index.html")
    if use_directory_urls and posixpath.basename(dest) == "index.html":
        dest = dest[: -len("index.html")]
    return dest or "./"


def relative_url(url: str, base: str) -> str:
    """`url` as seen from the page at `base` (same semantics as mkdocs.utils.get_relative_url)."""
    path, _, fragment = url.partition("#")
    # posixpath.relpath, without its abspath/commonprefix overhead: called for every link of every
    # generated page, it was a large share of the plugin's time on big libraries.
    target = _parts(path) if path not in ("", "./") else ()
    start = _base_parts(base)
    common = 0
    for a, b in zip(target, start, strict=False):
        if a != b:
            break
        common += 1
    rel = "/".join(("..",) * (len(start) - common) + target[common:]) or "."
    if path.endswith("/") or path in ("", "./"):
        rel = rel.rstrip("/") + "/" if rel != "." else "./"
    return rel + ("#" + fragment if fragment else "")


def depth_base(url: str) -> str:
    """A stand-in base for every page as deep as the page at `url`.

    A link made relative to it climbs to the site root and back down (`../../authors/b/`
    from any `authors/a/` or `tags/c/`), so it reaches its target from each of those pages:
    an entry's row, or a link to an author, is made once for all of them, not once per page.
    """
    return _NOWHERE_DIR * len(_base_parts(url))


_NOWHERE_DIR = "\x00/"  # a folder no site path contains: links from it never shortcut through it


@functools.lru_cache(maxsize=1 << 16)
def _base_parts(base: str) -> tuple[str, ...]:
    """Folder components of the page at `base` (`a/b.html` is in `a`, `a/b/` is `a/b`)."""
    if base != ".":
        head, tail = posixpath.split(base)
        base = head if "." in tail else base
    return _parts(base)


@functools.lru_cache(maxsize=1 << 16)  # pure; the same few thousand page URLs come back on every page
def _parts(path: str) -> tuple[str, ...]:
    """Components of a site path, normalised as posixpath.relpath does (`a/./b/../c` -> ("a", "c"))."""
    return tuple(p for p in posixpath.normpath("/" + path).split("/") if p)
