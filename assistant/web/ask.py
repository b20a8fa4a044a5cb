"""The "Vragen" tab: the chat, the question box, example questions, the document filter, the
sources beside the answer and its download. All answering is `Assistant.stream`."""
from __future__ import annotations

import logging
from collections.abc import Callable

import gradio as gr

from ..answer import Assistant, QuestionError
from ..generate import Waiting
from ..types import Answer, Preliminary
from ..dutch import format_date
from ..export import answer_markdown, kind_label
from . import cards
from .cards import _chat
from .downloads import Downloads

log = logging.getLogger(__name__)

EXAMPLES = (
    "Hoeveel kinderen stonden op 1 oktober 2025 op de wachtlijst voor een vaste jeugdbeschermer?",
    "Wat zeggen de inspecties over betekenisvol contact?",
    "Welke maatregelen nemen de staatssecretarissen tegen de wachtlijsten?",
)
DOWNLOAD_NAME = "antwoord-jeugdbescherming.md"
# After an answer the cursor goes back to the question box, ready for a follow-up; the answer
# itself is read out by the live region (#aankondiging).
FOCUS_QUESTION = "() => { document.querySelector('#vraag textarea')?.focus(); }"
# Saves a finished turn: (conversation id or "", question, answer, request) -> the conversation
# id the next turn goes to (see web/conversations.py).
KeepTurn = Callable[[str, str, Answer, gr.Request], str]


class _Page:
    """The callbacks of the tab; all answering is `Assistant.stream`."""

    def __init__(self, assistant: Assistant, keep: KeepTurn | None = None):
        self.assistant = assistant
        self.keep = keep
        # set by `build`, for the other tabs: what `reset` and `show` fill, and the document
        # filter's (inputs, outputs) for `refresh_filter`
        self.shown: list = []
        self.filter: tuple[list, list] = ([], [])
        self.downloads = Downloads(assistant.settings.download_ttl, "jeugdbescherming-antwoorden-")  # every tab's

    @property
    def ids(self) -> list[str]:
        """The documents the index holds now: the library may change while the page runs."""
        return [s.id for s in self.assistant.sources]

    def choices(self) -> list[tuple[str, str]]:
        return [(f"{cards.short_title(s.title)} ({kind_label(s.kind)}, {format_date(s.date)})", s.id)
                for s in self.assistant.sources]

    def kinds(self) -> list[tuple[str, str]]:
        return [(kind_label(k), k) for k in dict.fromkeys(s.kind for s in self.assistant.sources)]

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

    def refresh_filter(self, selected: list[str], offered: list[str]):
        """The filter after the library changed: documents new to this page are selected, removed
        ones go. Returns (kinds, documents, offered, filter)."""
        ids = self.ids
        keep = [i for i in ids if i in selected or i not in offered]
        return (gr.CheckboxGroup(choices=self.kinds(), value=self.kinds_of(keep)),
                gr.CheckboxGroup(choices=self.choices(), value=keep), ids, gr.Accordion(label=self.scope(keep)))

    def respond(self, question: str, chat: list[dict], history: list[str], selected: list[str], offered: list[str],
                conversation: str, request: gr.Request):
        """Yield (question box, chat, history, sources panel, mode, download, announcement, saved
        conversation) as the answer grows. The announcement says once that the search is on, and
        then changes once more, when the answer (or the message) is complete, so a screen reader
        reads it whole instead of piece by piece. A finished answer is saved (`keep`)."""
        question = question or ""
        if question.strip():
            chat = [*chat, {"role": "user", "content": _chat(question)}]
        busy = "Bezig met zoeken in de bronnen…"
        yield "", chat, history, cards.sources_note(busy), gr.skip(), gr.skip(), cards._text(busy), gr.skip()
        # every document the filter offered is selected: search all, also one added since
        sources = None if set(selected) >= set(offered) else [i for i in selected if i in self.ids]
        if not selected or sources == []:
            message = "Kies bij ‘Zoeken in’ minstens één document om in te zoeken."
            chat.append({"role": "assistant", "content": message})
            yield "", chat, history, cards.empty_sources(), gr.skip(), gr.skip(), cards._text(message), gr.skip()
            return
        text, reply, first, waited = "", None, "", 0.0
        try:
            for item in self.assistant.stream(question, history, None, sources):
                if reply is None:
                    reply = {"role": "assistant", "content": ""}
                    chat.append(reply)
                if isinstance(item, Preliminary):  # the evidence at once; the model's answer follows
                    first = cards.chat_text(item.answer)
                    reply["content"] = cards.while_model_writes(first, text, waited)
                    yield ("", chat, history, cards.sources_html(self.assistant, item.answer, final=False), gr.skip(),
                           gr.skip(), gr.skip(), gr.skip())
                    continue
                if isinstance(item, (str, Waiting)):
                    if isinstance(item, str):
                        text += item
                    else:
                        waited = item.seconds
                    reply["content"] = cards.while_model_writes(first, text, waited) if first else _chat(text)
                    yield "", chat, history, gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
                    continue
                reply["content"] = cards.chat_text(item)
                if self.keep is not None:
                    conversation = self.keep(conversation, question, item, request)
                yield ("", chat, [*history, question], cards.sources_html(self.assistant, item),
                       cards.mode_html(self.assistant), self._download(item), cards.announcement(item), conversation)
        except QuestionError as exc:
            chat.append({"role": "assistant", "content": _chat(str(exc))})
            yield "", chat, history, cards.empty_sources(), gr.skip(), gr.skip(), cards._text(str(exc)), gr.skip()
        except Exception:
            log.exception("answering failed")
            message = ("Er ging iets mis bij het beantwoorden van deze vraag. Probeer het opnieuw of stel de vraag "
                       "anders; blijft het misgaan, meld het dan aan de beheerder.")
            chat.append({"role": "assistant", "content": message})
            yield ("", chat, history, cards.sources_note("Geen bronnen: het antwoord is mislukt."), gr.skip(),
                   gr.skip(), cards._text(message), gr.skip())

    def _download(self, answer):
        return gr.DownloadButton(value=self.download_file(DOWNLOAD_NAME, answer_markdown(answer)), interactive=True)

    def download_file(self, name: str, data: str | bytes) -> str:
        """A fresh file per download, through the expiring downloads every tab shares (downloads.py)."""
        return str(self.downloads.write(name, data))

    def reset(self):
        """A new conversation: the next answer starts a new saved one."""
        return [], [], cards.empty_sources(), gr.DownloadButton(value=None, interactive=False), "", "", ""

    def show(self, conversation: str, turns: list[tuple[str, Answer]]):
        """A saved conversation back in the chat, its last answer's sources beside it; the
        outputs of `reset`, the conversation the next turn goes to last."""
        chat = []
        for question, answer in turns:
            chat += [{"role": "user", "content": _chat(question)}, {"role": "assistant", "content": cards.chat_text(answer)}]
        last = turns[-1][1] if turns else None
        panel = cards.sources_html(self.assistant, last) if last else cards.empty_sources()
        download = self._download(last) if last else gr.DownloadButton(value=None, interactive=False)
        return chat, [q for q, _ in turns], panel, download, "", "", conversation


