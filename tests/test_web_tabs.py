"""The tabs Documenten and Eerdere gesprekken in the real browser, against `assistant serve` on
a copy of the sources in a temporary folder: upload a PDF as governments publish them, confirm
its fields, ask what only it answers (a citation with section, page and a verbatim quote),
find the conversation after a reload and reopen it, remove the document and see it no longer
cited; a visitor who is not an admin gets no controls and a refusal from the server; axe over
each tab after use; the keyboard alone to switch tabs and open a conversation."""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from a11y import announcements, assert_accessible, assert_reflows, record_announcements
from documents import Page, make_pdf
from webpage import ARTIFACTS, BOT, ROOT, USER, ask, normalised, open_page, require_chromium, serve, server, settle, shot

pytestmark = pytest.mark.browser
require_chromium()

DOC_ID = "gezinshuizen-zeeland"
TITLE = "Rapportage gezinshuizen Zeeland 2026"
QUESTION = "Hoeveel kinderen woonden op 1 maart 2026 in een gezinshuis in Zeeland?"
QUOTE = "Op 1 maart 2026 woonden 437 kinderen in een gezinshuis in de provincie Zeeland."
HEADER = "Rapportage gezinshuizen Zeeland 2026 - Provincie Zeeland"


def zeeland_pdf(directory: Path) -> Path:
    """Two pages with a running header, "Pagina N van 2" footers, and the figure's sentence
    hyphenated over a line end ("gezins-" / "huis")."""
    pdf = make_pdf([
        Page([("Gezinshuizen in Zeeland", 18), "Middelburg, 12 maart 2026",
              ("1. Inleiding", 14), "Deze rapportage van de provincie beschrijft de gezinshuizen in Zeeland en",
              "de kinderen die er wonen. Zij is opgesteld voor de Provinciale Staten."]),
        Page([("2. Aantallen", 14), "Op 1 maart 2026 woonden 437 kinderen in een gezins-",
              "huis in de provincie Zeeland. Het aantal gezinshuisouders bedroeg toen 96.",
              ("3. Knelpunten", 14), "De gezinshuisouders melden dat hun vergoeding achterblijft bij de kosten."]),
    ], header=HEADER, title=TITLE, author="Provincie Zeeland")
    path = directory / f"{DOC_ID}.pdf"
    path.write_bytes(pdf)
    return path


def _library(tmp: Path) -> dict[str, str]:
    """A copy of the sources (with the embedding cache) and an index of its own."""
    sources = tmp / "sources"
    shutil.copytree(ROOT / "sources", sources, ignore=shutil.ignore_patterns(".manifest.lock", "*.pending.npz"))
    return {"ASSISTANT_SOURCES": str(sources), "ASSISTANT_INDEX": str(tmp / "index"), "ASSISTANT_MODE": "extractive"}


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bibliotheek")
    env = _library(tmp)
    for url in serve("bibliotheek", **env):
        yield url, Path(env["ASSISTANT_SOURCES"]), tmp


def _tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def _cards(page) -> list[dict]:
    return page.eval_on_selector_all("#bronnen article.bron", """cards => cards.map(c => ({
        source: c.dataset.sourceId, section: c.querySelector('.bron-sectie').innerText,
        page: c.querySelector('.bron-pagina')?.innerText || '', quote: c.querySelector('blockquote mark').innerText}))""")


def _accessible(page, context: str) -> None:
    settle(page)
    assert_accessible(page, context)


def _wait_message(page, text: str) -> str:
    page.wait_for_function("t => document.querySelector('#documenten-melding')?.innerText.includes(t)", arg=text,
                           timeout=120_000)
    return page.inner_text("#documenten-melding")


