"""The skeleton: everything the template casebook/templates/skeleton.yml.j2 needs, decided here.

Every proposal the importer could make is written as a value the contributor can accept by deleting
nothing (the place, the level, metric keys, measure types, scopes); ``TODO`` is left only where a person
must write or choose something (English text, summaries, a metric nothing fits).
"""
from __future__ import annotations

import re

from ..textnorm import to_simplified
from .cleaning import Cleaned, Metadata
from .figures import Figure
from .measures import MeasureProposal
from .places import Place
from .proposals import Proposal, rank_terms

TODO = "TODO"
LEVELS = ["province", "city", "county", "township", "community"]


_START = re.compile(r"((?:19|20)\d{2})年(?:以来|起|初|底|[1-9]\d?月)?[^。；，]{0,10}?(?:成立|启动|开展|试点|建立|推行|创建|组建|探索|推出|选派)"
                    r"|成立于((?:19|20)\d{2})年|((?:19|20)\d{2})年以来")
_ORGANISATION = re.compile(r"(?:^|[，。；：、\s])([\u4e00-\u9fff]{2,14}?(?:委老干部局|老干部局|委组织部|党工委|社区党委|街道党委|老干部活动中心))")
_MODEL_WORD = re.compile(r"(?:工作法|模式|机制|体系|品牌|平台|工程|行动|队|团|会|厅|室|站|之家|岗)$")


def _proposed_start(body: str) -> tuple[int | None, str]:
    """The year the practice began, where a sentence says so (2019年成立, 成立于2015年, 2017年以来)."""
    found = [(int(next(g for g in m.groups() if g)), m.group().strip("，。")) for m in _START.finditer(body)]
    return min(found) if found else (None, "")


def _proposed_organisation(paragraphs: list[str]) -> str:
    """The bureau or Party committee the opening names as the one acting (城关区委老干部局整合…)."""
    for paragraph in paragraphs[:2]:
        m = _ORGANISATION.search(to_simplified(paragraph))
        if m:
            return re.sub(r"^(?:近年来|近日|日前|目前|今年以来|今年|去年以来|去年)", "", m.group(1))
    return ""


def _proposed_model_name(title: str) -> str:
    """The model's own name as the title quotes it, when it is one (“12345”工作法, “银发议事厅”)."""
    for m in re.finditer(r"“([^”]{2,12})”(工作法|模式|机制|体系|帮帮团|服务队|志愿队|先锋队|议事会)?", title):
        if m.group(2) or _MODEL_WORD.search(m.group(1)):
            return m.group(0)
    return ""


def _source_id(case_id: str, date: str) -> str:
    word = case_id.split("-")[-1]
    return f"{word}-{date[:4]}" if date else word


def skeleton(case_id: str, cleaned: Cleaned, meta: Metadata, place: Place, figures: list[Figure],
             metric_proposals: list[Proposal], measures: list[MeasureProposal], measure_proposals: list[Proposal],
             taxonomies: dict, today: str) -> dict:
    body = "\n".join(cleaned.paragraphs)
    opening = to_simplified(cleaned.title + "\n" + body[:400])
    regions = taxonomies.get("regions", {})
    as_of = meta.date or TODO
    years = sorted({int(y) for y in re.findall(r"((?:19|20)\d{2})年", to_simplified(body))})
    metric_rows = []
    for f, p in zip(figures, metric_proposals):
        metric_rows.append({
            "figure": f, "proposal": p,
            "value": int(f.value) if float(f.value).is_integer() else f.value,
            "as_of": (int(f.year) if f.year and not f.since else as_of),
            "period_start": int(f.year) if f.since else None,
            "scope": f.scope_hint,
        })
    measure_rows = [{"m": m, "proposal": p} for m, p in zip(measures, measure_proposals)]
    title = to_simplified(meta.title)
    quoted = re.search(r"“[^”]{1,12}”[^\s，：:“（(]{0,4}", title)
    start, start_words = _proposed_start(to_simplified(body))
    organisation = _proposed_organisation(cleaned.paragraphs)
    model_name = _proposed_model_name(title)
    return {
        "period_start": start, "period_start_words": start_words,
        "organisation": organisation, "model_name_proposed": model_name,
        "id": case_id,
        "title": title or TODO,
        "added": today,
        "model_name": f"{TODO}: {quoted.group()}" if quoted else f"{TODO}: the model's own name, e.g. “12345”工作法",
        "lead_organisation": f"{TODO}: {to_simplified(meta.publisher)}" if meta.publisher
        else f"{TODO}: the organisation that leads the practice",
        "place": place,
        "province_zh": regions.get(place.province, {}).get("zh", ""),
        "publisher": to_simplified(meta.publisher),
        "author": to_simplified(meta.author),
        "years": years,
        "tags": rank_terms(opening + body, taxonomies.get("tags", {}), n=3),
        "levels": LEVELS,
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
