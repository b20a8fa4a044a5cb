"""The "Eerdere gesprekken" tab: every turn of the Vragen tab saved for its owner (the user
name under ASSISTANT_AUTH, else the browser's id, a cookie set by `middleware.BrowserId`),
listed, reopened in the chat with answers and source cards, exported as Markdown and deleted.
The storage is `ConversationStore`; this module only decides whose conversation it is and
shows it."""
from __future__ import annotations

import dataclasses
import logging
import time

import gradio as gr

from ..answer import Assistant
from ..conversations import ConversationStore, answer_record, stored_answer
from ..dutch import format_date
from ..types import Answer
from . import cards
from .ask import _Page
from .middleware import browser_id

log = logging.getLogger(__name__)

DELETED = "verwijderd"  # the chat's conversation was deleted: its next turns are not stored
EXPORT_NAME = "gesprek-jeugdbescherming.md"
# After a conversation is opened: to the Vragen tab, the cursor in the question box.
TO_CHAT = """() => {
    if (document.querySelector('#gesprekken-melding .fout')) return;
    [...document.querySelectorAll('[role=tab]')].find(t => t.textContent.trim() === 'Vragen')?.click();
    setTimeout(() => document.querySelector('#vraag textarea')?.focus(), 150);
}"""
FOCUS_CONFIRM = "() => { setTimeout(() => document.querySelector('#gesprek-ja')?.focus(), 100); }"


def owner(request: gr.Request | None) -> str | None:
    """Whose conversations: the user logged in, else this browser; None when neither is known."""
    user = getattr(request, "username", None)
    if user:
        return f"gebruiker:{user}"
    headers = getattr(request, "headers", None)
    browser = browser_id(headers.get("cookie", "") if headers is not None else "")
    return f"browser:{browser}" if browser else None


class Keeper:
    """Saves each finished turn of the Vragen tab to its owner's conversation."""

    def __init__(self, assistant: Assistant) -> None:
        self.store = ConversationStore(assistant.settings.data_dir)

    def save(self, conversation: str, question: str, answer: Answer, request: gr.Request) -> str:
        """Store the turn; the conversation id for the next one. A failure to store is logged and
        never costs the answer on the screen."""
        who = owner(request)
        if who is None or conversation == DELETED:
            return conversation
        try:
            if not conversation:
                conversation = self.store.create(who, question)
            if not self.store.append(who, conversation, question, answer_record(answer)):
                return DELETED  # deleted meanwhile (in another window): never stored again
        except Exception:  # a full disk or a locked database: the answer stays on the screen
            log.exception("saving a turn failed")
        return conversation


