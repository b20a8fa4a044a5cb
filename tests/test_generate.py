"""Generation through the real llama-index/ollama client code, against a double of the Ollama server."""
from __future__ import annotations

import json
import re
import socket
import time
from pathlib import Path

import ollama
import pytest

from assistant.config import Settings
from assistant.generate import GenerationError, OllamaGenerator, condense_rule_based, load_prompts
from assistant.generative import CLAIMS_SCHEMA
from ollama_double import CONDENSE_MARKER, REFUSAL, OllamaDouble

PROMPTS = Path(__file__).resolve().parent.parent / "prompts"
MODEL = "qwen2.5:7b-instruct"
QUESTION = "Hoeveel kinderen wachtten op 1 oktober 2025 op een vaste jeugdbeschermer?"
FIRST = "Hoeveel kinderen stonden op 1 oktober 2025 op de wachtlijst voor een vaste jeugdbeschermer?"

# Numbered evidence as the prompt shows it (assistant/evidence.py makes it from the index).
CONTEXT = (
    "[1] Stand van zaken jeugdbeschermingsketen (2022) — Personeel\n"
    "Het personeelsverloop is bij een aantal regio's verder toegenomen. Het ziekteverzuim steeg in 2021.\n\n"
    "[2] Kamerbrief jeugdbescherming (2025-11) — Bijlage GI-monitor\n"
    "Het aantal kinderen dat wacht op een vaste jeugdbeschermer is weer toegenomen van 1.358 kinderen op "
    "1 april 2025 naar 1.499 kinderen op 1 okt 2025. Hiervan wachten 523 kinderen bij de start van de maatregel."
)


@pytest.fixture
def double():
    with OllamaDouble(models=[MODEL, "bge-m3"]) as d:
        yield d


def _settings(host: str, **changes) -> Settings:
    defaults = {"llm_model": MODEL, "ollama_timeout": 5.0, "prompts_dir": PROMPTS}
    return Settings().with_(**{**defaults, "ollama_host": host, **changes})


def _free_port() -> int:
    """A port on which nothing listens (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_stream_answer_yields_deltas_of_the_grounded_reply(double):
    generator = OllamaGenerator(_settings(double.url))
    usage: dict = {}
    deltas = list(generator.stream_answer(QUESTION, CONTEXT, CLAIMS_SCHEMA, usage))

    body = double.bodies("/api/chat")[-1]
    assert len(deltas) > 5
    assert "".join(deltas) == double.reply(body["messages"], body["format"])
    assert body["format"] == CLAIMS_SCHEMA  # Ollama's structured outputs: the reply follows the schema
    claims = json.loads("".join(deltas))["claims"]
    assert any("1.499" in c["text"] and c["passages"] == [2] for c in claims)
    assert body["model"] == MODEL and body["stream"] is True
    assert body["options"]["temperature"] == 0 and body["options"]["num_ctx"] >= 8192
    system, user = body["messages"]
    assert system == {"role": "system", "content": load_prompts(PROMPTS).system}
    assert user["role"] == "user" and CONTEXT in user["content"] and f"Vraag: {QUESTION}" in user["content"]
    assert usage["prompt_tokens"] > 0 and usage["completion_tokens"] > 0


@pytest.mark.parametrize(
    ("behaviour", "check"),
    [
        ("wrong_marker", lambda text: "[3]" in text and "[2]" not in text),
        ("changed_figure", lambda text: set(re.findall(r"\d\.\d{3}", text)) - {"1.358", "1.499"}),
        ("no_markers", lambda text: "1.499" in text and "[" not in text),
        ("refuse", lambda text: text == REFUSAL),
    ],
)
def test_double_behaviours_reach_the_stream(double, behaviour, check):
    double.behaviour = behaviour
    text = "".join(OllamaGenerator(_settings(double.url)).stream_answer(QUESTION, CONTEXT))
    assert check(text), text


def test_check_passes_when_model_present(double):
    assert OllamaGenerator(_settings(double.url)).check() is None
    assert double.bodies("/api/show")[-1] == {"model": MODEL}


def test_check_reports_missing_model(double):
    generator = OllamaGenerator(_settings(double.url, llm_model="llama3.1:8b"))
    start = time.monotonic()
    reason = generator.check()
    assert time.monotonic() - start < 3
    assert "`ollama pull llama3.1:8b`" in reason and "niet beschikbaar" in reason


def test_check_reports_closed_port_quickly():
    host = f"http://127.0.0.1:{_free_port()}"
    start = time.monotonic()
    reason = OllamaGenerator(_settings(host)).check()
    assert time.monotonic() - start < 3
    assert "niet bereikbaar" in reason and "OLLAMA_HOST" in reason and host in reason


def test_check_reports_silent_server_within_seconds():
    """A port that accepts connections but never answers must not stall check() for ollama_timeout."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)  # never accept(): the kernel completes the handshake, nobody replies
        host = f"http://127.0.0.1:{listener.getsockname()[1]}"
        start = time.monotonic()
        reason = OllamaGenerator(_settings(host, ollama_timeout=60.0)).check()
    assert time.monotonic() - start < 4
    assert "reageert niet" in reason and "OLLAMA_HOST" in reason


