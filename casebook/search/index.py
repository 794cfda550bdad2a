"""Full-text search: index the built site with Pagefind, as the last step of every build.

What is indexed: the pages of ``SECTIONS`` (each model, measure type, metric and tag page; not the
section indexes, which list everything). On a model page the article is search text, marked by the
theme with ``data-pagefind-body``, so the header, navigation and footer never match; on the other
pages only their own name and definition are. Weights, facets (filters) and result metadata come
from ``templates/_partials/search_meta.md.j2``.

How Chinese is indexed: as overlapping pairs of characters (bigrams). Pagefind's extended build
would cut Chinese into words with one dictionary at index time while the browser cuts the query
with another, and a word cut differently on the two sides is not found (网格 in the text, 网 + 格
in the query); single characters would be found, but common ones (党, 区) occur in every page, and
at 10,000 pages one query would fetch megabytes of index. So before Pagefind reads a page, every
run of Chinese characters is written as its bigrams and its last character (流动党员 becomes
流动 动党 党员 员_), and Pagefind indexes them as words, without a dictionary of its own (language
``und``). ``docs/javascripts/search.js`` turns the query into the same bigrams, finds phrases with
Pagefind's exact (adjacent words) search, finds any part of a word (先锋 in 老党员先锋队), and
leaves out bigrams so common that they would cost more to fetch than they tell: those are listed,
with their counts, in the query asset written here (``HEAVY``), and so are English words as common.

Phrases across punctuation: pages print names with quotation marks, 、 and · inside them
(“四老”争创“四新”, 网格长、楼长), and readers do not type them. A run of Chinese therefore goes on
across those marks and spaces (:func:`han_words`), so that 四老争创四新 is a phrase of the page, and
search.js drops the same marks from a query; a comma or full stop still ends a run.

Traditional and simplified characters: the records are simplified, some text on the pages (source
titles) is not, and readers type either script. Both sides are folded to simplified with OpenCC's
own ``t2s`` dictionaries: the pages here, with :func:`casebook.textnorm.to_simplified`, and queries
in the browser, with the table :func:`t2s_table` writes to ``search/t2s.json`` from the same
dictionary files (search.js applies it exactly as OpenCC does). Both sides also fold width (NFKC).

The pages in ``site/`` are not changed: Pagefind reads folded copies in a temporary directory.

Memory: Pagefind keeps the word data of all pages it indexes in memory (about 0.6 MB a page with
the bigrams), so a large site is indexed in batches of ``BATCH_PAGES`` pages, one Pagefind run
after another, and :func:`casebook.search.merge.merge` joins the batch bundles into one.

Shards: in the browser, Pagefind's search pairs every page holding a query word with every page
entry of that word (``search_term`` in pagefind_web's search.rs), so its time grows with the square
of the pages a word is in: at 10,000 pages a word in nine pages of ten took 0.6 s of the worker's
time on its own. A site of more than ``SHARD_PAGES`` pages is therefore split into shards, each a
bundle of its own (the first at ``pagefind/``, the others at ``pagefind/shard-N/``), pages assigned
by a hash of their path so that each shard is a fair sample of the site and scores compare across
shards. search.js merges them with Pagefind's ``mergeIndex`` (listed in the query asset): the same
results, at a fraction of the time. Each shard gets a filter of its own in the browser (Pagefind's
``mergeFilter``), so a search for one word under a filter no page has counts the pages holding it in
each shard without ranking any (a few milliseconds): search.js keeps a query of several words to the
shards holding all of them, as Pagefind would otherwise drop a word missing from one shard there.

First files: Pagefind cannot search before it has its WebAssembly code and each shard's entry and
metadata files, which it asks for one after another. :func:`with_preloads` writes links for all of
them into the search page's head, so the browser fetches them together while the page loads; the
entry files get fixed addresses from the index's tag (:func:`bundle_tag`).
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import opencc

from ..pipeline import jobs_from_env
from ..render import render_html, search_fields_path
from ..textnorm import to_simplified
from ..write import replace_file
from .bundle import canonicalise
from .merge import merge
from .vocabulary import SOFT_MARKS

SECTIONS = ("models", "measures", "metrics", "tags")
BUNDLE_DIR = "pagefind"  # the Pagefind bundle, under the site directory
QUERY_ASSET = "search/query.json"  # for the browser: the shards and the heavy bigrams
# OpenCC's t2s table for the browser, apart: a query without Chinese does not fetch it (21 KB)
T2S_ASSET = "search/t2s.json"
SEARCH_PAGE = "search/index.html"  # gets links that preload the index's first files
# One index for the whole site, in no language: Pagefind then cuts words at spaces only (the
# bigrams are cut here) and does not stem English words.
LANGUAGE = "und"
# Kept inside words so that model names such as “1+6” are indexed and found as written.
INCLUDE_CHARACTERS = "+"
# Index words (Chinese bigrams, English words) occurring more often than this in all indexed pages
# are "heavy": a query leaves them out when it has others (search.js: plan, which keeps the two
# lightest of a query of heavy English words only). Pagefind's index costs about 1.2 bytes per
# occurrence (position and weight, compressed), so a heavy word costs more than about 36 KB to fetch.
# Counted over the whole page, so words of the page's header and navigation count too.
HEAVY = 30_000
# A word every indexed page holds, as a result field of its own (Pagefind indexes the words of result fields
# too): search.js searches for it when facets are chosen and no word is typed. Pagefind's search for no
# word fetches every index chunk (76 MB on the 10,000-case search corpus); this word's chunk is one
# small file a shard. The word is one character of CJK Extension B (U+20000), which no page prints and no
# reader types, so no query reaches it as a prefix; Pagefind keeps a run of Chinese whole. (A Latin word
# would not do: Pagefind also indexes the parts of a word cut at "_" or "-", and "__every" made every
# page a result for "every".)
EVERY_FIELD, EVERY_WORD = "every", "\U00020000"
# Pages per Pagefind run: about 0.35 GB of Pagefind's memory (0.65 GB per 1,000; see the module docstring).
BATCH_PAGES = 500
# Pages per shard at most (see the module docstring). Fewer pages per shard make a broad query
# cheaper to rank; each shard costs the reader two small requests (entry and metadata), one index
# chunk per query word and its share of the filter index, and its start-up time. At 10,000 cases
# (bench/RESULTS.md) nine shards ranked grid volunteer as fast as twelve, and faster than six, while
# twelve sent up to 932 KB for a query and nine at most 809 KB.
SHARD_PAGES = 1_200
SHARD_DIR = "shard-{}"  # under BUNDLE_DIR; shard 0 is the bundle itself
_SHARD_FILES = ("pagefind-entry.json", "index", "fragment", "filter")  # + the .pf_meta file; Pagefind's code is shard 0's

_OPENCC_DIR = Path(opencc.__file__).resolve().parent


@dataclass
class IndexReport:
    pages: int
    folded: int  # pages with traditional characters, folded to simplified
    heavy: int  # index words listed as heavy
    shards: int = 1  # bundles the index is split into (SHARD_PAGES)


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
END = "_"  # marks the last character of a run; Pagefind keeps "_" inside words
_INDEX_WORD = re.compile(f"[{_HAN}](?:[{_HAN}]|{END})")
# an English word as fold_text writes it (Grid_, volunteers_, or (model_) with punctuation around), counted lower-cased
_LATIN_WORD = re.compile(f"[^\\w&]*([A-Za-z]+){END}(?![\\w&])")
# A run of Chinese goes on across SOFT_MARKS (printed inside phrases, never typed) and spaces and
# line breaks (see han_words); search.js takes the same marks out of a query. After NFKC.
_SOFT = re.escape(SOFT_MARKS) + r"\s"
_HAN_RUN = re.compile(f"[{_HAN}](?:[{_SOFT}]*[{_HAN}])*")
_SOFT_RUN = re.compile(f"[{_SOFT}]+")
SPACE_MARK = "\u2060"  # a space inside a run, kept in its index word (Pagefind splits at spaces); shown as a space


def han_words(run: str) -> list[str]:
    """Index words of a run of Chinese characters: each pair of neighbours, then the last character
    marked with "_" (流动党员: 流动 动党 党员 员_). Every character starts a word, so a one-character
    query finds it as a prefix; and the mark keeps a missing pair (员网) from matching as its first
    character (Pagefind falls back to the longest word a query word starts with).

    Marks of :data:`SOFT_MARKS` and spaces between two characters do not end the run: they follow
    the pair that spans them, which stays a neighbour of the pairs around it (“四老”争创“四新” gives
    四老 老争” 争创 创四“ 四新 新_, so 四老争创四新 is found as a phrase). Pagefind indexes such a word
    both as written and without its marks; search.js shows the marks where they were printed."""
    chars, marks = [], []  # marks[i]: what is printed between chars[i] and chars[i + 1]
    position = 0
    for match in _SOFT_RUN.finditer(run):
        piece = run[position:match.start()]
        chars.extend(piece)
        marks.extend([""] * (len(piece) - 1) + [re.sub(r"\s+", SPACE_MARK, match.group())])
        position = match.end()
    chars.extend(run[position:])
    marks.extend([""] * (len(chars) - 1 - len(marks)))
    return [chars[i] + chars[i + 1] + marks[i] for i in range(len(chars) - 1)] + [chars[-1] + END]


# Any other word (letters, digits, "+"), not inside an entity (&amp; &#39;) and from its first character.
_OTHER_WORD = re.compile(f"(?<![&#+])(?<!(?![{_HAN}])\\w)(?:(?![{_HAN}])[\\w+])+")


def fold_text(text: str) -> str:
    """Search form of a page's text: OpenCC t2s, NFKC, each other word marked at its end with "_"
    (12345 becomes 12345_), and each run of Chinese as its index words, between spaces.

    The mark on other words is for the shards: where no word of a shard starts with a query word,
    Pagefind falls back to the longest word the query word starts with (12345 would find 1 in a
    shard without 12345), and a marked word never starts another (1_ does not start 12345).
    t2s runs only on text holding a character it could change (a set lookup otherwise)."""
    if has_traditional(text):
        text = to_simplified(text)
    text = unicodedata.normalize("NFKC", text)
    text = _OTHER_WORD.sub(r"\g<0>" + END, text)
    # Pagefind also indexes the parts of a hyphenated word without their marks (2026_-12_-01_ gives 12), and a
    # query word falls back to such a part (12345 found 12 in a shard without 12345): keep the parts apart.
    text = text.replace(END + "-", END + " -")
    return _HAN_RUN.sub(lambda m: " " + " ".join(han_words(m.group())) + " ", text)


def fold_page(html: str, counts: Counter | None = None) -> tuple[str, bool]:
    """The page as Pagefind should read it (:func:`fold_text` applied to the text between tags), and
    whether traditional characters were folded in it. Its Chinese index words and English words are
    counted into ``counts``."""
    folded = False

    def one(match: re.Match) -> str:
        nonlocal folded
        text, changed, words = _fold_node(match.group(1))
        folded = folded or changed
        if counts is not None and words:
            counts.update(words)
        return ">" + text + "<"

    return _TEXT.sub(one, html), folded


_NODES: dict[str, tuple[str, bool, tuple[str, ...]]] = {}
_NODE_CHARS = 80  # shorter texts are kept folded: nine in ten of a page's text nodes (line breaks, the
_NODES_KEPT = 200_000  # header, navigation, labels) are seen on other pages too (issue 17: 10,000 pages)


def _index_words(folded: str):
    for w in folded.split():
        if _INDEX_WORD.match(w):
            if not w[2:].strip(SOFT_MARKS + SPACE_MARK):
                yield w[:2]
        elif latin := _LATIN_WORD.match(w):
            yield latin.group(1).lower()


def _fold_node(text: str) -> tuple[str, bool, tuple[str, ...]]:
    """One text node: (its search form, whether t2s changed it, its index words to count: Chinese
    bigrams and last characters, and English words)."""
    known = _NODES.get(text)
    if known is not None:
        return known
    changed = has_traditional(text) and to_simplified(text) != text
    folded = fold_text(text)
    words = tuple(_index_words(folded))
    if len(text) <= _NODE_CHARS:
        if len(_NODES) >= _NODES_KEPT:
            _NODES.clear()
        _NODES[text] = folded, changed, words
    return folded, changed, words


def query_asset(counts: Counter, shards: list[str] = (), tag: str = "") -> dict:
    """What search.js needs besides Pagefind: the shards to merge (directories under ``pagefind/``),
    the tag of this build of the index (:func:`bundle_tag`) and the heavy index words with their
    counts (the t2s table is a file of its own, ``T2S_ASSET``). For a single character the count is that of all index words it starts,
    which a one-character query fetches."""
    starts: Counter = Counter()
    for word, n in counts.items():
        starts[word[0]] += n
    heavy = {w: n for w, n in counts.items() if not w.endswith(END) and n > HEAVY}
    heavy.update((c, n) for c, n in starts.items() if n > HEAVY)
    return {"shards": list(shards), "tag": tag, "heavy": dict(sorted(heavy.items())), "every": EVERY_WORD}


def _entries(bundle: Path, shards: list[str]) -> list[tuple[str, bytes]]:
    """(directory under the bundle, bytes of its pagefind-entry.json) of the bundle and each shard."""
    return [(d, (bundle / d / "pagefind-entry.json").read_bytes()) for d in ["", *shards]]


def bundle_tag(bundle: Path, shards: list[str]) -> str:
    """A name for this build of the index: a digest of its entry files, which name its metadata files
    by their content. search.js gives it to Pagefind (metaCacheTag), which then asks for each entry
    file at a fixed address (pagefind-entry.json?ts=TAG) instead of a new one every time."""
    digest = hashlib.sha1()
    for directory, entry in _entries(bundle, shards):
        digest.update(directory.encode("utf-8") + b"\0" + entry + b"\0")
    return digest.hexdigest()[:16]


def preload_paths(bundle: Path, shards: list[str], tag: str) -> list[str]:
    """The files Pagefind fetches before it can search, under the bundle, in the order it asks for them:
    the WebAssembly code, then each shard's entry and metadata."""
    paths = []
    for directory, entry in _entries(bundle, shards):
        language = json.loads(entry)["languages"][LANGUAGE]
        if not directory:
            paths.append(f"wasm.{language.get('wasm') or 'unknown'}.pagefind")
        paths += [f"{directory}pagefind-entry.json?ts={tag}", f"{directory}pagefind.{language['hash']}.pf_meta"]
    return paths


