"""Numbers stated in our own words (summaries, descriptions, lessons), checked against the case's figures.

A stated quantity is a number with what it counts: in Chinese a numeral and its measure word (29个, 二十年,
七成, 一百余名, 六十五岁以上, 七旬), in English a numeral or number word (29, 4,481, twenty-nine, seven in ten,
in his eighties). Each is read as a range: 一百余 is 100 to 200, 近三年 at most 3, 数十 20 to 99. Not
quantities: names in quotation marks (“12345”工作法, “1+6”体系, “三报到”), ordinals (第一步, 一是, first),
years and dates (2017年, 9月, 1 July), numerals inside words (统一, 千家万户), and 一 / one / a.

A quantity is supported by a figure of the case whose value lies in its range, or by the same number in
the evidence quote of the text's own measure (a summary may use any quote of its case). Counts up to ten
(三项品牌, 五级, four steps) name the parts of a model more often than they report a figure, so the
article's text supports them too. A vague quantity (数十, 上百, 十几, dozens, hundreds) next to an exact
figure for the same thing is flagged: the reader should get the figure. A number that matches only an
average is flagged when the text does not say it is one (六十五岁以上 for 平均年龄在65岁以上).
"""
from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass

import cn2an

from .textnorm import numbers_in

SMALL = 10  # counts up to this may be supported by the article's text
# Records are written in simplified characters; quotes and articles may be traditional. Numerals and measure
# words differ in a few characters only, so these are folded here instead of running OpenCC (slow) on every text.
_TRADITIONAL = str.maketrans("萬兩億號個隻場處張樣歲門間棟臺輛畝篇份屆級輪組隊團條項戶", "万两亿号个只场处张样岁门间栋台辆亩篇份届级轮组队团条项户")


def fold_numerals(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_TRADITIONAL)

# --- reading quantities ------------------------------------------------------------------------------

_QUOTED = re.compile(r"“[^”]*”|《[^》]*》|「[^」]*」|『[^』]*』|〈[^〉]*〉|\"[^\"]*\"|‘[^’]*’")
_CN_NUM = "零〇一二两三四五六七八九十百千万亿"
# Measure words after which a numeral counts something. 位 only when not 位一体 (四位一体 is a name).
_CLASSIFIERS = ("平方米", "平方公里", "人次", "户次", "场次", "万元", "亿元", "小时", "公里", "个月", "周岁",
                "个", "名", "位", "人", "支", "家", "户", "次", "场", "项", "座", "所", "处", "条", "件", "本", "册",
                "套", "批", "类", "种", "门", "间", "栋", "幢", "台", "辆", "元", "岁", "年", "天", "周", "倍", "成",
                "%", "亩", "米", "篇", "份", "期", "级", "轮", "组", "队", "团", "班", "片", "首", "幅", "步",
                "课", "堂", "节", "块", "张", "封", "笔", "站", "室", "村", "旬", "方面", "层")
_UNIT_FAMILY = {"人": "people", "名": "people", "位": "people", "户": "households", "人次": "visits", "户次": "visits",
                "元": "money", "万元": "money", "亿元": "money", "岁": "age", "周岁": "age", "旬": "age",
                "年": "time", "个月": "time", "天": "time", "周": "time", "小时": "time", "平方米": "area", "亩": "area",
                "平方公里": "area", "成": "share", "%": "share", "次": "events", "场": "events", "场次": "events",
                "期": "events", "届": "events", "轮": "events", "课": "events", "堂": "events", "节": "events"}
# Numerals inside words and set phrases, not quantities (a numeral run is skipped when one of these covers it).
_SET_PHRASES = ("千家万户", "万家", "千方百计", "四面八方", "五湖四海", "七嘴八舌", "三五成群", "十全十美", "一五一十",
                "成千上万", "万无一失", "一举两得", "三番五次", "三三两两", "九九重阳", "千万", "万一", "百姓", "百花",
                "五老", "四老", "三农", "两委", "两新", "三会一课", "两学一做", "一肩挑", "双报到", "三报到", "四就近",
                "位一体", "一站式", "一对一", "一对多", "一线", "一体", "统一", "唯一", "一起", "一道", "一些", "一批",
                "进一步", "一方面", "一级", "十分", "万分", "百倍", "千里", "一次性", "三级联动", "两级", "多级",
                "百分之百", "百岁", "两个一百年", "四个意识", "四个自信", "两个维护", "两个确立", "三个代表", "24小时", "365天",
                "十八大", "十九大", "二十大", "十八届", "十九届", "二十届")
