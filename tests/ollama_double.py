"""A stand-in for the Ollama server that speaks its real HTTP protocol, for tests without Ollama.

It runs on 127.0.0.1 (a free port) in a background thread, records every request, and answers
like Ollama does: `/api/tags`, `/api/show`, `/api/version`, `/api/chat` (NDJSON stream by default,
one JSON object with `"stream": false`) and `/api/embed`. Chat replies are grounded in the numbered
passages of the prompt, so the checks downstream (markers, figures, refusals) get real work.

    with OllamaDouble(models=["qwen2.5:7b-instruct", "bge-m3"]) as double:
        settings = Settings().with_(ollama_host=double.url)
        double.behaviour = "broken_stream"
        ...
        double.bodies("/api/chat")[-1]["messages"]

Behaviours (set `double.behaviour` at any time). These shape the answer text of /api/chat:
"normal", "wrong_marker" (cites a passage number that was not given), "changed_figure" (one number
of the passage altered, 1.499 -> 1.599, when some passage has a number), "other_figure" (a true
figure, but from the passage with a number that shares fewest words with the question), "no_markers", "refuse"
("Dit staat niet in de bronnen."; "normal" says so too when no passage shares a word with the question),
"markers_only" (only "[1][2]"), "english" (the answer in English), "not_in_sources" (another phrasing
of a refusal, as a claim), "prose" (ignores a requested `format` and writes text with [n] markers), "restated"
(with a `format`: one claim that is the question's own words without its question word, citing [1]).
With a JSON schema or "json" in `format` (Ollama's structured outputs), the reply is the JSON the
schema asks for: {"claims": [{"text": ..., "passages": [n]}]}, the same answer split into claims; a
briefing's schema also gets one suggestion per suggestion field (SUGGESTION_FIELDS).
These break every /api/chat request, condense included: "error_500", "hang" (no answer until the
double stops), "broken_stream" (a few NDJSON lines, then the connection drops), "malformed" (a
non-JSON line mid-stream). The other endpoints always behave normally.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
import sys
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

BEHAVIOURS = (
    "normal", "wrong_marker", "changed_figure", "other_figure", "no_markers", "refuse", "markers_only", "english", "not_in_sources",
    "prose", "restated", "error_500", "hang", "broken_stream", "malformed",
)
REFUSAL = "Dit staat niet in de bronnen."
CONDENSE_MARKER = "Herschrijf de vervolgvraag"  # a phrase from prompts/condense.txt
HISTORY_HEADER = "Gesprek tot nu toe"  # prompts/condense.txt lists earlier questions below it as "- ..."
QUESTION_LABEL = "Vraag:"  # prompts/answer.txt puts the question on a line starting with this
TOPIC_LABEL = "Onderwerp:"  # prompts/brief.txt puts a briefing's topic on a line starting with this
SUGGESTION_FIELDS = {"niet_in_bronnen": "De bronnen noemen geen kosten van de maatregelen.",
                     "vragen": "Wanneer is de wachtlijst weg?"}  # what the double suggests when a schema asks
EMBED_DIM = 1024  # bge-m3's dimension
HANG_LIMIT = 60.0  # seconds a "hang" request waits at most, should the double never be stopped
_STOPWORDS = {
    "aan", "als", "bij", "dan", "dat", "deze", "die", "dit", "door", "een", "het", "heeft", "hebben", "hoe",
    "hoeveel", "kan", "met", "naar", "niet", "nog", "ook", "over", "tot", "uit", "van", "voor", "waren", "was",
    "wat", "welke", "wie", "waarom", "wordt", "worden", "zijn",
}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý“\"'(])")
_NUMBER = re.compile(r"\d(?:[\d.,]*\d)?")
_DATE = re.compile(r"\b(?:(?:op|in|per|sinds)\s+)?(?:\d{1,2}\s+[a-z]+\.?\s+)?(?:19|20)\d{2}\b", re.I)


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    body: Any  # the parsed JSON body; None for GET; the raw text if it was not JSON


def embedding(text: str, dim: int = EMBED_DIM) -> list[float]:
    """Hashed bag of words, normalised: deterministic, and texts that share words lie close together."""
    vector = [0.0] * dim
    for token in re.findall(r"\w+", text.lower()) or [text]:
        digest = hashlib.sha256(token.encode("utf-8")).digest()
        vector[int.from_bytes(digest[:4], "big") % dim] += 1.0 if digest[4] & 1 else -1.0
    norm = math.sqrt(sum(v * v for v in vector)) or 1.0
    return [v / norm for v in vector]


def _canonical(model: str) -> str:
    return model if ":" in model else f"{model}:latest"


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _is_embedding_model(model: str) -> bool:
    return any(word in model for word in ("bge", "embed", "minilm", "-e5"))


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) >= 3 and w not in _STOPWORDS}


def _passages(prompt: str) -> dict[int, str]:
    """The numbered passages of an answer prompt: "[n] title (date) — section" followed by the text."""
    return {
        int(m.group(1)): m.group(2).strip()
        for m in re.finditer(r"^\[(\d+)\][^\n]*\n(.+?)(?=\n\s*\n|\Z)", prompt, re.M | re.S)
    }


def _question(prompt: str) -> str:
    lines = [line.split(":", 1)[1].strip() for line in prompt.splitlines() if line.startswith((QUESTION_LABEL, TOPIC_LABEL))]
    return lines[-1] if lines else prompt.split("\n\n")[-1]


def _with_marker(sentence: str, marker: str) -> str:
    """Put the marker before the closing punctuation, the way models tend to: "... wachtlijst [1]."."""
    if sentence[-1:] in ".!?":
        return f"{sentence[:-1]}{marker}{sentence[-1]}"
    return f"{sentence}{marker}."


def _change_figure(text: str) -> str:
    """Alter one digit of the most figure-like number (not a year): 1.499 -> 1.599."""
    numbers = list(_NUMBER.finditer(text))
    figures = [m for m in numbers if not re.fullmatch(r"(?:19|20)\d{2}", m.group())] or numbers
    if not figures:
        return text
    target = max(figures, key=lambda m: sum(c.isdigit() for c in m.group()))
    digits = [i for i, c in enumerate(target.group()) if c.isdigit()]
    i = target.start() + digits[min(1, len(digits) - 1)]
    return text[:i] + str((int(text[i]) + 1) % 10) + text[i + 1:]


def grounded_answer(prompt: str, behaviour: str = "normal") -> str:
    """What the double answers to an answer prompt: the best passage's best sentence(s), cited."""
    passages, question = _passages(prompt), _words(_question(prompt))
    if behaviour == "refuse" or not passages:
        return REFUSAL
    ranked = sorted(passages, key=lambda n: (-len(question & _words(passages[n])), n))
    if not question & _words(passages[ranked[0]]):
        return REFUSAL
    n = ranked[0]
    numbered = [k for k in ranked if re.search(r"\d", passages[k])]
    if behaviour in ("changed_figure", "other_figure") and numbered:  # a figure only in a passage that has one
        n = numbered[0 if behaviour == "changed_figure" else -1]
    sentences = _SENTENCE_END.split(passages[n])
    candidates = [s for s in sentences if re.search(r"\d", s)] if behaviour in ("changed_figure", "other_figure") else []
    best = max(candidates or sentences, key=lambda s: len(question & _words(s)))
    chosen = [best]
    following = sentences.index(best) + 1
    if len(best) < 80 and following < len(sentences):
        chosen.append(sentences[following])
    cited = n if behaviour != "wrong_marker" else max(passages) + 1
    marker = "" if behaviour == "no_markers" else f" [{cited}]"
    answer = " ".join(_with_marker(s, marker) for s in chosen)
    return _change_figure(answer) if behaviour == "changed_figure" else answer


