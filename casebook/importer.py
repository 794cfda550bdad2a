"""Turn a scraped article into a cleaned archive text and the skeleton of a case record.

Pure functions, one step each, so every step can be tested on its own:

    clean_text(raw)            -> Cleaned: page chrome, pinyin annotations and odd spacing removed
    find_metadata(cleaned)     -> Metadata: title, date, publisher, author where the text gives them
    find_figures(text, units)  -> [Figure]: every number with a Chinese unit, its qualifier and sentence
    find_measures(text)        -> [MeasureProposal]: measures from the article's own structure
    skeleton(...)              -> dict for the skeleton template (casebook/templates/skeleton.yml.j2)

The archive keeps the article's own script (traditional stays traditional); everything the
skeleton proposes is in simplified characters. Quotes proposed as evidence are cut from the
cleaned text itself, so they pass the validator's evidence check (which folds both sides to
simplified characters and ignores spacing and quote style).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .textnorm import _cn_to_int, numbers_in, to_simplified

MAX_QUOTE = 160  # the schema's limit for an evidence quote
QUOTE_TARGET = 70  # a quote long enough to show the figure in context, short enough to read in a table
TODO = "TODO"

# --------------------------------------------------------------------------------------------
# Cleaning
# --------------------------------------------------------------------------------------------

_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PY_CHARS = f"a-zü{_TONE}"
# (qū), (lǐng), (wù), (shè): lowercase pinyin with at least one tone mark, one to four syllables.
_ANNOTATION = re.compile(rf"\(((?=[{_PY_CHARS}]*[{_TONE}])[{_PY_CHARS}]{{1,7}}(?: [{_PY_CHARS}]{{1,7}}){{0,3}})\)")
# The damaged form some sites produce: 麒麟?yún)^(qū) for 麒麟區 — a lost character (^) between a
# stray annotation tail and the annotation of the lost character itself.
_BROKEN = re.compile(rf"[?？�][{_PY_CHARS}]{{1,7}}\)[\^?？�]\(([{_PY_CHARS}]{{1,7}})\)")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK}]")

# Page chrome, matched on the simplified form of a line (so traditional pages are covered too).
_CHROME_START = re.compile(
    r"^(?:分享(?:到)?|字号|语音播放|关注我们|设为首页|加入收藏|打印(?:本页|此页)?|关闭(?:窗口)?|返回(?:顶部|首页|列表)|回(?:到)?顶部"
    r"|最新评论|发表评论|网友评论|评论区|相关(?:新闻|阅读|文章|链接|推荐)|上一篇|下一篇|找回密码|注册|登录|扫一扫|扫码|"
    r"手机(?:看|版|扫)|微信(?:扫|关注|公众号)|(?:点击)?收藏|推荐阅读|热点推荐|阅读排行|【?打印】?|【?关闭】?)"
)
_CHROME_ANYWHERE = re.compile(
    r"责任编辑|责编[:：(（]|（责编|\(责编|编辑[:：]|copyright|©|版权所有|版权声明|all rights reserved|未经.{0,12}(?:许可|同意|授权)"
    r"|许可证|icp备|icp证|公网安备|关于我们|联系我们|网站地图|扫一扫|二维码|查看内容|【打印】|【关闭】|用手机看|分享到",
    re.IGNORECASE,
)
_BREADCRUMB_START = re.compile(r"^(?:当前位置|您的位置|你的位置|所在位置|您现在的位置)[:：]")
_BREADCRUMB_SEP = re.compile(r"\s*(?:>>|>|»|＞|›|→)\s*")
_SUMMARY_DUP = re.compile(r"^摘要[:：].*(?:\.{3,}|…+)\s*$")
_META_LABEL = re.compile(r"^(日期|发布时间|发布日期|时间|来源|来自|作者|发布者|文章来源|稿源)\s*[:：]\s*(.*)$")
_COUNTER = re.compile(r"^(?:查看|阅读|浏览|点击|评论|阅读量|浏览次数|访问量)(?:数|次数)?\s*[:：]?\s*\d*\s*$")
_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?")
_META_SPLIT = re.compile(
    r"\s*[|｜]\s*|\s{2,}|\u3000+|\s+(?=(?:来源|來源|来自|來自|作者|日期|发布时间|發布時間|发布者|發布者|时间|時間)\s*[:：])"
)
_TITLE_TAIL = re.compile(r"\s*[（(][^（）()]{4,30}[）)]\s*$")
_SECTION_WORDS = re.compile(r"背景|动因|成效|启示|经验|体会|问题|思考|意义|前言|结语|基本情况|主要做法|做法与|案例简介|下一步")
_FULLWIDTH_ALNUM = {c: chr(c - 0xFEE0) for c in list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B))}
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


@dataclass
class Cleaned:
    """The cleaned article: title, header lines (date, source, author), body paragraphs."""

    title: str
    header: list[str]
    paragraphs: list[str]
    notes: list[str] = field(default_factory=list)  # what a person should look at

    @property
    def text(self) -> str:
        parts = [self.title] if self.title else []
        if self.header:
            parts.append("\n".join(self.header))
        parts.extend(self.paragraphs)
        return "\n\n".join(parts) + "\n"


def learn_readings(text: str) -> dict[str, str]:
    """pinyin -> character, from the intact annotations of the same text (區(qū) teaches qū -> 區)."""
    seen: dict[str, Counter] = defaultdict(Counter)
    for match in re.finditer(rf"([{_CJK}])\(([{_PY_CHARS}]{{1,7}})\)", text):
        seen[match.group(2)][match.group(1)] += 1
    return {reading: counts.most_common(1)[0][0] for reading, counts in seen.items()}


def strip_pinyin(text: str) -> tuple[str, list[str]]:
    """Remove inline pinyin annotations; repair the damaged ``?yún)^(qū)`` form. Returns text and notes."""
    notes: list[str] = []
    readings = learn_readings(text)

    def repair(match: re.Match) -> str:
        char = readings.get(match.group(1))
        if char:
            return char
        notes.append(f"a character was lost in the original page (reading {match.group(1)}); it is marked � in the source")
        return "\ufffd"

    text = _BROKEN.sub(repair, text)
    return _ANNOTATION.sub("", text), notes


def _is_cjk(ch: str) -> bool:
    return bool(ch) and (bool(_CJK_RE.match(ch)) or ch in "，。；：？！、“”‘’（）《》【】")


_PUNCT = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}


def normalise_punctuation(line: str) -> str:
    """ASCII punctuation inside Chinese text becomes full-width (1,000 and 15:03 stay as they are);
    straight double quotes pair up as “ ”; full-width digits and letters become ASCII."""
    line = line.translate(_FULLWIDTH_ALNUM).translate(_INVISIBLE)
    line = line.replace("\u00a0", " ").replace("\u3000", " ")
    out = []
    for i, ch in enumerate(line):
        prev = line[i - 1] if i else ""
        nxt = line[i + 1] if i + 1 < len(line) else ""
        if ch in _PUNCT and (_is_cjk(prev) or (ch != ":" and _is_cjk(nxt) and not prev.isdigit())):
            ch = _PUNCT[ch]
        elif ch == "(" and _is_cjk(nxt):
            ch = "（"
        elif ch == ")" and _is_cjk(prev):
            ch = "）"
        out.append(ch)
    line = "".join(out)
    # pair ( with ） and （ with ) so brackets always match
    line = re.sub(r"（([^()（）]*)\)", r"（\1）", line)
    line = re.sub(r"\(([^()（）]*)）", r"（\1）", line)
    if line.count('"') and line.count('"') % 2 == 0 and _CJK_RE.search(line):
        parts = line.split('"')
        line = parts[0] + "".join(("“" if i % 2 else "”") + p for i, p in enumerate(parts[1:], 1))
    line = re.sub(r"[ \t]+", " ", line)
    # no spaces between Chinese characters and Chinese punctuation, except between two runs of text
    line = re.sub(r"(?<=[，。；：？！、“”（）《》])\s+|\s+(?=[，。；：？！、“”（）《》])", "", line)
    return line.strip()


def _is_chrome(simple: str) -> bool:
    compact = simple.replace(" ", "")
    if not compact:
        return True
    if _CHROME_START.match(compact) and len(compact) <= 40:
        return True
    if _CHROME_ANYWHERE.search(simple) and len(compact) <= 80:
        return True
    if _SUMMARY_DUP.match(compact):
        return True
    if _COUNTER.match(compact):
        return True
    return False


def _is_breadcrumb(simple: str) -> bool:
    parts = [p for p in _BREADCRUMB_SEP.split(simple) if p]
    if len(parts) >= 2 and all(len(p) <= 24 for p in parts) and _BREADCRUMB_SEP.search(simple):
        return True
    words = simple.split()
    return len(words) >= 3 and "首页" in words and all(len(w) <= 12 for w in words)


def _meta_parts(line: str) -> list[str] | None:
    """Split a header line such as ``日期:2019-11-27    来源:某局`` into its parts; None if it is not one."""
    parts = [p for p in _META_SPLIT.split(line) if p.strip()]
    simple = [to_simplified(p) for p in parts]
    if not any(_META_LABEL.match(s) or _DATE.match(s) for s in simple):
        return None
    if len(line) > 120:
        return None
    kept = []
    for part, s in zip(parts, simple):
        label = _META_LABEL.match(s)
        if _COUNTER.match(s.replace(" ", "")) or (label and label.group(1) in ("发布者",) and "编辑" in label.group(2)):
            continue
        if label and not label.group(2).strip():
            continue
        kept.append(re.sub(r"\s*([:：])\s*", r"\1", part, count=1) if label else part)
    return kept


def clean_text(raw: str) -> Cleaned:
    """Drop page chrome and pinyin garbage, normalise punctuation and spacing; keep the article's script."""
    raw = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    text, notes = strip_pinyin(raw)
    kept: list[tuple[str, list[str] | None]] = []  # (line, its metadata parts if it is a header line)
    skip_next_short = False
    for original in text.split("\n"):
        line = normalise_punctuation(original)
        simple = to_simplified(line)
        if not line:
            continue
        if _BREADCRUMB_START.match(simple):
            rest = _BREADCRUMB_START.sub("", simple).strip()
            skip_next_short = not rest
            continue
        if skip_next_short:
            skip_next_short = False
            if len(line) <= 12 and not re.search(r"[。，；！？]", line):
                continue
        if _is_chrome(simple) or _is_breadcrumb(simple):
            continue
        parts = _meta_parts(original.strip())
        kept.append((line, [normalise_punctuation(p) for p in parts] if parts is not None else None))

    # Header: lines before the first metadata line near the top; the title is the longest of them.
    meta_at = next((i for i, (_, parts) in enumerate(kept[:10]) if parts is not None), None)
    header: list[str] = []
    body_start = 0
    title = ""
    if meta_at is not None and meta_at > 0:
        before = [line for line, _ in kept[:meta_at]]
        t = max(range(len(before)), key=lambda i: (len(before[i]) if not re.search(r"[。！？]$", before[i]) else 0, -i))
        title = before[t]
        header = before[t + 1:]
        body_start = meta_at
    elif kept:
        title, body_start = kept[0][0], 1
    paragraphs = []
    in_header = True
    for line, parts in kept[body_start:]:
        if parts is not None and (in_header or len(line) <= 40):
            header.extend(parts)
            continue
        in_header = False
        paragraphs.append(line)
    # the same line twice in a row (repeated captions) is kept once
    deduped = [p for i, p in enumerate(paragraphs) if i == 0 or p != paragraphs[i - 1]]
    if "\ufffd" in raw:
        notes.append("the article contains \ufffd (characters lost before you saved it); compare with the original page")
    return Cleaned(title=title, header=header, paragraphs=deduped, notes=notes)