_ORDINAL_AFTER = ("是", "则", "要", "来说", "者")  # 一是 / 二是 enumerations, 一则, 二要
_VAGUE_ZH = (  # (pattern, low, high)
    ("成百上千", 100, 9999), ("数以万计", 10000, 99999), ("数以千计", 1000, 9999), ("数以百计", 100, 999),
    ("数十万", 100000, 999999), ("数万", 20000, 99999), ("几万", 20000, 99999), ("上万", 10000, 99999),
    ("数千", 2000, 9999), ("几千", 2000, 9999), ("上千", 1000, 9999),
    ("数百", 200, 999), ("几百", 200, 999), ("上百", 100, 999),
    ("数十", 20, 99), ("几十", 20, 99), ("十几", 11, 19), ("几", 2, 9))
_QUAL_BEFORE = (("将近", "nearly"), ("接近", "nearly"), ("近", "nearly"), ("约", "about"), ("大约", "about"),
                ("大概", "about"), ("超过", "over"), ("逾", "over"), ("多于", "over"), ("不少于", "at-least"),
                ("至少", "at-least"), ("不到", "under"), ("不足", "under"))
_QUAL_AFTER = (("余", "over"), ("多", "over"), ("来", "about"), ("以上", "at-least"), ("左右", "about"),
               ("以下", "under"), ("以内", "under"))
_QUAL_UNIT_AFTER = (("多", "over"), ("以上", "at-least"), ("左右", "about"), ("以下", "under"), ("以内", "under"))
_STOP_CHARS = set("的了和与及在是为把将被等各其中也都并对向从以这那有此该之们还又再更很多少余近约达共计已由到给让使人名位个支次")

_EN_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
             "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
             "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_EN_DECADES = {w + "ies": v for w, v in (("twent", 20), ("thirt", 30), ("fort", 40), ("fift", 50), ("sixt", 60),
                                         ("sevent", 70), ("eight", 80), ("ninet", 90))}
_EN_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")
_EN_VAGUE = (("tens of thousands", 20000, 99999), ("thousands", 2000, 9999), ("hundreds", 200, 999),
             ("dozens", 24, 99), ("scores", 40, 99), ("a dozen", 12, 12))
_EN_QUAL = (("more than", "over"), ("over", "over"), ("upwards of", "over"), ("in excess of", "over"),
            ("nearly", "nearly"), ("almost", "nearly"), ("close to", "nearly"), ("about", "about"),
            ("around", "about"), ("some", "about"), ("roughly", "about"), ("approximately", "about"),
            ("at least", "at-least"), ("no fewer than", "at-least"), ("under", "under"), ("fewer than", "under"),
            ("less than", "under"), ("up to", "under"))
_EN_STOP = {"the", "a", "an", "of", "in", "and", "or", "to", "for", "with", "by", "on", "at", "its", "their", "his",
            "her", "them", "they", "who", "that", "which", "from", "as", "is", "are", "was", "were", "be", "been",
            "has", "have", "had", "more", "than", "over", "nearly", "about", "some", "into", "out", "up", "new"}
_EN_VAGUE_RE = {phrase: re.compile(r"\b" + phrase + r"\b") for phrase, _, _ in _EN_VAGUE}
_EN_QUAL_RE = [(re.compile(r"\b" + phrase + r"$"), qual) for phrase, qual in _EN_QUAL]
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*|[0-9][0-9,]*(?:\.[0-9]+)?")


@dataclass(frozen=True)
class Quantity:
    text: str  # as written, for the message
    value: float | None  # the number (None for a vague quantity: 数十)
    low: float
    high: float
    qualifier: str | None  # over, at-least, nearly, about, under, vague, decade
    unit: str  # the measure word (zh) or the next word (en)
    context: str  # the words around it, to tell what it counts
    before: str  # the text just before it (for 平均 / average)


def _magnitude(n: float) -> float:
    return 10 ** math.floor(math.log10(n)) if n >= 10 else 1


def _range(value: float, qualifier: str | None) -> tuple[float, float]:
    mag = _magnitude(value)
    if qualifier == "over":
        return value, value + mag
    if qualifier == "at-least":
        return value, value + mag
    if qualifier == "nearly":
        return value * 0.8, value
    if qualifier == "about":
        return value * 0.9, value * 1.1
    if qualifier == "under":
        return value * 0.8, value
    return value, value


