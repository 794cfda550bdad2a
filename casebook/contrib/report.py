"""The importer's report: what it decided and why, as text for a person and as JSON for tools."""
from __future__ import annotations

from .importer import Imported

LEVEL_ZH = {"province": "省", "city": "市", "county": "县/区", "township": "街道/乡镇", "community": "社区/村"}


def as_dict(result: Imported, files: dict[str, str] | None = None) -> dict:
    place = result.place
    return {
        "files": files or {},
        "metadata": {name: getattr(result.meta, name) for name in ("title", "date", "publisher", "author")},
        "metadata_from": result.meta_sources, "read_as": result.read_as,
        "place": {
            "decided": place.decided, "province": place.province, "city": place.city, "county": place.county,
            "township": place.township, "community": place.community, "division_code": place.division_code,
            "level": place.level, "level_reason": place.level_reason, "reason": place.reason,
            "decided_by": place.decided_by, "candidates": place.candidates,
        },
        "figures": [
            {"text": f.text, "value": f.value, "unit": f.unit, "qualifier": f.qualifier, "paragraph": f.paragraph,
             "metric": p.key, "confidence": p.confidence, "why": p.why, "runner_ups": p.runner_ups,
             "needs_new_metric": p.new_metric, "evidence": f.evidence}
            for f, p in zip(result.figures, result.metric_proposals)
        ],
        "measures": [
            {"name": m.name, "marker": m.marker, "paragraph": m.paragraph, "type": p.key, "confidence": p.confidence,
             "why": p.why, "runner_ups": p.runner_ups, "evidence": m.evidence}
            for m, p in zip(result.measures, result.measure_proposals)
        ],
        "notes": result.cleaned.notes,
        "todo": [{"line": n, "text": line} for n, line in result.todos],
    }


def undecided_message(result: Imported, source: str, regions: dict) -> str:
    """Why the importer asks for --province, with the candidates it saw and the words that named them."""
    place = result.place
    lines = [f"error: {source}: cannot tell the province for sure: {place.reason}."]
    if place.candidates:
        lines.append("  candidates (the words that named them):")
        for key, words in place.candidates.items():
            zh = regions.get(key, {}).get("zh", key)
            lines.append(f"    {key:<12} {zh}: {', '.join(words)}")
    example = next(iter(place.candidates), None) or "hubei"
    lines.append(f"  Hint: pass --province KEY (a key of data/regions.yml), e.g. --province {example}")
    lines.append("  Nothing was written.")
    return "\n".join(lines)


def as_text(result: Imported, regions: dict) -> list[str]:
    place, meta = result.place, result.meta
    out = [f"  read:      {result.read_as}"] if result.read_as else []
    src = result.meta_sources
    for name in ("title", "date", "publisher", "author"):
        value = getattr(meta, name)
        origin = ("  (stated by the " + result.input_kind + ")" if src.get(name) == "page" else "  (read from the text)") if value else ""
        out.append(f"  {name + ':':<11}{value or '(not found)'}{origin}")
    zh = regions.get(place.province, {}).get("zh", "")
    how = place.reason if place.given else f"{place.reason}: {', '.join(place.decided_by)}"
    out.append(f"  province:  {place.province} {zh} ({how}; check it)")
    units = [f"{level} {getattr(place, level)}" for level in ("city", "county", "township", "community") if getattr(place, level)]
    if units:
        out.append(f"  locality:  {', '.join(units)}; division_code {place.division_code or '(none)'}")
    if place.level:
        out.append(f"  level:     {place.level} ({place.level_reason})")
    out.append(f"\nFigures ({len(result.figures)}): value unit qualifier -> metric (confidence: words)")
    for f, p in zip(result.figures, result.metric_proposals):
        value = int(f.value) if float(f.value).is_integer() else f.value
        qualifier = f" {f.qualifier}" if f.qualifier else ""
        if p.key:
            decision = f"{p.key} ({p.confidence}: {p.why})"
        elif p.new_metric:
            decision = f"TODO, needs a new metric ({p.why})"
        else:
            decision = f"TODO ({p.why})"
        out.append(f"  ¶{f.paragraph:<3}{f.text:<10} {value} {f.unit}{qualifier} -> {decision}")
    out.append(f"\nMeasures ({len(result.measures)}): marker name -> type (confidence: words)")
    for m, p in zip(result.measures, result.measure_proposals):
        decision = f"{p.key} ({p.confidence}: {p.why})" if p.key else f"TODO ({p.why})"
        out.append(f"  ¶{m.paragraph:<3}{m.marker} {m.name} -> {decision}")
    if not result.measures:
        out.append("  none found in the article's structure: add one entry per measure it describes")
    for note in result.cleaned.notes:
        out.append(f"  note: {note}")
    return out