# --------------------------------------------------------------------------------------------
# Metadata
# --------------------------------------------------------------------------------------------


@dataclass
class Metadata:
    title: str  # original script, without a trailing (site) note
    date: str = ""  # YYYY-MM-DD, YYYY-MM or YYYY
    publisher: str = ""  # simplified
    author: str = ""  # simplified


def _iso(match: re.Match) -> str:
    year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return f"{year:04d}"


def find_metadata(cleaned: Cleaned) -> Metadata:
    meta = Metadata(title=_TITLE_TAIL.sub("", cleaned.title))
    for line in cleaned.header:
        simple = to_simplified(line)
        label = _META_LABEL.match(simple)
        value = label.group(2).strip() if label else ""
        if label and label.group(1) in ("来源", "来自", "文章来源", "稿源") and not meta.publisher:
            meta.publisher = value
        elif label and label.group(1) == "作者" and not meta.author:
            meta.author = value
        date = _DATE.search(simple)
        if date and not meta.date:
            meta.date = _iso(date)
    return meta


# --------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------

_CN_NUM = "零〇一二两三四五六七八九十百千"
_SENTENCE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+[”’」』）)]*|$)")
_CLAUSE_SPLIT = re.compile(r"(?<=[，,：:、])")
_QUALIFIER_BEFORE = {"近": "nearly", "将近": "nearly", "接近": "nearly", "约": "about", "大约": "about", "超过": "over", "逾": "over"}
_QUALIFIER_AFTER = {"余": "over", "多": "over"}
_QUALIFIER_END = {"以上": "at-least", "左右": "about"}
# a unit followed by one of these is part of another word: 3个月, 7成立, 5名单
_NOT_UNIT = {"个": "月百", "成": "立为员果效功绩熟本长", "名": "单称义额", "次": "数序", "场": "所地景", "人": "员民口",
             "位": "置于", "件": "事", "项": "目", "期": "间"}
