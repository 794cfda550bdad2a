#!/usr/bin/env python3
"""Import an article: archive its cleaned text and write the skeleton of a case record.

    python scripts/import_source.py ARTICLE --id ID [--province KEY] [--data DIR] [--force] [--json]

ARTICLE is a text file (.txt: UTF-8, GBK or Big5), a saved web page (.html, .htm), a Word file (.docx),
or - to paste the text on standard input (casebook/contrib/inputs.py reads each).

Writes data/sources/ID.txt (the article cleaned of page chrome and pinyin annotations, in its
own script) and data/cases/PROVINCE/ID.yml (a skeleton in simplified characters with the place,
every figure with its proposed metric and every measure with its proposed type, and TODO where a
person must decide). Then prints what it decided and why (--json: the same as JSON), and what is
left to do. Where the province is not certain it writes nothing and exits with status 2.
The work is done by casebook.contrib (see casebook/contrib/importer.py).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casebook.contrib import importer, inputs, report  # noqa: E402
from casebook.load import TAXONOMY_FILES  # noqa: E402
from casebook.yamlsafe import load_yaml_file  # noqa: E402

ID_FORM = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def load_taxonomies(data: Path) -> dict:
    out = {}
    for name, filename in TAXONOMY_FILES.items():
        doc, problems = load_yaml_file(data / filename, f"data/{filename}")
        out[name] = doc.data if doc is not None and not problems and isinstance(doc.data, dict) else {}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", help="the article: a .txt file, a saved web page (.html), a Word file (.docx), or - to paste it")
    parser.add_argument("--id", required=True, help="case id: lowercase pinyin words joined by hyphens, e.g. hubei-wuhan-wuchang-huajin")
    parser.add_argument("--province", help="a key of data/regions.yml (default: guessed from the article)")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="data directory (default: data/)")
    parser.add_argument("--today", default=dt.date.today().isoformat(), help="date for `added` (default: today)")
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    parser.add_argument("--json", action="store_true", help="print the report as JSON (for tools) instead of text")
    args = parser.parse_args(argv)

    if not ID_FORM.match(args.id):
        parser.error(f"--id {args.id!r}: use lowercase pinyin words joined by hyphens, e.g. hubei-wuhan-wuchang-huajin")
    taxonomies = load_taxonomies(args.data)
    regions = taxonomies.get("regions", {})
    if args.province and args.province not in regions:
        from casebook.schema import did_you_mean
        print(f"error: --province: {args.province!r} is not a key of data/regions.yml\n    Hint: {did_you_mean(args.province, regions)}"
              f"keys are the provinces' names in pinyin, e.g. {', '.join(sorted(regions)[:5])}", file=sys.stderr)
        return 2
    if args.article == inputs.STDIN and sys.stdin.isatty():
        print("Paste the article, then press Ctrl-D on a new line (Ctrl-Z then Enter on Windows):", file=sys.stderr)
    where = "standard input" if args.article == inputs.STDIN else args.article
    try:
        article = inputs.read_article(args.article)
        read_as = f"{article.kind}{f' ({article.encoding})' if article.encoding else ''}"
        result = importer.run(article.text, args.id, taxonomies, args.today, args.province,
                              page_meta=lambda text_meta: inputs.page_metadata(article, text_meta),  # the page's own first
                              url=article.url, input_kind=article.kind, read_as=read_as)
        inputs.check_article(result.cleaned.paragraphs, where)
    except inputs.InputError as exc:
        print(exc.format(), file=sys.stderr)
        return 1
    if not result.place.decided:
        if args.json:
            print(json.dumps(report.as_dict(result), ensure_ascii=False, indent=2))
        print(report.undecided_message(result, str(where), regions), file=sys.stderr)
        return 2

    source_path = args.data / "sources" / f"{args.id}.txt"
    case_path = args.data / "cases" / result.place.province / f"{args.id}.yml"
    existing = [p for p in (source_path, case_path) if p.exists()]
    if existing and not args.force:
        for p in existing:
            print(f"error: {p} exists; pass --force to overwrite it", file=sys.stderr)
        return 2
    for path, content in ((source_path, result.cleaned.text), (case_path, result.yaml_text)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")

    shown = lambda p: p.resolve().relative_to(args.data.resolve().parent) if p.resolve().is_relative_to(args.data.resolve().parent) else p  # noqa: E731
    if args.json:
        print(json.dumps(report.as_dict(result, {"source": str(shown(source_path)), "case": str(shown(case_path))}),
                         ensure_ascii=False, indent=2))
        return 0
    print(f"wrote {shown(source_path)}  (cleaned article, {len(result.cleaned.paragraphs)} paragraphs, original script)")
    print(f"wrote {shown(case_path)}  (skeleton: {len(result.measures)} measures, {len(result.figures)} figures proposed)")
    print("\n".join(report.as_text(result, regions)))
    todos = result.todos
    print(f"\nLeft to do ({len(todos)} TODO markers in {shown(case_path)}):")
    for number, line in todos[:12]:
        print(f"  line {number}: {line}")
    if len(todos) > 12:
        print(f"  … and {len(todos) - 12} more")
    print("\nNext: open the file, check every proposal (the comments say why each was made), replace every TODO,")
    print("delete figures that are not data about the practice, then run `make check` until it reports no problems.")
    print("CONTRIBUTING.md walks through every field.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
