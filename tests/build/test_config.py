"""Plugin options: paths can never point outside the project or the site."""

from __future__ import annotations

import pytest
from mkdocs.config.base import ValidationError
from papernotes.mkdocs_plugin.config import SafePath


@pytest.mark.parametrize("value", ["../x", "/etc", "a/../../b", "..", ".", ""])
def test_unsafe_paths_are_refused(value):
    with pytest.raises(ValidationError):
        SafePath("x").run_validation(value)


@pytest.mark.parametrize(("value", "expected"), [("tags", "tags"), ("a/b/", "a/b"), ("./people", "people"), ("x/../y.md", "y.md")])
def test_safe_paths_are_normalised(value, expected):
    assert SafePath("x").run_validation(value) == expected


def test_custom_folders_are_used(make_site):
    site = make_site({"n.md": "### [!] [X] T\n_Ada_\n"}, plugin={"authors_dir": "people", "tags_dir": "topics", "must_read": "top.md"})
    assert (site.site_dir / "people/ada/index.html").is_file() and (site.site_dir / "topics/x/index.html").is_file()
    assert "Must-read" in site.page("top.md")
    assert 'href="../people/ada/"' in site.page("n.md")


def test_invalid_option_is_a_config_error_not_a_traceback(tmp_path):
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort
    from support.sites import write_site

    root = write_site(tmp_path / "p", {"n.md": "x"}, plugin={"authors_dir": "../../outside"})
    with pytest.raises(Abort):
        load_config(config_file=str(root / "mkdocs.yml"))
