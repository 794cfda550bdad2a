"""Cleaning: a scraped article becomes its archive text (page chrome, pinyin annotations, odd spacing
and doubled punctuation removed, the article's own script kept) and its metadata.

    clean_text(raw)          -> Cleaned: title, header lines (date, source, author), body paragraphs
    find_metadata(cleaned)   -> Metadata: title, date, publisher, author where the text gives them

Everything the importer proposes later is read from ``Cleaned.paragraphs`` folded to simplified
characters, so quotes cut from it pass the validator's evidence check (which folds both sides).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..textnorm import to_simplified


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
_META_LABEL = re.compile(r"^(日期|发布时间|发布日期|时间|来源|来自|作者|发布者|文章来源|稿源|信息来源)\s*[:：]\s*(.*)$")
_COUNTER = re.compile(r"^(?:查看|阅读|浏览|点击|评论|阅读量|浏览次数|访问量)(?:数|次数)?\s*[:：]?\s*\d*\s*$")
_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?")
_META_SPLIT = re.compile(
    r"\s*[|｜]\s*|\s{2,}|\u3000+|\s+(?=(?:来源|來源|来自|來自|作者|日期|发布时间|發布時間|发布者|發布者|时间|時間|信息来源|信息來源)\s*[:：])"
    r"|\s+(?=(?:19|20)\d{2}[-年/.])"
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
    line = repair_doubled(line)
    line = re.sub(r"[ \t]+", " ", line)
    # no spaces between Chinese characters and Chinese punctuation, except between two runs of text
    line = re.sub(r"(?<=[，。；：？！、“”（）《》])\s+|\s+(?=[，。；：？！、“”（）《》])", "", line)
    return line.strip()


# A run of two or more marks (，， ，。 。。 、、 ；，) is one slip of the editor's hand: the strongest mark stays.
_PUNCT_RUN = re.compile(r"[，。；：、！？,;]{2,}")
_STRENGTH = "。！？；：，,;、"


def repair_doubled(line: str) -> str:
    """``建强队伍，，夯实基础。。`` -> ``建强队伍，夯实基础。``; ``？！`` keeps its first mark."""
    def strongest(match: re.Match) -> str:
        run = match.group()
        if set(run) <= set("？！"):
            return run
        best = min(run, key=lambda ch: _STRENGTH.index(ch) if ch in _STRENGTH else len(_STRENGTH))
        return _PUNCT.get(best, best)
    return _PUNCT_RUN.sub(strongest, line)


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
    if meta_at is not None and any(len(line) > 60 or re.search(r"[。！？]$", line) for line, _ in kept[1:meta_at]):
        meta_at = None  # a 来源 line after the first paragraphs closes the article; it does not open it
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
    # a byline under the title (合肥晚报 记者 王晓东, 金水区委老干部局) belongs to the header, not the body
    if body_start < len(kept) and kept[body_start][1] is None and _BYLINE.match(to_simplified(kept[body_start][0])) \
            and body_start + 1 < len(kept):
        header.append(kept[body_start][0])
        body_start += 1
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
        if label and label.group(1) in ("来源", "来自", "文章来源", "稿源", "信息来源") and not meta.publisher:
            meta.publisher = value
        elif label and label.group(1) == "作者" and not meta.author:
            meta.author = value
        date = _DATE.search(simple)
        if date and not meta.date:
            meta.date = _iso(date)
    for line in cleaned.header:  # 厦门日报  2022-12-03, 合肥晚报 记者 王晓东: unlabelled names beside the date or in a byline
        simple = to_simplified(line).strip()
        if _META_LABEL.match(simple) or _DATE.search(simple):
            continue
        byline = _BYLINE.match(simple)
        if byline and byline.group("author") and not meta.author:
            meta.author = byline.group("author")
        org = (byline.group("org") if byline else "") or ""
        if org and _PUBLISHER_END.search(org) and not meta.publisher:
            meta.publisher = org
    return meta


_PUBLISHER_END = re.compile(r"(?:日报|晚报|时报|报社|新闻网|网|融媒体中心|电视台|广播电视台|老干部局|组织部|办事处)$")
# A byline: a publisher or bureau, and/or 记者/通讯员/评论员 with names (四川日报全媒体记者 陈松, 记者 王磊).
_BYLINE = re.compile(r"^(?P<org>[\u4e00-\u9fff]{2,20}?(?:日报|晚报|时报|报社|新闻网|网|融媒体中心|电视台|广播电视台|老干部局|组织部|办事处))?"
                     r"\s*(?:(?:全媒体|首席|特约)?(?:记者|通讯员|评论员|作者)\s*[:：]?\s*(?P<author>[\u4e00-\u9fff]{2,4}(?:[ 、，,][\u4e00-\u9fff]{2,4})*))?$")
