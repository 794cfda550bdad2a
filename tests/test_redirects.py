"""Stable links: a renamed case lists its old ids in former_ids, and the old address redirects to the current
page; a former id that clashes with a live id or with another case's former id is refused."""
from __future__ import annotations

import csv
import io
import shutil
import zipfile

import pytest

from casebook.pipeline import build
from casebook.problems import DataError
from conftest import ROOT, hand_written_docs, mkdocs_build, serve

HUBEI = "hubei-wuhan-wuchang-huajin"
OLD = "hubei-wuchang-huajin-model"


def with_former_ids(data, case_id: str, province: str, ids: list[str]) -> None:
    path = data / "cases" / province / f"{case_id}.yml"
    text = path.read_text(encoding="utf-8")
    listed = "".join(f"\n  - {i}" for i in ids)
    path.write_text(text.replace(f"id: {case_id}\n", f"id: {case_id}\nformer_ids:{listed}\n", 1), encoding="utf-8")


@pytest.fixture
def data(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


@pytest.fixture(scope="module")
def renamed_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("renamed")
    shutil.copytree(ROOT / "data", base / "data")
    with_former_ids(base / "data", HUBEI, "hubei", [OLD])
    result = mkdocs_build(base / "data", hand_written_docs(base / "docs"), base / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return base / "site"


def test_old_address_redirects_to_the_current_page(renamed_site):
    stub = (renamed_site / "models" / OLD / "index.html").read_text(encoding="utf-8")
    assert f'http-equiv="refresh" content="0; url=../{HUBEI}/"' in stub
    with zipfile.ZipFile(renamed_site / "data" / "cases.csv.zip") as archive:
        table = archive.read("cases.csv").decode("utf-8")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(table, newline=""))}
    assert rows[HUBEI]["former_ids"] == OLD


def test_a_browser_following_the_old_link_lands_on_the_case(renamed_site, page):
    server = serve(renamed_site)
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        page.goto(f"{base}models/{OLD}/#figures")
        page.wait_for_url(f"{base}models/{HUBEI}/#figures", timeout=10_000)
        assert "华锦" in page.title()
    finally:
        server.shutdown()


def test_former_id_must_not_be_a_live_id_or_claimed_twice(data):
    with_former_ids(data, HUBEI, "hubei", [HUBEI, "beijing-xicheng-desheng-12345", "some-old-id"])
    with_former_ids(data, "yunnan-qujing-qilin-siqiang", "yunnan", ["some-old-id"])
    with pytest.raises(DataError) as caught:
        build(data)
    report = caught.value.report()
    assert f"data/cases/hubei/{HUBEI}.yml:4:5: former_ids[0]: '{HUBEI}' is this case's own id" in report
    assert ("former_ids[1]: 'beijing-xicheng-desheng-12345' is the id of "
            "data/cases/beijing/beijing-xicheng-desheng-12345.yml") in report
    assert "former_ids[0]: 'some-old-id' is also a former id of" in report
    assert report.count("Hint:") == 3


def test_former_ids_have_the_shape_of_ids(data):
    with_former_ids(data, HUBEI, "hubei", ["Not An Id"])
    with pytest.raises(DataError) as caught:
        build(data)
    assert "former_ids[0]: 'Not An Id' does not have the expected form" in caught.value.report()


def test_search_index_leaves_out_the_redirect_stub(renamed_site):
    import json

    from casebook.search import index as search

    pages = search.indexed_pages(renamed_site)
    assert (renamed_site / "models" / OLD / "index.html").is_file()
    assert not [p for p in pages if OLD in p.as_posix()]
    assert any(HUBEI in p.as_posix() for p in pages)
    entry = json.loads((renamed_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert sum(lang["page_count"] for lang in entry["languages"].values()) == len(pages)


def test_the_stub_is_generated_and_goes_when_the_former_id_does(data, tmp_path):
    """The generator writes the stub into docs/ (any engine copies it as it is) and removes it with the former id."""
    from casebook.pipeline import generate

    docs = hand_written_docs(tmp_path / "docs")
    with_former_ids(data, HUBEI, "hubei", [OLD])
    generate(data, docs)
    stub = docs / "models" / OLD / "index.html"
    text = stub.read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="https://casebook.example.org/models/{HUBEI}/">' in text
    assert f'location.replace("../{HUBEI}/" + location.hash)' in text
    case = data / "cases" / "hubei" / f"{HUBEI}.yml"
    case.write_text(case.read_text(encoding="utf-8").replace(f"former_ids:\n  - {OLD}\n", "", 1), encoding="utf-8")
    result = generate(data, docs)
    assert stub in result.deleted and not stub.exists()
