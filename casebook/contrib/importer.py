"""The importer's pipeline: article text in, archive text, skeleton and report out. Pure: nothing here
touches the disk, so scripts/import_source.py only parses arguments, reads the input and writes files.

    run(raw, case_id, taxonomies, today, province=None, page_meta=None) -> Imported

The archive keeps the article's own script (traditional stays traditional); everything the skeleton
proposes is in simplified characters, and every quote is cut from the cleaned text itself.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..yamlrender import render
from .cleaning import Cleaned, Metadata, clean_text, find_metadata
from .figures import Figure, find_figures
from .measures import MeasureProposal, find_measures
from .places import Place, find_place
from .proposals import Proposal, all_units, propose_measure_type, propose_metric
from .skeleton import skeleton, todo_lines


@dataclass
class Imported:
    cleaned: Cleaned
    meta: Metadata
    place: Place
    figures: list[Figure]
    metric_proposals: list[Proposal]
    measures: list[MeasureProposal]
    measure_proposals: list[Proposal]
    yaml_text: str = ""  # the skeleton; empty while the place is undecided
    meta_sources: dict[str, str] = field(default_factory=dict)  # field -> "page" or "text"
    read_as: str = ""  # how the input was read, e.g. "web page (utf-8)" (casebook.contrib.inputs)
    input_kind: str = "text file"  # text file, web page, Word file, pasted text

    @property
    def todos(self) -> list[tuple[int, str]]:
        return todo_lines(self.yaml_text)


def merge_metadata(meta: Metadata, page_meta) -> tuple[Metadata, dict[str, str]]:
    """Metadata the page's markup carries (title, date, author, publisher) wins over what the text suggests.
    ``page_meta`` is a dict, or a function of the text's metadata that returns one (casebook.contrib.inputs)."""
    sources = {name: "text" for name in ("title", "date", "publisher", "author") if getattr(meta, name)}
    if callable(page_meta):
        page_meta = page_meta(meta)
    for name in ("title", "date", "publisher", "author"):
        value = (page_meta or {}).get(name)
        if value:
            setattr(meta, name, str(value).strip())
            sources[name] = "page"
    return meta, sources


def run(raw: str, case_id: str, taxonomies: dict, today: str, province: str | None = None,
        page_meta=None, url: str = "", input_kind: str = "text file", read_as: str = "") -> Imported:
    cleaned = clean_text(raw)
    meta, sources = merge_metadata(find_metadata(cleaned), page_meta)
    regions = taxonomies.get("regions", {})
    metrics_tax = taxonomies.get("metrics", {})
    place = find_place(meta.title or cleaned.title, cleaned.paragraphs, regions, province)
    figures = find_figures(cleaned.paragraphs, all_units(metrics_tax))
    metric_proposals = [propose_metric(f, metrics_tax) for f in figures]
    measures = find_measures(cleaned.paragraphs)
    measure_proposals = [propose_measure_type(m, taxonomies.get("measures", {})) for m in measures]
    result = Imported(cleaned, meta, place, figures, metric_proposals, measures, measure_proposals, meta_sources=sources,
                      read_as=read_as, input_kind=input_kind)
    if place.decided:
        context = skeleton(case_id, cleaned, meta, place, figures, metric_proposals, measures, measure_proposals,
                           taxonomies, today)
        context["source"]["url"] = url
        result.yaml_text = render("skeleton.yml.j2", **context)
    return result
