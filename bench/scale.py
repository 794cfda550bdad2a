#!/usr/bin/env python3
"""Scale benchmark: build N synthetic cases the way `make build` does, and compare with the floor.

    python bench/scale.py N [--keep]

Steps, each in its own process so that peak memory is per step:
  1. write a synthetic corpus of N cases (bench/synth.py; not timed)
  2. `mkdocs build --strict` of the real configuration (the hook validates and generates the pages,
     logging its seconds, then Material renders, the hook converting a share of the pages' Markdown in
     another process and logging the Markdown pass's seconds, then the search index is built), timed as a whole:
     this is what `make build` costs, cold (an empty disk cache)
  3. the floor: bare Material (no hook, no plugins) rendering the same generated Markdown pages, kept out
     of the nav, in the same run
Prints a Markdown table row; the ratios are what to compare across machines, not the seconds.
Peak RSS is per step, of its largest process (the step's own or a descendant's it waited for: `mkdocs
build`'s generation processes, a Pagefind run), from os.wait4. Also: site size, file count, feed size,
each top-level folder, the largest page; and the floor's own site size and files.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from synth import write_corpus  # noqa: E402

FLOOR_CONFIG = """site_name: floor
docs_dir: docs
site_dir: site
theme:
  name: material
  language: zh
  font: false
markdown_extensions: [tables, attr_list, admonition, md_in_html, toc]
nav:
  - index.md
not_in_nav: |
  /*/
"""


def timed(cmd: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess, float]:
    """Run ``cmd``; returns (seconds, result, peak RSS in MB of its largest process: itself or a
    child process it waited for, such as the hook's generation step or a Pagefind run)."""
    start = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)
    streams: dict[str, str] = {}
    readers = [threading.Thread(target=lambda name, pipe: streams.__setitem__(name, pipe.read()), args=(name, pipe))
               for name, pipe in (("out", process.stdout), ("err", process.stderr))]
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(process.pid, 0)  # this child's own resource use, unlike RUSAGE_CHILDREN's running maximum
    process.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    elapsed = time.perf_counter() - start
    result = subprocess.CompletedProcess(cmd, process.returncode, streams["out"], streams["err"])
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return elapsed, result, usage.ru_maxrss / 1024


def _seconds(line: str) -> float | None:
    if not line.rstrip().endswith("s)"):
        return None
    try:
        return float(line.rsplit("(", 1)[1].split()[0])
    except (ValueError, IndexError):
        return None


def hand_written_docs(dest: Path) -> Path:
    from casebook.write import GENERATED_DIRS, GENERATED_FILES
    skip = set(GENERATED_DIRS) | set(GENERATED_FILES)
    shutil.copytree(ROOT / "docs", dest, ignore=lambda d, names: [n for n in names if Path(d) == ROOT / "docs" and n in skip])
    return dest


def sizes(site: Path) -> dict:
    """What a host sees: total size, file count, the feed, each top-level folder, the largest pages."""
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html"]
    models = [p for p in (site / "models").glob("*/index.html")]
    total = sum(p.stat().st_size for p in files)
    largest = max(pages, key=lambda p: p.stat().st_size)
    folders: dict[str, int] = {}
    for p in files:
        rel = p.relative_to(site).parts
        top = rel[0] + "/" if len(rel) > 1 else "(top-level files)"
        folders[top] = folders.get(top, 0) + p.stat().st_size
    feed = site / "feed.xml"
    return {"site_mb": total / 1e6, "files": len(files), "html_pages": len(pages), "largest_kb": largest.stat().st_size / 1024,
            "largest": str(largest.relative_to(site)), "pages_over_300kb": sum(1 for p in pages if p.stat().st_size > 300 * 1024),
            "model_max_kb": max(p.stat().st_size for p in models) / 1024,
            "feed_kb": feed.stat().st_size / 1024 if feed.exists() else None,
            "folders_mb": {k: round(v / 1e6, 1) for k, v in sorted(folders.items(), key=lambda kv: -kv[1])}}


