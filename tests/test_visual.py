"""The browsing pages in Debian's Chromium: screenshots at desktop and phone widths (test-artifacts/visual/),
axe-core checks, the region map's links, matrix sorting, the compare page and the compare control."""
from __future__ import annotations

import json
import re
import subprocess
import urllib.request
from pathlib import Path

import pytest

from conftest import ARTIFACTS, ROOT, hand_written_docs, mkdocs_serve
from test_contrib_site import MODEL_PAGE_BUDGET

from casebook.pipeline import build

SHOTS = ARTIFACTS / "visual"
WIDTHS = (1280, 390)
MODEL = "hubei-wuhan-wuchang-huajin"
METRIC = "volunteers"  # has a lower bound (余) and a before → after value
COMPARE = ["hubei-wuhan-wuchang-huajin", "beijing-xicheng-desheng-12345", "yunnan-qujing-qilin-siqiang"]
PAGES = {
    "home": "",
    "model": f"models/{MODEL}/",
    "metric": f"metrics/{METRIC}/",
    "map": "regions/",
    "matrix": "matrix/",
    "compare": "compare/?ids=" + ",".join(COMPARE),
}


@pytest.fixture(scope="module")
def site_model():
    return build(ROOT / "data")[0]


@pytest.fixture(scope="module", params=WIDTHS, ids=lambda w: f"{w}px")
def viewport_page(request, browser):
    context = browser.new_context(viewport={"width": request.param, "height": 900})
    page = context.new_page()
    page.width = request.param
    yield page
    context.close()


def _open(page, site_url: str, path: str) -> None:
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    if path.startswith("compare/"):
        page.wait_for_selector("table.cb-compare")


@pytest.mark.parametrize("name", list(PAGES))
def test_screenshot_and_axe(viewport_page, site_url, name):
    """No serious or critical axe violation at either width; the screenshot is kept for a person to look at."""
    from axe_playwright_python.sync_playwright import Axe

    page = viewport_page
    _open(page, site_url, PAGES[name])
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{page.width}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} scrolls sideways at {page.width}px (wide tables must scroll inside their own box)"
    violations = Axe().run(page).response["violations"]
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in violations if v["impact"] in ("serious", "critical")]
    assert not bad, bad


def test_chinese_text_renders_with_a_cjk_font(page, site_url):
    """The fallback stack reaches Noto Sans CJK (fonts-noto-cjk): CJK glyphs are as wide as they are tall, not tofu."""
    _open(page, site_url, "")
    width = page.evaluate("""() => { const s = document.createElement('span'); s.style.fontSize = '40px';
        s.textContent = '老干部参与基层治理'; document.querySelector('.md-content').appendChild(s);
        return s.getBoundingClientRect().width; }""")
    assert 9 * 40 * 0.9 < width < 9 * 40 * 1.1
    fc = subprocess.run(["fc-match", "Noto Sans CJK SC"], capture_output=True, text=True)
    assert "CJK" in fc.stdout, fc.stdout


def test_metric_chart_is_an_image_with_title_and_prints(page, site_url, site_model):
    _open(page, site_url, PAGES["metric"])
    svg = page.locator("svg.cb-bars")
    assert svg.evaluate("e => e.firstElementChild.tagName") == "title"
    assert "志愿者人数" in svg.evaluate("e => e.firstElementChild.textContent")
    assert svg.get_attribute("role") == "img" and page.locator("#cb-chart-desc").count() == 1
    metric = next(m for m in site_model.metrics if m.key == METRIC)
    assert page.locator("svg.cb-bars .cb-bar-label").count() == len(metric.values)
    assert page.locator("svg.cb-bars polygon").count() == sum(1 for v in metric.values if v.amount.qualifier in ("over", "at-least"))
    assert page.locator("svg.cb-bars .cb-bar-before").count() == sum(1 for v in metric.values if v.baseline)
    assert "85 人 → 295 人" in svg.text_content()
    assert page.locator("table").count() >= 1, "the data table stays beside the chart"
    page.emulate_media(media="print")
    box = svg.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 50


