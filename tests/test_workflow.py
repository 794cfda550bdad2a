"""The CI workflow: every action pinned by a full commit SHA with its release tag beside it, least-privilege
permissions per job, the pip cache keyed by the locks, both engines built, annotations on pull requests."""
from __future__ import annotations

import re

import yaml

from conftest import ROOT

TEXT = (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
CI = yaml.safe_load(TEXT)
STEPS = [step for job in CI["jobs"].values() for step in job["steps"]]


def test_every_action_is_pinned_by_commit_with_its_tag():
    lines = [line.strip() for line in TEXT.splitlines() if re.match(r"\s*(- )?uses:", line)]
    assert len(lines) == len([s for s in STEPS if "uses" in s]) >= 4
    for line in lines:
        assert re.fullmatch(r"(- )?uses: [\w-]+/[\w-]+@[0-9a-f]{40}  # v\d+\.\d+\.\d+", line), line


def test_permissions_are_granted_per_job_and_no_wider():
    assert CI["permissions"] == {}
    assert CI["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert CI["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    checkout = next(s for s in STEPS if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False


def test_pip_cache_is_keyed_by_the_locks():
    setup = next(s for s in STEPS if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["cache"] == "pip"
    assert setup["with"]["cache-dependency-path"].split() == ["requirements*.lock"]
    assert sorted(p.name for p in ROOT.glob("requirements*.lock")) == ["requirements-test.lock", "requirements-tools.lock", "requirements.lock"]


def test_both_engines_are_built_and_pull_requests_get_annotations():
    runs = [s.get("run", "") for s in CI["jobs"]["build"]["steps"]]
    assert "make build ENGINE=properdocs" in runs and "make build" in runs
    pr = next(s for s in CI["jobs"]["build"]["steps"] if "--format github" in s.get("run", ""))
    assert pr["if"] == "github.event_name == 'pull_request'"
    assert "scripts/build_pages.py --check --format github" in pr["run"]
