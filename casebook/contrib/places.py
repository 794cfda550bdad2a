"""Places: where the practice runs, from the national division data of jionlp (province, prefecture,
county with their GB/T 2260 codes, townships and communities under them).

    find_place(title, paragraphs, regions, province=None) -> Place

Every name of a province, prefecture-level city, county or township the text uses is a *mention* with
the divisions it can mean (市中区 is in four cities, 西安 in one). A city or county named without its
province resolves to its province. Where the mentions point to more than one province, the title's lead
(the locality label before its colon), then the whole title, then the title with the opening sentence
decide; where that still leaves more than one, or no place is named at all, the place is *undecided*
and the importer asks (exit status 2) instead of guessing. A province named after 赴/学习/借鉴 is a
place someone visited or learnt from: it can never decide on its own.
"""
from __future__ import annotations

import contextlib
import functools
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..textnorm import to_simplified

MUNICIPALITY_CODES = {"11", "12", "31", "50"}  # 北京, 天津, 上海, 重庆: the city level is the province itself
# Short forms that are also common words or street names in this genre; they count only in their full form.
_COMMON_WORDS = {"大同", "安康", "长治", "白银", "朝阳", "中山", "吉安", "永安", "太平", "和平", "新华", "长安",
                 "城关", "市中", "开发", "高新", "东区", "西区", "南区", "北区", "城区", "郊区", "矿区", "新区",
                 "红旗", "胜利", "光明", "和顺", "永和", "德州", "金华", "宝山", "普洱", "阿里", "三明", "江南",
                 "来宾", "日照", "新乡"}  # 来宾们, 日照充足, 新乡贤
# Full county names that are also everyday words: 汉口老城区 is Hankou's old town, not Luoyang's district.
_COMMON_FULL_NAMES = {"老城区", "城区", "郊区", "矿区", "新区", "开发区", "高新区", "东区", "西区", "南区", "北区",
                      "城东区", "城西区", "城北区", "城中区", "中心区"}  # 小区东区, 城北区域
# After a short name these make it something else: a street (北京路), a newspaper (湖北日报), a lesson or a
# chapter of Party history that any article may cite (枫桥经验, 延安精神, 遵义会议).
_STREET_AFTER = re.compile(r"^(?:路|街(?!道)|大道|大街|巷|胡同|广场|饭店|宾馆|公园|时间|话|经验|模式|日报|晚报|电视|卫视|大学|银行"
                           r"|中路|东路|西路|南路|北路|精神|会议|时期|纪念馆|革命|红军|故事|之行|考察|学习|经济区)")
_VISIT_BEFORE = re.compile(r"(?:赴|到|去|前往|学习|借鉴|参照|考察|来自|对标|与)$")


@dataclass(frozen=True)
class Division:
    level: str  # province, city, county, township
    name: str  # full name, e.g. 碑林区
    province: str  # full province name, e.g. 陕西省
    city: str = ""
    county: str = ""
    code: str = ""  # six digits for province, city, county; "" for a township


@dataclass
class Mention:
    word: str  # as the text writes it
    where: str  # title, opening or body
    start: int  # offset in the scanned text
    divisions: tuple[Division, ...]
    visit: bool = False  # 赴浙江学习: a place named as somewhere else

    @property
    def provinces(self) -> set[str]:
        return {d.province for d in self.divisions}


@dataclass
class Place:
    province: str | None  # a key of data/regions.yml, None when undecided
    city: str = ""
    county: str = ""
    township: str = ""
    community: str = ""
    division_code: str = ""
    level: str = ""
    level_reason: str = ""
    decided_by: list[str] = field(default_factory=list)  # the words (and where) that decided the province
    reason: str = ""  # how the province was decided, or why it was not
    candidates: dict[str, list[str]] = field(default_factory=dict)  # region key -> words naming it
    given: bool = False  # --province

    @property
    def decided(self) -> bool:
        return self.province is not None


