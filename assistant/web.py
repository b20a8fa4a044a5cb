"""The web page: a Gradio chat over `Assistant`, with the sources beside each answer and a
figures tab for the GI-monitor.

Presentation only: every answer comes from `Assistant.stream`. Whatever a user types or a
source contains is escaped before it is shown, so nothing from outside can run in the browser.
"""
from __future__ import annotations

import html
import logging
import re
import sys
import tempfile
import time
import uuid
from pathlib import Path

import gradio as gr
from matplotlib.figure import Figure as PlotFigure
from matplotlib.ticker import FuncFormatter

from .answer import Assistant, QuestionError
from .dutch import format_date, parse_date, parse_number
from .types import Answer, Citation, Section, Source

log = logging.getLogger(__name__)

TITLE = "Vragen over jeugdbescherming"
EXAMPLES = (
    "Hoeveel kinderen stonden op 1 oktober 2025 op de wachtlijst voor een vaste jeugdbeschermer?",
    "Wat zeggen de inspecties over betekenisvol contact?",
    "Welke maatregelen nemen de staatssecretarissen tegen de wachtlijsten?",
)
UNVERIFIED = "niet geverifieerd in de geciteerde passage"
CONTEXT_CHARS = 160  # text shown around a quote in its card
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
EXIT_INPUT, EXIT_UNAVAILABLE = 2, 3
# System fonts: the default themes fetch Google Fonts, which a closed network cannot reach.
THEME = gr.themes.Soft(font=["system-ui", "Segoe UI", "Helvetica", "Arial", "sans-serif"],
                       font_mono=["ui-monospace", "Consolas", "monospace"])

# Gradio's own labels in Dutch, also for browsers set to English (the fallback language).
_DUTCH = {"chatbot.copy_message": "Bericht kopiëren", "chatbot.copied_message": "Bericht gekopieerd",
          "chatbot.clear": "Gesprek wissen"}
I18N = gr.I18n(en=_DUTCH, nl=_DUTCH)

CSS = """
.modus { padding: .6rem .9rem; border-radius: 8px; border: 1px solid var(--border-color-primary); }
.modus-model { background: var(--color-accent-soft); }
.modus-citaat { background: var(--block-background-fill); border-left: 4px solid #d97706; }
.modus .uitleg { display: block; margin-top: .25rem; font-size: .92em; }
.bronnen h3 { margin: 0 0 .5rem 0; font-size: 1.05rem; }
.bronnen .vraag { color: var(--body-text-color-subdued); font-size: .9em; margin-bottom: .6rem; }
.bron { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .6rem .8rem; margin-bottom: .7rem;
        background: var(--block-background-fill); }
.bron-kop { font-weight: 600; }
.bron-nr { display: inline-block; min-width: 2.2em; color: var(--color-accent); }
.bron-meta { font-size: .88em; color: var(--body-text-color-subdued); margin: .2rem 0 .4rem 0; }
.bron-sectie { font-weight: 600; color: var(--body-text-color); }
.bron blockquote { margin: .3rem 0; padding: .3rem .6rem; border-left: 3px solid var(--border-color-primary);
                   font-size: .93em; line-height: 1.45; }
.bron mark, .paragraaf mark { background: #fde68a; color: #111; padding: 0 .1em; }
.bron details summary { cursor: pointer; font-size: .9em; color: var(--color-accent); }
.paragraaf { white-space: pre-line; font-size: .9em; line-height: 1.45; max-height: 24rem; overflow-y: auto;
             padding: .4rem .6rem; border: 1px dashed var(--border-color-primary); border-radius: 6px; margin-top: .3rem; }
.melding { border-radius: 8px; padding: .5rem .8rem; margin-bottom: .7rem; border: 1px solid #d97706;
           background: rgba(217, 119, 6, .08); }
.leeg { color: var(--body-text-color-subdued); }
.cijfers table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
.cijfers th, .cijfers td { border: 1px solid var(--border-color-primary); padding: .35rem .55rem; text-align: right; }
.cijfers th:first-child, .cijfers td:first-child { text-align: left; }
.cijfers caption { caption-side: bottom; text-align: left; font-size: .88em; padding-top: .4rem;
                   color: var(--body-text-color-subdued); }
"""


