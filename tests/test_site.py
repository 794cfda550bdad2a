"""The real site: every seed produces its pages, cross-links and sizes meet the foundation's bar, and the
strict build is clean."""
from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from test_contrib_site import MODEL_PAGE_BUDGET

CASE_FILES = sorted((ROOT / "data" / "cases").rglob("*.yml"))
SEED_IDS = [p.stem for p in CASE_FILES]
KB = 1024


def links_from(html: str, section: str) -> set[str]:
    return set(re.findall(rf'href="\.\./\.\./{section}/([a-z0-9-]+)/"', html))


def test_there_are_five_seed_cases():
    assert len(SEED_IDS) >= 5


@pytest.mark.parametrize("case_id", SEED_IDS)
def test_seed_model_page_links_measures_and_metrics(built_site, case_id):
    page = built_site / "models" / case_id / "index.html"
    html = page.read_text(encoding="utf-8")
    assert len(links_from(html, "measures")) >= 4
    assert len(links_from(html, "metrics")) >= 4
    for section in ("measures", "metrics", "tags", "regions"):
        for key in links_from(html, section):
            assert (built_site / section / key / "index.html").is_file(), f"{section}/{key}"
    assert page.stat().st_size <= MODEL_PAGE_BUDGET, f"{case_id}: {page.stat().st_size} bytes"  # tests/test_contrib_site.py


def test_section_pages_exist_in_the_numbers_promised(built_site):
    def pages(section):
        return [p for p in (built_site / section).glob("*/index.html")]
    assert len(pages("measures")) >= 10
    assert len(pages("metrics")) >= 8
    assert len(pages("tags")) >= 8
    assert len(pages("regions")) >= 5
    comparing = 0
    for metric in pages("metrics"):
        cases = set(re.findall(r'href="\.\./\.\./models/([a-z0-9-]+)/(?:#figures)?"', metric.read_text(encoding="utf-8")))
        comparing += len(cases & set(SEED_IDS)) >= 2
    assert comparing >= 3


def test_tag_measure_and_metric_labels_are_bilingual(built_site):
    for file, section in (("tags.yml", "tags"), ("measures.yml", "measures")):
        terms = yaml.safe_load((ROOT / "data" / file).read_text(encoding="utf-8"))
        for key in (p.parent.name for p in (built_site / section).glob("*/index.html")):
            html = (built_site / section / key / "index.html").read_text(encoding="utf-8")
            title = htmllib.unescape(re.search(r"<title>(.*?)</title>", html).group(1))
            assert terms[key]["zh"] in title and terms[key]["en"].split()[0] in title, title
    metrics = yaml.safe_load((ROOT / "data" / "metrics.yml").read_text(encoding="utf-8"))["metrics"]
    for page in (built_site / "metrics").glob("*/index.html"):
        h1 = htmllib.unescape(re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text(encoding="utf-8")).group(1))
        term = metrics[page.parent.name]
        assert term["zh"] in h1 and term["en"].split()[0] in h1


def test_home_sources_and_indexes_exist(built_site):
    for path in ("index.html", "sources/index.html", "models/index.html", "measures/index.html",
                 "metrics/index.html", "tags/index.html", "regions/index.html"):
        assert (built_site / path).is_file(), path
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert f"<strong>{len(SEED_IDS)}</strong>" in home


def test_no_page_is_too_big(built_site):
    for page in built_site.rglob("*.html"):
        assert page.stat().st_size <= 300 * KB, page


def test_strict_build_has_no_warnings(built_site):
    log = (built_site / ".build-log").read_text(encoding="utf-8")
    assert "WARNING" not in log and "ERROR" not in log, log


def test_case_pages_are_not_in_the_nav(built_site):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    nav = home[home.find('<nav class="md-nav md-nav--primary"'):]
    nav = nav[: nav.find("</nav>")]
    assert "models/beijing" not in nav


def test_every_evidence_quote_is_in_its_archived_source():
    from casebook.textnorm import fold
    for path in CASE_FILES:
        case = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        archives = {s["id"]: s["archive"] for s in case["sources"]}
        for item in case["measures"] + case["metrics"]:
            archive = archives.get(item.get("source")) or next(iter(archives.values()))
            text = (ROOT / "data" / "sources" / archive).read_text(encoding="utf-8")
            assert fold(item["evidence"]) in fold(text), f"{path.name}: {item['evidence']}"


def test_every_case_file_has_the_schema_modeline():
    for path in CASE_FILES:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../../schema/case.schema.json", path
        assert (path.parent / "../../../schema/case.schema.json").resolve().is_file()