@functools.lru_cache(maxsize=1)
def gazetteer() -> tuple[dict[str, list[Division]], dict[str, dict[str, list[str]]]]:
    """name -> divisions it can mean; and (province, city, county) -> township -> communities."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        from jionlp.dictionary.dictionary_loader import china_location_loader  # prints a banner on import
        tree = china_location_loader(detail=True)
    names: dict[str, list[Division]] = defaultdict(list)
    towns: dict[tuple, dict[str, list[str]]] = {}

    def add(word: str, division: Division) -> None:
        if len(word) >= 2 and division not in names[word]:
            names[word].append(division)

    def kids(node: dict):
        return ((k, v) for k, v in node.items() if not k.startswith("_"))

    for prov, pnode in kids(tree):
        p = Division("province", prov, prov, code=pnode["_admin_code"])
        add(prov, p)
        add(pnode["_alias"], p)
        for city, cnode in kids(pnode):
            c = Division("city", city, prov, city, code=cnode["_admin_code"])
            if city != prov:
                add(city, c)
                for alias in cnode["_alias"]:
                    if alias not in _COMMON_WORDS:
                        add(alias, c)
            for county, knode in kids(cnode):
                k = Division("county", county, prov, city, county, code=knode["_admin_code"])
                if county not in _COMMON_FULL_NAMES:
                    add(county, k)
                towns[(prov, city, county)] = {t: sorted(v or {}) for t, v in kids(knode)}
                for town in towns[(prov, city, county)]:
                    if len(town) >= 3 and town.endswith(("街道", "镇", "乡", "苏木")):  # not 林业局, 监狱 and the like
                        add(town, Division("township", town, prov, city, county))
    return dict(names), towns


def _region_key(province_name: str, regions: dict) -> str | None:
    """The key of data/regions.yml for a province's full name (陕西省 -> shaanxi), by its GB/T 2260 prefix."""
    names, _ = gazetteer()
    code = next((d.code for d in names.get(province_name, []) if d.level == "province"), "")
    return next((key for key, r in regions.items() if code and str(r.get("code")) == code[:2]), None)


def find_mentions(text: str, where_of) -> list[Mention]:
    """Every division name in ``text``, longest first at each position (碑林区 before 碑林)."""
    names, _ = gazetteer()
    out: list[Mention] = []
    i = 0
    while i < len(text):
        for length in range(min(12, len(text) - i), 1, -1):
            word = text[i:i + length]
            divisions = names.get(word)
            if not divisions:
                continue
            after = text[i + length:]
            full = word[-1] in "省市区县旗州盟道镇乡" or word.endswith("自治区")
            if not full and _STREET_AFTER.match(after):
                divisions = []  # 北京路, 中山路, 北京时间
            if not full and word in _COMMON_WORDS:
                divisions = []
            # a short county or township name is too easily a word; only full county/township names count
            divisions = [d for d in divisions if full or d.level in ("province", "city")]
            # 和县, 新县: a two-character county counts only after punctuation or a larger division (市委和县委)
            prev = text[i - 1:i]
            if length == 2 and re.match(r"[\u4e00-\u9fff]", prev) and not (out and out[-1].start + len(out[-1].word) == i):
                divisions = [d for d in divisions if d.level != "county"]
            if not divisions:
                continue
            visit = bool(_VISIT_BEFORE.search(text[max(0, i - 3):i]))
            out.append(Mention(word, where_of(i), i, tuple(divisions), visit))
            i += length - 1
            break
        i += 1
    return _chain(out, text)


def _chain(mentions: list[Mention], text: str) -> list[Mention]:
    """Adjacent names narrow each other: in 沈阳市和平区 the 和平区 is Shenyang's, not Tianjin's; and a name
    written inside an address that starts with another province (浙江省示例市东河区) is a namesake of a
    division the data does not list, not the 东河区 of Inner Mongolia."""
    for a, b in zip(mentions, mentions[1:]):
        gap = text[a.start + len(a.word):b.start]
        if not all(d.level == "province" for d in a.divisions) or any(d.level == "province" for d in b.divisions):
            continue
        if len(gap) <= 6 and not re.search(r"[^\u4e00-\u9fff]|[和与及同跟、]", gap) and not b.provinces & a.provinces:
            b.divisions = ()
    mentions = [m for m in mentions if m.divisions]
    for a, b in zip(mentions, mentions[1:]):
        if a.start + len(a.word) != b.start:
            continue
        # and the other way: 新城区西街街道 is Hohhot's 新城区, the one with a 西街街道 (Xi'an's has none)
        if b.divisions and all(d.level == "township" for d in b.divisions) and all(d.level == "county" for d in a.divisions):
            holding = tuple(d for d in a.divisions if any((t.city, t.county) == (d.city, d.county) for t in b.divisions))
            if holding:
                a.divisions = holding
        parents = {(d.province, d.city if d.level != "province" else "") for d in a.divisions}
        narrowed = tuple(d for d in b.divisions if (d.province, d.city) in parents or (d.province, "") in parents)
        if narrowed:
            b.divisions = narrowed
            if len({d.province for d in narrowed}) == 1:
                b.visit = b.visit or a.visit
    return mentions


