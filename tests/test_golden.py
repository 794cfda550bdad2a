"""Golden tests of rendered Markdown: tests/golden/NAME.yml (first line: where it goes under data/) renders
models/<id>.md exactly as tests/golden/NAME.expected.md. UPDATE_GOLDEN=1 rewrites the expected files."""
from __future__ import annotations

import os
import shutil

import pytest

from casebook.pipeline import build
from conftest import ROOT

GOLDEN = sorted((ROOT / "tests" / "golden").glob("*.yml"))


@pytest.mark.parametrize("fixture", GOLDEN, ids=lambda p: p.stem)
def test_model_page_markdown(fixture, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for name in ("tags.yml", "measures.yml", "metrics.yml", "regions.yml"):
        shutil.copy(ROOT / "data" / name, data / name)
    shutil.copytree(ROOT / "data" / "sources", data / "sources")
    shutil.copy(ROOT / "tests" / "fixtures" / "evil-source.txt", data / "sources" / "beijing-evil-case.txt")
    header, body = fixture.read_bytes().split(b"\n", 1)
    target = data / header.decode().removeprefix("# place: ").strip()
    target.parent.mkdir(parents=True)
    target.write_bytes(body)
    _, pages = build(data)
    rendered = pages[f"models/{target.stem}.md"]
    expected = fixture.with_name(fixture.stem + ".expected.md")
    if os.environ.get("UPDATE_GOLDEN"):
        expected.write_text(rendered, encoding="utf-8")
    assert rendered == expected.read_text(encoding="utf-8")