PRELOAD_START, PRELOAD_END = "<!-- casebook:pagefind-preload -->", "<!-- /casebook:pagefind-preload -->"


def with_preloads(html: str, paths: list[str]) -> str:
    """The search page with links that fetch ``paths`` (under ``pagefind/``) while the page loads,
    written between the markers overrides/main.html leaves in its head (replacing earlier ones)."""
    start, end = html.find(PRELOAD_START), html.find(PRELOAD_END)
    if start < 0 or end < start:
        return html
    links = render_html("_partials/search_preload.html.j2", bundle=BUNDLE_DIR, paths=paths)
    return html[:start + len(PRELOAD_START)] + links + html[end:]


def indexed_pages(site_dir: Path) -> list[Path]:
    """The built pages that are search results, in a fixed order (paths relative to ``site_dir``)."""
    found = []
    for section in SECTIONS:
        found.extend(p.relative_to(site_dir) for p in (site_dir / section).glob("*/index.html") if not _is_redirect(p))
    return sorted(found)


def _is_redirect(page: Path) -> bool:
    """The stub left at a renamed case's old address (mkdocs-redirects): a few hundred bytes, no body."""
    return page.stat().st_size < 4096 and 'http-equiv="refresh"' in page.read_text(encoding="utf-8")


def _run_pagefind(staging: Path, bundle: Path) -> int:
    """Index ``staging`` into ``bundle`` with Pagefind's own command; returns the pages indexed.

    The command, not the Python API: the API's service can be shut down before its last file is
    on disk (an empty pagefind-entry.json was seen once in 20 batches at 10,000 cases)."""
    from pagefind_bin_extended import get_executable

    command = [str(get_executable()), "--site", str(staging), "--output-path", str(bundle),
               "--force-language", LANGUAGE, "--include-characters", INCLUDE_CHARACTERS, "--quiet"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"Pagefind failed ({done.returncode}): {(done.stderr or done.stdout)[-2000:]}")
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(language["page_count"] for language in entry["languages"].values())