class _Tab:
    def __init__(self, keeper: Keeper, page: _Page) -> None:
        self.page, self.store = page, keeper.store

    def choices(self, request: gr.Request) -> list[tuple[str, str]]:
        who = owner(request)
        if who is None:
            return []
        out = []
        for c in self.store.list(who):
            when = time.localtime(c.updated)
            n = f"{c.turns} {'vraag' if c.turns == 1 else 'vragen'}"
            out.append((f"{c.title} ({format_date(time.strftime('%Y-%m-%d', when))} {time.strftime('%H:%M', when)}, "
                        f"{n})", c.id))
        return out

    def listing(self, chosen: str | None = None, request: gr.Request | None = None):
        """(list, the note under it, export button). The choice is left as the visitor has it:
        it may have changed while the list was on its way."""
        choices = self.choices(request)
        note = "" if choices else "<p class='leeg'>Nog geen bewaarde gesprekken. Elke vraag in ‘Vragen’ wordt hier bewaard.</p>"
        if owner(request) is None:
            note = "<p class='leeg'>Deze browser bewaart geen gegevens voor deze pagina, dus gesprekken worden niet bewaard.</p>"
        chosen = chosen if any(v == chosen for _, v in choices) else None
        return gr.Radio(choices=choices), note, self.export(chosen, request) if chosen else gr.skip()

    def export(self, conv_id: str | None, request: gr.Request):
        who = owner(request)
        text = self.store.export_markdown(who, conv_id) if who and conv_id else None
        if text is None:
            return gr.DownloadButton(value=None, interactive=False)
        return gr.DownloadButton(value=self.page.download_file(EXPORT_NAME, text), interactive=True)

    def reopen(self, conv_id: str | None, request: gr.Request):
        """The conversation in the Vragen tab's chat; or a Dutch message here, the chat untouched."""
        who = owner(request)
        conversation = self.store.get(who, conv_id) if who and conv_id else None
        if conversation is None:
            message = ("Kies eerst een gesprek in de lijst." if not conv_id else
                       "Dit gesprek bestaat niet meer (misschien verwijderd in een ander venster).")
            return (*[gr.skip()] * len(self.page.shown), _note(message), cards._text(message))
        turns = [(t.question, self._placed(stored_answer(t.answer))) for t in conversation.turns]
        n = len(turns)
        said = f"Gesprek ‘{conversation.title}’ geopend met {n} {'vraag' if n == 1 else 'vragen'} en antwoorden."
        return (*self.page.show(conversation.id, turns), "", cards._text(said))

    def _placed(self, answer: Answer) -> Answer:
        """A quote is marked in its section only where the section still says it (a document may
        have been replaced since); elsewhere the card shows the quote alone."""
        for n, c in enumerate(answer.citations):
            found = self.page.assistant.section(c.source_id, c.section)
            text = found[1][c.start - found[0].start : c.end - found[0].start] if found else ""
            if " ".join(text.split()) != " ".join(c.quote.split()):
                answer.citations[n] = dataclasses.replace(c, start=-1, end=-1)
        return answer

    def confirm(self, conv_id: str | None, request: gr.Request):
        """(confirmation group, its question, message)"""
        title = dict((v, k) for k, v in self.choices(request)).get(conv_id)
        if title is None:
            return gr.Group(visible=False), "", cards._text("Kies eerst een gesprek in de lijst.")
        question = f"<p><strong>Gesprek ‘{cards._text(title)}’ definitief verwijderen?</strong> Het kan niet terug.</p>"
        return gr.Group(visible=True), question, ""

    def delete(self, conv_id: str | None, current: str, request: gr.Request):
        """Delete, and clear the chat when it shows this conversation; outputs: confirmation
        group, message, list, note, export, then those of the Vragen tab's `reset`."""
        who = owner(request)
        gone = bool(who and conv_id and self.store.delete(who, conv_id))
        message = "Het gesprek is verwijderd." if gone else "Dit gesprek bestaat niet meer."
        chat = self.page.reset() if gone and conv_id == current else [gr.skip()] * len(self.page.shown)
        _, note, _ = self.listing(None, request)
        return (gr.Group(visible=False), cards._text(message), gr.Radio(choices=self.choices(request), value=None),
                note, gr.DownloadButton(value=None, interactive=False), *chat)


def _note(message: str) -> str:
    return f"<p class='melding fout'>{cards._text(message)}</p>"


def build(keeper: Keeper, page: _Page, app: gr.Blocks) -> None:
    """The tab, inside the current Blocks, after the Vragen tab (`page`)."""
    tab = _Tab(keeper, page)
    conversation = page.shown[-1]
    with gr.Tab("Eerdere gesprekken", id="gesprekken") as panel:
        gr.HTML("<h2 class='kop-klein'>Eerdere gesprekken</h2><p>Elke vraag met haar antwoord en bronnen wordt "
                "bewaard, voor u alleen. Open een gesprek om verder te vragen, exporteer het of verwijder het.</p>",
                js_on_load=None)
        announce = cards.live_region("aankondiging-gesprekken")
        chosen = gr.Radio([], label="Uw gesprekken (de nieuwste eerst)", elem_id="gesprekken-lijst")
        note = gr.HTML("", elem_id="gesprekken-melding", js_on_load=None)
        with gr.Row():
            reopen = gr.Button("Gesprek openen", variant="primary", elem_id="gesprek-openen", min_width=160)
            export = gr.DownloadButton("Exporteren (Markdown)", interactive=False, elem_id="gesprek-exporteren",
                                       min_width=160)
            delete = gr.Button("Verwijderen…", elem_id="gesprek-verwijderen", min_width=160)
        confirm, question, yes, no = cards.confirmation("gesprek")

    listed = [chosen, note, export]
    # quick refreshes: no loading overlay flashing over the list each time the tab opens
    app.load(tab.listing, None, listed, show_progress="hidden")
    panel.select(tab.listing, chosen, listed, show_progress="hidden")
    chosen.input(tab.export, chosen, export, show_progress="hidden")
    reopen.click(tab.reopen, chosen, [*page.shown, note, announce]).then(None, js=TO_CHAT)
    delete.click(tab.confirm, chosen, [confirm, question, announce]).then(None, js=FOCUS_CONFIRM)
    no.click(lambda: (gr.Group(visible=False), "Niet verwijderd."), None, [confirm, announce])
    yes.click(tab.delete, [chosen, conversation], [confirm, announce, *listed, *page.shown])
