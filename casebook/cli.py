"""The two steps around the engine, as commands that need no engine: ``generate`` (data/ -> docs/) before
it and ``index`` (site/ -> the search index) after it. ``python -m casebook generate|index`` and
``scripts/build_pages.py`` (which is ``generate``) parse their arguments here; the MkDocs hook runs the
same two calls, so moving to another engine means calling these two around its build."""
from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from pathlib import Path

from .pipeline import generate, jobs_from_env, settings_from_env
from .problems import DataError, Problem, escape_data, github_annotation
from .settings import read_settings

ROOT = Path(__file__).resolve().parent.parent

GENERATE_USAGE = """Validate data/ and generate the site's pages into docs/.

Exit status: 0 when the data is valid, 1 when it is not (every problem is printed, nothing is written).
--format github also prints each problem as a GitHub workflow annotation on stdout, so that on a pull
request it shows under the line it is about; the plain report still goes to stderr, for the log."""


def generate_main(argv: list[str] | None = None, prog: str | None = None) -> int:
    parser = argparse.ArgumentParser(prog=prog, description=GENERATE_USAGE, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="data directory (default: data/)")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs", help="docs directory to write into (default: docs/)")
    parser.add_argument("--check", action="store_true", help="validate and render only; write nothing")
    parser.add_argument("--format", choices=("plain", "github"), default="plain",
                        help="github: also print every problem as a GitHub workflow annotation (default: plain)")
    parser.add_argument("--debug", action="store_true", help="show a traceback on an internal error")
    args = parser.parse_args(argv)
    try:
        settings = {**settings_from_env(os.environ), **read_settings(ROOT / "mkdocs.yml")}
        result = generate(args.data, args.docs, check=args.check, settings=settings, jobs=jobs_from_env(os.environ))
    except DataError as exc:
        if args.format == "github":
            print("\n".join(github_annotation(repo_relative(p)) for p in exc.problems))
        print(exc.report(), file=sys.stderr)
        return 1
    except Exception as exc:  # a bug of ours, not the contributor's: say so plainly, write nothing
        if args.debug:
            raise
        text = (f"internal error: {type(exc).__name__}: {exc}\n    Hint: this is a bug in casebook, not in your data; "
                "nothing was written. Please report it with the output of --debug.")
        if args.format == "github":
            print(f"::error title=casebook internal error::{escape_data(text)}")
        print(text, file=sys.stderr)
        return 2
    site = result.site
    summary = f"{len(site.cases)} cases, {site.figure_count} figures, {result.page_count} pages"
    if args.check:
        print(f"ok: {summary}; nothing written (--check)")
    else:
        print(f"ok: {summary}; {len(result.written)} written, {len(result.deleted)} removed under {args.docs}")
    return 0


def repo_relative(problem: Problem) -> Problem:
    """GitHub places an annotation by the file's path from the checkout's root (the working directory in CI)."""
    path = Path(problem.file)
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        return dataclasses.replace(problem, file=path.relative_to(Path.cwd()).as_posix())
    return problem


def index_main(argv: list[str] | None = None, prog: str | None = None) -> int:
    parser = argparse.ArgumentParser(prog=prog, description="Index a built site for search (Pagefind), as the build does after rendering.")
    parser.add_argument("site", type=Path, nargs="?", default=ROOT / "site", help="the built site (default: site/)")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"{args.site}: no built site here (index.html not found)\n    Hint: build it first (make build, or an "
              "engine's build of docs/ after `python -m casebook generate`), then index its output directory.", file=sys.stderr)
        return 1
    from .search.index import build_index  # the one import of the search wing here

    start = time.perf_counter()
    try:
        report = build_index(args.site)
    except Exception as exc:  # Pagefind failed: one line, no traceback; the old index is left in place
        print(f"search index failed: {type(exc).__name__}: {exc}\n    Hint: the site's previous index was left as it was.",
              file=sys.stderr)
        return 2
    print(f"ok: search index of {report.pages} pages in {report.shards} shard(s) "
          f"({report.folded} with traditional characters folded, {report.heavy} heavy words) "
          f"({time.perf_counter() - start:.1f} s) in {args.site}")
    return 0


COMMANDS = {"generate": generate_main, "index": index_main}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in COMMANDS:
        print("usage: python -m casebook {generate,index} [options]\n"
              "  generate  validate data/ and write the generated pages into docs/ (see: generate --help)\n"
              "  index     index a built site for search (see: index --help)", file=sys.stderr)
        return 2
    return COMMANDS[argv[0]](argv[1:], prog=f"python -m casebook {argv[0]}")