def _text(value: str) -> str:
    """Source or user text for our HTML: shown literally, never as markup."""
    return html.escape(value, quote=True)


def _chat(value: str) -> str:
    """Source or user text for a chat message (Markdown): no tags can form. Quotes stay as they
    are, since the copy button copies the message as written."""
    return html.escape(value, quote=False)


def _prose(value: str) -> str:
    """Like `_text`, but the `commands` in our own Dutch messages read as code."""
    return re.sub(r"`([^`<>]+)`", r"<code>\1</code>", _text(value))


def _kind(kind: str) -> str:
    return kind[:1].upper() + kind[1:]


def _short(title: str, limit: int = 90) -> str:
    return title if len(title) <= limit else title[: limit - 1].rsplit(" ", 1)[0] + "…"


def _mark_unverified(text: str, answer: Answer) -> str:
    """Flag each unverified figure where it stands in the (already escaped) answer text."""
    for figure in answer.figures:
        if not figure.verified:
            pattern = rf"(?<![\w\[.,]){re.escape(figure.value)}(?![\w\]]|[.,]\d)"
            text = re.sub(pattern, lambda m: f"**{m.group(0)}**⚠️", text)
    return text


def _mode_html(assistant: Assistant) -> str:
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


def _quote_in_context(citation: Citation, section: tuple[Section, str] | None) -> str:
    """The quote highlighted, with a little of the text around it so it reads in context."""
    quote = f"<mark>{_text(citation.quote)}</mark>"
    if section is None:
        return quote
    sec, body = section
    a, b = citation.start - sec.start, citation.end - sec.start
    if not 0 <= a <= b <= len(body):
        return quote
    before = " ".join(body[max(0, a - CONTEXT_CHARS) : a].split())
    after = " ".join(body[b : b + CONTEXT_CHARS].split())
    if a > CONTEXT_CHARS and " " in before:
        before = "…" + before.split(" ", 1)[1]
    if b + CONTEXT_CHARS < len(body) and " " in after:
        after = after.rsplit(" ", 1)[0] + "…"
    return f"{_text(before)} {quote} {_text(after)}".strip()


def _section_html(citation: Citation, section: tuple[Section, str] | None) -> str:
    """The whole section, the quote marked, behind a click: to check the quote in its place."""
    if section is None:
        return ""
    sec, body = section
    a, b = citation.start - sec.start, citation.end - sec.start
    if 0 <= a <= b <= len(body):
        text = f"{_text(body[:a])}<mark>{_text(body[a:b])}</mark>{_text(body[b:])}"
    else:
        text = _text(body)
    return (f"<details><summary>Lees de hele paragraaf “{_text(citation.section)}”</summary>"
            f'<div class="paragraaf">{text.strip()}</div></details>')


def _sources_html(assistant: Assistant, answer: Answer) -> str:
    parts = ['<div class="bronnen">', "<h3>Bronnen bij het antwoord</h3>",
             f'<div class="vraag">Vraag: “{_text(answer.question)}”</div>']
    if answer.standalone_question and answer.standalone_question != answer.question:
        parts.append(f'<div class="vraag">Als vervolgvraag gezocht op: “{_text(answer.standalone_question)}”</div>')
    unverified = [f.value for f in answer.figures if not f.verified]
    if unverified:
        parts.append(f'<div class="melding">⚠️ Cijfers {UNVERIFIED}: <strong>{_text(", ".join(unverified))}</strong>. '
                     "Controleer ze in de bron.</div>")
    if answer.refused:
        parts.append('<p class="leeg">De bronnen geven geen antwoord op deze vraag, dus er is niets te citeren.</p>')
    for c in answer.citations:
        section = assistant.section(c.source_id, c.section)
        parts.append(
            f'<article class="bron" id="bron-{c.n}" data-source-id="{_text(c.source_id)}">'
            f'<div class="bron-kop"><span class="bron-nr">[{c.n}]</span> '
            f'<span class="bron-titel">{_text(c.title)}</span></div>'
            f'<div class="bron-meta">{_text(_kind(c.kind))} · {_text(format_date(c.date))} · paragraaf '
            f'<span class="bron-sectie">{_text(c.section)}</span></div>'
            f"<blockquote>{_quote_in_context(c, section)}</blockquote>{_section_html(c, section)}</article>"
        )
    parts.append("</div>")
    return "".join(parts)


