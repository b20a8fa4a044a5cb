"""How an answer reads in the chat, in the Markdown download and to a screen reader, on
hand-built answers: unsupported claims and unverified figures in words, markers named, and
nothing from a user, a source or a model that can become a tag, a link or an image."""
from __future__ import annotations

from markdown_it import MarkdownIt

from assistant.export import CONFLICTS, UNSUPPORTED, answer_markdown, markdown_text
from assistant.types import Answer, Citation, Claim, Conflict, ConflictValue, Figure
from assistant.web import cards

KAMERBRIEF = Citation(n=1, source_id="kamerbrief", title="Kamerbrief over de jeugdbescherming", kind="kamerbrief",
                      date="2025-11", section="Wachtlijsten", page=None,
                      quote="Op 1 oktober 2025 wachtten 1.499 kinderen op een vaste jeugdbeschermer.")
RAPPORT = Citation(n=2, source_id="rapport", title="Inspectierapport", kind="inspectierapport", date="2021",
                   section="Conclusies", page=None, quote="Het contact is niet overal betekenisvol.")
TEXT = ("Op 1 oktober 2025 wachtten 1.499 kinderen op een vaste jeugdbeschermer [1]. "
        "Dat zijn er twee keer zo veel als in 2020 [2].")


def _answer(**changes) -> Answer:
    fields = dict(question="Hoeveel kinderen wachten?", answer=TEXT, mode="ollama", model="qwen2.5:7b-instruct",
                  citations=[KAMERBRIEF, RAPPORT], figures=[Figure("1.499", True, [1])])
    return Answer(**{**fields, **changes})


def _rendered(markdown: str) -> str:
    return MarkdownIt("commonmark").render(markdown)


CLAIMS = [
    Claim("Op 1 oktober 2025 wachtten 1.499 kinderen op een vaste jeugdbeschermer.", [1], True),
    Claim("Dat zijn er twee keer zo veel als in 2020.", [2], False,
          "het jaar 2020 en ‘twee keer’ staan niet in het citaat"),
]


def test_unsupported_claim_is_marked_in_words_after_its_markers():
    answer = _answer(claims=CLAIMS)
    for text in (cards.chat_text(answer), answer_markdown(answer)):
        note = f"⚠️ _{UNSUPPORTED}: het jaar 2020 en ‘twee keer’ staan niet in het citaat._"
        assert text.count(UNSUPPORTED) == 1, text
        sentence, after = text.split("als in 2020 ", 1)
        assert after.startswith("\\[2\\]") and note in after.split("\n")[0], after
        assert UNSUPPORTED not in sentence  # the supported claim before it is not flagged


def test_without_claims_the_answer_reads_as_before():
    answer = _answer()
    chat = cards.chat_text(answer)
    assert UNSUPPORTED not in chat and UNSUPPORTED not in answer_markdown(answer)
    assert chat.startswith("Op 1 oktober 2025 wachtten 1.499 kinderen op een vaste jeugdbeschermer \\[1\\]")
    assert "_(model qwen2.5:7b-instruct)_" in chat


def test_unsupported_claim_not_found_in_the_text_is_listed_below_it():
    answer = _answer(claims=[Claim("Een zin die het model anders schreef.", [], False, None)])
    markdown = answer_markdown(answer)
    assert f"**{UNSUPPORTED}:**\n- Een zin die het model anders schreef. ⚠️ _{UNSUPPORTED}._" in markdown


def test_unverified_figure_is_flagged_in_words_where_it_stands():
    answer = _answer(figures=[Figure("1.499", False, [1])])
    chat = cards.chat_text(answer)
    assert "**1.499** ⚠️ (niet geverifieerd)" in chat
    assert "Cijfers niet geverifieerd in de geciteerde passage: 1.499" in chat
    assert "(niet geverifieerd)" in answer_markdown(answer)


def test_markers_name_their_source_for_a_screen_reader():
    chat = cards.chat_text(_answer())
    hidden = '<span class="sr-only">(bron 1: Kamerbrief over de jeugdbescherming, paragraaf Wachtlijsten)</span>'
    assert "\\[1\\]" + hidden in chat
    spoken = cards.announcement(_answer())
    assert "(bron 2: Inspectierapport, paragraaf Conclusies)" in spoken and "[2]" not in spoken
    assert spoken.startswith("<p>Antwoord: Op 1 oktober 2025")


def test_links_images_and_tags_from_outside_stay_text():
    attack = ("[klik](http://example.com/a) ![x](http://example.com/track.png) <img src=x onerror=alert(1)> "
              "http://bare.example.com www.example.org iemand@example.org [ref][1]\n\n[1]: http://example.com/ref")
    answer = _answer(question=attack, answer=attack, citations=[], figures=[])
    for text in (markdown_text(attack), cards.chat_text(answer), answer_markdown(answer)):
        html = _rendered(text)
        assert "<a " not in html and "<img" not in html, html
        assert "klik" in html and "track.png" in html and "&lt;img" in html


def test_the_download_holds_question_answer_and_every_quote():
    markdown = answer_markdown(_answer())
    assert markdown.startswith("# Vragen over jeugdbescherming\n\n**Vraag:** Hoeveel kinderen wachten?")
    source = "\\[1\\] Kamerbrief over de jeugdbescherming (Kamerbrief, november 2025), paragraaf “Wachtlijsten”"
    assert source in markdown
    assert f"> {KAMERBRIEF.quote}" in markdown and f"> {RAPPORT.quote}" in markdown
    assert markdown.endswith("_Beantwoord in model qwen2.5:7b-instruct._\n")


def test_conflicts_show_each_value_with_its_date_and_source():
    conflict = Conflict("Wachtlijst vaste jeugdbeschermer", [ConflictValue("1.499", "1 oktober 2025", [1]),
                                                             ConflictValue("1.358", None, [2])], "Andere peildatum.")
    answer = _answer(conflicts=[conflict])
    item = "- Wachtlijst vaste jeugdbeschermer: 1.499 (1 oktober 2025) \\[1\\]; 1.358 (geen datum) \\[2\\]. Andere peildatum."
    assert f"## {CONFLICTS}\n\n{item}\n" in answer_markdown(answer)
    chat = cards.chat_text(answer)
    assert f"**{CONFLICTS}:**" in chat and "1.358 (geen datum) \\[2\\]<span class=\"sr-only\">(bron 2: Inspectierapport" in chat
    assert f"{CONFLICTS}: Wachtlijst vaste jeugdbeschermer." in cards.announcement(answer)
    assert CONFLICTS not in cards.chat_text(_answer()) and CONFLICTS not in answer_markdown(_answer())
