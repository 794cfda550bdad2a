"""Two engines render the site: MkDocs 1.6.1 (the default) and ProperDocs, its maintained fork
(`make build ENGINE=properdocs`). Both builds pass --strict and give the same files with the same bytes,
apart from the generator tag in the head of each HTML page (the sitemap, the 404 page, the search index
built from the HTML, the downloads and the redirect stubs included). Both convert the pages' Markdown in
two processes (casebook/markdown_jobs.py); a third build, MkDocs in one process, gives the same bytes
as MkDocs in two."""
from __future__ import annotations

import re
import shutil

import pytest

from conftest import ROOT, hand_written_docs, mkdocs_build
from test_bad_inputs import snapshot
from test_redirects import HUBEI, OLD, with_former_ids

GENERATOR = re.compile(rb'<meta name="generator" content="([^"]*)">')


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    base = tmp_path_factory.mktemp("engines")
    shutil.copytree(ROOT / "data", base / "data")
    with_former_ids(base / "data", HUBEI, "hubei", [OLD])  # so that the redirect stubs are compared too
    built = {}
    for name, engine, jobs in (("mkdocs", "mkdocs", 2), ("properdocs", "properdocs", 2), ("one process", "mkdocs", 1)):
        site = base / name / "site"
        result = mkdocs_build(base / "data", hand_written_docs(base / name / "docs"), site,
                              {"SOURCE_DATE_EPOCH": "1700000000", "CASEBOOK_JOBS": str(jobs)}, engine=engine)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "WARNING" not in result.stderr, result.stderr
        elsewhere = r"[1-9]\d* of them in 1 other process" if jobs == 2 else "0 of them in 0 other process"
        assert re.search(rf"Markdown of \d+ pages converted, {elsewhere}", result.stderr), result.stderr
        built[name] = snapshot(site)
    return built


def test_markdown_converted_in_two_processes_gives_the_bytes_of_one(sites):
    assert sites["mkdocs"] == sites["one process"]


def test_both_engines_build_the_same_files(sites):
    assert sites["mkdocs"].keys() == sites["properdocs"].keys()
    assert "sitemap.xml" in sites["mkdocs"] and "404.html" in sites["mkdocs"]
    assert f"models/{OLD}/index.html" in sites["mkdocs"]
    assert any(name.startswith("pagefind/") for name in sites["mkdocs"])


def test_the_sites_differ_only_in_the_generator_tag(sites):
    differing = [name for name in sites["mkdocs"] if sites["mkdocs"][name] != sites["properdocs"][name]]
    assert differing, "the generator tags should differ: did both engines run?"
    for name in differing:
        assert name.endswith(".html"), name
        tags = [GENERATOR.findall(sites[e][name]) for e in ("mkdocs", "properdocs")]
        assert len(tags[0]) == 1 and tags[0][0].startswith(b"mkdocs-1.6.1, mkdocs-material-"), (name, tags)
        assert len(tags[1]) == 1 and tags[1][0].startswith(b"mkdocs-ProperDocs 1.6."), (name, tags)
        same = [GENERATOR.sub(b"<generator>", sites[e][name]) for e in ("mkdocs", "properdocs")]
        assert same[0] == same[1], name
    html = [name for name in sites["mkdocs"] if name.endswith(".html") and GENERATOR.search(sites["mkdocs"][name])]
    assert sorted(differing) == sorted(html)  # every rendered page, and nothing else, carries the tag