def _sources_note(note: str) -> str:
    return f'<div class="bronnen"><h3>Bronnen bij het antwoord</h3><p class="leeg">{_text(note)}</p></div>'


def _empty_sources() -> str:
    return _sources_note("Stel een vraag: hier verschijnen de citaten waarop het antwoord steunt, met document, "
                         "paragraaf en de letterlijke tekst.")


def _chat_text(answer: Answer) -> str:
    """The answer as it stands in the chat: text with markers, then what the reader must know."""
    lines = [_mark_unverified(_chat(answer.answer), answer)]
    if answer.warning:
        lines += ["", f"⚠️ Let op: {_chat(answer.warning)}"]
    unverified = [f.value for f in answer.figures if not f.verified]
    if unverified:
        lines += ["", f"⚠️ Cijfers {UNVERIFIED}: {_chat(', '.join(unverified))}. Controleer ze in de bron."]
    if answer.citations:
        markers = ", ".join(f"[{c.n}]" for c in answer.citations)
        lines += ["", f"_Citaten {markers}: zie ‘Bronnen bij het antwoord’._"]
    mode = f"model {answer.model}" if answer.mode == "ollama" else "citaatmodus, letterlijke citaten"
    lines += ["", f"_({_chat(mode)})_"]
    return "\n".join(lines)


def _markdown(answer: Answer) -> str:
    """The answer with its citations as a Markdown file (escaped: a viewer may render it as HTML)."""
    lines = [f"# {TITLE}", "", f"**Vraag:** {_chat(answer.question)}", "", "## Antwoord", "", _chat(answer.answer), ""]
    if answer.warning:
        lines += [f"> Let op: {_chat(answer.warning)}", ""]
    unverified = [f.value for f in answer.figures if not f.verified]
    if unverified:
        lines += [f"> Cijfers {UNVERIFIED}: {_chat(', '.join(unverified))}", ""]
    if answer.citations:
        lines += ["## Bronnen", ""]
        for c in answer.citations:
            where = f"{_kind(c.kind)}, {format_date(c.date)}"
            lines += [f"[{c.n}] {_chat(c.title)} ({_chat(where)}), paragraaf “{_chat(c.section)}”", "",
                      f"> {_chat(c.quote)}", ""]
    mode = f"model {answer.model}" if answer.mode == "ollama" else "citaatmodus (letterlijke citaten, zonder taalmodel)"
    lines.append(f"_Beantwoord in {_chat(mode)}._")
    return "\n".join(lines) + "\n"


def _table_html(source: Source, section: Section, body: str | None) -> str:
    table = section.table
    where = f"{source.title} ({_kind(source.kind)}, {format_date(source.date)}), paragraaf “{section.label}”"
    head = "".join(f"<th>{_text(h)}</th>" for h in table.header)
    rows = "".join(
        f"<tr><th scope='row'>{_text(label)}</th>"
        + "".join(f"<td title='Bron: {_text(where)}'>{_text(cell)}</td>" for cell in cells)
        + "</tr>"
        for label, cells in table.rows
    )
    text = (f"<details><summary>Bekijk de tekst in het document</summary><div class='paragraaf'>{_text(body.strip())}"
            "</div></details>") if body else ""
    return (f"<div class='cijfers' data-source-id='{_text(source.id)}'><table><thead><tr><th>Peildatum</th>{head}</tr>"
            f"</thead><tbody>{rows}</tbody><caption>Bron van alle waarden: {_text(where)}</caption></table>{text}</div>")


