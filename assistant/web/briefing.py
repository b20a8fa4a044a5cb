"""The "Debatvoorbereiding" tab: a topic in, the briefing note out (`Assistant.brief`), with the
same source cards as answers and the note as Word and Markdown through the expiring downloads."""
from __future__ import annotations

import logging
import re

import gradio as gr

from ..answer import Assistant
from ..briefing import SUGGESTION_KINDS, Briefing, TopicError
from ..briefing_export import (FIGURE_COLUMNS, HEADINGS, MORE_FIGURES_LEAD, SUGGESTED, TITLE, UNSUPPORTED, briefing_docx,
                               briefing_markdown, conflict_text, figure_source, figure_tiers, mode_line,
                               no_core_figures, points_by_document)
from . import cards
from .cards import _hidden, _text
from .downloads import Downloads

log = logging.getLogger(__name__)

CARD_PREFIX = "notitie-bron"
SOURCES_TITLE = "Bronnen bij de notitie"
WORD_NAME, MARKDOWN_NAME = "debatvoorbereiding.docx", "debatvoorbereiding.md"
EXAMPLE = "wachtlijsten in de jeugdbescherming"


def _with_markers(text: str, note: Briefing) -> str:
    """Escaped text whose markers [n] also say, to a screen reader, which source they name."""
    by_n = {c.n: c for c in note.citations}
    return re.sub(r"\[(\d+)\]", lambda m: m.group(0) + (_hidden(_text(f"({cards.marker_label(by_n[int(m.group(1))])})"))
                                                        if int(m.group(1)) in by_n else ""), _text(text))


