"""Lighthouse scores of built pages, with Debian's chromium: `make lighthouse` (builds the site first).

Serves site/ on loopback (gzip-compressed, as a production host would), runs the pinned Lighthouse from bench/lighthouse/node_modules (installed by
`npm ci` from bench/lighthouse/package-lock.json) for each page in the mobile (default, with simulated
slow 4G and CPU throttling) and desktop configurations, keeps the JSON reports in
test-artifacts/lighthouse/, prints a Markdown table of the median of --runs runs (scores vary from run to
run, more so on a busy machine) and fails if a median score of a --gate page (by default the largest
model page, which the issue sets the bar for) is below --min.

    python bench/lighthouse.py [--site site] [--min 95] [PATH ...]
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
OUT = ROOT / "test-artifacts" / "lighthouse"
CATEGORIES = ("performance", "accessibility")
MODEL = "models/shandong-jinan-pingyin-siweiyiti/"
# The model page in each language view (issue 18): bilingual, 中文 (?lang=zh) and English (?lang=en).
DEFAULT_PAGES = (MODEL + "?lang=bi", MODEL + "?lang=zh", MODEL + "?lang=en", "", "metrics/volunteers/", "regions/", "compare/")


class _Server(http.server.SimpleHTTPRequestHandler):
    """A static server that compresses text with gzip, as any production web server or static host does
    (Python's plain server does not, and Lighthouse would then measure transfers no visitor sees)."""

    COMPRESS = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", "/")

    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants and os.path.isfile(path) and self.path.split("?")[0].endswith(self.COMPRESS)):
            return super().send_head()
        body = gzip.compress(Path(path).read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def lighthouse(url: str, preset: str, report: Path) -> dict:
    cmd = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
           "--only-categories=" + ",".join(CATEGORIES),
           "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking"]
    if preset == "desktop":
        cmd.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    data = json.loads(report.read_text(encoding="utf-8"))
    scores = {c: round(100 * data["categories"][c]["score"]) for c in CATEGORIES}
    audits = data["audits"]
    scores.update(lcp=audits["largest-contentful-paint"]["displayValue"], cls=audits["cumulative-layout-shift"]["displayValue"],
                  tbt=audits["total-blocking-time"]["displayValue"], weight=audits["total-byte-weight"]["displayValue"])
    return scores


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", default=list(DEFAULT_PAGES))
    ap.add_argument("--site", type=Path, default=ROOT / "site")
    ap.add_argument("--min", type=int, default=95)
    ap.add_argument("--gate", nargs="*", default=list(DEFAULT_PAGES[:3]),
                    help="pages whose median scores must reach --min (default: the largest model page in each view); others are reported")
    ap.add_argument("--runs", type=int, default=3, help="runs per page and mode; the median run is reported, as Lighthouse advises")
    ap.add_argument("--port", type=int, default=0, help="loopback port to serve the site on (0: any free port)")
    args = ap.parse_args(argv)
    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE} is missing: run `make lighthouse` (npm ci in bench/lighthouse)", file=sys.stderr)
        return 2
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), functools.partial(_Server, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    OUT.mkdir(parents=True, exist_ok=True)
    failed = []
    print("| page | mode | performance | accessibility | LCP | CLS | TBT | transfer |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    try:
        for path in args.paths:
            for preset in ("mobile", "desktop"):
                name = (path.strip("/").replace("/", "_").replace("?", "_").replace("=", "-") or "home") + f"-{preset}"
                runs = [lighthouse(base + path, preset, OUT / f"{name}-{i + 1}.json") for i in range(args.runs)]
                s = sorted(runs, key=lambda r: (r["performance"], r["accessibility"]))[len(runs) // 2]  # the median run
                print(f"| /{path} | {preset} | {s['performance']} | {s['accessibility']} | {s['lcp']} | {s['cls']} | {s['tbt']} | {s['weight']} |",
                      flush=True)
                if path in args.gate:
                    failed += [f"/{path} {preset} {c} {s[c]}" for c in CATEGORIES if s[c] < args.min]
    finally:
        server.shutdown()
    if failed:
        print(f"below {args.min}: " + "; ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
