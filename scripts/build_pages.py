#!/usr/bin/env python3
"""Validate data/ and generate the site's pages into docs/ (the same as `python -m casebook generate`).

    python scripts/build_pages.py [--data DIR] [--docs DIR] [--check] [--format plain|github]

Exit status: 0 when the data is valid, 1 when it is not (every problem is printed, nothing is written).
--format github also prints each problem as a GitHub workflow annotation on stdout, so that on a pull
request it shows under the line it is about; the plain report still goes to stderr, for the log.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casebook.cli import generate_main  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    return generate_main(argv)


if __name__ == "__main__":
    sys.exit(main())
