"""The web page end to end: Debian's Chromium, driven by Playwright, against `assistant serve`
started as a subprocess on a free loopback port (tests/webpage.py, fixtures in conftest.py).

One server per mode: citation mode (extractive) and generative mode against the Ollama double.
Screenshots, server logs and the measured time to the first answer text go to tests/artifacts/.
"""
from __future__ import annotations

import time

import pytest

from webpage import (ANSWER_TIMEOUT, ARTIFACTS, BOT, MODEL, ROOT, USER, WACHTLIJST, ask, normalised, open_page,
                     require_chromium, shot, submit, wait_answered)

pytestmark = pytest.mark.browser
require_chromium()
from playwright.sync_api import Page  # noqa: E402

CONTACT = "Wat zeggen de inspecties over betekenisvol contact?"
KWETSBAAR = "igj-kwetsbaar-stelsel-2025"


@pytest.fixture
def artifacts():
    return ARTIFACTS


def _source_text(source_id: str) -> str:
    return normalised((ROOT / "sources" / f"{source_id}.txt").read_text(encoding="utf-8"))


def _cards(page: Page) -> list[dict]:
    return page.eval_on_selector_all("#bronnen article.bron", """cards => cards.map(c => ({
        source: c.dataset.sourceId,
        n: c.querySelector('.bron-nr').innerText,
        title: c.querySelector('.bron-titel').innerText,
        section: c.querySelector('.bron-sectie').innerText,
        quote: c.querySelector('blockquote mark').innerText,
    }))""")


def test_question_is_answered_with_checkable_citations(page, extractive_url, artifacts):
    open_page(page, extractive_url)
    assert "Citaatmodus" in page.inner_text("#modus")
    before = page.locator(BOT).count()
    page.locator("#vraag textarea").fill(WACHTLIJST)
    started = time.perf_counter()
    page.locator("#vraag textarea").press("Enter")
    page.wait_for_function(
        """n => { const bots = document.querySelectorAll('#gesprek [data-testid="bot"]');
                  return bots.length > n && bots[bots.length - 1].innerText.trim().length > 0; }""",
        arg=before, timeout=ANSWER_TIMEOUT, polling="raf",
    )
    ms = round((time.perf_counter() - started) * 1000)
    print(f"first text after {ms} ms")
    (artifacts / "latency.txt").write_text(f"first text after {ms} ms (extractive mode)\n", encoding="utf-8")

    answer = wait_answered(page, WACHTLIJST, before)
    assert "1.499" in answer and "[1]" in answer
    cards = _cards(page)
    assert cards, "geen bronnen naast het antwoord"
    for card in cards:
        text = _source_text(card["source"])
        assert card["section"] and card["section"] in text, card
        assert normalised(card["quote"]) in text, f"citaat niet letterlijk in de bron: {card}"
    assert any("1.499" in c["quote"] for c in cards), cards
    assert any(c["source"] == "kamerbrief-jeugdbescherming-2025" and c["title"].startswith("Kamerbrief ter voorbereiding") for c in cards)

    first = page.locator("#bronnen article.bron").first
    first.locator("details summary").click()
    paragraph = first.locator("details .paragraaf")
    assert paragraph.is_visible()
    assert normalised(cards[0]["quote"]) in normalised(paragraph.inner_text())
    assert paragraph.locator("mark").count() == 1
    shot(page, "extractive-answer")

    with page.expect_download() as download:
        page.locator("#download").click()
    saved = artifacts / "antwoord.md"
    download.value.save_as(saved)
    markdown = saved.read_text(encoding="utf-8")
    assert download.value.suggested_filename.endswith(".md")
    assert WACHTLIJST in markdown and "1.499" in markdown and cards[0]["section"] in markdown


def test_follow_up_uses_the_conversation_and_new_conversation_clears_it(page, extractive_url):
    open_page(page, extractive_url)
    assert "1.499" in ask(page, WACHTLIJST)
    follow_up = ask(page, "En op 1 april 2024?")
    assert "1.343" in follow_up, follow_up
    assert page.locator(USER).count() == 2 and page.locator(BOT).count() == 2
    shot(page, "extractive-follow-up")

    page.get_by_role("button", name="Nieuw gesprek").click()
    page.wait_for_function(f"() => document.querySelectorAll('{BOT}, {USER}').length === 0")
    assert page.locator("#bronnen article.bron").count() == 0


