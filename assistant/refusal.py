"""The gate before any answer: do the retrieved passages address the question at all?

One retrieval score separates unanswerable questions badly, so the gate asks several
things: whether the question's dates, years, figures and names occur in the passages, whether it leans on words the documents never use, and
how much of its term weight one sentence covers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import answer_types
from .dutch import canonical_number, lexical_form, looks_dutch, stems
from .index import Index
from .query import spread
from .retrieval import Retrieved, ScoredSentence, counts_asked

REFUSAL_TEXT = "Dit staat niet in de bronnen."  # how every refusal opens, for answers and briefing notes
TOP = 5
BEST = 3  # the best sentences, whose passages must be about the years asked for
MIN_COVERAGE = 0.34  # share of the question's term weight in the best sentence
MIN_SIMILARITY = 0.80  # cosine of the best sentence to the question (e5 scale)
SUPPORT = 8  # sentences that may hold the kind of answer asked for
SUPPORT_COVERAGE = 0.6  # ... when they are about the question: this share of the best coverage
FOLLOWING_CHARS = 300
SUBJECT_TERMS = 2
SPECIFIC_NAME = 0.03  # a name in at most this share of passages picks out what a question is about


@dataclass
class Verdict:
    refuse: bool
    reason: str | None  # Dutch, for the user
    partial: bool = False  # the passages are about the question, but lack the detail it asks for


def judge(index: Index, retrieved: Retrieved, asserted: set[str] = frozenset(), more: str = "") -> Verdict:
    """`asserted`: figures, years and dates the user asks to confirm; the sources need not hold
    them (see `injection.py`). `more`: text of further passages where what the question names
    may stand (a briefing also searches each document on its own)."""
    terms = retrieved.terms
    document_years = _document_years(index)
    if not retrieved.passages or not retrieved.sentences:
        return Verdict(True, "Er is geen passage gevonden die over deze vraag gaat.")
    text = " ".join([*(lexical_form(p.chunk.search_text) for p in retrieved.passages[:TOP]), lexical_form(more)]).lower()
    wanted = {v for v in terms.years | terms.numbers | terms.dates if canonical_number(v) not in asserted and v not in asserted}
    wanted |= {n.lower() for n in terms.names}
    missing = sorted(v for v in wanted if v.lower() not in text and v.lower().replace(" ", "") not in text)  # "JeugdzorgPlus"
    if missing:
        return Verdict(True, f"De gevonden passages noemen {', '.join(missing)} niet.")
    best = " ".join(lexical_form(s.chunk.search_text) for s in retrieved.sentences[:BEST]).lower()
    absent = sorted(v for v in terms.years - document_years - asserted if v not in best)
    if absent:
        return Verdict(True, f"De passages die het best passen, gaan niet over {', '.join(absent)}.")
    if terms.unknown_names:
        return Verdict(True, f"De documenten noemen {', '.join(terms.unknown_names)} nergens.")
    # words the documents never use mean another topic, in a Dutch question; not in an English one
    if len(terms.unknown) >= 2 and len(terms.unknown) >= 0.5 * terms.content_words and looks_dutch(terms.asked):
        return Verdict(True, f"De vraag gaat over iets wat de documenten niet behandelen ({', '.join(terms.unknown)}).")
    unnamed = sorted(max(e, key=len) for e in specific_names(index, terms) if not _names(e, retrieved.sentences[0].chunk))
    if unnamed:
        return Verdict(True, f"De passages die het best passen, gaan niet over {', '.join(unnamed)}.", partial=True)
    want = terms.want
    if want:
        best = retrieved.sentences[0]
        candidates = about(retrieved, document_years)
        # what the best sentence is about: its rarest words from the question
        subject = set(sorted((t for t in stems(best.text) if t in terms.terms), key=terms.terms.get)[-SUBJECT_TERMS:])
        lacking = answer_types.lacks([s.text for s in candidates], best.text, want, subject)
        if lacking and (want.kind == "outcome" or answering(index, retrieved) is None):
            return Verdict(True, f"De vraag vraagt om {want.what}, maar de passages die erover gaan noemen er geen.", partial=True)
    coverage = max(s.coverage for s in retrieved.sentences)
    similarity = max(s.similarity for s in retrieved.sentences)
    if coverage < MIN_COVERAGE and similarity < MIN_SIMILARITY:
        return Verdict(True, "De gevonden passages gaan niet over wat gevraagd wordt.")
    return Verdict(False, None)


def about(retrieved: Retrieved, document_years: set[str]) -> list[ScoredSentence]:
    """The sentences about the question: close to the best in coverage, or shortly after it in its
    passage (the question's context in one sentence, the answer two sentences on); for a figure
    asked at a date, those with that date."""
    best = retrieved.sentences[0]
    floor = SUPPORT_COVERAGE * max(s.coverage for s in retrieved.sentences[:SUPPORT])
    top = retrieved.sentences[:SUPPORT]
    found = [s for s in retrieved.sentences if (s in top and s.coverage >= floor)
             or (s.chunk.id == best.chunk.id and best.start <= s.start <= best.end + FOLLOWING_CHARS)]
    terms = retrieved.terms
    when = terms.dates | (terms.years - document_years)
    if terms.want and terms.want.kind in answer_types.NUMERIC and when:  # a figure for the date asked, not another
        found = [s for s in found if s.chunk.table_row or any(w in lexical_form(s.text).lower() for w in when)]
    return found


def answering(index: Index, retrieved: Retrieved) -> ScoredSentence | None:
    """The best sentence about the question that gives the kind of answer it asks for, in a
    passage that names what the question names ("bij Jeugdbescherming Noord"); for a count, one
    whose figure counts what is asked first."""
    want = retrieved.terms.want
    if want is None:
        return None
    named = specific_names(index, retrieved.terms)
    holders = [s for s in about(retrieved, _document_years(index))
               if counts_asked(s.chunk, retrieved.terms) and answer_types.holds(s.text, want, s.chunk.table_row)
               and all(_names(forms, s.chunk) for forms in named)]
    # a count of what is asked by the figure's own unit before one that only has a number near its name
    exact = [s for s in holders if want.counted and (s.chunk.table_row or answer_types.counts_exactly(s.text, want.counted))]
    return (exact or holders or [None])[0]


def specific_names(index: Index, terms) -> list[set[str]]:
    """The names of the question (each in all its forms) that pick out what it is about: rare in
    the documents, and not part of a document's title."""
    titles = " ".join(d.source.title for d in index.documents.values()).lower()
    return [e for e in terms.entities() if not any(form in titles for form in e) and spread(index, e) <= SPECIFIC_NAME]


def _document_years(index: Index) -> set[str]:
    """The years of the documents themselves: "het rapport uit 2021" names one without asking about it."""
    return {d.source.date[:4] for d in index.documents.values()}


def _names(forms: set[str], chunk) -> bool:
    """Whether a passage (its text or section title) names a name in one of its forms."""
    text = lexical_form(chunk.search_text).lower()
    return any(re.search(rf"\b{re.escape(lexical_form(form).lower())}", text) for form in forms)
