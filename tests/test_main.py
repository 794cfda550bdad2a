"""`python -m casebook generate` and `python -m casebook index`: the steps before and after the engine
work on their own, without MkDocs or ProperDocs importable, and do what the build does."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

from conftest import ROOT, hand_written_docs
from test_bad_inputs import BAD, build_pages, place, snapshot

# Run the command with every engine made unimportable: generation and indexing must not need one.
NO_ENGINE = ("import runpy, sys; sys.modules.update(mkdocs=None, properdocs=None, material=None); "
             "sys.argv = ['casebook'] + sys.argv[1:]; runpy.run_module('casebook', run_name='__main__')")


def casebook(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([sys.executable, "-c", NO_ENGINE, *args], capture_output=True, text=True, cwd=ROOT, env=env)


def test_generate_writes_what_build_pages_writes(tmp_path):
    docs_a, docs_b = hand_written_docs(tmp_path / "a"), hand_written_docs(tmp_path / "b")
    result = casebook("generate", "--data", str(ROOT / "data"), "--docs", str(docs_a))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 5 cases") and "written" in result.stdout
    assert build_pages(ROOT / "data", docs_b).returncode == 0
    assert snapshot(docs_a) == snapshot(docs_b)
    assert (docs_a / "models" / "beijing-xicheng-desheng-12345.md").is_file()


def test_generate_reports_bad_data_as_annotations(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    fixture = [p for p in BAD if p.stem == "unknown-key"][0]
    place(fixture, data)
    result = casebook("generate", "--data", str(data), "--docs", str(tmp_path / "docs"), "--check", "--format", "github")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout == fixture.with_suffix(".github").read_text(encoding="utf-8")


def test_index_rebuilds_the_search_index_of_a_built_site(built_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    bundle = {k: v for k, v in snapshot(site).items() if k.startswith("pagefind")}
    shutil.rmtree(site / "pagefind")
    result = casebook("index", str(site))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: search index of 71 pages in 1 shard(s)"), result.stdout
    assert {k: v for k, v in snapshot(site).items() if k.startswith("pagefind")} == bundle  # the same bytes as the build's


def test_index_of_a_directory_without_a_site_says_what_to_do(tmp_path):
    result = casebook("index", str(tmp_path))
    assert result.returncode == 1
    assert "no built site here" in result.stderr and "Hint:" in result.stderr and "Traceback" not in result.stderr


def test_unknown_command_prints_usage():
    result = casebook("serve")
    assert result.returncode == 2 and "usage: python -m casebook {generate,index}" in result.stderr


def test_settings_read_without_an_engine_match_the_engines_reading(monkeypatch):
    from mkdocs.utils.yaml import yaml_load

    from casebook.settings import MKDOCS_YML, read_settings, settings_from_config

    for site_url in (None, "https://example.gov.cn/casebook/"):
        if site_url:
            monkeypatch.setenv("SITE_URL", site_url)
        else:
            monkeypatch.delenv("SITE_URL", raising=False)
        with MKDOCS_YML.open("rb") as fh:
            assert read_settings() == settings_from_config(yaml_load(fh))
        assert read_settings()["site_url"] == (site_url or "https://casebook.example.org/")
