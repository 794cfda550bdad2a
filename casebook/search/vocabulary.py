"""The query vocabulary: what search.js knows about words besides the index.

Two files for the browser, written with the generated pages under ``search/``:

- ``search/synonyms.json``: the groups of ``data/synonyms.yml``. search.js looks for their words in
  a query and searches it again with each other word of the group in its place; pages holding the
  query as typed come first, and the results say which synonym found the others.
- ``search/suggest.json`` (and, on a large site, ``search/suggest-N.json``): the names a query that
  finds little is compared with, for "did you mean": models (the name and each part of it between
  quotation marks or spaces: “四位一体”平台载体 gives 四位一体平台载体, 四位一体, 平台载体),
  measure types and the names of the cases' measures, tags and places (province, city, county,
  township, community). Officials type
  Chinese with a pinyin input method, so their typos are homophones (银发先峰 for 银发先锋): search.js
  compares a query with the names by the readings of their characters, tones ignored, and then by
  edit distance. The readings come from pypinyin, here at build time: a table of the readings of
  every character of the names and of the 6,763 characters of GB 2312 (what an input method offers
  first), so a typo's character has its readings too.

Size: the first file holds the reading table, the measure types, tags and provinces, and, while
they fit in :data:`CORE_BYTES`, all other names. Past that (a few hundred cases) the other names go
to files keyed by the reading of their first character as the name reads (by their first two where
one reading has more than :data:`BUCKET_BYTES` of names), each at most about :data:`BUCKET_BYTES`;
search.js fetches the files of the first two readings of a query's first character (a typo's
character has the name's reading, mostly as its first). Names that share one
start of two characters beyond :data:`BUCKET_BYTES` are kept shortest first up to it. A suggestion
then costs the first file and a few of about :data:`BUCKET_BYTES` at any site size
(tests/test_search_vocabulary.py checks this at 10,000 synthetic cases); and it is fetched only
when a query finds little.
"""
from __future__ import annotations

import functools
import json
import re
import unicodedata

from pypinyin import Style, pinyin

# Printed inside phrases and never typed: quotation marks, book-title marks, 、 and middle dots
# (“四老”争创“四新”, 网格长、楼长, 泰山金秋·汶水银辉). The index goes on across them and spaces
# (casebook/search/index.py), search.js takes them out of a query, and names are cut at them here.
SOFT_MARKS = "“”‘’「」『』〈〉《》\"'、·・‧•"

SYNONYMS_ASSET = "search/synonyms.json"
SUGGEST_ASSET = "search/suggest.json"
SUGGEST_PART = "search/suggest-{}.json"
CORE_BYTES = 24_000  # names kept in the first file while they fit (UTF-8 bytes of the names)
BUCKET_BYTES = 16_000  # names per further file, about
MAX_NAME = 16  # longer names are left out whole (nobody types them); their parts stay
KINDS = ("model", "measure", "tag", "place")  # the order search.js prefers among equal suggestions

_HAN = re.compile(r"[\u3400-\u9fff]")
_PARTS = re.compile(f"[{re.escape(SOFT_MARKS)}\\s（）()]+")


def synonyms_asset(groups: list) -> dict:
    """``search/synonyms.json``: the groups (casebook.model.SynonymGroup) as search.js reads them."""
    return {"groups": [{"zh": g.words, **({"one_way": True} if g.one_way else {})} for g in groups]}


def name_forms(name: str) -> list[str]:
    """The forms of a name a reader may type: whole without its marks and spaces, then each part
    of two characters or more (“四强”融合城市服务治理: 四强融合城市服务治理, 四强, 融合城市服务治理)."""
    name = unicodedata.normalize("NFKC", name).lower()
    parts = [p for p in _PARTS.split(name) if len(p) >= 2]
    whole = "".join(_PARTS.split(name))
    forms = ([whole] if 2 <= len(whole) <= MAX_NAME else []) + [p for p in parts if p != whole and len(p) <= MAX_NAME]
    return list(dict.fromkeys(forms))


def site_names(site) -> dict[str, list[str]]:
    """Kind -> the names of the site a suggestion can be, in a fixed order."""
    places = []
    for case in site.cases:
        loc = case.locality
        places.extend(v for v in (loc.city, loc.county, loc.township, loc.community) if v)
    return {
        "model": [form for case in site.cases for form in name_forms(case.name)],
        "measure": [t.zh for t in site.measures],
        "measure_name": [form for case in site.cases for use in case.measures for form in name_forms(use.name)],
        "tag": [t.zh for t in site.tags],
        "place": [form for p in places for form in name_forms(p)],
        "province": [region.zh for region in site.regions_with_cases],
    }


@functools.lru_cache(maxsize=None)
def readings(char: str) -> tuple[str, ...]:
    """The readings of one character, without tones (pypinyin, every reading it knows); a character
    that is not Chinese reads as itself."""
    if not _HAN.match(char):
        return (char.lower(),)
    found = pinyin(char, style=Style.NORMAL, heteronym=True)[0]
    return tuple(dict.fromkeys(r for r in found if r.isascii() and r.isalpha())) or (char,)


@functools.lru_cache(maxsize=1)
def _common_characters() -> str:
    """The 6,763 characters of GB 2312, levels 1 and 2: what a pinyin input method offers."""
    chars = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return "".join(chars)


