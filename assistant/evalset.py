"""The evaluation set: loading it and checking it against the sources.

An item (one JSON object per line in `evals/set.jsonl`):

    {"id": "kb-fig-01", "kind": "figure", "question": "...", "history": ["..."],
     "expect": [{"source_id": "...", "sections": ["label", ...], "evidence": "verbatim passage"}],
     "must_contain": [["1.499", "1499"]], "refuse": false}

`expect`: every entry must be cited (synthesis items have several); an entry's `sections`
are alternatives. `must_contain`: every group must occur in the answer, any variant of a
group will do. Kinds: figure, fact, where, synthesis, unanswerable, injection, followup.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .dutch import normalise
from .sources import Document, document_sections

KINDS = ("figure", "fact", "where", "synthesis", "unanswerable", "injection", "followup")


@dataclass
class Expectation:
    source_id: str
    sections: list[str]
    evidence: str


@dataclass
class Item:
    id: str
    kind: str
    question: str
    history: list[str] = field(default_factory=list)
    expect: list[Expectation] = field(default_factory=list)
    must_contain: list[list[str]] = field(default_factory=list)
    refuse: bool = False


def load_items(path: Path) -> list[Item]:
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        data = json.loads(line)
        data["expect"] = [Expectation(**e) for e in data.get("expect", [])]
        try:
            items.append(Item(**data))
        except TypeError as exc:
            raise ValueError(f"{path}:{n}: {exc}") from exc
    return items


def locate(doc: Document, evidence: str) -> list[tuple[int, int]]:
    """Spans of `evidence` in the document, compared with whitespace normalised."""
    words = normalise(evidence).split(" ")
    if not words or not words[0]:
        return []
    pattern = r"\s+".join(re.escape(w) for w in words)
    return [(m.start(), m.end()) for m in re.finditer(pattern, doc.text)]


def check_item(item: Item, docs: dict[str, Document]) -> list[str]:
    """What is wrong with an item against the sources (empty when it is sound)."""
    problems = []
    if item.kind not in KINDS:
        problems.append(f"onbekende soort '{item.kind}'")
    if not item.question.strip():
        problems.append("lege vraag")
    if item.refuse and item.expect:
        problems.append("een weigering verwacht geen bronnen")
    if not item.refuse and not item.expect:
        problems.append("geen verwachte bron")
    evidence_text = []
    for e in item.expect:
        doc = docs.get(e.source_id)
        if doc is None:
            problems.append(f"onbekende bron '{e.source_id}'")
            continue
        spans = locate(doc, e.evidence)
        if not spans:
            problems.append(f"bewijs niet letterlijk gevonden in {e.source_id}: {e.evidence[:60]!r}")
            continue
        homes = {s.label for s in document_sections(doc) for a, b in spans if not s.toc and s.start <= a and b <= s.end}
        if not homes & set(e.sections):
            problems.append(f"bewijs staat in {sorted(homes) or 'geen sectie'}, niet in {e.sections}")
        evidence_text.append(normalise(e.evidence))
    joined = " ".join(evidence_text)
    for group in item.must_contain:
        if not any(v in joined for v in group):
            problems.append(f"geen van {group} staat in het bewijs")
    return problems