def _decide(mentions: list[Mention], regions: dict) -> tuple[str | None, list[Mention], str, dict[str, list[str]]]:
    """(province name, the mentions that decided, how, candidates) from the mentions of the text."""
    # a township name only supports a province named otherwise: 南湖街道 alone could be in six provinces,
    # and a unique one may be a namesake of a township the data does not list
    sure = [m for m in mentions if len(m.provinces) == 1 and any(d.level != "township" for d in m.divisions)]
    sure_provinces = {p for m in sure for p in m.provinces}
    # an ambiguous name joins the one province among the sure ones that it can mean (市中区 + 枣庄市)
    resolved = list(sure)
    for m in mentions:
        if len(m.provinces) > 1 and len(m.provinces & sure_provinces) == 1:
            m.divisions = tuple(d for d in m.divisions if d.province in sure_provinces)
            resolved.append(m)
    candidates: dict[str, list[str]] = defaultdict(list)
    for m in mentions:
        for p in sorted(m.provinces):
            if m.word not in candidates[p]:
                candidates[p].append(m.word)
    deciding = [m for m in resolved if not m.visit]
    named = {p for m in deciding for p in m.provinces}
    if len(named) == 1:
        province = named.pop()
        return province, [m for m in mentions if m.provinces == {province} and not m.visit], \
            "every place the text names is in it", candidates
    if not named:
        towns_only = mentions and all(d.level == "township" for m in mentions for d in m.divisions)
        why = ("the text names no province, city or county" if not mentions else
               "the text names only townships, and a township's name alone may be a namesake" if towns_only else
               "the names in the text belong to more than one province" if not sure else
               "the only province named is one the article went to or learnt from")
        return None, [], why, candidates
    for window, label in (("lead", "the title's lead names it"), ("title", "the title names it"),
                          ("opening", "the title and the opening sentence name it")):
        allowed = {"lead": ("lead",), "title": ("lead", "title"), "opening": ("lead", "title", "opening")}[window]
        inside = {p for m in deciding if m.where in allowed for p in m.provinces}
        if len(inside) == 1:
            province = inside.pop()
            return province, [m for m in deciding if m.where in allowed and province in m.provinces], label, candidates
        if len(inside) > 1:
            break
    return None, [], "the title and the opening sentence name places in more than one province", candidates


def _pick(options: list[Mention], attr: str) -> str:
    """The division named in the title first, else the one named most often, else the first named."""
    counts: dict[str, list[Mention]] = defaultdict(list)
    for m in options:
        names = {getattr(d, attr) for d in m.divisions}
        if len(names) == 1:
            counts[names.pop()].append(m)
    if not counts:
        return ""
    return min(counts, key=lambda n: (all(m.where == "body" for m in counts[n]), -len(counts[n]), counts[n][0].start))


