"""Indexing in batches: the bundle merged from several Pagefind runs is the bundle of one run.

Compared by content (each word's positions per page URL, filters, word counts, metadata fields) with
Pagefind's own single run, chunk ranges included; byte for byte between different cuts into batches;
and in the browser, by the results of a few queries.

Shards: a site cut into several bundles (search.SHARD_PAGES) holds every page once, and search.js,
merging them, finds the same pages with the same facet counts as in one bundle."""
from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from casebook.search import bundle as pb
from casebook.search import index as search
from casebook.search import merge as pm

from conftest import serve

CHUNK = "2000"  # small index chunks, so that the seed site's index has many and merges cut across them


def _fragment(bundle: Path, name: str) -> dict:
    return json.loads(gzip.decompress((bundle / "fragment" / f"{name}.pf_fragment").read_bytes())[len(pb.MAGIC):])


def describe(bundle: Path) -> dict:
    """A bundle as page URLs see it, whatever the page numbers."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    (language, info), = entry["languages"].items()
    version, pages, chunks, filters, sorts, fields = pb.read_file(bundle / f"pagefind.{info['hash']}.pf_meta")
    urls = [_fragment(bundle, name)["url"] for name, _ in pages]
    assert len(set(urls)) == len(urls) == info["page_count"]

    def located(page_list):
        out, number = {}, 0
        for delta, locs, meta_locs in page_list:
            number += delta
            # meta positions by field name, so that field numbering does not matter
            out[urls[number]] = (tuple(locs), _meta_by_field(meta_locs, fields))
        return out

    words, variants = {}, {}
    for _from, _to, name in chunks:
        (chunk_words,) = pb.read_file(bundle / "index" / f"{name}.pf_index")
        for word, page_list, word_variants in chunk_words:
            assert word not in words
            words[word] = located(page_list)
            variants[word] = {form: located(v) for form, v in word_variants}
    facets = {}
    for name, file in filters:
        filter_name, values = pb.read_file(bundle / "filter" / f"{file}.pf_filter")
        facets[filter_name] = {value: {urls[i] for i in ids} for value, ids in values}
    return {
        "version": version, "sorts": sorts, "fields": fields, "words": words, "variants": variants, "filters": facets,
        "word_counts": {urls[i]: count for i, (_, count) in enumerate(pages)},
        "fragments": {urls[i]: name for i, (name, _) in enumerate(pages)},
        "ranges": [(a, b) for a, b, _ in chunks],
    }


def _meta_by_field(meta_locs, fields):
    out, field = {}, None
    for x in meta_locs:
        if x < 0:
            field = fields[-x - 1]
        else:
            out.setdefault(field, []).append(x)
    return tuple(sorted((f, tuple(v)) for f, v in out.items()))


def snapshot(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def bundles(built_site, tmp_path_factory):
    """The seed site indexed in one run, in batches of 7 pages and in batches of 25."""
    mp = pytest.MonkeyPatch()
    mp.setenv("PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE", CHUNK)  # read by Pagefind and by the merge alike
    base = tmp_path_factory.mktemp("batches")
    sites = {}
    try:
        for label, size, shard in (("single", 10**6, 10**6), ("7", 7, 10**6), ("25", 25, 10**6), ("shards", 7, 25)):
            site = base / label
            shutil.copytree(built_site, site, ignore=shutil.ignore_patterns("pagefind"))
            report = search.build_index(site, batch_pages=size, shard_pages=shard)
            sites[label] = (site, report)
    finally:
        mp.undo()
    return sites


def test_seed_site_needs_several_batches_and_chunks(bundles):
    site, report = bundles["7"]
    assert report.pages > 3 * 7
    assert len(list((site / "pagefind" / "index").glob("*.pf_index"))) > 5


def test_merged_bundle_has_the_content_of_one_run(bundles):
    single, merged = describe(bundles["single"][0] / "pagefind"), describe(bundles["7"][0] / "pagefind")
    # term pages have only a title (in each language): field ids are remapped
    assert single["fields"] == ["every", "id", "level_en", "model", "place", "place_en", "title", "title_en"]
    for key in single:
        assert merged[key] == single[key], key
    assert bundles["7"][1] == bundles["single"][1]  # same IndexReport


def test_the_word_every_page_holds_is_one_index_word_in_every_page(bundles):
    """search.EVERY_WORD is indexed as itself only: no other index word (a part Pagefind cut from it, such as
    "every" of "__every") comes from its field, so no query a reader types finds every page through it."""
    content = describe(bundles["single"][0] / "pagefind")
    from_field = [word for word, pages in content["words"].items()
                  if any(dict(meta).get(search.EVERY_FIELD) for _locs, meta in pages.values())]
    assert from_field == [search.EVERY_WORD]
    assert set(content["words"][search.EVERY_WORD]) == set(content["word_counts"])  # every indexed page


def test_merged_bundle_is_the_same_bytes_however_cut(bundles, tmp_path, monkeypatch):
    cut7, cut25 = snapshot(bundles["7"][0] / "pagefind"), snapshot(bundles["25"][0] / "pagefind")
    assert cut7 == cut25
    # and the one run's bundle, passed through the merge alone, gives the same bytes as well
    monkeypatch.setenv("PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE", CHUNK)
    out = tmp_path / "one"
    pm.merge([bundles["single"][0] / "pagefind"], out)
    pb.canonicalise(out)
    assert snapshot(out) == cut7


def test_merged_chunks_are_named_like_pagefinds(bundles):
    """Chunk boundaries do not depend on page numbers: the ranges of one run and of batches are the
    same (checked in describe above); and chunk files are named by their content like Pagefind's."""
    merged = bundles["7"][0] / "pagefind"
    for path in (merged / "index").glob("*.pf_index"):
        body = gzip.decompress(path.read_bytes())[len(pb.MAGIC):]
        assert f"und_{pm.full_hash(body)}".startswith(path.stem)
    single_index = {p.name for p in (bundles["single"][0] / "pagefind" / "index").glob("*")}
    assert len(single_index) == len(list((merged / "index").glob("*")))


