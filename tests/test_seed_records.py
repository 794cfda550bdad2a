"""The seed records as a researcher meets them on the built site: an undated article's figures say they are
undated and its citation gives the access date; an article's recommendations stand under their own heading
and in lessons.csv; a search for 金牌调解员 finds the Qilin model (Pagefind, in Chromium)."""
from __future__ import annotations

import csv
import html as htmllib
import io
import re
import zipfile
from urllib.parse import quote, urlsplit

QILIN = "yunnan-qujing-qilin-siqiang"
LINGSHAN = "guangxi-qinzhou-lingshan-sanhai"


def _text(html: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", html))


def test_undated_source_figures_and_citation(built_site):
    html = (built_site / "models" / QILIN / "index.html").read_text(encoding="utf-8")
    figures = html[html.index('id="figures"'):html.index('id="sources"')]
    assert figures.count("未注明日期") == 9 and figures.count("undated") >= 9  # the nine figures the article gives no date for
    assert "2021" not in figures  # no invented year
    assert "2020" in figures  # the one figure whose quote dates it (2020年……活动28次)
    sources = _text(html[html.index('id="sources"'):])
    assert re.search(r"未注明日期，2026-11-22 访问\s+undated, accessed 2026-11-22", sources), sources
    assert re.search(r"治理\[EB/OL\]\. 党建网\[2026-11-22\]\.", sources), sources


def test_lessons_have_their_own_heading_and_table(built_site):
    html = (built_site / "models" / LINGSHAN / "index.html").read_text(encoding="utf-8")
    measures, lessons = html[html.index('id="measures"'):html.index('id="lessons"')], html[html.index('id="lessons"'):html.index('id="figures"')]
    assert "经验与启示" in lessons and "Lessons and recommendations" in lessons
    assert "在家通过电视广播" in lessons and "电视广播" not in measures  # a recommendation, not a measure
    with zipfile.ZipFile(built_site / "data" / "lessons.csv.zip") as archive:  # published in a zip (issue 17)
        rows = list(csv.DictReader(io.StringIO(archive.read("lessons.csv").decode("utf-8"))))
    assert [r["n"] for r in rows if r["case"] == LINGSHAN] == ["1", "2", "3"]
    assert all(r["evidence"] and r["lesson_en"] for r in rows)


def test_search_finds_the_gold_medal_mediators(page, site_url):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(site_url + "search/?q=" + quote("金牌调解员"))
    page.wait_for_function("document.getElementById('search-results').getAttribute('aria-busy') === 'false'"
                           " && document.querySelectorAll('#search-results a.cb-result__title').length > 0")
    assert not errors, errors
    urls = [urlsplit(a).path for a in page.locator("#search-results a.cb-result__title").evaluate_all("els => els.map(e => e.href)")]
    assert urls[0].endswith(f"/models/{QILIN}/"), urls


def test_undated_source_in_each_citation_style():
    """GB/T 7714: an undated [EB/OL] with the access date in brackets; CSL-JSON: no issued date, the access
    date; APA (through the same CSL item): n.d. A dated source keeps its date in all of them."""
    from casebook.cite import APA, format_item, gbt_source, source_item
    from casebook.load import load_data
    from casebook.model import build_site
    from conftest import ROOT

    cases = {c.id: c for c in build_site(load_data(ROOT / "data")).cases}
    qilin = cases[QILIN]
    source = qilin.sources[0]
    item = source_item(source, qilin)
    assert "issued" not in item and item["accessed"] == {"date-parts": [[2026, 11, 22]]}
    assert gbt_source(source, qilin).endswith("[EB/OL]. 党建网[2026-11-22].")
    assert "(n.d.)" in format_item(APA, item)
    dated = cases[LINGSHAN]
    assert source_item(dated.sources[0], dated)["issued"] == {"date-parts": [[2018, 10, 30]]}
    assert "2018" in gbt_source(dated.sources[0], dated) and "(2018" in format_item(APA, source_item(dated.sources[0], dated))
