"""Geometry of the build-time charts (casebook.charts) and the views behind the matrix and compare pages."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from casebook import charts, views
from casebook.load import load_data
from casebook.model import Amount, Case, Locality, MeasureUse, MetricDef, MetricKind, MetricValue, Region, Site, Source, Term
from casebook.pipeline import build
from casebook.render import GENERATED_MARK, Renderer, render_site
from casebook.validate import validate
from casebook.write import plan_writes

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def real():
    return build(ROOT / "data")


def _case(i: int, region: Region, measures=()) -> Case:
    case = Case(id=f"case-{i:05d}", title=f"案例{i}", title_en=f"Case {i}", added="2026-01-01", name=f"模式{i}", name_en=f"Model {i}",
                region=region, locality=Locality(province=region.key, name_en="", county=f"{i}县"), level="county", level_label=None,
                lead_organisation="", lead_organisation_en="", period_start="2020", period_end="", summary="", summary_en="")
    source = Source(id="s", title="t", publisher="p", date="2020", kind="web", kind_label=None, archive="a.txt", case=case)
    case.sources = [source]
    for term in measures:
        use = MeasureUse(case=case, term=term, name="n", name_en="n", description="", description_en="", evidence="", source=source)
        case.measures.append(use)
        term.uses.append(use)
    region.cases.append(case)
    return case


def _metric(values: list[tuple[float, str | None, float | None]]) -> MetricDef:
    kind = MetricKind("people", "人数", "people", "人", "people", {"人": 1})
    metric = MetricDef("m", "人数", "people", "", "", kind)
    region = Region("hubei", "湖北省", "Hubei", "42", short="湖北", tile=[3, 4])
    for i, (value, qualifier, before) in enumerate(values):
        case = _case(i, region)
        amount = lambda v, q=None: Amount(value=v, unit="人", qualifier=q, qualifier_label=None, base_value=v)
        metric.values.append(MetricValue(case=case, metric=metric, amount=amount(value, qualifier),
                                         baseline=amount(before) if before is not None else None, baseline_as_of="", as_of="2020",
                                         period_start="", period_end="", scope="范围" * 30, scope_en="", evidence="", source=case.sources[0]))
    metric.values.sort(key=lambda v: -v.amount.base_value)
    return metric


def test_bars_are_proportional_and_marked():
    chart = charts.bar_chart(_metric([(1000, "over", None), (500, None, 100), (250, "about", None), (0, None, None)]))
    widths = [b.width for b in chart.bars]
    assert widths[0] == charts.BAR_MAX and widths[1] == charts.BAR_MAX // 2 and abs(widths[2] - charts.BAR_MAX / 4) <= 1
    assert widths[3] == 0
    more, before, approx, zero = chart.bars
    assert more.mark == "more" and more.arrow[0] == more.width + 1 and more.text_x > more.arrow[2]
    assert before.before_width == round(charts.BAR_MAX * 100 / 1000) and before.bar_y > before.before_y
    assert approx.mark == "approx" and approx.solid_width == approx.width - charts.FUZZY_WIDTH
    assert chart.has_more and chart.has_approx and chart.has_baseline and not chart.truncated
    ys = [b.y for b in chart.bars]
    assert ys == sorted(ys) and chart.height > zero.bar_y  # rows never overlap and all fit
    assert all(charts.text_width(b.label, charts.LABEL_SIZE) <= charts.CHART_WIDTH for b in chart.bars)
    assert all(b.label.endswith("…") for b in chart.bars)  # the long scope was cut


def test_baseline_larger_than_value_sets_the_scale():
    chart = charts.bar_chart(_metric([(50, None, 200)]))
    assert chart.bars[0].before_width == charts.BAR_MAX and chart.bars[0].width == charts.BAR_MAX // 4


def test_chart_is_capped_for_large_metrics():
    metric = _metric([(float(i + 1), None, None) for i in range(3000)])
    chart = charts.bar_chart(metric)
    assert len(chart.bars) == charts.CHART_LIMIT and chart.total == 3000 and chart.truncated
    assert chart.bars[0].value.amount.value == 3000  # the largest are drawn
    svg = Renderer().page("_partials/bar_chart.svg.j2", "metrics/m.md", metric=metric, chart=chart)
    assert len(svg.encode()) < 25_000, "the chart must stay small however many values the metric has"
    assert "metrics.csv" in svg and "3000" in svg
    # the link goes to the download as published (a zip since issue 17), not to a file that no longer exists
    from casebook.opendata import package_descriptor
    published = {r["path"] for r in package_descriptor()["resources"]}
    linked = {href.rsplit("data/", 1)[1] for href in re.findall(r'href="([^"]*data/[^"]*)"', svg)}
    assert linked == {"metrics.csv.zip"} and linked <= published, linked


def test_every_metric_page_has_an_svg_chart_with_a_title_first(real):
    site, pages = real
    for metric in site.metrics_in_use:
        text = pages[f"metrics/{metric.key}.md"]
        svg = re.search(r"<svg [^>]*class=\"cb-bars\"[^>]*>\s*(<[a-z]+)", text)
        assert svg and svg.group(1) == "<title", metric.key
        assert "<desc" in text and text.count('class="cb-bar-label"') == min(len(metric.values), charts.CHART_LIMIT)
        assert not re.search(r"(src|href)=\"https?:", text.split("<svg", 1)[1].split("</figure>")[0]), "charts load nothing"


def test_tile_map_levels_and_legend():
    assert charts.level(0, 10) == 0 and charts.level(10, 10) == charts.LEVELS and charts.level(1, 1) == charts.LEVELS
    for top in (1, 2, 3, 7, 30, 999, 10_000):
        legend = charts.tile_map([Region("a", "甲", "A", "11", tile=[0, 0], cases=[None] * top)]).legend
        covered = [n for step in legend for n in range(step.low, step.high + 1)]
        assert covered == list(range(1, top + 1)), top  # every count is in exactly one step
        assert all(charts.level(step.low, top) == step.level == charts.level(step.high, top) for step in legend)


def test_real_regions_all_have_their_own_tile(real):
    site, _ = real
    assert len(site.regions) == 34 and all(r.tile and r.short for r in site.regions)
    assert len({tuple(r.tile) for r in site.regions}) == 34
    tiles = charts.tile_map(site.regions)
    assert len(tiles.tiles) == 34 and tiles.total == len(site.regions_with_cases)
    assert {t.region.key for t in tiles.tiles if t.level} == {r.key for r in site.regions_with_cases}


def test_two_regions_on_one_tile_is_reported(tmp_path):
    import shutil
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / "regions.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("tile: [5, 2]", "tile: [4, 1]"), encoding="utf-8")  # tianjin onto beijing
    problems = validate(load_data(data))
    assert [(p.field, p.line) for p in problems] == [("tianjin.tile", 5)]
    assert "also used by beijing" in problems[0].message and problems[0].hint


def test_matrix_fits_one_page_then_splits_by_region():
    terms = [Term(k, k, k) for k in ("a", "b", "c")]
    regions = [Region("r1", "甲", "R1", "11"), Region("r2", "乙", "R2", "12")]
    cases = [_case(i, regions[i % 2], measures=[terms[i % 3], terms[i % 3], terms[2]]) for i in range(7)]
    site = Site(cases=cases, tags=[], measures=terms, metrics=[], kinds=[], regions=regions, sources=[])
    one = views.matrix(site, page_size=10)
    assert [p.path for p in one.pages] == ["matrix/index.md"] and not one.regions
    row = one.pages[0].rows[0]
    assert row.cells == [2, 0, 1] and row.types == 2
    split = views.matrix(site, page_size=2)
    assert [p.path for p in split.pages] == ["matrix/index.md", "matrix/r1.md", "matrix/r1-2.md", "matrix/r2.md", "matrix/r2-2.md"]
    assert split.pages[1].next == "matrix/r1-2.md" and split.pages[2].prev == "matrix/r1.md" and not split.pages[3].prev
    assert all(len(p.rows) <= 2 for p in split.pages) and sum(len(p.rows) for p in split.pages) == 7
    assert set(split.page_of) == {c.id for c in cases}
    assert split.regions[0].cells == [2, 1, 4]  # of r1's four cases, 2 use a, 1 uses b, all use c


def test_case_json_is_deterministic_and_marked(real):
    site, pages = real
    again = render_site(build(ROOT / "data")[0])
    for case in site.cases:
        text = pages[f"models/{case.id}.json"]
        assert text == again[f"models/{case.id}.json"]
        data = json.loads(text)
        assert data["$comment"] == GENERATED_MARK and data["id"] == case.id
        assert GENERATED_MARK in text[:512] and list(data) == sorted(data)
    index = json.loads(pages["models/index.json"])
    assert [c["id"] for c in index["cases"]] == [c.id for c in site.cases]


def test_generated_json_is_owned_by_the_writer(tmp_path, real):
    _, pages = real
    docs = tmp_path / "docs"
    (docs / "models").mkdir(parents=True)
    (docs / "models" / "gone.json").write_text(json.dumps({"$comment": GENERATED_MARK}), encoding="utf-8")
    (docs / "models" / "mine.json").write_text("{}", encoding="utf-8")
    writes, stale, problems = plan_writes(docs, pages)
    assert docs / "models" / "gone.json" in stale and docs / "models" / "mine.json" not in stale
    assert not problems and any(p.suffix == ".json" for p in writes)