def _chunk_words(bundle: Path) -> list[list[str]]:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    (_, info), = entry["languages"].items()
    chunks = pb.read_file(bundle / f"pagefind.{info['hash']}.pf_meta")[2]
    return [[w for w, _, _ in pb.read_file(bundle / "index" / f"{name}.pf_index")[0]] for _, _, name in chunks]


def test_chunks_keep_prefixes_whole(bundles):
    """Pagefind fetches one chunk per query word (the first whose range holds it), so a prefix query
    (volunteer for volunteers) finds only the words of that chunk: the merge never cuts inside a run of
    Latin words sharing their first PREFIX_KEEP characters."""
    chunks = _chunk_words(bundles["single"][0] / "pagefind")
    assert len(chunks) > 5
    home = {}
    for number, words in enumerate(chunks):
        for word in words:
            if not pm._HAN.match(word) and len(word) >= pm.PREFIX_KEEP:
                home.setdefault(word[:pm.PREFIX_KEEP], set()).add(number)
    split = {key: numbers for key, numbers in home.items() if len(numbers) > 1}
    assert not split, split


def test_may_cut():
    size = 2400
    latin, han = size // pm.LATIN_CHUNK_DIVISOR, size // pm.HAN_CHUNK_DIVISOR
    assert not pm.may_cut("volunteer", "volunteers", latin + 1, size)  # a prefix run waits
    assert pm.may_cut("volunteers", "vote", latin, size)
    assert pm.may_cut("volunteer", "volunteers", pm.PREFIX_CAP * size, size)  # up to a cap
    assert not pm.may_cut("grid", "help", latin - 1, size)
    assert pm.may_cut("党员", "党委", han, size)  # Chinese bigrams are looked up whole: cut anywhere
    assert not pm.may_cut("党员", "动员", han - 1, size)
    assert pm.may_cut("党员", "grid", latin, size) and not pm.may_cut("grid", "党员", latin - 1, size)


