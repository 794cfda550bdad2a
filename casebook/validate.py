"""Check records as written: structure against the JSON Schemas, then what a schema cannot
express (references to taxonomies, ids matching file names, quotes found in the sources)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from pathlib import PurePath

from . import claims
from .dates import after, date_parts, dates_in, dates_in_address, expand, shown, start_dates_in, with_year
from .load import RawData
from .problems import Problem, format_path
from .schema import did_you_mean, example_for, load_schema, parse_field, schema_problems
from .textnorm import numbers_in, quote_in, to_simplified
from .yamlsafe import Document

_TAXONOMY_SCHEMA = {"tags": "terms", "measures": "terms", "metrics": "metrics", "regions": "regions"}


def _keys(doc: Document | None, section: str | None = None) -> dict:
    if doc is None or not isinstance(doc.data, dict):
        return {}
    data = doc.data.get(section, {}) if section else doc.data
    return data if isinstance(data, dict) else {}


def suggest_term(value: str, terms: dict) -> str:
    """did you mean …? by key, or by the Chinese or English label a contributor may have typed (网格化治理)."""
    text = str(value).strip().lower()
    for key, term in terms.items():
        if isinstance(term, dict) and text in (str(term.get("zh", "")).lower(), str(term.get("en", "")).lower()):
            return f"did you mean '{key}' ({term.get('zh', '')} / {term.get('en', '')})? "
    return did_you_mean(value, terms)


TODO = "TODO"

# Fields whose value is a taxonomy key: (pattern of the field path, taxonomy, section of it)
_TERM_FIELDS = ((re.compile(r"^tags\[\d+\]$"), "tags", None), (re.compile(r"^measures\[\d+\]\.type$"), "measures", None),
                (re.compile(r"^metrics\[\d+\]\.metric$"), "metrics", "metrics"), (re.compile(r"^locality\.province$"), "regions", None))


def _taxonomy_hint(problem: Problem, doc: Document, raw: RawData) -> Problem:
    """A taxonomy field written as a label (网格化治理 for grid-governance) fails the key pattern: name the key."""
    for pattern, name, section in _TERM_FIELDS:
        if pattern.match(problem.field) and "expected form" in problem.message:
            value = doc.data
            for part in parse_field(problem.field):
                value = value[part]
            suggestion = suggest_term(value, _keys(raw.taxonomies.get(name), section))
            if suggestion:
                return dataclasses.replace(problem, hint=f"{suggestion}{problem.hint}")
    return problem


def todo_problems(doc: Document) -> list[Problem]:
    """Every value still marked TODO (left by scripts/import_source.py or scripts/new_case.py)."""
    found: list[Problem] = []
    root = load_schema("case")

    def walk(node, path: tuple) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, path + (k,))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, path + (i,))
        elif isinstance(node, str) and node.strip().upper().startswith(TODO):
            line, col = doc.where(path)
            rest = node.strip()[len(TODO):].lstrip(" :：-")
            found.append(Problem(doc.path, line, col, format_path(path), "still marked TODO" + (f": {rest}" if rest else ""),
                                 "decide this value and write it without the TODO marker", example_for(root, path)))

    walk(doc.data, ())
    return found


class _CaseChecker:
    """Semantic checks of one structurally valid case."""

    def __init__(self, doc: Document, raw: RawData):
        self.doc, self.raw = doc, raw
        self.tax = raw.taxonomies
        self.problems: list[Problem] = []

    def add(self, path: tuple, message: str, hint: str = "", example: str = "", key: bool = False) -> None:
        line, col = self.doc.where(path, key=key)
        self.problems.append(Problem(self.doc.path, line, col, format_path(path), message, hint, example))

    def unknown(self, path: tuple, value: str, choices: dict, file: str, what: str) -> None:
        self.add(path, f"unknown {what} '{value}'",
                 f"{suggest_term(value, choices)}use a key of data/{file}, or add the new term there with zh, en and definitions",
                 example_for(load_schema("case"), path))

    def run(self) -> list[Problem]:
        case = self.doc.data
        stem = PurePath(self.doc.path).stem
        if case["id"] != stem:
            self.add(("id",), f"id '{case['id']}' differs from the file name '{stem}.yml'",
                     f"the file must be named {case['id']}.yml, or the id must be {stem}; ids are permanent, so rename the file")
        self.check_locality(case)
        for i, tag in enumerate(case["tags"]):
            if tag not in _keys(self.tax.get("tags")):
                self.unknown(("tags", i), tag, _keys(self.tax.get("tags")), "tags.yml", "tag")
        if "period" in case:
            self.check_period(("period",), case["period"])
        sources = self.check_sources(case["sources"])
        for i, measure in enumerate(case["measures"]):
            if measure["type"] not in _keys(self.tax.get("measures")):
                self.unknown(("measures", i, "type"), measure["type"], _keys(self.tax.get("measures")), "measures.yml", "measure type")
            self.check_evidence(("measures", i), measure, sources)
        for i, lesson in enumerate(case.get("lessons", [])):
            self.check_evidence(("lessons", i), lesson, sources)
        for i, metric in enumerate(case["metrics"]):
            self.check_metric(("metrics", i), metric, sources)
        self.check_dates(case, sources)
        self.check_numbers(case, sources)
        return self.problems

    def check_locality(self, case: dict) -> None:
        regions = _keys(self.tax.get("regions"))
        province = case["locality"]["province"]
        if province not in regions:
            self.unknown(("locality", "province"), province, regions, "regions.yml", "province")
            return
        parent = PurePath(self.doc.path).parent.name
        if parent != province:
            self.add(("locality", "province"), f"the file is in data/cases/{parent}/ but the province is '{province}'",
                     f"move the file to data/cases/{province}/")
        code = case["locality"].get("division_code")
        if code and not code.startswith(regions[province]["code"]):
            self.add(("locality", "division_code"), f"division code {code} is not in {regions[province]['zh']} (codes start with {regions[province]['code']})",
                     "look the county up in the GB/T 2260 list; the first two digits name the province")

    def check_period(self, path: tuple, period: dict) -> None:
        start, end = (str(period[k]) if k in period else None for k in ("start", "end"))
        if start and end and end[: len(start)] < start[: len(end)]:
            self.add(path + ("end",), f"period ends ({end}) before it starts ({start})", "swap start and end, or correct the year")

    def check_sources(self, sources: list) -> dict:
        by_id: dict = {}
        for i, source in enumerate(sources):
            if source["id"] in by_id:
                self.add(("sources", i, "id"), f"source id '{source['id']}' is used twice", "give each source of a case its own id")
            by_id[source["id"]] = source
            if source["archive"] not in self.raw.sources:
                self.add(("sources", i, "archive"), f"archived source data/sources/{source['archive']} does not exist",
                         "archive the cleaned article text there; python scripts/import_source.py ARTICLE.txt --id ID does it for you")
        return by_id

    def source_of(self, path: tuple, item: dict, sources: dict) -> dict | None:
        if "source" in item:
            if item["source"] not in sources:
                self.add(path + ("source",), f"unknown source '{item['source']}'",
                         f"{did_you_mean(item['source'], sources)}use the id of one of this case's sources: {', '.join(sources)}")
                return None
            return sources[item["source"]]
        if len(sources) > 1:
            self.add(path, "this case has several sources; say which one the evidence comes from",
                     f"add source: with one of {', '.join(sources)}")
            return None
        return next(iter(sources.values()))

    def check_evidence(self, path: tuple, item: dict, sources: dict) -> None:
        source = self.source_of(path, item, sources)
        if source is None or source["archive"] not in self.raw.sources:
            return
        if not quote_in(item["evidence"], self.raw.sources[source["archive"]]):
            self.add(path + ("evidence",), "evidence quote not found in the archived source",
                     f"copy a passage verbatim from data/sources/{source['archive']} (simplified characters are fine; "
                     "spacing and quote style are ignored); do not shorten or join sentences")

    def check_metric(self, path: tuple, metric: dict, sources: dict) -> None:
        metrics = _keys(self.tax.get("metrics"), "metrics")
        kinds = _keys(self.tax.get("metrics"), "kinds")
        if metric["metric"] not in metrics:
            self.unknown(path + ("metric",), metric["metric"], metrics, "metrics.yml", "metric")
        else:
            kind_key = metrics[metric["metric"]].get("kind")
            units = kinds.get(kind_key, {}).get("units", {})
            if metric["unit"] not in units:
                self.add(path + ("unit",), f"unit '{metric['unit']}' does not fit the metric '{metric['metric']}' ({kind_key})",
                         f"use one of: {', '.join(units)}; or choose a metric whose kind takes {metric['unit']}")
        self.check_evidence(path, metric, sources)
        found = numbers_in(metric["evidence"])
        for field, value in (("value", metric["value"]), ("baseline", metric.get("baseline", {}).get("value"))):
            if value is not None and float(value) not in found:
                shown = ", ".join(f"{n:g}" for n in sorted(found)) or "none"
                self.add(path + ((field, "value") if field == "baseline" else (field,)),
                         f"{value:g} does not appear in the evidence quote (numbers in it: {shown})",
                         "write the number as the article does in its unit (20.51 for 20.51万元, 4 for 近4成), "
                         "and quote the sentence that contains it")
        if "period" in metric:
            self.check_period(path + ("period",), metric["period"])


    # --- dates: each one the source's own or written in its quote (CONTRIBUTING.md, "Dates") ---------------

    def archive_text(self, source: dict | None) -> str:
        return self.raw.sources.get(source["archive"], "") if source else ""

    def check_dates(self, case: dict, sources: dict) -> None:
        today = dt.date.today().isoformat()
        if str(case["added"]) > today:
            self.add(("added",), f"added {case['added']} is in the future",
                     "write the day the case is added to the knowledge base, today or earlier")
        for i, source in enumerate(case["sources"]):
            self.check_source_date(("sources", i), source, today)
        if "period" in case:
            self.check_case_period(case, sources)
        for i, metric in enumerate(case["metrics"]):
            source = self.source_for(metric, sources)
            if source is not None:
                self.check_metric_dates(("metrics", i), metric, source)

    def source_for(self, item: dict, sources: dict) -> dict | None:
        if "source" in item:
            return sources.get(item["source"])
        return next(iter(sources.values())) if len(sources) == 1 else None

    def check_source_date(self, path: tuple, source: dict, today: str) -> None:
        if "accessed" in source and str(source["accessed"]) > today:
            self.add(path + ("accessed",), f"accessed {source['accessed']} is in the future",
                     "write the day you retrieved the article")
        if "date" not in source:
            if "accessed" not in source:
                self.add(path, "the source has neither a publication date nor an access date",
                         "copy the date from the article's date line (date: 2019-09-24); if the article carries no date, "
                         "write the day you retrieved it as accessed: YYYY-MM-DD and the source is shown as undated")
            return
        date = str(source["date"])
        text = self.archive_text(source)
        if source["archive"] not in self.raw.sources:
            return  # reported as a missing archive
        found = _article_dates(text, None) | dates_in_address(source.get("url", ""))
        if date not in found:
            self.add(path + ("date",), f"{date} is not a date the archived article gives (dates in data/sources/{source['archive']}: "
                     f"{shown(found)})",
                     "copy the publication date from the article's date line or its address; if the article carries no date, "
                     "remove date: and write accessed: with the day you retrieved it (the source is then shown as undated)")
        elif "accessed" in source and after(date, str(source["accessed"])):
            self.add(path + ("accessed",), f"accessed {source['accessed']} is before the article's date {date}",
                     "an article can only be retrieved after it is published; check both dates")

    def check_case_period(self, case: dict, sources: dict) -> None:
        """The practice's period: each date a source's date or written in one of the case's archived articles,
        not after the newest source, and not after the start of what its figures count."""
        found: set[str] = set()
        newest = ""
        for source in case["sources"]:
            if "date" in source:
                found |= expand(source["date"])
                newest = max(newest, str(source["date"]))
            found |= _article_dates(self.archive_text(source), _year(source))
        period = case["period"]
        reversed_ = "end" in period and after(str(period["start"]), str(period["end"]))
        for key in ("start", "end"):
            if key not in period or (key == "end" and reversed_):
                continue  # a reversed period is reported as such
            value = str(case["period"][key])
            if value not in found:
                self.add(("period", key), f"period.{key} {value} is not a date any source of this case gives "
                         f"(dates in them: {shown(found)})",
                         "use the year the article names for the start (2017年, 2018年以来); when it only says 近年来, "
                         "leave period out rather than guess")
            elif newest and after(value, newest):
                self.add(("period", key), f"period.{key} {value} is after the newest source ({newest})",
                         "a practice the article describes began before the article; check the year")
        start = str(case["period"]["start"])
        for i, metric in enumerate(case["metrics"]):
            counted = metric.get("period", {}).get("start")
            if counted is not None and after(start, str(counted)):
                self.add(("period", "start"), f"the practice starts {start}, but metrics[{i}] counts from {counted}",
                         "the practice began no later than what it counts: correct period.start or the metric's period")
                break

    def check_metric_dates(self, path: tuple, metric: dict, source: dict) -> None:
        date = str(source["date"]) if "date" in source else ""
        supported = (expand(date) if date else set()) | dates_in(metric["evidence"], _year(source))
        quoted = shown(dates_in(metric["evidence"], _year(source)))
        own = f"its source's date ({date})" if date else "its source (undated)"
        where = [(("as_of",), metric.get("as_of")), (("baseline", "as_of"), metric.get("baseline", {}).get("as_of"))]
        where += [(("period", k), metric.get("period", {}).get(k)) for k in ("start", "end")]
        if "as_of" not in metric and date:
            self.add(path + ("as_of",), "required field is missing",
                     f"the date the figure holds at: write as_of: {date} (the source's date) unless the quote names another; "
                     "as_of may be left out only for a figure of an undated source", "as_of: " + date)
        for sub, value in where:
            if value is None:
                continue
            value = str(value)
            field = ".".join(sub)
            if date and after(value, date):
                self.add(path + sub, f"{field} {value} is after its source's date ({date})",
                         "a figure cannot hold after the article that reports it: use the source's date or the date the quote gives")
            elif sub == ("as_of",) and value in start_dates_in(metric["evidence"], _year(source)) and value not in expand(date):
                self.add(path + sub, f"as_of {value} is when the quote's count starts (从…起, …以来), not when the figure holds",
                         f"write the source's date as as_of{f' ({date})' if date else ''} and put {value} in period.start")
            elif value not in supported:
                self.add(path + sub, f"{field} {value} is neither {own} nor a date in the evidence quote (dates in it: {quoted})",
                         "use the source's date when the article says 目前/现有 or gives no date; quote the passage that names "
                         "the date (2018年以来…, 2018年7月至2019年9月…); when the article only says 两年来 or 近年来, leave "
                         "period out and say it in scope")

    # --- numbers in our own words agree with the figures (CONTRIBUTING.md, "Numbers in your own words") ------

    def check_numbers(self, case: dict, sources: dict) -> None:
        figures = claims.figures_of(case, _keys(self.tax.get("metrics"), "metrics"))
        article_numbers: set[float] = set()
        for source in case["sources"]:
            article_numbers |= _article_numbers(self.archive_text(source))
        measure_quotes = [m["evidence"] for m in case["measures"]] + [x["evidence"] for x in case.get("lessons", [])]
        texts = [(("summary",), case["summary"], measure_quotes), (("summary_en",), case["summary_en"], measure_quotes)]
        for i, m in enumerate(case["measures"]):
            texts += [(("measures", i, "description"), m["description"], [m["evidence"]]),
                      (("measures", i, "description_en"), m["description_en"], [m["evidence"]])]
        for i, x in enumerate(case.get("lessons", [])):
            texts += [(("lessons", i, "lesson"), x["lesson"], [x["evidence"]]), (("lessons", i, "lesson_en"), x["lesson_en"], [x["evidence"]])]
        for path, text, quotes in texts:
            english = path[-1].endswith("_en")
            for finding in claims.check_text(text, english, figures, quotes, article_numbers):
                self.add(path, finding.message, finding.hint)


def _year(source: dict | None) -> int | None:
    """The article's year, for a month its text gives without one (9月初)."""
    date = str((source or {}).get("date", ""))
    return int(date[:4]) if date[:4].isdigit() else None


