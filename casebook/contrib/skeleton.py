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
    return {
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
