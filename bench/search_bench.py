"""Search benchmark: bytes transferred and milliseconds from loading search/?q=… to results.

    python bench/search_bench.py SITE_DIR [--gzip] [--runs 3] [--query Q ...]

Serves the built site on loopback and opens search/?q=Q in Debian's Chromium, each time in a fresh
browser context (cold: nothing cached). Measured per load:

- bytes: everything the server sent for it (headers and bodies, counted on the server, so requests
  of Pagefind's web worker are included): page, styles, scripts, Pagefind's code and the parts of
  the index the query needs;
- ms: from navigation start to the moment #search-results shows results (aria-busy turns "false"
  with results in it), by the page's own clock; facet counts follow and are not timed, but their
  bytes are counted (the count stops once the facets are drawn and the network has been idle
  for 0.5 s);
- for scale, in the same run: ms from navigation start to the load event of a plain page (about/),
  cold. The machine's speed and load show in it; the ratio of the two is the steadier number.

--gzip compresses text responses (HTML, CSS, JS, JSON) as any web host does; Pagefind's index files
are compressed already. Prints one line per query and the medians; run it on `make build`'s site/
or on a synthetic corpus (bench/synth.py; see bench/RESULTS.md).
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import statistics
import sys
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
QUERIES = ["流动党员", "网格", "銀髮先鋒", "12345", "grid volunteer", "四位一体", "先锋队", "华锦",
           # issue 16: a phrase without its marks, a synonym, homophone typos (suggestions)
           "四老争创四新", "银龄", "银发先峰", "网格化管里",
           # English as a researcher types it: several common words (bench/RESULTS.md, 2026-12-03)
           "retired cadres volunteer service", "the role of retired cadres"]
TEXT_TYPES = ("text/", "application/javascript", "application/json")


class CountingHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; counts the bytes it writes; gzips text when asked to."""

    counter = None  # a one-element list shared by the server's threads
    lock = threading.Lock()
    compress = False

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        raw = self.wfile
        handler = self

        class Counted:
            def write(self, data):
                with handler.lock:
                    handler.counter[0] += len(data)
                return raw.write(data)

            def __getattr__(self, name):
                return getattr(raw, name)

        self.wfile = Counted()

    def send_head(self):
        if not self.compress or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the parent redirects to the URL with a slash
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        if not path.is_file() or not ctype.startswith(TEXT_TYPES):
            return super().send_head()
        body = _compressed(path, path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@functools.lru_cache(maxsize=4096)
def _compressed(path: Path, mtime_ns: int) -> bytes:
    # compressed once, as a host with a compression cache or precompressed files serves them: the
    # benchmark then times the site, not this server's gzip
    return gzip.compress(path.read_bytes(), 6, mtime=0)


class QuietServer(http.server.ThreadingHTTPServer):
    """Does not print a traceback when the browser closes a connection in the middle of a response
    (a context is closed while fragments it no longer needs are still coming)."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(site: Path, compress: bool):
    counter = [0]
    handler = type("Handler", (CountingHandler,), {"counter": counter, "compress": compress})
    server = QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, counter


# Records when #search-results first shows results (or the empty state) after loading.
WATCH = """
window.__searchDone = null;
document.addEventListener("DOMContentLoaded", () => {
  const out = document.getElementById("search-results");
  if (!out) return;
  new MutationObserver(() => {
    if (window.__searchDone === null && out.getAttribute("aria-busy") === "false" && out.childElementCount > 0) {
      window.__searchDone = performance.now();
    }
  }).observe(out, { attributes: true, childList: true });
});
"""


def measure(browser, base: str, query: str, counter: list) -> tuple[int, float, int]:
    from urllib.parse import quote

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH)
    page = context.new_page()
    counter[0] = 0
    page.goto(f"{base}search/?q={quote(query)}")
    page.wait_for_function("window.__searchDone !== null", timeout=30000)
    ms = page.evaluate("window.__searchDone")
    results = page.locator("#search-results a.cb-result__title").count()
    # the facets (their counts need Pagefind's filter index) are drawn after the results: wait for them
    # (a query that finds nothing has none; its suggestions are in place when the results are)
    if results:
        page.wait_for_function("document.querySelector('#search-facets fieldset') !== null", timeout=60000)
    page.wait_for_load_state("networkidle")
    sent = counter[0]
    context.close()
    return sent, ms, results


def plain_page(browser, base: str) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base}about/", wait_until="load")
    ms = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    context.close()
    return ms


def run(site: Path, queries: list[str], runs: int, compress: bool) -> dict:
    from playwright.sync_api import sync_playwright

    server, counter = serve(site, compress)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    pages = shards = 0
    for entry_file in sorted((site / "pagefind").glob("**/pagefind-entry.json")):  # the bundle and its shards
        entry = json.loads(entry_file.read_text(encoding="utf-8"))
        pages += sum(lang["page_count"] for lang in entry["languages"].values())
        shards += 1
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            measure(browser, base, queries[0], counter)  # warm the browser process, not the page
            plain = []
            for query in queries:
                plain.append(plain_page(browser, base))
                samples = [measure(browser, base, query, counter) for _ in range(runs)]
                rows.append({"query": query, "bytes": statistics.median(s[0] for s in samples),
                             "ms": statistics.median(s[1] for s in samples), "results": samples[0][2]})
            browser.close()
    finally:
        server.shutdown()
    return {"pages": pages, "shards": shards, "gzip": compress, "rows": rows, "plain_page_ms": statistics.median(plain),
            "median_bytes": statistics.median(r["bytes"] for r in rows), "median_ms": statistics.median(r["ms"] for r in rows),
            "max_bytes": max(r["bytes"] for r in rows), "max_ms": max(r["ms"] for r in rows)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site directory (with pagefind/)")
    parser.add_argument("--query", action="append", help="a query (repeatable); default: a fixed mix")
    parser.add_argument("--runs", type=int, default=3, help="cold loads per query; the median is kept")
    parser.add_argument("--gzip", action="store_true", help="compress text responses, as a web host does")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    result = run(args.site, args.query or QUERIES, args.runs, args.gzip)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    print(f"{result['pages']} indexed pages in {result['shards']} shard(s); {'gzip' if args.gzip else 'uncompressed'} text; median of {args.runs} cold loads each")
    print(f"{'query':<16} {'results':>7} {'KB':>8} {'ms':>7}")
    for r in result["rows"]:
        print(f"{r['query']:<16} {r['results']:>7} {r['bytes'] / 1024:>8.1f} {r['ms']:>7.0f}")
    print(f"{'median':<16} {'':>7} {result['median_bytes'] / 1024:>8.1f} {result['median_ms']:>7.0f}")
    print(f"{'max':<16} {'':>7} {result['max_bytes'] / 1024:>8.1f} {result['max_ms']:>7.0f}")
    print(f"plain page (about/) cold load: {result['plain_page_ms']:.0f} ms; "
          f"median time to results = {result['median_ms'] / result['plain_page_ms']:.2f} x that")
    return 0


if __name__ == "__main__":
    sys.exit(main())
