"""scripts/build_pages.py: --check writes nothing, generation owns only its pages, a failed build changes nothing,
and the same input gives the same bytes."""
from __future__ import annotations

import shutil

import pytest
import yaml

from conftest import ROOT, hand_written_docs, mkdocs_build
from test_bad_inputs import build_pages, place, snapshot


@pytest.fixture
def project(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    docs = hand_written_docs(tmp_path / "docs")
    return data, docs


def test_check_validates_and_writes_nothing(project):
    data, docs = project
    before = snapshot(docs)
    result = build_pages(data, docs, "--check")
    assert result.returncode == 0, result.stderr
    assert "nothing written" in result.stdout
    assert snapshot(docs) == before


def test_generation_writes_pages_then_only_what_changed(project):
    data, docs = project
    first = build_pages(data, docs)
    assert first.returncode == 0, first.stderr
    assert (docs / "models" / "beijing-xicheng-desheng-12345.md").is_file()
    assert (docs / "about.md").read_bytes() == (ROOT / "docs" / "about.md").read_bytes()
    second = build_pages(data, docs)
    assert "0 written, 0 removed" in second.stdout
    case = data / "cases" / "hubei" / "hubei-wuhan-wuchang-huajin.yml"
    case.write_text(case.read_text(encoding="utf-8").replace("summary_en: >-", "summary_en: >-\n  Edited.", 1), encoding="utf-8")
    third = build_pages(data, docs)
    # the case's page, its compact JSON for the comparison page (which shows the summary in the English view),
    # the downloads that carry its summary: cases.csv.zip, cases.json.gz, datapackage.json, feed.xml,
    # and the feeds of its region and of each of its tags
    tags = len(yaml.safe_load(case.read_text(encoding="utf-8"))["tags"])
    assert f"{6 + 1 + tags} written, 0 removed" in third.stdout, third.stdout


def test_removed_case_removes_its_generated_page_but_never_a_hand_written_one(project):
    data, docs = project
    build_pages(data, docs)
    (docs / "models" / "notes.md").write_text("# my notes\n", encoding="utf-8")
    (data / "cases" / "hubei" / "hubei-wuhan-wuchang-huajin.yml").unlink()
    result = build_pages(data, docs)
    assert result.returncode == 0, result.stderr
    assert not (docs / "models" / "hubei-wuhan-wuchang-huajin.md").exists()
    assert (docs / "models" / "notes.md").read_text(encoding="utf-8") == "# my notes\n"


def test_hand_written_page_in_the_way_is_refused(project):
    data, docs = project
    (docs / "tags").mkdir()
    (docs / "tags" / "grid-governance.md").write_text("# hand-written\n", encoding="utf-8")
    before = snapshot(docs)
    result = build_pages(data, docs)
    assert result.returncode == 1
    assert "hand-written file is in the way" in result.stderr
    assert snapshot(docs) == before


def test_many_problems_are_reported_at_once(project):
    data, docs = project
    for name in ("tabs", "unknown-key", "evidence-absent"):
        fixture = ROOT / "tests" / "bad" / f"{name}.yml"
        target = place(fixture, data)
        target.rename(target.with_name(f"beijing-{name}.yml"))
    result = build_pages(data, docs)
    assert result.returncode == 1
    assert "beijing-tabs.yml:7:1" in result.stderr
    assert "beijing-unknown-key.yml:20:1" in result.stderr
    assert "beijing-evidence-absent.yml:28:15" in result.stderr


def test_same_input_same_bytes(tmp_path):
    """Two full builds of the real data give byte-identical sites."""
    sites = []
    for n in (1, 2):
        base = tmp_path / f"b{n}"
        docs = hand_written_docs(base / "docs")
        result = mkdocs_build(ROOT / "data", docs, base / "site", {"SOURCE_DATE_EPOCH": "1700000000"})
        assert result.returncode == 0, result.stderr
        sites.append(snapshot(base / "site"))
    assert sites[0].keys() == sites[1].keys()
    differing = [k for k in sites[0] if sites[0][k] != sites[1][k]]
    assert differing == []


def test_mkdocs_build_on_bad_data_reports_and_changes_nothing(tmp_path):
    """`mkdocs build` generates in a child process; its report still reaches the reader, whole,
    without a traceback, and the docs directory is left as it was."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    case = sorted((data / "cases").rglob("*.yml"))[0]
    case.write_text(case.read_text(encoding="utf-8").replace("level: ", "level: planet-", 1), encoding="utf-8")
    docs = hand_written_docs(tmp_path / "docs")
    before = snapshot(docs)
    result = mkdocs_build(data, docs, tmp_path / "site")
    assert result.returncode != 0
    assert "casebook: invalid data" in result.stderr and f"{case.relative_to(data).as_posix()}:" in result.stderr
    assert "Hint:" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(docs) == before