_SEARCH_LINES = re.compile(r"(<div data-cb-search-article hidden>\n)(.*?)(\n</div>)", re.S)
_BODY_END = "</div>\n</article>"  # the end of a model page's data-pagefind-body (overrides/main.html)


def with_search_fields(html: str, fields: str) -> str:
    """A model page with its search fields (search/cases/<id>.txt) as a hidden block at the end of its search
    text, where the page itself once carried them: Pagefind reads them there once expand_search_lines has run."""
    end = html.rfind(_BODY_END)
    if end < 0:
        raise ValueError("no end of the search text (data-pagefind-body) in the page")
    lines = "\n".join(line for line in fields.strip().split("\n") if not line.startswith("# "))  # the generator's mark
    return f"{html[:end]}<div data-cb-search-article hidden>\n{lines}\n</div>\n{html[end:]}"


def _fields_of(site_dir: Path, rel: Path) -> str | None:
    """The search fields of a model page, None for other pages; a model page without them is an error (the site
    was built by something other than casebook's generator, or the file was removed)."""
    if rel.parts[0] != "models":
        return None
    path = site_dir / search_fields_path(rel.parts[1])
    if not path.is_file():
        raise RuntimeError(f"{path}: the search fields of {rel} are missing; casebook writes them with the page "
                           "(templates/search_fields.txt.j2). Hint: build the site again with `make build`.")
    return path.read_text(encoding="utf-8")