@pytest.mark.parametrize(
    ("behaviour", "words"),
    [
        ("error_500", ("meldt een fout", "llama runner process has terminated")),
        ("hang", ("begon niet binnen", "ASSISTANT_OLLAMA_FIRST_TOKEN_TIMEOUT")),
        ("broken_stream", ("verbroken", "opnieuw")),
        ("malformed", ("onleesbaar", "opnieuw")),
    ],
)
def test_stream_failures_raise_generation_error(double, behaviour, words):
    double.behaviour = behaviour
    generator = OllamaGenerator(_settings(double.url, ollama_timeout=0.5, ollama_first_token_timeout=0.5))
    start = time.monotonic()
    with pytest.raises(GenerationError) as caught:
        for _ in generator.stream_answer(QUESTION, CONTEXT):
            pass
    assert time.monotonic() - start < 3
    for word in words:
        assert word in str(caught.value)


def test_stream_reports_missing_model(double):
    generator = OllamaGenerator(_settings(double.url, llm_model="llama3.1:8b"))
    with pytest.raises(GenerationError, match=r"ollama pull llama3\.1:8b"):
        list(generator.stream_answer(QUESTION, CONTEXT))


def test_stream_and_condense_report_unreachable_server():
    generator = OllamaGenerator(_settings(f"http://127.0.0.1:{_free_port()}"))
    with pytest.raises(GenerationError, match="OLLAMA_HOST"):
        list(generator.stream_answer(QUESTION, CONTEXT))
    with pytest.raises(GenerationError, match="OLLAMA_HOST"):
        generator.condense("En in 2019?", [FIRST])


def test_condense_via_model(double):
    generator = OllamaGenerator(_settings(double.url))
    standalone = generator.condense("En op 1 april 2024?", [FIRST])

    assert standalone == "Hoeveel kinderen stonden op 1 april 2024 op de wachtlijst voor een vaste jeugdbeschermer?"
    body = double.bodies("/api/chat")[-1]
    assert body["stream"] is False
    system, user = body["messages"]
    assert CONDENSE_MARKER in system["content"] and f"- {FIRST}" in system["content"]
    assert user == {"role": "user", "content": "En op 1 april 2024?"}


def test_condense_without_history_asks_nothing(double):
    assert OllamaGenerator(_settings(double.url)).condense("Wat is een OTS?", []) == "Wat is een OTS?"
    assert double.bodies("/api/chat") == []


