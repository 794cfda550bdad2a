"""Pages whose Markdown another process converts (casebook/markdown_jobs.py) still report their
problems as MkDocs would: a broken link on such a page is a warning that fails the strict build,
naming the page. (That both ways give the same bytes is in tests/test_engines.py.)"""
from __future__ import annotations

import re

from conftest import ROOT, hand_written_docs, mkdocs_build


def test_warnings_of_pages_converted_elsewhere_fail_the_strict_build(tmp_path):
    docs = hand_written_docs(tmp_path / "docs")
    for k in range(1, 5):  # side by side in MkDocs' order, so the other process converts some of them
        docs.joinpath(f"broken-{k}.md").write_text(f"# Broken {k}\n\n[a missing page](missing-{k}.md)\n", encoding="utf-8")
    result = mkdocs_build(ROOT / "data", docs, tmp_path / "site", {"CASEBOOK_JOBS": "2"})
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert re.search(r"Markdown of \d+ pages converted, [1-9]\d* of them in 1 other process", log), log
    for k in range(1, 5):
        assert re.search(rf"WARNING .*'broken-{k}\.md'.*'missing-{k}\.md'", log), log
    assert "not included in the \"nav\" configuration" in log  # the fifth warning: the pages are not in the nav
    assert "Aborted with 5 warnings in strict mode" in log, log
