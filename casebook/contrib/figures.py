"""Figures: every number the article gives with its unit or counting word, Arabic or Chinese numerals
(cn2an reads the Chinese ones), with its qualifier, paragraph and a short quote.

    find_figures(paragraphs) -> [Figure]

The paragraphs are read folded to simplified characters (the cleaning step has already repaired doubled
punctuation). Left out on purpose: dates (2019年, 9月), ordinals (第二网格, 一等奖), list labels (一是, （一）,
1.), numbers inside names and quoted slogans (“12345”工作法, “1+6”, “一”支队伍), ranges (三四个) and bare
magnitudes used as words (千家万户). A figure is proposed whatever its unit; whether some metric of
data/metrics.yml has that unit is decided later (casebook.contrib.proposals).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

from ..textnorm import numbers_in, to_simplified
from .quotes import MAX_QUOTE, clause_at, quote_around, sentence_spans

# Counting words of the genre, longest first when matched. Units of data/metrics.yml are added at run time.
UNITS = (
    "个百分点 平方公里 平方米 人次 户次 场次 件次 万元 亿元 公里 千米 小时 "
    "人 名 位 户 家 个 支 场 次 期 件 项 条 篇 份 本 册 套 台 辆 张 幅 首 门 所 处 座 间 栋 幢 部 起 批 类 种 步 "
    "岁 年 天 米 亩 元 成 倍 堂 节 轮 组 块 盏 棵 株 吨 箱 袋 对 % ％"
).split()

# A counting word followed by one of these is the start of another word: 3个月, 7成立, 5名单, 12支部.
NOT_UNIT = {
    "个": "月体性案别", "成": "立为员果效功绩熟本长交就型片都了形色分年", "名": "单称义额片录字胜牌誉",
    "次": "数序要日年月级", "场": "所地景馆合面上域", "人": "员民口才大力物士群家们文格性类心情",
    "位": "置于一数次", "件": "事", "项": "目", "期": "间待望刊末初满", "家": "庭园属长门乡人中里访务风教宴电政",
    "户": "籍口外型", "处": "理于置长级室分事境", "所": "有在以谓得属长", "部": "门分署长队位落委",
    "起": "来到步点草床始", "条": "件例款理幅线", "份": "子额", "本": "领地土着职质来身次科", "台": "账阶湾上",
    "首": "先次批都长个届位要", "支": "部持援书付出撑教农点", "门": "口前诊户槛", "组": "织建成长员合委",
    "批": "评准次示复", "类": "似", "种": "植子类", "套": "餐", "座": "谈", "间": "隔接", "节": "日目约点省能",
    "轮": "椅流", "米": "饭", "对": "象于接话待照口外策标比应症齐立手岸面称折", "天": "然气地下津空安两", "岁": "月", "步": "伐行",
}
# Set phrases that look like counts: 四个意识, 两个维护.
_SET_PHRASE = re.compile(r"个(?:意识|自信|维护|确立|代表|全面|务必|一百年|清单)")
# 年 is a figure only as a duration (历时近3年, 退休二十年来), never as a date (2019年) or in 年代/年级.
_YEAR_NEXT_OK = set("来间多余的，。、；如之里时") | {""}

_QUAL_BEFORE = {"将近": "nearly", "接近": "nearly", "近": "nearly", "大约": "about", "约": "about", "超过": "over",
                "超": "over", "逾": "over", "上": "over", "不少于": "at-least", "不低于": "at-least", "至少": "at-least"}
_QUAL_AFTER = {"余": "over", "多": "over"}
_QUAL_END = {"以上": "at-least", "及以上": "at-least", "左右": "about", "多": "over"}

_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_NUM = _CN_DIGITS + "十百千万"
_NUM = rf"\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[{_CN_NUM}]+"
_RANGE = re.compile(r"[一二两三四五六七八九]{2}")  # 三四个, 七八名: a range, not a figure
_QUOTED = re.compile(r"[“\"「『《]([^“”\"「」『』《》。，！？]{1,14})[”\"」』》]")


@dataclass
class Figure:
    value: float
    unit: str
    qualifier: str | None
    text: str  # the figure as written (simplified), e.g. 10余支
    evidence: str  # simplified quote around it, at most MAX_QUOTE characters
    paragraph: int  # 1-based number of the body paragraph it is in
    clause: str = ""  # the clause that holds it, for choosing its metric
    sentence: str = ""
    offset: int = 0  # where the figure starts in its sentence
    year: str = ""  # a year named before the figure in its sentence (2020年 … 28次)
    since: bool = False  # the sentence counts since that year (2018年以来)
    baseline_hint: str = ""  # 从…到… : the earlier figure in the same sentence, for a person to check

    @property
    def scope_hint(self) -> str:
        """The clause without the figure: what is counted, in the article's words."""
        text = self.clause.replace(self.text, "", 1)
        text = re.sub(r"^(?:其中|共有|共|累计|目前|现有|已有|已|达到|达|为)", "", text)
        return text.strip("，、：:；;的 ")[:60]