def _blank_quotes(text: str) -> str:
    return _QUOTED.sub(lambda m: " " * len(m.group()), text)


def _cn_value(word: str) -> float | None:
    try:
        return float(cn2an.cn2an(word, "smart"))
    except (ValueError, KeyError, TypeError, IndexError):
        return None


_SET_PHRASE = re.compile("|".join(sorted(map(re.escape, _SET_PHRASES), key=len, reverse=True)))


def _set_phrase_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _SET_PHRASE.finditer(text)]


_ZH_TOKEN = re.compile(f"(百分之)?([0-9]+(?:\\.[0-9]+)?|[{_CN_NUM}]+)")


def zh_quantities(text: str) -> list[Quantity]:
    """The stated quantities of a Chinese text."""
    text = _blank_quotes(fold_numerals(text).replace(",", ""))
    out: list[Quantity] = []
    covered: list[tuple[int, int]] = []
    for word, low, high in _VAGUE_ZH:
        for m in re.finditer(word, text):
            if any(s <= m.start() < e for s, e in covered):
                continue
            rest = text[m.end():]
            unit = next((c for c in _CLASSIFIERS if rest.lstrip("余多").startswith(c)), "")
            if not unit:
                continue  # 几乎, 线上百姓, 数十年如一日 has 年: a vague quantity counts something
            if text[max(0, m.start() - 1):m.start()] in tuple(_CN_NUM) + ("好",):
                continue  # 二十几, 好几: read as a number or not at all
            end = m.end()
            covered.append((m.start(), end))
            out.append(Quantity(word + rest[:len(rest) - len(rest.lstrip("余多"))] + unit, None, low, high, "vague", unit,
                                _clause(text, end, start=m.start()), text[max(0, m.start() - 8):m.start()]))
    digits_end = -1
    phrases = _set_phrase_spans(text)
    for m in _ZH_TOKEN.finditer(text):
        start, end = m.start(), m.end()
        if any(s <= start < e or s < end <= e for s, e in covered):
            continue
        if start == digits_end:
            continue  # the 万 of 5万, read with its digits
        if m.group(2)[0].isdigit():
            digits_end = end
        number = m.group(2)
        percent = bool(m.group(1))
        before, rest = text[max(0, start - 8):start], text[end:]
        if before.endswith(("第", "星期")) or (before.endswith("周") and not number[0].isdigit()):
            continue  # ordinals and weekdays (第三, 星期四, 周一)
        if any(rest.startswith(w) for w in _ORDINAL_AFTER) and not number[0].isdigit():
            continue
        if any(s < end and start < e for s, e in phrases):
            continue  # inside a set phrase: 千家万户, 两学一做
        if number[0].isdigit():
            value = float(number)
            if rest.startswith("万"):
                value = round(value * 10000, 6)
                rest = rest[1:]
        else:
            if number == "一" and not percent:
                continue  # 一名, 一批, 每月一次: "a", not a figure
            value = {"十": 10.0, "百": 100.0, "千": 1000.0, "万": 10000.0}.get(number) or _cn_value(number)
            if value is None:
                continue
        qualifier = None
        for word, qual in _QUAL_AFTER:
            if rest.startswith(word):
                qualifier, rest = qual, rest[len(word):]
                break
        unit = "%" if percent else next((c for c in _CLASSIFIERS if rest.startswith(c)), "")
        if not unit:
            continue  # a count needs its measure word: 9月 and 24日 are dates, 12345工作法 and 三报到 names
        if unit == "年" and (number[0].isdigit() and len(number) == 4 or re.fullmatch("[〇零○一二三四五六七八九]{4}", number)):
            continue  # a year
        after_unit = rest[len(unit):]
        if unit == "位" and after_unit.startswith("一体"):
            continue  # 四位一体: a name
        if unit == "周" and after_unit.startswith("年"):
            continue  # 建党100周年: an anniversary
        shown_end = len(text) - len(after_unit)
        if qualifier is None:
            for word, qual in _QUAL_UNIT_AFTER:
                if after_unit.startswith(word):
                    qualifier, shown_end = qual, shown_end + len(word)
                    break
        if qualifier is None:
            for word, qual in _QUAL_BEFORE:
                if before.endswith(word):
                    qualifier = qual
                    break
        if unit == "旬":
            value *= 10
            low, high, qualifier = value, value + 9, "decade"
        else:
            low, high = _range(value, qualifier)
        lead = next((w for w, _ in _QUAL_BEFORE if before.endswith(w)), "")
        out.append(Quantity(text[start - len(lead):shown_end],
                            value, low, high, qualifier, unit, _clause(text, end + len(unit)), before))
    return out


