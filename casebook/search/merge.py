"""Merge Pagefind bundles, each indexed from a batch of pages, into one ordinary bundle.

Why: Pagefind holds the word data of every page in memory until it writes the index (about 0.6 MB
a page here, as Chinese is indexed as bigrams), so one run over 10,000 pages would need some 6 GB.
Indexed in batches, its memory is bounded by the batch; this module then joins the batch bundles
into the bundle one run would have written (the same files, but for page numbers, see below),
which Pagefind's own ``pagefind.js`` reads unchanged.

The format is Pagefind 1.5.2's (``pagefind/src/index/mod.rs`` and ``output/mod.rs``): gzip-compressed
``pagefind_dcd`` + CBOR (+ JSON for fragments). Pages are numbered by their place in the metadata
file; word index chunks hold, for each word in sorted order, its pages (numbers delta-encoded) with
positions; filter files list page numbers per value. Merging therefore renumbers pages and k-way
merges the sorted words of all batches, one decoded chunk per batch in memory at a time, cutting the
output into chunks by the rule of :func:`may_cut` (smaller than Pagefind's; Latin words never cut
inside a shared prefix). Every bundle, even of one batch, goes through this merge, so
its chunks are cut the same way however the pages were batched.

Positions kept: a page's positions of a word that is not Chinese are cut to the first
``POSITIONS_KEPT`` of each weight (see :func:`capped_positions`, which says why).

Pages are numbered in the batches' order and, within a batch, by their URL's path segments (the
order :func:`casebook.search.index.indexed_pages` cuts batches in), not in the order Pagefind happened to
read the files from disk: the merged bundle then does not depend on how the batches were cut.
"""
from __future__ import annotations

import gzip
import hashlib
import heapq
import itertools
import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

from .bundle import MAGIC, cbor_decode, cbor_encode, read_file
from .bundle import _head as _cbor_head  # the head of a CBOR item: (major type, value) -> bytes

# Pagefind's default ``index_chunk_size`` (options.rs), which its environment variable overrides.
INDEX_CHUNK_SIZE = 20_000
_CHUNK_SIZE_ENV = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"
_DATA_DIRS = ("index", "fragment", "filter")  # written per bundle; the rest is the same in every bundle


def full_hash(data: bytes) -> str:
    """Pagefind's ``full_hash``: SHA-1 in hex, each byte written without a leading zero."""
    return "".join(format(b, "x") for b in hashlib.sha1(data).digest())


# Why smaller chunks, and where a cut may fall. Every word of a query costs the reader one index
# chunk from every shard (Pagefind fetches, per query word, the first chunk whose range holds it:
# ``request_indexes`` in pagefind_web), so at 10,000 cases a phrase of five bigrams fetched 30
# chunks of 35-58 KB each, mostly words it does not need; but every chunk also costs a line in each
# shard's metadata, which every search fetches. Measured at 10,000 cases (bench/RESULTS.md), a third
# of Pagefind's size for Chinese and an eighth for Latin words gave the smallest largest transfer.
# Chinese is indexed as bigrams, which search.js looks up whole, so a cut between two of them loses
# nothing (only a query of one character, a prefix of every bigram it starts, may then miss pages:
# at a large site it would find most pages anyway). Latin words are looked up as prefixes (volunteer
# finds volunteers), and Pagefind fetches one chunk per query word, so a cut inside a run of words
# sharing their first PREFIX_KEEP characters would lose the later words of the run for such a
# query: cuts there wait, up to PREFIX_CAP times Pagefind's size.
HAN_CHUNK_DIVISOR = 3
LATIN_CHUNK_DIVISOR = 8
PREFIX_KEEP = 4
PREFIX_CAP = 4
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def may_cut(last: str, word: str, filled: int, size: int) -> bool:
    """Whether a chunk holding words up to ``last`` (``filled`` of Pagefind's ``size``) ends before ``word``."""
    if _HAN.match(last) and _HAN.match(word):
        return filled >= size // HAN_CHUNK_DIVISOR
    if filled >= PREFIX_CAP * size:
        return True
    shared = len(os.path.commonprefix([last, word]))
    return filled >= size // LATIN_CHUNK_DIVISOR and shared < min(PREFIX_KEEP, len(last), len(word))


