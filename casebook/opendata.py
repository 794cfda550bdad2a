"""Open data and the feed: the files a researcher or a feed reader downloads.

Everything here is serialised with a real serializer (json, csv, Jinja with XML escaping)
from the model, in a fixed order, so the same data gives the same bytes. The columns of the
CSV files are those of the Frictionless descriptor ``schema/datapackage.json``.
"""
from __future__ import annotations

import csv
import functools
import gzip
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator

import jinja2

from .cite import bib_path, bibtex, csl_json, csl_path, gbt_source, qr_file, qr_path
from .export import case_record, plain_number
from .links import page_url
from .model import Case, Site
from .schema import SCHEMA_DIR, load_schema

DATA_DIR = "data"
FEED = "feed.xml"


@functools.lru_cache(maxsize=1)
def package_descriptor() -> dict:
    """schema/datapackage.json without its $comment: the CSV files and their fields."""
    descriptor = json.loads((SCHEMA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    descriptor.pop("$comment", None)
    return descriptor


def _num(value):
    return None if value is None else plain_number(value)


def _joined(items) -> str:
    return ";".join(items)


def case_row(case: Case, settings: dict) -> dict:
    loc = case.locality
    return {
        "id": case.id, "url": page_url(settings, case), "title": case.title, "title_en": case.title_en,
        "model_name": case.name, "model_name_en": case.name_en,
        "province": case.region.key, "province_zh": case.region.zh, "province_en": case.region.en,
        "city": loc.city, "county": loc.county, "township": loc.township, "community": loc.community,
        "locality_en": loc.name_en, "division_code": loc.division_code, "level": case.level,
        "lead_organisation": case.lead_organisation, "lead_organisation_en": case.lead_organisation_en,
        "period_start": case.period_start, "period_end": case.period_end, "added": case.added, "updated": case.updated,
        "tags": _joined(t.key for t in case.tags), "measures": len(case.measures), "metrics": len(case.metrics),
        "sources": len(case.sources), "former_ids": _joined(case.former_ids), "summary": case.summary, "summary_en": case.summary_en,
    }


def measure_rows(case: Case) -> list[dict]:
    return [{"case": case.id, "n": n, "type": u.term.key, "type_zh": u.term.zh, "type_en": u.term.en, "name": u.name,
             "name_en": u.name_en, "description": u.description, "description_en": u.description_en,
             "evidence": u.evidence, "source": u.source.id}
            for n, u in enumerate(case.measures, 1)]


def lesson_rows(case: Case) -> list[dict]:
    return [{"case": case.id, "n": n, "lesson": x.text, "lesson_en": x.text_en, "evidence": x.evidence, "source": x.source.id}
            for n, x in enumerate(case.lessons, 1)]


def metric_rows(case: Case) -> list[dict]:
    rows = []
    for n, v in enumerate(case.metrics, 1):
        base = v.baseline
        rows.append({
            "case": case.id, "n": n, "metric": v.metric.key, "metric_zh": v.metric.zh, "metric_en": v.metric.en,
            "kind": v.metric.kind.key, "value": _num(v.amount.value), "qualifier": v.amount.qualifier, "unit": v.amount.unit,
            "base_value": _num(v.amount.base_value), "base_unit": v.metric.kind.unit, "as_of": v.as_of,
            "period_start": v.period_start, "period_end": v.period_end,
            "baseline_value": _num(base.value) if base else None, "baseline_qualifier": base.qualifier if base else None,
            "baseline_as_of": v.baseline_as_of, "scope": v.scope, "scope_en": v.scope_en, "evidence": v.evidence,
            "source": v.source.id,
        })
    return rows


def source_rows(case: Case, gbt_citations: list[str]) -> list[dict]:
    return [{"case": case.id, "id": s.id, "n": s.number, "title": s.title, "publisher": s.publisher, "author": s.author,
             "date": s.date, "kind": s.kind, "url": s.url, "archive": s.archive, "citation_gbt": gbt, "accessed": s.accessed}
            for s, gbt in zip(case.sources, gbt_citations)]


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# Large downloads are published compressed (issue 17: at 10,000 cases cases.json alone was 215 MB):
# the CSV tables each in a zip (opens with a double click on every desktop), the nested JSON as gzip.
# Both with fixed timestamps and no file names in the gzip header, so the same data gives the same bytes.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
CASES_JSON = "cases.json.gz"


def zipped(name: str, chunks) -> bytes:
    """A zip holding one file ``name``, written from the text ``chunks`` as they come (never the whole table in memory)."""
    out = io.BytesIO()
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    with zipfile.ZipFile(out, "w") as archive, archive.open(info, "w", force_zip64=False) as fh:
        for chunk in chunks:
            fh.write(chunk.encode("utf-8"))
    return out.getvalue()


def gzipped(chunks) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as fh:
        for chunk in chunks:
            fh.write(chunk.encode("utf-8"))
    return out.getvalue()


def csv_chunks(fields: list[str], rows) -> Iterator[str]:
    """RFC 4180 CSV (CRLF line ends), header first, a few hundred rows at a time; None is an empty cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(fields)
    for i, row in enumerate(rows, 1):
        if list(row) != fields:
            raise ValueError(f"columns {list(row)} differ from schema/datapackage.json {fields}")
        writer.writerow(["" if value is None else value for value in row.values()])
        if i % 500 == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def json_listing_chunks(head: dict, key: str, items) -> Iterator[str]:
    """``head`` with ``key``: ``items``, as JSON with one item per line (a change to one case is a
    one-line diff, and each line is written by json's C encoder), a piece at a time."""
    yield json.dumps(head, ensure_ascii=False, indent=2)[:-2] + f",\n  {json.dumps(key)}: [\n"
    first = True
    for item in items:
        yield ("" if first else ",\n") + "    " + json.dumps(item, ensure_ascii=False)
        first = False
    yield "\n  ]\n}\n"


def table_rows(site: Site, settings: dict, name: str):
    """The rows of one CSV table, one case at a time."""
    if name == "cases":
        return (case_row(c, settings) for c in site.cases)
    if name == "measures":
        return (row for c in site.cases for row in measure_rows(c))
    if name == "lessons":
        return (row for c in site.cases for row in lesson_rows(c))
    if name == "metrics":
        return (row for c in site.cases for row in metric_rows(c))
    return (row for c in site.cases for row in source_rows(c, [gbt_source(s, c) for s in c.sources]))


def downloads(site: Site, settings: dict) -> Iterator[tuple[str, str | bytes]]:
    """(path under the site root, text or bytes) of every download: CSV tables (zipped), their data
    package, the case records (gzipped JSON) and their schema; each case's own files are :func:`case_downloads`."""
    descriptor = json.loads(json.dumps(package_descriptor()))
    descriptor["homepage"] = settings["site_url"] + f"{DATA_DIR}/"
    for resource in descriptor["resources"]:
        fields = [f["name"] for f in resource["schema"]["fields"]]
        data = zipped(resource["innerpath"], csv_chunks(fields, table_rows(site, settings, resource["name"])))
        resource["bytes"] = len(data)
        resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
        yield f"{DATA_DIR}/{resource['path']}", data
    yield f"{DATA_DIR}/datapackage.json", _json(descriptor)
    yield f"{DATA_DIR}/{CASES_JSON}", gzipped(json_listing_chunks(
        {"title": settings["site_name"], "homepage": settings["site_url"], "schema": "case.schema.json"},
        "cases", (dict(case_record(c), url=page_url(settings, c)) for c in site.cases)))
    yield f"{DATA_DIR}/case.schema.json", _json(load_schema("case"))


def case_downloads(case, settings: dict) -> Iterator[tuple[str, str | bytes]]:
    """(path under the site root, text or bytes) of one case's CSL-JSON, BibTeX and QR code: rendered with
    its page, so that the processes of a build share them (a QR code takes some 4 ms; issue 17)."""
    yield csl_path(case), csl_json(case, settings)
    yield bib_path(case), bibtex(case, settings).rstrip("\n") + "\n"
    yield qr_path(case), qr_file(page_url(settings, case))


@functools.lru_cache(maxsize=1)
def _xml_environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("casebook", "templates"), undefined=jinja2.StrictUndefined,
                              autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


FEED_ENTRIES = 50  # feed readers fetch the whole feed on every poll; feeds usually carry the latest 20-50 entries


def region_feed_path(region) -> str:
    return f"feeds/regions/{region.key}.xml"


def tag_feed_path(tag) -> str:
    return f"feeds/tags/{tag.key}.xml"


def feed_listing(site: Site) -> list[dict]:
    """The per-region and per-tag feeds, for the Data page."""
    return ([{"kind": "region", "zh": r.zh, "en": r.en, "path": region_feed_path(r), "page": f"regions/{r.key}.md", "cases": len(r.cases)}
             for r in site.regions_with_cases] +
            [{"kind": "tag", "zh": t.zh, "en": t.en, "path": tag_feed_path(t), "page": f"tags/{t.key}.md", "cases": len(t.cases)}
             for t in site.tags])


def feed(site: Site, settings: dict, mark: str, region=None, tag=None) -> str:
    """Atom feed of the latest FEED_ENTRIES cases, newest first by date added: of the whole site, or
    of one region or one tag (its subscribers follow one place or theme)."""
    cases = region.cases if region is not None else tag.cases if tag is not None else site.cases
    cases = sorted(cases, key=lambda c: (c.added, c.id), reverse=True)[:FEED_ENTRIES]
    entries = [{"case": c, "url": page_url(settings, c)} for c in cases]
    updated = max((c.updated or c.added for c in cases), default="1970-01-01")
    if region is not None:
        scope = {"zh": region.zh, "en": region.en, "path": region_feed_path(region), "page": f"regions/{region.key}/"}
    elif tag is not None:
        scope = {"zh": tag.zh, "en": tag.en, "path": tag_feed_path(tag), "page": f"tags/{tag.key}/"}
    else:
        scope = {"zh": "", "en": "", "path": FEED, "page": ""}
    return _xml_environment().get_template("feed.xml.j2").render(settings=settings, entries=entries, updated=updated, mark=mark,
                                                                  scope=scope)
