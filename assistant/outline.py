"""How a document is read: the sections a citation can name, the passages in each, the
tables rebuilt, and what its owner should check (no headings, a very long section, text that
speaks to a language model, pages without text).

Counts come from the same parser and chunker the index uses (`document_sections`,
`chunk_sections`), so the outline is what retrieval and citations will see.
"""
from __future__ import annotations

import bisect
import re

from .chunks import chunk_sections
from .dutch import normalise
from .sections import FRONT_LABEL
from .sources import Document, document_sections
from .types import Outline, OutlineSection, OutlineTable, ReadingWarning, Section

LONG_SECTION_PASSAGES = 40  # about 40,000 characters: probably a heading the parser missed
MAX_INSTRUCTION_WARNINGS = 5
# Text addressed to a language model rather than to a reader (prompt injection).
INSTRUCTIONS = re.compile("|".join([
    r"\bnegeer\s+(?:alle\s+|al\s+je\s+|de\s+)?(?:vorige|eerdere|voorgaande|bovenstaande)\s+(?:instructies|opdrachten|aanwijzingen)",
    r"\bvergeet\s+(?:alle\s+|al\s+je\s+|je\s+|de\s+)?(?:vorige\s+|eerdere\s+)?(?:instructies|opdrachten|aanwijzingen)",
    r"\bignore\s+(?:all\s+|any\s+|the\s+)?(?:previous|prior|above|earlier)\s+(?:instructions|prompts|directions)",
    r"\bdisregard\s+(?:all\s+|any\s+|the\s+)?(?:previous|prior|above|earlier)\b",
    r"\bje\s+bent\s+nu\b", r"\byou\s+are\s+now\b", r"\bsystem\s*prompt\b", r"\bsysteemprompt\b",
    r"<\|?(?:im_start|system)\|?>", r"\[/?INST\]",
]), re.I)


def outline(doc: Document) -> Outline:
    sections = document_sections(doc)
    chunks = chunk_sections(doc.text, sections)
    starts = sorted(c.start for c in chunks)
    items = []
    for s in sections:
        count = 0 if s.toc else bisect.bisect_left(starts, s.end) - bisect.bisect_left(starts, s.start)
        items.append(OutlineSection(s.label, s.level, count, doc.page_at(s.start), s.end - s.start, s.toc))
    tables = [
        OutlineTable(s.label, list(s.table.header), [[label, *cells] for label, cells in s.table.rows])
        for s in sections if s.table
    ]
    pages = max(doc.page_numbers) if doc.page_numbers else (len(doc.pages) or None)
    return Outline(doc.source, items, tables, reading_warnings(doc, sections, items), pages)


def outline_counts(read: Outline) -> str:
    """'12 secties, 80 passages, 1 tabel, 14 pagina's': how a document is read, in one line."""
    sections = [s for s in read.sections if not s.toc]
    tables = len(read.tables)
    pages = f", {read.pages} pagina's" if read.pages else ""
    return (f"{len(sections)} secties, {read.passages} passages, {tables} "
            f"{'tabel' if tables == 1 else 'tabellen'}{pages}")


def no_text_warning(doc: Document) -> ReadingWarning | None:
    """Pages without text (a scan): said wherever the document is read, never passed over."""
    if not doc.empty_pages:
        return None
    pages = ", ".join(map(str, doc.empty_pages))
    word, holds, is_ = ("Pagina", "bevat", "wordt") if len(doc.empty_pages) == 1 else ("Pagina's", "bevatten", "worden")
    return ReadingWarning(
        "no_text", f"{word} {pages} van '{doc.source.id}' {holds} geen tekst (een scan of alleen afbeeldingen) en {is_} "
        "niet doorzocht. Laat de tekst eerst herkennen (OCR) en vervang dan het document.", page=doc.empty_pages[0])


def reading_warnings(doc: Document, sections: list[Section], items: list[OutlineSection]) -> list[ReadingWarning]:
    out = [w for w in [no_text_warning(doc)] if w]
    if all(s.label == FRONT_LABEL for s in sections):
        out.append(ReadingWarning(
            "no_headings", "Geen koppen gevonden: het hele document is één sectie, dus citaten noemen geen vindplaats. "
            "Gebruik kopstijlen (Word), genummerde koppen of Markdown-koppen (#)."))
    for item in items:
        if item.passages > LONG_SECTION_PASSAGES:
            out.append(ReadingWarning(
                "long_section", f"De sectie '{item.label}' is erg lang ({item.passages} passages); misschien is daarin een "
                "kop niet herkend.", page=item.page, section=item.label))
    for m in list(INSTRUCTIONS.finditer(doc.text))[:MAX_INSTRUCTION_WARNINGS]:
        section = next((s.label for s in sections if s.start <= m.start() < s.end), None)
        around = normalise(doc.text[max(0, m.start() - 40) : m.end() + 40])
        where = f" (pagina {doc.page_at(m.start())})" if doc.pages else ""
        out.append(ReadingWarning(
            "instructions", f"Tekst die eruitziet als een opdracht aan een taalmodel{where}: “…{around}…”. Controleer het "
            "document: een taalmodel krijgt deze tekst als bron te lezen.",
            page=doc.page_at(m.start()), section=section))
    return out