def index_chunk_size() -> int:
    try:
        return int(os.environ[_CHUNK_SIZE_ENV])
    except (KeyError, ValueError):
        return INDEX_CHUNK_SIZE


# Why positions are capped, and only for words that are not Chinese. In the browser Pagefind hands every
# position of every page holding a query word from its WebAssembly to JavaScript (parsed as JSON, made
# into objects) before it returns the first result, and a broad English query at 10,000 cases has some
# 45,000 positions a shard (grid, volunteer, volunteers, volunteering, each many times a page). What
# Pagefind does with them: a page's score counts each position of a word by its weight, and BM25
# saturates (Pagefind's term_saturation, 1.4): on a page of average length 8 positions of weight 1
# give 85 % of the most a word can score, 16 give 92 %, and a ninth moves the score by under 2 %; the
# excerpt is centred where positions cluster; search.js shows no sub-results. On the 10,000-case
# benchmark the cap cuts the Latin words' positions from 11.1 to 7.9 million (of 40.6 million in all).
# Chinese index words (bigrams) keep all positions: search.js finds a phrase with Pagefind's exact search,
# which needs the position of every bigram wherever the phrase is on the page. Latin words are never
# searched as phrases (search.js plans each as a term of its own).
POSITIONS_KEPT = 8


def capped_positions(values: list[int], keep: int = POSITIONS_KEPT) -> list[int]:
    """Pagefind's positions of a word on a page, each weight's first ``keep`` kept. A negative value
    -(w + 1) gives the weight w of the positions after it (before the first, Pagefind's default);
    a weight mark is kept only where a kept position follows it."""
    out, seen, weight, mark = [], {}, None, None
    for value in values:
        if value < 0:
            weight = mark = value
            continue
        if seen.get(weight, 0) < keep:
            seen[weight] = seen.get(weight, 0) + 1
            if mark is not None:
                out.append(mark)
                mark = None
            out.append(value)
    return out


# ---- CBOR, at the speed the index needs ------------------------------------------------------
# The index holds tens of millions of positions at 10,000 pages; decoding each as a Python int
# would take minutes. Positions never change in a merge, so each page's position list is kept as its CBOR
# bytes, its end found by one regular expression (a run of CBOR integers ends at the next array head).

_INTS = re.compile(rb"(?:[\x00-\x17\x20-\x37]|[\x18\x38].|[\x19\x39]..|[\x1a\x3a].{4}|[\x1b\x3b].{8})*", re.S)


def _head(data: bytes, i: int) -> tuple[int, int, int]:
    """(major type, value, next offset) of the CBOR item head at ``i``."""
    initial = data[i]
    major, extra = initial >> 5, initial & 31
    if extra < 24:
        return major, extra, i + 1
    if extra > 27:
        raise ValueError(f"CBOR: unsupported item {initial:#x} at {i}")
    size = 1 << (extra - 24)
    return major, int.from_bytes(data[i + 1:i + 1 + size], "big"), i + 1 + size


def _expect(data: bytes, i: int, major: int) -> tuple[int, int]:
    found, value, i = _head(data, i)
    if found != major:
        raise ValueError(f"Pagefind index: expected CBOR major type {major} at {i}, found {found}")
    return value, i


def _text(data: bytes, i: int) -> tuple[str, int]:
    n, i = _expect(data, i, 3)
    return data[i:i + n].decode("utf-8"), i + n


def _ints(data: bytes, i: int) -> tuple[int, int]:
    """Count and end of the array of integers at ``i``."""
    n, j = _expect(data, i, 4)
    end = _INTS.match(data, j).end()
    return n, end


# One page of one word, [page number, positions, meta positions], as Pagefind 1.5.2 writes it; one
# C call per page instead of a dozen Python ones. Groups: page number, head of each position list.
_UINT = rb"(?:[\x00-\x17]|\x18.|\x19..|\x1a.{4}|\x1b.{8})"
_ARRAY = rb"(?:[\x80-\x97]|\x98.|\x99..|\x9a.{4}|\x9b.{8})"
_PAGE = re.compile(rb"\x83(" + _UINT + rb")(" + _ARRAY + rb")" + _INTS.pattern + rb"(" + _ARRAY + rb")" + _INTS.pattern, re.S)


