"""Proposals from the taxonomies: the metric key of each figure and the type of each measure.

A metric fits a figure when its kind lists the figure's unit (data/metrics.yml); among those, the one whose
``keywords`` stand nearest the figure wins: a keyword right beside it (``队员186名``, ``12支银龄议事队``)
counts three times, elsewhere in its clause twice, elsewhere in its sentence once, longer keywords more
than short ones. Measure types are scored the same way over the measure's name (three times) and its
evidence. Where no keyword is found the key stays TODO: a wrong key that looks decided is worse than a
question.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .figures import Figure
from .measures import MeasureProposal

NEAR = 10  # characters either side of a figure that count as "beside it"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"


@dataclass
class Proposal:
    key: str | None  # None: nothing fits, a person decides
    runner_ups: list[str] = field(default_factory=list)
    confidence: str = "none"  # high, medium, low, none
    why: str = ""  # the words that decided, or why nothing did
    new_metric: bool = False  # no metric of data/metrics.yml has the figure's unit


def all_units(metrics_taxonomy: dict) -> set[str]:
    return {u for kind in metrics_taxonomy.get("kinds", {}).values() for u in kind.get("units", {})}


def metric_candidates(unit: str, metrics_taxonomy: dict) -> list[str]:
    """Metric keys whose kind lists ``unit``, in file order."""
    kinds = {k for k, kind in metrics_taxonomy.get("kinds", {}).items() if unit in kind.get("units", {})}
    return [k for k, m in metrics_taxonomy.get("metrics", {}).items() if m.get("kind") in kinds]


def _proximity(word: str, figure: Figure, people: bool) -> tuple[int, int]:
    """(closeness, position) of ``word``: 5 the words the figure counts (12支银龄议事队), 4 right before it
    (队员186名), 3 within NEAR characters, 2 in its clause, 1 in its sentence, 0 absent. For a count of people
    the whole rest of its clause is about them (112位流动老党员主动亮明身份): what they do tells the metric."""
    s, start, end = figure.sentence, figure.offset, figure.offset + len(figure.text)
    best = (0, 0)
    for m in re.finditer(re.escape(word), s):
        between = s[end:m.start()] if m.start() >= end else s[m.end():start] if m.end() <= start else ""
        gap, after = len(between), m.start() >= end
        if re.search(r"[，,。；;：:、！？（）()]", between):
            p = 2 if word in figure.clause else 1
        elif after and (gap <= 4 or people) or gap <= 1:  # after the unit: its noun phrase (260名独居老人)
            p = 5 if after else 4
        elif gap <= NEAR:
            p = 3
        else:
            p = 2 if word in figure.clause else 1
        best = max(best, (p, m.start()))
    return best


def _score(words, figure: Figure, people: bool = False) -> tuple[int, list[str]]:
    """The nearest keyword decides (closeness first, then length, or for people the later word: the
    predicate after the noun); the others only break ties."""
    hits = []
    for word in words or ():
        closeness, position = _proximity(word, figure, people)
        if closeness:
            hits.append((closeness, position if people else len(word), word))
    hits = [h for h in hits if not any(h[2] != o[2] and h[2] in o[2] and o[0] >= h[0] for o in hits)]  # 党员 in 老党员
    if not hits:
        return 0, []
    hits.sort(reverse=True)
    top = hits[0]
    return top[0] * 1000 + min(top[1], 99) * 10 + sum(p for p, _, _ in hits[1:]), [w for _, _, w in hits]


def _confidence(best: int, second: int) -> str:
    """high: a keyword beside the figure, well ahead of the next metric; medium: ahead; low: a tie."""
    if best >= 4000 and best - second >= 1000:
        return "high"
    return "medium" if best > second else "low"


def propose_metric(figure: Figure, metrics_taxonomy: dict) -> Proposal:
    candidates = metric_candidates(figure.unit, metrics_taxonomy)
    if not candidates:
        return Proposal(None, [], "none", f"no metric of data/metrics.yml counts in {figure.unit}", new_metric=True)
    metrics = metrics_taxonomy.get("metrics", {})
    scored = []
    people = figure.unit in metrics_taxonomy.get("kinds", {}).get("people", {}).get("units", {})
    for order, key in enumerate(candidates):
        score, hits = _score(metrics[key].get("keywords"), figure, people)
        scored.append((-score, order, key, hits))
    scored.sort()
    best, second = -scored[0][0], (-scored[1][0] if len(scored) > 1 else 0)
    runner_ups = [key for neg, _, key, _ in scored[1:4] if neg < 0] or [key for _, _, key, _ in scored[1:4]]
    if best == 0:
        return Proposal(None, [key for _, _, key, _ in scored[:4]], "none",
                        f"no metric for {figure.unit} has a keyword in the figure's sentence; choose one or add a new metric")
    return Proposal(scored[0][2], runner_ups, _confidence(best, second), "、".join(scored[0][3]))


def propose_measure_type(measure: MeasureProposal, measures_taxonomy: dict) -> Proposal:
    scored = []
    for order, (key, term) in enumerate(measures_taxonomy.items()):
        # every keyword counts alike (a long topic noun such as 流动老党员 must not outweigh 温暖 or 文艺)
        hits = [3 if w in measure.name else 1 for w in term.get("keywords") or ()
                if w in measure.name or w in measure.evidence]
        words = [w for w in term.get("keywords") or () if w in measure.name or w in measure.evidence]
        scored.append((-sum(hits), order, key, words))
    scored.sort()
    if not scored or scored[0][0] == 0:
        return Proposal(None, [], "none", "no keyword of data/measures.yml in its name or evidence")
    best, second = -scored[0][0], (-scored[1][0] if len(scored) > 1 else 0)
    runner_ups = [key for neg, _, key, _ in scored[1:4] if neg < 0]
    confidence = "high" if best >= 3 and best >= 2 * second else "medium" if best > second else "low"
    return Proposal(scored[0][2], runner_ups, confidence, "、".join(scored[0][3]))


def _bigrams(text: str) -> set[str]:
    text = re.sub(f"[^{_CJK}]", "", text)
    return {text[i:i + 2] for i in range(len(text) - 1)}


def rank_terms(text: str, terms: dict, n: int = 3) -> list[str]:
    """Taxonomy keys whose zh label, definition and keywords share the most character pairs with ``text``."""
    grams = _bigrams(text)
    scored = []
    for key, term in terms.items():
        words = f"{term.get('zh', '')}{term.get('definition', '')}{''.join(term.get('keywords') or ())}"
        scored.append((-len(grams & _bigrams(words)), key))
    return [key for _, key in sorted(scored)[:n]]
