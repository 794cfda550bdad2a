#!/usr/bin/env python3
"""Check every internal link of a built site, offline.

    python scripts/check_links.py [SITE_DIR]

Every href and src in every HTML page must point at a file of the site (a directory link at its
index.html), and a #fragment at an id on the target page. External (http, https, mailto) links
are listed by count only: checking them needs the network, which CI's pull-request builds avoid.
Exit status 1 lists each broken link as `page: link (reason)`.
"""
from __future__ import annotations

import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src"):
                self.links.append(value)
            if name in ("id", "name"):
                self.ids.add(value)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


def target_file(site: Path, page: Path, path: str) -> Path:
    base = page.parent if path and not path.startswith("/") else site
    target = (base / unquote(path.lstrip("/"))) if path else page
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target


def check(site: Path) -> tuple[list[str], Counter]:
    site = site.resolve()
    pages = {p: parse(p) for p in sorted(site.rglob("*.html"))}
    broken: list[str] = []
    external: Counter = Counter()
    for page, parsed in pages.items():
        shown = page.relative_to(site)
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                external[parts.scheme or "//"] += 1
                continue
            target = target_file(site, page, parts.path).resolve()
            if not target.is_relative_to(site):
                broken.append(f"{shown}: {link} (outside the site)")
            elif not target.is_file():
                broken.append(f"{shown}: {link} (no such file)")
            elif parts.fragment and target.suffix == ".html" and not parts.fragment.startswith("__"):
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{shown}: {link} (no id '{unquote(parts.fragment)}' on the page)")
    return broken, external


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    site = Path(argv[0] if argv else "site")
    if not (site / "index.html").is_file():
        print(f"{site}: no built site here; run `make build` first", file=sys.stderr)
        return 2
    broken, external = check(site)
    pages = sum(1 for _ in site.rglob("*.html"))
    for line in broken:
        print(line, file=sys.stderr)
    print(f"{pages} pages: {len(broken)} broken internal links; external links not checked: "
          + (", ".join(f"{n} {s}" for s, n in sorted(external.items())) or "none"))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
