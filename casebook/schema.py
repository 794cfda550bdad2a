"""Validate documents against the committed JSON Schemas and turn errors into Problems.

The schema files under ``schema/`` are the one source of truth for structure: editors read
them through the yaml-language-server modeline, and this module reads the same files. Hints
come from each field's ``x-hint`` (or ``description``) in the schema, so they cannot drift.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import json
import re
from pathlib import Path

import jsonschema
from .problems import Problem, format_path
from .yamlsafe import Document, dump_yaml

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"
SCHEMA_FILES = {
    "case": "case.schema.json",
    "terms": "terms.schema.json",
    "metrics": "metrics.schema.json",
    "regions": "regions.schema.json",
    "synonyms": "synonyms.schema.json",
}

_FORMATS = jsonschema.FormatChecker(formats=())
_PARTIAL = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


@_FORMATS.checks("date", raises=ValueError)
def _is_date(value) -> bool:
    if isinstance(value, str):
        dt.date.fromisoformat(value)
    return True


@_FORMATS.checks("partial-date", raises=ValueError)
def _is_partial_date(value) -> bool:
    if not isinstance(value, str):
        return True
    match = _PARTIAL.match(value)
    if not match:
        return True  # the pattern keyword reports the shape
    year, month, day = (int(g) if g else None for g in match.groups())
    dt.date(year, month or 1, day or 1)
    return True


@functools.lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / SCHEMA_FILES[name]).read_text(encoding="utf-8"))


def _inline_refs(node, root: dict):
    """The schema with every local $ref replaced by its target. Same rules, but the validator no longer
    resolves a reference for each of the ~100 fields of each case (it was most of the validation time)."""
    if isinstance(node, dict):
        node = _resolve(node, root) if "$ref" in node else node
        return {k: _inline_refs(v, root) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline_refs(v, root) for v in node]
    return node


@functools.lru_cache(maxsize=None)
def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = load_schema(name)
    return jsonschema.Draft202012Validator(_inline_refs(schema, schema), format_checker=_FORMATS)


def _resolve(schema: dict, root: dict) -> dict:
    while "$ref" in schema and schema["$ref"].startswith("#/"):
        target = root
        for part in schema["$ref"][2:].split("/"):
            target = target[part]
        merged = dict(target)
        merged.update({k: v for k, v in schema.items() if k != "$ref"})
        schema = merged
    return schema


def subschema(root: dict, path: tuple) -> dict:
    """The schema that governs the value at ``path`` (for hints and allowed keys)."""
    schema = _resolve(root, root)
    for part in path:
        if isinstance(part, int):
            schema = schema.get("items", {})
        elif part in schema.get("properties", {}):
            schema = schema["properties"][part]
        elif isinstance(schema.get("additionalProperties"), dict):
            schema = schema["additionalProperties"]
        else:
            return {}
        schema = _resolve(schema, root)
    return schema


def example_for(root: dict, path: tuple) -> str:
    """The right form of the value at ``path``, from the schema's ``examples`` (the nearest level that has one),
    written as YAML lines a contributor can copy: ``added: 2019-11-27`` or ``tags:\n- grid-governance``."""
    path = tuple(path)
    while path:
        here = subschema(root, path)
        if here.get("examples"):
            value = here["examples"][0]
            key = path[-1]
            if isinstance(key, int):
                named = next((p for p in reversed(path[:-1]) if isinstance(p, str)), "")
                text = dump_yaml({named: [value]} if named else [value])
            else:
                text = dump_yaml({key: value})
            return text.strip()
        path = path[:-1]
    return ""


def _hint(schema: dict) -> str:
    return schema.get("x-hint") or schema.get("description", "")


_TYPE_NAMES = {"string": "a string", "number": "a number", "integer": "a whole number", "object": "a mapping (key: value lines)",
               "array": "a list (lines starting with '- ')", "boolean": "true or false", "null": "nothing"}


def _type_of(value) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a string ({value[:30]!r})"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? " if close else ""


def _problems_for(error: jsonschema.ValidationError, doc: Document, root: dict) -> list[Problem]:
    return [_with_example(p, root, tuple(error.absolute_path)) for p in _bare_problems_for(error, doc, root)]


def _bare_problems_for(error: jsonschema.ValidationError, doc: Document, root: dict) -> list[Problem]:
    path = tuple(error.absolute_path)
    field = format_path(path)
    here = subschema(root, path)
    line, col = doc.where(path)
    v = error.validator
    if v == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(here.get("properties", {}))
        out = []
        for key in sorted(set(error.instance) - allowed):
            kline, kcol = doc.where(path + (key,), key=True)
            out.append(Problem(doc.path, kline, kcol, format_path(path + (key,)), f"unknown key '{key}'",
                               f"{did_you_mean(key, allowed)}allowed keys here: {', '.join(sorted(allowed))}"))
        return out
    if v == "required":
        missing = re.search(r"'([^']+)' is a required property", error.message)
        name = missing.group(1) if missing else str(error.validator_value)
        child = subschema(root, path + (name,))
        return [Problem(doc.path, line, col, format_path(path + (name,)), "required field is missing",
                        _hint(child) or f"add {name}:")]
    if v == "type":
        wanted = error.validator_value
        wanted = " or ".join(_TYPE_NAMES.get(t, t) for t in (wanted if isinstance(wanted, list) else [wanted]))
        return [Problem(doc.path, line, col, field, f"expected {wanted}, got {_type_of(error.instance)}", _hint(here))]
    if v == "enum":
        choices = [str(c) for c in error.validator_value]
        return [Problem(doc.path, line, col, field, f"{error.instance!r} is not one of: {', '.join(choices)}",
                        did_you_mean(error.instance, choices) + _hint(here))]
    if v == "format":
        return [Problem(doc.path, line, col, field, f"{error.instance!r} is not a real date", _hint(here))]
    if v == "pattern":
        return [Problem(doc.path, line, col, field, f"{error.instance!r} does not have the expected form", _hint(here))]
    if v in ("minLength", "minItems") and not error.instance:
        return [Problem(doc.path, line, col, field, "must not be empty", _hint(here))]
    if v == "maxLength":
        return [Problem(doc.path, line, col, field, f"is {len(error.instance)} characters; at most {error.validator_value} allowed",
                        _hint(here))]
    if v == "uniqueItems":
        return [Problem(doc.path, line, col, field, "lists the same entry twice", "remove the repeated entry")]
    if v == "propertyNames":
        return [Problem(doc.path, line, col, field, f"key {error.instance!r} does not have the expected form",
                        "keys are lowercase ASCII words joined by hyphens")]
    return [Problem(doc.path, line, col, field, error.message, _hint(here))]


_FIELD_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_field(field: str) -> tuple:
    """'measures[2].evidence' -> ('measures', 2, 'evidence'); the inverse of problems.format_path."""
    return tuple(int(i) if i else name for name, i in _FIELD_PART.findall(field))


def _with_example(problem: Problem, root: dict, path: tuple) -> Problem:
    if problem.example:
        return problem
    suggested = re.match(r"did you mean '([^']+)'", problem.hint)
    field_path = parse_field(problem.field)
    if problem.message.startswith("unknown key"):
        if not suggested:
            return problem
        field_path = field_path[:-1] + (suggested.group(1),)
    example = example_for(root, field_path)
    return dataclasses.replace(problem, example=example) if example else problem


def schema_problems(doc: Document, name: str) -> list[Problem]:
    """All structural problems of ``doc`` against the schema ``name`` (memoised on the document)."""
    key = ("schema", name)
    if key not in doc.memo:
        doc.memo[key] = _schema_problems(doc, name)
    return list(doc.memo[key])


def _schema_problems(doc: Document, name: str) -> list[Problem]:
    root = load_schema(name)
    problems: list[Problem] = []
    for error in _validator(name).iter_errors(doc.data):
        if error.validator == "propertyNames" and error.context:
            error = error.context[0]
        if "propertyNames" in error.relative_schema_path and isinstance(error.instance, str):
            # a key of the wrong form: jsonschema gives the mapping's path, so place it at the key
            parent, key = tuple(error.absolute_path), error.instance
            line, col = doc.where(parent + (key,), key=True)
            problems.extend(dataclasses.replace(p, line=line, col=col, field=format_path(parent + (key,)))
                            for p in _problems_for(error, doc, root))
            continue
        problems.extend(_problems_for(error, doc, root))
    return problems
