#!/usr/bin/env python3
"""Deterministic synthetic corpora as heavy as the real records, for benchmarks and scale tests.

    python bench/synth.py N OUT_DATA_DIR [--seed S]

Writes OUT_DATA_DIR with the real taxonomies and N valid case records spread over the provinces. Case i
is shaped after real record i mod 5 (data/cases/): about as many measures and figures, Chinese and
English texts of about the same lengths (summary, descriptions, scopes, evidence quotes, titles), the
same fields (bilingual pairs, a baseline where the real figure has one, the same sources), and an
archived source of about the same length containing every evidence quote. Lengths vary by ±15%
around the real one, so averages over many cases match the real records' (tests/test_synth.py).
The same N and seed always give the same bytes.
"""
from __future__ import annotations

import argparse
import functools
import random
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MODELINE = "# yaml-language-server: $schema=../../../schema/case.schema.json\n"

WORDS = ("社区 老党员 离退休干部 志愿服务 网格 党支部 银发先锋 居民 议事 协商 文化 活动 阵地 驿站 帮扶 关爱 学习 宣讲 "
         "治理 服务 队伍 骨干 楼栋 邻里 互助 调解 教育 课堂 先锋 模范 作用 机制 平台 资源 共建 共享 融合 基层 街道 "
         "组织 引领 发挥 余热 走访 慰问 困难 群众 文明 实践 老年 大学 智慧 养老 健康 咨询").split()
WORDS_EN = ("community retired cadres veteran Party members volunteer service grid branch residents council consultation "
            "culture activities station support care learning lectures governance team backbone building neighbours "
            "mutual aid mediation education classroom vanguard role mechanism platform resources shared integration "
            "grassroots subdistrict organisation leadership visits hardship public civic practice elderly university "
            "health advice the of and in with for through their local county district township").split()
PLACES = ("东城 西城 南湖 北苑 青山 云岭 梅园 桂花 丹桂 松林 长安 和平 新华 胜利 建设 友谊 团结 光明 朝阳 金桥 "
          "华锦 德胜 翠屏 环秀 榆山 双鹤 三海 建宁 鼓楼 麒麟").split()
PINYIN = ("dongcheng xicheng nanhu beiyuan qingshan yunling meiyuan guihua dangui songlin changan heping xinhua "
          "shengli jianshe youyi tuanjie guangming chaoyang jinqiao huajin desheng cuiping huanxiu yushan shuanghe "
          "sanhai jianning gulou qilin").split()
MODEL_NAMES = ("“{n}”工作法", "“{n}”模式", "“{n}”服务体系", "“{n}”平台载体", "“{n}步工作法”", "“{n}”联动机制")
SHORT, QUOTE = 190, 150  # a little under the schema's maxLength of short texts (200) and quotes (160)
LEVELS = ("province", "city", "county", "township", "community")
QUALIFIER_WORD = {"over": "余", "about": "约", "nearly": "近", "at-least": "以上"}