def test_map_tiles_link_to_region_pages(browser, site_url, site_model):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    _open(page, site_url, "regions/")
    links = page.locator(".cb-map svg a")
    with_cases = site_model.regions_with_cases
    assert links.count() == len(with_cases)
    assert page.locator(".cb-map svg rect").count() == 34  # every province-level division has a square
    rows = page.locator(".md-typeset table tbody tr")
    assert rows.count() == 34, "every region is also in the table"
    for region in with_cases:  # each tile leads to its region page
        link = page.locator(f'.cb-map svg a[href$="/{region.key}/"]')
        assert str(len(region.cases)) in link.text_content() and region.zh in link.get_attribute("aria-label")
        with urllib.request.urlopen(site_url + "regions/" + region.key + "/") as response:
            assert region.zh in response.read().decode()
    first = with_cases[0]
    page.locator(f'.cb-map svg a[href$="/{first.key}/"]').click()  # a tap on a phone
    page.wait_for_url(f"**/regions/{first.key}/")
    assert first.zh in page.locator("h1").text_content()
    # the tile text is legible on a phone: at least 12 CSS pixels
    page.go_back()
    size = page.locator(".cb-map .cb-name").first.evaluate("e => e.getBoundingClientRect().height")
    assert size >= 12
    context.close()


def test_matrix_sorts_and_links_both_ways(page, site_url, site_model):
    _open(page, site_url, "matrix/")
    table = page.locator("table.cb-matrix")
    ids = lambda: table.locator("tbody tr").evaluate_all("rows => rows.map(r => r.id)")
    assert ids() == [c.id for c in site_model.cases]  # links from every model ...
    assert table.locator("thead th a").count() == len(site_model.measures_in_use)  # ... and to every measure type
    types = {c.id: len(c.measure_terms) for c in site_model.cases}
    count_header = table.locator("thead th").nth(2)
    count_header.locator("button.cb-sort").click()
    assert count_header.get_attribute("aria-sort") == "descending"
    assert ids() == sorted(types, key=lambda i: (-types[i], [c.id for c in site_model.cases].index(i)))
    count_header.locator("button.cb-sort").click()
    assert count_header.get_attribute("aria-sort") == "ascending"
    assert [types[i] for i in ids()] == sorted(types.values())
    term = site_model.measures_in_use[-1]  # the least used type: its users come first when sorted by it
    column = [t.key for t in site_model.measures_in_use].index(term.key) + 3
    table.locator("thead th").nth(column).locator("button.cb-sort").click()
    users = {c.id for c in term.using_cases}
    assert set(ids()[: len(users)]) == users and count_header.get_attribute("aria-sort") is None
    # a model page links back to its row in the matrix, and a row back to the model
    _open(page, site_url, PAGES["model"])
    page.locator(".cb-compare-bar a", has_text="Matrix").click()
    page.wait_for_url(lambda url: url.endswith(f"/matrix/#{MODEL}"))
    page.locator(f"tr#{MODEL} th a").click()
    page.wait_for_url(f"**/models/{MODEL}/")


