"""The synthetic corpus used by the benchmarks is valid and deterministic."""
from __future__ import annotations

import sys

from casebook.pipeline import build
from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from synth import write_corpus  # noqa: E402


def test_synthetic_corpus_is_valid_and_deterministic(tmp_path):
    write_corpus(40, tmp_path / "a")
    write_corpus(40, tmp_path / "b")
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a)
    site, pages = build(tmp_path / "a")
    assert len(site.cases) == 40
    assert len({c.region.key for c in site.cases}) > 10
