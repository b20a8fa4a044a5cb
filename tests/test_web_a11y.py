"""Accessibility of the page (WCAG 2.1 AA) in the real browser, in both modes: axe-core over every
tab after real use, the page's language, the main flow with the keyboard only, reflow at a
phone's width and at 200% zoom, and a finished answer announced once, whole.

Also the page's share of robustness: nothing from a question or a source becomes a live link or
loads an image from outside, login attempts are limited, downloads do not pile up.
"""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from a11y import announcements, assert_accessible, assert_dutch, assert_reflows, record_announcements
from webpage import MODEL, USER, WACHTLIJST, ask, open_page, require_chromium, server, settle, shot, wait_answered

pytestmark = pytest.mark.browser
require_chromium()

FOLLOW_UP = "En op 1 april 2024?"
LINK_IN_SOURCE = "Waar staat de zakelijke weergave van het calamiteitenonderzoek?"
MODES = ["extractive", "generative"]
QUESTIONS = (WACHTLIJST, "Wat zeggen de inspecties over betekenisvol contact?",
             "Welke maatregelen nemen de staatssecretarissen tegen de wachtlijsten?")


@pytest.fixture(params=MODES)
def url(request) -> str:
    return request.getfixturevalue(f"{request.param}_url")


def _use_every_tab(page, mode: str, url: str) -> None:
    """Each tab after real use, checked by axe: the questions tab empty, after an answer with a
    source card and its whole section open and the filter open, after a follow-up; the figures
    tab with its document text open; the briefing tab with a note and a card's section open; the
    documents with an outline open; the saved conversation chosen, and reopened in the chat."""
    open_page(page, url)
    assert_dutch(page)
    assert_accessible(page, f"vragen-leeg-{mode}")
    ask(page, WACHTLIJST)
    page.locator("#bronnen details summary").first.click()
    page.get_by_role("button", name="Zoeken in: alle 5 documenten").click()
    page.wait_for_selector("#documenten input")
    assert_accessible(page, f"vragen-na-antwoord-{mode}")
    ask(page, FOLLOW_UP)
    assert_accessible(page, f"vragen-na-vervolgvraag-{mode}")
    page.get_by_role("tab", name="Cijfers").click()
    page.locator(".cijfers table").wait_for()
    page.locator(".cijfers details summary").first.click()
    assert_accessible(page, f"cijfers-{mode}")
    page.get_by_role("tab", name="Debatvoorbereiding").click()
    page.get_by_label("Onderwerp").fill("personeelsverloop en ziekteverzuim in de jeugdbescherming")
    page.get_by_role("button", name="Notitie maken").click()
    page.wait_for_selector("#notitie table", timeout=60_000)
    page.locator("#notitie-bronnen details summary").first.click()
    settle(page)
    assert_accessible(page, f"debatvoorbereiding-{mode}")
    page.get_by_role("tab", name="Documenten").click()
    page.locator("#documentenlijst article.document summary").first.click()
    settle(page)
    assert_accessible(page, f"documenten-{mode}")
    page.get_by_role("tab", name="Eerdere gesprekken").click()
    page.locator("#gesprekken-lijst label").first.click()
    page.locator("#gesprek-exporteren:not([disabled])").wait_for()  # the export made ready
    page.wait_for_timeout(300)  # the button's colour transition
    settle(page)
    assert_accessible(page, f"eerdere-gesprekken-{mode}")
    page.get_by_role("button", name="Gesprek openen").click()
    page.wait_for_function("() => document.activeElement.matches('#vraag textarea')")
    assert page.locator(USER).count() == 2  # the question and its follow-up, reopened
    settle(page)
    assert_accessible(page, f"vragen-heropend-{mode}")


def test_every_tab_meets_wcag_aa_after_use(page, url, request):
    mode = request.node.callspec.params["url"]
    _use_every_tab(page, mode, url)
    shot(page, f"a11y-{mode}")


