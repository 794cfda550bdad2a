"""Deterministic synthetic corpus for the search benchmark: N case records shaped like the real ones,
with text whose words are as frequent as in the real articles and names that stay rare.

    python bench/search_synth.py --cases 10000 --out /tmp/synth [--seed 1] [--no-real] [--site]

writes OUT/data/: the taxonomies and (unless --no-real) the real cases and sources copied from
data/, plus N synthetic cases under cases/<province>/<id>.yml, each with its archived source under
sources/<id>.txt. The records are meant to be valid against the schema *and* the validator: every
evidence quote is a sentence of the case's own archived source, every figure's number is written in
its quote, and units fit their metric kinds; tests/test_search_synth.py checks this on a small corpus.

Why not bench/synth.py: that corpus is made of some sixty domain words and thirty place names
(华锦, 德胜 among them), so every word and name in it occurs in a large part of all cases, which is
right for timing a build and wrong for timing a search (each query would match thousands of cases).

What varies like the real data: provinces (all of regions.yml), place names (two-syllable names from
a syllable table, with romanised English), levels, model names (including “digits”工作法 names and
quoted four-character slogans), measure types, metrics and units, tags, and text lengths (source
articles of 15-70 sentences generated from the real archived articles by a character Markov chain,
with the real places' names replaced by the synthetic case's own, so that names stay rare).
Same arguments, same bytes: one seeded random generator, everything iterated in sorted order.

With --site it then builds the site from that data with the project's mkdocs.yml (strictness off:
at scale some checks are expected to fail) into OUT/site, the hand-written pages copied to OUT/docs.
10,000 cases take about half an hour and 8 GB of memory.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casebook.claims import zh_quantities  # noqa: E402
from casebook.textnorm import to_simplified  # noqa: E402

# Syllables with their romanisation, for place and person names.
SYLLABLES = [
    ("安", "an"), ("宁", "ning"), ("东", "dong"), ("平", "ping"), ("阳", "yang"), ("兴", "xing"), ("华", "hua"),
    ("新", "xin"), ("长", "chang"), ("和", "he"), ("泰", "tai"), ("丰", "feng"), ("明", "ming"), ("清", "qing"),
    ("河", "he"), ("山", "shan"), ("江", "jiang"), ("湖", "hu"), ("桥", "qiao"), ("林", "lin"), ("春", "chun"),
    ("秀", "xiu"), ("永", "yong"), ("福", "fu"), ("庆", "qing"), ("德", "de"), ("信", "xin"), ("义", "yi"),
    ("文", "wen"), ("武", "wu"), ("金", "jin"), ("石", "shi"), ("云", "yun"), ("海", "hai"), ("南", "nan"),
    ("北", "bei"), ("西", "xi"), ("中", "zhong"), ("民", "min"), ("乐", "le"), ("康", "kang"), ("嘉", "jia"),
    ("鹤", "he"), ("凤", "feng"), ("龙", "long"), ("梅", "mei"), ("枫", "feng"), ("柳", "liu"), ("松", "song"),
    ("竹", "zhu"), ("荷", "he"), ("桂", "gui"), ("源", "yuan"), ("溪", "xi"), ("岭", "ling"), ("峰", "feng"),
    ("城", "cheng"), ("园", "yuan"), ("港", "gang"), ("湾", "wan"),
]
CN_NUMBERS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
EN_NUMBERS = ["One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten"]
# (zh, en) pairs for slogans such as “三联三帮” and names such as 银发驿站.
VERBS = [("联", "links"), ("帮", "helps"), ("访", "visits"), ("学", "studies"), ("议", "consultations"),
         ("送", "deliveries"), ("助", "aids"), ("带", "mentorships"), ("管", "controls"), ("评", "reviews")]
NOUNS = [("驿站", "station"), ("先锋队", "vanguard team"), ("议事会", "council"), ("服务队", "service team"),
         ("工作室", "studio"), ("课堂", "classroom"), ("之家", "home"), ("调解室", "mediation room"),
         ("宣讲团", "lecture group"), ("智囊团", "advisory group"), ("互助会", "mutual-aid society")]
BRANDS = [("银发", "Silver"), ("红色", "Red"), ("夕阳红", "Sunset"), ("老兵", "Veterans'"), ("暖心", "Warm-hearted"),
          ("连心", "Hearts-linked"), ("睦邻", "Good-neighbour"), ("先锋", "Vanguard"), ("金秋", "Golden autumn")]
LEVEL_PLACES = {"province": 0, "city": 1, "county": 2, "township": 3, "community": 4}
PUBLISHERS = ["人民网-中国共产党新闻网", "党建网", "老干部之家", "中国老年报", "各地老干部局"]
# Metric evidence: a sentence around the figure; {n} is the number as written, {u} the unit.
METRIC_PHRASES = {
    "people": "参与的老党员、老同志达{n}{u}", "person-times": "累计服务群众{n}{u}", "organisations": "共建立组织{n}{u}",
    "teams": "组建各类服务队伍{n}{u}", "events": "开展各类活动{n}{u}", "money": "投入和筹集资金{n}{u}",
    "area": "活动场所面积达{n}{u}", "ratio": "占比达到{n}{u}", "places": "建成活动阵地{n}{u}",
    "localities": "覆盖社区和小区{n}{u}", "programmes": "开设特色项目{n}{u}", "items": "捐赠物资{n}{u}",
    "age": "年龄最大的已经{n}{u}", "duration": "坚持开展{n}{u}",
}


def _training_text(data_dir: Path) -> str:
    """The archived articles, folded to simplified, without digits (figures are written separately)."""
    texts = [to_simplified(p.read_text(encoding="utf-8")) for p in sorted((data_dir / "sources").glob("*.txt"))]
    return "".join(re.sub(r"[0-9０-９\s]+", "", t) for t in texts)


class Sentences:
    """New sentences from an order-3 character Markov chain trained on the real articles: the
    frequencies of common words are realistic, while rare combinations (names, slogans) spread
    thinly, as they would across thousands of different articles."""

    ORDER = 3

    def __init__(self, text: str, rng: random.Random):
        self.rng = rng
        self.next: dict[str, list[str]] = {}
        for i in range(len(text) - self.ORDER):
            self.next.setdefault(text[i:i + self.ORDER], []).append(text[i + self.ORDER])
        self.starts = sorted({text[i + 1:i + 1 + self.ORDER] for i in range(len(text) - self.ORDER)
                              if text[i] == "。" and text[i + 1:i + 1 + self.ORDER] in self.next})

    def sentence(self, low: int = 15, high: int = 120) -> str:
        while True:
            out = self.rng.choice(self.starts)
            while len(out) < high:
                followers = self.next.get(out[-self.ORDER:])
                if not followers:
                    break
                out += self.rng.choice(followers)
                if out[-1] == "。":
                    break
            if low <= len(out) <= high and out.endswith("。"):
                return out

    def some(self, low: int, high: int) -> list[str]:
        return [self.sentence() for _ in range(self.rng.randint(low, high))]


LEVELS = ("city", "county", "township", "community")
_SUFFIX = re.compile(r"(市|区|县|街道|街|镇|社区|村)$")


def _seed_places(data_dir: Path) -> tuple[re.Pattern, dict]:
    """The real cases' place names (西城区, and its short form 西城), with their level, so that text
    generated from the real articles can name the synthetic case's own places instead: otherwise
    every synthetic case would mention 华锦 and 德胜, and no name would be rare, as names are."""
    level_of = {}
    for path in sorted((data_dir / "cases").rglob("*.yml")):
        locality = yaml.safe_load(path.read_text(encoding="utf-8"))["locality"]
        for level in LEVELS:
            if level in locality:
                name = to_simplified(locality[level])
                level_of[name] = (level, True)
                short = _SUFFIX.sub("", name)
                if len(short) >= 2:
                    level_of.setdefault(short, (level, False))
    names = sorted(level_of, key=lambda n: (-len(n), n))
    return re.compile("|".join(map(re.escape, names))), level_of


class Generator:
    def __init__(self, data_dir: Path, seed: int):
        self.rng = random.Random(seed)
        load = lambda name: yaml.safe_load((data_dir / name).read_text(encoding="utf-8"))  # noqa: E731
        self.regions = load("regions.yml")
        self.tags = sorted(load("tags.yml"))
        self.measures = load("measures.yml")
        metrics = load("metrics.yml")
        self.kinds = metrics["kinds"]
        self.metrics = metrics["metrics"]
        self.text = Sentences(_training_text(data_dir), self.rng)
        self.seed_places = _seed_places(data_dir)
        self.used_ids: set[str] = set()

    # -- names -------------------------------------------------------------------------------
    def name(self, syllables: int = 2) -> tuple[str, str]:
        parts = [self.rng.choice(SYLLABLES) for _ in range(syllables)]
        return "".join(p[0] for p in parts), "".join(p[1] for p in parts).capitalize()

    def model_name(self, place_zh: str, place_en: str) -> tuple[str, str]:
        style = self.rng.randrange(4)
        if style == 0:  # “digits”工作法, as “12345”工作法
            digits = "".join(str(d) for d in range(1, self.rng.randint(3, 6)))
            if self.rng.random() < 0.3:
                digits = f"{self.rng.randint(1, 3)}+{self.rng.randint(2, 9)}"
            return f"“{digits}”工作法", f'"{digits}" working method'
        if style == 1:  # “三联三帮”
            i = self.rng.randrange(2, 6)
            (v1, e1), (v2, e2) = self.rng.sample(VERBS, 2)
            return f"“{CN_NUMBERS[i]}{v1}{CN_NUMBERS[i]}{v2}”模式", f'"{EN_NUMBERS[i]} {e1}, {EN_NUMBERS[i].lower()} {e2}" model'
        if style == 2:  # “四位一体”-like
            i = self.rng.randrange(2, 8)
            return f"“{CN_NUMBERS[i]}位一体”平台", f'"{EN_NUMBERS[i]}-in-one" platform'
        brand, brand_en = self.rng.choice(BRANDS)
        noun, noun_en = self.rng.choice(NOUNS)
        return f"{place_zh}{brand}{noun}", f"{place_en} {brand_en} {noun_en}"

    def unique_id(self, *parts: str) -> str:
        base = "-".join(p.lower() for p in parts)
        n = 1
        while f"{base}-{n}" in self.used_ids:
            n += 1
        self.used_ids.add(f"{base}-{n}")
        return f"{base}-{n}"

    def localise(self, text: str, locality: dict) -> str:
        """``text`` with the real cases' place names replaced by this case's, level for level."""
        pattern, level_of = self.seed_places

        def name(match: re.Match) -> str:
            level, full = level_of[match.group()]
            own = locality.get(level) or locality["county"]
            return own if full else _SUFFIX.sub("", own)

        return pattern.sub(name, text)

    # -- one case ---------------------------------------------------------------------------
    def case(self, index: int) -> tuple[str, dict, str]:
        rng = self.rng
        province = rng.choice(sorted(self.regions))
        region = self.regions[province]
        city, city_en = self.name()
        county, county_en = self.name()
        township, township_en = self.name()
        community, community_en = self.name()
        level = rng.choice(sorted(LEVEL_PLACES, key=LEVEL_PLACES.get))
        depth = max(LEVEL_PLACES[level], 2)
        locality = {"province": province, "city": city + "市", "county": county + rng.choice("区县")}
        names_en = [f"{county_en} {'District' if locality['county'].endswith('区') else 'County'}", city_en, region["en"]]
        if depth >= 3:
            locality["township"] = township + rng.choice(["街道", "镇"])
            names_en.insert(0, f"{township_en} {'Subdistrict' if locality['township'].endswith('街道') else 'Town'}")
        if depth >= 4:
            locality["community"] = community + rng.choice(["社区", "村"])
            names_en.insert(0, f"{community_en} {'Community' if locality['community'].endswith('社区') else 'Village'}")
        locality["name_en"] = ", ".join(names_en)
        locality["division_code"] = f"{region['code']}{rng.randrange(100, 10000):04d}"
        place = "".join(locality.get(k, "") for k in ("city", "county", "township", "community"))
        case_id = self.unique_id(province, city_en, county_en)

        model, model_en = self.model_name(county if depth < 3 else township, county_en if depth < 3 else township_en)
        start = rng.randint(2010, 2024)
        published = dt.date(min(start + rng.randint(0, 3), 2025), rng.randint(1, 12), rng.randint(1, 28))
        lead = f"{locality['county']}委老干部局"

        sentences = [f"{place}组织离退休干部和老党员参与基层治理，自{start}年起探索形成{model}。"]
        body_size = rng.randint(15, 70)
        measures, metrics = [], []
        for _ in range(rng.randint(4, 12)):
            kind = rng.choice(sorted(self.measures))
            term = self.measures[kind]
            brand, brand_en = rng.choice(BRANDS)
            noun, noun_en = rng.choice(NOUNS)
            name, name_en = f"{brand}{noun}", f"{brand_en} {noun_en}"
            evidence = f"{locality.get('township', locality['county'])}{term['zh']}，成立{name}，{self.localise(self.text.sentence(10, 100), locality)}"[:150]
            sentences.append(evidence)
            filler = _without_figures(self.localise("".join(self.text.some(1, 3)), locality))
            measures.append({
                "type": kind, "name": name, "name_en": name_en,
                "description": f"{term['definition']}{place}的做法是：{filler}"[:600],
                "description_en": f"{term['definition_en']} In {city_en}, this takes the form of the {name_en.lower()}.",
                "evidence": evidence,
            })
        for _ in range(rng.randint(3, 18)):
            key = rng.choice(sorted(self.metrics))
            kind = self.metrics[key]["kind"]
            unit = rng.choice(sorted(self.kinds[kind]["units"]))
            value = rng.randint(1, 9) if unit in ("成",) else rng.randint(2, 3000)
            phrase = METRIC_PHRASES.get(kind, "数量为{n}{u}").format(n=value, u=unit)
            evidence = f"截至{published.year}年，{place}{phrase}。"
            sentences.append(evidence)
            metrics.append({
                "metric": key, "value": value, "unit": unit, "as_of": published.isoformat(),
                "scope": f"{place}{self.metrics[key]['zh']}", "scope_en": f"{self.metrics[key]['en']} in {city_en}",
                "evidence": evidence,
            })
        sentences += [self.localise(t, locality) for t in self.text.some(body_size, body_size)]
        rng.shuffle(sentences)
        title = f"{region['zh']}{locality['city']}{locality['county']}{model}"
        source_text = "\n\n".join([title, f"日期:{published.isoformat()}", *sentences]) + "\n"

        tags = sorted(rng.sample(self.tags, rng.randint(2, 7)))
        summary = f"{place}以{model}组织老同志参与社区治理。" + _without_figures(self.localise("".join(self.text.some(2, 6)), locality))
        record = {
            "id": case_id,
            "title": title,
            "title_en": f"{model_en[0].upper()}{model_en[1:]} of {locality['name_en']}",
            "added": (dt.date(2026, 1, 1) + dt.timedelta(days=index % 300)).isoformat(),
            "model": {"name": model, "name_en": model_en},
            "locality": locality,
            "level": level,
            "lead_organisation": lead,
            "lead_organisation_en": f"Retired Cadres Bureau of {names_en[-3] if len(names_en) >= 3 else names_en[0]}",
            "period": {"start": str(start)},
            "summary": summary[:1900],
            "summary_en": (f"{locality['name_en']} organises retired cadres and veteran Party members through the "
                           f"{model_en}, described in its measures and reported figures."),
            "tags": tags,
            "measures": measures,
            "metrics": metrics,
            "sources": [{"id": "article", "title": title, "publisher": rng.choice(PUBLISHERS),
                         "date": published.isoformat(), "kind": "web", "archive": f"{case_id}.txt"}],
        }
        return province, record, source_text


def _without_figures(text: str) -> str:
    """``text`` without the sentences that state a quantity: sampled from other articles, their numbers are
    not this case's figures, and the validator checks every number in a summary or description."""
    return "".join(s for s in re.findall(r"[^。！？]*[。！？]?", text) if s and not zh_quantities(s))


