"""The `papernotes` command: its subcommands, each in its own module.

    papernotes check [PATH ...] [--format text|github|json] [--strict] [--disable RULE]   (check.py)
    papernotes import OLD_REPO [--dest .] [--force]                                      (import_notes.py)
    papernotes diff BASE [HEAD] [--format markdown|json]                                 (diff.py)
    papernotes add ID [ID ...] [--note docs/x.md [--section NAME]] [--bib FILE]          (add.py)

Exit codes: 0 nothing to fix, 1 errors found (warnings too with `--strict`, or
files skipped by `import`, or a paper `add` found in the library already), 2 the command
itself could not run (bad path, unreadable mkdocs.yml, no network). Problems with the
command are one line on stderr, never a traceback. What the commands know of the project
(mkdocs.yml's plugin options, the notes) is read by project.py.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from papernotes.cli.check import cmd_check
from papernotes.cli.import_notes import cmd_import
from papernotes.cli.project import UsageError

# -- entry point -----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="papernotes", description="Check, import and add research-paper notes.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    formats = ("text", "github", "json")

    p = sub.add_parser("check", help="report problems in notes without building the site",
                       description="Report problems in notes as path:line:col: severity: message [rule]. "
                                   "Exit 1 when there are errors (or warnings with --strict).")
    p.add_argument("paths", nargs="*", metavar="PATH", help="notes or folders (default: docs_dir of ./mkdocs.yml)")
    p.add_argument("--format", choices=formats, default="text", help="text (default), github (Actions annotations) or json")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--disable", action="append", default=[], metavar="RULE", help="do not report RULE (repeatable)")
    p.add_argument("-f", "--config-file", help="MkDocs config to read options from (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("import", help="copy notes and figures of an old notes repository into this one",
                       description="Copy OLD_REPO/src/*.md into DEST/docs/ and OLD_REPO/assets/fig_* into DEST/assets/ "
                                   "unchanged, then print the check report of the imported notes.")
    p.add_argument("old_repo", metavar="OLD_REPO")
    p.add_argument("--dest", default=".", help="the papernotes repository to copy into (default: .)")
    p.add_argument("--force", action="store_true", help="overwrite files that already exist with other content")
    p.add_argument("--format", choices=formats, default="text", help="format of the check report")
    p.set_defaults(func=cmd_import)

    from papernotes.cli import diff  # imports this module: registered once both are loaded

    diff.register(sub)

    from papernotes.cli import add  # here, not at the top: cli.add imports this module

    add.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"papernotes {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
