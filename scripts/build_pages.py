#!/usr/bin/env python3
"""Validate data/ and generate the site's pages into docs/.

    python scripts/build_pages.py [--data DIR] [--docs DIR] [--check]

Exit status: 0 when the data is valid, 1 when it is not (every problem is printed, nothing is written).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casebook.pipeline import generate, jobs_from_env, settings_from_env  # noqa: E402
from casebook.problems import DataError  # noqa: E402
from casebook.settings import read_settings  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="data directory (default: data/)")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs", help="docs directory to write into (default: docs/)")
    parser.add_argument("--check", action="store_true", help="validate and render only; write nothing")
    parser.add_argument("--debug", action="store_true", help="show a traceback on an internal error")
    args = parser.parse_args(argv)
    try:
        settings = {**settings_from_env(os.environ), **read_settings(ROOT / "mkdocs.yml")}
        result = generate(args.data, args.docs, check=args.check, settings=settings, jobs=jobs_from_env(os.environ))
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except Exception as exc:  # a bug of ours, not the contributor's: say so plainly, write nothing
        if args.debug:
            raise
        print(f"internal error: {type(exc).__name__}: {exc}\n    Hint: this is a bug in casebook, not in your data; "
              "nothing was written. Please report it with the output of --debug.", file=sys.stderr)
        return 2
    site = result.site
    summary = f"{len(site.cases)} cases, {site.figure_count} figures, {result.page_count} pages"
    if args.check:
        print(f"ok: {summary}; nothing written (--check)")
    else:
        print(f"ok: {summary}; {len(result.written)} written, {len(result.deleted)} removed under {args.docs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
