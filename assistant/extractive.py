"""The answer without a language model: the retrieved sentences that answer, quoted.

A short direct answer first (the best sentence, or for a table the one cell asked about),
then up to two supporting quotes from other passages. Nothing is paraphrased, so every
figure stands in its quote.
"""
from __future__ import annotations

import re

from .citations import Quote
from .index import Index, lexical_form
from .retrieval import Retrieved, ScoredSentence
from .sections import normalise
from .sources import document_sections

MAX_SUPPORT = 2
SUPPORT_RATIO = 0.75  # a supporting sentence scores at least this share of the best


def answer(index: Index, retrieved: Retrieved) -> tuple[str, list[Quote]]:
    """Dutch answer text with markers [n], and the quote behind each marker."""
    ranked = retrieved.sentences
    best = ranked[0]
    quotes = [Quote(best.chunk, best.start, best.end)]
    direct = _table_cell(index, best, retrieved) if best.chunk.table_row else None
    lines = [f"{direct or '“' + best.text + '”'} [1]"]
    support: list[ScoredSentence] = []
    for s in ranked[1:]:
        if len(support) == MAX_SUPPORT or s.score < SUPPORT_RATIO * best.score:
            break
        if any(_overlaps(s, t) or _similar(s.text, t.text) for t in [best, *support]):
            continue
        support.append(s)
    if support:
        lines.append("")
        lines.append("Verder in de bronnen:")
        for n, s in enumerate(support, 2):
            quotes.append(Quote(s.chunk, s.start, s.end))
            lines.append(f"- “{s.text}” [{n}]")
    return "\n".join(lines), quotes


def _table_cell(index: Index, best: ScoredSentence, retrieved: Retrieved) -> str | None:
    """For a table row and a question that names one column (a peildatum): that cell."""
    section = next(
        s for s in document_sections(index.documents[best.chunk.source_id]) if s.label == best.chunk.section and s.table
    )
    table = section.table
    row = next(r for r, span in zip(table.rows, table.row_spans) if span == (best.start, best.end))
    question = lexical_form(retrieved.terms.text).lower()
    for column, value in zip(table.header, row[1]):
        if _column_pattern(column).search(question):
            return f"{row[0]} op {column}: {value} (tabel {best.chunk.section})."
    return None


def _column_pattern(column: str) -> re.Pattern:
    words = lexical_form(column).lower().split()
    return re.compile(r"\b" + r"\s+".join(re.escape(w) for w in words) + r"\b")


def _overlaps(a: ScoredSentence, b: ScoredSentence) -> bool:
    return a.chunk.source_id == b.chunk.source_id and a.start < b.end and b.start < a.end


def _similar(a: str, b: str) -> bool:
    """Near-duplicates: the bloemlezing repeats some quotes in several sections."""
    wa, wb = set(normalise(a).lower().split()), set(normalise(b).lower().split())
    return len(wa & wb) >= 0.8 * min(len(wa), len(wb))