@functools.lru_cache(maxsize=4096)  # an article is read once per process, however many rebuilds under serve
def _article_numbers(text: str) -> frozenset[float]:
    return frozenset(numbers_in(claims.fold_numerals(text)))


@functools.lru_cache(maxsize=4096)
def _article_date_parts(text: str) -> tuple:
    return date_parts(text)


def _article_dates(text: str, year: int | None) -> set[str]:
    """dates_in for an archived article, read once per process."""
    return with_year(_article_date_parts(text), year)


def _tile_problems(doc: Document | None) -> list[Problem]:
    """Two regions on one square of the map would hide one of them."""
    problems, seen = [], {}
    for key, region in _keys(doc).items():
        tile = region.get("tile") if isinstance(region, dict) else None
        if not (isinstance(tile, list) and len(tile) == 2):
            continue
        if tuple(tile) in seen:
            line, col = doc.where((key, "tile"))
            problems.append(Problem(doc.path, line, col, f"{key}.tile", f"tile {tile} is also used by {seen[tuple(tile)]}",
                                    "give every region its own [column, row] square on the map"))
        seen.setdefault(tuple(tile), key)
    return problems


def synonym_problems(doc: Document) -> list[Problem]:
    """What the synonym schema cannot say: words in simplified characters (queries are folded to
    simplified before they meet them), and no word twice in the table unless a one-way group names it."""
    problems, seen = [], {}
    for key, group in _keys(doc).items():
        words = group.get("zh") if isinstance(group, dict) else None
        for i, word in enumerate(words if isinstance(words, list) else []):
            if not isinstance(word, str):
                continue  # the schema says what is wrong with it
            line, col = doc.where((key, "zh", i))
            simplified = to_simplified(word)
            if simplified != word:
                problems.append(Problem(doc.path, line, col, f"{key}.zh[{i}]", f"'{word}' has traditional characters",
                                        f"write it in simplified characters: {simplified}; traditional queries are folded to simplified"))
            if group.get("one_way") and i > 0:
                continue
            if word in seen:
                problems.append(Problem(doc.path, line, col, f"{key}.zh[{i}]", f"'{word}' is also in the group {seen[word]}",
                                        "put the words of both groups in one group, or make one of them one_way: true with its broader word first"))
            seen.setdefault(word, key)
    return problems


