"""The query vocabulary (casebook/search/vocabulary.py): synonyms and suggestion files, and the
suggestion files' size budget at 10,000 cases."""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

from casebook.search import vocabulary as vocab

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import search_synth as synth  # noqa: E402

# What one suggestion may fetch at any site size (UTF-8 bytes before compression; gzip takes the
# first file, mostly the reading table, to about two thirds).
FIRST_FILE_BUDGET = 48_000
PART_BUDGET = 20_000
SUGGESTION_BUDGET = 96_000


def test_name_forms_are_the_name_and_its_parts():
    assert vocab.name_forms("“四位一体”平台载体") == ["四位一体平台载体", "四位一体", "平台载体"]
    assert vocab.name_forms("发挥老党员余热 汇聚社区发展正能量") == ["发挥老党员余热汇聚社区发展正能量", "发挥老党员余热", "汇聚社区发展正能量"]
    assert vocab.name_forms("“12345”工作法") == ["12345工作法", "12345", "工作法"]
    assert vocab.name_forms("西城区") == ["西城区"]


def test_readings_ignore_tones_and_keep_every_reading():
    assert vocab.readings("锋") == ("feng",)
    assert set(vocab.readings("长")) == {"chang", "zhang"}
    assert vocab.readings("1") == ("1",)
    table = vocab.reading_table(["银发先锋"])
    assert "峰" in table["first"]["feng"] and "锋" in table["first"]["feng"]
    assert "长" in table["first"][vocab.readings("长")[0]] and "长" in table["also"][vocab.readings("长")[1]]
    assert vocab.query_readings("长")[0] == vocab.readings("长")[0]


def _names_at_scale(cases: int, seed: int = 1) -> dict[str, list[str]]:
    """The names of a site of ``cases`` synthetic cases, shaped as bench/search_synth.py makes them
    (model names from places, brands and slogans; two-syllable place names), plus the real taxonomies."""
    gen = synth.Generator.__new__(synth.Generator)  # names only: no article text to train
    gen.rng = random.Random(seed)
    names = {"model": [], "place": [], "measure": [], "measure_name": [], "tag": [], "province": []}
    common = vocab._common_characters()[:3755]
    for _ in range(cases):
        city, county, township, community = (gen.name()[0] for _ in range(4))
        place = gen.rng.choice([county, township])
        model, _ = gen.model_name(place, "x")
        names["model"].extend(vocab.name_forms(model))
        names["place"].extend([city + "市", county + gen.rng.choice("区县"), township + "街道", community + "社区"])
        # measure names: the generator's (brand + noun, as 银发驿站), and one of free text per case, as real
        # articles name their measures (worst case for size: every one different)
        names["measure_name"].extend(gen.rng.choice(synth.BRANDS)[0] + gen.rng.choice(synth.NOUNS)[0] for _ in range(6))
        names["measure_name"].append("".join(gen.rng.choice(common) for _ in range(gen.rng.randint(4, 10))))
    import yaml

    for kind, file in (("measure", "measures.yml"), ("tag", "tags.yml")):
        names[kind] = [t["zh"] for t in yaml.safe_load((ROOT / "data" / file).read_text(encoding="utf-8")).values()]
    names["province"] = [r["zh"] for r in yaml.safe_load((ROOT / "data" / "regions.yml").read_text(encoding="utf-8")).values()]
    return names


@pytest.fixture(scope="module")
def files_at_10000():
    names = _names_at_scale(10_000)
    return names, vocab.suggestion_assets(names, "mark")


def test_suggestion_files_stay_within_their_budget_at_10000_cases(files_at_10000):
    names, files = files_at_10000
    sizes = {path: len(text.encode("utf-8")) for path, text in files.items()}
    first = json.loads(files[vocab.SUGGEST_ASSET])
    assert sizes[vocab.SUGGEST_ASSET] <= FIRST_FILE_BUDGET, sizes[vocab.SUGGEST_ASSET]
    assert len(first["parts"]) == len(files) - 1 >= 10  # the names are spread over files
    assert max(size for path, size in sizes.items() if path != vocab.SUGGEST_ASSET) <= PART_BUDGET
    # every query fetches the first file and the files of its first characters' readings only
    worst = 0
    for name in {n for ns in names.values() for n in ns}:
        for query in (name, name[:2]):
            fetched = sizes[vocab.SUGGEST_ASSET] + sum(sizes[vocab.SUGGEST_PART.format(i)] for i in vocab.parts_for(query, first["parts"]))
            worst = max(worst, fetched)
    assert worst <= SUGGESTION_BUDGET, worst


def test_every_name_can_be_found_from_its_first_characters_at_10000_cases(files_at_10000):
    names, files = files_at_10000
    first = json.loads(files[vocab.SUGGEST_ASSET])
    held = {}
    for i in range(len(first["parts"])):
        for ns in json.loads(files[vocab.SUGGEST_PART.format(i)])["names"].values():
            for n in ns:
                held.setdefault(n, set()).add(i)
    core = {n for ns in first["names"].values() for n in ns}
    sample = random.Random(3).sample(sorted({n for ns in names.values() for n in ns}), 2000)
    missing = [n for n in sample if n not in core and not held.get(n, set()) & set(vocab.parts_for(n, first["parts"]))]
    assert missing == []


def test_a_small_site_has_one_suggestion_file():
    names = _names_at_scale(5)
    files = vocab.suggestion_assets(names, "mark")
    assert list(files) == [vocab.SUGGEST_ASSET]
    assert json.loads(files[vocab.SUGGEST_ASSET])["parts"] == []


def test_synonym_asset_keeps_the_direction_of_one_way_groups():
    from casebook.model import SynonymGroup

    asset = vocab.synonyms_asset([SynonymGroup("a", ["老干部", "离退休干部"], "x"), SynonymGroup("b", ["五老", "老战士"], "y", True)])
    assert asset == {"groups": [{"zh": ["老干部", "离退休干部"]}, {"zh": ["五老", "老战士"], "one_way": True}]}