def find_place(title: str, paragraphs: list[str], regions: dict, province: str | None = None) -> Place:
    """Where the practice runs, with the words that say so."""
    title = to_simplified(title)
    body = to_simplified("\n".join(paragraphs))
    lead_end = min([i for i in (title.find(c) for c in "：: —") if i > 0] or [len(title)])
    first_sentence = re.search(r"[。！？]", body)
    opening_end = len(title) + 1 + (first_sentence.end() if first_sentence else len(body))
    text = title + "\n" + body

    def where_of(i: int) -> str:
        return "lead" if i < lead_end else "title" if i < len(title) else "opening" if i < opening_end else "body"

    mentions = find_mentions(text, where_of)
    shown = {"lead": "title", "title": "title", "opening": "opening sentence", "body": "text"}
    if province:
        code = str(regions[province]["code"])
        names, _ = gazetteer()
        prov_name = next((d.province for ds in names.values() for d in ds if d.code[:2] == code and d.level == "province"), "")
        place = Place(province=province, given=True, reason="given with --province", decided_by=["--province"])
        own, deciding, _, _ = _decide([Mention(m.word, m.where, m.start, m.divisions, m.visit) for m in mentions], regions)
        if own and own != prov_name:  # say so: a slip of the keyboard, or an article about somewhere else
            place.reason += f"; the text itself points to {own} ({', '.join(dict.fromkeys(m.word for m in deciding))})"
    else:
        prov_name, deciding, how, candidates = _decide(mentions, regions)
        keyed = {_region_key(p, regions) or p: words for p, words in candidates.items()}
        if prov_name is None:
            return Place(province=None, reason=how, candidates=keyed)
        key = _region_key(prov_name, regions)
        if key is None:
            return Place(province=None, reason=f"{prov_name} is not in data/regions.yml", candidates=keyed)
        words = []
        for m in deciding:
            label = f"{m.word} ({shown[m.where]})"
            if label not in words:
                words.append(label)
        place = Place(province=key, decided_by=words, reason=how, candidates=keyed)
    inside = [m for m in mentions if prov_name in m.provinces]
    for m in inside:
        m.divisions = tuple(d for d in m.divisions if d.province == prov_name)
    municipality = str(regions[place.province]["code"]) in MUNICIPALITY_CODES
    counties = [m for m in inside if m.divisions and all(d.level == "county" for d in m.divisions)]
    place.city = _pick([m for m in inside if m.divisions and all(d.level == "city" for d in m.divisions)], "city")
    if place.city:
        in_city = [m for m in counties if any(d.city == place.city for d in m.divisions)]
        for m in in_city:
            m.divisions = tuple(d for d in m.divisions if d.city == place.city)
        place.county = _pick(in_city, "county")
    else:
        place.county = _pick(counties, "county")
        if place.county:
            place.city = _pick([m for m in counties if any(d.county == place.county for d in m.divisions)], "city")
    _, towns = gazetteer()
    if place.county:
        key = (prov_name, place.city, place.county)
        townships = [m for m in inside if m.divisions and all(d.level == "township" and d.county == place.county for d in m.divisions)]
        place.township = _pick(townships, "name")
        if not place.township:  # the short forms people write: 南湖街 for 南湖街道, 民族街道 for 民族街街道
            for town in towns.get(key, {}):
                forms = [town[:-3] + "街道", town[:-2]] if town.endswith("街街道") else [town[:-1]] if town.endswith("街道") else []
                found = next((f for f in forms if re.search(re.escape(f) + ("" if f.endswith("道") else "(?!道)"), text)), None)
                if found:
                    place.township = found  # as the article writes it
                    break
        place.community = _community(text, towns.get(key, {}), place.township)
    names, _ = gazetteer()
    code = ""
    if place.county:
        code = next((d.code for d in names.get(place.county, []) if d.province == prov_name and d.city == place.city), "")
    elif place.city:
        code = next((d.code for d in names.get(place.city, []) if d.level == "city" and d.province == prov_name), "")
    if not code and prov_name:
        code = next((d.code for d in names.get(prov_name, []) if d.level == "province"), "")
    place.division_code = code
    if municipality:
        place.city = ""
    place.level, place.level_reason = _level(title, place)
    if place.level_reason.startswith("the title names"):
        # units below the title's own are the text's examples (在翠屏社区设立驿站), not where the practice runs
        # unless the opening writes the full address down to it (笔架山街道望湖社区)
        order = ["city", "county", "township", "community"]
        opening = text[:opening_end]
        for lower in order[order.index(place.level) + 1:]:
            above = getattr(place, order[order.index(lower) - 1])
            value = getattr(place, lower)
            if not (above and value and re.search(re.escape(above) + "道?" + re.escape(value), opening)):
                setattr(place, lower, "")
    return place


def _community(text: str, towns: dict[str, list[str]], township: str) -> str:
    """The community or village the text names right after its township, or one the data lists there."""
    if township:
        m = re.search(re.escape(township) + r"(?:道)?([\u4e00-\u9fff]{1,6}?(?:社区|村))", text)
        if m and not re.search(r"[党委会工的和与在对把将从积极组织开展]", m.group(1)[:-2]):
            return m.group(1)
    listed = [c for t, cs in towns.items() if not township or t.startswith(township) for c in cs if len(c) >= 4 and c in text]
    return listed[0] if len(set(listed)) == 1 else ""


def _level(title: str, place: Place) -> tuple[str, str]:
    """The smallest unit the title names (the practice's own level in this genre), else the smallest named."""
    for level, name in (("community", place.community), ("township", place.township), ("county", place.county),
                        ("city", place.city)):
        if name and (name in title or name[:-1] in title and len(name) > 2):
            return level, f"the title names {name}"
    for level, name in (("community", place.community), ("township", place.township), ("county", place.county),
                        ("city", place.city)):
        if name:
            return level, f"the smallest unit the text names is {name}"
    return "province", "the text names no unit below the province"