_SEARCH_LINE = re.compile(r"(m|f|w[0-9]+)(?: (.*))?")  # the space goes with an empty text (squeezed away)
_LINE_MARKUP = {"m": '<i data-pagefind-meta="{}"></i>', "f": '<i data-pagefind-filter="{}"></i>'}


_BODY_START = re.compile(r"<[a-z]+ [^>]*\bdata-pagefind-body\b[^>]*>")


def with_every_word(html: str) -> str:
    """The page with :data:`EVERY_WORD` as a result field at the start of its search text (data-pagefind-body):
    a page without search text is not indexed and stays as it is."""
    start = _BODY_START.search(html)
    if not start:
        return html
    mark = f'<i data-pagefind-meta="{EVERY_FIELD}:{EVERY_WORD}"></i>'
    return html[:start.end()] + mark + html[start.end():]


def expand_search_lines(html: str) -> str:
    """A model page's search block (with_search_fields; templates/search_fields.txt.j2) as Pagefind reads it: each
    line "m key:value", "f facet:value" or "wN text" written as Pagefind's metadata, filter or weighted
    text. The lines' text is escaped by the renderer (no raw <, >, & or "), so it goes into an
    attribute as it is. A line of another form is a bug in the template: an error, not a silent loss."""
    def lines(match: re.Match) -> str:
        out = []
        for line in match.group(2).split("\n"):
            parsed = _SEARCH_LINE.fullmatch(line)
            if not parsed:
                raise ValueError(f"search block line not understood: {line!r}")
            kind, text = parsed.group(1), parsed.group(2) or ""
            if kind in _LINE_MARKUP:
                out.append(_LINE_MARKUP[kind].format(text))
            else:
                out.append(f'<p data-pagefind-weight="{kind[1:]}">{text}</p>')
        return match.group(1) + "\n".join(out) + match.group(3)

    return _SEARCH_LINES.sub(lines, html, count=1)