def test_document_filter_limits_the_sources(page, extractive_url):
    open_page(page, extractive_url)
    page.get_by_text("Zoeken in: alle 5 documenten").click()
    page.wait_for_selector("#documenten input")
    for box in page.locator("#documenten input[type=checkbox]").all():
        if box.get_attribute("name") != KWETSBAAR:
            box.uncheck()
    page.get_by_text("Zoeken in: 1 van 5 documenten").wait_for()
    before = page.locator(BOT).count()
    page.get_by_role("button", name=CONTACT).click()  # an example question asks itself
    wait_answered(page, CONTACT, before)
    cards = _cards(page)
    assert cards and {c["source"] for c in cards} == {KWETSBAAR}, cards
    assert all("Kwetsbare kinderen, kwetsbaar stelsel" in c["title"] for c in cards)
    shot(page, "extractive-filter")


def test_figures_tab_shows_the_gi_monitor(page, extractive_url):
    open_page(page, extractive_url)
    page.get_by_role("tab", name="Cijfers").click()
    table = page.locator(".cijfers table")
    table.wait_for()
    rows = {r[0]: r[1:] for r in table.evaluate(
        "t => [...t.querySelectorAll('tr')].map(r => [...r.children].map(c => c.innerText.trim()))")}
    assert rows["Peildatum"][-1] == "1 okt 2025"
    assert rows["Wachtlijst vaste Jeugdbeschermer"][-1] == "1.499"
    assert rows["Wachtlijst vaste Jeugdbeschermer"][rows["Peildatum"].index("1 april 2024")] == "1.343"
    assert "34.043" in rows["Aantal kinderen met een maatregel"]
    assert page.locator(".cijfers caption").text_content() == "Bijlage GI-monitor"
    source = page.locator("#" + table.get_attribute("aria-describedby")).inner_text()
    assert source.startswith("Bron van alle waarden: Kamerbrief ter voorbereiding") and "Bijlage GI-monitor" in source
    chart = page.locator(".grafiek img")
    chart.wait_for()
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    shot(page, "figures")


def test_user_text_is_shown_not_executed(page, extractive_url):
    open_page(page, extractive_url)
    attacks = ['<img src=x onerror="window.__xss=1">', "<script>window.__xss=2</script>"]
    for attack in attacks:
        ask(page, attack)
    page.wait_for_timeout(500)  # let a smuggled handler fire, if there were one
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator('img[src="x"]').count() == 0
    shown = [m.inner_text().strip() for m in page.locator(USER).all()]
    assert shown == attacks
    assert attacks[-1] in page.inner_text("#bronnen .vraag")
    shot(page, "xss")


def test_errors_and_refusals_read_as_dutch_messages(page, extractive_url):
    open_page(page, extractive_url)
    before = page.locator(BOT).count()
    submit(page, " ")
    page.wait_for_function("n => document.querySelectorAll('#gesprek [data-testid=\"bot\"]').length > n", arg=before)
    assert "De vraag is leeg" in page.locator(BOT).last.inner_text()

    submit(page, "waarom " * 200)
    page.wait_for_function("n => document.querySelectorAll('#gesprek [data-testid=\"bot\"]').length > n", arg=before + 1)
    assert "De vraag is te lang" in page.locator(BOT).last.inner_text()

    refusal = ask(page, "Wat is de hoofdstad van Frankrijk?")
    assert "Dit staat niet in de bronnen" in refusal
    assert "geven geen antwoord" in page.inner_text("#bronnen")
    assert "Traceback" not in page.inner_text("body")
    shot(page, "errors")


def test_generative_mode_streams_and_cites(page, generative_url):
    open_page(page, generative_url)
    assert MODEL in page.inner_text("#modus")
    page.evaluate("""() => {
        window.__seen = [];
        const chat = document.querySelector('#gesprek');
        new MutationObserver(() => {
            const bots = chat.querySelectorAll('[data-testid="bot"]');
            const text = bots.length ? bots[bots.length - 1].innerText.trim() : '';
            if (text && window.__seen[window.__seen.length - 1] !== text) window.__seen.push(text);
        }).observe(chat, {subtree: true, childList: true, characterData: true});
    }""")
    answer = ask(page, WACHTLIJST)
    seen = page.evaluate("window.__seen")
    # the quotes at once, the model at work, then its checked answer replaces them
    writing = [t for t in seen if "Het taalmodel schrijft" in t]
    assert writing and "citaatmodus" in writing[0] and "1.499" in writing[0], seen
    assert "Het taalmodel schrijft" not in seen[-1]
    assert "[1]" in answer and f"model {MODEL}" in answer
    cards = _cards(page)
    assert cards
    for card in cards:
        assert normalised(card["quote"]) in _source_text(card["source"]), card
    shot(page, "generative-answer")
