"""Full-text search: index the built site with Pagefind, as the last step of every build.

What is indexed: the pages of ``SECTIONS`` (each model, measure type, metric and tag page; not the
section indexes, which list everything). On a model page the article is search text, marked by the
theme with ``data-pagefind-body``, so the header, navigation and footer never match; on the other
pages only their own name and definition are. Weights, facets (filters) and result metadata come
from ``templates/_partials/search_meta.md.j2``.

How Chinese is indexed: character by character. Pagefind's extended build cuts Chinese into words
with a dictionary at index time, but the browser cuts the query with another dictionary (the
browser's), and a word cut differently on the two sides is not found (网格 in the text, 网 + 格 in
the query). So before Pagefind reads a page, every Chinese character of its text is made a word of
its own (a zero-width space between neighbours); ``docs/javascripts/search.js`` does the same to the
query, and finds phrases with Pagefind's exact (adjacent words) search. Any part of a word is then
found: 先锋 finds 老党员先锋队.

Traditional and simplified characters: the records are simplified, some text on the pages (source
titles) is not, and readers type either script. Both sides are folded to simplified with OpenCC's
own ``t2s`` dictionaries: the pages here, with :func:`casebook.textnorm.to_simplified`, and queries
in the browser, with the table :func:`t2s_table` writes to ``search/t2s.json`` from the same
dictionary files (search.js applies it exactly as OpenCC does). Both sides also fold width (NFKC).

The pages in ``site/`` are not changed: Pagefind reads folded copies in a temporary directory.
"""
from __future__ import annotations

import asyncio
import functools
import json
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import opencc

from .textnorm import to_simplified

SECTIONS = ("models", "measures", "metrics", "tags")
BUNDLE_DIR = "pagefind"  # the Pagefind bundle, under the site directory
T2S_ASSET = "search/t2s.json"  # the query folding table, under the site directory
LANGUAGE = "zh"  # one index for the whole site; English text is indexed in it as well
# Kept inside words so that model names such as “1+6” are indexed and found as written.
INCLUDE_CHARACTERS = "+"

_OPENCC_DIR = Path(opencc.__file__).resolve().parent


@dataclass
class IndexReport:
    pages: int
    folded: int  # pages with traditional characters, folded to simplified


def _opencc_group(config: str = "t2s") -> list[Path]:
    """The dictionary files of OpenCC's conversion, in the order OpenCC applies them.

    t2s is one group (phrases, then characters): each stretch of text is converted by the
    first dictionary of the group that matches it, never twice."""
    chain = json.loads((_OPENCC_DIR / "config" / f"{config}.json").read_text(encoding="utf-8"))["conversion_chain"]
    if len(chain) != 1 or chain[0]["dict"]["type"] != "group":
        raise ValueError(f"OpenCC {config}: expected one group of dictionaries")
    return [_OPENCC_DIR / "dictionary" / d["file"] for d in chain[0]["dict"]["dicts"]]


def _read_dictionary(path: Path) -> dict[str, str]:
    """OpenCC's text format: ``key<TAB>value [alternative ...]``; OpenCC uses the first value."""
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            key, values = line.strip().split("\t")
            table[key] = values.split(" ")[0]
    return table


@functools.lru_cache(maxsize=1)
def t2s_table() -> dict:
    """OpenCC's t2s data for the browser: ``{"dicts": [...]}``, one entry per dictionary of the group.

    A dictionary of single characters is written as one string of key-value pairs (half the bytes
    of an object); identity entries are kept where they stop a later dictionary from applying."""
    dicts = []
    files = _opencc_group()
    for position, path in enumerate(files):
        table = _read_dictionary(path)
        last = position == len(files) - 1
        if last:
            table = {k: v for k, v in table.items() if k != v}  # nothing comes after: identity is a no-op
        if all(len(k) == 1 and len(v) == 1 for k, v in table.items()):
            dicts.append({"pairs": "".join(k + v for k, v in sorted(table.items()))})
        else:
            dicts.append({"map": dict(sorted(table.items()))})
    return {"source": "OpenCC t2s: " + ", ".join(p.name for p in files), "dicts": dicts}


