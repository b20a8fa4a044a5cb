"""What every tab shows of an answer: the chat text, the source cards (the quote in its context,
the whole section behind a click), the text a screen reader announces, and the mode banner.

Whatever a user types, a source contains or a model writes is escaped here before it is shown,
so nothing from outside can run, link or load in the browser. Meaning is never carried by
colour alone: every mark (a quote, an unverified figure, an unsupported claim) also has words.
"""
from __future__ import annotations

import html
import re

import gradio as gr

from ..answer import Assistant
from ..dutch import format_date
from ..export import (CONFLICTS, UNVERIFIED, answer_body, conflict_lines, kind_label, markdown_text, unstated_conflicts,
                      unverified_figures)
from ..types import Answer, Citation, Section

CONTEXT_CHARS = 160  # text shown around a quote in its card
SOURCES_TITLE = "Bronnen bij het antwoord"
_MARKER = re.compile(r"\\\[(\d+)\\\]")  # a citation marker as `markdown_text` escapes it

_chat = markdown_text  # source, user or model text for a chat message (Markdown)


def _text(value: str) -> str:
    """Source or user text for our HTML: shown literally, never as markup."""
    return html.escape(value, quote=True)


def _prose(value: str) -> str:
    """Like `_text`, but the `commands` in our own Dutch messages read as code."""
    return re.sub(r"`([^`<>]+)`", r"<code>\1</code>", _text(value))


def _hidden(value: str) -> str:
    """Words for a screen reader only (already escaped), for what the eye gets from layout."""
    return f'<span class="sr-only">{value}</span>'


def short_title(title: str, limit: int = 90) -> str:
    return title if len(title) <= limit else title[: limit - 1].rsplit(" ", 1)[0] + "…"


def marker_label(citation: Citation) -> str:
    """What a marker [n] points to, in words: 'bron 1: Kamerbrief …, paragraaf Wachtlijsten'."""
    return f"bron {citation.n}: {short_title(citation.title, 60)}, paragraaf {citation.section}"


def mode_html(assistant: Assistant) -> str:
    """Which mode answers, and when it is the citation mode: why, and how to get a model."""
    status = assistant.status()
    if status.mode == "ollama":
        return (f'<div class="modus modus-model" data-mode="ollama">Antwoorden worden geschreven door het taalmodel '
                f"<strong>{_text(status.model or '')}</strong> (Ollama) en gecontroleerd op bronverwijzingen."
                '<span class="uitleg">Een model kan zich vergissen: controleer de citaten bij elk antwoord.</span></div>')
    settings = assistant.settings
    if settings.mode == "extractive":
        lead = "elk antwoord bestaat uit letterlijke citaten uit de bronnen, zonder taalmodel."
        reason = ("Zo ingesteld met ASSISTANT_MODE=extractive. Zet ASSISTANT_MODE op auto of ollama voor antwoorden "
                  "van een taalmodel.")
    else:
        lead = "er is geen taalmodel bereikbaar, dus elk antwoord bestaat uit letterlijke citaten uit de bronnen."
        problem = status.warning or assistant.status("ollama").warning or ""
        reason = f"{problem} Herlaad deze pagina zodra Ollama met het model {settings.llm_model} draait."
    return (f'<div class="modus modus-citaat" data-mode="extractive"><strong>Citaatmodus</strong>: {lead}'
            f'<span class="uitleg">⚠️ {_prose(reason.strip())}</span></div>')


def _span(citation: Citation, section: tuple[Section, str] | None) -> tuple[int, int] | None:
    """Where the quote stands in its section's body, when it can be placed there."""
    if section is None:
        return None
    sec, body = section
    a, b = citation.start - sec.start, citation.end - sec.start
    return (a, b) if 0 <= a <= b <= len(body) else None


def _marked(quote: str) -> str:
    """The quote highlighted, and said to be the quote in words for those who cannot see the colour."""
    return f"{_hidden('Begin citaat:')} <mark>{quote}</mark>{_hidden('(einde citaat)')}"


