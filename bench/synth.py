#!/usr/bin/env python3
"""Deterministic synthetic corpora shaped like the real records, for benchmarks and scale tests.

    python bench/synth.py N OUT_DATA_DIR [--seed S]

Writes OUT_DATA_DIR with the real taxonomies, N valid case records spread over the provinces with varied
measure and metric mixes and text lengths, and an archived source per case containing every evidence quote.
The same N and seed always give the same bytes.
"""
from __future__ import annotations

import argparse
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
PLACES = ("东城 西城 南湖 北苑 青山 云岭 梅园 桂花 丹桂 松林 长安 和平 新华 胜利 建设 友谊 团结 光明 朝阳 金桥 "
          "华锦 德胜 翠屏 环秀 榆山 双鹤 三海 建宁 鼓楼 麒麟").split()
PINYIN = ("dongcheng xicheng nanhu beiyuan qingshan yunling meiyuan guihua dangui songlin changan heping xinhua "
          "shengli jianshe youyi tuanjie guangming chaoyang jinqiao huajin desheng cuiping huanxiu yushan shuanghe "
          "sanhai jianning gulou qilin").split()
MODEL_NAMES = ("“{n}”工作法", "“{n}”模式", "“{n}”服务体系", "“{n}”平台载体", "“{n}步工作法”", "“{n}”联动机制")
LEVELS = ("province", "city", "county", "township", "community")


def _sentence(rng: random.Random, low: int = 8, high: int = 30) -> str:
    return "".join(rng.choice(WORDS) for _ in range(rng.randint(low, high) // 2)) + "。"


def _paragraph(rng: random.Random) -> str:
    return "".join(_sentence(rng) for _ in range(rng.randint(2, 7)))


def _taxonomies(data: Path) -> tuple[dict, dict, dict, dict]:
    load = lambda name: yaml.safe_load((ROOT / "data" / name).read_text(encoding="utf-8"))  # noqa: E731
    return load("tags.yml"), load("measures.yml"), load("metrics.yml"), load("regions.yml")


def make_case(i: int, rng: random.Random, tax: tuple) -> tuple[str, str, dict, str]:
    tags, measures, metrics, regions = tax
    province = rng.choice(sorted(regions))
    place_i = rng.randrange(len(PLACES))
    case_id = f"{province}-{PINYIN[place_i]}-synth-{i:05d}"
    number = rng.choice(("12345", "1+6", "四位一体", "三联", str(rng.randint(2, 9))))
    name = rng.choice(MODEL_NAMES).format(n=number)
    place = PLACES[place_i] + rng.choice(("社区", "街道", "区", "县"))
    paragraphs = [_paragraph(rng) for _ in range(rng.randint(3, 12))]
    year = rng.randint(2015, 2024)
    published = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"  # given in the article's date line

    chosen_measures = rng.sample(sorted(measures), rng.randint(3, 8))
    measure_items = []
    for key in chosen_measures:
        evidence = f"{place}{measures[key]['zh']}，{_sentence(rng, 6, 16)}"
        paragraphs.insert(rng.randrange(len(paragraphs) + 1), evidence + _sentence(rng))
        measure_items.append({
            "type": key, "name": f"{measures[key]['zh']}（{PLACES[rng.randrange(len(PLACES))]}做法）",
            "name_en": f"{measures[key]['en']} ({PINYIN[place_i].title()} practice)",
            "description": _paragraph(rng)[:180], "description_en": f"Synthetic description of {measures[key]['en'].lower()} in {case_id}.",
            "evidence": evidence[:150],
        })

    metric_items = []
    for key in rng.sample(sorted(metrics["metrics"]), rng.randint(4, 16)):
        kind = metrics["kinds"][metrics["metrics"][key]["kind"]]
        unit = rng.choice(sorted(kind["units"]))
        value = rng.randint(2, 5000) if unit not in ("成", "%") else rng.randint(1, 9)
        qualifier = rng.choice((None, None, "over", "about", "nearly", "at-least"))
        word = {"over": "余", "about": "约", "nearly": "近", "at-least": "以上"}.get(qualifier, "")
        evidence = f"{metrics['metrics'][key]['zh']}达{value}{word}{unit}" if qualifier != "about" else f"共约{value}{unit}{metrics['metrics'][key]['zh']}"
        paragraphs.insert(rng.randrange(len(paragraphs) + 1), evidence + "，" + _sentence(rng))
        item = {"metric": key, "value": value, "unit": unit}
        if qualifier:
            item["qualifier"] = qualifier
        item.update({"as_of": published, "scope": f"{place}{metrics['metrics'][key]['zh']}",
                     "scope_en": f"{metrics['metrics'][key]['en']} in {PINYIN[place_i].title()}", "evidence": evidence})
        metric_items.append(item)

    record = {
        "id": case_id,
        "title": f"{regions[province]['zh']}{place}{name}",
        "title_en": f"The {number} model of {PINYIN[place_i].title()}, {regions[province]['en']}",
        "added": f"{rng.randint(2024, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",  # never in the future
        "model": {"name": name, "name_en": f"{number} model"},
        "locality": {"province": province, "county": place, "name_en": f"{PINYIN[place_i].title()}, {regions[province]['en']}"},
        "level": rng.choice(LEVELS),
        "lead_organisation": f"{place}老干部局", "lead_organisation_en": f"Retired Cadres Bureau of {PINYIN[place_i].title()}",
        "period": {"start": year},
        "summary": _paragraph(rng)[:300], "summary_en": f"Synthetic case {case_id} for benchmarks: {name} in {PINYIN[place_i].title()}.",
        "tags": rng.sample(sorted(tags), rng.randint(2, 5)),
        "measures": measure_items,
        "metrics": metric_items,
        "sources": [{"id": "source", "title": f"{place}探索{name}", "publisher": rng.choice(("人民网", "党建网", "老干部之家", "某日报")),
                     "date": published, "kind": rng.choice(("web", "newspaper")),
                     "archive": f"{case_id}.txt"}],
    }
    y, m, d = published.split("-")
    source_text = record["sources"][0]["title"] + f"\n\n发布时间：{y}年{m}月{d}日\n\n" + "\n\n".join(paragraphs) + "\n"
    return province, case_id, record, source_text


def write_corpus(n: int, data: Path, seed: int = 0) -> None:
    """Write a data directory with the real taxonomies and ``n`` synthetic cases."""
    data = Path(data)
    shutil.rmtree(data, ignore_errors=True)
    (data / "sources").mkdir(parents=True)
    for name in ("tags.yml", "measures.yml", "metrics.yml", "regions.yml"):
        shutil.copy(ROOT / "data" / name, data / name)
    tax = _taxonomies(data)
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