def note_html(note: Briefing) -> str:
    """The note: its parts as headings, the figures as a table with row and column headers."""
    parts = [f'<section class="notitie" aria-labelledby="notitie-kop"><h2 id="notitie-kop">{TITLE}: {_text(note.topic)}</h2>',
             f'<p class="leeg">{_text(mode_line(note))}</p>']
    if note.warning:
        parts.append(f'<p class="melding">⚠️ Let op: {_text(note.warning)}</p>')
    if note.uncovered:
        return "".join(parts) + "</section>"
    parts.append(f"<h3>{HEADINGS['figures']}</h3>")
    head = "".join(f"<th scope='col'>{c}</th>" for c in FIGURE_COLUMNS)
    for heading, figures in figure_tiers(note):
        name = heading or HEADINGS["figures"]
        table = ""
        if figures:
            rows = "".join(f"<tr><th scope='row'>{_text(f.measure)}</th><td>{_text(f.value)}</td><td>{_text(f.date or '—')}</td>"
                           f"<td>{_with_markers(figure_source(note, f.citations), note)}</td></tr>" for f in figures)
            table = (f"<div class='cijfers'><div class='tabel' tabindex='0' role='region' aria-label='Tabel {name.lower()}'>"
                     f"<table><caption class='sr-only'>{name}: {_text(note.topic)}</caption>"
                     f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div></div>")
        if heading:  # folded: the many figures that only touch the topic do not push the rest of the note away
            parts.append(f"<details class='meer-cijfers'><summary><h4>{heading} ({len(figures)})</h4></summary>"
                         f"<p>{MORE_FIGURES_LEAD}</p>{table}</details>")
        else:
            parts.append(table or f"<p>{no_core_figures(note)}</p>")
    parts.append(f"<h3>{HEADINGS['points']}</h3>")
    for source_id, points in points_by_document(note):
        items = "".join(f"<li>{_with_markers(p.text, note)}"
                        + ("" if p.supported else f" <strong>⚠️ {UNSUPPORTED}</strong>: {_text(p.why or '')}") + "</li>"
                        for p in points)
        parts.append(f"<h4>{_text(note.documents.get(source_id, source_id))}</h4><ul>{items}</ul>")
    parts.append(f"<h3>{HEADINGS['conflicts']}</h3>")
    parts.append("<ul>" + "".join(f"<li>{_with_markers(conflict_text(c, note), note)}</li>" for c in note.conflicts) + "</ul>"
                 if note.conflicts else "<p>De bronnen spreken elkaar op dit onderwerp niet tegen.</p>")
    parts.append(f"<h3>{HEADINGS['commitments']}</h3>")
    parts.append("<ul>" + "".join(f"<li><strong>{_text(c.when or 'zonder termijn')}</strong>: {_with_markers(c.text, note)}</li>"
                                  for c in note.commitments) + "</ul>"
                 if note.commitments else "<p>De bronnen noemen geen toezeggingen of maatregelen op dit onderwerp.</p>")
    for kind, heading in SUGGESTION_KINDS.items():
        items = [s for s in note.suggestions if s.kind == kind]
        if items:
            parts.append(f"<div class='suggestie'><h3>{heading} (suggestie)</h3><p><em>{SUGGESTED}</em></p><ul>"
                         + "".join(f"<li>{_text(s.text)}</li>" for s in items) + "</ul></div>")
    return "".join(parts) + "</section>"


def sources_html(assistant: Assistant, note: Briefing) -> str:
    cards_html = "".join(cards.source_card(assistant, c, CARD_PREFIX) for c in note.citations)
    empty = "" if note.citations else "<p class='leeg'>Er is niets te citeren.</p>"
    return f'<section class="bronnen"><h2>{SOURCES_TITLE}</h2>{empty}{cards_html}</section>'


def announcement(note: Briefing) -> str:
    """What a screen reader hears once, when the note is complete."""
    if note.uncovered:
        return f"<p>{_text(note.uncovered)}</p>"
    documents = len({p.source_id for p in note.points})
    core = sum(f.core for f in note.figures)
    said = (f"Notitie klaar: {core} kerncijfers en {len(note.figures) - core} cijfers meer, standpunten uit {documents} documenten, "
            f"{len(note.conflicts)} verschillen tussen de bronnen, {len(note.commitments)} toezeggingen. "
            f"De {len(note.citations)} bronnen staan onder ‘{SOURCES_TITLE}’.")
    if note.warning:
        said += f" Let op: {note.warning}"
    return f"<p>{_text(said)}</p>"


class _Tab:
    def __init__(self, assistant: Assistant, downloads: Downloads):
        self.assistant = assistant
        self.downloads = downloads  # the questions tab's: one place where downloads expire

    def make(self, topic: str):
        """Yield (note, sources, Word, Markdown, announcement): first that it works, then the note."""
        busy = "Bezig met de notitie: zoeken in de bronnen…"
        yield (f"<p class='leeg'>{busy}</p>", gr.skip(), gr.skip(), gr.skip(), f"<p>{busy}</p>")
        try:
            note = self.assistant.brief(topic or "")
        except TopicError as exc:
            message = f"<p class='melding'>{_text(str(exc))}</p>"
            yield message, gr.skip(), gr.skip(), gr.skip(), f"<p>{_text(str(exc))}</p>"
            return
        except Exception:
            log.exception("briefing failed")
            message = ("Er ging iets mis bij het maken van de notitie. Probeer het opnieuw; blijft het misgaan, meld het "
                       "dan aan de beheerder.")
            yield f"<p class='melding'>{message}</p>", gr.skip(), gr.skip(), gr.skip(), f"<p>{message}</p>"
            return
        word = self.downloads.write(WORD_NAME, briefing_docx(note))
        markdown = self.downloads.write(MARKDOWN_NAME, briefing_markdown(note))
        yield (note_html(note), sources_html(self.assistant, note),
               gr.DownloadButton(value=str(word), interactive=True),
               gr.DownloadButton(value=str(markdown), interactive=True), announcement(note))


def build(assistant: Assistant, downloads: Downloads) -> None:
    """The tab, inside the current Blocks; its files go to `downloads` (the questions tab's)."""
    tab = _Tab(assistant, downloads)
    with gr.Tab("Debatvoorbereiding", id="debat"):
        gr.Markdown("## Debatvoorbereiding\nEen onderwerp op één pagina: de kerncijfers met hun datum, wat elk document "
                    "zegt, waar de bronnen verschillen en wat er is toegezegd. Alles met letterlijke citaten.")
        with gr.Row(equal_height=True):
            topic = gr.Textbox(label="Onderwerp", placeholder=f"bijvoorbeeld: {EXAMPLE}", elem_id="onderwerp", scale=5,
                               min_width=200, max_lines=2)
            make = gr.Button("Notitie maken", variant="primary", scale=1, min_width=120, elem_id="maak-notitie")
        announce = cards.live_region("aankondiging-notitie")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=0):
                note = gr.HTML("<p class='leeg'>Geef een onderwerp: hier verschijnt de notitie.</p>", elem_id="notitie",
                               js_on_load=None)
                with gr.Row():
                    word = gr.DownloadButton("Notitie downloaden (Word)", interactive=False, elem_id="download-word",
                                             min_width=160)
                    markdown = gr.DownloadButton("Notitie downloaden (Markdown)", interactive=False, elem_id="download-md",
                                                 min_width=160)
            with gr.Column(scale=2, min_width=0):
                panel = gr.HTML(f"<section class='bronnen'><h2>{SOURCES_TITLE}</h2><p class='leeg'>Hier verschijnen de "
                                "citaten van de notitie.</p></section>", elem_id="notitie-bronnen", js_on_load=None)
    event = dict(fn=tab.make, inputs=[topic], outputs=[note, panel, word, markdown, announce], show_progress_on=[note])
    topic.submit(**event)
    make.click(**event)
