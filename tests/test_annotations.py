"""`scripts/build_pages.py --format github`: every problem as a GitHub workflow annotation at its file, line
and column, escaped as the runner requires. Golden files: tests/annotations/NAME.yml (problems) next to
NAME.github (written by hand from GitHub's escaping rules), and each tests/bad/NAME.yml next to NAME.github
(regenerate those with UPDATE_GOLDEN=1 after a deliberate wording change, then read the diff)."""
from __future__ import annotations

import os
import re
import shutil

import pytest
import yaml

from casebook.problems import Problem, github_annotation
from conftest import ROOT
from test_bad_inputs import BAD, build_pages, place

ANNOTATIONS = sorted((ROOT / "tests" / "annotations").glob("*.yml"))
COMMAND = re.compile(r"::error file=([^,]+),line=(\d+),col=(\d+),title=([^:]*)::(.*)")


@pytest.mark.parametrize("source", ANNOTATIONS, ids=lambda p: p.stem)
def test_annotation_escaping(source):
    problems = [Problem(**item) for item in yaml.safe_load(source.read_text(encoding="utf-8"))]
    expected = source.with_suffix(".github").read_text(encoding="utf-8")
    assert "".join(github_annotation(p) + "\n" for p in problems) == expected


def test_each_annotation_is_one_line_whatever_the_message():
    problem = Problem("data/x.yml", 2, 3, "f", "a\nb\rc\r\n::warning::d", "e\nf")
    line = github_annotation(problem)
    assert "\n" not in line and "\r" not in line
    assert line.count("::") == 4  # "::error", "::" before the message, and the two in the message's own text


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    base = tmp_path_factory.mktemp("annotations")
    shutil.copytree(ROOT / "data", base / "data")
    return base


@pytest.mark.parametrize("fixture", BAD, ids=lambda p: p.stem)
def test_bad_file_gives_annotations_at_its_lines(fixture, pristine, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(pristine / "data", data)
    place(fixture, data)
    result = build_pages(data, tmp_path / "docs", "--check", "--format", "github")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    expected_file = fixture.with_suffix(".github")
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == expected_file.read_text(encoding="utf-8")
    # the same places as the plain report, which still goes to stderr for the log
    assert result.stderr == fixture.with_suffix(".expected").read_text(encoding="utf-8")
    plain = [line.split(": ", 1)[0] for line in result.stderr.splitlines() if line.startswith("data/")]
    annotations = [COMMAND.fullmatch(line) for line in result.stdout.splitlines()]
    assert all(annotations), result.stdout
    assert [f"{m[1]}:{m[2]}:{m[3]}" for m in annotations] == plain


def test_plain_stays_the_default(pristine, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(pristine / "data", data)
    place(BAD[0], data)
    result = build_pages(data, tmp_path / "docs", "--check")
    assert result.returncode == 1 and result.stdout == "" and "::error" not in result.stderr


def test_valid_data_prints_no_annotation(pristine, tmp_path):
    result = build_pages(pristine / "data", tmp_path / "docs", "--check", "--format", "github")
    assert result.returncode == 0, result.stderr
    assert "::" not in result.stdout and result.stdout.startswith("ok: ")
