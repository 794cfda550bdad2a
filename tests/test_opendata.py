"""Open data under data/ of the built site: the downloads parse, match the model row for row, are described by a
Frictionless Data Package that `frictionless validate` accepts (and that catches a broken file), and are
documented on the Data page."""
from __future__ import annotations

import re

import csv
import gzip
import io
import json
import shutil
import zipfile

import pytest
from frictionless import validate

from casebook.export import plain_number
from casebook.opendata import package_descriptor
from casebook.pipeline import build
from casebook.write import plan_writes
from conftest import ROOT


@pytest.fixture(scope="module")
def model():
    return build(ROOT / "data")[0]


def csv_text(path) -> str:
    """The CSV table inside a published zip (one file, named as the zip without .zip)."""
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == [path.name.removesuffix(".zip")]
        return archive.read(archive.namelist()[0]).decode("utf-8")


def read_csv(path):
    return list(csv.DictReader(io.StringIO(csv_text(path), newline="")))


def test_downloads_exist_and_parse(built_site, model):
    data = built_site / "data"
    cases = json.loads(gzip.decompress((data / "cases.json.gz").read_bytes()).decode("utf-8"))["cases"]
    assert not (data / "cases.json").exists() and not (data / "cases.csv").exists()  # published compressed only
    assert [c["id"] for c in cases] == [c.id for c in model.cases]
    assert all(c["url"] == f"https://casebook.example.org/models/{c['id']}/" and c["updated"] for c in cases)
    schema = json.loads((data / "case.schema.json").read_text(encoding="utf-8"))
    assert schema == json.loads((ROOT / "schema" / "case.schema.json").read_text(encoding="utf-8"))
    for case in model.cases:
        assert json.loads((data / "cite" / f"{case.id}.json").read_text(encoding="utf-8"))[0]["title"] == case.title


def test_csv_tables_hold_one_row_per_case_measure_figure_and_source(built_site, model):
    data = built_site / "data"
    descriptor = package_descriptor()
    for resource in descriptor["resources"]:
        header = next(csv.reader(io.StringIO(csv_text(data / resource["path"]), newline="")))
        assert header == [f["name"] for f in resource["schema"]["fields"]], resource["path"]
    assert [r["id"] for r in read_csv(data / "cases.csv.zip")] == [c.id for c in model.cases]
    assert len(read_csv(data / "measures.csv.zip")) == sum(len(c.measures) for c in model.cases)
    assert len(read_csv(data / "sources.csv.zip")) == sum(len(c.sources) for c in model.cases)
    metrics = read_csv(data / "metrics.csv.zip")
    assert len(metrics) == model.figure_count
    values = [(c.id, n, v) for c in model.cases for n, v in enumerate(c.metrics, 1)]
    for row, (case_id, n, v) in zip(metrics, values):
        assert (row["case"], int(row["n"]), row["metric"], row["unit"]) == (case_id, n, v.metric.key, v.amount.unit)
        assert float(row["value"]) == v.amount.value and row["qualifier"] == (v.amount.qualifier or "")
        assert float(row["base_value"]) == plain_number(v.amount.base_value)
        assert row["evidence"] == v.evidence and row["as_of"] == v.as_of
        assert row["baseline_value"] == ("" if v.baseline is None else f"{plain_number(v.baseline.value)}")