def _table_plot(section: Section) -> PlotFigure:
    """One small line chart per row (the rows differ too much in scale to share an axis),
    each point labelled with the value exactly as the source writes it."""
    table = section.table
    dates = [parse_date(h) for h in table.header]
    xs = dates if all(dates) else list(range(len(table.header)))
    fig = PlotFigure(figsize=(9, 2.4 * len(table.rows)), layout="constrained")
    axes = fig.subplots(len(table.rows), 1, sharex=True, squeeze=False)[:, 0]
    dutch = FuncFormatter(lambda v, _: f"{v:,.0f}".replace(",", ".") if v >= 1000 else f"{v:g}".replace(".", ","))
    for ax, (label, cells) in zip(axes, table.rows):
        points = [(x, parse_number(c), c) for x, c in zip(xs, cells) if parse_number(c) is not None]
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", color="#2563eb")
        for x, y, cell in points:
            ax.annotate(cell, (x, y), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=8)
        ax.set_title(label, fontsize=10, loc="left")
        ax.yaxis.set_major_formatter(dutch)
        ax.margins(y=0.3)
        ax.grid(alpha=0.3)
    axes[-1].set_xticks(xs, table.header, rotation=0, fontsize=8)
    axes[-1].set_xlabel("Peildatum")
    return fig


class _Page:
    """The callbacks of one page; all answering is `Assistant.stream`."""

    def __init__(self, assistant: Assistant):
        self.assistant = assistant
        self.ids = [s.id for s in assistant.sources]
        self.downloads = Path(tempfile.mkdtemp(prefix="jeugdbescherming-antwoorden-"))

    def choices(self) -> list[tuple[str, str]]:
        return [(f"{_short(s.title)} ({_kind(s.kind)}, {format_date(s.date)})", s.id) for s in self.assistant.sources]

    def kinds(self) -> list[tuple[str, str]]:
        return [(_kind(k), k) for k in dict.fromkeys(s.kind for s in self.assistant.sources)]

    def scope(self, selected: list[str]) -> str:
        """The filter's title says what is searched, so a narrowed search is visible while folded."""
        if set(selected) >= set(self.ids):
            return f"Zoeken in: alle {len(self.ids)} documenten"
        return f"Zoeken in: {len(selected)} van {len(self.ids)} documenten"

    def documents_of(self, kinds: list[str]) -> list[str]:
        return [s.id for s in self.assistant.sources if s.kind in kinds]

    def kinds_of(self, selected: list[str]) -> list[str]:
        """The kinds whose documents are all selected, so both filters tell the same story."""
        kinds = dict.fromkeys(s.kind for s in self.assistant.sources)
        return [k for k in kinds if all(s.id in selected for s in self.assistant.sources if s.kind == k)]

    def respond(self, question: str, chat: list[dict], history: list[str], selected: list[str]):
        """Yield (question box, chat, history, sources panel, mode, download) as the answer grows."""
        question = question or ""
        if question.strip():
            chat = [*chat, {"role": "user", "content": _chat(question)}]
        yield "", chat, history, _sources_note("Bezig met zoeken in de bronnen…"), gr.skip(), gr.skip()
        if not selected:
            chat.append({"role": "assistant", "content": "Kies bij ‘Zoeken in’ minstens één document om in te zoeken."})
            yield "", chat, history, _empty_sources(), gr.skip(), gr.skip()
            return
        sources = None if set(selected) >= set(self.ids) else list(selected)
        text, reply = "", None
        try:
            for item in self.assistant.stream(question, history, None, sources):
                if reply is None:
                    reply = {"role": "assistant", "content": ""}
                    chat.append(reply)
                if isinstance(item, str):
                    text += item
                    reply["content"] = _chat(text)
                    yield "", chat, history, gr.skip(), gr.skip(), gr.skip()
                    continue
                reply["content"] = _chat_text(item)
                yield ("", chat, [*history, question], _sources_html(self.assistant, item),
                       _mode_html(self.assistant), self._download(item))
        except QuestionError as exc:
            chat.append({"role": "assistant", "content": _chat(str(exc))})
            yield "", chat, history, _empty_sources(), gr.skip(), gr.skip()
        except Exception:
            log.exception("answering failed")
            message = ("Er ging iets mis bij het beantwoorden van deze vraag. Probeer het opnieuw of stel de vraag "
                       "anders; blijft het misgaan, meld het dan aan de beheerder.")
            chat.append({"role": "assistant", "content": message})
            yield "", chat, history, _sources_note("Geen bronnen: het antwoord is mislukt."), gr.skip(), gr.skip()

    def _download(self, answer: Answer):
        """A fresh file per answer, so two visitors never get each other's answer."""
        folder = self.downloads / uuid.uuid4().hex
        folder.mkdir()
        path = folder / "antwoord-jeugdbescherming.md"
        path.write_text(_markdown(answer), encoding="utf-8")
        return gr.DownloadButton(value=str(path), interactive=True)

    def reset(self):
        return ([], [], _empty_sources(), gr.DownloadButton(value=None, interactive=False), "")


