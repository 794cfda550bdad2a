#!/usr/bin/env python3
"""Import an article: archive its cleaned text and write the skeleton of a case record.

    python scripts/import_source.py ARTICLE --id ID [--province KEY] [--data DIR] [--force]

ARTICLE is a text file (.txt: UTF-8, GBK or Big5), a saved web page (.html, .htm), a Word file (.docx),
or - to paste the text on standard input (casebook/contrib/inputs.py reads each).
Writes data/sources/ID.txt (the article cleaned of page chrome and pinyin annotations, in its
own script) and data/cases/PROVINCE/ID.yml (a skeleton in simplified characters with every
figure and measure the article gives proposed, and TODO where a person must decide).
Then prints what was written and what is left to do.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casebook import importer  # noqa: E402
from casebook.contrib import inputs  # noqa: E402
from casebook.load import TAXONOMY_FILES  # noqa: E402
from casebook.yamlrender import render  # noqa: E402
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
    try:
        article = inputs.read_article(args.article)
        cleaned = importer.clean_text(article.text)
        inputs.check_article(cleaned.paragraphs, "standard input" if args.article == inputs.STDIN else args.article)
    except inputs.InputError as exc:
        print(exc.format(), file=sys.stderr)
        return 1
    text_meta = importer.find_metadata(cleaned)
    stated = inputs.page_metadata(article, text_meta)  # what the page's markup or byline states comes first
    meta = dataclasses.replace(text_meta, **stated)

    def said(name: str) -> str:  # where a value came from, for the contributor to know what to check
        if not getattr(meta, name):
            return ""
        return f"  (stated by the {article.kind})" if name in stated else "  (read from the text)"

    figures = importer.find_figures(cleaned.paragraphs, importer.all_units(taxonomies.get("metrics", {})))
    measures = importer.find_measures(cleaned.paragraphs)
    context = importer.skeleton(args.id, cleaned, meta, figures, measures, taxonomies, args.today, args.province)
    province = context["province"] if context["province_known"] else None
    if province is None:
        print(f"error: could not tell the province from the article; pass --province KEY (a key of data/regions.yml, "
              f"e.g. {', '.join(sorted(regions)[:4])})", file=sys.stderr)
        return 2
    context["source"]["url"] = article.url
    text = render("skeleton.yml.j2", **context)

    source_path = args.data / "sources" / f"{args.id}.txt"
    case_path = args.data / "cases" / province / f"{args.id}.yml"
    existing = [p for p in (source_path, case_path) if p.exists()]
    if existing and not args.force:
        for p in existing:
            print(f"error: {p} exists; pass --force to overwrite it", file=sys.stderr)
        return 2
    for path, content in ((source_path, cleaned.text), (case_path, text)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")

    shown = lambda p: p.resolve().relative_to(args.data.resolve().parent) if p.resolve().is_relative_to(args.data.resolve().parent) else p  # noqa: E731
    print(f"wrote {shown(source_path)}  (cleaned article, {len(cleaned.paragraphs)} paragraphs, original script)")
    print(f"wrote {shown(case_path)}  (skeleton: {len(measures)} measures, {len(figures)} figures proposed)")
    print(f"  read:      {article.kind}{f' ({article.encoding})' if article.encoding else ''}")
    print(f"  title:     {meta.title or '(not found)'}{said('title')}")
    print(f"  date:      {meta.date or '(not found)'}{said('date')}")
    print(f"  publisher: {meta.publisher or '(not found)'}{said('publisher')}")
    if article.url:
        print(f"  url:       {article.url}")
    print(f"  province:  {province}{'' if args.province else ' (guessed; check it)'}")
    for note in cleaned.notes:
        print(f"  note: {note}")
    todos = importer.todo_lines(text)
    print(f"\nLeft to do ({len(todos)} TODO markers in {shown(case_path)}):")
    for number, line in todos[:12]:
        print(f"  line {number}: {line}")
    if len(todos) > 12:
        print(f"  … and {len(todos) - 12} more")
    print("\nNext: open the file, replace every TODO, delete proposals that are not data about the practice,")
    print("then run `make check` until it reports no problems. CONTRIBUTING.md walks through every field.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
