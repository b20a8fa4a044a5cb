"""A briefing note as a file: Markdown (escaped as answers are, see export.py) and Word.

Word through python-docx (MIT): real headings, the key figures as a real table with a header row,
and a numbered source list with title, date, section and the verbatim quote, so the file reads
and prints as a proper document. The CLI, the page and the tests all write through here.
"""
from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT

from .briefing import SUGGESTION_KINDS, Briefing
from .dutch import format_date
from .export import kind_label, markdown_text, side_text

TITLE = "Debatvoorbereiding"
HEADINGS = {
    "figures": "Kerncijfers",
    "points": "Wat de bronnen zeggen",
    "conflicts": "Waar de bronnen verschillen",
    "commitments": "Toezeggingen en aangekondigde maatregelen",
    "sources": "Bronnen",
}
FIGURE_COLUMNS = ("Wat", "Waarde", "Datum of peildatum", "Bron")
MORE_FIGURES = "Meer cijfers uit dezelfde passages"
MORE_FIGURES_LEAD = "Cijfers uit zinnen die het onderwerp minder direct raken. Lees ze met hun bron."
NO_FIGURES = "De bronnen geven geen cijfers over dit onderwerp."
NO_CORE_FIGURES = "Geen cijfer staat in een zin die vooral over dit onderwerp gaat; zie de cijfers hieronder."
SUGGESTED = "Suggestie van het taalmodel, niet uit de bronnen: controleer dit zelf."
UNSUPPORTED = "niet onderbouwd door de geciteerde bron"