_CLAUSE_END = r"[，。；：！？、,.;:!?\n]"


def _clause(text: str, end: int, size: int = 14, start: int | None = None) -> str:
    """The words around a quantity in its clause: what it counts may follow it (29个志愿队) or come first
    (先锋队发展到数百人)."""
    rest = re.split(_CLAUSE_END, text[end:end + size], maxsplit=1)[0]
    if start is None:
        return rest
    lead = re.split(_CLAUSE_END, text[max(0, start - size):start])[-1]
    return lead + " " + rest


def _en_number(words: list[str], i: int) -> tuple[float | None, int]:
    """The number starting at words[i] and how many words it takes: 4,481 / twenty-nine / a hundred / two thousand."""
    w = words[i].lower()
    if w[0].isdigit():
        if re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+|[0-9]+(\.[0-9]+)?", w):
            return float(w.replace(",", "")), 1
        return None, 0
    value, n = None, 0
    if w in ("a", "an") and i + 1 < len(words) and words[i + 1].lower() in ("hundred", "thousand"):
        value, n = 1, 1
    elif "-" in w and w.split("-")[0] in _EN_TENS and w.split("-")[1] in _EN_UNITS:
        value, n = _EN_TENS[w.split("-")[0]] + _EN_UNITS[w.split("-")[1]], 1
    elif w in _EN_UNITS:
        value, n = _EN_UNITS[w], 1
    elif w in _EN_TENS:
        value, n = _EN_TENS[w], 1
    if value is None:
        return None, 0
    while i + n < len(words) and words[i + n].lower() in ("hundred", "thousand"):
        value *= 100 if words[i + n].lower() == "hundred" else 1000
        n += 1
    return float(value), n