def _pages(data: bytes, i: int, renumber: list[int], fields: list[int] | None, cap: bool) -> tuple[list[tuple], int]:
    """A word's page list, renumbered: (number in the merged bundle, its positions as CBOR, Pagefind's
    chunk measure). Meta positions are re-pointed to the merged metadata fields (``fields`` maps a
    batch's field id to the merged one; None when they are the same). With ``cap``, each page's
    positions are :func:`capped_positions`."""
    count, i = _expect(data, i, 4)
    pages, number = [], 0
    match = _PAGE.match
    for _ in range(count):
        m = match(data, i)
        if m is None:  # another layout (a page without meta positions, as older Pagefinds wrote)
            page, i, number = _page_slowly(data, i, number, renumber, fields, cap)
            pages.append(page)
            continue
        delta, locs, meta = m.groups()  # CBOR item heads, read here: this runs once per page and word
        number += delta[0] if len(delta) == 1 else int.from_bytes(delta[1:], "big")
        i = m.end()
        nlocs = locs[0] & 31 if len(locs) == 1 else int.from_bytes(locs[1:], "big")
        size = nlocs + (meta[0] & 31 if len(meta) == 1 else int.from_bytes(meta[1:], "big")) + 1
        positions = data[m.end(1):m.start(3)]
        if cap and nlocs > POSITIONS_KEPT:  # at most that many positions: nothing to cut
            kept = capped_positions(cbor_decode(positions))
            positions, size = cbor_encode(kept), size - nlocs + len(kept)
        tail = positions + (data[m.start(3):i] if fields is None else _meta_locs(data[m.start(3):i], fields))
        pages.append((renumber[number], tail, size))
    if any(a[0] > b[0] for a, b in zip(pages, pages[1:])):
        pages.sort(key=lambda p: p[0])
    return pages, i


def _page_slowly(data: bytes, i: int, number: int, renumber: list[int], fields: list[int] | None, cap: bool):
    length, i = _expect(data, i, 4)
    delta, i = _expect(data, i, 0)
    number += delta
    start = i
    nlocs, i = _ints(data, i)
    positions = data[start:i]
    if cap and nlocs > POSITIONS_KEPT:
        kept = capped_positions(cbor_decode(positions))
        positions, nlocs = cbor_encode(kept), len(kept)
    nmeta, meta_start = 0, i
    if length >= 3:
        nmeta, i = _ints(data, i)
    tail = positions + _meta_locs(data[meta_start:i], fields)
    return (renumber[number], tail, nlocs + nmeta + 1), i, number


def _meta_locs(raw: bytes, fields: list[int] | None) -> bytes:
    """Meta positions switch field with -(field id + 1); re-point those to the merged field list."""
    if not raw:
        return b"\x80"
    if fields is None or raw == b"\x80":
        return raw
    locs = cbor_decode(raw)
    return cbor_encode([-(fields[-x - 1] + 1) if x < 0 else x for x in locs])


def _words(bundle: Path, chunks: list, renumber: list[int], fields: list[int] | None):
    """The words of one batch bundle in sorted order: (word, pages, variants), one chunk decoded at a time."""
    for _from, _to, name in chunks:
        raw = gzip.decompress((bundle / "index" / f"{name}.pf_index").read_bytes())
        if not raw.startswith(MAGIC):
            raise ValueError(f"{bundle}/index/{name}: not a Pagefind data file")
        data = raw[len(MAGIC):]
        _, i = _expect(data, 0, 4)  # [words]
        count, i = _expect(data, i, 4)
        for _ in range(count):
            _, i = _expect(data, i, 4)
            word, i = _text(data, i)
            cap = not _HAN.match(word)  # Chinese index words keep every position (see POSITIONS_KEPT)
            pages, i = _pages(data, i, renumber, fields, cap)
            nvariants, i = _expect(data, i, 4)
            variants = []
            for _ in range(nvariants):  # other diacritic forms of the word (café for cafe)
                _, i = _expect(data, i, 4)
                form, i = _text(data, i)
                vpages, i = _pages(data, i, renumber, fields, cap)
                variants.append((form, vpages))
            yield word, pages, variants
        if i != len(data):
            raise ValueError(f"{bundle}/index/{name}: trailing bytes")


_PAGE_HEADS = [b"\x83" + _cbor_head(0, delta) for delta in range(256)]


