"""Derived views for the browsing pages: the model x measure matrix, split into pages of bounded
size, and the JSON the compare page reads. Pure functions of the site model, linear in its size."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from .export import plain_number
from .model import Case, Region, Site
from .schema import load_schema

MATRIX_PAGE_SIZE = 200  # cases per matrix page: about 150 KB of HTML with 30 measure types


@dataclass
class MatrixRow:
    case: Case
    cells: list  # number of the case's measures of each column's type
    types: int  # measure types used


@dataclass
class MatrixPage:
    path: str  # docs path
    rows: list
    region: Region | None = None
    part: int = 1
    parts: int = 1
    prev: str = ""  # docs path of the region's previous page
    next: str = ""


@dataclass
class RegionRow:
    region: Region
    cells: list  # cases of the region using each column's type
    page: str  # first matrix page of the region


@dataclass
class Matrix:
    columns: list  # measure types in use, most used first
    pages: list  # MatrixPage; pages[0] is matrix/index.md
    page_of: dict = field(default_factory=dict)  # case id -> docs path of the page with its row
    regions: list = field(default_factory=list)  # RegionRow, only when the cases are split over several pages


def _row(case: Case, column: dict) -> MatrixRow:
    cells = [0] * len(column)
    for use in case.measures:
        cells[column[use.term.key]] += 1
    return MatrixRow(case=case, cells=cells, types=sum(1 for n in cells if n))


def matrix(site: Site, page_size: int = MATRIX_PAGE_SIZE) -> Matrix:
    """All cases on matrix/index.md while they fit; beyond ``page_size`` cases the index shows
    regions x measure types and each region's cases get their own pages of at most ``page_size`` rows."""
    columns = site.measures_in_use
    column = {t.key: i for i, t in enumerate(columns)}
    index = MatrixPage(path="matrix/index.md", rows=[])
    result = Matrix(columns=columns, pages=[index])
    if len(site.cases) <= page_size:
        index.rows = [_row(c, column) for c in site.cases]
        result.page_of = {c.id: index.path for c in site.cases}
        return result
    for region in site.regions_with_cases:
        cases = sorted(region.cases, key=lambda c: c.id)
        parts = (len(cases) + page_size - 1) // page_size
        counts = [0] * len(columns)
        for part in range(parts):
            chunk = cases[part * page_size:(part + 1) * page_size]
            path = f"matrix/{region.key}.md" if part == 0 else f"matrix/{region.key}-{part + 1}.md"
            rows = [_row(c, column) for c in chunk]
            for row in rows:
                for i, n in enumerate(row.cells):
                    counts[i] += 1 if n else 0
                result.page_of[row.case.id] = path
            page = MatrixPage(path=path, rows=rows, region=region, part=part + 1, parts=parts)
            if part:
                page.prev, result.pages[-1].next = result.pages[-1].path, path
            result.pages.append(page)
        result.regions.append(RegionRow(region=region, cells=counts, page=f"matrix/{region.key}.md"))
    return result


def labels(*path: str) -> dict:
    """The zh/en labels of an enumerated field of the case schema (x-labels), for the browser."""
    node = load_schema("case")
    for part in path:
        node = node[part]
    return node["x-labels"]


def _json(data, mark: str) -> str:
    """Deterministic JSON; ``mark`` goes in "$comment", sorted first, so casebook.write knows the file as generated."""
    return json.dumps({"$comment": mark, **data}, ensure_ascii=False, sort_keys=True, indent=None,
                      separators=(",", ":")) + "\n"


# The compact records' rows are arrays; the compare page has their column names once (templates/compare.md.j2,
# data-columns), as it has the names of measure types, metrics and provinces (issue 17: the keys repeated in
# every row were a sixth of a record). A row ends at its last value: trailing columns without one (null) are left out.
COMPARE_COLUMNS = {
    "locality": ["city", "county", "township", "community", "name_en"],
    "measures": ["type", "name", "name_en"],
    "metrics": ["metric", "value", "unit", "scope", "scope_en", "qualifier", "baseline", "base_value"],
    "baseline": ["value", "unit", "qualifier", "base_value"],
    "sources": ["title", "url", "publisher", "date"],
}


def _compare_row(kind: str, values: dict) -> list:
    row = [values.get(name) for name in COMPARE_COLUMNS[kind]]
    while row and row[-1] is None:
        row.pop()
    return row


def compare_record(case: Case) -> dict:
    """What the compare page shows of a case (docs/javascripts/casebook.js), and nothing more: at
    10,000 cases the full records were 214 MB of the site; they are in data/cases.json.gz.
    Names of measure types, metrics and provinces are keys only: the compare page carries each name once
    (#cb-labels, templates/compare.md.j2), not every record (issue 17: a third of a record). Rows are arrays
    (COMPARE_COLUMNS). A figure's value in its metric's base unit (what the English shows, in the metric's
    English unit) is given only where it is not the value as written (万人, 亿元). No title: the page names a
    case by its model's name (the title is the picker's, models/index.json)."""
    loc = case.locality

    def amount(a) -> dict:
        base = plain_number(a.base_value)
        return {"value": a.value, "unit": a.unit, "qualifier": a.qualifier, "base_value": None if base == a.value else base}

    def figure(v) -> list:
        baseline = _compare_row("baseline", amount(v.baseline)) if v.baseline is not None else None
        return _compare_row("metrics", {**amount(v.amount), "metric": v.metric.key, "scope": v.scope, "scope_en": v.scope_en,
                                "baseline": baseline})

    return {
        "id": case.id, "model": {"name": case.name, "name_en": case.name_en},
        "province": case.region.key,
        "locality": _compare_row("locality", {k: getattr(loc, k) for k in COMPARE_COLUMNS["locality"]}),
        "level": case.level, "lead_organisation": case.lead_organisation, "lead_organisation_en": case.lead_organisation_en,
        "period": {"start": case.period_start, "end": case.period_end}, "summary": case.summary, "summary_en": case.summary_en,
        "measures": [_compare_row("measures", {"type": u.term.key, "name": u.name, "name_en": u.name_en}) for u in case.measures],
        "metrics": [figure(v) for v in case.metrics],
        "sources": [_compare_row("sources", {"title": s.title, "url": s.url, "publisher": s.publisher, "date": s.date}) for s in case.sources],
    }


def case_json(case: Case, mark: str) -> str:
    """models/<id>.json: the compact record the compare page reads."""
    return _json(compare_record(case), mark)


def cases_index_json(site: Site, mark: str) -> str:
    """models/index.json: id, title and place of every case, for the compare page's picker."""
    return _json({"cases": [{"id": c.id, "title": c.title, "name": c.name, "province_zh": c.region.zh, "place": c.place}
                            for c in site.cases]}, mark)


def search_labels_json(site: Site, mark: str) -> str:
    """search/labels.json: the English name of each facet value (the index's values are Chinese), for the search
    page's English and bilingual views. A few hundred names whatever the number of cases."""
    levels = labels("properties", "level")
    return _json({"labels": {
        "province": {r.zh: r.en for r in site.regions},
        "level": {label["zh"]: label["en"] for label in levels.values()},
        "measure": {t.zh: t.en for t in site.measures},
        "tag": {t.zh: t.en for t in site.tags},
    }}, mark)
