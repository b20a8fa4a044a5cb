"""Table rows as answers: the cell a question names, the row that confirms a figure of the text
or gives the exact value of a rounded one, and the sentence that says in words what a row counts.
A row is one sentence of the index ("Wachtlijst vaste Jeugdbeschermer 2.072 1.617 ... 1.499");
its columns are the peildata in the table's header.
"""
from __future__ import annotations

import re

from .citations import Quote, sentence_quote
from .claims import Draft
from .conflicts import Reading, differ
from .dutch import find_numbers, lexical_form, stems
from .index import Index
from .measures import Mention, mentions
from .retrieval import Retrieved, ScoredSentence
from .sources import document_sections
from .types import Section

LABEL_SHARE = 0.5  # of a row's label words, the share a sentence must hold to speak of what it counts
SAME = "Hetzelfde cijfer staat in "  # how an answer introduces a further quote with the same value
SIMILAR = "Een vergelijkbaar cijfer staat in "  # ... with a value that agrees when rounded


def confirmation(anchor: Reading, pool: list[ScoredSentence], measure: dict[str, float]) -> list[tuple[Reading, str]]:
    """A table row of the same document whose label counts what the figure measures and that
    holds its value ("bevestigt de tabel in de bijlage die cijfers?"), or the exact value of a
    rounded one ("gedaald van gemiddeld 17 naar 12" and the row's 17,1 ... 12,1)."""
    found = []
    for s in pool:
        if not s.chunk.table_row or s.chunk.source_id != anchor.sentence.chunk.source_id \
                or not set(measure) & set(stems(row_label(s.text))):
            continue
        for a, b, value in find_numbers(s.text):
            cell = Mention(s.text, a, b, value, anchor.mention.unit, None, False, None)
            if cell.number == anchor.mention.number:
                found.append((Reading(cell, s), SAME))
            elif rounds_to(cell, anchor.mention) or not differ(anchor.mention, cell):
                found.append((Reading(cell, s), SIMILAR))
            else:
                continue
            break
    return found


def row_label(row: str) -> str:
    return re.split(r"\s\d", row, maxsplit=1)[0]


def prose_for_row(row: ScoredSentence, candidates: list[ScoredSentence]) -> tuple[ScoredSentence, str] | None:
    """The sentence of the same document that says in words what a table row counts (most of
    its label's words) and gives one of its values, exactly or rounded: "Gemiddelde workload per
    fte 17,1 ... 12,1" and "De workload is ... verlaagd van gemiddeld 17 kinderen ... naar ongeveer 12"."""
    label = set(stems(row_label(row.text)))
    cells = [Mention(row.text, a, b, v, "", None, False, None) for a, b, v in find_numbers(row.text)]
    for s in candidates:
        if s.chunk.table_row or s.chunk.source_id != row.chunk.source_id or len(label & set(stems(s.text))) < LABEL_SHARE * len(label):
            continue
        for m in mentions(s.text):
            if any(c.number == m.number for c in cells):
                return s, SAME
            if any(rounds_to(c, m) for c in cells):
                return s, SIMILAR
    return None


def rounds_to(exact: Mention, rounded: Mention) -> bool:
    """17,1 written as 17: the rounded value has no decimals and the exact one rounds to it."""
    return "," not in rounded.value and "," in exact.value and round(float(exact.number)) == float(rounded.number)


def table_section(index: Index, best: ScoredSentence) -> Section:
    doc = index.documents[best.chunk.source_id]
    return next(s for s in document_sections(doc) if s.label == best.chunk.section and s.table)


def cell(index: Index, best: ScoredSentence, retrieved: Retrieved) -> Draft | None:
    """For a table row and a question that names one column (a peildatum): that cell,
    "Wachtlijst vaste Jeugdbeschermer op 1 okt 2025: 1.499", citing the row and the header."""
    section = table_section(index, best)
    label = next(r[0] for r, span in zip(section.table.rows, section.table.row_spans) if span == (best.start, best.end))
    cells = dict(section.table.rows)[label]
    question = lexical_form(retrieved.terms.text).lower()
    for column, value in zip(section.table.header, cells):
        words = lexical_form(column).lower().split()
        if re.search(r"\b" + r"\s+".join(re.escape(w) for w in words) + r"\b", question):
            header = Quote(best.chunk, *section.table.header_span)
            return Draft(f"{label} op {column}: {value}", [sentence_quote(best), header])
    return None
