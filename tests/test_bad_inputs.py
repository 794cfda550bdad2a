"""Golden tests of bad input: each tests/bad/NAME.yml goes into a copy of data/ at the place its first line
names; the build must exit 1, print exactly tests/bad/NAME.expected, show no traceback, and change nothing.
Each rule also has a good file, tests/good/NAME.yml: the right form of what its bad file gets wrong, which
must pass with exactly tests/good/NAME.expected (the --check summary).

Regenerate the expected files after a deliberate wording change with UPDATE_GOLDEN=1, then read the diff."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, hand_written_docs

BAD_DIR = ROOT / "tests" / "bad"
BAD = sorted(BAD_DIR.glob("*.yml"))
GOOD = sorted((ROOT / "tests" / "good").glob("*.yml"))


def place(fixture: Path, data: Path) -> Path:
    header, body = fixture.read_bytes().split(b"\n", 1)
    target = data / header.decode().removeprefix("# place: ").strip()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    return target


def build_pages(data: Path, docs: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "build_pages.py"), "--data", str(data), "--docs", str(docs), *extra],
                          capture_output=True, text=True, cwd=ROOT)


def snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture
def workspace(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    docs = hand_written_docs(tmp_path / "docs")
    first = build_pages(data, docs)
    assert first.returncode == 0, first.stderr
    return data, docs


def test_base_fixture_is_valid(workspace):
    """The bad inputs are this valid record with one kind of defect each."""
    data, docs = workspace
    place(ROOT / "tests" / "fixtures" / "valid-case.yml", data)
    result = build_pages(data, docs, "--check")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("fixture", BAD, ids=lambda p: p.stem)
def test_bad_input_is_reported_and_changes_nothing(fixture, workspace):
    data, docs = workspace
    before = snapshot(docs)
    place(fixture, data)
    result = build_pages(data, docs)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    expected_file = fixture.with_suffix(".expected")
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text(result.stderr, encoding="utf-8")
    assert result.stderr == expected_file.read_text(encoding="utf-8")
    assert snapshot(docs) == before, "a failed build must not change docs/"
    for line in result.stderr.splitlines():
        if line and not line.startswith((" ", "\t")) and "problem" not in line:
            assert line.startswith("data/"), f"every problem names its file: {line}"
            assert "    Hint: " in result.stderr


@pytest.mark.parametrize("fixture", GOOD, ids=lambda p: p.stem)
def test_good_input_passes(fixture, tmp_path):
    """The right form of each rule's bad input is accepted (the rules must not reject valid records)."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    place(fixture, data)
    result = build_pages(data, hand_written_docs(tmp_path / "docs"), "--check")
    expected_file = fixture.with_suffix(".expected")
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text(result.stdout + result.stderr, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    assert result.stdout + result.stderr == expected_file.read_text(encoding="utf-8")