@pytest.mark.parametrize("behaviour", ["error_500", "broken_stream", "malformed"])
def test_condense_failures_raise_generation_error(double, behaviour):
    double.behaviour = behaviour
    with pytest.raises(GenerationError, match="Ollama"):
        OllamaGenerator(_settings(double.url)).condense("En in 2019?", [FIRST])


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        # a full date replaces the date, keeping the rest
        ([FIRST], "En op 1 april 2024?",
         "Hoeveel kinderen stonden op 1 april 2024 op de wachtlijst voor een vaste jeugdbeschermer?"),
        # a bare year replaces the date and reads "in <year>"
        ([FIRST], "En 2019?", "Hoeveel kinderen stonden in 2019 op de wachtlijst voor een vaste jeugdbeschermer?"),
        # a peildatum comes along with its date
        ([FIRST], "En op peildatum 1 april 2025?",
         "Hoeveel kinderen stonden op peildatum 1 april 2025 op de wachtlijst voor een vaste jeugdbeschermer?"),
        # a question without a date gets the new one
        (["Welke problemen noemt de inspectie?"], "En in 2019?", "Welke problemen noemt de inspectie in 2019?"),
        # a bare noun phrase replaces the subject
        (["Hoe hoog was het personeelsverloop bij JB Brabant in 2021?"], "En het ziekteverzuim?",
         "Hoe hoog was het ziekteverzuim bij JB Brabant in 2021?"),
        (["Hoe hoog was het personeelsverloop bij JB Brabant in 2021?"], "Hoe zit het met het ziekteverzuim in 2022?",
         "Hoe hoog was het ziekteverzuim bij JB Brabant in 2022?"),
        # anything else is appended to the previous question
        ([FIRST], "Waarom?", f"{FIRST} Waarom?"),
        ([FIRST], "Hoe komt dat?", f"{FIRST} Hoe komt dat?"),
        ([FIRST], "En voor jeugdreclassering?", f"{FIRST} Voor jeugdreclassering?"),
        # self-contained questions pass unchanged, whatever came before
        ([FIRST], "Wat is jeugdbescherming?", "Wat is jeugdbescherming?"),
        ([FIRST], "Welke oorzaken noemt de inspectie voor het hoge verloop bij jeugdbeschermers?",
         "Welke oorzaken noemt de inspectie voor het hoge verloop bij jeugdbeschermers?"),
        # the most recent question is the one continued
        (["Wat is een OTS?", FIRST], "En op 1 april 2024?",
         "Hoeveel kinderen stonden op 1 april 2024 op de wachtlijst voor een vaste jeugdbeschermer?"),
        # nothing to continue
        ([], "En in 2019?", "En in 2019?"),
    ],
)
def test_condense_rule_based(history, question, expected):
    assert condense_rule_based(question, history) == expected


def test_load_prompts_reports_missing_file_and_bad_placeholders(tmp_path):
    for name in ("system", "answer", "condense", "brief"):
        (tmp_path / f"{name}.txt").write_text((PROMPTS / f"{name}.txt").read_text(encoding="utf-8"), encoding="utf-8")
    assert load_prompts(tmp_path) == load_prompts(PROMPTS)

    (tmp_path / "answer.txt").write_text("Vraag: {vraag}", encoding="utf-8")
    with pytest.raises(GenerationError, match=r"answer\.txt heeft de verkeerde invulvelden"):
        load_prompts(tmp_path)
    (tmp_path / "answer.txt").write_text("{context}\n\nVraag: {question}", encoding="utf-8")
    (tmp_path / "condense.txt").unlink()
    with pytest.raises(GenerationError, match=r"condense\.txt ontbreekt"):
        load_prompts(tmp_path)


def test_double_speaks_ollamas_protocol(double):
    """Other endpoints other modules rely on (model list, details, embeddings) parse with the real client."""
    client = ollama.Client(host=double.url, timeout=5)
    assert [m.model for m in client.list().models] == [MODEL, "bge-m3:latest"]
    assert client.show("bge-m3").modelinfo["bert.embedding_length"] == 1024
    with pytest.raises(ollama.ResponseError) as caught:
        client.show("onbekend")
    assert caught.value.status_code == 404
    texts = ["wachtlijst jeugdbescherming", "wachtlijst jeugdbescherming", "ziekteverzuim"]
    first, same, other = client.embed(model="bge-m3", input=texts).embeddings
    assert first == same and first != other
    assert len(first) == 1024 and abs(sum(v * v for v in first) - 1) < 1e-6
    with pytest.raises(ValueError, match="unknown behaviour"):
        double.behaviour = "slow"
