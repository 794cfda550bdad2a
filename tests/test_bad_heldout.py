"""Held-out bad inputs (tests/bad_heldout/): each is rejected with the file named, the line where
it applies, no traceback, and no generated file changed."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import hand_written_docs

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "bad_heldout"
CASES = sorted(p.stem for p in BAD.glob("heldout-*.yml"))


def build_pages(data: Path, docs: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "build_pages.py"), "--data", str(data), "--docs", str(docs), *extra],
                          capture_output=True, text=True)


def snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """docs/ with every page generated from the real data: what a bad edit must leave alone."""
    base = tmp_path_factory.mktemp("heldout")
    docs = hand_written_docs(base / "docs")
    result = build_pages(ROOT / "data", docs)
    assert result.returncode == 0, result.stderr
    return docs, snapshot(docs)


def test_every_bad_input_has_expectations():
    assert len(CASES) >= 25
    for stem in CASES:
        assert (BAD / f"{stem}.expected").is_file(), stem


def test_the_base_record_is_valid(tmp_path, generated):
    """The variants differ from a valid record by one mistake each; the record itself builds."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    text = (BAD / "valid-base.yml.txt").read_text(encoding="utf-8").replace("STEM", "heldout-base")
    (data / "cases" / "hubei" / "heldout-base.yml").write_text(text, encoding="utf-8")
    docs = tmp_path / "docs"
    shutil.copytree(generated[0], docs)
    result = build_pages(data, docs)
    assert result.returncode == 0, result.stderr
    assert (docs / "models" / "heldout-base.md").is_file()


@pytest.mark.parametrize("stem", CASES)
def test_bad_input_is_rejected_clearly(stem, tmp_path, generated):
    docs_before, before = generated
    expected = (BAD / f"{stem}.expected").read_text(encoding="utf-8").splitlines()
    place = f"data/cases/hubei/{stem}.yml"
    if expected and expected[0].startswith("place: "):
        place = expected.pop(0)[len("place: "):]
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    target = tmp_path / place
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(BAD / f"{stem}.yml", target)
    docs = tmp_path / "docs"
    shutil.copytree(docs_before, docs)

    result = build_pages(data, docs)
    report = result.stdout + result.stderr
    assert result.returncode == 1, report
    assert "Traceback" not in report and "Error:" not in report.split("\n")[0], report
    assert place in report, f"the file {place} is not named:\n{report}"
    for line in filter(None, expected):
        assert line.replace("{file}", place) in report, f"missing {line!r} in:\n{report}"
    assert "nothing was written" in report
    for line in report.splitlines():  # every problem line has the path:line:col: form
        if line and not line.startswith((" ", "\n")) and "problem" not in line:
            assert line.split(":")[0].startswith("data/"), line
    assert snapshot(docs) == before, "a generated file changed although the data was refused"


def test_oversized_file_is_refused_without_reading_it(tmp_path, generated):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    big = data / "cases" / "hubei" / "heldout-huge.yml"
    big.write_bytes(b"# " + b"x" * (300 * 1024) + b"\nid: heldout-huge\n")
    docs = tmp_path / "docs"
    shutil.copytree(generated[0], docs)
    result = build_pages(data, docs)
    assert result.returncode == 1
    assert "data/cases/hubei/heldout-huge.yml:1:1: (file): file is 307,220 bytes; the limit is 262,144" in result.stderr
    assert snapshot(docs) == generated[1]


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    """Three unrelated mistakes in one file: all three in one run."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    text = (BAD / "valid-base.yml.txt").read_text(encoding="utf-8").replace("STEM", "heldout-three")
    text = text.replace("level: community", "level: district").replace("kind: newspaper", "kind: paper").replace("sumary", "x")
    text = text.replace("  - volunteering", "  - volunteer")
    (data / "cases" / "hubei" / "heldout-three.yml").write_text(text, encoding="utf-8")
    result = build_pages(data, tmp_path / "docs", "--check")
    assert result.returncode == 1
    assert "level: 'district' is not one of" in result.stderr
    assert "sources[0].kind: 'paper' is not one of" in result.stderr
    assert "2 problems found" in result.stderr  # the tag is checked once the structure is right
