"""Text folding used to match evidence quotes against archived sources.

Records are written in simplified characters while two of the archived articles are in
traditional ones, and quotes differ in width and quote style. Both sides are folded the
same way: OpenCC's traditional-to-simplified data, NFKC width folding, one quote style,
no whitespace.
"""
from __future__ import annotations

import functools
import re
import unicodedata

from opencc import OpenCC

_QUOTES = str.maketrans({c: '"' for c in "“”„‟「」『』〝〞＂'‘’‚‛"})
_SPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def fold(text: str, script: bool = True) -> str:
    """Script-, width-, quote- and whitespace-insensitive form of ``text`` (``script=False`` skips the slow
    traditional-to-simplified step)."""
    text = unicodedata.normalize("NFKC", to_simplified(text) if script else text)
    text = text.translate(_QUOTES)
    return _SPACE.sub("", text)


@functools.lru_cache(maxsize=4096)
def _folded(text: str, script: bool) -> str:
    return fold(text, script)


def quote_in(quote: str, source: str) -> bool:
    """Is ``quote`` in ``source`` once both are folded? Most sources are simplified already, so try the cheap
    fold first; the OpenCC conversion (about 4 ms per 1,000 characters) runs only when that fails. Folded
    sources are kept per process, so `mkdocs serve` rebuilds do not convert them again."""
    if fold(quote, script=False) in _folded(source, False):
        return True
    return fold(quote) in _folded(source, True)


_WIDE = "\u2018-\u201d\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_GAP = re.compile(f"(?<=[{_WIDE}])\\s+(?=[{_WIDE}])")


def tidy(text: str) -> str:
    """One line of display text: whitespace runs become one space, and none is left between two Chinese
    characters (YAML's folded blocks join Chinese lines with a space that does not belong there)."""
    return _CJK_GAP.sub("", " ".join(text.split()))


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千万]+")


def _cn_to_int(word: str) -> int | None:
    """Chinese numerals up to the ten-thousands: 一万 -> 10000, 千 -> 1000, 二十 -> 20."""
    total, section, digit = 0, 0, None
    for ch in word:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (digit if digit is not None else 1) * _CN_UNITS[ch]
            digit = None
        elif ch == "万":
            total += (section + (digit or 0) or 1) * 10000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def numbers_in(text: str) -> set[float]:
    """Every number written in ``text``: digits, Chinese numerals, and digit+万 (2.5万 gives 2.5 and 25000)."""
    found: set[float] = set()
    text = unicodedata.normalize("NFKC", text).replace(",", "")
    digits_end = -1
    for match in _NUMBER.finditer(text):
        word = match.group()
        if match.start() == digits_end and word.startswith("万"):
            continue  # the 万 of 2.5万, already counted with its digits
        if word[0].isdigit():
            digits_end = match.end()
            value = float(word)
            found.add(value)
            if text[match.end():match.end() + 1] == "万":
                found.add(value * 10000)
            elif text[match.end():match.end() + 1] == "亿":
                found.add(value * 100000000)
        else:
            value = _cn_to_int(word)
            if value is not None:
                found.add(float(value))
    return found