def test_frictionless_validate_accepts_the_data_package(built_site):
    report = validate(str(built_site / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])[:10]
    descriptor = json.loads((built_site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in descriptor["resources"]} == {"cases.csv.zip", "measures.csv.zip", "lessons.csv.zip", "metrics.csv.zip",
                                                            "sources.csv.zip"}
    assert descriptor["homepage"] == "https://casebook.example.org/data/"


def test_frictionless_catches_a_broken_download(built_site, tmp_path):
    """The validation is real: a figure that is not a number, or an edited file, fails it."""
    copy = tmp_path / "data"
    shutil.copytree(built_site / "data", copy)
    descriptor = json.loads((copy / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        resource.pop("hash"), resource.pop("bytes")  # so that the type check, not the hash, finds the fault
    (copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    text = csv_text(copy / "metrics.csv.zip")
    rows = list(csv.reader(io.StringIO(text)))
    rows[1][rows[0].index("value")] = "about twenty"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    with zipfile.ZipFile(copy / "metrics.csv.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("metrics.csv", out.getvalue())
    report = validate(str(copy / "datapackage.json"))
    assert not report.valid
    assert "type-error" in {e[0] for e in report.flatten(["type"])}

    tampered = tmp_path / "tampered"
    shutil.copytree(built_site / "data", tampered)
    with (tampered / "cases.csv.zip").open("ab") as fh:
        fh.write(b"\r\n")
    assert not validate(str(tampered / "datapackage.json")).valid  # bytes and hash are checked


def test_downloads_are_deterministic():
    _, first = build(ROOT / "data")
    _, second = build(ROOT / "data")
    downloads = [p for p in first if p.startswith("data/") or p == "feed.xml"]
    assert len(downloads) >= 10
    assert all(first[p] == second[p] for p in downloads)


def test_data_page_is_in_the_nav_and_documents_every_field(built_site):
    page = (built_site / "data" / "index.html").read_text(encoding="utf-8")
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="data/"' in home and re.search(r'<span lang="?zh"?>数据</span> <span lang="?en"?>Data</span>', home)
    for resource in package_descriptor()["resources"]:
        assert f'href="../{resource["path"]}"' in page or f'href="{resource["path"]}"' in page
        for field in resource["schema"]["fields"]:
            assert f"<code>{field['name'].replace('_', '&#95;')}</code>" in page, field["name"]


def test_generated_downloads_are_owned_but_other_files_are_not(tmp_path):
    """Every non-Markdown file under docs/data/ is generated (no room for a mark); elsewhere files are kept."""
    docs = tmp_path / "docs"
    (docs / "data" / "cite").mkdir(parents=True)
    (docs / "data" / "cite" / "old-case.json").write_text("[]", encoding="utf-8")
    (docs / "data" / "cases.csv.zip").write_text("stale", encoding="utf-8")
    (docs / "models").mkdir()
    (docs / "models" / "photo.png").write_bytes(b"\x89PNG")
    writes, stale, refusals = plan_writes(docs, {"data/cases.csv.zip": b"PK"})
    assert not refusals
    assert docs / "data" / "cases.csv.zip" in writes
    assert stale == [docs / "data" / "cite" / "old-case.json"]


def test_cases_json_is_json_with_one_case_per_line():
    from casebook.opendata import json_listing_chunks

    def _json_listing(head, key, items):
        return "".join(json_listing_chunks(head, key, items))

    items = [{"id": "a", "title": "网格 \"1+6\"\n"}, {"id": "b", "n": [1, 2]}]
    text = _json_listing({"title": "t", "schema": "s"}, "cases", items)
    assert json.loads(text) == {"title": "t", "schema": "s", "cases": items}
    assert [json.loads(line.strip().rstrip(",")) for line in text.splitlines() if line.startswith("    {")] == items
    assert json.loads(_json_listing({"title": "t"}, "cases", [])) == {"title": "t", "cases": []}


def test_compressed_downloads_carry_no_build_time(built_site):
    """Same data, same bytes on any day: no timestamp or file name in the gzip header, fixed dates in the zips."""
    data = (built_site / "data" / "cases.json.gz").read_bytes()
    assert data[:3] == b"\x1f\x8b\x08" and data[3] == 0 and data[4:8] == b"\0\0\0\0"  # FLG: no name; MTIME: 0
    for resource in package_descriptor()["resources"]:
        with zipfile.ZipFile(built_site / "data" / resource["path"]) as archive:
            assert [i.date_time for i in archive.infolist()] == [(1980, 1, 1, 0, 0, 0)]
            assert archive.namelist() == [resource["innerpath"]]