@functools.lru_cache(maxsize=1)
def _traditional() -> frozenset[str]:
    """Characters every text t2s would change contains at least one of: one character of each
    dictionary entry that changes text."""
    witnesses = set()
    for path in _opencc_group():
        for key, value in _read_dictionary(path).items():
            if key != value:  # the first character that changes (藉 of 藉口), else the first one
                witnesses.add(next((a for a, b in zip(key, value) if a != b), key[0]))
    return frozenset(witnesses)


def has_traditional(text: str) -> bool:
    return not _traditional().isdisjoint(text)


_TEXT = re.compile(r">([^<]+)<")  # text between tags; attributes (inline metadata, filters) stay as written
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_BETWEEN_HAN = re.compile(f"(?<=[{_HAN}])(?=[{_HAN}])")
ZWSP = "\u200b"


def fold_text(text: str) -> str:
    """Search form of a page's text: OpenCC t2s, NFKC, one word per Chinese character.

    t2s runs only on text holding a character it could change (a set lookup otherwise)."""
    if has_traditional(text):
        text = to_simplified(text)
    return _BETWEEN_HAN.sub(ZWSP, unicodedata.normalize("NFKC", text))


def fold_page(html: str) -> tuple[str, bool]:
    """The page as Pagefind should read it (:func:`fold_text` applied to the text between tags), and
    whether traditional characters were folded in it."""
    folded = False

    def one(match: re.Match) -> str:
        nonlocal folded
        text = match.group(1)
        if has_traditional(text) and to_simplified(text) != text:
            folded = True
        return ">" + fold_text(text) + "<"

    return _TEXT.sub(one, html), folded


def indexed_pages(site_dir: Path) -> list[Path]:
    """The built pages that are search results, in a fixed order (paths relative to ``site_dir``)."""
    found = []
    for section in SECTIONS:
        found.extend(p.relative_to(site_dir) for p in (site_dir / section).glob("*/index.html"))
    return sorted(found)


async def _run_pagefind(staging: Path, bundle: Path) -> int:
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(force_language=LANGUAGE, include_characters=INCLUDE_CHARACTERS, output_path=str(bundle))
    async with PagefindIndex(config=config) as index:
        result = await index.add_directory(str(staging))
    return result["page_count"]


def _stage(site_dir: Path, staging: Path) -> tuple[int, int]:
    """Put the search form of each page to index under ``staging``, at its path in the site.

    Pagefind then reads the directory in one request (one request per page costs 0.1 s in its
    Python service)."""
    pages = folded = 0
    for rel in indexed_pages(site_dir):
        html = (site_dir / rel).read_text(encoding="utf-8")
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        text, changed = fold_page(html)
        target.write_text(text, encoding="utf-8")
        pages += 1
        folded += changed
    return pages, folded


def build_index(site_dir: Path) -> IndexReport:
    """Write the Pagefind bundle (``pagefind/``) and the query folding table into ``site_dir``."""
    site_dir = Path(site_dir).resolve()
    bundle = site_dir / BUNDLE_DIR
    if bundle.exists():
        shutil.rmtree(bundle)
    with tempfile.TemporaryDirectory(prefix="casebook-search-") as tmp:
        pages, folded = _stage(site_dir, Path(tmp))
        indexed = asyncio.run(_run_pagefind(Path(tmp), bundle))
    if indexed != pages:
        raise RuntimeError(f"Pagefind indexed {indexed} of {pages} pages")
    asset = site_dir / T2S_ASSET
    asset.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(t2s_table(), ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    tmp_asset = asset.with_name(f".{asset.name}.tmp")
    tmp_asset.write_bytes(data)
    os.replace(tmp_asset, asset)
    return IndexReport(pages=pages, folded=folded)