def build_app(assistant: Assistant) -> gr.Blocks:
    page = _Page(assistant)
    with gr.Blocks(title=TITLE, analytics_enabled=False) as app:
        gr.Markdown(f"# {TITLE}\nStel een vraag over de jeugdbescherming in Nederland. Elk antwoord komt uit openbare "
                    "documenten van inspecties en ministeries, met letterlijke citaten die u kunt controleren.")
        mode = gr.HTML(_mode_html(assistant), elem_id="modus", js_on_load=None)
        history = gr.State([])
        with gr.Tab("Vragen", id="vragen"):
            with gr.Row(equal_height=False):
                with gr.Column(scale=3):
                    # Messages arrive escaped; sanitising and no tags or LaTeX are the second line of defence.
                    chat = gr.Chatbot(
                        label="Gesprek", show_label=False, elem_id="gesprek", height=520, buttons=["copy"],
                        feedback_options=None, latex_delimiters=[], sanitize_html=True, allow_tags=False,
                        placeholder="Nog geen vragen. Kies een voorbeeldvraag hieronder of typ uw eigen vraag.",
                    )
                    with gr.Row(equal_height=True):
                        question = gr.Textbox(label="Uw vraag", placeholder="Typ een vraag en druk op Enter",
                                              elem_id="vraag", scale=5, max_lines=4, autofocus=True)
                        ask = gr.Button("Vraag stellen", variant="primary", scale=1, elem_id="stel-vraag")
                    gr.Markdown("**Voorbeeldvragen**")
                    example_buttons = [gr.Button(e, size="sm", variant="secondary") for e in EXAMPLES]
                    with gr.Row():
                        new = gr.Button("Nieuw gesprek", elem_id="nieuw-gesprek")
                        download = gr.DownloadButton("Antwoord downloaden (Markdown)", interactive=False,
                                                     elem_id="download")
                with gr.Column(scale=2):
                    with gr.Accordion(page.scope([*page.ids]), open=False, elem_id="filter") as scope:
                        kinds = gr.CheckboxGroup(page.kinds(), value=[k for _, k in page.kinds()],
                                                 label="Soort document", elem_id="soorten")
                        documents = gr.CheckboxGroup(page.choices(), value=list(page.ids), label="Documenten",
                                                     elem_id="documenten")
                    panel = gr.HTML(_empty_sources(), elem_id="bronnen", js_on_load=None)
        with gr.Tab("Cijfers", id="cijfers"):
            gr.Markdown("## Cijfers uit de GI-monitor\nDe tabel zoals die in de bron staat, en het verloop per peildatum.")
            tables = assistant.tables()
            if not tables:
                gr.Markdown("Er zijn geen tabellen in de bronnen gevonden.")
            for source, section in tables:
                found = assistant.section(source.id, section.label)
                gr.Markdown(f"### {_text(section.label)}")
                gr.HTML(_table_html(source, section, found[1] if found else None), js_on_load=None)
                gr.Markdown("#### Verloop per peildatum")
                gr.Plot(_table_plot(section), label=f"Verloop: {section.label}", show_label=False,
                        elem_classes=["grafiek"], format="png")

        outputs = [question, chat, history, panel, mode, download]
        inputs = [question, chat, history, documents]
        question.submit(page.respond, inputs, outputs)
        ask.click(page.respond, inputs, outputs)
        for button in example_buttons:
            button.click(lambda q=button.value: q, None, question).then(page.respond, inputs, outputs)
        new.click(page.reset, None, [chat, history, panel, download, question])
        chat.clear(page.reset, None, [chat, history, panel, download, question])
        kinds.input(page.documents_of, kinds, documents)
        documents.input(page.kinds_of, documents, kinds)
        documents.change(lambda ids: gr.Accordion(label=page.scope(ids)), documents, scope)
        app.load(lambda: _mode_html(assistant), None, mode)
    return app


