"""Answer generation through a local Ollama server, via llama-index's Ollama integration.

Every failure surfaces as `GenerationError` with a Dutch message that tells the user what to
do, so callers can show it as is or fall back to extractive mode. Also home of the follow-up
rewriting: with a model (`OllamaGenerator.condense`) and without one (`condense_rule_based`).
"""
from __future__ import annotations

import queue
import re
import string
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import ollama
from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.llms.ollama import Ollama

from .config import Settings
from .dutch import MONTH_PATTERN, PREPOSITIONS

# Set explicitly: otherwise llama-index asks /api/show on first use, and Ollama's own default
# (2048-4096 tokens) silently cuts off the passages.
CONTEXT_WINDOW = 8192
MAX_ANSWER_TOKENS = 1024  # bounds a model that keeps on talking; answers are meant to be short
CHECK_TIMEOUT = 2.0  # seconds; a dead server must be reported quickly, not after ollama_timeout
HISTORY_TURNS = 5  # earlier questions passed to the condense prompt

PROMPT_FIELDS = {"system": set(), "answer": {"context", "question"}, "condense": {"history", "question"},
                 "brief": {"context", "topic"}}


class GenerationError(Exception):
    """Generation failed; the message (Dutch) says what the user can do about it."""


class ModelTimeout(GenerationError):
    """A deadline passed; `written` is what the model had written by then."""

    def __init__(self, message: str, written: str = "") -> None:
        super().__init__(message)
        self.written = written


@dataclass(frozen=True)
class Waiting:
    """A model is at work: seconds since it was asked, and whether it has begun to write."""

    seconds: float
    writing: bool


TICK = 1.0  # seconds between Waiting reports


def _unreachable(host: str) -> str:
    return f"Ollama is niet bereikbaar op {host}. Start Ollama (`ollama serve`) of zet OLLAMA_HOST goed."


def _model_missing(model: str) -> str:
    return f"Het model '{model}' is niet beschikbaar in Ollama. Haal het op met `ollama pull {model}`."


@dataclass(frozen=True)
class Prompts:
    system: str
    answer: str  # placeholders {context} and {question}
    condense: str  # placeholders {history} and {question}
    brief: str  # placeholders {context} and {topic}: the briefing note (see briefing.py)


def load_prompts(prompts_dir: Path) -> Prompts:
    """Read the three templates; a missing file or placeholder is a setup error, reported in Dutch."""
    texts = {}
    for name, fields in PROMPT_FIELDS.items():
        path = Path(prompts_dir) / f"{name}.txt"
        if not path.is_file():
            raise GenerationError(
                f"Het promptbestand {path} ontbreekt. Zet het terug of wijs ASSISTANT_PROMPTS naar de map met "
                "system.txt, answer.txt, condense.txt en brief.txt."
            )
        text = path.read_text(encoding="utf-8").strip()
        present = {f for _, f, _, _ in string.Formatter().parse(text) if f}
        if present != fields:
            expected = ", ".join(f"{{{f}}}" for f in sorted(fields)) or "geen"
            raise GenerationError(
                f"Het promptbestand {path} heeft de verkeerde invulvelden. Verwacht: {expected}. "
                "Letterlijke accolades schrijf je als {{ en }}."
            )
        texts[name] = text
    return Prompts(**texts)


