"""The "Documenten" tab: the documents the assistant answers from, each with how it is read
(its sections as citations name them, passages, rebuilt tables, reading warnings), and for
those who may (`library.may_manage_documents`) adding, replacing and removing documents.

Every change goes through `library` and then the background rebuild of the `LiveIndex`: the
rest of the page keeps answering from the current index meanwhile, and the new document
answers as soon as its build is swapped in. Each handler checks again on the server who asks,
so a call past the page is refused as well."""
from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import gradio as gr

from ..answer import Assistant
from ..config import LOOPBACK_HOSTS
from ..dutch import format_date
from ..export import kind_label
from ..library import LibraryError, add_document, may_manage_documents, remove_document, replace_document, suggest
from ..live_index import IndexStatus, built_when
from ..outline import outline, outline_counts
from ..sources import KINDS
from ..types import Outline
from . import cards
from .ask import _Page
from .cards import _text

log = logging.getLogger(__name__)

FILE_TYPES = [".pdf", ".docx", ".html", ".txt", ".md"]
REFUSED = ("Alleen een beheerder mag documenten toevoegen, vervangen of verwijderen (ASSISTANT_ADMINS). "
           "Er is niets veranderd.")
FAILED = "Er ging iets mis bij het wijzigen van de bibliotheek; er is niets veranderd. Meld het aan de beheerder."
FIELD_LABELS = {"title": "titel", "kind": "soort", "publisher": "uitgever", "date": "datum"}
POLL_SECONDS = 0.5
STATUS_SECONDS = 3  # how often the status line looks again while the server builds
# What a change to the library updates, in this order.
OUTPUTS = ("progress", "announce", "message", "status", "listing", "chosen", "confirm", "upload", "form", "replacement")
FOCUS_CONFIRM = "() => { setTimeout(() => document.querySelector('#document-ja')?.focus(), 100); }"
# After a change the button pressed may be gone (the form closes): the cursor goes to the outcome.
FOCUS_MESSAGE = "() => { document.querySelector('#documenten-melding .melding')?.focus(); }"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def status_line(status: IndexStatus) -> str:
    """One line on the index: how many documents and passages, when built, whether a build runs."""
    parts = [f"{_plural(status.documents, 'document', 'documenten')}, {status.chunks} passages, "
             f"index {built_when(status.built_at)}."]
    if status.building:
        parts.append(f"Bezig met bijwerken ({status.building}); tot dan antwoordt de vorige versie.")
    if status.problem:
        parts.append(status.problem)
    parts.extend(status.skipped.values())
    return f"<p class='index-status'>{' '.join(_text(p) for p in parts)}</p>"


def progress_html(status: IndexStatus | None, lead: str) -> str:
    """A progress bar for a build (a native <progress>, named by the text above it); without a
    known stage it runs without a value."""
    p = status.progress if status else None
    if p is None:
        text, bar = f"{lead}…", "<progress aria-labelledby='voortgang-tekst'></progress>"
    else:
        left = f", nog ongeveer {round(p.seconds_left)} s" if p.seconds_left is not None else ""
        text = f"{lead}: {p.label.lower()}, {p.done} van {p.total}{left}"
        bar = f"<progress aria-labelledby='voortgang-tekst' max='{max(p.total, 1)}' value='{p.done}'></progress>"
    return f"<div class='voortgang'><p id='voortgang-tekst'>{_text(text)}</p>{bar}</div>"


