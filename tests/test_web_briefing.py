"""The "Debatvoorbereiding" tab in the real browser: a topic in, the note with its figures table and
the same source cards as answers, announced once, both downloads, WCAG 2.1 AA by axe, and a topic
the sources do not cover."""
from __future__ import annotations

import pytest
from docx import Document

from a11y import announcements, assert_accessible, record_announcements
from webpage import ANSWER_TIMEOUT, ARTIFACTS, normalised, open_page, require_chromium, shot

pytestmark = pytest.mark.browser
require_chromium()

TOPIC = "wachtlijsten in de jeugdbescherming"


def _brief(page, url: str, topic: str) -> None:
    open_page(page, url)
    page.get_by_role("tab", name="Debatvoorbereiding").click()
    box = page.get_by_label("Onderwerp")
    box.fill(topic)
    record_announcements(page, "#aankondiging-notitie")
    page.get_by_role("button", name="Notitie maken").click()
    page.wait_for_function("t => document.querySelector('#notitie h2')?.textContent.includes(t)", arg=topic,
                           timeout=ANSWER_TIMEOUT)


def test_the_note_shows_figures_cards_and_downloads_and_meets_wcag(page, extractive_url):
    _brief(page, extractive_url, TOPIC)
    headings = page.locator("#notitie h3").all_inner_texts()
    assert headings[:4] == ["Kerncijfers", "Wat de bronnen zeggen", "Waar de bronnen verschillen",
                            "Toezeggingen en aangekondigde maatregelen"]
    tables = page.locator("#notitie table")
    more = page.locator("#notitie details.meer-cijfers")
    assert more.locator("summary h4").inner_text().startswith("Meer cijfers uit dezelfde passages (") and tables.count() == 2
    assert not more.locator("table").is_visible()  # folded until asked for
    more.locator("summary").click()
    assert more.locator("table").is_visible()
    table = tables.first
    assert table.locator("thead th[scope='col']").all_inner_texts() == ["Wat", "Waarde", "Datum of peildatum", "Bron"]
    assert table.locator("tbody th[scope='row']").count() >= 5
    assert "2.072" in table.inner_text() and "1 dec 2022" in table.inner_text()
    cards = page.locator("#notitie-bronnen article.bron")
    assert cards.count() >= 5
    first = cards.first
    quote = first.locator("blockquote mark").inner_text()
    first.locator("details summary").click()
    assert normalised(quote) in normalised(first.locator("details .paragraaf").inner_text())
    page.wait_for_timeout(300)
    spoken = announcements(page)
    assert spoken[-1].startswith("Notitie klaar:") and sum(s.startswith("Notitie klaar") for s in spoken) == 1
    assert_accessible(page, "debatvoorbereiding-na-notitie")
    shot(page, "debatvoorbereiding")

    with page.expect_download() as download:
        page.locator("#download-word").click()
    saved = ARTIFACTS / "debatvoorbereiding.docx"
    download.value.save_as(saved)
    doc = Document(str(saved))
    assert doc.tables and "2.072" in "\n".join(c.text for r in doc.tables[0].rows for c in r.cells)
    assert normalised(quote) in normalised("\n".join(p.text for p in doc.paragraphs))
    with page.expect_download() as download:
        page.locator("#download-md").click()
    markdown = open(download.value.path(), encoding="utf-8").read()
    assert markdown.startswith(f"# Debatvoorbereiding: {TOPIC}") and "## Kerncijfers" in markdown


def test_an_uncovered_topic_gets_the_short_note(page, extractive_url):
    _brief(page, extractive_url, "wachtlijsten en tarieven in de kinderopvang")
    note = page.locator("#notitie").inner_text()
    assert "Dit staat niet in de bronnen." in note and "Kerncijfers" not in note
    assert page.locator("#notitie-bronnen article.bron").count() == 0
    assert_accessible(page, "debatvoorbereiding-niet-behandeld")


def test_an_empty_topic_gets_a_dutch_message(page, extractive_url):
    open_page(page, extractive_url)
    page.get_by_role("tab", name="Debatvoorbereiding").click()
    page.get_by_role("button", name="Notitie maken").click()
    page.wait_for_function("() => document.querySelector('#notitie')?.textContent.includes('Het onderwerp is leeg')",
                           timeout=ANSWER_TIMEOUT)
