"""bench/search_synth.py: the synthetic corpus is valid (schema and validator) and the same for the same seed."""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from casebook.pipeline import build

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import search_synth as synth  # noqa: E402


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def test_search_corpus_is_valid_and_deterministic(tmp_path):
    data = synth.write_corpus(tmp_path / "a", 40, seed=7)
    site, pages = build(data)  # raises DataError listing every problem if a record is invalid
    assert len(site.cases) == 45  # 40 synthetic + the 5 real ones
    assert len({c.region.key for c in site.cases}) > 10
    assert any("”工作法" in c.name for c in site.cases)
    assert _digest(data) == _digest(synth.write_corpus(tmp_path / "b", 40, seed=7))
    assert _digest(data) != _digest(synth.write_corpus(tmp_path / "c", 40, seed=8))