def outline_html(read: Outline) -> str:
    """One document as the index reads it: its fields, counts, warnings, and behind a click its
    sections (labels as citations show them, page, passages) and the tables rebuilt."""
    s, key = read.source, f"doc-{read.source.id}"
    meta = " · ".join(_text(x) for x in [kind_label(s.kind), format_date(s.date), s.publisher, f"bestand {s.file}",
                                          f"id {s.id}"] if x)
    warnings = "".join(f"<li>⚠️ Let op: {_text(w.message)}</li>" for w in read.warnings)
    rows = "".join(
        f"<tr><th scope='row'>{_text(x.label)}</th><td>{x.page or '–'}</td>"
        f"<td>{'inhoudsopgave, niet geciteerd' if x.toc else x.passages}</td></tr>" for x in read.sections)
    sections = (f"<details><summary>Secties zoals citaten ze noemen ({len(read.sections)})</summary>"
                f"<div class='tabel' tabindex='0' role='region' aria-label='Secties van {_text(s.title)}'>"
                f"<table class='secties'><caption class='sr-only'>Secties van {_text(s.title)}</caption><thead><tr>"
                f"<th scope='col'>Sectie</th><th scope='col'>Pagina</th><th scope='col'>Passages</th></tr></thead>"
                f"<tbody>{rows}</tbody></table></div></details>")
    tables = "".join(
        f"<div class='tabel' tabindex='0' role='region' aria-label='Tabel {_text(t.section)}'><table class='secties'>"
        f"<caption>{_text(t.section)}</caption><thead><tr><th scope='col'>Rij</th>"
        + "".join(f"<th scope='col'>{_text(h)}</th>" for h in t.header) + "</tr></thead><tbody>"
        + "".join(f"<tr><th scope='row'>{_text(r[0])}</th>" + "".join(f"<td>{_text(c)}</td>" for c in r[1:]) + "</tr>"
                  for r in t.rows) + "</tbody></table></div>" for t in read.tables)
    if tables:
        tables = f"<details><summary>Herbouwde tabellen ({len(read.tables)})</summary>{tables}</details>"
    return (f"<article class='document' id='{_text(key)}' data-source-id='{_text(s.id)}' aria-labelledby='{_text(key)}-kop'>"
            f"<h3 class='bron-kop' id='{_text(key)}-kop'>{_text(s.title)}</h3><p class='bron-meta'>{meta}</p>"
            f"<p>Zo gelezen: {_text(outline_counts(read))}.</p>"
            + (f"<ul class='waarschuwingen'>{warnings}</ul>" if warnings else "") + sections + tables + "</article>")