class OllamaGenerator:
    """Generates answers with `settings.llm_model`. Creating one does not contact Ollama; `check` does.

    Safe to share between threads: the llama-index LLM holds no per-request state.
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        self.prompts = load_prompts(settings.prompts_dir)
        # Built directly, never through llama_index.core.Settings.llm, so nothing can fall back to OpenAI.
        self._llm = Ollama(
            model=settings.llm_model,
            base_url=settings.ollama_host,
            # the socket waits as long as the longest deadline; the deadlines themselves are ours
            request_timeout=max(settings.ollama_first_token_timeout, settings.ollama_timeout),
            temperature=0.0,
            context_window=CONTEXT_WINDOW,
            additional_kwargs={"num_predict": MAX_ANSWER_TOKENS},
        )
        self._probe = ollama.Client(host=settings.ollama_host, timeout=CHECK_TIMEOUT)
        self._open_until = 0.0  # the circuit breaker: no model until then
        self._tripped = ""

    def trip(self, reason: str) -> None:
        """After a missed deadline, answer without the model for the cool-down, at once."""
        self._open_until = time.monotonic() + self.settings.ollama_cooldown
        self._tripped = reason

    def breaker(self) -> str | None:
        """Dutch: why the model is not asked now, while the breaker is open."""
        left = self._open_until - time.monotonic()
        if left <= 0:
            return None
        return (f"{self._tripped} De komende {left:.0f} s wordt het model daarom niet gevraagd; daarna probeert de "
                "assistent het opnieuw.")

    def check(self) -> str | None:
        """None when Ollama answers and has the model, else the Dutch reason (within ~CHECK_TIMEOUT s)."""
        host, model = self.settings.ollama_host, self.settings.llm_model
        if open_ := self.breaker():
            return open_
        try:
            self._probe.show(model)  # Ollama resolves "name" to "name:latest" itself
        except ollama.ResponseError as exc:
            if exc.status_code == 404 and "model" in str(exc.error):
                return _model_missing(model)
            return f"Ollama op {host} geeft een fout: {exc.error}. Kijk in de logs van Ollama."
        except (ConnectionError, httpx.ConnectError, httpx.ConnectTimeout):
            return _unreachable(host)
        except httpx.TimeoutException:
            return (
                f"Ollama op {host} reageert niet binnen {CHECK_TIMEOUT:g} s. Herstart Ollama "
                "(`ollama serve`) of kijk of OLLAMA_HOST naar de juiste machine wijst."
            )
        except (httpx.HTTPError, ValueError) as exc:
            return f"Op {host} antwoordt geen bruikbare Ollama ({type(exc).__name__}). Zet OLLAMA_HOST goed."
        return None

    def stream_answer(self, question: str, context: str, schema: dict | None = None,
                      usage: dict | None = None, prompt: str = "answer") -> Iterator[str | Waiting]:
        """Yield the answer to `question` over the numbered `context` as text deltas, and a
        `Waiting` every second while the model is silent. With a JSON `schema`, Ollama constrains
        the output to it (structured outputs). `usage` receives Ollama's token counts.

        Three deadlines (settings): before the first token, between tokens, for the whole answer;
        a missed one raises ModelTimeout and trips the breaker. Other failures raise
        GenerationError, also halfway through the stream. `prompt` "brief": `question` is the
        topic of a briefing note."""
        if prompt == "brief":
            user = self.prompts.brief.format(context=context, topic=question)
        else:
            user = self.prompts.answer.format(context=context, question=question)
        messages = [
            ChatMessage(role=MessageRole.SYSTEM, content=self.prompts.system),
            ChatMessage(role=MessageRole.USER, content=user),
        ]
        extra = {"format": schema} if schema else {}
        replies: queue.Queue = queue.Queue()

        def produce() -> None:
            """Read the stream in its own thread, so a silent model cannot block the deadlines."""
            try:
                with self._errors():
                    for response in self._llm.stream_chat(messages, **extra):
                        replies.put(("reply", response))
                replies.put(("end", None))
            except GenerationError as exc:
                replies.put(("error", exc))

        threading.Thread(target=produce, name="ollama-stream", daemon=True).start()
        started = time.monotonic()
        written, last, done = "", started, False
        while True:
            now = time.monotonic()
            deadline, missed = self._deadline(started, last, bool(written))
            if now >= deadline:
                self.trip(missed)
                raise ModelTimeout(missed + (" Wat het al schreef is onvolledig en wordt niet getoond." if written else ""),
                                   written)
            if open_ := self.breaker():  # another answer missed a deadline: do not wait for ours
                raise ModelTimeout(open_, written)
            try:
                kind, item = replies.get(timeout=min(TICK, deadline - now))
            except queue.Empty:
                yield Waiting(time.monotonic() - started, bool(written))
                continue
            if kind == "error":
                raise item
            if kind == "end":
                break
            if item.delta:
                written += item.delta
                last = time.monotonic()
                yield item.delta
            if item.raw.get("done"):
                done = True
                if usage is not None:
                    usage.update(prompt_tokens=item.raw.get("prompt_eval_count"), completion_tokens=item.raw.get("eval_count"))
        if not done:  # the stream ended without Ollama's closing object: the reply is cut off
            raise GenerationError(
                "Het antwoord van Ollama brak halverwege af. Probeer het opnieuw; gebeurt dit vaker, kijk dan "
                "in de logs van Ollama."
            )
        if not written:
            raise GenerationError("Ollama gaf een leeg antwoord. Probeer het opnieuw.")

    def _deadline(self, started: float, last: float, writing: bool) -> tuple[float, str]:
        """The next deadline, and the Dutch message when it passes."""
        s = self.settings
        total = (started + s.ollama_total_timeout,
                 f"Het model was na {s.ollama_total_timeout:g} s nog niet klaar en is afgebroken "
                 "(ASSISTANT_OLLAMA_TOTAL_TIMEOUT).")
        if not writing:
            first = (started + s.ollama_first_token_timeout,
                     f"Het model begon niet binnen {s.ollama_first_token_timeout:g} s te schrijven. Misschien wordt het "
                     "nog geladen of is de computer te traag (ASSISTANT_OLLAMA_FIRST_TOKEN_TIMEOUT).")
            return min(first, total)
        idle = (last + s.ollama_timeout,
                f"Het model schreef {s.ollama_timeout:g} s lang niets meer en is afgebroken (ASSISTANT_OLLAMA_TIMEOUT).")
        return min(idle, total)

    def condense(self, question: str, history: list[str]) -> str:
        """Rewrite a follow-up into a standalone question; `history` holds earlier questions, oldest first."""
        if not history:
            return question
        system = self.prompts.condense.format(
            history="\n".join(f"- {q.strip()}" for q in history[-HISTORY_TURNS:]), question=question.strip()
        )
        messages = [
            ChatMessage(role=MessageRole.SYSTEM, content=system),
            ChatMessage(role=MessageRole.USER, content=question.strip()),
        ]
        with self._errors():
            reply = self._llm.chat(messages).message.content or ""
        # Models sometimes add a label or quotes despite the prompt; keep the question only.
        first_line = next((line.strip() for line in reply.splitlines() if line.strip()), "")
        standalone = re.sub(r"^(?:zelfstandige\s+)?vraag:\s*", "", first_line, flags=re.I).strip("\"'“”„ ")
        if not standalone:
            raise GenerationError("Ollama gaf geen herschreven vraag terug. Stel de vraag opnieuw, volledig.")
        return standalone

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Translate what the ollama client and httpx raise into GenerationError."""
        host, model = self.settings.ollama_host, self.settings.llm_model
        timeout = max(self.settings.ollama_first_token_timeout, self.settings.ollama_timeout)
        try:
            yield
        except ollama.ResponseError as exc:
            if exc.status_code == 404 and "model" in str(exc.error):
                raise GenerationError(_model_missing(model)) from exc
            raise GenerationError(
                f"Ollama meldt een fout: {exc.error}. Probeer het opnieuw; gebeurt dit vaker, kijk dan in de "
                "logs van Ollama."
            ) from exc
        except (ConnectionError, httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise GenerationError(_unreachable(host)) from exc
        except httpx.TimeoutException as exc:
            raise GenerationError(
                f"Ollama gaf geen antwoord binnen de time-out van {timeout:g} s. Misschien wordt het model nog "
                "geladen of is de computer te traag: probeer het opnieuw of verhoog ASSISTANT_OLLAMA_FIRST_TOKEN_TIMEOUT."
            ) from exc
        except httpx.TransportError as exc:
            raise GenerationError(
                "De verbinding met Ollama werd tijdens het antwoord verbroken. Probeer het opnieuw; gebeurt dit "
                "vaker, kijk dan in de logs van Ollama."
            ) from exc
        except (ValueError, KeyError, TypeError) as exc:  # JSON or validation errors on a garbled reply
            raise GenerationError(
                "Ollama stuurde een onleesbaar antwoord. Probeer het opnieuw; gebeurt dit vaker, werk Ollama dan "
                "bij of kijk in de logs van Ollama."
            ) from exc
        except Exception as exc:  # callers rely on one exception type
            raise GenerationError(
                f"Het genereren met Ollama mislukte onverwacht ({type(exc).__name__}: {exc})."
            ) from exc


# --- Follow-up questions without a model -------------------------------------------------------

_MONTHS = MONTH_PATTERN
_YEAR = r"(?:19|20)\d{2}"
# A date with what introduces it: "op 1 april 2024", "in 2019", "peildatum 1 okt. 2025".
_DATE = re.compile(
    r"\b(?P<lead>(?:(?:op|in|per|sinds|vanaf|tot|van|rond|eind|begin|medio|na|voor)\s+)?(?:(?:de\s+)?peildatum\s+)?)"
    rf"(?P<when>\d{{1,2}}\s+(?:{_MONTHS})\.?\s+{_YEAR}|(?:{_MONTHS})\.?\s+{_YEAR}"
    rf"|\d{{1,2}}-\d{{1,2}}-{_YEAR}|{_YEAR}(?:\s*[-–]\s*{_YEAR})?)\b",
    re.I,
)
_CONNECTOR = re.compile(
    r"^(?:(?:en|maar|ook|dus)\s+)?(?:hoe\s+zit\s+het\s+(?:dan\s+)?met|wat\s+(?:dan\s+)?met|geldt\s+dat\s+ook\s+voor"
    r"|hoe\s+(?:is|was)\s+dat\s+(?:bij|voor|met|in))\b\s*|^(?:en|maar|ook|dus)\b\s*",
    re.I,
)
_ANAPHORA = re.compile(r"\b(?:daar|hier|er)(?:van|voor|door|bij|na|over|mee|aan|in|uit|om|op|tegen)\b", re.I)
_DEMONSTRATIVE = re.compile(r"\b(?:dat|dit|die|deze|zij|ze|hun|hen)\b", re.I)
# An article noun phrase: "het ziekteverzuim", "de gemiddelde wachttijd" (at most one inflected adjective,
# never followed by a preposition or verb, so "de toename van" is not taken for one).
_NOUN_PHRASE = re.compile(
    r"\b(?:de|het|een)\s+(?:[\w'-]*[b-df-hj-np-tv-z]e\s+"
    rf"(?!(?:{'|'.join(PREPOSITIONS)}|is|was|zijn|waren|heeft|hebben|wordt|worden)\b))?[\w'-]+",
    re.I,
)
_WORDS = re.compile(r"[\w'-]+")
_ARTICLES = {"de", "het", "een"}
_FILLERS = {"dan", "nu", "toen", "nog", "hoeveel", "wat", "hoe", "is", "was", "waren", "er"}


def condense_rule_based(question: str, history: list[str]) -> str:
    """Make a short, elliptical follow-up standalone by reusing the previous question.

    A date in the follow-up replaces the date in the previous question; a bare noun phrase
    replaces its subject; anything else is appended to it. Self-contained questions pass unchanged.
    """
    question = question.strip()
    if not history or not _is_elliptical(question):
        return question
    result = history[-1].strip()
    rest = _CONNECTOR.sub("", question)
    date = _DATE.search(rest)
    if date:
        result = _replace_date(result, date)
        rest = rest[: date.start()] + rest[date.end():]
    terms = " ".join(rest.split()).strip(" ?!.,")
    words = _WORDS.findall(terms.lower())
    if not words or (date and set(words) <= _FILLERS):
        return result
    target = _subject_phrase(result)
    if words[0] in _ARTICLES and _NOUN_PHRASE.fullmatch(terms) and target:
        new = terms[0].upper() + terms[1:] if target.start() == 0 else terms
        return result[: target.start()] + new + result[target.end():]
    return f"{result} {terms[0].upper()}{terms[1:]}?"


def _is_elliptical(question: str) -> bool:
    """Leans on the missing verb phrase: a bare date, noun phrase or question word, or a back-reference."""
    core = _DATE.sub(" ", _CONNECTOR.sub("", question))
    words = _WORDS.findall(core.lower())
    if len(words) <= 1 or _ANAPHORA.search(question) or _CONNECTOR.match(question):
        return True  # "En ..." in a conversation continues the previous question
    if words[0] in _ARTICLES or words[0] in PREPOSITIONS:
        return len(words) <= 4
    return len(words) <= 10 and bool(_DEMONSTRATIVE.search(core))


def _replace_date(previous: str, date: re.Match) -> str:
    """Swap the first date in `previous` for the new one, or add the new one when there is none."""
    old = _DATE.search(previous)
    if old is None:
        return f"{previous.rstrip(' ?')} {date.group(0)}?"
    when = date.group("when")
    # "En 2019?" reads "in 2019"; "En 1 april 2024?" keeps the old "op" / "peildatum".
    lead = date.group("lead") or ("in " if re.fullmatch(_YEAR, when) else old.group("lead"))
    return previous[: old.start()] + lead + when + previous[old.end():]


def _subject_phrase(question: str) -> re.Match | None:
    """The first article noun phrase not governed by a preposition: the likeliest subject or object."""
    for match in _NOUN_PHRASE.finditer(question):
        before = _WORDS.findall(question[: match.start()].lower())
        if not before or before[-1] not in PREPOSITIONS:
            return match
    return None
