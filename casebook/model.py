"""Derive the site model from validated records, in one pass.

Records are kept exactly as written; everything derived (which cases use a measure, the
values of a metric compared in one base unit, cases per region and tag) is computed here,
once, in linear time. Templates see only these objects.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .load import RawData
from .schema import load_schema


@dataclass(repr=False)  # the model is a web of cross-references: a generated repr runs to gigabytes
class Label:
    zh: str
    en: str


@dataclass(repr=False)  # the model is a web of cross-references: a generated repr runs to gigabytes
class Term:
    key: str
    zh: str
    en: str
    definition: str = ""
    definition_en: str = ""
    cases: list = field(default_factory=list)  # tags: the cases tagged with it
    uses: list = field(default_factory=list)  # measure types: each case's use of it
    keywords: list = field(default_factory=list)  # words the importer matches (casebook/contrib/proposals.py)

    @property
    def using_cases(self) -> list:
        seen: dict = {}
        for use in self.uses:
            seen.setdefault(use.case.id, use.case)
        return list(seen.values())


@dataclass(repr=False)  # the model is a web of cross-references: a generated repr runs to gigabytes
class Region:
    key: str
    zh: str
    en: str
    code: str
    short: str = ""
    tile: list | None = None  # [column, row] on the tile-grid map
    cases: list = field(default_factory=list)


@dataclass(repr=False)  # the model is a web of cross-references: a generated repr runs to gigabytes
class MetricKind:
    key: str
    zh: str
    en: str
    unit: str
    unit_en: str
    units: dict


@dataclass(repr=False)  # the model is a web of cross-references: a generated repr runs to gigabytes
class Locality:
    """Where a case runs: the province key plus the levels the article names (empty when it does not)."""

    province: str
    name_en: str
    city: str = ""
    county: str = ""
    township: str = ""
    community: str = ""
    division_code: str = ""


@dataclass(repr=False)  # the model is a web of cross-references: a generated repr runs to gigabytes
class Source:
    id: str
    title: str
    publisher: str
    date: str
    kind: str
    kind_label: Label
    archive: str
    author: str = ""
    url: str = ""
    accessed: str = ""  # when the article was retrieved; the only date of an undated source
    case: object = None
    number: int = 1  # position in its case's source list, for [n] references

    @property
    def undated(self) -> bool:
        return not self.date


@dataclass(repr=False)  # the model is a web of cross-references: a generated repr runs to gigabytes
class MeasureUse:
    case: object
    term: Term
    name: str
    name_en: str
    description: str
    description_en: str
    evidence: str
    source: Source


@dataclass(repr=False)  # the model is a web of cross-references: a generated repr runs to gigabytes
class Lesson:
    """What the article recommends or draws as a lesson (its 启示), kept apart from what was done."""

    text: str
    text_en: str
    evidence: str
    source: Source


@dataclass(repr=False)  # the model is a web of cross-references: a generated repr runs to gigabytes
class Amount:
    """A number as the article writes it, with its qualifier and unit."""

    value: float
    unit: str
    qualifier: str | None
    qualifier_label: Label | None
    base_value: float  # in the metric kind's base unit, for comparison across cases


@dataclass(repr=False)  # the model is a web of cross-references: a generated repr runs to gigabytes
class MetricValue:
    case: object
    metric: "MetricDef"
    amount: Amount
    baseline: Amount | None
    baseline_as_of: str
    as_of: str
    period_start: str
    period_end: str
    scope: str
    scope_en: str
    evidence: str
    source: Source


@dataclass(repr=False)  # the model is a web of cross-references: a generated repr runs to gigabytes
class MetricDef:
    key: str
    zh: str
    en: str
    definition: str
    definition_en: str
    kind: MetricKind
    values: list = field(default_factory=list)

    @property
    def cases(self) -> list:
        seen: dict = {}
        for v in self.values:
            seen.setdefault(v.case.id, v.case)
        return list(seen.values())


@dataclass(repr=False)  # the model is a web of cross-references: a generated repr runs to gigabytes
class Case:
    id: str
    title: str
    title_en: str
    added: str
    name: str
    name_en: str
    region: Region
    locality: Locality
    level: str
    level_label: Label
    lead_organisation: str
    lead_organisation_en: str
    period_start: str
    period_end: str
    summary: str
    summary_en: str
    updated: str = ""  # last change of the record: its last commit's date (git), never before ``added``
    former_ids: list = field(default_factory=list)  # old ids whose addresses redirect here
    tags: list = field(default_factory=list)
    measures: list = field(default_factory=list)
    metrics: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    fingerprint: str = ""  # changes whenever anything shown on the case's own page may change
    lessons: list = field(default_factory=list)  # the article's lessons and recommendations

    @property
    def place(self) -> str:
        loc = self.locality
        return "".join((loc.city, loc.county, loc.township, loc.community)) or self.region.zh

    @property
    def measure_terms(self) -> list:
        seen: dict = {}
        for use in self.measures:
            seen.setdefault(use.term.key, use.term)
        return list(seen.values())

    @property
    def metric_defs(self) -> list:
        seen: dict = {}
        for value in self.metrics:
            seen.setdefault(value.metric.key, value.metric)
        return list(seen.values())


@dataclass(repr=False)  # the model is a web of cross-references: a generated repr runs to gigabytes
class SynonymGroup:
    """A group of data/synonyms.yml: words search treats as one (casebook/search/vocabulary.py)."""
    key: str
    words: list
    en: str
    one_way: bool = False


@dataclass(repr=False)  # the model is a web of cross-references: a generated repr runs to gigabytes
class Site:
    cases: list
    tags: list
    measures: list
    metrics: list
    kinds: list
    regions: list
    sources: list
    synonyms: list = field(default_factory=list)  # SynonymGroup, in the file's order

    @property
    def regions_with_cases(self) -> list:
        return [r for r in self.regions if r.cases]

    @property
    def measures_in_use(self) -> list:
        return [t for t in self.measures if t.uses]

    @property
    def metrics_in_use(self) -> list:
        return [m for m in self.metrics if m.values]

    @property
    def figure_count(self) -> int:
        return sum(len(c.metrics) for c in self.cases)

    @property
    def recent_cases(self) -> list:
        return sorted(self.cases, key=lambda c: (c.added, c.id), reverse=True)[:10]


def _labels(*path: str) -> dict[str, Label]:
    node = load_schema("case")
    for part in path:
        node = node[part]
    return {key: Label(**value) for key, value in node["x-labels"].items()}


def _date(value) -> str:
    return "" if value is None else str(value)


def _amount(value: float, unit: str, qualifier: str | None, kind: MetricKind, qualifiers: dict) -> Amount:
    factor = kind.units.get(unit, 1)
    return Amount(value=value, unit=unit, qualifier=qualifier,
                  qualifier_label=qualifiers.get(qualifier) if qualifier else None, base_value=value * factor)


def build_site(raw: RawData) -> Site:
    """The site model. ``raw`` must have passed validation."""
    tax = {name: doc.data for name, doc in raw.taxonomies.items()}
    levels = _labels("properties", "level")
    qualifiers = _labels("properties", "metrics", "items", "properties", "qualifier")
    source_kinds = _labels("properties", "sources", "items", "properties", "kind")

    tags = {k: Term(k, **v) for k, v in tax["tags"].items()}
    measures = {k: Term(k, **v) for k, v in tax["measures"].items()}
    regions = {k: Region(k, **v) for k, v in tax["regions"].items()}
    kinds = {k: MetricKind(k, **v) for k, v in tax["metrics"]["kinds"].items()}
    metrics = {k: MetricDef(k, v["zh"], v["en"], v["definition"], v["definition_en"], kinds[v["kind"]])
               for k, v in tax["metrics"]["metrics"].items()}

    taxonomy_digest = "".join(doc.digest for doc in raw.taxonomies.values())
    cases = []
    for doc in sorted(raw.cases, key=lambda d: d.data["id"]):
        rec = doc.data
        case = Case(
            id=rec["id"], title=rec["title"], title_en=rec["title_en"], added=rec["added"],
            name=rec["model"]["name"], name_en=rec["model"]["name_en"],
            region=regions[rec["locality"]["province"]], locality=Locality(**rec["locality"]),
            level=rec["level"], level_label=levels[rec["level"]],
            lead_organisation=rec["lead_organisation"], lead_organisation_en=rec["lead_organisation_en"],
            period_start=_date(rec.get("period", {}).get("start")), period_end=_date(rec.get("period", {}).get("end")),
            summary=rec["summary"], summary_en=rec["summary_en"],
            fingerprint=doc.digest and doc.digest + taxonomy_digest,
            updated=max(raw.changed.get(doc.path, ""), rec["added"]), former_ids=list(rec.get("former_ids", [])),
        )
        sources = {}
        for number, s in enumerate(rec["sources"], 1):
            sources[s["id"]] = Source(number=number, id=s["id"], title=s["title"], publisher=s["publisher"], date=_date(s.get("date")), kind=s["kind"],
                                      kind_label=source_kinds[s["kind"]], archive=s["archive"], author=s.get("author", ""),
                                      url=s.get("url", ""), accessed=_date(s.get("accessed")), case=case)
        only = next(iter(sources.values()))
        case.sources = list(sources.values())
        case.tags = [tags[t] for t in rec["tags"]]
        for t in case.tags:
            t.cases.append(case)
        for m in rec["measures"]:
            use = MeasureUse(case=case, term=measures[m["type"]], name=m["name"], name_en=m["name_en"],
                             description=m["description"], description_en=m["description_en"],
                             evidence=m["evidence"], source=sources.get(m.get("source"), only))
            case.measures.append(use)
            use.term.uses.append(use)
        case.lessons = [Lesson(text=x["lesson"], text_en=x["lesson_en"], evidence=x["evidence"], source=sources.get(x.get("source"), only))
                        for x in rec.get("lessons", [])]
        for m in rec["metrics"]:
            metric = metrics[m["metric"]]
            base = m.get("baseline")
            value = MetricValue(
                case=case, metric=metric,
                amount=_amount(m["value"], m["unit"], m.get("qualifier"), metric.kind, qualifiers),
                baseline=_amount(base["value"], m["unit"], base.get("qualifier"), metric.kind, qualifiers) if base else None,
                baseline_as_of=_date((base or {}).get("as_of")),
                as_of=_date(m.get("as_of")), period_start=_date(m.get("period", {}).get("start")), period_end=_date(m.get("period", {}).get("end")),
                scope=m["scope"], scope_en=m["scope_en"], evidence=m["evidence"],
                source=sources.get(m.get("source"), only),
            )
            case.metrics.append(value)
            metric.values.append(value)
        case.region.cases.append(case)
        cases.append(case)

    for metric in metrics.values():
        # Largest first; ties broken by case id so the order never depends on file order.
        metric.values.sort(key=lambda v: (-v.amount.base_value, v.case.id, v.scope))
    all_sources = sorted((s for c in cases for s in c.sources), key=lambda s: (s.date or s.accessed, s.case.id, s.id), reverse=True)
    return Site(
        cases=cases,
        tags=sorted(tags.values(), key=lambda t: (-len(t.cases), t.key)),
        measures=sorted(measures.values(), key=lambda t: (-len(t.using_cases), t.key)),
        metrics=sorted(metrics.values(), key=lambda m: (-len(m.cases), m.key)),
        kinds=list(kinds.values()),
        regions=sorted(regions.values(), key=lambda r: r.code),
        sources=all_sources,
        synonyms=[SynonymGroup(key, list(g["zh"]), g["en"], bool(g.get("one_way"))) for key, g in (raw.synonyms.data if raw.synonyms else {}).items()],
    )