_ID = re.compile(r' id="[^"]*"')


def without_ids(html: str) -> str:
    """The page without its elements' ids: Pagefind keeps every element with an id as an anchor, with its
    text, in the page's fragment (sub-results, which search.js does not show): 2 KB a model page of 13
    measures, fetched with every result shown (issue 17)."""
    return _ID.sub("", html)


def without_quotations(html: str) -> str:
    """The page with its quotations (<q>, the evidence under each measure and figure) left out of the search text:
    they repeat, in the article's words, what the page's own title, summary and descriptions say, and were a
    seventh of a model page's text in the index and in every fragment fetched (issue 17). The article itself is
    on the case's sources page."""
    return html.replace("<q ", "<q data-pagefind-ignore ")


def _stage(site_dir: Path, pages: list[Path], staging: Path, counts: Counter) -> int:
    """Put the search form of ``pages`` under ``staging``, each at its path in the site; returns how
    many had traditional characters folded.

    Pagefind then reads the whole directory in one run."""
    folded = 0
    for rel in pages:
        html = (site_dir / rel).read_text(encoding="utf-8")
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        fields = _fields_of(site_dir, rel)
        if fields is not None:
            html = with_search_fields(html, fields)
        text, changed = fold_page(with_every_word(without_quotations(without_ids(expand_search_lines(html)))), counts)
        target.write_text(text, encoding="utf-8")
        folded += changed
    return folded