def test_full_hash_is_pagefinds():
    # Pagefind writes each byte of the SHA-1 with {:x?}: no leading zero
    digest = hashlib.sha1(b"abc").digest()
    assert pm.full_hash(b"abc") == "".join(f"{b:x}" for b in digest)
    assert pm.full_hash(b"abc") != hashlib.sha1(b"abc").hexdigest()  # abc's SHA-1 has a byte below 0x10


def test_fragment_name_clash_across_batches_is_resolved(bundles, tmp_path):
    """Two batches holding different fragments under one name (Pagefind names them by a hash prefix
    and lengthens it only on a clash within its run): both kept, the later one renamed."""
    source = bundles["7"][0]
    tmp_batches = []
    # index two small batches of the seed site, then give one page of each the same short name
    pages = search.indexed_pages(source)
    for number, batch in enumerate((pages[:10], pages[10:20])):
        staging = tmp_path / f"pages-{number}"
        search._stage(source, batch, staging, __import__("collections").Counter())
        bundle = tmp_path / f"bundle-{number}"
        assert search._run_pagefind(staging, bundle) == len(batch)
        tmp_batches.append(bundle)

    def metadata(bundle):
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        path = bundle / f"pagefind.{entry['languages']['und']['hash']}.pf_meta"
        return path, pb.read_file(path)

    def full(bundle, name):
        return "und_" + pm.full_hash(gzip.decompress((bundle / "fragment" / f"{name}.pf_fragment").read_bytes())[len(pb.MAGIC):])

    (path_a, meta_a), (path_b, meta_b) = metadata(tmp_batches[0]), metadata(tmp_batches[1])
    pairs = [(i, j) for i, (a, _) in enumerate(meta_a[1]) for j, (b, _) in enumerate(meta_b[1])
             if full(tmp_batches[0], a)[:5] == full(tmp_batches[1], b)[:5]]
    assert pairs, "no two pages share a first hex digit"
    i, j = pairs[0]
    short = full(tmp_batches[0], meta_a[1][i][0])[:5]  # und_ + one digit: a prefix of both full hashes
    for bundle, path, meta, k in ((tmp_batches[0], path_a, meta_a, i), (tmp_batches[1], path_b, meta_b, j)):
        (bundle / "fragment" / f"{meta[1][k][0]}.pf_fragment").rename(bundle / "fragment" / f"{short}.pf_fragment")
        meta[1][k][0] = short
        path.write_bytes(pb.pack(meta)[0])
    out = tmp_path / "merged"
    assert pm.merge(tmp_batches, out) == 20
    merged = describe(out)
    names = list(merged["fragments"].values())
    assert short in names and len(set(names)) == 20
    renamed = set(names) - {name for meta in (meta_a, meta_b) for name, _ in meta[1]}
    assert len(renamed) == 1 and len(renamed.pop()) == len(short) + 1  # one more character of its hash
    assert len(list((out / "fragment").iterdir())) == 20
    for url, name in merged["fragments"].items():
        assert _fragment(out, name)["url"] == url


def test_free_name_never_overwrites():
    assert pm._free_name("und_ab", "und_abcdef", {"und_ab"}, 1) == "und_abc"
    assert pm._free_name("und_ab", "und_abcdef", {"und_ab", "und_abc"}, 1) == "und_abcd"
    assert pm._free_name("und_ab", "und_abcdef", {"und_ab"}, 2) == "und_abcd"
    assert pm._free_name("und_ab", "und_abcdef", set(), 1) == "und_ab"
    with pytest.raises(ValueError):
        pm._free_name("und_abcdef", "und_abcdef", {"und_abcdef"}, 1)
    with pytest.raises(ValueError):
        pm._free_name("und_x", "und_abcdef", set(), 1)