def en_quantities(text: str) -> list[Quantity]:
    """The stated quantities of an English text."""
    text = _blank_quotes(unicodedata.normalize("NFKC", text))
    out: list[Quantity] = []
    low_text = text.lower()
    taken: list[tuple[int, int]] = []
    for phrase, low, high in _EN_VAGUE:
        for m in _EN_VAGUE_RE[phrase].finditer(low_text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            out.append(Quantity(phrase, None, low, high, "vague", "", text[m.end():m.end() + 60], text[max(0, m.start() - 30):m.start()]))
    for m in re.finditer(r"\b(?:in (?:his|her|their|its) )?(?:early |late |mid-)?(" + "|".join(_EN_DECADES) + r")\b", low_text):
        value = _EN_DECADES[m.group(1)]
        taken.append((m.start(), m.end()))
        out.append(Quantity(m.group(), value, value, value + 9, "decade", "age", text[m.end():m.end() + 60], text[max(0, m.start() - 30):m.start()]))
    tokens = list(_WORD.finditer(text))
    words = [t.group() for t in tokens]
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if any(s <= tok.start() < e for s, e in taken):
            i += 1
            continue
        value, n = _en_number(words, i)
        if value is None:
            i += 1
            continue
        start, end = tok.start(), tokens[i + n - 1].end()
        i += n
        before = text[max(0, start - 30):start]
        after = text[end:end + 60]
        nxt = words[i].lower() if i < len(words) else ""
        prev = words[i - n - 1].lower() if i - n - 1 >= 0 else ""
        first = words[i - n].lower()
        if first in ("one", "a", "an") and value == 1:
            continue
        if value == 1 and n == 1:
            continue
        glued_before = text[start - 1] if start else " "
        glued_after = text[end] if end < len(text) else " "
        if glued_after in "+-/·" and not after.lower().startswith(("-year", "-month", "-day", "-week")):
            if not (text[end:end + 1] == "-" and re.match(r"-(?:year|month|day|week|hour)s?\b", after.lower())):
                continue  # 1+6, four-step, five-tier, four-in-one: names of a model's parts
        if glued_after.isalpha() or glued_before == ":":
            continue  # 5G, 80s, 4:30
        if glued_before in "+-/·#№" or before.rstrip().lower().endswith(("no.", "number")):
            continue
        if re.match(r"(st|nd|rd|th)\b", after):
            continue
        if nxt in _EN_MONTHS or prev in _EN_MONTHS or after.lower().startswith((" am", " pm", ":")):
            continue  # 1 July, March 2018
        if n == 1 and first[0].isdigit() and "," not in first and "." not in first and 1900 <= value <= 2100:
            if nxt not in ("people", "persons", "person-times", "times", "yuan", "members", "volunteers", "books", "items"):
                continue  # a year
        if n == 1 and first[0].isdigit() and len(first) >= 5 and "," not in first and nxt != "yuan":
            continue  # a code or a name (12345 hotline)
        qualifier = None
        low_before = before.lower().rstrip()
        for pattern, qual in _EN_QUAL_RE:
            if pattern.search(low_before):
                qualifier = qual
                break
        if re.match(r"\s*(?:or more|\+|-plus)\b", after.lower()):
            qualifier = "at-least"
        unit = nxt
        ten = re.match(r"\s+in\s+(?:ten|10)\b", after.lower())
        if ten:
            unit = "in-ten"
            while i < len(tokens) and tokens[i].start() < end + ten.end():
                i += 1
        elif re.match(r"\s*(?:%|per ?cent)", after.lower()):
            unit = "%"
        low, high = _range(value, qualifier)
        out.append(Quantity(text[start:end], value, low, high, qualifier, unit, after, before))
    return out


# --- checking them -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Figure:
    """A recorded figure: a metric's value (or its baseline) with what it counts."""

    index: int  # position in metrics[]
    value: float
    unit: str
    qualifier: str | None
    scope: str
    scope_en: str
    evidence: str
    average: bool
    baseline: bool = False

    def describe(self) -> str:
        qual = {"over": "over ", "at-least": "at least ", "about": "about ", "nearly": "nearly "}.get(self.qualifier or "", "")
        which = "baseline of " if self.baseline else ""
        return f"{which}metrics[{self.index}] = {qual}{self.value:g} {self.unit} ({self.scope})"


def figures_of(case: dict, metric_defs: dict) -> list[Figure]:
    figures = []
    for i, m in enumerate(case.get("metrics", [])):
        definition = metric_defs.get(m["metric"], {}) if isinstance(metric_defs, dict) else {}
        average = "average" in m["metric"] or "平均" in str(definition.get("zh", "")) or "平均" in m.get("scope", "")
        common = dict(unit=m["unit"], scope=m.get("scope", ""), scope_en=m.get("scope_en", ""), evidence=m.get("evidence", ""),
                      average=average)
        figures.append(Figure(i, float(m["value"]), qualifier=m.get("qualifier"), **common))
        if "baseline" in m:
            figures.append(Figure(i, float(m["baseline"]["value"]), qualifier=m["baseline"].get("qualifier"), baseline=True, **common))
    return figures


def _variants(figure: Figure) -> set[float]:
    """A figure in the units prose may use: 5 万元 is also 50000 (元); 7 成 is also 70 (%)."""
    out = {figure.value}
    if figure.unit.startswith(("万", "亿", "成")) or figure.unit == "%":
        return {round(v, 6) for v in _scaled(figure)}
    return out


def _scaled(figure: Figure) -> set[float]:
    out = {figure.value}
    if figure.unit.startswith("万"):
        out.add(figure.value * 10000)
    if figure.unit.startswith("亿"):
        out.add(figure.value * 100000000)
    if figure.unit == "成":
        out.add(figure.value * 10)
    if figure.unit == "%":
        out.add(figure.value / 10)
    return out


def _family(unit: str) -> str:
    return _UNIT_FAMILY.get(unit, "count")


def _zh_chars(text: str) -> set[str]:
    return {c for c in text if "\u4e00" <= c <= "\u9fff" and c not in _STOP_CHARS and c not in _CN_NUM}


def _en_words(text: str) -> set[str]:
    return {w.lower().rstrip("s") for w in re.findall(r"[A-Za-z]{3,}", text) if w.lower() not in _EN_STOP}


def _same_thing(q: Quantity, figure: Figure, english: bool) -> bool:
    """Does the quantity count what the figure counts? Same kind of unit and a word in common."""
    if english:
        return bool(_en_words(q.context[:60]) & _en_words(figure.scope_en))
    if q.unit and _family(q.unit) != _family(figure.unit):
        return False
    shared = _zh_chars(q.context) & _zh_chars(figure.scope + figure.evidence)
    # a count word (个, 支) says little about what is counted: ask for two characters in common then
    return len(shared) >= (2 if _family(figure.unit) == "count" else 1)


def _says_average(q: Quantity, english: bool) -> bool:
    if english:
        return bool(re.search(r"\b(average|mean|on average|averag)", (q.before + q.context).lower()))
    return "平均" in q.before or "均" in q.before[-3:] or "平均" in q.context


@dataclass(frozen=True)
class Finding:
    message: str
    hint: str


def check_text(text: str, english: bool, figures: list[Figure], quotes: list[str], article_numbers: set[float]) -> list[Finding]:
    """Every stated quantity of ``text`` that the figures and quotes do not support."""
    quoted: set[float] = set()
    quote_text = "".join(quotes)
    for quote in quotes:
        quoted |= _quote_numbers(quote)
    findings: list[Finding] = []
    for q in en_quantities(text) if english else zh_quantities(text):
        if q.value is None:  # vague
            if not english and q.text in fold_numerals(quote_text):
                continue  # the article itself is vague here
            base = {"上百": 100, "上千": 1000, "上万": 10000}.get(q.text)
            if base and any(f.value == base and f.qualifier in ("over", "at-least") for f in figures):
                continue  # 上万步 for 一万步以上: as exact as the figure
            same = [f for f in figures if q.low * 0.8 <= f.value <= q.high * 1.25 and _same_thing(q, f, english)]
            if same:
                best = same[0]
                findings.append(Finding(
                    f"'{q.text}' is vague where the case records the figure: {best.describe()}",
                    f"write the figure the article gives ({best.value:g}{'' if english else best.unit}), with its qualifier if it has one"))
            continue
        supporting = [f for f in figures if any(q.low <= v <= q.high for v in _variants(f))]
        in_quote = q.value in quoted
        if not supporting and not in_quote:
            if q.value <= SMALL and q.value in article_numbers:
                continue
            if q.unit in ("岁", "周岁") and q.qualifier in ("at-least", "under") and q.value in article_numbers:
                continue  # an age threshold the article sets (为80岁以上老人), not a figure
            findings.append(Finding(
                f"the number {q.value:g} ('{q.text.strip()}') matches no figure of this case and is not in the evidence quote"
                + _nearest(q, figures, english),
                "state only numbers recorded as metrics (or given in this measure's evidence quote), in the same "
                "unit and with the same qualifier (余/多 over, 近 nearly, 约 about); or record the figure as a metric"))
            continue
        averages = (not in_quote or _only_as_average(q.value, quotes)) and (not supporting or all(f.average for f in supporting))
        if averages and not _says_average(q, english):
            which = f"{supporting[0].value:g} {supporting[0].unit} is an average: {supporting[0].describe()}" if supporting \
                else f"the evidence quote gives {q.value:g} as an average"
            findings.append(Finding(f"'{q.text.strip()}' reads as if it held for everyone, but {which}",
                                    "say that it is an average (平均 / on average), as the article does"))
            continue
        exact = [f for f in supporting if f.value == q.value]
        if not in_quote and exact and q.qualifier in ("over", "at-least") and all(f.qualifier in ("nearly", "under") for f in exact):
            findings.append(Finding(f"'{q.text.strip()}' says more than {q.value:g}, but the figure is {exact[0].describe()}",
                                    "use the figure's own qualifier (近 nearly)"))
        elif not in_quote and exact and q.qualifier in ("nearly", "under") and all(f.qualifier in ("over", "at-least") for f in exact):
            findings.append(Finding(f"'{q.text.strip()}' says less than {q.value:g}, but the figure is {exact[0].describe()}",
                                    "use the figure's own qualifier (余/多 over, 以上 at least)"))
    return findings


@functools.lru_cache(maxsize=65536)
def _quote_numbers(quote: str) -> frozenset[float]:
    return frozenset(numbers_in(fold_numerals(quote)))


def _only_as_average(value: float, quotes: list[str]) -> bool:
    """Is every occurrence of ``value`` in the quotes an average (平均年龄68岁)?"""
    seen = False
    for quote in quotes:
        text = fold_numerals(quote)
        for m in _ZH_TOKEN.finditer(text):
            word = m.group(2)
            number = float(word) if word[0].isdigit() else _cn_value(word)
            if number != value:
                continue
            seen = True
            if "平均" not in text[max(0, m.start() - 6):m.start()]:
                return False
    return seen


def _nearest(q: Quantity, figures: list[Figure], english: bool) -> str:
    if not figures:
        return " (the case records no figures)"
    same = ([f for f in figures if _same_thing(q, f, english)] or [f for f in figures if english or _family(f.unit) == _family(q.unit)]
            or figures)
    best = min(same, key=lambda f: abs(math.log((f.value + 1) / (q.value + 1))))
    return f"; the nearest figure is {best.describe()}"