def shard_of(rel: Path, shards: int) -> int:
    """The shard a page goes to: a hash of its path, so that shards are samples of the whole site."""
    return int.from_bytes(hashlib.sha1(rel.as_posix().encode("utf-8")).digest()[:8], "big") % shards


def shards_of(pages: list[Path], shard_pages: int) -> list[list[Path]]:
    """``pages`` cut into as few shards as keep each within ``shard_pages`` on average (none empty)."""
    count = max(1, -(-len(pages) // shard_pages))
    shards: list[list[Path]] = [[] for _ in range(count)]
    for rel in pages:
        shards[shard_of(rel, count)].append(rel)
    return [shard for shard in shards if shard] or [[]]


def _index_pages(site_dir: Path, pages: list[Path], out: Path, tmp: Path, counts: Counter, batch_pages: int) -> int:
    """Write the bundle of ``pages`` into ``out``: one Pagefind run per batch (sequential, each
    run's memory freed when it ends), merged. Returns the pages with traditional characters folded."""
    batches = [pages[i:i + batch_pages] for i in range(0, len(pages), batch_pages)] or [[]]
    folded = 0
    bundles = []
    for number, batch in enumerate(batches):
        staging = tmp / f"pages-{number:04d}"
        staging.mkdir()
        folded += _stage(site_dir, batch, staging, counts)
        bundle = tmp / f"bundle-{number:04d}"
        indexed = _run_pagefind(staging, bundle)
        if indexed != len(batch):
            raise RuntimeError(f"Pagefind indexed {indexed} of {len(batch)} pages")
        shutil.rmtree(staging)  # the staged copies are not needed again; keep the disk use to one batch
        bundles.append(bundle)
    # Merged even when there is one batch: the merge cuts the index into chunks by the project's
    # rule (casebook/search/merge.py's may_cut), not Pagefind's.
    merged = merge(bundles, out)
    if merged != len(pages):
        raise RuntimeError(f"merged {merged} of {len(pages)} pages")
    for bundle in bundles:
        shutil.rmtree(bundle)
    return folded


def _index_shard(site_dir: Path, pages: list[Path], out: Path, work: Path, batch_pages: int) -> tuple[int, Counter]:
    """One shard's bundle (:func:`_index_pages`), with its own count of index words: run in a child process."""
    counts: Counter = Counter()
    return _index_pages(site_dir, pages, out, work, counts, batch_pages), counts


def _index(site_dir: Path, fresh: Path, counts: Counter, batch_pages: int, shard_pages: int) -> tuple[int, int, list[str]]:
    """Write the bundle of the indexed pages of ``site_dir`` into ``fresh``, its shards beside
    Pagefind's code in ``fresh/shard-N/``. Returns (pages, folded, shard directories)."""
    rel_pages = indexed_pages(site_dir)
    folded = 0
    names = []
    with tempfile.TemporaryDirectory(prefix="casebook-search-") as tmp:
        tmp = Path(tmp)
        shards = shards_of(rel_pages, shard_pages)
        outs = []
        for number in range(len(shards)):
            work = tmp / f"shard-{number:03d}"
            work.mkdir()
            outs.append((work, fresh if number == 0 else work / "bundle"))
        # Shards are independent bundles: with more than one, they are indexed in parallel processes (folding the
        # pages is Python on one core, Pagefind's own run a few threads), as many as the machine has cores.
        jobs = min(len(shards), jobs_from_env(os.environ))  # CASEBOOK_JOBS, as for generation
        if jobs > 1:
            import concurrent.futures
            import multiprocessing

            with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                done = [pool.submit(_index_shard, site_dir, shard, out, work, batch_pages) for shard, (work, out) in zip(shards, outs)]
                results = [d.result() for d in done]
        else:
            results = [_index_shard(site_dir, shard, out, work, batch_pages) for shard, (work, out) in zip(shards, outs)]
        for number, ((shard_folded, shard_counts), (work, out)) in enumerate(zip(results, outs)):
            folded += shard_folded
            counts.update(shard_counts)
            canonicalise(out)  # same site, same bytes (Pagefind orders its filter files at random)
            if number:
                name = SHARD_DIR.format(number)
                target = fresh / name
                target.mkdir()
                for path in sorted(out.iterdir()):  # the data only; the code (pagefind.js, wasm) is shard 0's
                    if path.name in _SHARD_FILES or path.suffix == ".pf_meta":
                        os.replace(path, target / path.name)
                names.append(name + "/")
            shutil.rmtree(work)
    return len(rel_pages), folded, names


def build_index(site_dir: Path, batch_pages: int = BATCH_PAGES, shard_pages: int = SHARD_PAGES) -> IndexReport:
    """Write the Pagefind bundle (``pagefind/``) and the query asset into ``site_dir``.

    The bundle is written beside the old one and swapped in whole, so a reader (under serve, while
    the next index is built) never fetches half of it, and a failure leaves the old one in place."""
    site_dir = Path(site_dir).resolve()
    bundle = site_dir / BUNDLE_DIR
    fresh, old = site_dir / f".{BUNDLE_DIR}.new", site_dir / f".{BUNDLE_DIR}.old"  # same disk: renames are atomic
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    counts: Counter = Counter()
    try:
        pages, folded, shards = _index(site_dir, fresh, counts, batch_pages, shard_pages)
        if bundle.exists():
            os.replace(bundle, old)
        os.replace(fresh, bundle)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    tag = bundle_tag(bundle, shards)
    data = query_asset(counts, shards, tag)
    asset = site_dir / QUERY_ASSET
    asset.parent.mkdir(parents=True, exist_ok=True)
    replace_file(asset, json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True))
    replace_file(site_dir / T2S_ASSET, json.dumps(t2s_table(), ensure_ascii=False, separators=(",", ":"), sort_keys=True))
    page = site_dir / SEARCH_PAGE
    if page.is_file():
        replace_file(page, with_preloads(page.read_text(encoding="utf-8"), preload_paths(bundle, shards, tag)))
    return IndexReport(pages=pages, folded=folded, heavy=len(data["heavy"]), shards=1 + len(shards))


def main(argv: list[str]) -> int:
    """``python -m casebook.search SITE_DIR``: index a built site, print the report as JSON (the
    background indexing under serve runs this, casebook/search/reindex.py)."""
    if len(argv) != 1:
        print("usage: python -m casebook.search SITE_DIR", file=sys.stderr)
        return 2
    try:
        report = build_index(Path(argv[0]))
    except Exception as exc:  # one line for the serve log, not a traceback
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(asdict(report)))
    return 0

