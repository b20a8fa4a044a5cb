"""The gate before any answer: do the retrieved passages address the question at all?

One retrieval score separates unanswerable questions badly, so the gate also asks whether
the question's own years, figures and names occur in the passages, and how much of its
term weight one sentence covers.
"""
from __future__ import annotations

from dataclasses import dataclass

from .index import lexical_form
from .retrieval import Retrieved

TOP = 5
MIN_COVERAGE = 0.34  # share of the question's term weight in the best sentence
MIN_SIMILARITY = 0.80  # cosine of the best sentence to the question (e5 scale)


@dataclass
class Verdict:
    refuse: bool
    reason: str | None  # Dutch, for the user


def judge(retrieved: Retrieved) -> Verdict:
    if not retrieved.passages or not retrieved.sentences:
        return Verdict(True, "Er is geen passage gevonden die over deze vraag gaat.")
    terms = retrieved.terms
    text = " ".join(lexical_form(p.chunk.search_text) for p in retrieved.passages[:TOP]).lower()
    missing = sorted(v for v in terms.years | terms.numbers if v.lower() not in text)
    if missing:
        return Verdict(True, f"De bronnen noemen {', '.join(missing)} niet in samenhang met deze vraag.")
    absent = sorted(n for n in terms.names if n.lower() not in text)
    coverage = max(s.coverage for s in retrieved.sentences)
    similarity = max(s.similarity for s in retrieved.sentences)
    if absent and coverage < 0.6:
        return Verdict(True, f"De bronnen zeggen niets over {', '.join(absent)}.")
    if coverage < MIN_COVERAGE and similarity < MIN_SIMILARITY:
        return Verdict(True, "De gevonden passages gaan niet over wat gevraagd wordt.")
    return Verdict(False, None)