def reading_table(names: list[str]) -> dict[str, dict[str, str]]:
    """For the common characters and those of ``names``: ``{"first": {reading: characters whose
    first reading it is}, "also": {reading: characters that have it as another}}``. search.js puts a
    character's first reading first and the others after it, in the order of :func:`query_readings`."""
    chars = set(_common_characters())
    for name in names:
        chars.update(c for c in name if _HAN.match(c))
    first: dict[str, list[str]] = {}
    also: dict[str, list[str]] = {}
    for char in sorted(chars):
        own = readings(char)
        if own[0] == char:
            continue
        first.setdefault(own[0], []).append(char)
        for r in own[1:]:
            also.setdefault(r, []).append(char)
    return {"first": {r: "".join(cs) for r, cs in sorted(first.items())}, "also": {r: "".join(cs) for r, cs in sorted(also.items())}}


def query_readings(char: str) -> list[str]:
    """A character's readings as search.js has them: the first, then the others in alphabetical order."""
    own = readings(char)
    return [own[0], *sorted(own[1:])]


def _size(names) -> int:
    return sum(len(n.encode("utf-8")) + 3 for n in names)  # with the JSON quotes and comma


def _key(name: str, depth: int) -> str:
    """The file key of a name: the readings of its first ``depth`` characters as the name reads
    (pypinyin's phrases: 长 of 长沙 is chang, of 网格长 zhang)."""
    read = pinyin(name[:8], style=Style.NORMAL, errors=lambda text: [[c.lower()] for c in text])
    return " ".join(r[0] for r in read[:depth])


QUERY_READINGS = 2  # search.js looks a query's first character up by its first two readings only


def suggestion_assets(names: dict[str, list[str]], mark: str) -> dict[str, str]:
    """Path -> text of the suggestion files (see the module docstring)."""
    seen: set[str] = set()
    unique = {}
    for kind in ("province", "model", "measure", "tag", "measure_name", "place"):  # a name of two kinds: kept once, as the first
        unique[kind] = [n for n in names.get(kind, []) if not (n in seen or seen.add(n))]
    core = {"measure": unique["measure"], "tag": unique["tag"], "place": unique["province"]}
    # the names of each case's measures are measure names too, after the measure types
    rest = {"model": unique["model"], "measure": unique["measure_name"], "place": unique["place"]}
    everything = [n for ns in unique.values() for n in ns]
    files: dict[str, str] = {}
    parts: list[list[str]] = []
    if _size(n for ns in rest.values() for n in ns) + _size(n for ns in core.values() for n in ns) <= CORE_BYTES:
        core = {"model": unique["model"], "measure": unique["measure"] + unique["measure_name"], "tag": unique["tag"],
                "place": unique["province"] + unique["place"]}
    else:
        for keys, names_of_part in _parts(rest):
            parts.append(keys)
            files[SUGGEST_PART.format(len(parts) - 1)] = _json({"names": names_of_part}, mark)
    first = {"readings": reading_table(everything), "names": {k: v for k, v in core.items() if v}, "parts": parts}
    files[SUGGEST_ASSET] = _json(first, mark)
    return files


def _parts(names: dict[str, list[str]]) -> list[tuple[list[str], dict[str, list[str]]]]:
    """``names`` (kind -> names) cut into files of about BUCKET_BYTES: [(keys, kind -> names)], keys
    in order. A name goes under the reading of its first character, or of its first two where one
    reading has more names than a file holds; past that, the shortest names of the key are kept."""
    by_key: dict[str, dict[str, list[str]]] = {}
    for kind, ns in names.items():
        for n in ns:
            by_key.setdefault(_key(n, 1), {}).setdefault(kind, []).append(n)
    for key in list(by_key):
        if _size(n for ns in by_key[key].values() for n in ns) > BUCKET_BYTES:
            for kind, ns in by_key.pop(key).items():
                for n in ns:
                    by_key.setdefault(_key(n, 2), {}).setdefault(kind, []).append(n)
    for kinds in by_key.values():
        if _size(n for ns in kinds.values() for n in ns) > BUCKET_BYTES:
            keep = sorted((len(n), KINDS.index(kind), n, kind) for kind, ns in kinds.items() for n in ns)
            kinds.clear()
            size = 0
            for _, _, n, kind in keep:
                size += _size([n])
                if size > BUCKET_BYTES:
                    break
                kinds.setdefault(kind, []).append(n)
    out: list[tuple[list[str], dict[str, list[str]]]] = []
    keys: list[str] = []
    current: dict[str, list[str]] = {}
    size = 0
    for key in sorted(by_key):
        add = _size(n for ns in by_key[key].values() for n in ns)
        if keys and size + add > BUCKET_BYTES:
            out.append((keys, current))
            keys, current, size = [], {}, 0
        keys.append(key)
        size += add
        for kind, ns in by_key[key].items():
            current.setdefault(kind, []).extend(ns)
    if keys:
        out.append((keys, current))
    return out


def parts_for(query: str, parts: list[list[str]]) -> list[int]:
    """The further files search.js fetches for ``query`` (folded, without marks): those holding a
    key made of the readings of its first character, or of its first two (as namesFor does)."""
    first = query_readings(query[0])[:QUERY_READINGS]
    keys = set(first)
    if len(query) > 1:
        keys.update(f"{a} {b}" for a in first for b in query_readings(query[1]))
    return [i for i, part in enumerate(parts) if keys.intersection(part)]


def _json(data: dict, mark: str) -> str:
    return json.dumps({"$comment": mark, **data}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def vocabulary_assets(site, mark: str) -> dict[str, str]:
    """Every file of the query vocabulary: path under the docs directory -> text."""
    files = suggestion_assets(site_names(site), mark)
    files[SYNONYMS_ASSET] = _json(synonyms_asset(site.synonyms), mark)
    return files