def _encode_pages(pages: list[tuple]) -> bytes:
    out, last = [_cbor_head(4, len(pages))], 0
    for number, tail, _size in pages:
        delta = number - last
        out.append(_PAGE_HEADS[delta] + tail if delta < 256 else b"\x83" + _cbor_head(0, delta) + tail)
        last = number
    return b"".join(out)


def _encode_word(word: str, pages: list[tuple], variants: list) -> bytes:
    parts = [b"\x83", cbor_encode(word), _encode_pages(pages), _cbor_head(4, len(variants))]
    for form, vpages in variants:
        parts += [b"\x82", cbor_encode(form), _encode_pages(vpages)]
    return b"".join(parts)


# ---- names -------------------------------------------------------------------------------------

def _free_name(name: str, full: str, taken, step: int) -> str:
    """Pagefind names files by a prefix of their content hash and lengthens the prefix on a clash
    (by one character for fragments, two for index chunks); never overwrite a different file."""
    if not full.startswith(name):
        raise ValueError(f"Pagefind file {name} is not named by its content ({full})")
    while name in taken:
        if len(name) >= len(full):
            raise ValueError(f"Pagefind file name {name} clashes with a different file")
        name = full[:len(name) + step]
    return name


def _write(path: Path, body: bytes) -> None:
    # Level 6, not Pagefind's 9: 1.5 % larger index files, compressed five times as fast.
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(MAGIC + body, 6, mtime=0))


class _Chunks:
    """Writes the merged words into index chunks. Pagefind's own ``chunk_index`` ends a chunk after
    the word that brings the sum of (positions + meta positions + 1) over its pages to ``size``;
    here a chunk ends before a word where :func:`may_cut` says so, the sizes measured the same way.
    Keeps only each chunk's first and last word and name."""

    def __init__(self, out: Path, language: str, size: int):
        self.out, self.language, self.size = out, language, size
        self.words: list[bytes] = []
        self.first = self.last = ""
        self.filled = 0
        self.meta: list[list[str]] = []  # [first word, last word, name]
        self.names: set[str] = set()

    def add(self, word: str, encoded: bytes, size: int) -> None:
        if self.words and may_cut(self.last, word, self.filled, self.size):
            self.flush()
        if not self.words:
            self.first = word
        self.words.append(encoded)
        self.last = word
        self.filled += size

    def flush(self) -> None:
        if not self.words:
            return
        body = _cbor_head(4, 1) + _cbor_head(4, len(self.words)) + b"".join(self.words)
        full = f"{self.language}_{full_hash(body)}"
        name = _free_name(full[:len(self.language) + 8], full, self.names, 2)
        self.names.add(name)
        _write(self.out / "index" / f"{name}.pf_index", body)
        self.meta.append([self.first, self.last, name])
        self.words, self.filled = [], 0

    def ranges(self) -> list[list[str]]:
        """Pagefind's ``chunk_meta``: each chunk's range trimmed to the shortest prefixes that still
        tell it from its neighbour (the browser picks chunks by comparing a query's prefix)."""
        ranges = [list(m) for m in self.meta]
        for a, b in zip(ranges, ranges[1:]):
            common = len(list(itertools.takewhile(lambda pair: pair[0] == pair[1], zip(b[0], a[1]))))
            to, fro = a[1][:common + 1], b[0][:common + 1]
            if to >= a[0]:  # only if the range stays valid
                a[1] = to
            b[0] = fro
        return ranges


def _merge_variants(groups: list[list]) -> list:
    """Diacritic variants of one word from several batches: by form, in order of first appearance."""
    merged: dict[str, list[tuple]] = {}
    for variants in groups:
        for form, pages in variants:
            merged.setdefault(form, []).extend(pages)
    return list(merged.items())


# ---- the merge ---------------------------------------------------------------------------------

def _read_bundle(bundle: Path) -> tuple[dict, str, list]:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    if len(entry["languages"]) != 1:
        raise ValueError(f"{bundle}: expected one language (indexed with force_language)")
    (language, info), = entry["languages"].items()
    return entry, language, read_file(bundle / f"pagefind.{info['hash']}.pf_meta")


def _fragment(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())[len(MAGIC):]  # the page's JSON


