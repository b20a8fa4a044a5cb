"""The answer without a language model: the retrieved sentences that answer, quoted.

A short direct answer first (the best sentence with where it stands, or for a table the one
cell asked about), then up to two supporting quotes from other passages. Nothing is
paraphrased, so every figure stands in its quote.
"""
from __future__ import annotations

import re

from .citations import Quote
from .dutch import lexical_form, normalise
from .index import Index
from .retrieval import Retrieved, ScoredSentence
from .sources import document_sections
from .types import Section

MAX_SUPPORT = 3
SUPPORT_RATIO = 0.7  # a supporting sentence scores at least this share of the best


def answer(index: Index, retrieved: Retrieved) -> tuple[str, list[Quote]]:
    """Dutch answer text with markers [n], and the quote behind each marker."""
    ranked = retrieved.sentences
    best = ranked[0]
    quotes = [Quote(best.chunk, best.start, best.end)]
    where = f"{document_name(index, best.chunk.source_id)}, {best.chunk.section}"
    cell = _table_cell(index, best, retrieved) if best.chunk.table_row else None
    if cell:
        section, column, value = cell
        quotes.append(Quote(best.chunk, *section.table.header_span))
        lines = [f"{where}: {_row_label(section, best)} op {column}: {value} [1][2]"]
    else:
        lines = [f"{where}: “{best.text}” [1]"]
    candidates = [
        s for s in ranked[1:]
        if s.score >= SUPPORT_RATIO * best.score
        and not (s.chunk.table_row and best.chunk.table_row and s.chunk.section == best.chunk.section)  # other rows answer other questions
    ]
    # other sections first: where sources differ or complement each other, show both
    candidates.sort(key=lambda s: (s.chunk.source_id, s.chunk.section) == (best.chunk.source_id, best.chunk.section))
    support: list[ScoredSentence] = []
    for s in candidates:
        if len(support) == MAX_SUPPORT:
            break
        if not any(_overlaps(s, t) or _similar(s.text, t.text) for t in [best, *support]):
            support.append(s)
    # a question that names several documents gets a quote from each
    for doc in sorted(retrieved.named - {s.chunk.source_id for s in [best, *support]}):
        own = next((s for s in ranked if s.chunk.source_id == doc), None)
        if own:
            support.append(own)
    if support:
        lines += ["", "Verder in de bronnen:"]
        for s in support:
            quotes.append(Quote(s.chunk, s.start, s.end))
            lines.append(f"- {document_name(index, s.chunk.source_id)}, {s.chunk.section}: “{s.text}” [{len(quotes)}]")
    return "\n".join(lines), quotes


def document_name(index: Index, source_id: str) -> str:
    """"Kamerbrief", or with a short title when several documents share the kind."""
    source = index.documents[source_id].source
    same_kind = sum(d.source.kind == source.kind for d in index.documents.values())
    name = source.kind.capitalize()
    if same_kind > 1:
        name += f" ‘{re.split(r'[.:]', source.title)[0]}’ ({source.date[:4]})"
    return name


def _table_section(index: Index, best: ScoredSentence) -> Section:
    doc = index.documents[best.chunk.source_id]
    return next(s for s in document_sections(doc) if s.label == best.chunk.section and s.table)


def _row_label(section: Section, best: ScoredSentence) -> str:
    return next(r[0] for r, span in zip(section.table.rows, section.table.row_spans) if span == (best.start, best.end))


def _table_cell(index: Index, best: ScoredSentence, retrieved: Retrieved) -> tuple[Section, str, str] | None:
    """For a table row and a question that names one column (a peildatum): that cell."""
    section = _table_section(index, best)
    label = _row_label(section, best)
    cells = dict(section.table.rows)[label]
    question = lexical_form(retrieved.terms.text).lower()
    for column, value in zip(section.table.header, cells):
        words = lexical_form(column).lower().split()
        if re.search(r"\b" + r"\s+".join(re.escape(w) for w in words) + r"\b", question):
            return section, column, value
    return None


def _overlaps(a: ScoredSentence, b: ScoredSentence) -> bool:
    return a.chunk.source_id == b.chunk.source_id and a.start < b.end and b.start < a.end


def _similar(a: str, b: str) -> bool:
    """Near-duplicates: the bloemlezing repeats some quotes in several sections."""
    wa, wb = set(normalise(a).lower().split()), set(normalise(b).lower().split())
    return len(wa & wb) >= 0.8 * min(len(wa), len(wb))
