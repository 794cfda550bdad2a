"""Small pure functions: number extraction, text folding, YAML positions, schemas themselves."""
from __future__ import annotations

import json

import jsonschema
import pytest

from casebook.schema import SCHEMA_DIR
from casebook.textnorm import fold, numbers_in, tidy
from casebook.yamlsafe import parse_yaml


@pytest.mark.parametrize("text, number", [
    ("受众千余人次", 1000), ("每天步行一万步以上", 10000), ("落实5万多元专项经费", 5), ("落实5万多元专项经费", 50000),
    ("捐款20.51万元", 20.51), ("近4成", 4), ("二十年来", 20), ("8支队伍295人", 295), ("1,000多人", 1000),
    ("两年来", 2), ("一百二十人", 120),
])
def test_numbers_in(text, number):
    assert float(number) in numbers_in(text)


def test_numbers_in_does_not_count_wan_twice():
    assert 10000.0 not in numbers_in("5万多元")


def test_fold_ignores_script_width_quotes_and_spaces():
    assert fold("黨建引領 “網格”，") == fold('党建引领"网格",')


def test_tidy_drops_spaces_between_chinese_only():
    assert tidy("组织起来，\n 归纳出") == "组织起来，归纳出"
    assert tidy("grew from\n 4 teams") == "grew from 4 teams"


def test_positions_and_plain_scalars():
    doc, problems = parse_yaml("a: 1\nb:\n  - x\n  - 2019-11-27\nc: no\nd: 1.5\n".encode(), "f.yml")
    assert problems == []
    assert doc.data == {"a": 1, "b": ["x", "2019-11-27"], "c": "no", "d": 1.5}
    assert doc.where(("b", 1)) == (4, 5)
    assert doc.where(("b",), key=True) == (2, 1)
    assert doc.where(("zz", "yy")) == (1, 1)


def test_bom_is_accepted():
    doc, problems = parse_yaml("\ufeffa: 1\n".encode(), "f.yml")
    assert problems == [] and doc.data == {"a": 1}


def test_oversized_file_is_refused():
    _, problems = parse_yaml(b"a: " + b"x" * 300_000, "f.yml")
    assert "limit" in problems[0].message


@pytest.mark.parametrize("name", ["case", "terms", "metrics", "regions"])
def test_schemas_are_valid_draft_2020_12(name):
    schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)


def test_case_schema_rejects_unknown_keys_everywhere():
    """Every object in the case schema closes itself, so a renamed option can never be ignored silently."""
    schema = json.loads((SCHEMA_DIR / "case.schema.json").read_text(encoding="utf-8"))

    def objects(node, path="$"):
        if isinstance(node, dict):
            if node.get("type") == "object":
                yield path, node
            for key, value in node.items():
                yield from objects(value, f"{path}.{key}")
    for path, node in objects(schema):
        assert node.get("additionalProperties") is False, path


def test_taxonomy_files_carry_their_schema_modeline():
    from conftest import ROOT
    for name, schema in (("tags", "terms"), ("measures", "terms"), ("metrics", "metrics"), ("regions", "regions")):
        first = (ROOT / "data" / f"{name}.yml").read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../schema/{schema}.schema.json"


@pytest.mark.parametrize("text", ["1. 第一", "- 列表", "+ 列表", "---", "===", ": 定义", "~~删除~~", "^^插入^^", "!注意"])
def test_md_escape_neutralises_line_start_markers(text):
    import markdown
    from casebook.render import md_escape
    html = markdown.markdown("前一段\n\n" + md_escape(text) + "\n", extensions=["tables", "attr_list", "md_in_html", "def_list"])
    assert "<ol>" not in html and "<ul>" not in html and "<hr" not in html and "<h1" not in html and "<h2" not in html
    assert "<dl>" not in html and "<del>" not in html and "<ins>" not in html