def merge(bundles: list[Path], out: Path) -> int:
    """Write one bundle into ``out`` (which must not exist) holding all pages of ``bundles``, in
    their order; returns the page count. Sorted filter and metadata files are left to
    :func:`casebook.search.bundle.canonicalise`."""
    bundles = [Path(b) for b in bundles]
    out = Path(out)
    read = [_read_bundle(b) for b in bundles]
    entry, language, first_meta = read[0]
    for bundle, (e, lang, meta) in zip(bundles, read):
        if (e["version"], lang, meta[0]) != (entry["version"], language, first_meta[0]):
            raise ValueError(f"{bundle}: another Pagefind version or language than {bundles[0]}")
        if meta[4]:  # a sort lists page numbers ordered by values the bundle does not keep
            raise ValueError(f"{bundle}: Pagefind sorts cannot be merged")
    fields = sorted({f for _, _, meta in read for f in meta[5]})  # Pagefind's meta_fields: a sorted set

    shutil.copytree(bundles[0], out, ignore=lambda d, names: [
        n for n in names if Path(d) == bundles[0] and (n in _DATA_DIRS or n.endswith(".pf_meta") or n == "pagefind-entry.json")])

    # Pages: numbered batch by batch, within a batch by URL path; fragments copied as Pagefind wrote them.
    pages, renumbers, taken = [], [], {}
    (out / "fragment").mkdir()
    for bundle, (_, _, meta) in zip(bundles, read):
        found = []
        for local, (name, word_count) in enumerate(meta[1]):
            path = bundle / "fragment" / f"{name}.pf_fragment"
            content = _fragment(path)
            key = unquote(json.loads(content)["url"]).strip("/").split("/")  # as the site's paths sort
            found.append((key, local, name, word_count, path, hashlib.sha1(content).digest()))
        found.sort(key=lambda f: f[0])
        renumber = [0] * len(found)
        for _key, local, name, word_count, path, digest in found:
            renumber[local] = len(pages)
            if name in taken and taken[name] != digest:  # a clash across batches (a page may share an identical fragment)
                name = _free_name(name, f"{language}_{full_hash(_fragment(path))}", taken, 1)
            taken[name] = digest
            shutil.copyfile(path, out / "fragment" / f"{name}.pf_fragment")
            pages.append([name, word_count])
        renumbers.append(renumber)

    # Filters: {filter: {value: [page]}}, small beside the word index.
    filters: dict[str, dict[str, list[int]]] = {}
    for bundle, (_, _, meta), renumber in zip(bundles, read, renumbers):
        for _name, file in meta[3]:
            name, values = read_file(bundle / "filter" / f"{file}.pf_filter")
            for value, ids in values:
                filters.setdefault(name, {}).setdefault(value, []).extend(renumber[i] for i in ids)
    filter_meta = []
    for name in sorted(filters):
        body = cbor_encode([name, [[v, sorted(ids)] for v, ids in sorted(filters[name].items())]])
        file = f"{language}_{full_hash(body)}"[:len(language) + 8]
        _write(out / "filter" / f"{file}.pf_filter", body)
        filter_meta.append([name, file])

    # Words: a k-way merge of the batches' sorted words (Python orders str by code point, as Rust
    # orders UTF-8 bytes); a word's pages follow batch by batch, so stay in ascending order.
    streams = []
    for bundle, (_, _, meta), renumber in zip(bundles, read, renumbers):
        remap = [fields.index(f) for f in meta[5]]
        streams.append(_words(bundle, meta[2], renumber, None if remap == list(range(len(remap))) else remap))
    chunks = _Chunks(out, language, index_chunk_size())
    for word, group in itertools.groupby(heapq.merge(*streams, key=lambda w: w[0]), key=lambda w: w[0]):
        group = list(group)
        word_pages = [p for _, ps, _ in group for p in ps]
        variants = _merge_variants([v for _, _, v in group])
        chunks.add(word, _encode_word(word, word_pages, variants), sum(p[2] for p in word_pages))
    chunks.flush()

    meta = cbor_encode([first_meta[0], pages, chunks.ranges(), filter_meta, [], fields])
    meta_name = f"{language}_{full_hash(meta)[:len(language) + 8]}"
    _write(out / f"pagefind.{meta_name}.pf_meta", meta)
    entry["languages"][language].update(hash=meta_name, page_count=len(pages))
    (out / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return len(pages)