def test_compare_page_aligns_rows(page, site_url, site_model):
    for ids in (COMPARE[:2], COMPARE):
        _open(page, site_url, "compare/?ids=" + ",".join(ids))
        cases = [c for c in site_model.cases if c.id in ids]
        cases.sort(key=lambda c: ids.index(c.id))
        table = page.locator("table.cb-compare")
        assert table.locator("thead th").count() == len(ids) + 1
        assert [t.strip() for t in table.locator("thead th a [lang=zh]").all_text_contents()] == [c.name for c in cases]
        rows = table.locator("tbody tr:not(.cb-section)")
        cells = rows.evaluate_all("rows => rows.map(r => r.cells.length)")
        assert set(cells) == {len(ids) + 1}, "every row has one cell per model"
        headers = rows.locator("th").all_text_contents()
        terms = {u.term.zh for c in cases for u in c.measures}
        metrics = {v.metric.zh for c in cases for v in c.metrics}
        assert terms <= {h.split(" ")[0] for h in headers} and metrics <= {h.split(" ")[0] for h in headers}
        shared_terms = set.intersection(*({u.term.zh for u in c.measures} for c in cases))
        shared_rows = {h.split(" ")[0] for h in table.locator("tr.cb-shared th").all_text_contents()}
        shared_metrics = set.intersection(*({v.metric.zh for v in c.metrics} for c in cases))
        assert shared_rows == shared_terms | shared_metrics
        assert page.locator(".cb-status").text_content() == ""
    # the measures section lists the shared types first
    first_measure_row = table.locator("tbody tr.cb-section").nth(1).evaluate("r => r.nextElementSibling.cells[0].textContent")
    assert first_measure_row.split(" ")[0] in {u.term.zh for u in cases[0].measures}
    # a wrong id is reported, the others still shown
    _open(page, site_url, "compare/?ids=" + COMPARE[0] + ",no-such-model," + COMPARE[1])
    page.wait_for_function("document.querySelector('.cb-status').textContent.includes('no-such-model')")
    assert page.locator("table.cb-compare thead th").count() == 3


def test_compare_page_reads_the_compact_records(page, site_url, built_site, site_model):
    """The compare page fetches each case's compact record (models/<id>.json: what the table shows, about
    a third of the full record, which is in data/cases.json.gz) and shows figures and sources from it."""
    import gzip

    requested = []
    page.on("request", lambda request: requested.append(request.url))
    _open(page, site_url, "compare/?ids=" + ",".join(COMPARE))
    fetched = sorted(url.rsplit("/", 1)[1] for url in requested if url.endswith(".json"))
    assert fetched == sorted(f"{case_id}.json" for case_id in COMPARE), fetched
    assert not [url for url in requested if "/data/" in url]
    full = {c["id"]: c for c in json.loads(gzip.decompress((built_site / "data" / "cases.json.gz").read_bytes()))["cases"]}
    table = page.locator("table.cb-compare").inner_text()
    for case in (c for c in site_model.cases if c.id in COMPARE):
        path = built_site / "models" / f"{case.id}.json"
        record = json.loads(path.read_text(encoding="utf-8"))
        assert record["id"] == case.id and "description" not in json.dumps(record)
        # names of measure types, metrics and the province are the compare page's (#cb-labels), the record's are keys
        assert not {"type_zh", "type_en", "metric_zh", "metric_en", "province_zh", "province_en"} & set(re.findall(r'"(\w+)":', json.dumps(record)))
        assert path.stat().st_size < 0.5 * len(json.dumps(full[case.id], ensure_ascii=False).encode("utf-8"))
        assert case.metrics[0].scope in table and case.sources[0].title in table and case.lead_organisation in table


