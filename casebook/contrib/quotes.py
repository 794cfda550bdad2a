"""Sentences, clauses and short evidence quotes cut from the cleaned (simplified) text."""
from __future__ import annotations

import re

MAX_QUOTE = 160  # the schema's limit for an evidence quote
QUOTE_TARGET = 70  # long enough to show a figure in context, short enough to read in a table

_SENTENCE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+[”’」』）)]*|$)")
_CLAUSE_SPLIT = re.compile(r"(?<=[，,：:、])")


def sentences(paragraph: str) -> list[str]:
    return [s for s in (m.group() for m in _SENTENCE.finditer(paragraph)) if s.strip()]


def sentence_spans(paragraph: str) -> list[tuple[int, str]]:
    """(start offset, sentence) of every sentence of ``paragraph``."""
    return [(m.start(), m.group()) for m in _SENTENCE.finditer(paragraph) if m.group().strip()]


def trim_end(text: str) -> str:
    return text.strip().rstrip("。；;！!？?，,、：:").strip()


def quote_around(sentence: str, start: int, end: int, limit: int = QUOTE_TARGET) -> str:
    """The clauses of ``sentence`` around [start, end): the whole sentence when it is short, otherwise
    the clause with the figure and its neighbours within ``limit`` characters (never over MAX_QUOTE)."""
    whole = trim_end(sentence)
    if len(whole) <= limit:
        return whole
    clauses = _CLAUSE_SPLIT.split(sentence)
    bounds, pos = [], 0
    for c in clauses:
        bounds.append((pos, pos + len(c)))
        pos += len(c)
    first = next((i for i, (a, b) in enumerate(bounds) if a <= start < b), 0)
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
    if len(trim_end(text)) > MAX_QUOTE:  # one clause longer than the schema allows: cut around the figure
        a = max(0, min(start - 20, len(sentence) - MAX_QUOTE))
        text = sentence[a:a + MAX_QUOTE]
    return trim_end(text)


def clause_at(sentence: str, start: int, end: int) -> str:
    """The clause of ``sentence`` (between ，、；：) that holds [start, end)."""
    a = max(sentence.rfind(ch, 0, start) for ch in "，,、；;：:")
    bs = [i for i in (sentence.find(ch, end) for ch in "，,、；;：:。！？") if i >= 0]
    return trim_end(sentence[a + 1:min(bs) if bs else len(sentence)])