def quote_in_context(citation: Citation, section: tuple[Section, str] | None) -> str:
    """The quote highlighted, with a little of the text around it so it reads in context."""
    span = _span(citation, section)
    if span is None:
        return _marked(_text(citation.quote))
    (a, b), body = span, section[1]
    before = " ".join(body[max(0, a - CONTEXT_CHARS) : a].split())
    after = " ".join(body[b : b + CONTEXT_CHARS].split())
    if a > CONTEXT_CHARS and " " in before:
        before = "…" + before.split(" ", 1)[1]
    if b + CONTEXT_CHARS < len(body) and " " in after:
        after = after.rsplit(" ", 1)[0] + "…"
    return f"{_text(before)} {_marked(_text(citation.quote))} {_text(after)}".strip()


def section_html(citation: Citation, section: tuple[Section, str] | None) -> str:
    """The whole section, the quote marked, behind a click: to check the quote in its place.
    The scrolling box takes keyboard focus, so it can be scrolled without a mouse."""
    if section is None:
        return ""
    body, span = section[1], _span(citation, section)
    if span:
        a, b = span
        text = f"{_text(body[:a])}{_marked(_text(body[a:b]))}{_text(body[b:])}"
    else:
        text = _text(body)
    label = _text(f"Paragraaf {citation.section}")
    return (f"<details><summary>Lees de hele paragraaf “{_text(citation.section)}”</summary>"
            f'<div class="paragraaf" tabindex="0" role="region" aria-label="{label}">{text.strip()}</div></details>')


def source_card(assistant: Assistant, citation: Citation, prefix: str = "bron") -> str:
    """One citation as a card: number and document as its heading, kind, date, section, the quote.
    `prefix` keeps the ids of one tab's cards apart from another's."""
    c, section = citation, assistant.section(citation.source_id, citation.section)
    return (
        f'<article class="bron" id="{prefix}-{c.n}" data-source-id="{_text(c.source_id)}" aria-labelledby="{prefix}-{c.n}-kop">'
        f'<h3 class="bron-kop" id="{prefix}-{c.n}-kop"><span class="bron-nr">[{c.n}]</span> '
        f'<span class="bron-titel">{_text(c.title)}</span></h3>'
        f'<p class="bron-meta">{_text(kind_label(c.kind))} · {_text(format_date(c.date))} · paragraaf '
        f'<span class="bron-sectie">{_text(c.section)}</span>'
        + (f' · <span class="bron-pagina">pagina {c.page}</span>' if c.page else "")
        + f"</p><blockquote>{quote_in_context(c, section)}</blockquote>{section_html(c, section)}</article>"
    )


def sources_html(assistant: Assistant, answer: Answer, final: bool = True) -> str:
    """The panel beside an answer: the question it belongs to, warnings, one card per citation.
    `final`: the checked answer; otherwise the quotes shown while a model still writes."""
    state = "klaar" if final else "voorlopig"
    parts = [f'<section class="bronnen" data-antwoord="{state}">', f"<h2>{SOURCES_TITLE}</h2>",
             f'<p class="vraag">Vraag: “{_text(answer.question)}”</p>']
    if answer.standalone_question and answer.standalone_question != answer.question:
        parts.append(f'<p class="vraag">Als vervolgvraag gezocht op: “{_text(answer.standalone_question)}”</p>')
    unverified = unverified_figures(answer)
    if unverified:
        parts.append(f'<p class="melding">⚠️ Cijfers {UNVERIFIED}: <strong>{_text(", ".join(unverified))}</strong>. '
                     "Controleer ze in de bron.</p>")
    if answer.refused:
        parts.append('<p class="leeg">De bronnen geven geen antwoord op deze vraag, dus er is niets te citeren.</p>')
    if not final:
        parts.append('<p class="melding">Het taalmodel schrijft nog; dit zijn de citaten van het antwoord zonder model.</p>')
    parts += [source_card(assistant, c) for c in answer.citations]
    parts.append("</section>")
    return "".join(parts)


def sources_note(note: str) -> str:
    return f'<section class="bronnen"><h2>{SOURCES_TITLE}</h2><p class="leeg">{_text(note)}</p></section>'


def empty_sources() -> str:
    return sources_note("Stel een vraag: hier verschijnen de citaten waarop het antwoord steunt, met document, "
                        "paragraaf en de letterlijke tekst.")


