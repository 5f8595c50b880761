"""The aliases file (`aliases.yml`): which spellings of an author or a tag are one.

Read once per build by the plugin and once per run by the CLI (`load_aliases`);
problems with the file are `aliases` diagnostics, never exceptions. The checks
suggest lines for this file, written as it reads them (`merge_advice`, `yaml_key`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from papernotes.index.names import name_key
from papernotes.notes.grammar import is_safe_url
from papernotes.notes.model import Diagnostic
from papernotes.notes.source import yaml_error_position

_PLAIN_KEY = re.compile(r"[^\s:#\[\]{},&*!|>'\"%@`-][^:#\[\]{},]*")  # a YAML plain scalar that needs no quotes


@dataclass
class Aliases:
    """Merges of author and tag spellings, loaded from the aliases YAML file."""

    authors: dict[str, str] = field(default_factory=dict)  # name_key(variant) -> canonical name
    homepages: dict[str, str] = field(default_factory=dict)  # name_key(canonical) -> URL
    tags: dict[str, str] = field(default_factory=dict)  # name_key(variant) -> canonical tag
    venues: list[str] = field(default_factory=list)  # names that are venues even where written without a year
    qualifiers: list[str] = field(default_factory=list)  # words read as a venue's qualifier without a notice

    @classmethod
    def from_yaml(cls, text: str, path: str) -> tuple[Aliases, list[Diagnostic]]:
        """Parse the aliases file; problems become diagnostics, never exceptions."""
        aliases, problems = cls(), []

        def bad(message: str, line: int = 1) -> None:
            problems.append(Diagnostic(path, line, 1, "warning", "aliases", message))

        try:
            data: Any = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            position = yaml_error_position(exc)
            bad(f"not valid YAML: {getattr(exc, 'problem', exc)}", position[0] if position is not None else 1)
            return aliases, problems
        if not isinstance(data, dict):
            bad("expected a mapping with 'authors' and/or 'tags'")
            return aliases, problems
        for name, spec in (data.get("authors") or {}).items():
            canonical = str(name)
            if isinstance(spec, list):
                spec = {"aliases": spec}
            if not isinstance(spec, dict):
                bad(f"authors.{canonical}: expected a list of aliases or a mapping")
                continue
            for variant in spec.get("aliases") or []:
                aliases.authors[name_key(str(variant))] = canonical
            homepage = spec.get("homepage")
            if homepage:
                if is_safe_url(str(homepage)):
                    aliases.homepages[name_key(canonical)] = str(homepage)
                else:
                    bad(f"authors.{canonical}: homepage is not a safe http(s) URL: {homepage!r}")
        for name, variants in (data.get("tags") or {}).items():
            if not isinstance(variants, list):
                variants = [variants]
            for variant in variants:
                aliases.tags[name_key(str(variant))] = str(name)
        for key in ("venues", "qualifiers"):
            names = data.get(key) or []
            if isinstance(names, str):
                names = [names]
            if not isinstance(names, list) or any(isinstance(n, (dict, list)) for n in names):
                bad(f"{key}: expected a list of names, e.g. {key}: [{'Nature Methods' if key == 'venues' else 'Methods'}]")
                continue
            getattr(aliases, key).extend(" ".join(str(n).split()) for n in names if str(n).strip())
        return aliases, problems

    def author(self, name: str) -> str:
        return self.authors.get(name_key(name), name)

    def tag(self, name: str) -> str:
        return self.tags.get(name_key(name), name)


def load_aliases(path: str, shown: str) -> tuple[Aliases, list[Diagnostic]]:
    """The aliases file at `path` (reported as `shown`), or no aliases and why."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not valid UTF-8"
        return Aliases(), [Diagnostic(shown, 1, 1, "warning", "aliases", f"cannot read aliases file: {reason}")]
    return Aliases.from_yaml(text, shown)


def yaml_key(text: str) -> str:
    """`text` as an aliases.yml line suggested in a message writes it: plain when YAML reads it back as is, else quoted."""
    plain = _PLAIN_KEY.fullmatch(text) and not text.endswith(" ")
    return text if plain else '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def merge_advice(section: str, canonical: str, variant: str) -> str:
    """What a check's message says to merge two spellings: `add to aliases.yml under tags:  TPAMI: ["IEEE TPAMI"]`."""
    return f"add to aliases.yml under {section}:  {yaml_key(canonical)}: [{yaml_key(variant)}]"
