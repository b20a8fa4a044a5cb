"""The gate before any answer: do the retrieved passages address the question at all?

One retrieval score separates unanswerable questions badly, so the gate asks several
things: whether the question's dates, years, figures and names occur in the passages, whether it leans on words the documents never use, and
how much of its term weight one sentence covers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .dutch import FIGURE_IN_TEXT, canonical_number, lexical_form, looks_dutch
from .retrieval import Retrieved

TOP = 5
BEST = 3  # the best sentences, whose passages must be about the years asked for
MIN_COVERAGE = 0.34  # share of the question's term weight in the best sentence
MIN_SIMILARITY = 0.80  # cosine of the best sentence to the question (e5 scale)
# What kind of answer a question asks for, and what a sentence holding one looks like.
ANSWER_TYPES = (
    (re.compile(r"\b(hoeveel geld|welk bedrag|hoeveel euro|hoe duur|hoeveel kost)\b", re.I), re.compile(r"€|\beuro\b|\bmiljoen\b|\bmiljard\b", re.I), "een bedrag"),
    (re.compile(r"^(?:en |maar |ook )?(hoeveel|hoe vaak|hoe lang|welk percentage)\b", re.I), FIGURE_IN_TEXT, "een aantal"),
)
SUPPORT = 5  # sentences that may hold the kind of answer asked for


@dataclass
class Verdict:
    refuse: bool
    reason: str | None  # Dutch, for the user


def judge(retrieved: Retrieved, document_years: set[str] = frozenset(), asserted: set[str] = frozenset()) -> Verdict:
    """`document_years`: the years of the documents themselves ("het rapport uit 2021"),
    which a question may name without asking about that year. `asserted`: figures the user asks
    to confirm; the sources need not hold them (see `injection.py`)."""
    terms = retrieved.terms
    if not retrieved.passages or not retrieved.sentences:
        return Verdict(True, "Er is geen passage gevonden die over deze vraag gaat.")
    text = " ".join(lexical_form(p.chunk.search_text) for p in retrieved.passages[:TOP]).lower()
    wanted = terms.years | {n for n in terms.numbers if canonical_number(n) not in asserted} | terms.dates | {n.lower() for n in terms.names}
    missing = sorted(v for v in wanted if v.lower() not in text)
    if missing:
        return Verdict(True, f"De gevonden passages noemen {', '.join(missing)} niet.")
    best = " ".join(lexical_form(s.chunk.search_text) for s in retrieved.sentences[:BEST]).lower()
    absent = sorted(v for v in terms.years - document_years if v not in best)
    if absent:
        return Verdict(True, f"De passages die het best passen, gaan niet over {', '.join(absent)}.")
    if terms.unknown_names:
        return Verdict(True, f"De documenten noemen {', '.join(terms.unknown_names)} nergens.")
    # words the documents never use mean another topic, in a Dutch question; not in an English one
    if len(terms.unknown) >= 2 and len(terms.unknown) >= 0.5 * terms.content_words and looks_dutch(terms.asked):
        return Verdict(True, f"De vraag gaat over iets wat de documenten niet behandelen ({', '.join(terms.unknown)}).")
    for asks, holds, what in ANSWER_TYPES:
        if asks.search(terms.asked) and not any(holds.search(s.text) for s in retrieved.sentences[:SUPPORT]):
            return Verdict(True, f"De vraag vraagt om {what}, maar de passages die erover gaan noemen er geen.")
    coverage = max(s.coverage for s in retrieved.sentences)
    similarity = max(s.similarity for s in retrieved.sentences)
    if coverage < MIN_COVERAGE and similarity < MIN_SIMILARITY:
        return Verdict(True, "De gevonden passages gaan niet over wat gevraagd wordt.")
    return Verdict(False, None)
