"""The synthetic corpus used by the benchmarks is valid and deterministic."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

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


def test_rebuild_after_an_edit_reuses_caches_and_matches_a_fresh_build(tmp_path):
    """The per-process caches used under `mkdocs serve` never serve a stale page."""
    import casebook.pipeline as pipeline
    import casebook.yamlsafe as yamlsafe

    def fresh_build():
        pipeline._PAGE_CACHE.clear()
        yamlsafe._PARSED.clear()
        return build(tmp_path / "d")[1]

    write_corpus(40, tmp_path / "d")
    build(tmp_path / "d")
    case = sorted((tmp_path / "d" / "cases").rglob("*.yml"))[3]
    case.write_text(case.read_text(encoding="utf-8").replace("Synthetic case", "Edited synthetic case", 1), encoding="utf-8")
    cached = build(tmp_path / "d")[1]
    assert len(pipeline._PAGE_CACHE) > 40  # most pages came from the cache
    assert cached == fresh_build()
    assert any("Edited synthetic case" in text for text in cached.values() if isinstance(text, str))

    measures = tmp_path / "d" / "measures.yml"
    measures.write_text(measures.read_text(encoding="utf-8").replace("zh: 阵地建设", "zh: 阵地建设（改）"), encoding="utf-8")
    cached = build(tmp_path / "d")[1]
    assert cached == fresh_build()
    assert any("阵地建设（改）" in text for text in cached.values() if isinstance(text, str))


def test_generate_apart_writes_what_generate_writes_and_keeps_nothing_here(tmp_path):
    """`mkdocs build` generates in a child process: same pages, and this process's caches stay empty."""
    from casebook import pipeline, yamlsafe
    from casebook.links import redirect_maps

    pipeline._PAGE_CACHE.clear()
    yamlsafe._PARSED.clear()
    summary = pipeline.generate_apart(ROOT / "data", tmp_path / "apart")
    assert not pipeline._PAGE_CACHE and not yamlsafe._PARSED and type(yamlsafe._PARSED) is dict
    result = pipeline.generate(ROOT / "data", tmp_path / "here")
    assert summary.written == len(result.written) > 0 and summary.deleted == 0
    assert summary.redirects == redirect_maps(result.site)
    files = lambda root: {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}  # noqa: E731
    assert files(tmp_path / "apart") == files(tmp_path / "here")


def test_generate_apart_reports_bad_data_and_writes_nothing(tmp_path):
    from casebook import pipeline

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    case = sorted((data / "cases").rglob("*.yml"))[0]
    case.write_text(case.read_text(encoding="utf-8").replace("level: ", "level: planet-", 1), encoding="utf-8")
    with pytest.raises(pipeline.DataReport) as caught:
        pipeline.generate_apart(data, tmp_path / "docs")
    assert f"{case.relative_to(data).as_posix()}:" in caught.value.report() and "level" in caught.value.report()
    assert not (tmp_path / "docs").exists()


def test_cases_checked_in_parallel_give_the_problems_of_one_process(tmp_path):
    """A one-off build checks the cases in forked processes (validate's jobs): the same problems, in the same
    order, as one process, including those between cases (a duplicate id) and after a case's shape."""
    from casebook.load import load_data
    from casebook.validate import validate

    write_corpus(210, tmp_path / "d")
    files = sorted((tmp_path / "d" / "cases").rglob("*.yml"))
    for path, old, new in [(files[0], "level: ", "level: planet-"), (files[101], "tags:\n", "tags:\n  - no-such-tag\n"),
                           (files[150], "title: ", "title: TODO ")]:
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    twin = files[7].with_name("twin.yml")
    twin.write_text(files[7].read_text(encoding="utf-8"), encoding="utf-8")  # id differs from its file name, and is used twice
    one, two = validate(load_data(tmp_path / "d"), 1), validate(load_data(tmp_path / "d"), 2)
    assert one == two
    reported = {p.file for p in one}
    assert {f"d/cases/{p.relative_to(tmp_path / 'd' / 'cases').as_posix()}" for p in (files[0], files[101], files[150], twin)} <= reported
    assert any("also used by" in p.message for p in one)


def test_parsed_files_are_kept_unless_told_not_to():
    from casebook import yamlsafe

    try:
        yamlsafe.cache_parsed(False)
        build(ROOT / "data")
        assert not yamlsafe._PARSED
    finally:
        yamlsafe.cache_parsed(True)
    build(ROOT / "data")
    assert yamlsafe._PARSED


