"""Normalised, JSON-ready views of the model, shared by the open-data downloads and the browser features."""
from __future__ import annotations

import dataclasses

from .model import Amount, Case, MetricValue


def _amount(a: Amount | None, base_unit: str) -> dict | None:
    if a is None:
        return None
    return {"value": a.value, "unit": a.unit, "qualifier": a.qualifier, "base_value": plain_number(a.base_value), "base_unit": base_unit}


def plain_number(value: float) -> int | float:
    """8 not 8.0, and without binary noise: 20.51 * 10000 is 205100, not 205100.00000000003."""
    value = float(f"{value:.12g}")
    return int(value) if value.is_integer() else value


def metric_record(v: MetricValue) -> dict:
    return {
        "metric": v.metric.key, "metric_zh": v.metric.zh, "metric_en": v.metric.en, "kind": v.metric.kind.key,
        **_amount(v.amount, v.metric.kind.unit),
        "baseline": _amount(v.baseline, v.metric.kind.unit),
        "as_of": v.as_of, "period_start": v.period_start, "period_end": v.period_end,
        "scope": v.scope, "scope_en": v.scope_en, "evidence": v.evidence, "source": v.source.id,
    }


def case_record(case: Case) -> dict:
    """One case, normalised: taxonomy keys resolved to labels, dates as strings, numbers also in base units."""
    return {
        "id": case.id, "title": case.title, "title_en": case.title_en, "added": case.added, "updated": case.updated,
        "former_ids": list(case.former_ids),
        "model": {"name": case.name, "name_en": case.name_en},
        "province": case.region.key, "province_zh": case.region.zh, "province_en": case.region.en,
        "locality": dataclasses.asdict(case.locality), "level": case.level,
        "lead_organisation": case.lead_organisation, "lead_organisation_en": case.lead_organisation_en,
        "period": {"start": case.period_start, "end": case.period_end},
        "summary": case.summary, "summary_en": case.summary_en,
        "tags": [{"key": t.key, "zh": t.zh, "en": t.en} for t in case.tags],
        "measures": [
            {"type": u.term.key, "type_zh": u.term.zh, "type_en": u.term.en, "name": u.name, "name_en": u.name_en,
             "description": u.description, "description_en": u.description_en, "evidence": u.evidence, "source": u.source.id}
            for u in case.measures
        ],
        "lessons": [{"lesson": x.text, "lesson_en": x.text_en, "evidence": x.evidence, "source": x.source.id} for x in case.lessons],
        "metrics": [metric_record(v) for v in case.metrics],
        "sources": [
            {"id": s.id, "title": s.title, "publisher": s.publisher, "author": s.author, "date": s.date,
             "accessed": s.accessed, "kind": s.kind, "url": s.url, "archive": s.archive}
            for s in case.sources
        ],
    }
