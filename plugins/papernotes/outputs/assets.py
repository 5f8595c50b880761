"""The package's own stylesheet and scripts (`render/assets/`), copied into the site as they are.

This module declares the two every page loads: the stylesheet and the Cite control's script
(the plugin adds them to `extra_css` and `extra_javascript`). The explorer's script, address
guard and stylesheet are declared with the explorer, whose files they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources import files as package_files

from papernotes.outputs.paths import CITE_JS_URI, CSS_URI
from papernotes.outputs.registry import FILE, BuildContext, Output, declare


def package_file(uri: str) -> Output:
    """The file of `render/assets/` named like the last part of `uri`, copied to `uri`."""
    return Output(uri, FILE, abs_src_path=str(package_files("papernotes.render") / "assets" / uri.rsplit("/", 1)[1]))


@declare
def stylesheet_and_script(build: BuildContext) -> Iterable[Output]:
    yield package_file(CSS_URI)
    yield package_file(CITE_JS_URI)