def validate(raw: RawData, jobs: int = 1) -> list[Problem]:
    """Every problem in ``raw``: reading problems, structural ones, then semantic ones. ``jobs`` > 1: the
    cases are checked by that many forked processes between them (one-off builds; the same problems in
    the same order)."""
    problems = list(raw.problems)
    for name, doc in raw.taxonomies.items():
        if doc is not None:
            problems.extend(schema_problems(doc, _TAXONOMY_SCHEMA[name]))
    metrics_doc = raw.taxonomies.get("metrics")
    kinds = _keys(metrics_doc, "kinds")
    for key, metric in _keys(metrics_doc, "metrics").items():
        if isinstance(metric, dict) and isinstance(metric.get("kind"), str) and metric["kind"] not in kinds:
            line, col = metrics_doc.where(("metrics", key, "kind"))
            problems.append(Problem(metrics_doc.path, line, col, f"metrics.{key}.kind", f"unknown kind '{metric['kind']}'",
                                    f"{did_you_mean(metric['kind'], kinds)}use one of: {', '.join(kinds)}"))
    problems.extend(_tile_problems(raw.taxonomies.get("regions")))
    if raw.synonyms is not None:
        problems.extend(schema_problems(raw.synonyms, "synonyms") + synonym_problems(raw.synonyms))
    seen_ids: dict[str, Document] = {}
    for doc, (structural, semantic) in zip(raw.cases, _each_case(raw, jobs)):
        problems.extend(structural)
        if structural:
            continue  # meaning can only be checked once the shape is right
        case_id = doc.data["id"]
        if case_id in seen_ids:
            line, col = doc.where(("id",))
            problems.append(Problem(doc.path, line, col, "id", f"id '{case_id}' is also used by {seen_ids[case_id].path}",
                                    "every case needs its own id; add the locality's township or community to make it unique"))
        seen_ids.setdefault(case_id, doc)
        problems.extend(semantic)
    problems.extend(former_id_problems(seen_ids))
    return problems


