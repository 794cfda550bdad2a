#!/usr/bin/env python3
"""How long a one-case edit takes to show under `mkdocs serve`, on N synthetic cases.

    python bench/serve_edit.py N [--preview] [--data DIR]

--preview: `make serve CASE=<id>` instead (scripts/preview_case.py: the one case's site). --data: an
existing corpus of N cases (e.g. bench/out/10000/data left by bench/scale.py) instead of a new one.

Starts the same server `make serve` starts (the real mkdocs.yml, on a free loopback port), waits for the first
build, then edits one case's English title several times and measures, each time, from the file write to the
moment the served model page contains the new text. Reports the first-build time too, as the baseline.
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scale import hand_written_docs  # noqa: E402
from synth import write_corpus  # noqa: E402


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def edited(text: str, marker: str) -> str:
    """The case's YAML with ``marker`` at the start of its English title, written by a YAML writer (a
    title may be quoted, and text put in front of the quote would break the file)."""
    import yaml

    head, _, body = text.partition("\n")
    record = yaml.safe_load(body)
    record["title_en"] = f"{marker} {record['title_en']}"
    return head + "\n" + yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=1000)
    parser.add_argument("--preview", action="store_true", help="time `make serve CASE=<id>` (one case's site)")
    parser.add_argument("--data", type=Path, help="an existing corpus instead of a new one")
    args = parser.parse_args()
    n = args.n
    work = ROOT / "bench" / "out" / f"serve-{n}{'-preview' if args.preview else ''}"
    shutil.rmtree(work, ignore_errors=True)
    data = args.data.resolve() if args.data else work / "data"
    if not args.data:
        write_corpus(n, data)
    docs = hand_written_docs(work / "docs")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", CASEBOOK_DATA=str(data), CASEBOOK_DOCS=str(docs))
    case = sorted((data / "cases").rglob("*.yml"))[n // 2]
    if args.preview:  # as make serve CASE=<id>
        cmd = [sys.executable, str(ROOT / "scripts" / "preview_case.py"), case.stem, "--port", str(port), "--data", str(data),
               "--preview", str(work / "preview")]
    else:  # as make serve
        cmd = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "-f", str(ROOT / "mkdocs.yml"), "--dev-addr", f"127.0.0.1:{port}"]
    started = time.perf_counter()
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/models/{case.stem}/"
    try:
        while "<h1" not in fetch(url):
            if time.perf_counter() - started > 3600:
                sys.exit("server did not come up")
            time.sleep(1)
        first = time.perf_counter() - started
        time.sleep(3)
        latencies = []
        for i in range(3):
            marker = f"Edited{i}Marker"
            text = case.read_text(encoding="utf-8")
            case.write_text(edited(text, marker), encoding="utf-8")
            t0 = time.perf_counter()
            while marker not in fetch(url):
                if time.perf_counter() - t0 > 600:
                    sys.exit("edit never showed")
                time.sleep(0.2)
            latencies.append(time.perf_counter() - t0)
            case.write_text(text, encoding="utf-8")
            time.sleep(max(5.0, 2 * latencies[-1]))  # let the revert rebuild finish before the next edit
        latencies.sort()
        print(f"N={n}{' (make serve CASE=' + case.stem + ')' if args.preview else ''}: first build and serve {first:.1f} s; one-case edit visible after "
              f"{', '.join(f'{x:.1f}' for x in latencies)} s (median {latencies[1]:.1f} s; "
              f"{latencies[1] / first:.2f} of the first build)")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