def _weighted(locs) -> list[tuple]:
    """Pagefind's positions as (weight mark or None for its default, position)."""
    out, weight = [], None
    for x in locs:
        if x < 0:
            weight = x
        else:
            out.append((weight, x))
    return out


def test_capped_positions():
    assert pm.capped_positions([1, 2, 3], keep=2) == [1, 2]
    # per weight: the default weight's first two, then weight 7's (-8) first two; a mark with no kept
    # position after it is dropped, one that changes the weight of kept positions stays
    assert pm.capped_positions([1, 2, 3, -8, 4, 5, 6, -25, 7, -8, 9], keep=2) == [1, 2, -8, 4, 5, -25, 7]
    assert pm.capped_positions([-8, 1, -25, 2, -8, 3], keep=1) == [-8, 1, -25, 2]
    assert pm.capped_positions([], keep=2) == []


def test_merge_caps_positions_of_latin_words_only(tmp_path):
    """Against Pagefind's own bundle: a word that is not Chinese keeps the first POSITIONS_KEPT positions
    of each weight on a page, a Chinese index word (searched as phrases) keeps all, meta positions stay."""
    many = 3 * pm.POSITIONS_KEPT
    text = " ".join(["volunteer_ 网格 格_"] * many)
    page = tmp_path / "pages" / "p" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(f"<html><body><h1>volunteer_ 网格 格_ title</h1><p>{text}</p>"
                    f"<p data-pagefind-weight='3'>{text}</p></body></html>", encoding="utf-8")
    assert search._run_pagefind(tmp_path / "pages", tmp_path / "bundle") == 1
    assert pm.merge([tmp_path / "bundle"], tmp_path / "merged") == 1
    raw, merged = describe(tmp_path / "bundle"), describe(tmp_path / "merged")
    url = "/p/"
    for word in raw["words"]:
        (raw_locs, raw_meta), (locs, meta) = raw["words"][word][url], merged["words"][word][url]
        assert meta == raw_meta, word
        if word[0] in "网格":
            assert locs == raw_locs, word
            continue
        by_weight: dict = {}
        for weight, position in _weighted(raw_locs):
            by_weight.setdefault(weight, []).append(position)
        expected = sorted((w, p) for w, ps in by_weight.items() for p in ps[:pm.POSITIONS_KEPT])
        assert sorted(_weighted(locs)) == expected, word
    latin = _weighted(merged["words"]["volunteer_"][url][0])
    assert len(_weighted(raw["words"]["volunteer_"][url][0])) > len(latin) >= 2 * pm.POSITIONS_KEPT  # cut, in two weights
    assert len(_weighted(raw["words"]["网格"][url][0])) > 2 * many  # every one kept
    assert {k: v for k, v in merged.items() if k != "words"} == {k: v for k, v in raw.items() if k != "words"}


# ---- the browser side ------------------------------------------------------------------------

QUERIES = ["网格", "12345", "流動黨員", "grid", "党员", "1+6", "先锋"]


def _results(page, base_url: str, query: str) -> list[str]:
    page.goto(base_url + "search/?q=" + quote(query))
    page.wait_for_function("document.getElementById('search-results').getAttribute('aria-busy') === 'false'"
                           " && (document.querySelector('#search-results a.cb-result__title') !== null"
                           " || document.getElementById('search-results').textContent.trim() !== '')")
    return [urlsplit(a).path for a in page.locator("#search-results a.cb-result__title").evaluate_all("els => els.map(e => e.href)")]


def test_merged_bundle_finds_what_one_run_finds(bundles, page):
    servers = {label: serve(bundles[label][0]) for label in ("single", "7")}
    try:
        found = {}
        for label, server in servers.items():
            url = f"http://127.0.0.1:{server.server_address[1]}/"
            found[label] = {q: _results(page, url, q) for q in QUERIES}
    finally:
        for server in servers.values():
            server.shutdown()
    assert any(found["single"].values())
    assert sum(1 for r in found["single"].values() if r) >= len(QUERIES) - 1, found["single"]
    for query in QUERIES:
        # the same pages in the same order (Pagefind orders equal scores by page number, which differs
        # between the two bundles; if this ever fails on order alone, compare sorted lists)
        assert found["7"][query] == found["single"][query], query


