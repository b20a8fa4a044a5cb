"""`assistant eval`: answer every item of the evaluation set through the same path as
`ask --jsonl` and measure retrieval, citations, figures, refusals, grounding and latency.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .config import ROOT
from .dutch import normalise
from .evalset import Item, locate
from .sources import Document, document_sections

DEFAULT_SET = ROOT / "evals" / "set.jsonl"
THRESHOLDS = ROOT / "evals" / "thresholds.json"
REPORTS = ROOT / "evals" / "reports"
HIT_AT = (1, 3, 5, 10)


@dataclass
class Result:
    item: Item
    answer: dict
    evidence_rank: int | None  # rank at which all evidence was retrieved; None if not in the top 10
    checks: dict[str, bool | None] = field(default_factory=dict)  # None: not applicable
    counts: dict[str, int] = field(default_factory=dict)  # for shares over citations and claims, not items

    @property
    def source(self) -> str:
        return self.item.expect[0].source_id if self.item.expect else "geen bron (weigeren)"


def _overlaps(span: tuple[int, int], start: int, end: int) -> bool:
    """A passage holds the evidence when it covers at least half of it (or the evidence
    covers half of the passage, for evidence longer than one chunk)."""
    a, b = span
    inter = min(b, end) - max(a, start)
    return inter > 0 and inter >= 0.5 * min(b - a, end - start)


def evidence_rank(item: Item, passages, docs: dict[str, Document]) -> int | None:
    """The rank by which every expected passage has been retrieved."""
    worst = 0
    for e in item.expect:
        spans = locate(docs[e.source_id], e.evidence)
        ranks = [p.rank for p in passages if p.chunk.source_id == e.source_id and any(_overlaps(s, p.chunk.start, p.chunk.end) for s in spans)]
        if not ranks:
            return None
        worst = max(worst, min(ranks))
    return worst or None


def judge(item: Item, answer, docs: dict[str, Document]) -> Result:
    data = answer.to_json()
    result = Result(item, data, evidence_rank(item, answer.passages, docs) if item.expect else None)
    c = result.checks
    refused = bool(data["refused"])
    text = normalise(data["answer"]).lower()
    c["refused"] = refused
    if item.refuse:
        c["refusal_correct"] = refused
    else:
        cited = [any(cit["source_id"] == e.source_id and cit["section"] in e.sections for cit in data["citations"]) for e in item.expect]
        c["citation"] = not refused and all(cited)  # every place the item expects
        c["place_found"] = not refused and any(cited)  # at least one of them
        c["required"] = (not refused and all(any(v.lower() in text for v in group) for group in item.must_contain)) if item.must_contain else None
        if not refused and data["citations"]:
            c["first_citation"] = _supports(item, data["citations"][0])
            result.counts["citations"] = len(data["citations"])
            result.counts["supporting_citations"] = sum(_supports(item, cit) for cit in data["citations"])
    if not refused:
        c["has_claims"] = bool(data.get("claims"))
        result.counts["claims"] = len(data.get("claims") or [])
        result.counts["supported_claims"] = sum(bool(cl["supported"]) for cl in data.get("claims") or [])
    if data.get("usage") and data["usage"].get("prompt_tokens") is not None:
        result.counts["prompt_tokens"] = data["usage"]["prompt_tokens"]
    c["figures_verified"] = all(f["verified"] for f in data["figures"]) if data["figures"] else None
    quotes = [(cit, locate(docs[cit["source_id"]], cit["quote"])) for cit in data["citations"] if cit["source_id"] in docs]
    c["verbatim"] = all(spans for _, spans in quotes) if quotes else None
    c["grounded"] = all(_from_retrieved(cit, spans, answer.passages, docs) for cit, spans in quotes) if quotes else None
    return result


def _supports(item: Item, citation: dict) -> bool:
    """A citation supports the answer when it stands in a section the item expects, or its quote
    holds what the answer must contain."""
    if any(citation["source_id"] == e.source_id and citation["section"] in e.sections for e in item.expect):
        return True
    quote = normalise(citation["quote"]).lower()
    return any(any(v.lower() in quote for v in group) for group in item.must_contain)


def _from_retrieved(citation: dict, spans, passages, docs: dict[str, Document]) -> bool:
    """The quote stands in a retrieved passage, or in its section (a table's column labels
    for a retrieved row)."""
    for p in passages:
        if p.chunk.source_id != citation["source_id"]:
            continue
        if any(p.chunk.start <= a and b <= p.chunk.end for a, b in spans):
            return True
        if p.chunk.section == citation["section"]:
            section = next(s for s in document_sections(docs[p.chunk.source_id]) if s.label == p.chunk.section)
            if any(section.start <= a and b <= section.end for a, b in spans):
                return True
    return False


def _share(results: list[Result], key: str) -> float | None:
    values = [r.checks.get(key) for r in results if r.checks.get(key) is not None]
    return round(sum(values) / len(values), 3) if values else None


def _ratio(results: list[Result], part: str, whole: str) -> float | None:
    total = sum(r.counts.get(whole, 0) for r in results)
    return round(sum(r.counts.get(part, 0) for r in results) / total, 3) if total else None


def _percentiles(values: list[int]) -> dict[str, int | None]:
    values = sorted(values)
    if not values:
        return {"p50": None, "p95": None}
    return {"p50": values[len(values) // 2], "p95": values[min(len(values) - 1, int(len(values) * 0.95))]}


def hits_at(results: list[Result]) -> dict[str, float | None]:
    """Share of the items with evidence whose evidence was all retrieved within the top k."""
    scored = [r for r in results if r.item.expect]
    if not scored:
        return {str(k): None for k in HIT_AT}
    return {str(k): round(sum(1 for r in scored if r.evidence_rank and r.evidence_rank <= k) / len(scored), 3) for k in HIT_AT}


def summarise(results: list[Result]) -> dict:
    answerable = [r for r in results if not r.item.refuse]
    unanswerable = [r for r in results if r.item.refuse]
    refused = [r for r in results if r.checks["refused"]]

    def block(group: list[Result]) -> dict:
        return {
            "items": len(group),
            "citation_accuracy": _share(group, "citation"),
            "place_found": _share(group, "place_found"),
            "first_citation_accuracy": _share(group, "first_citation"),
            "citation_precision": _ratio(group, "supporting_citations", "citations"),
            "supported_claims": _ratio(group, "supported_claims", "claims"),
            "figure_exactness": _share(group, "required"),
            "refusal_recall": _share(group, "refusal_correct"),
            "evidence_hit_at": hits_at(group),
            "prompt_tokens": _percentiles([r.counts["prompt_tokens"] for r in group if "prompt_tokens" in r.counts]),
        }

    by_kind, by_source = defaultdict(list), defaultdict(list)
    for r in results:
        by_kind[r.item.kind].append(r)
        by_source[r.source].append(r)
    return {
        "items": len(results),
        "citation_accuracy": _share(answerable, "citation"),
        "place_found": _share(answerable, "place_found"),
        "first_citation_accuracy": _share(answerable, "first_citation"),
        "citation_precision": _ratio(answerable, "supporting_citations", "citations"),
        "supported_claims": _ratio(results, "supported_claims", "claims"),
        "answers_with_claims": _share(results, "has_claims"),
        "prompt_tokens": _percentiles([r.counts["prompt_tokens"] for r in results if "prompt_tokens" in r.counts]),
        "figure_exactness": _share([r for r in answerable if r.item.kind == "figure" or r.item.must_contain], "required"),
        "figures_verified": _share(results, "figures_verified"),
        "refusal_recall": _share(unanswerable, "refusal_correct"),
        "refusal_precision": round(sum(1 for r in refused if r.item.refuse) / len(refused), 3) if refused else None,
        "false_refusal_rate": round(sum(1 for r in answerable if r.checks["refused"]) / len(answerable), 3) if answerable else None,
        "verbatim_quotes": _share(results, "verbatim"),
        "grounded_citations": _share(results, "grounded"),
        "evidence_hit_at": hits_at(results),
        "latency_ms": _percentiles([r.answer["timing_ms"]["total"] for r in results]),
        "by_kind": {k: block(v) for k, v in sorted(by_kind.items())},
        "by_source": {k: block(v) for k, v in sorted(by_source.items())},
    }


def run(assistant, items: list[Item], mode: str, sources: list[str] | None = None, progress=None) -> list[Result]:
    docs = assistant.index.documents
    results = []
    for item in items:
        answer = assistant.ask(item.question, item.history, mode, sources, item.id)
        results.append(judge(item, answer, docs))
        if progress:
            progress(item)
    return results


def failures(results: list[Result]) -> list[dict]:
    """What was expected and what came, for every item that failed a check."""
    out = []
    for r in results:
        failed = [k for k, v in r.checks.items() if v is False and k not in ("refused",)]
        if not failed and (r.item.refuse or r.evidence_rank == 1):
            continue
        out.append({
            "id": r.item.id,
            "kind": r.item.kind,
            "question": r.item.question,
            "failed": failed + ([] if r.item.refuse or r.evidence_rank == 1 else [f"bewijs op rang {r.evidence_rank or '>10'}"]),
            "expected": "weigeren" if r.item.refuse else "; ".join(f"{e.source_id} — {' / '.join(e.sections)}" for e in r.item.expect),
            "must_contain": r.item.must_contain,
            "answer": r.answer["answer"],
            "cited": [f"{c['source_id']} — {c['section']}" for c in r.answer["citations"]],
        })
    return out


def check_thresholds(summary: dict, path: Path = THRESHOLDS, part: str | None = None) -> list[str]:
    """Dutch lines for every metric below (or, for rates, above) its threshold; `part`: the
    thresholds of another evaluation in the same file ("briefings")."""
    limits = json.loads(path.read_text(encoding="utf-8"))
    limits = limits.get(part, {}) if part else limits
    problems = []
    for key, limit in limits.get("minimum", {}).items():
        value = _lookup(summary, key)
        if value is None or value < limit:
            problems.append(f"{key} = {value}, drempel {limit}")
    for key, limit in limits.get("maximum", {}).items():
        value = _lookup(summary, key)
        if value is None or value > limit:
            problems.append(f"{key} = {value}, maximum {limit}")
    return problems


def _lookup(summary: dict, dotted: str):
    value = summary
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value
