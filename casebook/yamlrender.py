"""Render YAML files (the skeleton of a new case) from Jinja templates.

The Markdown renderer escapes for Markdown; here every ``{{ expression }}`` becomes a YAML
scalar instead (PyYAML's emitter quotes whatever needs quoting), so text taken from an
article can never break the structure of the file it is written into. The ``comment``
filter makes text safe inside a ``# comment`` (one line).
"""
from __future__ import annotations

import jinja2

from .yamlsafe import dump_yaml


class Raw(str):
    """Text the template itself composed (an indented block, a key); written as it is."""


def yaml_scalar(value) -> str:
    """One YAML scalar on one line: plain when safe, quoted otherwise."""
    if isinstance(value, Raw):
        return str(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = dump_yaml(value, flow=True)
    for end in ("\n...\n", "\n"):
        if text.endswith(end):
            text = text[: -len(end)]
            break
    return text


def comment(value) -> Raw:
    """Text for a ``# comment``: one line, so it cannot end the comment and start YAML."""
    return Raw(" ".join(str(value).split()))


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("casebook", "templates"),
        undefined=jinja2.StrictUndefined,
        finalize=yaml_scalar,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["comment"] = comment
    env.filters["raw"] = Raw
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)


__all__ = ["Raw", "comment", "environment", "render", "yaml_scalar"]