def write_corpus(out: Path, cases: int, seed: int = 1, real: bool = True, data_dir: Path = ROOT / "data") -> Path:
    """Write the corpus under ``out/data`` and return that directory."""
    target = Path(out) / "data"
    if target.exists():
        shutil.rmtree(target)
    (target / "cases").mkdir(parents=True)
    (target / "sources").mkdir()
    for name in ("tags.yml", "measures.yml", "metrics.yml", "regions.yml", "synonyms.yml"):
        if (data_dir / name).is_file():  # synonyms.yml is optional
            shutil.copyfile(data_dir / name, target / name)
    if real:
        shutil.copytree(data_dir / "cases", target / "cases", dirs_exist_ok=True)
        shutil.copytree(data_dir / "sources", target / "sources", dirs_exist_ok=True)
    gen = Generator(data_dir, seed)
    for i in range(cases):
        province, record, source_text = gen.case(i)
        folder = target / "cases" / province
        folder.mkdir(exist_ok=True)
        text = "# yaml-language-server: $schema=../../../schema/case.schema.json\n" + yaml.safe_dump(
            record, allow_unicode=True, sort_keys=False, width=10**6)
        (folder / f"{record['id']}.yml").write_text(text, encoding="utf-8")
        (target / "sources" / record["sources"][0]["archive"]).write_text(source_text, encoding="utf-8")
    return target


def build_site(out: Path) -> Path:
    """Build OUT/data into OUT/site with mkdocs (the MkDocs hook generates the pages into OUT/docs)."""
    from casebook.write import GENERATED_DIRS, GENERATED_FILES

    out = Path(out).resolve()
    docs = out / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    shutil.copytree(ROOT / "docs", docs, ignore=lambda d, names: [
        n for n in names if Path(d).resolve() == (ROOT / "docs").resolve() and (n in GENERATED_DIRS or n in GENERATED_FILES)])
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", CASEBOOK_DATA=str(out / "data"), CASEBOOK_DOCS=str(docs))
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--no-strict", "-q", "-f", str(ROOT / "mkdocs.yml"),
                    "-d", str(out / "site")], cwd=ROOT, env=env, check=True)
    return out / "site"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, required=True, help="number of synthetic cases")
    parser.add_argument("--out", type=Path, required=True, help="directory; the corpus goes to OUT/data")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-real", action="store_true", help="leave out the real cases from data/")
    parser.add_argument("--site", action="store_true", help="then build the site into OUT/site")
    args = parser.parse_args(argv)
    target = write_corpus(args.out, args.cases, args.seed, real=not args.no_real)
    print(target)
    if args.site:
        print(build_site(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