def test_upload_ask_reload_reopen_and_remove(page, library, tmp_path):
    url, sources, _ = library
    pdf = zeeland_pdf(tmp_path)
    open_page(page, url)
    _tab(page, "Documenten")
    page.wait_for_selector("#documentenlijst article.document")
    assert page.locator("#documentenlijst article.document").count() == 5
    assert "5 documenten" in page.inner_text("#index-status")
    _accessible(page, "documenten-leeg")

    record_announcements(page, "#aankondiging-documenten")
    page.locator("#upload input[type=file]").set_input_files(str(pdf))
    page.locator("#formulier").first.wait_for(state="visible")
    page.wait_for_function("t => document.querySelector('#veld-titel textarea')?.value === t", arg=TITLE)
    assert page.locator("#veld-datum input").input_value() == "2026-03-12"
    assert page.locator("#veld-uitgever input").input_value() == "Provincie Zeeland"
    assert page.locator("#veld-soort input[value=rapport]").is_checked()
    assert "uit de metadata van het bestand" in page.locator("#formulier").first.inner_text()
    _accessible(page, "documenten-formulier")
    page.locator("#veld-soort").get_by_label("Inspectierapport").check()  # the user corrects a field
    page.locator("#veld-soort").get_by_label("Rapport", exact=True).check()
    started = time.perf_counter()
    page.get_by_role("button", name="Toevoegen").click()
    done = _wait_message(page, "is toegevoegd")
    seconds = time.perf_counter() - started
    (ARTIFACTS / "upload.txt").write_text(f"PDF toegevoegd en ingebed in {seconds:.1f} s (klik tot melding)\n",
                                          encoding="utf-8")
    assert "beantwoordt nu vragen" in done
    spoken = announcements(page)
    assert any("wordt gelezen en ingebed" in s for s in spoken) and "is toegevoegd" in spoken[-1], spoken
    article = page.locator(f"#documentenlijst article[data-source-id={DOC_ID}]")
    article.wait_for()
    read = article.inner_text()
    assert TITLE in read and "2 pagina's" in read and "Provincie Zeeland" in read
    article.locator("summary").first.click()
    labels = article.locator("table.secties tbody th").all_inner_texts()
    assert "2. Aantallen" in labels and not any("Pagina" in label or HEADER in label for label in labels), labels
    assert "6 documenten" in page.inner_text("#index-status")
    entry = next(e for e in json.loads((sources / "manifest.json").read_text())["documents"] if e["id"] == DOC_ID)
    assert entry["date"] == "2026-03-12" and entry["kind"] == "rapport" and (sources / entry["file"]).exists()
    _accessible(page, "documenten-na-upload")
    shot(page, "documenten-na-upload")

    _tab(page, "Vragen")
    answer = ask(page, QUESTION)
    assert "437" in answer
    cards = [c for c in _cards(page) if c["source"] == DOC_ID]
    assert cards, _cards(page)
    assert cards[0]["section"] == "2. Aantallen" and cards[0]["page"] == "pagina 2"
    assert normalised(cards[0]["quote"]) == QUOTE  # verbatim: the hyphen joined, no header or footer in it

    page.reload()
    open_page(page, url)
    assert page.locator(BOT).count() == 0
    _tab(page, "Eerdere gesprekken")
    saved = page.locator("#gesprekken-lijst label", has_text=QUESTION[:40])
    saved.wait_for()
    saved.click()
    page.get_by_role("button", name="Gesprek openen").click()
    page.wait_for_function("() => document.activeElement.matches('#vraag textarea')")
    assert page.locator(USER).last.inner_text() == QUESTION and "437" in page.locator(BOT).last.inner_text()
    assert any(c["source"] == DOC_ID and c["page"] == "pagina 2" for c in _cards(page))
    assert page.locator("#bronnen article.bron mark").first.is_visible()
    _accessible(page, "vragen-na-heropenen")
    _tab(page, "Eerdere gesprekken")
    page.locator("#gesprek-exporteren").wait_for()
    with page.expect_download() as download:
        page.locator("#gesprek-exporteren").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert QUESTION in exported and "437" in exported
    _accessible(page, "gesprekken-na-heropenen")
    shot(page, "gesprekken")

    _tab(page, "Documenten")
    page.locator("#document-keuze").get_by_label(f"{TITLE} ({DOC_ID})").check()
    page.get_by_role("button", name="Verwijderen…").click()
    page.wait_for_function("() => document.activeElement.matches('#document-ja')")
    page.get_by_role("button", name="Ja, verwijderen").click()
    assert "De assistent citeert het niet meer" in _wait_message(page, "is verwijderd")
    assert page.locator(f"#documentenlijst article[data-source-id={DOC_ID}]").count() == 0
    assert not (sources / entry["file"]).exists()

    _tab(page, "Vragen")
    page.get_by_role("button", name="Nieuw gesprek").click()
    page.wait_for_function(f"() => document.querySelectorAll('{BOT}, {USER}').length === 0")
    ask(page, QUESTION)
    assert all(c["source"] != DOC_ID for c in _cards(page)), _cards(page)