def test_every_tab_meets_wcag_aa_in_the_dark_scheme(browser, extractive_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL", color_scheme="dark")
    try:
        page = context.new_page()
        _use_every_tab(page, "donker", extractive_url)
        shot(page, "a11y-donker")
    finally:
        context.close()


def test_page_is_dutch_from_the_first_byte_whatever_the_browser_language(browser, extractive_url):
    with urllib.request.urlopen(extractive_url) as response:
        assert '<html\n\tlang="nl"' in response.read(200).decode()
    context = browser.new_context(locale="en-US")
    try:
        page = context.new_page()
        page.goto(extractive_url, wait_until="commit")
        assert page.evaluate("document.documentElement.lang") == "nl"
        open_page(page, extractive_url)
        assert_dutch(page)
        assert page.get_by_role("log", name="Gesprek").count() == 1  # Gradio's own labels in Dutch too
    finally:
        context.close()


@pytest.mark.parametrize("width, height, scale", [(320, 640, 1), (640, 480, 2)], ids=["telefoon-320px", "zoom-200"])
def test_reflows_without_sideways_scrolling(browser, extractive_url, width, height, scale):
    """A phone's 320 CSS pixels, and a 1280 x 960 window at 200% zoom (640 x 480 CSS pixels)."""
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale,
                                  locale="nl-NL")
    try:
        page = context.new_page()
        open_page(page, extractive_url)
        assert_reflows(page, "vragen, leeg")
        ask(page, WACHTLIJST)
        page.locator("#bronnen details summary").first.click()
        assert_reflows(page, "vragen, na een antwoord")
        assert_accessible(page, f"vragen-{width}px")
        page.get_by_role("tab", name="Cijfers").click()
        page.locator(".cijfers table").wait_for()
        assert_reflows(page, "cijfers")
        assert_accessible(page, f"cijfers-{width}px")
        shot(page, f"a11y-{width}px")
    finally:
        context.close()


FOCUS_RING = "rgb(30, 64, 175) solid 3px"  # theme.FOCUS; Gradio's own rings are faint or white on white


def _focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement;
        return {tag: e.tagName, id: e.id, text: (e.innerText || e.value || '').trim().slice(0, 80),
                label: e.getAttribute('aria-label') || '', inside: e.parentElement?.closest('[id]')?.id || ''}; }""")


def _tab_to(page, matches, limit: int = 60, back: bool = False) -> dict:
    """Press Tab (or Shift+Tab) until the focused element matches; each stop must show the page's
    focus ring (once Gradio's transition to it has run)."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        focused = _focused(page)
        try:
            page.wait_for_function("ring => getComputedStyle(document.activeElement).outline === ring", arg=FOCUS_RING,
                                   timeout=2000)
        except Exception:
            pytest.fail(f"geen zichtbare focusrand op {focused}")
        if matches(focused):
            return focused
    pytest.fail(f"niet bereikbaar met Tab in {limit} stappen; laatste focus: {focused}")


def test_main_flow_with_the_keyboard_only(page, extractive_url, tmp_path):
    """Ask, hear the answer, read the source (card and whole section), follow up, filter the
    documents, switch tabs and download: keyboard events only."""
    open_page(page, extractive_url)
    assert _focused(page)["tag"] == "TEXTAREA"  # the question box has the cursor from the start
    page.keyboard.type(WACHTLIJST)
    page.keyboard.press("Enter")
    wait_answered(page, WACHTLIJST, 0)
    page.wait_for_function("() => document.activeElement.matches('#vraag textarea')")
    announced = page.locator("#aankondiging")
    assert announced.get_attribute("aria-live") == "polite" and announced.get_attribute("role") == "status"
    assert "1.499" in announced.inner_text() and "bron 1: Kamerbrief" in announced.inner_text()

    _tab_to(page, lambda f: f["tag"] == "SUMMARY" and f["inside"].startswith("bron"))
    page.keyboard.press("Enter")
    first = page.locator("#bronnen article.bron").first
    assert first.locator("details").get_attribute("open") is not None
    section = first.locator(".paragraaf")
    assert section.is_visible() and section.locator("mark").count() == 1
    page.keyboard.press("Tab")  # the whole section takes focus, so a long one scrolls with the arrow keys
    assert _focused(page)["label"].startswith("Paragraaf ")

    _tab_to(page, lambda f: f["tag"] == "TEXTAREA", back=True)
    page.keyboard.type(FOLLOW_UP)
    page.keyboard.press("Enter")
    assert "1.343" in wait_answered(page, FOLLOW_UP, 1)

    _tab_to(page, lambda f: f["id"] == "download")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    saved = tmp_path / "antwoord.md"
    download.value.save_as(saved)
    assert FOLLOW_UP in saved.read_text(encoding="utf-8")

    _tab_to(page, lambda f: f["text"].startswith("Zoeken in:"))
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.getAttribute('aria-expanded') === 'true'")
    _tab_to(page, lambda f: f["tag"] == "INPUT" and f["inside"] == "documenten")
    page.keyboard.press("Space")  # the first document off
    page.get_by_text("Zoeken in: 4 van 5 documenten").wait_for()

    _tab_to(page, lambda f: f["text"] == "Cijfers", back=True)
    page.keyboard.press("Enter")
    page.locator(".cijfers table").wait_for()
    shot(page, "a11y-toetsenbord")


def test_finished_answer_is_announced_once_not_piece_by_piece(page, generative_url):
    open_page(page, generative_url)
    record_announcements(page, "#aankondiging")
    answer = ask(page, WACHTLIJST)
    page.wait_for_timeout(300)
    spoken = announcements(page)
    assert len(spoken) == 2 and spoken[0] == "Bezig met zoeken in de bronnen…", spoken
    assert spoken[1].startswith("Antwoord:") and "(bron 1:" in spoken[1] and "[1]" not in spoken[1]
    assert page.get_by_role("log", name="Gesprek").get_attribute("aria-live") == "off"
    assert f"model {MODEL}" in answer


def _outside_requests(page) -> list[str]:
    outside = []
    page.on("request", lambda r: outside.append(r.url)
            if urllib.parse.urlsplit(r.url).hostname not in {"127.0.0.1", "localhost", None} else None)
    return outside


def _no_links_out(page, outside: list[str]) -> None:
    """No live link to outside (only links within the page), no image, no request off the machine."""
    links = page.eval_on_selector_all("#gesprek a[href], #bronnen a[href]", "as => as.map(a => a.getAttribute('href'))")
    assert all(h.startswith("#") for h in links), links
    assert page.locator("#gesprek img, #bronnen img").count() == 0
    assert not outside, outside


def test_links_and_images_in_a_question_are_text(page, url):
    outside = _outside_requests(page)
    open_page(page, url)
    question = ("Wat is de wachtlijst? [klik](http://example.com/x) ![x](http://example.com/track.png) "
                "<img src=http://example.com/pixel.gif> www.example.org iemand@example.org")
    ask(page, question)
    page.wait_for_timeout(500)
    shown = page.locator(USER).last.inner_text()
    assert shown == question
    _no_links_out(page, outside)


def test_links_in_a_source_are_text(page, extractive_url):
    outside = _outside_requests(page)
    open_page(page, extractive_url)
    answer = ask(page, LINK_IN_SOURCE)
    page.locator("#bronnen details summary").first.click()
    assert "https://toezichtdocumenten.igj.nl" in answer
    assert "https://toezichtdocumenten.igj.nl" in page.locator("#bronnen article.bron").first.inner_text()
    _no_links_out(page, outside)


def _login(url: str, password: str) -> tuple[int, dict, dict]:
    data = urllib.parse.urlencode({"username": "ambtenaar", "password": password}).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url + "login", data=data), timeout=10) as r:
            return r.status, dict(r.headers), json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"{}")


