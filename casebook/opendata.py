"""Open data and the feed: the files a researcher or a feed reader downloads.

Everything here is serialised with a real serializer (json, csv, Jinja with XML escaping)
from the model, in a fixed order, so the same data gives the same bytes. The columns of the
CSV files are those of the Frictionless descriptor ``schema/datapackage.json``.
"""
from __future__ import annotations

import csv
import functools
import hashlib
import io
import json

import jinja2

from .cite import CaseCitation, csl_downloads
from .export import case_record, plain_number
from .links import page_url
from .model import Case, Site
from .schema import SCHEMA_DIR, load_schema

DATA_DIR = "data"
FEED = "feed.xml"


@functools.lru_cache(maxsize=1)
def package_descriptor() -> dict:
    """schema/datapackage.json without its $comment: the CSV files and their fields."""
    descriptor = json.loads((SCHEMA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    descriptor.pop("$comment", None)
    return descriptor


def _num(value):
    return None if value is None else plain_number(value)


def _joined(items) -> str:
    return ";".join(items)


def case_row(case: Case, settings: dict) -> dict:
    loc = case.locality
    return {
        "id": case.id, "url": page_url(settings, case), "title": case.title, "title_en": case.title_en,
        "model_name": case.name, "model_name_en": case.name_en,
        "province": case.region.key, "province_zh": case.region.zh, "province_en": case.region.en,
        "city": loc.city, "county": loc.county, "township": loc.township, "community": loc.community,
        "locality_en": loc.name_en, "division_code": loc.division_code, "level": case.level,
        "lead_organisation": case.lead_organisation, "lead_organisation_en": case.lead_organisation_en,
        "period_start": case.period_start, "period_end": case.period_end, "added": case.added, "updated": case.updated,
        "tags": _joined(t.key for t in case.tags), "measures": len(case.measures), "metrics": len(case.metrics),
        "sources": len(case.sources), "former_ids": _joined(case.former_ids), "summary": case.summary, "summary_en": case.summary_en,
    }


def measure_rows(case: Case) -> list[dict]:
    return [{"case": case.id, "n": n, "type": u.term.key, "type_zh": u.term.zh, "type_en": u.term.en, "name": u.name,
             "name_en": u.name_en, "description": u.description, "description_en": u.description_en,
             "evidence": u.evidence, "source": u.source.id}
            for n, u in enumerate(case.measures, 1)]


def lesson_rows(case: Case) -> list[dict]:
    return [{"case": case.id, "n": n, "lesson": x.text, "lesson_en": x.text_en, "evidence": x.evidence, "source": x.source.id}
            for n, x in enumerate(case.lessons, 1)]


def metric_rows(case: Case) -> list[dict]:
    rows = []
    for n, v in enumerate(case.metrics, 1):
        base = v.baseline
        rows.append({
            "case": case.id, "n": n, "metric": v.metric.key, "metric_zh": v.metric.zh, "metric_en": v.metric.en,
            "kind": v.metric.kind.key, "value": _num(v.amount.value), "qualifier": v.amount.qualifier, "unit": v.amount.unit,
            "base_value": _num(v.amount.base_value), "base_unit": v.metric.kind.unit, "as_of": v.as_of,
            "period_start": v.period_start, "period_end": v.period_end,
            "baseline_value": _num(base.value) if base else None, "baseline_qualifier": base.qualifier if base else None,
            "baseline_as_of": v.baseline_as_of, "scope": v.scope, "scope_en": v.scope_en, "evidence": v.evidence,
            "source": v.source.id,
        })
    return rows


def source_rows(case: Case, citation: CaseCitation) -> list[dict]:
    return [{"case": case.id, "id": s.id, "n": s.number, "title": s.title, "publisher": s.publisher, "author": s.author,
             "date": s.date, "kind": s.kind, "url": s.url, "archive": s.archive, "citation_gbt": gbt, "accessed": s.accessed}
            for s, gbt in zip(case.sources, citation.sources)]


def to_csv(fields: list[str], rows: list[dict]) -> str:
    """RFC 4180 CSV (CRLF line ends), header first; None is an empty cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(fields)
    for row in rows:
        if list(row) != fields:
            raise ValueError(f"columns {list(row)} differ from schema/datapackage.json {fields}")
        writer.writerow(["" if value is None else value for value in row.values()])
    return out.getvalue()


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _json_listing(head: dict, key: str, items: list) -> str:
    """``head`` with ``key``: ``items``, as JSON with one item per line: a change to one case is a
    one-line diff, and each line is written by json's C encoder (with ``indent`` json writes in pure
    Python, a second at 1,000 cases, on every rebuild under serve)."""
    opening = json.dumps(head, ensure_ascii=False, indent=2)[:-2]  # without the closing "\n}"
    lines = ",\n".join("    " + json.dumps(item, ensure_ascii=False) for item in items)
    return f"{opening},\n  {json.dumps(key)}: [\n{lines}\n  ]\n}}\n"


def tables(site: Site, settings: dict, citations: dict[str, CaseCitation]) -> dict[str, list[dict]]:
    return {
        "cases": [case_row(c, settings) for c in site.cases],
        "measures": [row for c in site.cases for row in measure_rows(c)],
        "lessons": [row for c in site.cases for row in lesson_rows(c)],
        "metrics": [row for c in site.cases for row in metric_rows(c)],
        "sources": [row for c in site.cases for row in source_rows(c, citations[c.id])],
    }


def downloads(site: Site, settings: dict, citations: dict[str, CaseCitation]) -> dict[str, str]:
    """{path under the site root: text} of every download: CSV tables, their data package, JSON, schema, CSL-JSON."""
    files: dict[str, str] = {}
    descriptor = json.loads(json.dumps(package_descriptor()))
    descriptor["homepage"] = settings["site_url"] + f"{DATA_DIR}/"
    rows = tables(site, settings, citations)
    for resource in descriptor["resources"]:
        fields = [f["name"] for f in resource["schema"]["fields"]]
        text = to_csv(fields, rows[resource["name"]])
        data = text.encode("utf-8")
        resource["bytes"] = len(data)
        resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
        files[f"{DATA_DIR}/{resource['path']}"] = text
    files[f"{DATA_DIR}/datapackage.json"] = _json(descriptor)
    files[f"{DATA_DIR}/cases.json"] = _json_listing(
        {"title": settings["site_name"], "homepage": settings["site_url"], "schema": "case.schema.json"},
        "cases", [dict(case_record(c), url=page_url(settings, c)) for c in site.cases])
    files[f"{DATA_DIR}/case.schema.json"] = _json(load_schema("case"))
    files.update(csl_downloads(citations))
    return files


@functools.lru_cache(maxsize=1)
def _xml_environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("casebook", "templates"), undefined=jinja2.StrictUndefined,
                              autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def feed(site: Site, settings: dict, mark: str) -> str:
    """Atom feed listing every case, newest first by date added."""
    cases = sorted(site.cases, key=lambda c: (c.added, c.id), reverse=True)
    entries = [{"case": c, "url": page_url(settings, c)} for c in cases]
    updated = max((c.updated or c.added for c in cases), default="1970-01-01")
    return _xml_environment().get_template("feed.xml.j2").render(settings=settings, entries=entries, updated=updated, mark=mark)