class _Library:
    def __init__(self, assistant: Assistant, host: str) -> None:
        self.assistant, self.settings, self.host = assistant, assistant.settings, host
        self._outlines: dict[tuple[str, str], Outline] = {}
        self.outlines()  # read once at the start, so the first visitor does not wait for it

    def may(self, request: gr.Request | None) -> bool:
        """Under ASSISTANT_AUTH the admins; without a password only a visitor on this machine
        while the page listens on the loopback."""
        user = getattr(request, "username", None)
        if not may_manage_documents(self.settings, user, self.host):
            return False
        if self.settings.auth and self.settings.auth != "off":
            return True
        client = getattr(getattr(request, "client", None), "host", None)
        return client in LOOPBACK_HOSTS

    def too_big(self, file: str) -> str | None:
        """A Dutch refusal for a file larger than ASSISTANT_MAX_FILE_MB: the index would leave it out."""
        size = Path(file).stat().st_size
        if size <= self.settings.max_file_mb * 1_000_000:
            return None
        return (f"‘{Path(file).name}’ is {size / 1_000_000:.0f} MB; de grens is {self.settings.max_file_mb:g} MB "
                "(ASSISTANT_MAX_FILE_MB). Er is niets veranderd.")

    def outlines(self) -> list[Outline]:
        """How each document of the answering index is read (cached per text)."""
        known, self._outlines = self._outlines, {}
        for doc in self.assistant.index.documents.values():
            key = (doc.source.id, doc.sha256)
            cached = known.get(key)
            self._outlines[key] = cached if cached is not None and cached.source == doc.source else outline(doc)
        return list(self._outlines.values())

    def listing(self) -> str:
        return (f"<section class='documenten' aria-labelledby='documenten-kop'><h3 id='documenten-kop' class='kop-klein'>"
                f"De documenten</h3>{''.join(outline_html(o) for o in self.outlines())}</section>")

    def doc_choices(self) -> list[tuple[str, str]]:
        return [(f"{cards.short_title(s.title, 70)} ({s.id})", s.id) for s in self.assistant.sources]

    def page(self, request: gr.Request):
        """On load: (status, listing, controls, note for a visitor who may not change them, choices,
        the timer that follows a build the server started)."""
        may = self.may(request)
        note = "" if may else ("<p class='leeg'>Documenten toevoegen, vervangen of verwijderen mag alleen een beheerder "
                               "(ASSISTANT_ADMINS).</p>")
        status = self.assistant.index_status()
        return (status_line(status), self.listing(), gr.Group(visible=may), note,
                gr.Radio(choices=self.doc_choices(), value=None), gr.Timer(active=bool(status.building)))

    def tick(self):
        """While the server builds (a stale index at the start): (status, listing, timer)."""
        status = self.assistant.index_status()
        building = bool(status.building)
        return status_line(status), gr.skip() if building else self.listing(), gr.Timer(active=building)

    def suggest(self, file: str | None, request: gr.Request):
        """After an upload: the form filled in from the document, said where each field came from.
        Outputs: form, title, kind, publisher, date, origin note, message."""
        hidden = (gr.Group(visible=False), *[gr.skip()] * 5)
        if not self.may(request):
            return (*hidden, _text(REFUSED))
        if not file:
            return (*hidden, "")
        if big := self.too_big(file):
            return (*hidden, _text(big))
        try:
            found = suggest(self.settings, Path(file))
        except LibraryError as exc:
            return (*hidden, _text(str(exc)))
        origins = "; ".join(f"{FIELD_LABELS[k]}: {found.found[k]}" for k in FIELD_LABELS if k in found.found)
        note = (f"<p class='bron-meta'>Ingevuld uit het document ({_text(origins)}). Controleer de velden en vul aan "
                "wat ontbreekt.</p>")
        said = f"Het formulier is ingevuld uit ‘{Path(file).name}’. Controleer de velden en kies Toevoegen."
        return (gr.Group(visible=True), found.title, found.kind, found.publisher, found.date, note, _text(said))

    def add(self, file: str | None, title: str, kind: str, publisher: str, date: str, request: gr.Request) -> Iterator:
        """Add the uploaded document with the confirmed fields, then build; see `_changed` for the outputs."""
        if not self.may(request):
            yield self._done(REFUSED)
            return
        if not file:
            yield self._done("Kies eerst een bestand om toe te voegen.")
            return
        if big := self.too_big(file):
            yield self._done(big)
            return
        change, problem = _attempt("adding", lambda: add_document(
            self.settings, Path(file), title=title, kind=kind or None, publisher=publisher, date=date))
        if problem:
            yield self._done(problem)
            return
        yield from self._build(change.source.id, change.source.title, "toegevoegd", present=True, clear="upload")

    def replace(self, doc_id: str | None, file: str | None, request: gr.Request) -> Iterator:
        if not self.may(request):
            yield self._done(REFUSED)
            return
        if not doc_id or not file:
            yield self._done("Kies een document in de lijst en een nieuw bestand om het te vervangen.")
            return
        if big := self.too_big(file):
            yield self._done(big)
            return
        change, problem = _attempt("replacing", lambda: replace_document(self.settings, doc_id, Path(file)))
        if problem:
            yield self._done(problem)
            return
        yield from self._build(doc_id, change.source.title, "vervangen", present=True, clear="replacement")

    def confirm(self, doc_id: str | None, request: gr.Request):
        """(confirmation group, its question, message)"""
        if not self.may(request):
            return gr.Group(visible=False), "", _text(REFUSED)
        title = next((s.title for s in self.assistant.sources if s.id == doc_id), None)
        if title is None:
            return gr.Group(visible=False), "", _text("Kies eerst een document in de lijst.")
        return (gr.Group(visible=True), f"<p><strong>‘{_text(title)}’ verwijderen?</strong> Het document en zijn "
                "bestand gaan weg; de assistent citeert het daarna niet meer.</p>", "")

    def remove(self, doc_id: str | None, request: gr.Request) -> Iterator:
        if not self.may(request):
            yield self._done(REFUSED)
            return
        source, problem = _attempt("removing", lambda: remove_document(self.settings, doc_id or ""))
        if problem:
            yield self._done(problem)
            return
        yield from self._build(source.id, source.title, "verwijderd", present=False)

    def _build(self, doc_id: str, title: str, action: str, present: bool, clear: str = "") -> Iterator:
        """Rebuild in the background and show how far it is; the current index answers meanwhile."""
        lead = f"‘{title}’ wordt {'gelezen en ingebed' if present else 'uit de index gehaald'}"
        yield self._progress(progress_html(None, lead), f"{lead}. Dit kan even duren; u kunt intussen vragen stellen.")
        self.assistant.rebuild(background=True)
        while not self.assistant.live.wait(POLL_SECONDS):
            yield self._progress(progress_html(self.assistant.index_status(), lead), None)
        status = self.assistant.index_status()
        held = doc_id in self.assistant.index.documents
        if held == present and not status.problem and doc_id not in status.skipped:
            message = f"‘{title}’ is {action}." + (" Het document beantwoordt nu vragen." if present else
                                                   " De assistent citeert het niet meer.")
        else:
            why = status.skipped.get(doc_id) or status.problem or "de index kon niet worden bijgewerkt."
            message = f"‘{title}’ is {action} in de bibliotheek, maar de index is nog niet bijgewerkt: {why}"
        yield self._done(message, clear)

    @staticmethod
    def _progress(bar: str, said: str | None):
        return (bar, gr.skip() if said is None else _text(said), *[gr.skip()] * (len(OUTPUTS) - 2))

    def _done(self, message: str, clear: str = ""):
        """The OUTPUTS after a change (or a refusal): the upload and its form, or the replacement
        file, cleared once the document is in (`clear`)."""
        upload = (None, gr.Group(visible=False)) if clear == "upload" else (gr.skip(), gr.skip())
        replacement = None if clear == "replacement" else gr.skip()
        return ("", _text(message), f"<p class='melding' tabindex='-1'>{_text(message)}</p>",
                status_line(self.assistant.index_status()), self.listing(),
                gr.Radio(choices=self.doc_choices(), value=None), gr.Group(visible=False), *upload, replacement)