EXCLUDED_UNITS = {"年"}  # years would turn every date into a figure


@dataclass
class Figure:
    value: float
    unit: str
    qualifier: str | None
    text: str  # the figure as written, e.g. 10余支
    evidence: str  # simplified quote around it, at most MAX_QUOTE characters
    year: str = ""  # a year named before the figure in its sentence (2020年 … 28次)
    since: bool = False  # the sentence counts since that year (2018年以来)
    baseline_hint: str = ""  # 从…到… : the earlier figure in the same sentence, for a person to check


def unit_pattern(units) -> str:
    ordered = sorted({u for u in units if u not in EXCLUDED_UNITS} | {"万元"}, key=lambda u: (-len(u), u))
    return "|".join(re.escape(u) for u in ordered)


def _figure_regex(units) -> re.Pattern:
    before = "|".join(sorted(_QUALIFIER_BEFORE, key=len, reverse=True))
    return re.compile(
        rf"(?P<before>{before})?"
        rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[{_CN_NUM}]+)"
        rf"(?P<wan>万)?(?P<after>[余多])?(?P<wan2>万)?(?P<unit>{unit_pattern(units)})(?P<end>以上|左右)?"
    )


def sentences(paragraph: str) -> list[str]:
    return [s for s in (m.group() for m in _SENTENCE.finditer(paragraph)) if s.strip()]