def _auth(auth: str, host: str) -> tuple[tuple[str, str] | None, str | None]:
    """(credentials, Dutch error): off the loopback a password is required unless explicitly off."""
    if auth == "off":
        return None, None
    if auth:
        user, sep, password = auth.partition(":")
        if not (sep and user and password):
            return None, "ASSISTANT_AUTH moet de vorm gebruiker:wachtwoord hebben (of 'off')."
        return (user, password), None
    if host not in LOOPBACK:
        return None, (f"De pagina zou luisteren op {host}, dus bereikbaar voor anderen, maar er is geen wachtwoord "
                      "ingesteld. Zet ASSISTANT_AUTH=gebruiker:wachtwoord, of ASSISTANT_AUTH=off als dat echt "
                      "zonder wachtwoord mag, of luister alleen op 127.0.0.1.")
    return None, None


CONCURRENT_ANSWERS = 4  # visitors answered at the same time; a slow model must not block the others


def serve(assistant: Assistant, host: str | None = None, port: int | None = None) -> int:
    """Start the page; blocks until stopped. 2 for a refused setup, 3 when the port is taken."""
    settings = assistant.settings
    host, port = host or settings.host, port or settings.port
    credentials, problem = _auth(settings.auth, host)
    if problem:
        print(f"Fout: {problem}", file=sys.stderr, flush=True)
        return EXIT_INPUT
    app = build_app(assistant)
    app.queue(default_concurrency_limit=CONCURRENT_ANSWERS)
    try:
        app.launch(server_name=host, server_port=port, auth=credentials, auth_message="Log in om vragen te stellen.",
                   quiet=True, show_error=False, footer_links=[], run_history=False, ssr_mode=False,
                   prevent_thread_lock=True, css=CSS, theme=THEME, i18n=I18N)
    except OSError as exc:
        print(f"Fout: de pagina kan niet starten op {host}:{port} ({exc}). Kies een andere poort met --port.",
              file=sys.stderr, flush=True)
        return EXIT_UNAVAILABLE
    shown = f"[{host}]" if ":" in host else host
    print(f"De assistent draait op http://{shown}:{port}  (stoppen met Ctrl+C)", file=sys.stderr, flush=True)
    try:  # Ctrl+C reaches the CLI, which says "Afgebroken." in Dutch
        while app.is_running:
            time.sleep(0.2)
    finally:
        app.close(verbose=False)
    return 0
