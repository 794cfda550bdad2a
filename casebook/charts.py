"""Geometry of the charts drawn at build time: numbers and labels only.

The SVG markup lives in ``templates/_partials/bar_chart.svg.j2`` and ``tile_map.svg.j2``; this
module decides where things go. Coordinates are integers in the SVG's own units (its viewBox),
so the markup stays short and the same input always gives the same bytes.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from .model import MetricDef, MetricValue, Region

CHART_LIMIT = 30  # bars drawn on a metric page; the table below lists every value

# Bar chart, in viewBox units. The SVG is drawn at most 440 px wide and shrinks to a phone's
# width (~360 px), so its text stays between about 14 and 17 px.
CHART_WIDTH = 360
LABEL_SIZE = 14
BAR_TOP = 5  # gap between a label's baseline and the bars under it
BAR_HEIGHT = 14
BEFORE_HEIGHT = 6  # the thin bar of the value before (baseline), drawn above the bar of the value after
ROW_GAP = 11
BAR_MAX = 210  # longest bar; the rest of the width holds the value text
MARK_WIDTH = 7  # the arrow after a bar whose value is a lower bound (余, 以上)
FUZZY_WIDTH = 10  # the faded end of a bar whose value is approximate (约, 近)

MORE = {"over", "at-least"}
APPROX = {"about", "nearly"}


def text_width(text: str, size: float) -> float:
    """Rough advance width: CJK and full-width forms take 1 em, other characters about 0.6 em."""
    return sum(size if ord(c) >= 0x2E80 else 0.6 * size for c in text)


def truncate(text: str, width: float, size: float) -> str:
    """``text`` cut with an ellipsis so that it fits ``width``."""
    if text_width(text, size) <= width:
        return text
    room = width - size  # the ellipsis
    out = []
    for c in text:
        room -= text_width(c, size)
        if room < 0:
            break
        out.append(c)
    return "".join(out) + "…"


def locality_label(case) -> str:
    """Province and the most specific place: 湖北 华锦社区."""
    loc = case.locality
    place = next((getattr(loc, k) for k in ("community", "township", "county", "city") if getattr(loc, k)), "")
    region = case.region.short or case.region.zh
    return f"{region} {place}".strip()


def locality_label_en(case) -> str:
    """The most specific place and the province, in English: Huajin Community, Hubei."""
    first = case.locality.name_en.split(",")[0].strip()
    return first if first == case.region.en else f"{first}, {case.region.en}"


@dataclass
class Bar:
    value: MetricValue
    label: str  # shortened: locality and scope; the full text is in the bar's <title> and in the table
    label_en: str  # the same in English, for the English view
    y: int  # baseline of the label text
    bar_y: int  # top of the bar of the value
    width: int  # length of the bar
    mark: str  # "", "more" (lower bound: arrow) or "approx" (faded end)
    solid_width: int  # length of the solid part (shorter than width when the end is faded)
    mark_x: int  # where the faded end starts
    text_x: int  # where the value text starts
    text_y: int
    arrow: tuple = ()  # x1, y1, x2, y2, x3, y3 of the arrow after a lower-bound bar
    before_y: int = 0  # top of the thin bar of the value before (baseline)
    before_width: int | None = None


@dataclass
class BarChart:
    metric: MetricDef
    width: int
    height: int
    bars: list
    total: int  # values of the metric; len(bars) of them are drawn
    bar_height: int = BAR_HEIGHT
    before_height: int = BEFORE_HEIGHT
    fuzzy_width: int = FUZZY_WIDTH
    has_more: bool = False
    has_approx: bool = False
    has_baseline: bool = False

    @property
    def truncated(self) -> bool:
        return self.total > len(self.bars)


def _length(base_value: float, top: float) -> int:
    if top <= 0 or base_value <= 0:
        return 0
    return max(2, round(BAR_MAX * base_value / top))


def bar_chart(metric: MetricDef, limit: int = CHART_LIMIT) -> BarChart | None:
    """Horizontal bars for the largest ``limit`` values of ``metric``, compared in its base unit.
    Each row: a label line, then (if the article gives a value before) a thin bar for it, then the bar of the value."""
    values = metric.values[:limit]  # the model sorts them largest first
    if not values:
        return None
    top = max(max(v.amount.base_value, v.baseline.base_value if v.baseline else 0) for v in values)
    bars, y = [], 0
    for v in values:
        label_y = y + LABEL_SIZE
        before_y = label_y + BAR_TOP
        bar_y = before_y + (BEFORE_HEIGHT + 2 if v.baseline else 0)
        width = _length(v.amount.base_value, top)
        q = v.amount.qualifier
        mark = "more" if q in MORE else "approx" if q in APPROX and width > 2 * FUZZY_WIDTH else ""
        solid = width - FUZZY_WIDTH if mark == "approx" else width
        end = width + (MARK_WIDTH + 1 if mark == "more" else 0)
        bars.append(Bar(
            value=v, label=truncate(f"{locality_label(v.case)} · {v.scope}", CHART_WIDTH, LABEL_SIZE),
            label_en=truncate(f"{locality_label_en(v.case)} · {v.scope_en}", CHART_WIDTH, LABEL_SIZE),
            y=label_y, bar_y=bar_y, width=width, mark=mark, solid_width=solid, mark_x=solid,
            text_x=end + 6, text_y=bar_y + BAR_HEIGHT - 2,
            arrow=(width + 1, bar_y, width + 1 + MARK_WIDTH, bar_y + BAR_HEIGHT // 2, width + 1, bar_y + BAR_HEIGHT) if mark == "more" else (),
            before_y=before_y, before_width=_length(v.baseline.base_value, top) if v.baseline else None))
        y = bar_y + BAR_HEIGHT + ROW_GAP
    return BarChart(metric=metric, width=CHART_WIDTH, height=y - ROW_GAP + 2, bars=bars, total=len(metric.values),
                    has_more=any(b.mark == "more" for b in bars), has_approx=any(b.mark == "approx" for b in bars),
                    has_baseline=any(b.before_width is not None for b in bars))


# Tile-grid map of the province-level divisions, in viewBox units.
TILE_PITCH = 64
TILE_SIZE = 60
LEVELS = 4  # colour steps for regions with cases; level 0 is "no case yet"


@dataclass
class Tile:
    region: Region
    x: int
    y: int
    cx: int  # centre, for the text
    name_y: int
    count_y: int
    level: int


@dataclass
class LegendStep:
    level: int
    low: int
    high: int


@dataclass
class TileMap:
    width: int
    height: int
    size: int
    tiles: list
    legend: list = field(default_factory=list)
    total: int = 0  # regions with cases


def level(count: int, top: int) -> int:
    """Colour step 0..LEVELS on a logarithmic scale, so one province with many cases does not wash out the rest."""
    if count <= 0:
        return 0
    return max(1, math.ceil(LEVELS * math.log1p(count) / math.log1p(top)))


def tile_map(regions: list) -> TileMap:
    """Squares for every region with a ``tile`` position, shaded by its number of cases."""
    placed = [r for r in regions if r.tile]
    top = max((len(r.cases) for r in regions), default=0)
    tiles = []
    for r in sorted(placed, key=lambda r: (r.tile[1], r.tile[0])):  # reading order: row by row
        col, row = r.tile
        x, y = col * TILE_PITCH, row * TILE_PITCH
        tiles.append(Tile(region=r, x=x, y=y, cx=x + TILE_SIZE // 2, name_y=y + (26 if r.cases else 36), count_y=y + 48,
                          level=level(len(r.cases), top)))
    cols = max((r.tile[0] for r in placed), default=0) + 1
    rows = max((r.tile[1] for r in placed), default=0) + 1
    legend, low = [], 1
    for step in range(1, LEVELS + 1):
        high = min(top, math.floor(math.expm1(step * math.log1p(top) / LEVELS) + 1e-9)) if top else 0
        while high < top and level(high + 1, top) == step:  # guard against rounding at the boundary
            high += 1
        while high >= low and level(high, top) > step:
            high -= 1
        if high >= low:
            legend.append(LegendStep(level=step, low=low, high=high))
            low = high + 1
    return TileMap(width=cols * TILE_PITCH - (TILE_PITCH - TILE_SIZE), height=rows * TILE_PITCH - (TILE_PITCH - TILE_SIZE),
                   size=TILE_SIZE, tiles=tiles, legend=legend, total=sum(1 for r in regions if r.cases))
