"""Small sites in tmp_path: `write_site` lays one out, `build` runs a real MkDocs build of it in this process."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import yaml


@dataclass
class Site:
    root: Path
    site_dir: Path
    messages: list[tuple[int, str]] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [m for level, m in self.messages if level >= logging.WARNING]

    def read(self, path: str) -> str:
        return (self.site_dir / path).read_text(encoding="utf-8")

    def page(self, src: str) -> str:
        """HTML of a page by its source path (`note.md`), whatever use_directory_urls is."""
        stem = src[:-3]
        for candidate in (f"{stem}/index.html", f"{stem}.html", f"{stem.rsplit('/', 1)[0]}/index.html" if stem.endswith("/index") else ""):
            if candidate and (self.site_dir / candidate).is_file():
                return self.read(candidate)
        raise FileNotFoundError(src)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.getMessage()))


def write_site(root: Path, docs: dict[str, str | bytes], *, plugin: dict | None = None,
               config: dict | None = None, assets: dict[str, bytes] | None = None, theme: str = "material") -> Path:
    """Lay out mkdocs.yml, docs/ and assets/ under `root`."""
    cfg = {
        "site_name": "Test notes",
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": {"name": theme, **({"font": False} if theme == "material" else {})},
        "plugins": ["search", {"papernotes": plugin or {}}],
        "markdown_extensions": ["attr_list", "md_in_html", "toc"],
    }
    cfg.update(config or {})
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    for name, content in docs.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    (root / "docs").mkdir(exist_ok=True)
    for name, data in (assets or {}).items():
        path = root / "assets" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def build(root: Path, **overrides) -> Site:
    """Run a real MkDocs build of `root/mkdocs.yml` in-process, capturing log messages."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    handler = _Capture()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        cfg = load_config(config_file=str(root / "mkdocs.yml"), **overrides)
        mkdocs_build(cfg)
    finally:
        logger.removeHandler(handler)
    return Site(root=root, site_dir=Path(cfg.site_dir), messages=handler.records)
