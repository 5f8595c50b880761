"""`python -m papernotes`: the same as the `papernotes` command."""

from __future__ import annotations

import sys

from papernotes.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
