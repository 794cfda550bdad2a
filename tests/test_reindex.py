"""Search indexing under serve runs after the rebuild, one run at a time, and a failed indexing
leaves the old index in place."""
from __future__ import annotations

import shutil
import threading

import pytest

from casebook.search import index as search
from casebook.search.reindex import Reindexer


def test_requests_during_a_run_collapse_into_one_more_run_on_the_latest_site(tmp_path):
    started, release, seen = threading.Event(), threading.Event(), []

    def index(site):
        seen.append(site.name)
        started.set()
        release.wait(10)

    indexer = Reindexer(index)
    indexer.request(tmp_path / "first")
    assert started.wait(10)
    for name in ("second", "third", "fourth"):  # the rebuilds of a busy editing minute
        indexer.request(tmp_path / name)
    release.set()
    assert indexer.wait(10)
    assert seen == ["first", "fourth"]


def test_a_failed_run_is_logged_and_the_next_request_runs_again(tmp_path, caplog):
    calls = []

    def index(site):
        calls.append(site)
        if len(calls) == 1:
            raise RuntimeError("pagefind stopped")

    indexer = Reindexer(index)
    indexer.request(tmp_path)
    assert indexer.wait(10)
    assert "search index not updated: pagefind stopped" in caplog.text
    indexer.request(tmp_path)
    assert indexer.wait(10) and len(calls) == 2


def test_failed_indexing_keeps_the_previous_bundle(built_site, tmp_path, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    before = sorted(p.name for p in (site / search.BUNDLE_DIR).iterdir())

    def broken(staging, bundle):
        raise RuntimeError("indexer crashed")

    monkeypatch.setattr(search, "_run_pagefind", broken)
    with pytest.raises(RuntimeError, match="indexer crashed"):
        search.build_index(site)
    assert sorted(p.name for p in (site / search.BUNDLE_DIR).iterdir()) == before
    assert not [p for p in site.iterdir() if p.name.startswith(f".{search.BUNDLE_DIR}")]


def test_index_in_child_gives_the_bundle_of_build_index(built_site, tmp_path):
    from casebook.search.reindex import index_in_child

    here, there = tmp_path / "here", tmp_path / "there"
    for site in (here, there):
        shutil.copytree(built_site, site, ignore=shutil.ignore_patterns(search.BUNDLE_DIR))
    assert index_in_child(there) == search.build_index(here)
    files = lambda root: {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}  # noqa: E731
    assert files(there / search.BUNDLE_DIR) == files(here / search.BUNDLE_DIR)
    (tmp_path / "empty").mkdir()
    with pytest.raises(RuntimeError, match="Pagefind failed") as caught:
        index_in_child(tmp_path / "empty")
    assert "Traceback" not in str(caught.value)