def build(assistant: Assistant, mode: gr.HTML, keep: KeepTurn | None = None) -> _Page:
    """The tab, inside the current Blocks; `mode` is the banner, refreshed with each answer;
    `keep` saves each finished turn."""
    page = _Page(assistant, keep)
    history = gr.State([])
    offered = gr.State(list(page.ids))  # the documents the filter offers
    conversation = gr.State("")  # the saved conversation the next turn goes to
    with gr.Tab("Vragen", id="vragen"):
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=0):
                gr.HTML("<h2 class='sr-only'>Gesprek</h2>", js_on_load=None)
                # Messages arrive escaped; sanitising and no tags or LaTeX are the second line of defence.
                chat = gr.Chatbot(
                    label="Gesprek", show_label=False, elem_id="gesprek", height="min(520px, 75vh)",
                    buttons=["copy"], feedback_options=None, latex_delimiters=[], sanitize_html=True,
                    allow_tags=False,
                    placeholder="Nog geen vragen. Kies een voorbeeldvraag hieronder of typ uw eigen vraag.",
                )
                announce = cards.live_region("aankondiging")
                with gr.Row(equal_height=True):
                    question = gr.Textbox(label="Uw vraag", placeholder="Typ een vraag en druk op Enter",
                                          elem_id="vraag", scale=5, min_width=200, max_lines=4, autofocus=True)
                    ask = gr.Button("Vraag stellen", variant="primary", scale=1, min_width=120, elem_id="stel-vraag")
                gr.HTML("<h2 class='kop-klein'>Voorbeeldvragen</h2>", js_on_load=None)
                example_buttons = [gr.Button(e, size="sm", variant="secondary", elem_classes=["voorbeeld"])
                                   for e in EXAMPLES]
                with gr.Row():
                    new = gr.Button("Nieuw gesprek", elem_id="nieuw-gesprek", min_width=160)
                    download = gr.DownloadButton("Antwoord downloaden (Markdown)", interactive=False,
                                                 elem_id="download", min_width=160)
            with gr.Column(scale=2, min_width=0):
                with gr.Accordion(page.scope([*page.ids]), open=False, elem_id="filter") as scope:
                    kinds = gr.CheckboxGroup(page.kinds(), value=[k for _, k in page.kinds()],
                                             label="Soort document", elem_id="soorten")
                    documents = gr.CheckboxGroup(page.choices(), value=list(page.ids), label="Documenten",
                                                 elem_id="documenten")
                panel = gr.HTML(cards.empty_sources(), elem_id="bronnen", js_on_load=None)

    outputs = [question, chat, history, panel, mode, download, announce, conversation]
    inputs = [question, chat, history, documents, offered, conversation]
    # Progress shows on the chat only: in the live region its running timer would be read out.
    answer = dict(fn=page.respond, inputs=inputs, outputs=outputs, show_progress_on=[chat])
    question.submit(**answer).then(None, js=FOCUS_QUESTION)
    ask.click(**answer).then(None, js=FOCUS_QUESTION)
    for button in example_buttons:
        button.click(lambda q=button.value: q, None, question).then(**answer).then(None, js=FOCUS_QUESTION)
    shown = [chat, history, panel, download, question, announce, conversation]
    new.click(page.reset, None, shown)
    chat.clear(page.reset, None, shown)
    kinds.input(page.documents_of, kinds, documents)
    documents.input(page.kinds_of, documents, kinds)
    documents.change(lambda ids: gr.Accordion(label=page.scope(ids)), documents, scope)
    page.shown, page.filter = shown, ([documents, offered], [kinds, documents, offered, scope])
    return page