def build(assistant: Assistant, page: _Page, app: gr.Blocks, host: str) -> None:
    """The tab, inside the current Blocks; `page` is the Vragen tab, whose document filter
    follows the library; `host` is the address the page listens on."""
    lib = _Library(assistant, host)
    with gr.Tab("Documenten", id="documenten-tab"):
        gr.HTML("<h2 class='kop-klein'>Documenten</h2>", js_on_load=None)
        status = gr.HTML("", elem_id="index-status", js_on_load=None)
        announce = cards.live_region("aankondiging-documenten")
        not_allowed = gr.HTML("", js_on_load=None)
        with gr.Group(visible=False, elem_id="beheer") as controls:
            gr.HTML("<h3 class='kop-klein'>Document toevoegen</h3><p>PDF, Word (.docx), HTML, tekst of Markdown. "
                    "Titel, soort, uitgever en datum worden uit het document gehaald; u bevestigt ze.</p>",
                    js_on_load=None)
            upload = gr.File(label="Bestand om toe te voegen", file_types=FILE_TYPES, elem_id="upload")
            with gr.Group(visible=False, elem_id="formulier") as form:
                title = gr.Textbox(label="Titel", elem_id="veld-titel", max_lines=2)
                kind = gr.Radio([(kind_label(k), k) for k in KINDS], label="Soort document", elem_id="veld-soort")
                publisher = gr.Textbox(label="Uitgever", elem_id="veld-uitgever", max_lines=1)
                date = gr.Textbox(label="Datum (bijvoorbeeld 2025-09-25, 2025-11 of 25 september 2025)",
                                  elem_id="veld-datum", max_lines=1)
                origin = gr.HTML("", js_on_load=None)
                add = gr.Button("Toevoegen", variant="primary", elem_id="toevoegen", min_width=160)
            gr.HTML("<h3 class='kop-klein'>Document vervangen of verwijderen</h3>", js_on_load=None)
            chosen = gr.Radio([], label="Document", elem_id="document-keuze")
            replacement = gr.File(label="Nieuwe versie van het gekozen document", file_types=FILE_TYPES,
                                  elem_id="vervanging")
            with gr.Row():
                replace = gr.Button("Vervangen", elem_id="vervangen", min_width=160)
                remove = gr.Button("Verwijderen…", elem_id="verwijderen", min_width=160)
            confirm, question, yes, no = cards.confirmation("document")
            progress = gr.HTML("", elem_id="voortgang", js_on_load=None)
        message = gr.HTML("", elem_id="documenten-melding", js_on_load=None)
        listing = gr.HTML("", elem_id="documentenlijst", js_on_load=None)

    timer = gr.Timer(STATUS_SECONDS, active=False)
    app.load(lib.page, None, [status, listing, controls, not_allowed, chosen, timer], show_progress="hidden")
    timer.tick(lib.tick, None, [status, listing, timer], show_progress="hidden")
    changed = [progress, announce, message, status, listing, chosen, confirm, upload, form, replacement]  # OUTPUTS
    follow = dict(fn=page.refresh_filter, inputs=page.filter[0], outputs=page.filter[1], show_progress="hidden")
    upload.upload(lib.suggest, upload, [form, title, kind, publisher, date, origin, announce])
    upload.clear(lambda: gr.Group(visible=False), None, form)
    # progress shows in the bar only, not over the live region (its timer would be read out)
    add.click(lib.add, [upload, title, kind, publisher, date], changed, api_name="document_toevoegen",
              show_progress_on=[progress]).then(None, js=FOCUS_MESSAGE).then(**follow)
    replace.click(lib.replace, [chosen, replacement], changed, api_name="document_vervangen",
                  show_progress_on=[progress]).then(None, js=FOCUS_MESSAGE).then(**follow)
    remove.click(lib.confirm, chosen, [confirm, question, announce]).then(None, js=FOCUS_CONFIRM)
    no.click(lambda: (gr.Group(visible=False), "Niet verwijderd."), None, [confirm, announce])
    yes.click(lib.remove, chosen, changed, api_name="document_verwijderen",
              show_progress_on=[progress]).then(None, js=FOCUS_MESSAGE).then(**follow)


def _attempt(action: str, change):
    """(the library change's result, None), or (None, the Dutch message): a refusal of the library
    as it says it, anything else logged and said in general terms."""
    try:
        return change(), None
    except LibraryError as exc:
        return None, str(exc)
    except Exception:
        log.exception("%s a document failed", action)
        return None, FAILED