def structured(answer: str, behaviour: str = "normal") -> str:
    """The answer as Ollama's structured output for the claims schema: each sentence a claim with
    the passage numbers its markers gave."""
    if behaviour == "markers_only":
        return json.dumps({"claims": [{"text": "[1][2]", "passages": [1, 2]}]})
    if behaviour == "english":
        return json.dumps({"claims": [{"text": "The waiting list had grown to many children, according to the letter.", "passages": [1]}]})
    if behaviour == "not_in_sources":
        return json.dumps({"claims": [{"text": "Het antwoord op deze vraag is in de gegeven passages niet te vinden.", "passages": []}]})
    if answer == REFUSAL:
        return json.dumps({"claims": []})
    claims = []
    for sentence in _SENTENCE_END.split(answer):
        numbers = [int(n) for n in re.findall(r"\[(\d+)\]", sentence)]
        text = re.sub(r"\s*\[\d+\]", "", sentence).strip()
        if text:
            claims.append({"text": text, "passages": numbers})
    return json.dumps({"claims": claims}, ensure_ascii=False)


def condensed_question(system: str, question: str) -> str:
    """What the double answers to a condense prompt: the date of the previous question swapped, or the
    follow-up appended to it; a follow-up without either cue comes back unchanged."""
    history_part = system.split(HISTORY_HEADER, 1)[-1]
    history = [line[2:].strip() for line in history_part.splitlines() if line.startswith("- ")]
    if not history:
        return question
    previous = history[-1]
    new_date, old_date = _DATE.search(question), _DATE.search(previous)
    if new_date and old_date:
        return previous[: old_date.start()] + new_date.group(0) + previous[old_date.end():]
    if question.lower().startswith("en "):
        return f"{previous} {question[3:].strip()}"
    return question