def test_login_attempts_are_limited_per_client(browser, tmp_path):
    with server("inloggen", ASSISTANT_MODE="extractive", ASSISTANT_AUTH="ambtenaar:geheim-wachtwoord") as url:
        context = browser.new_context(locale="nl-NL")
        page = context.new_page()
        page.goto(url)
        page.get_by_label("Gebruikersnaam").wait_for()
        assert_dutch(page)
        assert_accessible(page, "inloggen")
        started = time.monotonic()
        answers = [_login(url, f"fout-{i}") for i in range(30)]
        elapsed = time.monotonic() - started
        statuses = [status for status, _, _ in answers]
        assert statuses[:5] == [400] * 5 and set(statuses[5:]) == {429}, statuses
        status, headers, body = answers[-1]
        assert "Te veel inlogpogingen" in body["detail"] and int(headers["retry-after"]) > 0
        assert _login(url, "geheim-wachtwoord")[0] == 429  # the right password waits too
        print(f"30 logins in {elapsed:.2f} s: {statuses.count(400)} x 400, {statuses.count(429)} x 429")

        page.get_by_label("Gebruikersnaam").fill("ambtenaar")
        page.get_by_label("Wachtwoord").fill("nog-een-poging")
        page.keyboard.press("Enter")
        alert = page.get_by_role("alert")
        alert.wait_for()
        assert "Te veel inlogpogingen" in alert.inner_text()
        assert_accessible(page, "inloggen-te-veel-pogingen")
        shot(page, "inloggen-te-veel-pogingen")
        context.close()


def _downloads(root: Path) -> list[Path]:
    return [p for p in root.rglob("antwoord-jeugdbescherming.md")]


def test_downloads_are_removed_after_their_lifetime(browser, tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    with server("downloads", ASSISTANT_MODE="extractive", ASSISTANT_DOWNLOAD_TTL="2", TMPDIR=str(temp)) as url:
        context = browser.new_context(locale="nl-NL")
        page = context.new_page()
        open_page(page, url)
        for question in QUESTIONS:
            ask(page, question)
        made = len(_downloads(temp))
        assert made >= 3, made  # ours and Gradio's copies
        time.sleep(3.5)
        ask(page, FOLLOW_UP)
        page.wait_for_timeout(1500)
        left = _downloads(temp)
        assert len(left) <= 2, left  # only the last answer's file (and Gradio's copy of it)
        with page.expect_download() as download:
            page.locator("#download").click()
        assert FOLLOW_UP in Path(download.value.path()).read_text(encoding="utf-8")
        context.close()