def _figure_regex(units) -> re.Pattern:
    before = "|".join(sorted(_QUAL_BEFORE, key=len, reverse=True))
    unit = "|".join(re.escape(u) for u in sorted(set(units), key=lambda u: (-len(u), u)))
    return re.compile(
        rf"(?P<before>{before})?(?P<pct>百分之)?(?P<num>{_NUM})(?P<wan>[万亿](?![{_CN_NUM}]))?(?P<after>[余多])?"
        rf"(?P<wan2>[万亿])?(?P<unit>{unit})?(?P<end>及以上|以上|左右|多)?"
    )


def chinese_number(word: str) -> float | None:
    """一百二十 -> 120, 两千 -> 2000, 千 -> 1000 (cn2an); None for what is not one number (三四, 十四五)."""
    if _RANGE.search(word):
        return None
    if word[0] in "十百千万":
        word = "一" + word
    try:
        return float(cn2an.cn2an(word, "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def _quoted_spans(sentence: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTED.finditer(sentence)]


def _read(m: re.Match, sentence: str, quoted) -> tuple[float, str, str | None] | None:
    """(value, unit, qualifier) of a match, or None when it is not a figure."""
    num, unit = m.group("num"), m.group("unit")
    start, end = m.start("num"), m.end()
    prev = sentence[start - 1:start] if start else ""
    nxt = sentence[end:end + 1]
    if m.group("pct"):
        unit = "%"
    if not unit and (m.group("wan") or m.group("wan2")) and \
            re.search(r"(?:人口|人数|党员|老人|居民|群众|志愿者|干部)[^，。；]{0,8}$", sentence[:start]):
        unit = "人"  # 老年人口已超过2.8亿: a head count in 万 or 亿 needs no counting word
    if not unit:
        return None
    if unit == "％":
        unit = "%"
    if any(a <= start < b for a, b in quoted) or prev and prev in "第“\"「『《+＋-—" or nxt and nxt in "+＋":
        return None  # an ordinal, a name or a slogan: “12345”工作法, “1+6”, 第二网格, “一”支队伍
    if prev.isascii() and prev.isalnum() or prev == ".":
        return None
    if m.group("unit") and nxt and nxt in NOT_UNIT.get(unit, ""):
        return None
    if unit == "个" and _SET_PHRASE.match(sentence, m.start("unit")):
        return None
    if unit == "小时" and re.match(r"(?:服务|热线|值守|值班|在线|不间断|营业|待命|开放)", sentence[end:]):
        return None  # 24小时服务热线: when a service is open, not how much was done
    if unit in ("名", "位") and prev == "前":
        return None  # 前三名: a ranking
    if unit in ("次", "回", "遍") and re.search(r"每(?:周|月|年|天|日|季度|半年|星期)[^，。；]{0,6}$", sentence[:start]):
        return None  # 每月开展2次: how often, not how much
    chinese = num[0] in _CN_NUM
    if chinese:
        if num.endswith("万") and unit == "元":
            num, unit = num[:-1] or "一", "万元"
        value = chinese_number(num)
        if value is None:
            return None
        bare = num.strip("十百千万") == "" and len(num) == 1
        if value < 2 and not (m.group("wan") or m.group("wan2")):
            return None  # 一个, 一次: an article, not a count
        if bare and not (m.group("after") or m.group("before")):
            return None  # 千家万户, 百人: words, not figures
    else:
        value = float(num.replace(",", ""))
    wan = m.group("wan") or m.group("wan2")
    if wan:
        if unit == "元" and wan == "万":
            unit = "万元"
        elif unit == "元" and wan == "亿":
            unit = "亿元"
        elif unit not in ("万元", "亿元"):
            value *= 10000 if wan == "万" else 100000000
    if unit == "年":
        # a date (2019年) has no qualifier; a span has one or says what it spans (800多年历史, 二十年来)
        qualified = bool(m.group("after") or m.group("end") == "多" or m.group("before"))
        spans = nxt in _YEAR_NEXT_OK or sentence[end:end + 2] == "历史" or m.group("end") == "多"
        if not spans or (not chinese and len(num) == 4 or value > 100) and not qualified:
            return None
    qualifier = (_QUAL_BEFORE.get(m.group("before") or "") or _QUAL_AFTER.get(m.group("after") or "")
                 or _QUAL_END.get(m.group("end") or ""))
    if m.group("before") == "上" and not (chinese and num[0] in "百千万"):
        qualifier = None  # 上 is 上百/上千 only
    if m.group("end") == "多" and not m.group("unit"):
        return None
    return value, unit, qualifier


def find_figures(paragraphs: list[str], extra_units=()) -> list[Figure]:
    """Every figure of the body, in reading order, in simplified characters."""
    pattern = _figure_regex(list(UNITS) + [u for u in extra_units if u])
    found: list[Figure] = []
    for number, paragraph in enumerate(paragraphs, 1):
        for _, sentence in sentence_spans(to_simplified(paragraph)):
            quoted = _quoted_spans(sentence)
            in_sentence: list[Figure] = []
            for m in pattern.finditer(sentence):
                read = _read(m, sentence, quoted)
                if read is None:
                    continue
                value, unit, qualifier = read
                start = m.start() if m.group("before") and qualifier else m.start("pct") if m.group("pct") else m.start("num")
                end = m.end() if m.group("end") in ("以上", "及以上", "左右") or (m.group("end") == "多" and qualifier) else \
                    max(m.end(g) for g in ("num", "wan", "after", "wan2", "unit") if m.group(g))
                evidence = quote_around(sentence, start, end)
                if value not in numbers_in(evidence):
                    continue  # a form the validator's number check cannot read; leave it to the person
                years = list(re.finditer(r"((?:19|20)\d{2})年", sentence[:start]))
                since = bool(years) and "以来" in sentence[years[-1].end():start]
                if since and years[-1].group(1) not in evidence:
                    # a period is checked against its quote (the validator): quote from the year on, or propose none
                    longer = quote_around(sentence, years[-1].start(), end, limit=MAX_QUOTE)
                    if years[-1].group(1) in longer and value in numbers_in(longer):
                        evidence = longer
                    else:
                        since = False
                fig = Figure(value=value, unit=unit, qualifier=qualifier, text=sentence[start:end].strip(),
                             evidence=evidence, paragraph=number, clause=clause_at(sentence, start, end),
                             sentence=sentence, offset=start,
                             year=years[-1].group(1) if years else "", since=since)
                if in_sentence and in_sentence[-1].unit == unit and \
                        re.search(r"从.*(?:发展|增加|增长|扩大|提高|提升|上升)(?:到|至)", sentence):
                    fig.baseline_hint = in_sentence[-1].text
                in_sentence.append(fig)
            found.extend(in_sentence)
    return found


def base_amount(value: float, unit: str) -> tuple[float, str]:
    """The figure in comparable form: 20.51 万元 and 205100 元 are the same amount."""
    if unit == "万元":
        return round(value * 10000, 6), "元"
    if unit == "亿元":
        return round(value * 100000000, 6), "元"
    return value, unit
