"""Dates as an article writes them, so that a record's dates can be checked against its sources.

``dates_in`` reads 2019年9月24日, 2019-9-24, 2019/09/24, 二〇一九年九月, 9月 (with the article's year),
2018年7月至2019年9月 and a date inside an address (…/t20190924_…), and gives every date it finds in the
record's own forms, at each precision: 2019年9月 gives 2019 and 2019-09. 今年 / 去年 / 前年 are read against the article's year. A record's date is supported when
it is one of those (a year 2019 is supported by 2019年9月, a month 2019-09 is not supported by 2019年).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata


_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = "一二三四五六七八九十"
_YEAR_MONTH_DAY = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*年\s*(?:([0-9]{1,2})\s*月\s*(?:([0-9]{1,2})\s*[日号])?)?")
_NUMERIC = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})[-/.]([0-9]{1,2})(?:[-/.]([0-9]{1,2}))?(?![0-9])")
_CN_YEAR = re.compile(f"([〇零○一二三四五六七八九]{{4}})年(?:([{_CN_SMALL}]{{1,2}})月(?:([{_CN_SMALL}]{{1,3}})[日号])?)?")
# a month (and day) without a year: 9月初, 3月15日; the year is the article's own. Not 3个月, not 2019年9月 (read above).
_MONTH = re.compile(r"(?<![0-9年个])([0-9]{1,2})\s*月(?:\s*([0-9]{1,2})\s*[日号])?")
# a year standing alone: 先锋引领2019; not a count (2000余人) and not part of a longer number
_BARE_YEAR = re.compile(r"(?<![0-9.])((?:19|20)[0-9]{2})(?![0-9.]|\s*[年余多万人名个次件元册项场位支户所处首幅种])")
# years named relative to the article's own: 今年 / 去年 / 前年 (当年 refers back to another year: not read)
_RELATIVE = re.compile(r"(今年|去年|前年)(?:\s*([0-9]{1,2})\s*月(?:\s*([0-9]{1,2})\s*[日号])?)?")
_RELATIVE_OFFSET = {"今年": 0, "去年": 1, "前年": 2}
_COMPACT = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})[-/_]?(0[1-9]|1[0-2])[-/_]?(0[1-9]|[12][0-9]|3[01])?(?![0-9])")


_TRADITIONAL = str.maketrans("號來開", "号来开")  # the only characters of dates that differ in traditional script


_WIDE_DIGITS = re.compile("[\uff10-\uff19\u3000]")


def _fold(text: str) -> str:
    if _WIDE_DIGITS.search(text):  # full-width digits (２０１９年); NFKC is slow on a whole article, so only then
        text = unicodedata.normalize("NFKC", text)
    return text.translate(_TRADITIONAL)


def _cn_small(text: str) -> int:
    """一 .. 三十一 as used for months and days."""
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGIT.get(tens, 1) if tens else 1) * 10 + (_CN_DIGIT.get(units, 0) if units else 0)
    return _CN_DIGIT.get(text, 0)


def _forms(year: int, month: int | None = None, day: int | None = None) -> set[str]:
    """The record forms of one date at each precision it has that is real (2019年2月30日 gives 2019 and 2019-02)."""
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return _forms(year, month) if day else (_forms(year) if month else set())
    forms = {f"{year:04d}"}
    if month:
        forms.add(f"{year:04d}-{month:02d}")
        if day:
            forms.add(f"{year:04d}-{month:02d}-{day:02d}")
    return forms


def dates_in(text: str, year: int | None = None) -> set[str]:
    """Every date written in ``text`` as record forms (2019, 2019-09, 2019-09-24). ``year`` is the article's
    year, used for a month written without one (9月初) and for 今年 / 去年."""
    return with_year(date_parts(text), year)


def with_year(parts: tuple, year: int | None) -> set[str]:
    """The dates of ``date_parts`` once the article's year is known."""
    absolute, months, relative = parts
    found = set(absolute)
    if year:
        for m, d in months:
            found |= _forms(year, m, d)
        for offset, m, d in relative:
            found |= _forms(year - offset, m, d)
    return found


def date_parts(text: str) -> tuple[frozenset, tuple, tuple]:
    """The dates of ``text`` with their year, the months (and days) given without one, and the years given
    relative to the article's (今年 / 去年 with their months): one pass over a long article serves every year."""
    text = _fold(text)
    found: set[str] = set()
    for match in _YEAR_MONTH_DAY.finditer(text):
        y, m, d = (int(g) if g else None for g in match.groups())
        found |= _forms(y, m, d)
    for match in _NUMERIC.finditer(text):
        y, m, d = (int(g) if g else None for g in match.groups())
        found |= _forms(y, m, d)
    for match in _CN_YEAR.finditer(text):
        y = int("".join(str(_CN_DIGIT[c]) for c in match.group(1)))
        m = _cn_small(match.group(2)) if match.group(2) else None
        d = _cn_small(match.group(3)) if match.group(3) else None
        found |= _forms(y, m, d)
    for match in _BARE_YEAR.finditer(text):
        found |= _forms(int(match.group(1)))
    months = tuple((int(m), int(d) if d else None) for m, d in _MONTH.findall(text))
    relative = tuple((_RELATIVE_OFFSET[w], int(m) if m else None, int(d) if d else None) for w, m, d in _RELATIVE.findall(text))
    return frozenset(found), months, relative


_START_WORDS = re.compile(r"^\s*(?:起|以来|开始|至今|来)")


def start_dates_in(text: str, year: int | None = None) -> set[str]:
    """Dates that a quote gives as the start of a count (从2018年3月起, 2017年以来): the day counting began,
    not the day the figure holds at."""
    text = _fold(text)
    starts: set[str] = set()
    for pattern in (_YEAR_MONTH_DAY, _NUMERIC):
        for match in pattern.finditer(text):
            if _START_WORDS.match(text[match.end():]):
                y, m, d = (int(g) if g else None for g in match.groups())
                forms = _forms(y, m, d)
                starts |= {max(forms, key=len)} if forms else set()
    return starts


def dates_in_address(url: str) -> set[str]:
    """Dates inside a web address: /2019-09/24/, t20190924_, /201909/."""
    found: set[str] = set()
    for match in _COMPACT.finditer(url or ""):
        y, m, d = (int(g) if g else None for g in match.groups())
        found |= _forms(y, m, d)
    return found


def expand(value: str) -> set[str]:
    """A record date and every coarser form of it: 2019-09-24 -> 2019, 2019-09, 2019-09-24."""
    parts = str(value).split("-")
    return {"-".join(parts[: i + 1]) for i in range(len(parts))}


def after(a: str, b: str) -> bool:
    """Is ``a`` later than ``b`` at the precision both have? (2019-10 is after 2019-09-24; 2019 is not.)"""
    a, b = str(a), str(b)
    n = min(len(a), len(b))
    return a[:n] > b[:n]


def shown(dates: set[str]) -> str:
    """The most precise dates of a set, for a message: 2019-09-24, 2018-07 rather than 2019, 2019-09, …"""
    best = sorted(d for d in dates if not any(o != d and o.startswith(d) for o in dates))
    return ", ".join(best[:6]) + (" …" if len(best) > 6 else "") if best else "none"
