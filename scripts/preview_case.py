#!/usr/bin/env python3
"""Serve a preview of one case: its model page and the pages that list it, rebuilt within seconds of an edit.

    python scripts/preview_case.py CASE_ID [--port 8000] [--data data] [--docs docs] [--preview .preview/docs]

`make serve CASE=<id>` runs this. See casebook/case_preview.py.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casebook.case_preview import case_file, prepare_docs  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case_id")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("CASEBOOK_DATA") or ROOT / "data"))
    parser.add_argument("--docs", type=Path, default=ROOT / "docs")
    parser.add_argument("--preview", type=Path, default=ROOT / ".preview" / "docs")
    args = parser.parse_args()
    if case_file(args.data, args.case_id) is None:
        sys.exit(f"error: no case file {args.case_id}.yml under {args.data / 'cases'}\n"
                 f"    Hint: CASE= takes a case id, the file name under data/cases/<province>/ without .yml, "
                 f"e.g. make serve CASE=beijing-xicheng-desheng-12345")
    docs = prepare_docs(args.docs, args.preview)
    env = dict(os.environ, CASEBOOK_CASE=args.case_id, CASEBOOK_DOCS=str(docs), CASEBOOK_DATA=str(args.data.resolve()))
    print(f"previewing {args.case_id}: http://127.0.0.1:{args.port}/models/{args.case_id}/", flush=True)
    mkdocs = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "-f", str(ROOT / "mkdocs.yml"),
              "--dev-addr", f"127.0.0.1:{args.port}"]
    os.execve(sys.executable, mkdocs, env)


if __name__ == "__main__":
    main()