def _trim_end(text: str) -> str:
    return text.strip().rstrip("。；;！!？?，,、：:").strip()


def quote_around(sentence: str, start: int, end: int, limit: int = QUOTE_TARGET) -> str:
    """The clauses of ``sentence`` around [start, end): the whole sentence when it is short, otherwise
    the clause with the figure and its neighbours within ``limit`` characters (never over MAX_QUOTE)."""
    whole = _trim_end(sentence)
    if len(whole) <= limit:
        return whole
    clauses = _CLAUSE_SPLIT.split(sentence)
    bounds, pos = [], 0
    for c in clauses:
        bounds.append((pos, pos + len(c)))
        pos += len(c)
    first = next(i for i, (a, b) in enumerate(bounds) if a <= start < b)
    last = next((i for i, (a, b) in enumerate(bounds) if a < end <= b), first)
    lo, hi = first, last
    while True:
        grown = False
        if hi + 1 < len(clauses) and bounds[hi + 1][1] - bounds[lo][0] <= limit:
            hi, grown = hi + 1, True
        if lo > 0 and bounds[hi][1] - bounds[lo - 1][0] <= limit:
            lo, grown = lo - 1, True
        if not grown:
            break
    text = sentence[bounds[lo][0]:bounds[hi][1]]
    if len(_trim_end(text)) > MAX_QUOTE:  # one clause longer than the schema allows: cut around the figure
        a = max(0, min(start - 20, len(sentence) - MAX_QUOTE))
        text = sentence[a:a + MAX_QUOTE]
    return _trim_end(text)