def test_compare_page_unpacks_the_rows_of_the_compact_records(page, site_url, built_site, site_model):
    """The records' rows are arrays, their column names once on the compare page (data-columns): the table shows
    every measure, figure (as written in Chinese; in the metric's English unit in English, also where that is not
    the unit written: 万元 -> yuan), baseline, place and source of each case, and nothing undefined."""
    from casebook.render import _number

    ids = ["guangxi-qinzhou-lingshan-sanhai", "shandong-jinan-pingyin-siweiyiti", "hubei-wuhan-wuchang-huajin",
           "beijing-xicheng-desheng-12345"]
    record = json.loads((built_site / "models" / f"{ids[0]}.json").read_text(encoding="utf-8"))
    assert all(isinstance(row, list) for key in ("measures", "metrics", "sources") for row in record[key])
    assert not {"scope", "scope_en", "type", "publisher", "city"} & set(re.findall(r'"(\w+)":', json.dumps(record)))
    _open(page, site_url, "compare/?ids=" + ",".join(ids))
    table = page.locator("table.cb-compare")
    text = table.text_content()
    assert "undefined" not in text and "null" not in text and "NaN" not in text
    # a model is named by its name, as beside its remove button (the records have no titles)
    assert "title" not in record and "title_en" not in record
    first = next(c for c in site_model.cases if c.id == ids[0])
    remove = page.locator(".cb-picked button").first
    assert remove.get_attribute("data-cb-zh") == "移除：" + first.name and remove.get_attribute("data-cb-en") == "Remove: " + first.name_en

    def zh(a):
        return (a.qualifier_label.zh + " " if a.qualifier else "") + _number(a.value) + " " + a.unit

    def en(a, v):
        return (a.qualifier_label.en + " " if a.qualifier else "") + _number(a.base_value) + " " + v.metric.kind.unit_en

    shown = set(table.locator("td li strong").all_text_contents())
    scaled = baselines = 0
    for case in (c for c in site_model.cases if c.id in ids):
        for v in case.metrics:
            before_zh = zh(v.baseline) + " → " if v.baseline else ""
            before_en = en(v.baseline, v) + " → " if v.baseline else ""
            assert {before_zh + zh(v.amount), before_en + en(v.amount, v)} <= shown, (case.id, v.metric.key)
            assert v.scope in text and v.scope_en in text
            scaled += v.amount.base_value != v.amount.value
            baselines += v.baseline is not None
        for use in case.measures:
            assert use.name in text and use.name_en in text
        for source in case.sources:
            assert source.title in text and source.publisher in text and (source.date or "") in text
        assert case.locality.name_en in text and case.lead_organisation_en in text and case.summary in text
    assert scaled and baselines, "the cases compared include a figure in 万元 and one with a baseline"


def test_compare_control_on_model_pages(page, site_url):
    """Add two models from their pages, open the comparison, remove one, add one by name: the URL follows."""
    first, second = COMPARE[:2]
    _open(page, site_url, f"models/{first}/")
    button = page.locator("a[data-compare]")
    assert button.get_attribute("href").endswith(f"compare/?ids={first}")  # works without JS too
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    _open(page, site_url, f"models/{second}/")
    page.locator("a[data-compare]").click()
    view = page.locator("a.cb-compare-view")
    assert view.get_attribute("href").endswith(f"compare/?ids={first},{second}")
    view.click()
    page.wait_for_selector("table.cb-compare")
    assert page.locator("table.cb-compare thead th").count() == 3
    page.locator(".cb-picked button").first.click()
    page.wait_for_function("document.querySelectorAll('table.cb-compare thead th').length === 2")
    assert page.url.endswith(f"compare/?ids={second}")
    page.locator("#cb-add-input").fill("曲靖")
    page.locator(".cb-add button[type=submit]").click()
    page.wait_for_function("document.querySelectorAll('table.cb-compare thead th').length === 3")
    assert page.url.endswith(f"compare/?ids={second},{COMPARE[2]}")
    # a shared link opens the same comparison in a fresh browser
    context = page.context.browser.new_context()
    fresh = context.new_page()
    _open(fresh, site_url, page.url.split(site_url, 1)[1])
    assert fresh.locator("table.cb-compare thead th").count() == 3
    context.close()


def test_browsing_pages_stay_small(built_site):
    sizes = {p: p.stat().st_size for p in built_site.rglob("*.html")}
    assert max(sizes.values()) < 300_000
    for name in ("index.html", "regions/index.html", "matrix/index.html", "compare/index.html"):
        assert sizes[built_site / name] < 100_000, name
    assert max(size for p, size in sizes.items() if p.parent.parent.name == "models") <= MODEL_PAGE_BUDGET


def test_features_work_under_mkdocs_serve(tmp_path):
    """`make serve` from a fresh checkout serves the map, the matrix, the compare page and the JSON it reads."""
    with mkdocs_serve(hand_written_docs(tmp_path / "docs"), timeout=60) as base:
        get = lambda path: urllib.request.urlopen(base + path, timeout=10).read().decode()
        assert 'class="cb-map"' in get("regions/")
        assert 'class="cb-matrix"' in get("matrix/")
        assert 'id="cb-compare"' in get("compare/")
        assert json.loads(get(f"models/{MODEL}.json"))["id"] == MODEL
        assert MODEL in get("models/index.json")
        assert "compareApp" in get("javascripts/casebook.js")