def test_a_deleted_conversation_is_gone_and_not_stored_again(page, library):
    url, _, _ = library
    open_page(page, url)
    ask(page, "Wat zeggen de inspecties over betekenisvol contact?")
    _tab(page, "Eerdere gesprekken")
    saved = page.locator("#gesprekken-lijst label", has_text="betekenisvol contact")
    saved.wait_for()
    saved.click()
    page.get_by_role("button", name="Verwijderen…").click()
    page.get_by_role("button", name="Ja, verwijderen").click()
    page.get_by_text("Nog geen bewaarde gesprekken").wait_for()
    assert page.locator(BOT).count() == 0  # the chat that showed it is cleared too
    _accessible(page, "gesprekken-na-verwijderen")


def test_tabs_a_conversation_and_an_upload_with_the_keyboard_only(page, library, tmp_path):
    url, _, _ = library
    open_page(page, url)
    page.keyboard.type("Welke maatregelen nemen de staatssecretarissen tegen de wachtlijsten?")
    page.keyboard.press("Enter")
    page.wait_for_selector('#bronnen [data-antwoord="klaar"]', timeout=60_000)
    page.keyboard.press("F5")
    open_page(page, url)

    def focused() -> dict:
        return page.evaluate("""() => { const e = document.activeElement;
            return {tag: e.tagName, role: e.getAttribute('role') || '', text: (e.innerText || e.value || '').trim(),
                    label: e.getAttribute('aria-label') || '', inside: e.closest('[id]')?.id || ''}; }""")

    def tab_to(matches, back: bool = False) -> None:
        for _ in range(60):
            page.keyboard.press("Shift+Tab" if back else "Tab")
            if matches(focused()):
                return
        pytest.fail(f"niet bereikbaar met Tab; laatste focus: {focused()}")

    tab_to(lambda f: f["role"] == "tab" and f["text"] == "Eerdere gesprekken", back=True)
    page.keyboard.press("Enter")
    page.locator("#gesprekken-lijst label").first.wait_for()
    tab_to(lambda f: f["tag"] == "INPUT" and "gesprekken-lijst" in f["inside"])
    page.keyboard.press("Space")
    tab_to(lambda f: f["text"] == "Gesprek openen")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.matches('#vraag textarea')")
    assert "staatssecretarissen" in page.locator(USER).last.inner_text()
    tab_to(lambda f: f["role"] == "tab" and f["text"] == "Documenten", back=True)
    page.keyboard.press("Enter")
    page.locator("#documentenlijst article.document").first.wait_for()
    tab_to(lambda f: f["tag"] == "SUMMARY")
    page.keyboard.press("Enter")
    assert page.locator("#documentenlijst details[open]").count() == 1

    # a document added with the keyboard: the upload box opens the browser's file chooser
    note = tmp_path / "notitie-pleegzorg-drenthe.md"
    note.write_text("# Notitie pleegzorg Drenthe\n\nAssen, 2 februari 2026\n\n## 1. Pleeggezinnen\n\n"
                    "In Drenthe waren op 1 januari 2026 in totaal 212 pleeggezinnen actief.\n", encoding="utf-8")
    for _ in range(3):  # the tab may still redraw the upload box (status refresh) and take its focus
        tab_to(lambda f: f["label"] == "Bestand kiezen of hierheen slepen" and f["inside"] == "upload", back=True)
        try:
            with page.expect_file_chooser(timeout=10_000) as chooser:
                page.keyboard.press("Enter")
            break
        except PlaywrightTimeout:
            continue
    else:
        pytest.fail("Enter op het uploadvak opent geen bestandskiezer")
    chooser.value.set_files(str(note))
    page.locator("#formulier").first.wait_for(state="visible")
    tab_to(lambda f: f["text"] == "Toevoegen")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.matches('#documenten-melding .melding')", timeout=120_000)
    assert "is toegevoegd" in focused()["text"]


