#!/usr/bin/env python3
"""Write a blank, fully commented case record to fill in by hand.

    python scripts/new_case.py --id ID --province KEY [--data DIR] [--force]

Writes data/cases/PROVINCE/ID.yml. Every field carries its explanation from the schema;
every value to decide is marked TODO, and `make check` lists those still left.
To start from an article instead, use scripts/import_source.py: it fills in what the text gives.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casebook.scaffold import blank_record  # noqa: E402
from casebook.schema import did_you_mean  # noqa: E402
from casebook.yamlsafe import load_yaml_file  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--id", required=True, help="case id: lowercase pinyin words joined by hyphens, e.g. hubei-wuhan-wuchang-huajin")
    parser.add_argument("--province", required=True, help="a key of data/regions.yml, e.g. hubei")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="data directory (default: data/)")
    parser.add_argument("--today", default=dt.date.today().isoformat(), help="date for `added` (default: today)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    args = parser.parse_args(argv)
    doc, _ = load_yaml_file(args.data / "regions.yml", "data/regions.yml")
    regions = doc.data if doc is not None and isinstance(doc.data, dict) else {}
    if args.province not in regions:
        parser.error(f"--province {args.province!r} is not a key of data/regions.yml; {did_you_mean(args.province, regions)}"
                     f"e.g. {', '.join(sorted(regions)[:5])}")
    try:
        text = blank_record(args.id, args.province, args.today)
    except ValueError as exc:
        parser.error(str(exc))
    path = args.data / "cases" / args.province / f"{args.id}.yml"
    if path.exists() and not args.force:
        print(f"error: {path} exists; pass --force to overwrite it", file=sys.stderr)
        return 2
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    print(f"next: archive the article's cleaned text as data/sources/{args.id}.txt, fill in every TODO, then run `make check`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