def test_diacritic_variants_merge(tmp_path):
    """Pagefind keeps forms with diacritics (café) as variants of the plain word (cafe); the seed
    site has none, so four small pages are indexed in one run and in two batches."""
    texts = {"a": "café cafe naïve", "b": "cafe résumé", "c": "café Café resume", "d": "naïve naive"}
    single, batches = tmp_path / "all", [tmp_path / "one", tmp_path / "two"]
    for n, (slug, text) in enumerate(texts.items()):
        for root in (single, batches[n // 2]):
            page = root / "pages" / slug / "index.html"
            page.parent.mkdir(parents=True)
            page.write_text(f"<html><body><h1>{slug}</h1><p>{text}</p></body></html>", encoding="utf-8")
    for root in (single, *batches):
        assert search._run_pagefind(root / "pages", root / "bundle") == len(list((root / "pages").iterdir()))
    assert pm.merge([b / "bundle" for b in batches], tmp_path / "merged") == 4
    one, merged = describe(single / "bundle"), describe(tmp_path / "merged")
    assert one["variants"]["cafe"], "Pagefind wrote no variants"
    assert merged == one


# ---- shards ------------------------------------------------------------------------------------

def _shard_dirs(site: Path) -> list[Path]:
    asset = json.loads((site / search.QUERY_ASSET).read_text(encoding="utf-8"))
    return [site / search.BUNDLE_DIR] + [site / search.BUNDLE_DIR / name for name in asset["shards"]]


def test_shards_hold_every_page_once(bundles):
    site, report = bundles["shards"]
    single = describe(bundles["single"][0] / "pagefind")
    dirs = _shard_dirs(site)
    assert report.shards == len(dirs) >= 3  # the seed site's pages, at most 25 a shard on average
    assert bundles["single"][1].shards == 1 and _shard_dirs(bundles["single"][0]) == [bundles["single"][0] / "pagefind"]
    urls = []
    for shard in dirs:
        content = describe(shard)
        urls += content["word_counts"]
        if shard != dirs[0]:  # data only: Pagefind's code is loaded once, from the first
            assert not list(shard.glob("*.js")) and not list(shard.glob("wasm.*"))
    assert sorted(urls) == sorted(single["word_counts"])
    # pages are dealt by a hash of their path: a fair sample of every section in every shard
    for shard in dirs:
        assert any("/models/" in url for url in describe(shard)["word_counts"])


def test_shards_are_the_same_bytes_every_time(bundles, tmp_path):
    site = tmp_path / "again"
    shutil.copytree(bundles["shards"][0], site, ignore=shutil.ignore_patterns("pagefind"))
    mp = pytest.MonkeyPatch()
    mp.setenv("PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE", CHUNK)
    try:
        search.build_index(site, batch_pages=7, shard_pages=25)
    finally:
        mp.undo()
    assert snapshot(site / "pagefind") == snapshot(bundles["shards"][0] / "pagefind")
    assert (site / search.QUERY_ASSET).read_bytes() == (bundles["shards"][0] / search.QUERY_ASSET).read_bytes()


ALL_RESULTS = """async ([q, selected]) => {
  const found = await window.casebookSearch.search(q, selected);
  const urls = found ? (await Promise.all(found.results.map((r) => r.data()))).map((d) => d.url) : [];
  return {urls: urls.sort(), counts: await window.casebookSearch.facetCounts(q, selected, found?.plan)};
}"""

EVERY_PAGE = """async () => {
  const pf = await import(new URL("../pagefind/pagefind.js", location.href).href);
  const all = await pf.filters();
  return Object.fromEntries(["province", "level", "measure", "tag", "year"].map((name) => [name, all[name]]));
}"""


def test_sharded_search_finds_what_one_bundle_finds(bundles, page):
    """Every result and every facet count, through search.js, for queries of each kind."""
    servers = {label: serve(bundles[label][0]) for label in ("single", "shards")}
    # words in some shards only, with words in all of them: each shard must find both or nothing
    mixed = ["华锦 网格", "Huajin grid", "grid volunteer", "巧姐姐 党员", "12345 网格员"]
    queries = [(q, {}) for q in QUERIES + mixed] + [("党员", {"province": ["北京市"]}), ("华锦 党员", {"province": ["湖北省"]}),
                                                  ("", {"province": ["湖北省", "北京市"]}), ("", {})]
    try:
        found = {}
        for label, server in servers.items():
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/about/")
            page.wait_for_function("window.casebookSearch !== undefined")
            found[label] = [page.evaluate(ALL_RESULTS, [q, selected]) for q, selected in queries]
            # nothing typed or chosen: every page's facets, as Pagefind's own filters() counts them
            assert found[label][-1]["counts"] == page.evaluate(EVERY_PAGE), label
    finally:
        for server in servers.values():
            server.shutdown()
    assert sum(1 for r in found["single"] if r["urls"]) >= len(queries) - 2  # ("", {}) lists no results, only facets
    for query, one, sharded in zip(queries, found["single"], found["shards"]):
        if query == ("grid volunteer", {}):
            # Known difference (issue 16, open): the measure page 参与疫情防控 holds "grid heads … volunteers" in
            # English; the shards match the query's last word as a prefix of "volunteers", the single bundle
            # does not. The shards may find more here, never less.
            assert set(one["urls"]) <= set(sharded["urls"]), query
            continue
        assert sharded == one, query


# Pagefind's own search for no word (null), on the page: the pages of the selection and, per facet, the
# counts a disjunctive facet shows (the other facets' selections only).
PAGEFIND_NO_WORD = """async (selected) => {
  const pf = await import(new URL("../pagefind/pagefind.js", location.href).href);
  const filters = (sel) => Object.fromEntries(Object.entries(sel).map(([name, values]) => [name, {any: values}]));
  const found = await pf.search(null, {filters: filters(selected)});
  const urls = (await Promise.all(found.results.map((r) => r.data()))).map((d) => d.url).sort();
  const counts = {};
  for (const name of ["province", "level", "measure", "tag", "year"]) {
    const others = {...selected};
    delete others[name];
    counts[name] = (await pf.search(null, {filters: filters(others)})).filters[name] || {};
  }
  return {urls, counts};
}"""


def test_facets_without_words_fetch_one_index_chunk_a_shard(bundles, page):
    """search/?province=… with no word typed searches for the word every indexed page holds (casebook/search/index.py:
    EVERY_WORD): one index chunk a shard. Pagefind's search for no word fetches every index chunk of the site
    (76 MB at 10,000 cases). Both find the same pages, with the same facet counts."""
    site = bundles["shards"][0]
    shards = len(_shard_dirs(site))
    assert len(list(site.glob("pagefind/**/index/*.pf_index"))) > 3 * shards  # small chunks (CHUNK): all of them would show
    selected = {"province": ["北京市"]}
    server = serve(site)
    fetched = []
    page.on("request", lambda request: fetched.append(request.url) if request.url.endswith(".pf_index") else None)
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/?province=" + quote("北京市"))
        page.wait_for_function("document.querySelector('#search-facets fieldset') !== null"
                               " && document.querySelector('#search-results a.cb-result__title') !== null")
        page.wait_for_load_state("networkidle")
        chunks = list(fetched)
        ours = page.evaluate(ALL_RESULTS, ["", selected])
        theirs = page.evaluate(PAGEFIND_NO_WORD, selected)
    finally:
        server.shutdown()
    assert 0 < len(chunks) <= shards, chunks
    assert ours["urls"] and ours["urls"] == theirs["urls"]
    assert ours["counts"] == theirs["counts"]
