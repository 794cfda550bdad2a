"""A blank case record, every field explained by its schema description (one source of truth)."""
from __future__ import annotations

import re

from .schema import load_schema, parse_field, subschema
from .yamlrender import render

ID_FORM = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def describe(field: str) -> str:
    """The schema's description of a field given as 'metrics.baseline.value' (list items implied)."""
    root = load_schema("case")
    path: tuple = ()
    for part in parse_field(field):
        path += (part,)
        if subschema(root, path).get("type") == "array":
            path += (0,)
    here = subschema(root, path[:-1] if path and path[-1] == 0 else path)
    text = here.get("description", "")
    if not text:
        raise KeyError(f"no description for {field} in schema/case.schema.json")
    return text


def blank_record(case_id: str, province: str, today: str) -> str:
    if not ID_FORM.match(case_id):
        raise ValueError(f"--id {case_id!r}: use lowercase pinyin words joined by hyphens, e.g. hubei-wuhan-wuchang-huajin")
    levels = list(load_schema("case")["properties"]["level"]["enum"])
    return render("new_case.yml.j2", id=case_id, province=province, added=today, levels=levels,
                  source_id=f"{case_id.split('-')[-1]}-1", describe=describe)
