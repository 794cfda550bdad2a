"""Repository conventions: every schema field documented for contributors, the schema referenced
from every case file, and the GitHub, pre-commit and CI files well-formed and wired to the project."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from casebook.links import CORRECTION_TEMPLATE, correction_issue_url
from casebook.scaffold import blank_record
from casebook.schema import _resolve, load_schema

ROOT = Path(__file__).resolve().parent.parent
MODELINE = "# yaml-language-server: $schema=../../../schema/case.schema.json"


def schema_fields() -> list[str]:
    """Every property of the case schema as documented: metrics[].baseline.value."""
    root = load_schema("case")
    out: list[str] = []

    def walk(schema: dict, prefix: str) -> None:
        schema = _resolve(schema, root)
        if schema.get("type") == "array" and "items" in schema:
            walk(schema["items"], prefix + "[]")
            return
        for key, sub in schema.get("properties", {}).items():
            path = f"{prefix}.{key}" if prefix else key
            out.append(path)
            walk(sub, path)

    walk(root, "")
    return out


def contributing_halves() -> tuple[str, str]:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    zh, en = text.split("\n## English\n")
    assert "## 中文" in zh and zh.index("## 中文") < len(zh)  # Chinese first, English after
    return zh, en


def test_schema_has_nested_fields():
    fields = schema_fields()
    assert len(fields) > 50 and "metrics[].baseline.value" in fields and "sources[].url" in fields


@pytest.mark.parametrize("field", schema_fields())
def test_every_schema_field_is_documented_in_both_languages(field):
    zh, en = contributing_halves()
    row = re.compile(r"^\| `" + re.escape(field) + r"`( \*)? \| .{4,}\|$", re.M)
    assert row.search(zh), f"{field} is not in the 字段说明 table of CONTRIBUTING.md"
    assert row.search(en), f"{field} is not in the field reference of CONTRIBUTING.md"


@pytest.mark.parametrize("field", schema_fields())
def test_required_marks_match_the_schema(field):
    root = load_schema("case")
    parent, _, name = field.rpartition(".")
    schema = root
    for part in filter(None, parent.replace("[]", "").split(".")):
        schema = _resolve(schema, root)
        schema = _resolve(schema.get("items", schema), root)["properties"][part]
    schema = _resolve(schema, root)
    schema = _resolve(schema.get("items", schema), root)
    required = name in schema.get("required", [])
    zh, en = contributing_halves()
    for half in (zh, en):
        marked = re.search(r"^\| `" + re.escape(field) + r"` \* \|", half, re.M) is not None
        assert marked == required, f"{field}: required is {required} in the schema"


def synonym_fields() -> list[tuple[str, bool]]:
    group = load_schema("synonyms")["$defs"]["group"]
    return [(name, name in group["required"]) for name in group["properties"]]


@pytest.mark.parametrize("field,required", synonym_fields())
def test_every_synonym_field_is_documented_in_both_languages(field, required):
    """data/synonyms.yml's fields are in both halves of CONTRIBUTING.md, marked * exactly when required."""
    for half in contributing_halves():
        row = re.search(r"^\| `<key>\." + re.escape(field) + r"`( \*)? \| .{4,}\|$", half, re.M)
        assert row, f"{field} of data/synonyms.yml is not documented in CONTRIBUTING.md"
        assert bool(row.group(1)) == required, f"{field}: required is {required} in the schema"


def test_contributing_commands_exist():
    zh, en = contributing_halves()
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("serve", "import", "check", "test", "build", "linkcheck"):
        assert re.search(rf"^{target}:", makefile, re.M), target
    for script in re.findall(r"scripts/[a-z_]+\.py", zh + en):
        assert (ROOT / script).is_file(), script


def test_every_case_file_references_the_schema():
    files = sorted((ROOT / "data" / "cases").rglob("*.yml"))
    assert len(files) >= 5
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        depth = len(path.relative_to(ROOT).parts) - 1
        assert first == f"# yaml-language-server: $schema={'../' * depth}schema/case.schema.json", path
        assert (path.parent / first.split("=", 1)[1]).resolve() == ROOT / "schema" / "case.schema.json"


def test_new_records_carry_the_modeline():
    assert blank_record("hubei-some-place", "hubei", "2024-01-01").startswith(MODELINE + "\n")
    template = (ROOT / "casebook" / "templates" / "skeleton.yml.j2").read_text(encoding="utf-8")
    assert template.startswith(MODELINE + "\n")


def test_blank_record_explains_every_field():
    text = blank_record("hubei-some-place", "hubei", "2024-01-01")
    data = yaml.safe_load(text)
    assert data["id"] == "hubei-some-place" and data["locality"]["province"] == "hubei"
    for field in schema_fields():
        name = field.rsplit(".", 1)[-1].replace("[]", "")
        assert re.search(rf"^\s*(# )?(- )?{re.escape(name)}:", text, re.M), f"{field} missing from the blank record"


def _yaml(path: str) -> dict:
    return yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))


@pytest.mark.parametrize("form", ["new_case.yml", "correction.yml"])
def test_issue_forms_are_well_formed(form):
    data = _yaml(f".github/ISSUE_TEMPLATE/{form}")
    assert {"name", "description", "body"} <= set(data)
    ids = [item["id"] for item in data["body"] if "id" in item]
    assert len(ids) == len(set(ids))
    for item in data["body"]:
        assert item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        assert "label" in item["attributes"] or item["type"] == "markdown"


def test_correction_link_fills_the_correction_form():
    form = _yaml(f".github/ISSUE_TEMPLATE/{CORRECTION_TEMPLATE}")
    ids = {item["id"] for item in form["body"] if "id" in item}
    url = correction_issue_url("https://github.com/o/r", "hubei-x", "标题", "https://s.example/")
    query = parse_qs(urlsplit(url).query)
    assert query["template"] == [CORRECTION_TEMPLATE]
    assert set(query) - {"template", "title"} <= ids
    with pytest.raises(ValueError):
        correction_issue_url("javascript:alert(1)", "x", "t")


def test_pull_request_template_has_a_checklist():
    text = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    assert text.count("- [ ]") >= 6 and "make check" in text and "TODO" in text


def test_pre_commit_runs_the_validator():
    config = _yaml(".pre-commit-config.yaml")
    hooks = [h for repo in config["repos"] for h in repo["hooks"]]
    hook = next(h for h in hooks if h["id"] == "casebook-check")
    assert config["repos"][0]["repo"] == "local" and hook["pass_filenames"] is False
    assert hook["entry"].endswith("check")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^check:.*\n\t\$\(PY\) scripts/build_pages\.py --check$", makefile, re.M)


def test_ci_validates_tests_builds_checks_links_and_deploys():
    ci = _yaml(".github/workflows/ci.yml")
    triggers = ci[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    steps = ci["jobs"]["build"]["steps"]
    runs = " ".join(s.get("run", "") for s in steps)
    for command in ("make check", "make test", "make build", "make linkcheck"):
        assert command in runs, command
    assert "--strict" in (ROOT / "Makefile").read_text(encoding="utf-8").split("\nbuild:")[1].split("\n\n")[0]
    uses = [s.get("uses", "") for job in ci["jobs"].values() for s in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    deploy = ci["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"} and "refs/heads/main" in deploy["if"]