def test_archived_sources_have_no_pinyin_annotations_or_chrome():
    for path in (ROOT / "data" / "sources").glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", text), path
        for chrome in ("语音播放", "字号", "分享:", "责任编辑", "責編", "Copyright", "掃一掃", "回顶部"):
            assert chrome not in text, (path, chrome)


def test_long_listings_are_paginated_and_strict_clean(tmp_path):
    """With a page size of 2, every listing splits; the pages link to each other and the strict build is clean."""
    from conftest import hand_written_docs, mkdocs_build
    site = tmp_path / "site"
    result = mkdocs_build(ROOT / "data", hand_written_docs(tmp_path / "docs"), site, {"CASEBOOK_PAGE_SIZE": "2"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr
    second = site / "tags" / "party-building-led" / "2" / "index.html"
    html = second.read_text(encoding="utf-8")
    assert "(2/3)" in html and 'href="../"' in html and 'href="../3/"' in html
    assert (site / "sources" / "3" / "index.html").is_file()
    assert (site / "measures" / "arts-activities" / "2" / "index.html").is_file()
    rows = html.count('<tr>') - 1
    assert rows == 2


@pytest.mark.parametrize("case_id", SEED_IDS)
def test_meta_description_is_the_summary_opening(built_site, case_id):
    """<meta name=description> is the summary's first sentences, at most DESCRIPTION_CHARS (80) characters (issue 17: the whole
    summary there repeated 400-700 bytes of the article on every model page); the article keeps it whole."""
    from casebook.render import DESCRIPTION_CHARS, _short_description

    summary = yaml.safe_load((ROOT / "data" / "cases" / next(p for p in CASE_FILES if p.stem == case_id)).read_text(encoding="utf-8"))["summary"]
    page = (built_site / "models" / case_id / "index.html").read_text(encoding="utf-8")
    description = htmllib.unescape(re.search(r'<meta name="description" content="([^"]*)">', page).group(1))
    assert description == _short_description(summary) and 0 < len(description) <= DESCRIPTION_CHARS
    flat, opening = "".join(summary.split()), "".join(description.rstrip("…").split())  # YAML folds lines with spaces
    assert flat.startswith(opening) and (description.endswith(("。", "；", "！", "？", "…")) or opening == flat)
    article = "".join(page[page.index("<article"):].split())
    assert flat in htmllib.unescape(article)  # the whole summary is still in the article


def test_short_description_cuts_at_a_sentence_or_marks_the_cut():
    from casebook.render import DESCRIPTION_CHARS, _short_description

    assert _short_description("短。") == "短。"
    assert _short_description("甲" * 60 + "。" + "乙" * 70 + "。") == "甲" * 60 + "。"
    assert _short_description("丙" * 200) == "丙" * (DESCRIPTION_CHARS - 1) + "…"


LISTINGS = {"metric": "metrics/volunteers/", "measure": "measures/grid-service/", "tag": "tags/party-building-led/",
            "region": "regions/hubei/", "sources": "sources/"}


@pytest.mark.parametrize("kind", list(LISTINGS))
def test_listing_rows_show_names_places_and_links(built_site, kind):
    """Listing pages show what a listing needs (issue 17): each row links its case by province, place and model
    name, in each language, the province as text (its page is a click from the case's), not the case's title;
    the page says where what it leaves out is."""
    from casebook.pipeline import build

    cases = {c.id: c for c in build(ROOT / "data")[0].cases}
    depth = LISTINGS[kind].count("/")
    page = (built_site / LISTINGS[kind] / "index.html").read_text(encoding="utf-8")
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    assert rows
    for row in rows:
        section = "#figures" if kind == "metric" else ""  # a figure's row opens the case's Figures
        (case_id, zh, en), = re.findall(rf'<a href="{"../" * depth}models/([a-z0-9-]+)/{section}"><span lang=zh>(.*?)</span> '
                                        r'<span class=cb-nl lang=en>(.*?)</span></a>', row)
        case = cases[case_id]
        province = "" if kind == "region" else case.region.zh
        text = lambda markup: re.sub(r"\s", "", htmllib.unescape(re.sub("<[^>]+>", "", markup)))  # noqa: E731 (a space between Chinese goes)
        assert text(zh) == re.sub(r"\s", "", f"{province}{case.place} · {case.name}")
        assert text(en) == re.sub(r"\s", "", f"{case.name_en} · {case.locality.name_en}")
        assert "regions/" not in row and case.title not in htmllib.unescape(row)
        if kind == "metric":  # a figure's scope is on its case's page and in metrics.csv.zip
            assert not any(v.scope in htmllib.unescape(row) for v in case.metrics), row
    if kind != "sources":
        assert re.search(r"见[其各]案例页面", page.replace(body, "")), "says where the rest is"
    if kind == "metric":
        assert "统计范围、原文引文和出处见其案例页面" in page