class OllamaDouble:
    """A fake Ollama server; use as a context manager. Thread-safe: requests are served concurrently."""

    def __init__(self, models: list[str] | tuple[str, ...] = ("qwen2.5:7b-instruct", "bge-m3"),
                 behaviour: str = "normal", chunk_size: int = 4, chunk_delay: float = 0.0):
        self.models = [_canonical(m) for m in models]
        self.behaviour = behaviour
        self.chunk_size = chunk_size  # characters per streamed message, roughly a token
        self.chunk_delay = chunk_delay  # seconds before each streamed message: a slow model
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def behaviour(self) -> str:
        return self._behaviour

    @behaviour.setter
    def behaviour(self, value: str) -> None:
        """Refuses unknown names, so a typo cannot silently test "normal"."""
        if value not in BEHAVIOURS:
            raise ValueError(f"unknown behaviour {value!r}; choose from {', '.join(BEHAVIOURS)}")
        self._behaviour = value

    def __enter__(self) -> "OllamaDouble":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.double = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="ollama-double", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving; hanging requests are released at once (their threads are daemons)."""
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def bodies(self, path: str) -> list[Any]:
        """The JSON bodies of the requests to `path`, oldest first."""
        return [r.body for r in self.requests if r.path == path]

    def has_model(self, model: str) -> bool:
        return _canonical(model) in self.models

    def reply(self, messages: list[dict], format: Any = None) -> str:
        """The full text the double answers to these chat messages (tests compare streams with it)."""
        system = next((m.get("content", "") for m in messages if m.get("role") == "system"), "")
        user = next((m.get("content", "") for m in reversed(messages) if m.get("role") == "user"), "")
        if CONDENSE_MARKER in system:
            return condensed_question(system, user.strip())
        behaviour = self.behaviour
        answer = grounded_answer(user, behaviour if behaviour in ("wrong_marker", "changed_figure", "other_figure", "no_markers", "refuse")
                                 else "normal")
        if behaviour == "markers_only" and not format:
            return "[1][2]"
        if format and behaviour == "restated":  # a label made of the question's own words, cited
            text = re.sub(r"^\S+\s+|[?.!]\s*$", "", _question(user))
            return json.dumps({"claims": [{"text": text, "passages": [1]}]}, ensure_ascii=False)
        if format and behaviour != "prose":
            reply = structured(answer, behaviour)
            asked = set(format.get("properties", {})) if isinstance(format, dict) else set()
            if asked & set(SUGGESTION_FIELDS):  # a briefing's schema: one suggestion per field it asks for
                data = json.loads(reply)
                data.update({k: [v] for k, v in SUGGESTION_FIELDS.items() if k in asked})
                reply = json.dumps(data, ensure_ascii=False)
            return reply
        return answer

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)


class _Server(ThreadingHTTPServer):
    double: OllamaDouble

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up (timeouts, dropped streams) are part of the tests, not errors."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # chunked streaming and keep-alive, as Ollama does
    server_version = "ollama-double"

    @property
    def double(self) -> OllamaDouble:
        return self.server.double

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: pytest output should show the test's failures, not access logs."""

    def do_GET(self) -> None:
        self.double._record(RecordedRequest("GET", self.path, None))
        if self.path == "/":
            self._send_text(200, "Ollama is running")
        elif self.path == "/api/version":
            self._send_json(200, {"version": "0.12.6"})
        elif self.path == "/api/tags":
            self._send_json(200, {"models": [self._tag(m) for m in self.double.models]})
        else:
            self._send_text(404, "404 page not found")

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = None
        self.double._record(RecordedRequest("POST", self.path, raw if body is None else body))
        routes = {"/api/chat": self._chat, "/api/show": self._show, "/api/embed": self._embed}
        if self.path not in routes:
            self._send_text(404, "404 page not found")
        elif not isinstance(body, dict):
            self._send_json(400, {"error": "invalid request body"})
        elif not body.get("model"):
            self._send_json(400, {"error": "model is required"})
        else:
            routes[self.path](body)

    def _show(self, body: dict) -> None:
        model = body["model"]
        if not self.double.has_model(model):
            self._send_json(404, {"error": f"model '{model}' not found"})
            return
        embedder = _is_embedding_model(model)
        family = "bert" if embedder else "qwen2"
        self._send_json(200, {
            "license": "Apache License 2.0",
            "modelfile": f"# Modelfile generated by \"ollama show\"\nFROM {model}\n",
            "parameters": "" if embedder else 'stop "<|im_start|>"\nstop "<|im_end|>"',
            "template": "{{ .Prompt }}" if embedder else "{{- range .Messages }}{{ .Content }}{{ end }}",
            "details": self._details(model),
            "model_info": {
                "general.architecture": family,
                f"{family}.context_length": 8192 if embedder else 32768,
                f"{family}.embedding_length": EMBED_DIM if embedder else 3584,
            },
            "capabilities": ["embedding"] if embedder else ["completion", "tools"],
            "modified_at": "2025-10-01T12:00:00.000000000+02:00",
        })

    def _embed(self, body: dict) -> None:
        model = body["model"]
        if not self.double.has_model(model):
            self._send_json(404, {"error": f'model "{model}" not found, try pulling it first'})
            return
        texts = body.get("input", "")
        texts = [texts] if isinstance(texts, str) else list(texts)
        self._send_json(200, {
            "model": model,
            "embeddings": [embedding(t) for t in texts],
            "total_duration": 14_143_917,
            "load_duration": 1_019_500,
            "prompt_eval_count": sum(len(t) // 4 + 1 for t in texts),
        })

    def _chat(self, body: dict) -> None:
        model, behaviour = body["model"], self.double.behaviour
        if not self.double.has_model(model):
            self._send_json(404, {"error": f'model "{model}" not found, try pulling it first'})
            return
        if _is_embedding_model(model):
            self._send_json(400, {"error": f'"{model}" does not support chat'})
            return
        if behaviour == "error_500":
            self._send_json(500, {"error": "llama runner process has terminated: exit status 2"})
            return
        if behaviour == "hang":
            self.double._stopping.wait(HANG_LIMIT)
            self.close_connection = True
            return
        messages = body.get("messages") or []
        text = self.double.reply(messages, body.get("format"))
        prompt_tokens = sum(len(m.get("content") or "") for m in messages) // 4
        pieces = [text[i:i + self.double.chunk_size] for i in range(0, len(text), self.double.chunk_size)]
        final = {
            "model": model, "created_at": _now(), "message": {"role": "assistant", "content": ""},
            "done": True, "done_reason": "stop", "total_duration": 4_883_583_458, "load_duration": 1_334_875,
            "prompt_eval_count": prompt_tokens, "prompt_eval_duration": 342_546_000,
            "eval_count": len(pieces), "eval_duration": 4_535_599_000,
        }
        if not body.get("stream", True):
            final["message"]["content"] = text
            data = json.dumps(final, ensure_ascii=False).encode("utf-8")
            if behaviour == "malformed":
                data = data[: len(data) // 2]
            if behaviour == "broken_stream":  # promise the whole body, deliver half, hang up
                self._start(200, "application/json; charset=utf-8", length=len(data))
                self.wfile.write(data[: len(data) // 2])
                self.close_connection = True
                return
            self._send(200, "application/json; charset=utf-8", data)
            return
        lines = [
            json.dumps({"model": model, "created_at": _now(), "message": {"role": "assistant", "content": piece},
                        "done": False}, ensure_ascii=False)
            for piece in pieces
        ] + [json.dumps(final, ensure_ascii=False)]
        if behaviour == "malformed":
            cut_off = f'{{"model":"{model}","created_at":"{_now()}","message":{{"role":"assis'
            lines.insert(min(2, len(lines) - 1), cut_off)
        if behaviour == "broken_stream":
            lines = lines[: min(3, len(lines) - 1)]
        self._start(200, "application/x-ndjson", length=None)
        for line in lines:
            if self.double.chunk_delay and self.double._stopping.wait(self.double.chunk_delay):
                return  # stopped mid-answer
            self._chunk(line + "\n")
        if behaviour == "broken_stream":  # no closing chunk: the client sees a truncated body
            self.close_connection = True
            return
        self.wfile.write(b"0\r\n\r\n")

    def _tag(self, model: str) -> dict:
        return {
            "name": model,
            "model": model,
            "modified_at": "2025-10-01T12:00:00.000000000+02:00",
            "size": 1_157_627_904 if _is_embedding_model(model) else 4_683_087_332,
            "digest": hashlib.sha256(model.encode()).hexdigest(),
            "details": self._details(model),
        }

    def _details(self, model: str) -> dict:
        embedder = _is_embedding_model(model)
        return {
            "parent_model": "",
            "format": "gguf",
            "family": "bert" if embedder else "qwen2",
            "families": ["bert"] if embedder else ["qwen2"],
            "parameter_size": "566.70M" if embedder else "7.6B",
            "quantization_level": "F16" if embedder else "Q4_K_M",
        }

    def _start(self, status: int, content_type: str, length: int | None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length is None:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def _chunk(self, text: str) -> None:
        data = text.encode("utf-8")
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _send(self, status: int, content_type: str, data: bytes) -> None:
        self._start(status, content_type, length=len(data))
        self.wfile.write(data)

    def _send_json(self, status: int, payload: dict) -> None:
        self._send(status, "application/json; charset=utf-8", json.dumps(payload, ensure_ascii=False).encode("utf-8"))

    def _send_text(self, status: int, text: str) -> None:
        self._send(status, "text/plain; charset=utf-8", text.encode("utf-8"))
