"""Prose in our own words: no summary, description or lesson of a record shares a run of more than 15
characters with its archived article (after traditional-to-simplified folding, punctuation and spacing
ignored; names and titles quoted in “” or 《》 aside, since they must be given as the article does)."""
from __future__ import annotations

import re
import unicodedata

import pytest
import yaml

from casebook.textnorm import to_simplified
from conftest import ROOT

LIMIT = 15
CASES = sorted((ROOT / "data" / "cases").rglob("*.yml"))
_QUOTED = re.compile(r"“[^”]*”|《[^》]*》|「[^」]*」|『[^』]*』")
_NOT_TEXT = re.compile(r"[^0-9A-Za-z\u3400-\u9fff]+")


def folded(text: str) -> str:
    return _NOT_TEXT.sub("", unicodedata.normalize("NFKC", to_simplified(text)))


def prose(record: dict) -> list[tuple[str, str]]:
    fields = [("summary", record["summary"])]
    fields += [(f"measures[{i}].description", m["description"]) for i, m in enumerate(record["measures"])]
    fields += [(f"lessons[{i}].lesson", x["lesson"]) for i, x in enumerate(record.get("lessons", []))]
    return fields


def shared_runs(text: str, article: str, limit: int = LIMIT) -> list[str]:
    """Runs of more than ``limit`` characters of ``text`` (quoted names aside) that the article also has."""
    found = []
    for piece in _QUOTED.split(to_simplified(text)):
        piece = folded(piece)
        i = 0
        while i + limit < len(piece):
            if piece[i:i + limit + 1] in article:
                j = i + limit + 1
                while j < len(piece) and piece[i:j + 1] in article:
                    j += 1
                found.append(piece[i:j])
                i = j
            else:
                i += 1
    return found


def test_the_check_finds_a_copied_clause():
    article = folded("依托“1 8 16 59 N”的五級黨群服務中心陣地集群,為離退休黨支部聯合開展活動")
    assert shared_runs("依托五级党群服务中心阵地集群，为离退休党支部联合活动", article) == ["五级党群服务中心阵地集群为离退休党支部联合"]
    assert shared_runs("借助各级党群服务中心，给离退休党支部提供联合活动的场所", article) == []
    assert shared_runs("“五级党群服务中心阵地集群为离退休党支部”", article) == []  # a quoted name


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_prose_is_in_our_own_words(path):
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    article = "".join(folded((ROOT / "data" / "sources" / s["archive"]).read_text(encoding="utf-8")) for s in record["sources"])
    copied = {field: runs for field, text in prose(record) if (runs := shared_runs(text, article))}
    assert not copied, f"runs of more than {LIMIT} characters shared with the article: {copied}"