def _per_case_averages(data) -> dict:
    """Averages per case of what makes a case heavy: its YAML, its measures and figures, its texts, its source."""
    import statistics

    import yaml

    rows = []
    for path in sorted((data / "cases").rglob("*.yml")):
        text = path.read_text(encoding="utf-8")
        r = yaml.safe_load(text)
        rows.append({
            "yaml bytes": len(text.encode("utf-8")), "measures": len(r["measures"]), "figures": len(r["metrics"]),
            "sources": len(r["sources"]), "tags": len(r["tags"]),
            "title": len(r["title"]), "title_en": len(r["title_en"]),
            "summary": len(r["summary"]), "summary_en": len(r["summary_en"]),
            "measure descriptions": sum(len(m["description"]) for m in r["measures"]),
            "measure descriptions_en": sum(len(m["description_en"]) for m in r["measures"]),
            "measure names_en": sum(len(m["name_en"]) for m in r["measures"]),
            "evidence": sum(len(m["evidence"]) for m in r["measures"] + r["metrics"]),
            "scopes": sum(len(m["scope"]) for m in r["metrics"]), "scopes_en": sum(len(m["scope_en"]) for m in r["metrics"]),
            "baselines": sum(1 for m in r["metrics"] if "baseline" in m),
            "archive chars": sum(len((data / "sources" / s["archive"]).read_text(encoding="utf-8")) for s in r["sources"]),
        })
    return {key: statistics.mean(row[key] for row in rows) for key in rows[0]}


def test_synthetic_cases_are_as_heavy_as_the_real_ones(tmp_path):
    """Per-case averages of the benchmark corpus within 20% of the real records' (issue 17): the scale
    benchmark measures cases the size of real curated ones, not lighter stand-ins."""
    write_corpus(200, tmp_path / "d")
    real, synthetic = _per_case_averages(ROOT / "data"), _per_case_averages(tmp_path / "d")
    off = {key: round(synthetic[key] / real[key], 2) for key in real if real[key] and not 0.8 <= synthetic[key] / real[key] <= 1.2}
    assert not off, f"synthetic / real per-case averages outside 0.8-1.2: {off}"


def test_disk_cache_gives_the_bytes_of_a_build_without_it(tmp_path, monkeypatch):
    """Citations, QR codes and model pages come from casebook/diskcache.py on a warm build: the pages
    are byte for byte those of a build with the cache off, and a changed case misses its old entry."""
    from casebook import cite, diskcache, pipeline

    write_corpus(12, tmp_path / "d")

    def fresh(cache: str, docs: str):
        monkeypatch.setenv("CASEBOOK_CACHE", cache)
        pipeline._PAGE_CACHE.clear()
        cite._format.cache_clear()
        cite.qr_png.cache_clear()
        pipeline.generate(tmp_path / "d", tmp_path / docs)
        return {p.relative_to(tmp_path / docs): p.read_bytes() for p in sorted((tmp_path / docs).rglob("*")) if p.is_file()}

    off = fresh("off", "off")
    cold = fresh(str(tmp_path / "cache"), "cold")
    entries = {p for p in (tmp_path / "cache").rglob("*") if p.is_file()}
    assert {p.relative_to(tmp_path / "cache").parts[0] for p in entries} == {"citation", "qr", "case-page"}
    warm = fresh(str(tmp_path / "cache"), "warm")
    assert off == cold == warm
    assert {p for p in (tmp_path / "cache").rglob("*") if p.is_file()} == entries  # all hits

    case = sorted((tmp_path / "d" / "cases").rglob("*.yml"))[0]
    case.write_text(case.read_text(encoding="utf-8").replace("Synthetic case", "Edited case, missed the cache", 1), encoding="utf-8")
    edited = fresh(str(tmp_path / "cache"), "warm")
    assert b"Edited case, missed the cache" in edited[Path("models") / f"{case.stem}.md"]
    assert diskcache.code_version() and len({p for p in (tmp_path / "cache").rglob("*") if p.is_file()}) > len(entries)


# Model page budgets: issue 17's target, 40 KB, for every page (bench/RESULTS.md says where the bytes go).
# Synthetic texts run up to 15% longer than the seeds', so their pages are the longest.
SYNTH_MODEL_PAGE_BUDGET = 40 * 1024


def test_synthetic_model_pages_stay_within_budget(tmp_path):
    """The real build of 30 real-sized synthetic cases: every model page within the budget that bench/scale.py
    reports as "model page max" at 1,000 and 10,000 cases."""
    from conftest import hand_written_docs, mkdocs_build
    from test_contrib_site import MODEL_PAGE_BUDGET

    write_corpus(30, tmp_path / "d")
    docs = hand_written_docs(tmp_path / "docs")
    result = mkdocs_build(tmp_path / "d", docs, tmp_path / "site", {"CASEBOOK_CACHE": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr[-3000:]
    sizes = {p.parent.name: p.stat().st_size for p in (tmp_path / "site" / "models").glob("*/index.html")}
    assert len(sizes) >= 30
    assert max(sizes.values()) <= SYNTH_MODEL_PAGE_BUDGET, max(sizes.items(), key=lambda kv: kv[1])
    seeds = {k: v for k, v in sizes.items() if "-synth-" not in k}
    assert not seeds or max(seeds.values()) <= MODEL_PAGE_BUDGET, seeds