def _markers(numbers: list[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def mode_line(note: Briefing) -> str:
    return (f"Geschreven met het taalmodel {note.model}; elke bewering is nagelopen in haar citaat."
            if note.mode == "ollama" else "Citaatmodus: alles letterlijk uit de bronnen, zonder taalmodel.")


def figure_source(note: Briefing, numbers: list[int]) -> str:
    """The source column of a figure: the document and section of its first citation, and its markers."""
    by_n = {c.n: c for c in note.citations}
    first = by_n.get(numbers[0]) if numbers else None
    where = f"{note.documents.get(first.source_id, first.title)}, {first.section} " if first else ""
    return f"{where}{_markers(numbers)}".strip()


def figure_tiers(note: Briefing) -> list[tuple[str | None, list]]:
    """The key figures in two tables: those from sentences mostly about the topic, under the heading
    Kerncijfers, then (heading MORE_FIGURES) those from sentences that only touch it, so the few that
    matter are not lost among the many; each table grouped by measure and ordered by date. Only the
    first may be empty (`no_core_figures`)."""
    core = [f for f in note.figures if f.core]
    more = [f for f in note.figures if not f.core]
    return [(None, core)] + ([(MORE_FIGURES, more)] if more else [])


def no_core_figures(note: Briefing) -> str:
    """What the Kerncijfers say when no figure stands in a sentence mostly about the topic."""
    return NO_CORE_FIGURES if note.figures else NO_FIGURES


def conflict_text(conflict, note: Briefing) -> str:
    """One conflict: what is measured, then each side as written with its date, its document and
    section, and its markers; why they differ only where a document says so."""
    sides = "; ".join(f"{side_text(v)}, {figure_source(note, v.citations)}" for v in conflict.values)
    return f"{conflict.measure}: {sides}." + (f" {conflict.note}" if conflict.note else "")


def points_by_document(note: Briefing) -> list[tuple[str, list]]:
    """The points under their document, in the note's order (newest document first)."""
    out: dict[str, list] = {}
    for p in note.points:
        out.setdefault(p.source_id, []).append(p)
    return list(out.items())


def citation_line(c) -> str:
    return f"[{c.n}] {c.title} ({kind_label(c.kind)}, {format_date(c.date)}), paragraaf “{c.section}”" + (
        f", pagina {c.page}" if c.page else "")


def briefing_markdown(note: Briefing) -> str:
    """The note as Markdown; whatever comes from a source, a user or a model is escaped."""
    m = markdown_text
    lines = [f"# {TITLE}: {m(note.topic)}", "", f"_{m(mode_line(note))}_", ""]
    if note.warning:
        lines += [f"> Let op: {m(note.warning)}", ""]
    if note.uncovered:
        return "\n".join(lines) + "\n"
    lines += [f"## {HEADINGS['figures']}", ""]
    for heading, figures in figure_tiers(note):
        if heading:
            lines += ["", f"### {heading}", "", MORE_FIGURES_LEAD, ""]
        if figures:
            lines += ["| " + " | ".join(FIGURE_COLUMNS) + " |", "|" + "---|" * len(FIGURE_COLUMNS)]
            for f in figures:
                cells = [f.measure, f.value, f.date or "—", figure_source(note, f.citations)]
                lines.append("| " + " | ".join(m(c).replace("|", "\\|") for c in cells) + " |")
        else:
            lines.append(no_core_figures(note))
    lines += ["", f"## {HEADINGS['points']}", ""]
    for source_id, points in points_by_document(note):
        lines += [f"### {m(note.documents.get(source_id, source_id))}", ""]
        lines += [f"- {m(p.text)}" + ("" if p.supported else f" ⚠️ _{UNSUPPORTED}: {m(p.why or '')}_") for p in points]
        lines.append("")
    lines += [f"## {HEADINGS['conflicts']}", ""]
    lines += [f"- {m(conflict_text(c, note))}" for c in note.conflicts] or ["De bronnen spreken elkaar op dit onderwerp niet tegen."]
    lines += ["", f"## {HEADINGS['commitments']}", ""]
    lines += [f"- **{m(c.when or 'zonder termijn')}**: {m(c.text)}" for c in note.commitments] or [
        "De bronnen noemen geen toezeggingen of maatregelen op dit onderwerp."]
    lines.append("")
    for kind, heading in SUGGESTION_KINDS.items():
        items = [s for s in note.suggestions if s.kind == kind]
        if items:
            lines += [f"## {heading} (suggestie)", "", f"_{SUGGESTED}_", "", *[f"- {m(s.text)}" for s in items], ""]
    lines += [f"## {HEADINGS['sources']}", ""]
    for c in note.citations:
        lines += [m(citation_line(c)), "", f"> {m(c.quote)}", ""]
    return "\n".join(lines) + "\n"


def briefing_text(note: Briefing) -> str:
    """The note for a terminal: the same parts as the files, plain text."""
    lines = [f"{TITLE}: {note.topic}", mode_line(note)]
    if note.warning:
        lines += ["", f"Let op: {note.warning}"]
    if note.uncovered:
        return "\n".join(lines)
    lines += ["", HEADINGS["figures"].upper()]
    for heading, figures in figure_tiers(note):
        if heading:
            lines += ["", f"{heading}:", MORE_FIGURES_LEAD]
        lines += [f"- {f.measure}: {f.value} ({f.date or 'geen datum'}) — {figure_source(note, f.citations)}" for f in figures] or [
            no_core_figures(note)]
    lines += ["", HEADINGS["points"].upper()]
    for source_id, points in points_by_document(note):
        lines.append(note.documents.get(source_id, source_id))
        lines += [f"- {p.text}" + ("" if p.supported else f" (⚠ {UNSUPPORTED}: {p.why or ''})") for p in points]
    lines += ["", HEADINGS["conflicts"].upper()]
    lines += [f"- {conflict_text(c, note)}" for c in note.conflicts] or ["De bronnen spreken elkaar op dit onderwerp niet tegen."]
    lines += ["", HEADINGS["commitments"].upper()]
    lines += [f"- {c.when or 'zonder termijn'}: {c.text}" for c in note.commitments] or [
        "De bronnen noemen geen toezeggingen of maatregelen op dit onderwerp."]
    for kind, heading in SUGGESTION_KINDS.items():
        items = [s for s in note.suggestions if s.kind == kind]
        if items:
            lines += ["", f"{heading.upper()} (suggestie; {SUGGESTED})", *[f"- {s.text}" for s in items]]
    lines += ["", HEADINGS["sources"].upper()]
    for c in note.citations:
        lines += [citation_line(c), f"    “{c.quote}”"]
    lines += ["", f"({note.timing_ms['total']} ms)"]
    return "\n".join(lines)


def briefing_docx(note: Briefing) -> bytes:
    """The note as a Word document (.docx)."""
    doc = Document()
    doc.core_properties.title = f"{TITLE}: {note.topic}"
    doc.core_properties.language = "nl-NL"
    doc.add_heading(f"{TITLE}: {note.topic}", level=0)
    doc.add_paragraph().add_run(mode_line(note)).italic = True
    if note.warning:
        doc.add_paragraph(f"Let op: {note.warning}")
    if not note.uncovered:
        doc.add_heading(HEADINGS["figures"], level=1)
        for heading, figures in figure_tiers(note):
            if heading:
                doc.add_heading(heading, level=2)
                doc.add_paragraph(MORE_FIGURES_LEAD)
            if figures:
                table = doc.add_table(rows=1, cols=len(FIGURE_COLUMNS))
                table.style = "Table Grid"
                table.alignment = WD_TABLE_ALIGNMENT.LEFT
                for cell, label in zip(table.rows[0].cells, FIGURE_COLUMNS):
                    cell.text = ""
                    cell.paragraphs[0].add_run(label).bold = True
                for f in figures:
                    row = table.add_row().cells
                    for cell, text in zip(row, (f.measure, f.value, f.date or "—", figure_source(note, f.citations))):
                        cell.text = text
            else:
                doc.add_paragraph(no_core_figures(note))
        doc.add_heading(HEADINGS["points"], level=1)
        for source_id, points in points_by_document(note):
            doc.add_heading(note.documents.get(source_id, source_id), level=2)
            for p in points:
                doc.add_paragraph(p.text + ("" if p.supported else f" (⚠ {UNSUPPORTED}: {p.why or ''})"), style="List Bullet")
        doc.add_heading(HEADINGS["conflicts"], level=1)
        for c in note.conflicts:
            doc.add_paragraph(conflict_text(c, note), style="List Bullet")
        if not note.conflicts:
            doc.add_paragraph("De bronnen spreken elkaar op dit onderwerp niet tegen.")
        doc.add_heading(HEADINGS["commitments"], level=1)
        for c in note.commitments:
            paragraph = doc.add_paragraph(style="List Bullet")
            paragraph.add_run(f"{c.when or 'zonder termijn'}: ").bold = True
            paragraph.add_run(c.text)
        if not note.commitments:
            doc.add_paragraph("De bronnen noemen geen toezeggingen of maatregelen op dit onderwerp.")
        for kind, heading in SUGGESTION_KINDS.items():
            items = [s for s in note.suggestions if s.kind == kind]
            if items:
                doc.add_heading(f"{heading} (suggestie)", level=1)
                doc.add_paragraph().add_run(SUGGESTED).italic = True
                for s in items:
                    doc.add_paragraph(s.text, style="List Bullet")
        doc.add_heading(HEADINGS["sources"], level=1)
        for c in note.citations:
            doc.add_paragraph(citation_line(c))
            doc.add_paragraph(c.quote, style="Quote")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def write(note: Briefing, path: Path) -> None:
    """Write the note as Word (.docx) or Markdown (any other name), by the file's extension."""
    path = Path(path)
    if path.suffix.lower() == ".docx":
        path.write_bytes(briefing_docx(note))
    else:
        path.write_text(briefing_markdown(note), encoding="utf-8")