def test_new_tabs_reflow_on_a_phone(browser, library):
    url, _, _ = library
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="nl-NL")
    try:
        page = context.new_page()
        open_page(page, url)
        page.get_by_role("button", name="Meer tabbladen").click()  # the last tabs fold into a menu
        page.locator(".overflow-dropdown").get_by_role("button", name="Documenten").click()
        page.locator("#documentenlijst article.document").first.wait_for()
        page.locator("#documentenlijst summary").first.click()
        assert_reflows(page, "documenten")
        _accessible(page, "documenten-320px")
        page.get_by_role("button", name="Meer tabbladen").click()
        page.locator(".overflow-dropdown").get_by_role("button", name="Eerdere gesprekken").click()
        page.get_by_text("Nog geen bewaarde gesprekken").wait_for()
        assert_reflows(page, "eerdere gesprekken")
        _accessible(page, "gesprekken-320px")
    finally:
        context.close()


def test_a_visitor_who_is_not_an_admin_cannot_change_the_documents(browser, tmp_path):
    from gradio_client import Client, handle_file

    env = _library(tmp_path)
    sources = Path(env["ASSISTANT_SOURCES"])
    before = sorted(p.name for p in sources.iterdir()), (sources / "manifest.json").read_text()
    with server("geen-beheerder", ASSISTANT_AUTH="ambtenaar:geheim-wachtwoord", ASSISTANT_ADMINS="beheerder", **env) as url:
        context = browser.new_context(locale="nl-NL")
        try:
            page = context.new_page()
            page.goto(url)
            page.get_by_label("Gebruikersnaam").fill("ambtenaar")
            page.get_by_label("Wachtwoord").fill("geheim-wachtwoord")
            page.keyboard.press("Enter")
            page.wait_for_selector("#vraag textarea")
            _tab(page, "Documenten")
            page.get_by_text("mag alleen een beheerder").wait_for()
            assert page.locator("#documentenlijst article.document").count() == 5
            assert page.locator("#upload input[type=file]").count() == 0 or not page.locator("#upload").is_visible()
            assert not page.get_by_role("button", name="Toevoegen").is_visible()
            _accessible(page, "documenten-geen-beheerder")
        finally:
            context.close()

        client = Client(url, auth=("ambtenaar", "geheim-wachtwoord"), verbose=False)
        added = client.predict(handle_file(str(zeeland_pdf(tmp_path))), TITLE, "rapport", "Provincie Zeeland",
                               "2026-03-12", api_name="/document_toevoegen")
        removed = client.predict("igj-vervolgtoezicht-2021", api_name="/document_verwijderen")
        for result in (added, removed):
            assert "Alleen een beheerder" in json.dumps(result, ensure_ascii=False), result
    assert (sorted(p.name for p in sources.iterdir()), (sources / "manifest.json").read_text()) == before


def test_conversations_survive_a_restart_of_the_server(browser, tmp_path):
    env = {**_library(tmp_path), "ASSISTANT_DATA": str(tmp_path / "data")}
    question = "Wat zeggen de inspecties over betekenisvol contact?"
    context = browser.new_context(locale="nl-NL")  # one browser, its cookie kept across the restart
    try:
        page = context.new_page()
        with server("herstart-1", **env) as url:
            open_page(page, url)
            ask(page, question)
        with server("herstart-2", **env) as url:
            open_page(page, url)
            _tab(page, "Eerdere gesprekken")
            page.locator("#gesprekken-lijst label", has_text="betekenisvol contact").click()
            page.get_by_role("button", name="Gesprek openen").click()
            page.wait_for_function("() => document.activeElement.matches('#vraag textarea')")
            assert page.locator(USER).last.inner_text() == question
            assert page.locator("#bronnen article.bron").count() > 0
    finally:
        context.close()
    assert not (ROOT / "data").exists() or not any((ROOT / "data").iterdir()), "gesprekken in de repository"