def confirmation(prefix: str) -> tuple[gr.Group, gr.HTML, gr.Button, gr.Button]:
    """A hidden "are you sure" step before a deletion: (its group, the question, Ja, Annuleren)."""
    with gr.Group(visible=False, elem_id=f"{prefix}-bevestigen") as group:
        question = gr.HTML("", js_on_load=None)
        with gr.Row():
            yes = gr.Button("Ja, verwijderen", variant="primary", elem_id=f"{prefix}-ja", min_width=160)
            no = gr.Button("Annuleren", elem_id=f"{prefix}-nee", min_width=160)
    return group, question, yes, no


def live_region(elem_id: str) -> gr.HTML:
    """An invisible region a screen reader reads out when its text changes (page.js makes it a
    polite live region): give it a finished answer or message once, never each streamed piece,
    and keep the event's progress off it (`show_progress_on`), or its timer is read out too."""
    return gr.HTML("", elem_id=elem_id, elem_classes=["sr-only", "aankondiging"], js_on_load=None)


def _spoken_markers(text: str, answer: Answer) -> str:
    """Each escaped marker [n] followed by words, for a screen reader only, naming its source."""
    by_n = {c.n: c for c in answer.citations}

    def spoken(m: re.Match) -> str:
        c = by_n.get(int(m.group(1)))
        return m.group(0) + (_hidden(f"({_chat(marker_label(c))})") if c else "")

    return _MARKER.sub(spoken, text)


def chat_text(answer: Answer) -> str:
    """The answer as it stands in the chat: text with markers, then what the reader must know."""
    lines = [_spoken_markers(answer_body(answer), answer)]
    if unstated := unstated_conflicts(answer):
        lines += ["", f"**{CONFLICTS}:**"]
        lines += [_spoken_markers(line, answer) for line in conflict_lines(unstated)]
    if answer.warning:
        lines += ["", f"⚠️ Let op: {_chat(answer.warning)}"]
    unverified = unverified_figures(answer)
    if unverified:
        lines += ["", f"⚠️ Cijfers {UNVERIFIED}: {_chat(', '.join(unverified))}. Controleer ze in de bron."]
    if answer.citations:
        markers = ", ".join(f"\\[{c.n}\\]" for c in answer.citations)
        lines += ["", f"_Citaten {markers}: zie [{SOURCES_TITLE}](#bronnen)._"]  # a link within the page
    mode = f"model {answer.model}" if answer.mode == "ollama" else "citaatmodus, letterlijke citaten"
    lines += ["", f"_({_chat(mode)})_"]
    return "\n".join(lines)


def while_model_writes(first: str, text: str, seconds: float) -> str:
    """The answer without a model, and under it what the model has written so far, with the time
    it has taken: the reader has the evidence at once and sees the model at work."""
    state = (f"_Het taalmodel schrijft een eigen antwoord ({seconds:.0f} s); dit antwoord hierboven komt "
             "letterlijk uit de bronnen._") if not text else f"**Het taalmodel schrijft ({seconds:.0f} s):**"
    return "\n\n".join(part for part in (first, state, _chat(text)) if part)


def announcement(answer: Answer) -> str:
    """What a screen reader hears once an answer is complete (HTML for a live region): the answer
    with each marker named, its warnings, and where the sources are."""
    by_n = {c.n: c for c in answer.citations}
    text = re.sub(r"\[(\d+)\]", lambda m: f"({marker_label(by_n[int(m.group(1))])})" if int(m.group(1)) in by_n
                  else m.group(0), answer.answer)
    parts = [f"Antwoord: {text}"]
    if answer.warning:
        parts.append(f"Let op: {answer.warning}")
    unverified = unverified_figures(answer)
    if unverified:
        parts.append(f"Cijfers {UNVERIFIED}: {', '.join(unverified)}.")
    if answer.conflicts:
        parts.append(f"{CONFLICTS}: {', '.join(c.measure for c in answer.conflicts)}.")
    unsupported = sum(not c.supported for c in answer.claims)
    if unsupported:
        parts.append(f"{unsupported} {'uitspraak is' if unsupported == 1 else 'uitspraken zijn'} niet onderbouwd "
                     "door de geciteerde bron.")
    if answer.citations:
        n = len(answer.citations)
        parts.append(f"{'De bron staat' if n == 1 else f'De {n} bronnen staan'} onder ‘{SOURCES_TITLE}’.")
    return " ".join(f"<p>{_text(p)}</p>" for p in parts)