@functools.lru_cache(maxsize=1)
def real_shapes() -> tuple[dict, ...]:
    """What each real record looks like: its parsed YAML and the length of its archived source."""
    shapes = []
    for path in sorted((ROOT / "data" / "cases").rglob("*.yml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        archives = sum(len((ROOT / "data" / "sources" / s["archive"]).read_text(encoding="utf-8"))
                       for s in record["sources"] if s.get("archive"))
        shapes.append({"record": record, "archive_chars": archives})
    return tuple(shapes)


def _about(rng: random.Random, length: int) -> int:
    return max(1, round(length * rng.uniform(0.85, 1.15)))


def _zh(rng: random.Random, length: int, end: str = "。") -> str:
    """Chinese text of ``length`` characters (the last one ``end``), from the word list."""
    out: list[str] = []
    size = 0
    while size < length - len(end):
        word = rng.choice(WORDS)
        out.append(word)
        size += len(word)
        if size < length - len(end) - 4 and rng.random() < 0.15:
            out.append("，")
            size += 1
    return "".join(out)[: max(0, length - len(end))] + end


def _en(rng: random.Random, length: int) -> str:
    """English text of about ``length`` characters."""
    out: list[str] = []
    size = 0
    while True:
        word = rng.choice(WORDS_EN)
        if out and size + len(word) + 1 > length - 1:
            break
        out.append(word)
        size += len(word) + 1
    text = " ".join(out)
    return text[0].upper() + text[1:] + "."


def _taxonomies() -> tuple[dict, dict, dict, dict]:
    load = lambda name: yaml.safe_load((ROOT / "data" / name).read_text(encoding="utf-8"))  # noqa: E731
    return load("tags.yml"), load("measures.yml"), load("metrics.yml"), load("regions.yml")


def _figure(rng: random.Random, key: str, real: dict, metrics: dict, place: str, published: str) -> dict:
    """One figure with the real one's fields and text lengths; its evidence quote states the value."""
    kind = metrics["kinds"][metrics["metrics"][key]["kind"]]
    unit = rng.choice(sorted(kind["units"]))
    value = rng.randint(2, 5000) if unit not in ("成", "%") else rng.randint(1, 9)
    qualifier = rng.choice((None, None, "over", "about", "nearly", "at-least"))
    label = metrics["metrics"][key]["zh"]
    stated = f"{label}达{value}{QUALIFIER_WORD.get(qualifier, '')}{unit}" if qualifier != "about" else f"共约{value}{unit}{label}"
    item = {"metric": key, "value": value, "unit": unit}
    if qualifier:
        item["qualifier"] = qualifier
    evidence_len = min(QUOTE, _about(rng, len(real["evidence"])))
    if "baseline" in real:
        before = max(1, value // 2)
        item["baseline"] = {"value": before}
        stated = f"由{before}{unit}增至" + stated
    item["as_of"] = published  # figures are dated by the article's date line (the validator's rule)
    item["scope"] = place + _zh(rng, max(2, _about(rng, len(real["scope"])) - len(place)), end="")
    item["scope_en"] = _en(rng, min(SHORT, _about(rng, len(real["scope_en"]))))
    item["evidence"] = (_zh(rng, max(2, evidence_len - len(stated)), end="，") + stated)
    return item


def make_case(i: int, rng: random.Random, tax: tuple) -> tuple[str, str, dict, str]:
    tags, measures, metrics, regions = tax
    real = real_shapes()[i % len(real_shapes())]["record"]
    archive_chars = real_shapes()[i % len(real_shapes())]["archive_chars"]
    province = rng.choice(sorted(regions))
    place_i = rng.randrange(len(PLACES))
    case_id = f"{province}-{PINYIN[place_i]}-synth-{i:05d}"
    number = rng.choice(("12345", "1+6", "四位一体", "三联", str(rng.randint(2, 9))))
    name = rng.choice(MODEL_NAMES).format(n=number)
    place = PLACES[place_i] + rng.choice(("社区", "街道", "区", "县"))
    pinyin = PINYIN[place_i].title()
    year = rng.randint(2015, 2024)
    published = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"  # given in the article's date line

    n_measures = min(len(measures), max(1, len(real["measures"]) + rng.randint(-1, 1)))
    measure_items = []
    for key, like in zip(rng.sample(sorted(measures), n_measures), [real["measures"][j % len(real["measures"])] for j in range(n_measures)]):
        label = measures[key]["zh"]
        measure_items.append({
            "type": key, "name": f"{place}{label}" + _zh(rng, max(1, _about(rng, len(like["name"])) - len(place) - len(label)), end=""),
            "name_en": f"{measures[key]['en']} in {pinyin}",
            "description": _zh(rng, _about(rng, len(like["description"]))),
            "description_en": _en(rng, _about(rng, len(like["description_en"]))),
            "evidence": f"{place}{label}，" + _zh(rng, max(2, _about(rng, len(like["evidence"])) - len(place) - len(label) - 1), end=""),
        })

    n_metrics = max(1, len(real["metrics"]) + rng.randint(-2, 2))
    keys = sorted(metrics["metrics"])
    metric_items = [_figure(rng, rng.choice(keys), real["metrics"][j % len(real["metrics"])], metrics, place, published)
                    for j in range(n_metrics)]

    title = f"{regions[province]['zh']}{place}{name}"
    source = {"id": "source", "title": f"{place}探索{name}" + _zh(rng, max(1, len(real["sources"][0]["title"]) - len(place) - len(name) - 2), end=""),
              "publisher": rng.choice(("人民网", "党建网", "老干部之家", "某日报")), "author": f"{place}老干部局",
              "date": published, "kind": rng.choice(("web", "newspaper")),
              "archive": f"{case_id}.txt"}
    record = {
        "id": case_id,
        "title": title + _zh(rng, max(1, _about(rng, len(real["title"])) - len(title)), end=""),
        "title_en": f"The {number} model of {pinyin}, {regions[province]['en']} - " + _en(rng, max(10, _about(rng, len(real["title_en"])) - 40)),
        "added": f"{rng.randint(2024, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",  # never in the future
        "model": {"name": name, "name_en": f"{number} model"},
        "locality": {"province": province, "county": place, "township": PLACES[(place_i + 7) % len(PLACES)] + "街道",
                     "name_en": f"{pinyin}, {regions[province]['en']}"},
        "level": rng.choice(LEVELS),
        "lead_organisation": f"{place}老干部局", "lead_organisation_en": f"Retired Cadres Bureau of {pinyin}",
        "period": {"start": year},
        "summary": _zh(rng, _about(rng, len(real["summary"]))),
        "summary_en": f"Synthetic case {case_id} for benchmarks. " + _en(rng, _about(rng, len(real["summary_en"])) - 30),
        "tags": rng.sample(sorted(tags), min(len(tags), len(real["tags"]) + rng.randint(-1, 1))),
        "measures": measure_items,
        "metrics": metric_items,
        "sources": [source],
    }
    quotes = [m["evidence"] for m in measure_items] + [m["evidence"] for m in metric_items]
    paragraphs = [q + "。" for q in quotes]
    size = sum(len(p) for p in paragraphs) + len(source["title"])
    target = _about(rng, archive_chars)
    while size < target:  # the rest of the article: ordinary sentences between the quoted ones
        filler = _zh(rng, rng.randint(60, 200))
        paragraphs.insert(rng.randrange(len(paragraphs) + 1), filler)
        size += len(filler) + 2
    y, m, d = published.split("-")
    source_text = source["title"] + f"\n\n发布时间：{y}年{m}月{d}日\n\n" + "\n\n".join(paragraphs) + "\n"
    return province, case_id, record, source_text


def write_corpus(n: int, data: Path, seed: int = 0) -> None:
    """Write a data directory with the real taxonomies and ``n`` synthetic cases."""
    data = Path(data)
    shutil.rmtree(data, ignore_errors=True)
    (data / "sources").mkdir(parents=True)
    for name in ("tags.yml", "measures.yml", "metrics.yml", "regions.yml"):
        shutil.copy(ROOT / "data" / name, data / name)
    tax = _taxonomies()
    rng = random.Random(seed)
    for i in range(n):
        province, case_id, record, source_text = make_case(i, rng, tax)
        folder = data / "cases" / province
        folder.mkdir(parents=True, exist_ok=True)
        text = MODELINE + yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=120)
        (folder / f"{case_id}.yml").write_text(text, encoding="utf-8")
        (data / "sources" / f"{case_id}.txt").write_text(source_text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    write_corpus(args.n, args.out, args.seed)
    print(f"wrote {args.n} synthetic cases to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