def find_figures(paragraphs: list[str], units) -> list[Figure]:
    """Every number with a unit, in reading order, in simplified characters."""
    pattern = _figure_regex(units)
    found: list[Figure] = []
    for paragraph in paragraphs:
        for sentence in sentences(to_simplified(paragraph)):
            in_sentence: list[Figure] = []
            for m in pattern.finditer(sentence):
                num, unit = m.group("num"), m.group("unit")
                nxt = sentence[m.end():m.end() + 1]
                if nxt and nxt in _NOT_UNIT.get(unit, ""):
                    continue
                prev = sentence[m.start() - 1:m.start()] if m.start() else ""
                if num[0] in _CN_NUM:
                    value = _cn_to_int(num)
                    if prev in "第“\"" or value is None or (value < 2 and not (m.group("wan") or m.group("wan2"))):
                        continue  # 第二个, “一”支队伍, 一个 (an article, not a count)
                else:
                    if prev.isdigit() or prev == ".":
                        continue
                    value = float(num.replace(",", ""))
                if m.group("wan") or m.group("wan2"):
                    if unit == "元":
                        unit = "万元"
                    elif unit != "万元":
                        value *= 10000
                qualifier = (_QUALIFIER_BEFORE.get(m.group("before") or "") or _QUALIFIER_AFTER.get(m.group("after") or "")
                             or _QUALIFIER_END.get(m.group("end") or ""))
                start = m.start("num") if not m.group("before") else m.start()
                evidence = quote_around(sentence, start, m.end())
                if float(value) not in numbers_in(evidence):
                    continue  # a form the number check cannot read; leave it to the person
                years = list(re.finditer(r"((?:19|20)\d{2})年", sentence[:m.start()]))
                since = bool(years) and "以来" in sentence[years[-1].end():m.start()]
                if since and years[-1].group(1) not in evidence:
                    # a period is checked against its quote (the validator): quote from the year on, or propose none
                    longer = quote_around(sentence, years[-1].start(), m.end(), limit=MAX_QUOTE)
                    if years[-1].group(1) in longer and float(value) in numbers_in(longer):
                        evidence = longer
                    else:
                        since = False
                fig = Figure(value=float(value), unit=unit, qualifier=qualifier, text=m.group().strip(),
                             evidence=evidence, year=years[-1].group(1) if years else "", since=since)
                if in_sentence and re.search(r"从.*(?:发展|增加|增长|扩大|提高|提升|上升)(?:到|至)", sentence) \
                        and in_sentence[-1].unit == unit:
                    fig.baseline_hint = in_sentence[-1].text
                in_sentence.append(fig)
            found.extend(in_sentence)
    return found


# --------------------------------------------------------------------------------------------
# Measures
# --------------------------------------------------------------------------------------------

