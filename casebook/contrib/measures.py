"""Measures: what the locality does, read from the article's own structure.

    find_measures(paragraphs) -> [MeasureProposal]

Real articles state their measures as paragraph lead phrases (``突出政治优势，建强宣讲队伍。…``),
headings on a line of their own (``组织温暖为流动老党员找归属感``), 【bracketed】 headings, numbered
paragraphs (（一）, 一、, 1.), “一”支队伍-style enumerations, and markers inside a paragraph (一是/二是,
首先/其次/最后, 第一，). Lead phrases and plain headings count only when the article has at least two of
them (of the same kind) in parallel: one short sentence alone is as likely to be a caption or a quote as a measure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..textnorm import to_simplified
from .quotes import quote_around, sentences, trim_end

_CN_ORD = "一二两三四五六七八九十"
_SHI = re.compile(rf"([{_CN_ORD}]{{1,3}})是")
_SEQUENCE = re.compile(r"(首先|其次|再次|然后|最后|其[一二三四五六]|一方面|另一方面|第[一二三四五六七八九十]{1,2}(?:步|招|个方面)?)[，,、：:]")
_PAREN = re.compile(rf"^[（(]([{_CN_ORD}]{{1,3}}|\d{{1,2}})[）)]")
_NUMBERED = re.compile(rf"^(?:(?:[{_CN_ORD}]{{1,3}}|\d{{1,2}})[、.．](?!\d)|[①②③④⑤⑥⑦⑧⑨⑩]\s*)")
_QUOTED_COUNT = re.compile(rf"^[“\"「]([{_CN_ORD}\d]{{1,3}})[”\"」][^\s：:，,。]{{0,8}}[：:]")
_BRACKETED = re.compile(r"^[【\[]([^】\]]{2,30})[】\]]")
_SECTION_WORDS = re.compile(r"背景|动因|成效|启示|经验|体会|问题|思考|意义|前言|结语|基本情况|主要做法|做法与|案例简介|下一步")
_BYLINE = re.compile(r"记者|通讯员|作者|来源|编辑|摄影|供图|责编|发布")
# A lead phrase states a measure (建强宣讲队伍); a sentence of a story tells what happened (老党员刚进来, 就坐满了人).
_NOT_LEAD = re.compile(r"^(?:近年来|近日|日前|目前|今年|去年|据|在|记者|当天|如今|截至|为|随着)|说|表示|介绍|认为"
                       r"|了|[笑看听说坐站]着|便|就(?![近地业医餐])|刚|正在|已经|[我你他她]")


@dataclass
class MeasureProposal:
    name: str  # simplified
    evidence: str  # simplified quote, at most MAX_QUOTE characters
    marker: str  # 一是, （一）, “一”, 【】, 首先, heading, lead phrase
    paragraph: int = 0  # 1-based body paragraph


def _first_sentence_after(text: str, start: int) -> str:
    for s in sentences(text[start:]):
        s = trim_end(s)
        if len(s) >= 4:
            return quote_around(s, 0, 1)
    return ""


def _short_name(name: str) -> str:
    name = trim_end(name.strip("，,、：: ◆■●▶►★☆•·▲△◇○√※"))
    if "，" in name and len(name) > 24:
        name = name.split("，")[0]
    return name[:40]


def _lead_phrase(para: str) -> tuple[str, int] | None:
    """``坚持需求导向，精准选聘顾问。街道…`` -> (name, where the rest starts)."""
    m = re.match(r"([^。！？；：:]{4,26})[。！；：:]", para)
    if not m or len(para) - m.end() < 10:
        return None
    lead = m.group(1)
    if para[m.end() - 1] in "：:" and para[m.end():m.end() + 1] in "“\"「‘":
        return None  # 书记笑着说：“…”: the words before a quote
    clauses = [c for c in re.split(r"[，,]", lead) if c]
    if len(clauses) > 2 or any(len(c) > 14 for c in clauses) or re.search(r"\d", lead):
        return None
    if lead[0] in "“\"「" or _NOT_LEAD.search(lead):
        return None
    return lead, m.end()


def _is_heading(para: str, i: int, simple: list[str]) -> bool:
    para = para.lstrip("◆■●▶►★☆•·▲△◇○√※ ")
    if i == 0 or len(para) > 30 or len(para) < 4 or _BYLINE.search(para) or _SECTION_WORDS.search(para):
        return False
    if re.search(r"[。！？；]", para[:-1]) or re.search(r"\d{2,}", para):
        return False
    following = simple[i + 1] if i + 1 < len(simple) else ""
    return len(following) >= 1.5 * len(para) and any(len(p) >= 30 for p in simple[:i])


def find_measures(paragraphs: list[str]) -> list[MeasureProposal]:
    simple = [to_simplified(p) for p in paragraphs]
    found: list[MeasureProposal] = []
    parallel: list[MeasureProposal] = []  # lead phrases and plain headings, kept only when two or more
    for i, para in enumerate(simple):
        number = i + 1
        following = simple[i + 1] if i + 1 < len(simple) else ""
        for m in list(_SHI.finditer(para)) + list(_SEQUENCE.finditer(para)):
            if m.start() and para[m.start() - 1] not in "。；;，,：:\n ":
                continue
            rest = para[m.end():]
            end = re.search(r"[。；;！]" if m.re is _SEQUENCE else r"[。；;：:！]", rest)
            if not end:
                continue
            name = _short_name(rest[:end.start()])
            if not 2 <= len(name) <= 40:
                continue
            if m.re is _SEQUENCE:
                evidence = quote_around(rest[:end.start()], 0, 1)
            else:
                evidence = _first_sentence_after(para, m.end() + end.end()) or quote_around(name, 0, 1)
            found.append(MeasureProposal(name=name, evidence=evidence, marker=m.group(1) if m.re is _SEQUENCE else m.group(),
                                         paragraph=number))
        heading = None
        m = _PAREN.match(para) or _QUOTED_COUNT.match(para) or _BRACKETED.match(para)
        if m and m.re is _BRACKETED:
            heading = (m, m.group(1), m.end(), "【】")
        elif m:
            end = re.search(r"[。；;！]", para)
            heading = (m, para[: end.start()] if end else para, end.end() if end else len(para), m.group())
        elif _NUMBERED.match(para) and not _SECTION_WORDS.search(para[:20]):
            m = _NUMBERED.match(para)
            end = re.search(r"[。；;！]", para)
            if end and end.start() <= 40 or len(para) <= 40:
                heading = (m, para[: end.start()] if end else para, end.end() if end else len(para), m.group())
        if heading:
            match, name, after, marker = heading
            if match.re in (_PAREN, _NUMBERED):  # （一）设立调解室 -> 设立调解室; “一”支队伍 keeps its number
                name = name[match.end():]
            name = _short_name(name)
            evidence = _first_sentence_after(para, after) or _first_sentence_after(following, 0)
            if evidence and len(name) >= 2:
                found.append(MeasureProposal(name=name, evidence=evidence, marker=marker, paragraph=number))
            continue
        if _SHI.match(para) or _SEQUENCE.match(para):
            continue
        lead = _lead_phrase(para)
        if lead:
            evidence = _first_sentence_after(para, lead[1])
            if evidence:
                parallel.append(MeasureProposal(name=_short_name(lead[0]), evidence=evidence, marker="lead phrase",
                                                paragraph=number))
        elif _is_heading(para, i, simple):
            evidence = _first_sentence_after(following, 0)
            if evidence:
                parallel.append(MeasureProposal(name=_short_name(para), evidence=evidence, marker="heading",
                                                paragraph=number))
    for marker in ("lead phrase", "heading"):  # each kind must repeat: one short sentence is not a structure
        same = [m for m in parallel if m.marker == marker]
        if len(same) >= 2:
            found.extend(same)
    found.sort(key=lambda m: m.paragraph)
    seen, unique = set(), []
    for m in found:
        if m.name not in seen:
            seen.add(m.name)
            unique.append(m)
    return unique
