"""From a question to a checked Answer: set aside instructions in the question, condense a
follow-up, retrieve, gate, answer in claims (written by a model or extracted), check every
claim and figure against the quotes it cites, and show where the sources differ.

The CLI, the web page and the evaluation all call `Assistant`; none has logic of its own.
"""
from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from . import briefing, conflicts, evidence, extractive, figures, generative, injection, refusal
from .claims import assemble
from .config import Settings
from .generate import GenerationError, ModelTimeout, OllamaGenerator, Waiting, condense_rule_based
from .index import Index
from .inputs import InputError, check_text
from .live_index import IndexStatus, LiveIndex
from .refusal import REFUSAL_TEXT
from .retrieval import retrieve
from .sources import document_sections
from .types import Answer, Preliminary, Section, Source


class QuestionError(InputError):
    """The question cannot be asked (empty, too long, not text); the message is Dutch."""


@dataclass
class ModeStatus:
    mode: str  # "ollama" or "extractive"
    model: str | None
    warning: str | None  # Dutch: why a requested ollama mode is not used


class Assistant:
    """Loads the index and models once; answers many questions."""

    def __init__(self, settings: Settings | None = None, progress: Callable | None = None, notify: Callable[[str], None] | None = None,
                 background: bool = False):
        self.settings = settings or Settings()
        self.live = LiveIndex(self.settings, progress, notify, background)
        self.generator = OllamaGenerator(self.settings)
        self._checked: tuple[float, str | None] | None = None

    @property
    def index(self) -> Index:
        """The index that answers now; a rebuild swaps in a new one for the next question."""
        return self.live.current

    def rebuild(self, background: bool = True) -> None:
        self.live.rebuild(background)

    def index_status(self) -> IndexStatus:
        return self.live.status()

    @property
    def sources(self) -> list[Source]:
        return [d.source for d in self.index.documents.values()]

    def section(self, source_id: str, label: str) -> tuple[Section, str] | None:
        """A section and its body text, to read a quote in context."""
        doc = self.index.documents.get(source_id)
        if doc is None:
            return None
        for section in document_sections(doc):
            if section.label == label and not section.toc:
                return section, doc.text[section.start : section.end]
        return None

    def tables(self) -> list[tuple[Source, Section]]:
        """Every table the parser rebuilt (e.g. the Kamerbrief's GI-monitor)."""
        return [(doc.source, s) for doc in self.index.documents.values() for s in document_sections(doc) if s.table]

    def status(self, mode: str | None = None) -> ModeStatus:
        """Which mode answers: ollama when asked for (or auto) and reachable."""
        mode = mode or self.settings.mode
        if mode == "extractive":
            return ModeStatus("extractive", None, None)
        problem = self._ollama_problem()
        if problem is None:
            return ModeStatus("ollama", self.settings.llm_model, None)
        if mode == "ollama":
            return ModeStatus("extractive", None, f"{problem} Daarom volgt een antwoord met letterlijke citaten.")
        return ModeStatus("extractive", None, None)

    def _ollama_problem(self) -> str | None:
        """Ask Ollama at most every 30 s, so a dead server costs one short check."""
        now = time.monotonic()
        if self._checked is None or now - self._checked[0] > 30:
            self._checked = (now, self.generator.check())
        return self._checked[1]

    def ask(self, question: str, history: list[str] | None = None, mode: str | None = None, sources: list[str] | None = None, id: str | None = None) -> Answer:
        final = None
        for item in self.stream(question, history, mode, sources, id):
            if isinstance(item, Answer):
                final = item
        return final

    def stream(self, question: str, history: list[str] | None = None, mode: str | None = None, sources: list[str] | None = None,
               id: str | None = None) -> Iterator[str | Waiting | Preliminary | Answer]:
        """With a model: the answer without it first (`Preliminary`), then the model's text as it
        arrives and a `Waiting` each second it is silent; always last the checked Answer."""
        started = time.perf_counter()
        question = self._validate(question)
        status = self.status(mode)
        result = Answer(question=question, answer="", mode=status.mode, citations=[], figures=[], model=status.model, id=id)
        index = self.index  # one index for the whole answer, even when a rebuild swaps in another
        screened = injection.screen(question)
        if screened.refuse:
            _refuse(result, screened.refuse)
        else:
            standalone, warning = self._standalone(screened.question, history or [], status)
            got = retrieve(index, standalone, self.settings.top_k, sources, focus=_appended_follow_up(standalone, screened.question))
            result.passages, result.standalone_question = got.passages, standalone
            result.warning = _join(self.index_status().warning, status.warning, warning, screened.note)
            result.timing_ms["retrieve"] = got.ms
            verdict = refusal.judge(index, got, screened.asserted)
            if verdict.refuse:
                _refuse(result, verdict.reason)
                if verdict.partial:
                    _what_they_hold(index, result, got)
            elif status.mode == "ollama":
                yield from self._generate(index, result, got, standalone)
            else:
                self._finish(index, result, extractive.answer(index, got))
        result.figures = [] if result.refused else figures.of_claims(result.claims, result.citations)
        result.timing_ms["total"] = int((time.perf_counter() - started) * 1000)
        yield result

    def _generate(self, index: Index, result: Answer, got, question: str) -> Iterator[str | Waiting | Preliminary]:
        """The model's claims, checked; the extractive answer when the model gives none. That
        answer comes first, at once, so nobody waits for a slow model to see the evidence."""
        extracted = extractive.answer(index, got)
        preliminary = replace(result, mode="extractive", model=None)
        self._finish(index, preliminary, extracted)
        preliminary.figures = figures.of_claims(preliminary.claims, preliminary.citations)
        yield Preliminary(preliminary)
        blocks = evidence.select(index, got)
        context = evidence.format_blocks(index, blocks)
        started, usage, reply, written = time.perf_counter(), {}, None, ""
        try:
            for item in generative.read(index, self.generator.stream_answer(question, context, generative.CLAIMS_SCHEMA, usage), blocks):
                if isinstance(item, generative.Generated):
                    reply = item
                else:
                    written += item if isinstance(item, str) else ""
                    yield item
        except ModelTimeout as exc:
            self._checked = None
            partial = f" Wat het al schreef (onvolledig, niet gebruikt): “{written.strip()}”" if written.strip() else ""
            self._fall_back(index, result, extracted, f"{exc}{partial}")
            return
        except GenerationError as exc:
            self._checked = None
            self._fall_back(index, result, extracted, str(exc))
            return
        finally:
            result.timing_ms["generate"] = int((time.perf_counter() - started) * 1000)
            result.usage = usage or None
        if reply.invalid:
            result.warning = _join(result.warning, "Verwijzingen naar niet-bestaande passages verwijderd: "
                                   + ", ".join(f"[{n}]" for n in dict.fromkeys(reply.invalid)) + ".")
        if not reply.problem and generative.restates(reply.drafts, question):
            reply.problem = generative.RESTATED
        if reply.refused:  # the search found an answer where the model saw none: both are shown
            _refuse(result, "Volgens het model geven de gevonden passages geen antwoord op deze vraag.")
            _what_they_hold(index, result, got)
        elif reply.problem:
            self._fall_back(index, result, extracted, reply.problem)
        else:
            drafts = reply.drafts + [extractive.conflict_line(index, g) for g in extracted.conflicts
                                     if not _mentions_all(reply.drafts, g)]
            if (unstated := _unstated_figure(extracted, drafts)):
                drafts += unstated
                result.warning = _join(result.warning, UNSTATED_FIGURE)
            self._finish(index, result, extractive.Extracted(drafts, extracted.conflicts))
            if not any(c.supported for c in result.claims if c.kind == "claim"):  # nothing the sources carry
                written = " ".join(d.text for d in reply.drafts)
                self._fall_back(index, result, extracted, f"{UNSUPPORTED} Wat het schreef (niet gebruikt): “{written}”")

    def brief(self, topic: str, mode: str | None = None, sources: list[str] | None = None,
              progress: Callable[[str], None] | None = None) -> briefing.Briefing:
        """A briefing note on a topic (Debatvoorbereiding), on the same retrieval and checks."""
        return briefing.make(self, topic, mode, sources, progress)

    def _fall_back(self, index: Index, result: Answer, extracted, reason: str) -> None:
        result.mode, result.model = "extractive", None
        result.warning = _join(result.warning, f"{reason} Daarom volgt een antwoord met letterlijke citaten.")
        self._finish(index, result, extracted)

    def _finish(self, index: Index, result: Answer, extracted) -> None:
        """Number and check the claims; the conflicts with the citations of their sides."""
        done = assemble(index, extracted.drafts)
        result.answer, result.claims, result.citations = done.answer, done.claims, done.citations
        result.conflicts = [conflicts.record(g, done.numbers_of) for g in extracted.conflicts]

    def _validate(self, question: str) -> str:
        try:  # the page passes what a browser sent: it must be text that can be written as UTF-8
            question = " ".join(check_text(question or "", "de vraag").split())
        except InputError as exc:
            raise QuestionError(str(exc)) from exc
        if not question:
            raise QuestionError("De vraag is leeg. Stel een vraag over de documenten, bijvoorbeeld over wachtlijsten.")
        if len(question) > self.settings.max_question_chars:
            raise QuestionError(f"De vraag is te lang ({len(question)} tekens; maximaal {self.settings.max_question_chars}). Maak haar korter.")
        return question

    def _standalone(self, question: str, history: list[str], status: ModeStatus) -> tuple[str, str | None]:
        if not history:
            return question, None
        if status.mode == "ollama":
            try:
                return self.generator.condense(question, history), None
            except GenerationError as exc:
                return condense_rule_based(question, history), f"Vervolgvraag zonder model herschreven: {exc}"
        return condense_rule_based(question, history), None