_CN_ORD = "一二三四五六七八九十"
_SHI = re.compile(rf"([{_CN_ORD}]{{1,3}})是")
_PAREN = re.compile(rf"^[（(]([{_CN_ORD}]{{1,3}})[）)]")
_QUOTED_COUNT = re.compile(rf"^[“\"]([{_CN_ORD}\d]{{1,3}})[”\"][^\s：:，,。]{{0,6}}[：:]")
_NUMBERED = re.compile(rf"^([{_CN_ORD}]{{1,3}})[、.．]")


@dataclass
class MeasureProposal:
    name: str  # simplified
    evidence: str  # simplified quote, at most MAX_QUOTE characters
    marker: str  # 一是, （一）, “一”, heading


def _first_sentence_after(text: str, start: int) -> str:
    rest = text[start:]
    for s in sentences(rest):
        s = _trim_end(s)
        if len(s) >= 4:
            return quote_around(s, 0, min(len(s), 1))
    return ""


def find_measures(paragraphs: list[str]) -> list[MeasureProposal]:
    """Measures as the article lays them out: 一是…二是…, （一）…, “一”支队伍：…, short headings."""
    simple = [to_simplified(p) for p in paragraphs]
    found: list[MeasureProposal] = []
    for i, para in enumerate(simple):
        following = simple[i + 1] if i + 1 < len(simple) else ""
        # 一是扩大精准覆盖。在原有…  (several in a paragraph)
        for m in _SHI.finditer(para):
            if m.start() and para[m.start() - 1] not in "。；;，,：:\n ":
                continue
            name_end = re.search(r"[。；;：:！]", para[m.end():])
            if not name_end:
                continue
            name = para[m.end():m.end() + name_end.start()]
            if "，" in name and len(name) > 24:
                name = name.split("，")[0]
            if not 2 <= len(name) <= 40:
                continue
            evidence = _first_sentence_after(para, m.end() + name_end.end()) or quote_around(name, 0, 1)
            found.append(MeasureProposal(name=_trim_end(name), evidence=evidence, marker=m.group()))
        heading = None
        m = _PAREN.match(para) or _QUOTED_COUNT.match(para)
        if m:
            end = re.search(r"[。；;]", para)
            heading = (m, para[: end.start()] if end else para, end.end() if end else len(para))
        elif i > 0 and len(para) <= 40 and not _NUMBERED.match(para) and not re.search(r"[。！？].", para) \
                and not _SECTION_WORDS.search(para) and len(following) >= 2 * len(para):
            heading = (None, para, len(para))
        elif _NUMBERED.match(para) and len(para) <= 40 and not _SECTION_WORDS.search(para):
            heading = (_NUMBERED.match(para), para, len(para))
        if heading:
            match, name, after = heading
            if match and match.re is not _QUOTED_COUNT:  # （一）设立调解室 -> 设立调解室; “一”支队伍 keeps its number
                name = name[match.end():]
            name = _trim_end(name)
            evidence = _first_sentence_after(para, after) or _first_sentence_after(following, 0)
            if len(name) > 60:
                name = name[:60]
            if evidence and 2 <= len(name):
                marker = match.group() if match else "heading"
                found.append(MeasureProposal(name=name, evidence=evidence, marker=marker))
    return found


# --------------------------------------------------------------------------------------------
# Guesses from the taxonomies, and the skeleton
# --------------------------------------------------------------------------------------------


def _bigrams(text: str) -> set[str]:
    text = re.sub(f"[^{_CJK}]", "", text)
    return {text[i:i + 2] for i in range(len(text) - 1)}


def rank_terms(text: str, terms: dict, keys=None, n: int = 3) -> list[str]:
    """Taxonomy keys whose zh label and definition share the most character pairs with ``text``."""
    grams = _bigrams(text)
    scored = []
    for key, term in terms.items():
        if keys is not None and key not in keys:
            continue
        words = f"{term.get('zh', '')}{term.get('definition', '')}"
        scored.append((-len(grams & _bigrams(words)), key))
    return [key for _, key in sorted(scored)[:n]]