def run(n: int, keep: bool) -> dict:
    work = ROOT / "bench" / "out" / str(n)
    shutil.rmtree(work, ignore_errors=True)
    data = work / "data"
    write_corpus(n, data)
    # cold: an empty cache of citations, QR codes and model pages (casebook/diskcache.py) for this run
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1700000000")
    py = sys.executable

    docs = hand_written_docs(work / "docs")
    # `make build` of the real configuration: the hook validates and generates (into docs), Material renders, search indexes
    build_env = dict(env, CASEBOOK_DATA=str(data), CASEBOOK_DOCS=str(docs), CASEBOOK_CACHE=str(work / "cache-build"))
    build_s, result, rss_build = timed([py, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(work / "site")],
                                       env=build_env, cwd=ROOT)
    search_s = generate_s = markdown_s = None
    for line in result.stderr.splitlines():
        seconds = _seconds(line)
        if "search index" in line:  # the hook logs "search index ... (12.3 s)"
            search_s = seconds
        elif "pages written" in line:  # and "casebook: 33511 pages written, 0 removed (301.2 s)"
            generate_s = seconds
        elif "Markdown of" in line:  # and "Markdown of 2304 pages converted, 1152 of them in 1 other process(es) (27.8 s)"
            markdown_s = seconds
    steps = {"generate": generate_s, "markdown": markdown_s, "pages": sum(1 for _ in docs.rglob("*.md"))}

    floor = work / "floor"
    shutil.copytree(docs, floor / "docs")
    (floor / "mkdocs.yml").write_text(FLOOR_CONFIG, encoding="utf-8")
    floor_s, _, rss_floor = timed([py, "-m", "mkdocs", "build", "-q", "-f", str(floor / "mkdocs.yml")], env=env, cwd=floor)
    floor_files = [p for p in (floor / "site").rglob("*") if p.is_file()]
    floor_site = {"floor_site_mb": sum(p.stat().st_size for p in floor_files) / 1e6, "floor_files": len(floor_files)}

    row = {"n": n, **steps, "build": build_s, "search": search_s, "floor": floor_s, "ratio": build_s / floor_s,
           "rss_build_mb": rss_build, "rss_floor_mb": rss_floor, **floor_site, **sizes(work / "site")}
    if not keep:
        shutil.rmtree(work / "floor", ignore_errors=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="+")
    parser.add_argument("--keep", action="store_true", help="keep bench/out/N/floor")
    args = parser.parse_args()
    print("| N | `make build` s (generation s; Markdown s; search s) | floor s | build/floor | peak RSS MB: `make build` (floor) "
          "| site MB (floor) | files (floor) | feed KB | largest page KB | pages > 300 KB | model page max KB |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    rows = []
    for n in args.n:
        r = run(n, args.keep)
        rows.append(r)
        gen = f"{r['generate']:.1f}" if r["generate"] is not None else "–"
        search = f"{r['search']:.1f}" if r["search"] is not None else "–"
        markdown = f"{r['markdown']:.1f}" if r["markdown"] is not None else "–"
        feed = f"{r['feed_kb']:.0f}" if r["feed_kb"] is not None else "–"
        print(f"| {r['n']:,} | {r['build']:.1f} ({gen}; {markdown}; {search}) | {r['floor']:.1f} | "
              f"{r['ratio']:.2f} | {r['rss_build_mb']:,.0f} ({r['rss_floor_mb']:,.0f}) | "
              f"{r['site_mb']:.0f} ({r['floor_site_mb']:.0f}) | {r['files']:,} ({r['floor_files']:,}) | {feed} | "
              f"{r['largest_kb']:.0f} ({r['largest']}) | {r['pages_over_300kb']} | {r['model_max_kb']:.1f} |", flush=True)
        print("    folders MB: " + ", ".join(f"{k} {v}" for k, v in r["folders_mb"].items()), flush=True)
    if len(rows) > 1:
        a, b = rows[0], rows[-1]
        print(f"\n{b['n'] // a['n']}x the cases cost {b['build'] / a['build']:.1f}x the build time.")
    print("\n" + json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
