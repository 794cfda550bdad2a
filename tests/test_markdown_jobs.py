"""Pages whose Markdown another process converts (casebook/markdown_jobs.py) come out as MkDocs' own
(HTML, title, table of contents, anchors) and still report their problems as MkDocs would: a broken
link on such a page is a warning that fails the strict build, naming the page. A worker that never
answers leaves the rest of the pages to MkDocs instead of holding the build. (That a whole site
comes out the same bytes either way is in tests/test_engines.py.)"""
from __future__ import annotations

import re

import pytest

from conftest import ROOT, hand_written_docs, mkdocs_build


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_warnings_of_pages_converted_elsewhere_fail_the_strict_build(tmp_path, engine):
    docs = hand_written_docs(tmp_path / "docs")
    for k in range(1, 5):  # side by side in MkDocs' order, so the other process converts some of them
        docs.joinpath(f"broken-{k}.md").write_text(f"# Broken {k}\n\n[a missing page](missing-{k}.md)\n", encoding="utf-8")
    result = mkdocs_build(ROOT / "data", docs, tmp_path / "site", {"CASEBOOK_JOBS": "2"}, engine=engine)
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert re.search(r"Markdown of \d+ pages converted, [1-9]\d* of them in 1 other process", log), log
    warned = re.findall(r"WARNING .*'broken-(\d)\.md'.*'missing-\1\.md'", log)
    assert warned == ["1", "2", "3", "4"], log  # each once, in MkDocs' order (not as the worker got to them)
    assert "not included in the \"nav\" configuration" in log  # the fifth warning: the pages are not in the nav
    assert "Aborted with 5 warnings in strict mode" in log, log


def _project(tmp_path, pages: int):
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    docs = tmp_path / "docs"
    docs.mkdir()
    for k in range(pages):
        docs.joinpath(f"p{k:03}.md").write_text(f"# Page {k}\n\n## Part\n\n[next](p{k + 1:03}.md)\n", encoding="utf-8")
    tmp_path.joinpath("mkdocs.yml").write_text("site_name: t\nplugins: []\nmarkdown_extensions: [toc]\n", encoding="utf-8")
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"))
    return config, get_files(config)


def _slow(src_uris):
    import time

    time.sleep(30)


def test_a_worker_that_never_answers_leaves_the_pages_to_mkdocs(tmp_path, monkeypatch, caplog):
    from mkdocs.structure.pages import Page

    from casebook import markdown_jobs

    config, files = _project(tmp_path, markdown_jobs.MIN_PAGES)
    monkeypatch.setattr(markdown_jobs, "WAIT", 1)
    monkeypatch.setattr(markdown_jobs, "_convert_all", _slow)  # forked after this: the worker runs it
    jobs = markdown_jobs.MarkdownJobs()
    assert jobs.start(config, files, 2) == markdown_jobs.MIN_PAGES // 2
    pages = [Page(None, f, config) for f in files.documentation_pages()]
    with caplog.at_level("INFO", logger="mkdocs"):
        for page in pages:
            jobs.take(page, files)
            page.read_source(config)
            page.render(config, files)  # MkDocs' own, as no result came
    assert "no answer from the process converting Markdown" in caplog.text
    assert all("render" not in vars(page) and page.content.startswith("<h1 id=\"page-") for page in pages)
    assert jobs.stop()[1] == 0 and jobs.pool is None


def test_pages_converted_by_a_worker_equal_mkdocs_own(tmp_path):
    from mkdocs.structure.pages import Page

    from casebook import markdown_jobs

    config, files = _project(tmp_path, markdown_jobs.MIN_PAGES)
    jobs = markdown_jobs.MarkdownJobs()
    handed = jobs.start(config, files, 2)
    took = 0
    for f in files.documentation_pages():
        page, own = Page(None, f, config), Page(None, f, config)
        jobs.take(page, files)
        took += "render" in vars(page)  # the worker's result, taken when MkDocs renders the page
        for p in (page, own):
            p.read_source(config)
            p.render(config, files)
        assert (page.content, page.title, page.present_anchor_ids) == (own.content, own.title, own.present_anchor_ids)
        assert [(a.id, a.title, [c.id for c in a.children]) for a in page.toc] == [(a.id, a.title, [c.id for c in a.children]) for a in own.toc]
        assert "render" not in vars(page)  # its own render again, for a rebuild
    assert took == jobs.stop()[1] == handed == markdown_jobs.MIN_PAGES // 2


_RENDER = None  # MkDocs' own Page.render, kept by the test below


def _render_fails_on_page_3(page, config, files):
    if page.file.src_uri == "p003.md":
        raise ValueError("a broken extension")
    return _RENDER(page, config, files)


def test_a_page_the_worker_cannot_convert_is_converted_by_mkdocs(tmp_path, monkeypatch):
    from mkdocs.structure.pages import Page

    from casebook import markdown_jobs

    global _RENDER
    _RENDER = Page.render
    config, files = _project(tmp_path, markdown_jobs.MIN_PAGES)
    monkeypatch.setattr(Page, "render", _render_fails_on_page_3)  # in the worker, forked after this
    jobs = markdown_jobs.MarkdownJobs()
    jobs.start(config, files, 2)
    monkeypatch.setattr(Page, "render", _RENDER)  # MkDocs' process: its own render
    pages = [Page(None, f, config) for f in files.documentation_pages()]
    took = {}
    for page in pages:
        jobs.take(page, files)
        took[page.file.src_uri] = "render" in vars(page)
        page.read_source(config)
        page.render(config, files)
    assert took["p003.md"] is False and took["p001.md"] is True and took["p005.md"] is True
    assert pages[3].content.startswith('<h1 id="page-3">')
    assert jobs.stop()[1] == markdown_jobs.MIN_PAGES // 2 - 1