def guess_province(text: str, regions: dict) -> str | None:
    """The province named first in the title or opening of the article."""
    best = None
    for key, region in regions.items():
        zh = region["zh"]
        short = re.sub(r"(?:壮族|回族|维吾尔)?(?:自治区|特别行政区|省|市)$", "", zh)
        for name in (zh, short):
            pos = text.find(name) if len(name) >= 2 else -1
            if pos >= 0 and (best is None or pos < best[0]):
                best = (pos, key)
    return best[1] if best else None


def metric_candidates(unit: str, metrics_taxonomy: dict) -> list[str]:
    kinds = {k for k, kind in metrics_taxonomy.get("kinds", {}).items() if unit in kind.get("units", {})}
    return [k for k, m in metrics_taxonomy.get("metrics", {}).items() if m.get("kind") in kinds]


def all_units(metrics_taxonomy: dict) -> set[str]:
    return {u for kind in metrics_taxonomy.get("kinds", {}).values() for u in kind.get("units", {})}


def _source_id(case_id: str, date: str) -> str:
    word = case_id.split("-")[-1]
    return f"{word}-{date[:4]}" if date else word


def skeleton(case_id: str, cleaned: Cleaned, meta: Metadata, figures: list[Figure], measures: list[MeasureProposal],
             taxonomies: dict, today: str, province: str | None = None) -> dict:
    """Everything the skeleton template needs, decided here; the template only lays it out."""
    body = "\n".join(cleaned.paragraphs)
    opening = to_simplified(cleaned.title + "\n" + body[:400])
    regions = taxonomies.get("regions", {})
    province = province or guess_province(opening, regions)
    metrics_tax = taxonomies.get("metrics", {})
    as_of = meta.date or TODO
    years = sorted({int(y) for y in re.findall(r"((?:19|20)\d{2})年", to_simplified(body))})
    metric_rows = []
    for f in figures:
        candidates = metric_candidates(f.unit, metrics_tax)
        ranked = rank_terms(f.evidence, metrics_tax.get("metrics", {}), keys=set(candidates), n=4)
        row = {
            "figure": f, "candidates": ranked or candidates[:4],
            "value": int(f.value) if float(f.value).is_integer() else f.value,
            "as_of": (int(f.year) if f.year and not f.since else as_of),
            "period_start": int(f.year) if f.since else None,
        }
        metric_rows.append(row)
    measure_rows = [{"m": m, "candidates": rank_terms(m.name + m.evidence, taxonomies.get("measures", {}))} for m in measures]
    title = to_simplified(meta.title)
    quoted = re.search(r"“[^”]{1,12}”[^\s，：:“（(]{0,4}", title)
    return {
        "id": case_id,
        "title": title or TODO,
        "added": today,
        "model_name": f"{TODO}: {quoted.group()}" if quoted else f"{TODO}: the model's own name, e.g. “12345”工作法",
        "lead_organisation": f"{TODO}: {to_simplified(meta.publisher)}" if meta.publisher
        else f"{TODO}: the organisation that leads the practice",
        "province": province,
        "province_known": bool(province and province in regions),
        "regions": regions,
        "publisher": to_simplified(meta.publisher),
        "author": to_simplified(meta.author),
        "years": years,
        "tags": rank_terms(opening + body, taxonomies.get("tags", {}), n=3),
        "levels": ["province", "city", "county", "township", "community"],
        "measures": measure_rows,
        "metrics": metric_rows,
        "source": {
            "id": _source_id(case_id, meta.date),
            "title": meta.title or TODO,
            "date": meta.date,
            "archive": f"{case_id}.txt",
        },
        "notes": cleaned.notes,
    }


def todo_lines(yaml_text: str) -> list[tuple[int, str]]:
    """(line number, line) of every TODO left in a skeleton."""
    return [(n, line.strip()) for n, line in enumerate(yaml_text.splitlines(), 1) if TODO in line and not line.lstrip().startswith("#")]