def case_problems(doc: Document, raw: RawData) -> tuple[list[Problem], list[Problem]]:
    """One case's own problems: (structural, semantic); the semantic ones only once the shape is right."""
    todos = todo_problems(doc)
    marked = {p.field for p in todos}
    # a TODO value also breaks its field's pattern or type; report it once, as a TODO
    structural = todos + [_taxonomy_hint(p, doc, raw) for p in schema_problems(doc, "case") if p.field not in marked]
    return structural, [] if structural else _CaseChecker(doc, raw).run()


# What forked checking processes inherit (set just before they are forked): no pickling of the records.
_JOB: RawData | None = None
# Fewer cases (the seeds, test fixtures, a one-case preview) are checked in this process: they take about a
# second at most, and forking pays from a few hundred (280 cases: 1.3 s in one process, 0.3 s in two).
CHECK_APART_FROM = 200


def _check_part(k: int, n: int) -> list[tuple[list[Problem], list[Problem]]]:
    return [case_problems(doc, _JOB) for doc in _JOB.cases[k::n]]


def _each_case(raw: RawData, jobs: int) -> list[tuple[list[Problem], list[Problem]]]:
    """:func:`case_problems` of every case, in order. The checks of one case need no other case, and at
    10,000 cases they are some 50 s on one core (issue 17), so a one-off build shares them out."""
    if jobs <= 1 or len(raw.cases) < CHECK_APART_FROM:
        return [case_problems(doc, raw) for doc in raw.cases]
    import concurrent.futures
    import multiprocessing

    global _JOB
    _JOB = raw
    try:
        with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            parts = list(pool.map(_check_part, range(jobs), [jobs] * jobs))
    finally:
        _JOB = None
    results: list = [None] * len(raw.cases)
    for k, part in enumerate(parts):
        results[k::jobs] = part
    return results


def former_id_problems(live: dict[str, Document]) -> list[Problem]:
    """A former id keeps an old address alive, so it may belong to one case only and never be a live id."""
    problems: list[Problem] = []
    claimed: dict[str, Document] = {}
    for case_id, doc in sorted(live.items()):
        for i, old in enumerate(doc.data.get("former_ids", [])):
            line, col = doc.where(("former_ids", i))
            if old in live:
                owner = "this case's own id" if old == case_id else f"the id of {live[old].path}"
                problems.append(Problem(doc.path, line, col, f"former_ids[{i}]", f"'{old}' is {owner}",
                                        "list only ids that no case uses any more; a live page cannot also redirect"))
            elif old in claimed:
                problems.append(Problem(doc.path, line, col, f"former_ids[{i}]", f"'{old}' is also a former id of {claimed[old].path}",
                                        "an old address can redirect to one case only; keep it on the case that replaced the old page"))
            else:
                claimed[old] = doc
    return problems
