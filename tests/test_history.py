"""Last-updated dates come from git, in one call for the whole data directory, and are the citations' access
date; outside a git checkout the record's `added` date stands in. Never the clock."""
from __future__ import annotations

import os
import shutil
import subprocess

import casebook.history as history
from casebook.cite import case_citation
from casebook.history import last_changed, parse_log
from casebook.pipeline import build
from casebook.settings import read_settings
from conftest import ROOT

HUBEI = "hubei-wuhan-wuchang-huajin"


def git(repo, *args, date="2030-01-02T03:04:05+00:00"):
    env = dict(os.environ, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org", GIT_CONFIG_GLOBAL=os.devnull)
    subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=repo, env=env, check=True, capture_output=True)


def test_parse_log_keeps_each_files_newest_date():
    log = "\x002031-02-03\n\ncases/a.yml\n\x002030-01-02\n\ncases/a.yml\ncases/b.yml\n"
    assert parse_log(log) == {"cases/a.yml": "2031-02-03", "cases/b.yml": "2030-01-02"}


def test_dates_come_from_the_last_commit_of_each_record_in_one_git_call(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    data = repo / "data"
    shutil.copytree(ROOT / "data", data)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first")
    case_file = data / "cases" / "hubei" / f"{HUBEI}.yml"
    case_file.write_text(case_file.read_text(encoding="utf-8").replace("summary_en: >-", "summary_en: >-\n  Edited.", 1),
                         encoding="utf-8")
    git(repo, "commit", "-q", "-am", "edit", date="2031-02-03T10:00:00+00:00")

    calls = []
    real_run = subprocess.run
    monkeypatch.setattr(history.subprocess, "run", lambda *a, **k: calls.append(a) or real_run(*a, **k))
    site, _ = build(data)
    assert len(calls) == 1, "one git call for all files, not one per page"

    updated = {c.id: c.updated for c in site.cases}
    assert updated.pop(HUBEI) == "2031-02-03"
    assert set(updated.values()) == {"2030-01-02"}
    hubei = next(c for c in site.cases if c.id == HUBEI)
    assert "[EB/OL]. (2026-11-22)[2031-02-03]." in case_citation(hubei, read_settings()).gbt


def test_outside_git_the_added_date_stands_in(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    assert last_changed(data) == {}
    site, _ = build(data)
    assert all(c.updated == c.added for c in site.cases)


def test_updated_is_never_before_added(tmp_path):
    repo = tmp_path / "repo"
    data = repo / "data"
    shutil.copytree(ROOT / "data", data)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "old commit", date="2001-01-01T00:00:00+00:00")
    site, _ = build(data)
    assert all(c.updated == c.added for c in site.cases)