def _appended_follow_up(standalone: str, question: str) -> str | None:
    """The follow-up when it was only appended to the question before it (it could not be
    merged into it): the answer must then be to the follow-up."""
    if standalone == question:
        return None
    core = re.sub(r"^(?:en|maar|ook|dus)\s+", "", question.strip(), flags=re.I).strip(" ?").lower()
    return question if standalone.strip(" ?").lower().endswith(core) else None


def _refuse(result: Answer, reason: str) -> None:
    result.answer, result.refused = f"{REFUSAL_TEXT} {reason}", True


UNSUPPORTED = "Geen enkele bewering van het taalmodel wordt gedragen door het citaat waarnaar ze verwijst."
UNSTATED_FIGURE = ("Het taalmodel noemt niet het cijfer van de passage die het best bij de vraag past. "
                   "Dat cijfer staat met zijn citaat onder het antwoord van het model: vergelijk beide.")


def _what_they_hold(index: Index, result: Answer, got) -> None:
    """After a refusal, the sentence of the sources that comes closest, as a checked claim."""
    done = assemble(index, [extractive.quote_line(index, got.sentences[0], lead="Wel staat in ")])
    result.answer += "\n" + done.answer
    result.claims, result.citations = done.claims, done.citations


def _mentions_all(drafts, group) -> bool:
    """Whether the model's claims already give every value of a conflict."""
    stated = _stated(drafts)
    return all(r.mention.number in stated for r in group)


def _unstated_figure(extracted, drafts) -> list:
    """The lines that state and quote the figure of the passage that best answers the question,
    when the model's claims do not give it: a model that picks another figure (another year,
    another scope, "vier" of "4 van de 5") is then shown beside the figure that answers."""
    if extracted.figure is None or extracted.figure.mention.number in _stated(drafts):
        return []
    return extracted.figure_lines


def _stated(drafts) -> set[str]:
    return {value for d in drafts for _, value in figures.stated(d.text)}


def _join(*parts: str | None) -> str | None:
    text = " ".join(p for p in parts if p)
    return text or None
