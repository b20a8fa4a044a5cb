"""Debatvoorbereiding: a briefing note on a topic, built on the same retrieval, claims and checks
as answers.

The topic is retrieved as a question is, once over all documents and once per document, so every
document gets its say. From the sentences found: the key figures (each a claim citing the sentence
or table row it is copied from, grouped by measure and ordered by date), per document newest first
its best points, the conflicts between sources (`conflicts.groups`: the same measure for the same
period with different values), and the announcements with their timing as written. Every part is
a `Draft` and all of them are numbered and checked by one `claims.assemble`, exactly as an answer.
With a model the points are rewritten as short prose claims and checked claim by claim; the
model may also suggest what the sources do not say and questions for the debate, marked as
suggestions. Nothing here knows a topic.
"""
from __future__ import annotations

import json
import math
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from . import conflicts, generative, injection, key_figures, refusal
from .chunks import paragraphs as chunk_paragraphs
from .citations import document_name, overlaps, retold, sentence_quote, similar
from .claims import Draft, assemble
from .conflicts import Reading
from .dutch import (FIGURE_IN_TEXT, MEASURED_OTHERWISE, PREPOSITIONS, RELATIVE_PRONOUNS, TIME_UNIT_STEMS, announced_where,
                    announces, format_date, leans_back, looks_dutch, normalise, past_tense, relative_time, stems, timing,
                    with_dutch_terms)
from .evidence import Block, format_blocks
from .extractive import dated_phrase
from .generate import GenerationError
from .index import Index
from .inputs import InputError, check_text
from .key_figures import KeyFigure
from .measures import mentions
from .query import NAMING_STEMS, analyse, section_texts, unknown_words
from .refusal import REFUSAL_TEXT
from .retrieval import (Retrieved, ScoredSentence, closest_figure_sentences, figure_sentences, retrieve, score_sentences,
                        with_previous)
from .sources import QUOTING_KINDS
from .types import Citation, Conflict

TOPIC_PASSAGES = 20  # passages for the topic over all documents (the rerank's width)
DOCUMENT_PASSAGES = 20  # ... and within each document
MIN_ABOUT = 0.3  # share of the topic's term weight in a sentence with its section title
PARAGRAPH_WEIGHT = 0.8  # what a sentence's paragraph covers counts for this much
NAMED_SHARE = 0.33  # of how much a sentence is about a topic that names documents: standing in one of them
PART_ABOUT = 0.45  # a sentence wholly about one part of a topic of several is this much about the topic
PARTIAL_COVERAGE = 0.5  # a topic with a subject no document names: the share of the rest one sentence must say (`_uncovered`)
PARTIAL_BREADTH = 3  # ... or this many sentences of one section name its weightiest word (`_said`)
SPECIFIC_PART = math.log(5)  # ... of a part that weighs at least as a word in a fifth of the passages: not "kinderen"
# asking for the note rather than naming its topic: "geef een notitie over", "maak een korte briefing over"
_REQUEST = re.compile(r"^\s*(?:(?:geef|maak|schrijf|stel)\s+(?:(?:me|mij|ons)\s+)?(?:een\s+)?(?:korte\s+)?)?"
                      r"(?:debat)?(?:notitie|briefing|overzicht|samenvatting)\s+(?:over|van|bij|voor)\s+", re.I)
_OPENS = ("", ".", "!", "?", ":", ";", "(", "“", "‘", '"')  # what stands before the first word of a sentence or title
_TOPIC_SPLIT = re.compile(r"\s*(?:[,:;()]|\s(?:en|of|en/of)\s)\s*")
LOOKBACK = 2000  # characters before a passage read for the paragraph its first paragraph leans on
CLOSEST_FIGURES = 30  # sentences with a figure closest to the topic in meaning, wherever they stand, join the pool
NEAREST_FIGURES = 20  # ... the closest of them count as a little about the topic (FIGURE_ABOUT) without its words
CLOSEST = 0.2  # the share of retrieved sentences closest to the topic in meaning (e5) that is about it
MAX_POINTS = 4  # per document
BREADTH = 0.2  # a point from a section with BREADTH_CAP or more sentences on the topic weighs this much more (`_points`)
BREADTH_CAP = 5
CITED_PLACE = 0.4  # a point from a section the key figures or announcements cite weighs this much less (`_points`)
MIN_POINT_WORDS = 6
SAID_BY_MEANING = 0.15  # a point or announcement on the topic by its meaning only must say this share of it itself
_ADDRESS = re.compile(r"://|\bwww\.", re.I)
_FOOTNOTE = re.compile(r"^\d{1,3}\s+[A-Z]")  # "1 Hiermee worden ... bedoeld": a footnote
MAX_COMMITMENTS = 12
MAX_COMMITMENTS_PER_DOCUMENT = 8
CROSS_CHECKS = 6  # measures looked up on their own for the other values of a conflict
CROSS_CHECK_PASSAGES = 12
KEY_WEIGHT = 0.5  # the topic's words around two figures that may conflict: this share of its rarest word's weight
SECTIONS_READ_WHOLE = 2  # per document: its sections most about the topic, read whole for their figures (`_sections_read_whole`)
SECTIONS_BY_COVERAGE = 1  # per document: its sections whose whole text covers most of the topic, read whole too
STRONG_ABOUT = 0.5  # a section with a sentence this much about the topic is a section on it
MIN_SUGGESTION_WORDS = 3
SUGGESTION_KINDS = {"gap": "Wat de bronnen niet zeggen", "question": "Mogelijke vragen voor het debat"}

BRIEF_SCHEMA = {
    "type": "object",
    "properties": {
        **generative.CLAIMS_SCHEMA["properties"],
        "niet_in_bronnen": {"type": "array", "items": {"type": "string"}},
        "vragen": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["claims", "niet_in_bronnen", "vragen"],
}


@dataclass
class BriefFigure:
    measure: str  # what is counted, in the source's words
    value: str  # as the document writes it
    date: str | None  # its date or peildatum as written; None when the source gives none
    citations: list[int]
    core: bool  # from a sentence mostly about the topic; False: one that only touches it ("Meer cijfers")


@dataclass
class Point:
    source_id: str
    text: str  # the claim with its markers
    citations: list[int]
    supported: bool
    why: str | None = None


@dataclass
class Commitment:
    text: str  # with its markers
    when: str | None  # the timing as written ("voorjaar van 2026")
    citations: list[int]


@dataclass
class BriefSuggestion:
    """A model's suggestion: not from the sources, and shown as such."""

    kind: str  # "gap" or "question"
    text: str


@dataclass
class Briefing:
    topic: str
    mode: str
    model: str | None
    warning: str | None
    figures: list[BriefFigure] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    suggestions: list[BriefSuggestion] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    timing_ms: dict = field(default_factory=lambda: {"total": 0})
    uncovered: str | None = None  # the short note for a topic the sources do not cover
    documents: dict[str, str] = field(default_factory=dict, repr=False)  # source id -> its name, for the points

    def to_json(self) -> dict:
        """The machine form of `brief --json` (see README); citations as in `ask --json`."""
        return {
            "topic": self.topic, "mode": self.mode, "model": self.model, "warning": self.warning,
            "figures": [asdict(f) for f in self.figures], "points": [asdict(p) for p in self.points],
            "conflicts": [c.to_json() for c in self.conflicts], "commitments": [asdict(c) for c in self.commitments],
            "suggestions": [asdict(s) for s in self.suggestions], "citations": [c.to_json() for c in self.citations],
            "timing_ms": self.timing_ms,
        }


@dataclass
class Found:
    """The sentences of a topic's retrievals that are about it, best first."""

    topic: Retrieved
    sentences: list[ScoredSentence]
    by_document: dict[str, list[ScoredSentence]]
    ends: dict[tuple[str, int], ScoredSentence] = field(default_factory=dict)  # single sentences by their end
    pool: list[ScoredSentence] = field(default_factory=list)  # every sentence retrieved, best first
    about: dict[int, float] = field(default_factory=dict)  # id(sentence) -> how much it is about the topic
    lifted: set[int] = field(default_factory=set)  # id(sentence) about the topic by its meaning only, not its words


def make(assistant, topic: str, mode: str | None = None, sources: list[str] | None = None,
         progress: Callable[[str], None] | None = None) -> Briefing:
    """The note on `topic`; `progress` gets a Dutch line per stage."""
    say = progress or (lambda _: None)
    started = time.perf_counter()
    topic = _validate(topic, assistant.settings.max_question_chars)
    screened = injection.screen(topic, "het onderwerp")  # as a question is: the instructions in it are refused or ignored
    if screened.refuse:
        raise TopicError(screened.refuse)
    status = assistant.status(mode)
    index = assistant.index
    note = Briefing(topic, status.mode, status.model, _join(assistant.index_status().warning, status.warning, screened.note))
    note.documents = {doc_id: document_name(index, doc_id) for doc_id in index.documents}
    say("Zoeken in de bronnen…")
    scope = _scope(index, _searched(screened.question))
    found = _gather(index, scope.on, sources) if scope.on else None
    note.timing_ms["retrieve"] = int((time.perf_counter() - started) * 1000)
    reason = _uncovered(index, scope, found)
    if not reason:
        say("Cijfers, standpunten, verschillen en toezeggingen verzamelen…")
        figures = key_figures.figures(index, found, STRONG_ABOUT, MIN_ABOUT)
        commitments = _commitments(index, found)
        quotes = [q for f in figures for q in f.quotes] + [q for d, _ in commitments for q in d.quotes]
        points = _points(index, found, {(q.chunk.source_id, q.chunk.section) for q in quotes})
        if not (points or commitments or any(f.core for f in figures)):  # only figures that barely touch it: padding
            reason = (f"Geen zin in {'de gekozen documenten' if sources else 'de documenten'} gaat over ‘{scope.on}’; "
                      "alleen cijfers uit passages die het nauwelijks raken.")
    if reason:
        note.uncovered = f"{REFUSAL_TEXT} {reason}"
        note.warning = _join(note.uncovered, note.warning)
    else:
        if scope.unknown:  # a partial note: what it leaves out, said first
            note.warning = _join(f"De documenten noemen {', '.join(scope.unknown)} nergens; deze notitie gaat over ‘{scope.on}’.",
                                 note.warning)
        groups = _conflicts(index, found, sources)
        if status.mode == "ollama":
            say(f"Het taalmodel {status.model} schrijft de standpunten…")
            points = _generate(assistant, note, screened.question, points)
        _finish(index, note, figures, points, groups, commitments)
    note.timing_ms["total"] = int((time.perf_counter() - started) * 1000)
    return note


class TopicError(InputError):
    """The topic cannot be briefed on (empty, too long, not text); the message is Dutch."""


def _validate(topic: str, limit: int) -> str:
    try:
        topic = " ".join(check_text(topic or "", "het onderwerp").split())
    except InputError as exc:
        raise TopicError(str(exc)) from exc
    if not topic:
        raise TopicError("Het onderwerp is leeg. Geef een onderwerp, bijvoorbeeld ‘wachtlijsten in de jeugdbescherming’.")
    if len(topic) > limit:
        raise TopicError(f"Het onderwerp is te lang ({len(topic)} tekens; maximaal {limit}). Maak het korter.")
    if not looks_dutch(topic):  # what a topic covers is judged by the documents' Dutch words (`_scope`)
        example = with_dutch_terms(topic)[len(topic):].strip() or "wachtlijsten in de jeugdbescherming"
        raise TopicError("Geef het onderwerp in het Nederlands: de notitie zoekt met de woorden van de documenten. "
                         f"Bijvoorbeeld ‘{example}’.")
    if not stems(topic):  # "de het een", "???", "wat zegt de Kamerbrief": no topic, and any note would be arbitrary
        raise TopicError("Het onderwerp noemt niets om in de documenten op te zoeken. Noem waarover de notitie gaat, "
                         "bijvoorbeeld ‘wachtlijsten in de jeugdbescherming’ of ‘pleegzorg in de Kamerbrief’.")
    return topic


# --- Finding what the sources hold on the topic ----------------------------------------------

def _gather(index: Index, topic: str, sources: list[str] | None) -> Found:
    """The topic over all documents, then within each: a document with little on the topic still
    gets its best sentences. The sentences about the topic (see `_about_all`), single ones and
    adjacent pairs, best first."""
    searched = _searched(topic)
    over_all = retrieve(index, searched, TOPIC_PASSAGES, sources)
    scope = [s for s in (sources or []) if s in index.sources] or list(index.documents)
    seen, pool = set(), []
    specific = [part for part in topic_parts(searched) if analyse(index, part).weight >= SPECIFIC_PART]
    parts = [retrieve(index, part, TOPIC_PASSAGES, sources) for part in specific]
    # a part's passages, their sentences scored on the whole topic: a sentence wholly about "gezin" in
    # "informatiedeling en privacy tussen organisaties rond kind en gezin" must not outrank one on informatiedeling
    by_part = [s for got in parts for p in got.passages for s in score_sentences(index, p.chunk, over_all.terms, over_all.vector)]
    per_document = [retrieve(index, searched, DOCUMENT_PASSAGES, [doc]) for doc in scope]
    # and the sentences with figures of the further passages each document's words find
    figured = [s for doc, got in zip(scope, per_document) for s in figure_sentences(index, got, searched, [doc])]
    closest = closest_figure_sentences(index, over_all, CLOSEST_FIGURES, sources)
    for sentences in [over_all.sentences, *(got.sentences for got in per_document), by_part, figured, closest]:
        for s in sentences:
            key = (s.chunk.source_id, s.start, s.end)
            if key not in seen and s.chunk.source_id in scope:
                seen.add(key)
                pool.append(s)
    terms = over_all.terms
    pool.sort(key=lambda s: s.score, reverse=True)
    named, lifted = _named(over_all, scope), set()
    scores = _about_all(index, terms, pool, [p.terms for p in parts], named=named, lifted=lifted)
    # a figure among the very closest in meaning is a little about the topic without its words: "Slechts één
    # forensisch-klinische locatie voor jeugdigen ... 25 plaatsen" on 24-uursplekken voor jongeren
    nearest = {(s.chunk.source_id, s.start, s.end) for s in closest[:NEAREST_FIGURES]}
    for s in pool:
        if (s.chunk.source_id, s.start, s.end) in nearest:
            scores[id(s)] = max(scores[id(s)], key_figures.FIGURE_ABOUT)
    pool += _sections_read_whole(index, terms, over_all.vector, pool, scores, scope, seen, [p.terms for p in parts], named,
                                 lifted)
    pool.sort(key=lambda s: s.score, reverse=True)
    about = [s for s in pool if scores[id(s)] >= MIN_ABOUT]
    by_document: dict[str, list[ScoredSentence]] = {}
    for s in about:
        by_document.setdefault(s.chunk.source_id, []).append(s)
    ends = {(s.chunk.source_id, s.end): s for s in pool if not s.pair}
    return Found(over_all, about, by_document, ends, pool, scores, lifted)


def _sections_read_whole(index: Index, terms, vector, pool: list[ScoredSentence], scores: dict[int, float],
                         scope: list[str], seen: set, part_terms: list, named: frozenset[str],
                         lifted: set[int]) -> list[ScoredSentence]:
    """The SECTIONS_READ_WHOLE sections of each document most about the topic, and the
    SECTIONS_BY_COVERAGE whose whole text covers most of it, read whole for their figures: a section
    on a topic names it once or twice, its figures stand in sentences that do not ("De totale termijn
    van het onderzoek beslaat 56 kalenderdagen"); a section may name a topic's words in different
    sentences, none of them retrieved ("3.19 Versnippering" on casusregie and doorzettingsmacht).
    Each sentence with a figure there counts as at least FIGURE_ABOUT about the topic; the sentences
    not yet retrieved are returned, to join the pool, their `scores` set."""
    best: dict[tuple, float] = {}
    for s in pool:
        place = (s.chunk.source_id, s.chunk.section_path)
        best[place] = max(best.get(place, 0.0), scores[id(s)])
    covers = {p: terms.coverage(text, parts=True) for p, text in section_texts(index).items() if p[0] in scope}
    chosen = set()
    for doc in scope:
        for score, many in ((best, SECTIONS_READ_WHOLE), (covers, SECTIONS_BY_COVERAGE)):
            # above MIN_ABOUT: a sentence only lifted to it by its meaning (`_about_all`) does not make its section one
            # on the topic; read whole, "Capaciteit en workload" filled a note on excuses na misstanden with staff figures
            places = sorted((p for p in score if p[0] == doc and score[p] > MIN_ABOUT), key=score.get, reverse=True)
            chosen |= set(places[:many])
    def figured(s: ScoredSentence) -> bool:  # a single sentence with a figure in a chosen section
        return (s.chunk.source_id, s.chunk.section_path) in chosen and not s.pair and bool(FIGURE_IN_TEXT.search(s.text))

    extra = []
    for chunk in index.chunks:
        if (chunk.source_id, chunk.section_path) in chosen and not chunk.table_row:
            for s in score_sentences(index, chunk, terms, vector):
                if (s.chunk.source_id, s.start, s.end) not in seen and figured(s):
                    seen.add((s.chunk.source_id, s.start, s.end))
                    extra.append(s)
    scores.update(_about_all(index, terms, extra, part_terms, floor=_closest_floor(pool), named=named, lifted=lifted))
    for s in filter(figured, pool + extra):
        scores[id(s)] = max(scores[id(s)], key_figures.FIGURE_ABOUT)
    return extra


def _searched(topic: str) -> str:
    """The topic without the words that say how it is phrased, not what it is about: "wat de
    inspecties door de jaren heen vonden", "de GI's die de normen niet haalden", "maak een notitie
    over ..."."""
    def how(word: str) -> bool:
        return past_tense(word.strip(",.?!:;")) or bool(set(stems(word)) & TIME_UNIT_STEMS)

    # the word goes, its punctuation stays: it may part the topic ("... niet haalden: DJGB, LJ&R")
    kept = " ".join(w[len(w.rstrip(",.?!:;")):] if how(w) else w for w in _REQUEST.sub("", topic).split())
    return " ".join(kept.replace(" :", ":").split())


def topic_parts(topic: str) -> list[str]:
    """The parts of a topic of several ("huiselijk geweld en kindermishandeling: meldingen, de
    meldcode en de adviesplicht"), each searched on its own too; none for a topic of one part. An
    adjective before "en" shares the noun after it ("tijdige en passende jeugdhulp")."""
    pieces = [re.sub(r"^(?:en|of)\s+", "", p.strip()) for p in _TOPIC_SPLIT.split(topic) if p and p.strip()]
    parts: list[str] = []
    for piece in pieces:
        if parts and len(parts[-1].split()) == 1 and parts[-1].endswith("e") and not parts[-1][:1].isupper():
            parts[-1] = f"{parts[-1]} en {piece}"
        else:
            parts.append(piece)
    parts = [p for p in parts if stems(p)]
    return parts if len(parts) > 1 else []


def _about_all(index: Index, terms, pool: list[ScoredSentence], part_terms: list = (), floor: float | None = None,
               named: frozenset[str] = frozenset(), lifted: set[int] | None = None) -> dict[int, float]:
    """How much each sentence is about the topic (see `_about`), at least MIN_ABOUT for one among
    the CLOSEST in meaning that holds a word of it (a topic phrased as a question, "wat de
    inspecties door de jaren heen vonden", has rare words that say nothing); 0 for one that does
    not name, in itself or its paragraph, a name the topic names: "Jeugdbescherming Noord" is about
    Noord, not about every sentence on jeugdbescherming. A name in brackets is an alias, not a must."""
    # a name in brackets is another name for what stands before it ("de gesloten jeugdzorg (JeugdzorgPlus)"): no must
    aside = {t for inner in re.findall(r"\(([^)]*)\)", terms.asked) for t in stems(inner)}
    # each name the topic names, by its rarest word: "Noord" of "Jeugdbescherming Noord" does not say "Noord-Holland",
    # "de Hervormingsagenda" does say "Hervormingsagenda Jeugd"
    core = []
    for name in terms.names:
        words = [t for t in stems(name) if t not in aside]
        if words:
            rarest = max(words, key=lambda t: terms.terms.get(t, 0.0))
            core.append((rarest, next((w for w in name.split() if rarest in stems(w)), name)))
    floor = _closest_floor(pool) if floor is None else floor
    paragraphs: dict[str, list[tuple[int, int, str]]] = {}
    out = {}
    for s in pool:
        if s.chunk.id not in paragraphs:
            text = index.documents[s.chunk.source_id].text
            spans = chunk_paragraphs(text, max(0, s.chunk.start - LOOKBACK), s.chunk.end)  # with the paragraph before the chunk
            paragraphs[s.chunk.id] = [(a, b, _leaning(text, spans, i)) for i, (a, b) in enumerate(spans) if b > s.chunk.start]
        around = next((p for a, b, p in paragraphs[s.chunk.id] if a <= s.start < b), "")
        out[id(s)] = max([_about(terms, core, s, around), *(PART_ABOUT * _about(t, core, s, around) for t in part_terms)])
        if named and (out[id(s)] or not core):
            out[id(s)] = (1 - NAMED_SHARE) * out[id(s)] + NAMED_SHARE * (s.chunk.source_id in named)
        if out[id(s)] > 0 and s.similarity >= floor:  # among the closest in meaning: about the topic too
            if out[id(s)] < MIN_ABOUT and lifted is not None:
                lifted.add(id(s))
            out[id(s)] = max(out[id(s)], MIN_ABOUT)
    return out


def _named(got: Retrieved, scope: list[str]) -> frozenset[str]:
    """The documents a topic names by words that are no search terms ("bevindingen van de
    inspecties", "wat de Kamerbrief zegt over ..."): what they say is what the topic asks for."""
    named = got.named & set(scope)
    if not named or named == set(scope) or set(got.terms.terms) & NAMING_STEMS:
        return frozenset()
    return frozenset(named)


def _closest_floor(pool: list[ScoredSentence]) -> float:
    """The similarity of the least close of the CLOSEST share of the retrieved sentences."""
    close = sorted((s.similarity for s in pool if not s.pair), reverse=True)
    return close[int(CLOSEST * len(close))] if close else 1.0


def _leaning(text: str, spans: list[tuple[int, int]], i: int) -> str:
    """A paragraph, with the one before when it opens by leaning on it ("Zo treedt per 1 januari 2026
    de Wet ... in werking" after "... via de Hervormingsagenda ...")."""
    a, b = spans[i]
    if i and leans_back(text[a:b]):
        return f"{text[slice(*spans[i - 1])]} {text[a:b]}"
    return text[a:b]


def _about(terms, core: list[tuple[str, str]], s: ScoredSentence, paragraph: str) -> float:
    """How much of the topic a sentence covers with the title of its section (a table row: with its
    table's heading and row label), or, a little less, its paragraph does: a paragraph on "JB Noord"
    names it once, its figures stand in the sentences after."""
    own = s.chunk.search_text.split(" per peildatum")[0] if s.chunk.table_row else _with_section(s)
    context = f"{paragraph} {' '.join(s.chunk.section_path)}"
    said = [own if s.chunk.table_row else s.text, paragraph, *s.chunk.section_path]
    if core:
        stemmed = set(stems(" ".join(said)))
        if not any(_names(terms, stem, word, said, stemmed) for stem, word in core):
            return 0.0
    if s.chunk.table_row:  # a row is its own paragraph; the table's other rows are not about it
        return terms.coverage(own, parts=True)
    return max(terms.coverage(own, parts=True), PARAGRAPH_WEIGHT * terms.coverage(context, parts=True))


def _names(terms, stem: str, word: str, texts: list[str], said: set[str]) -> bool:
    """Whether `texts` (whose stems are `said`) name what the topic names by `word` (its rarest word):
    by another name the documents define ("RvdK"), or as the word itself and not part of another name
    (`QueryTerms.name_neighbours`): "Jeugdbescherming West" is not named by "Zuid West",
    "Jeugdbescherming Noord" not by "Noord Nederland"."""
    if stem not in terms.with_aliases(said):
        return False
    if stem not in said:
        return True
    for text in texts:
        for m in re.finditer(rf"(?<![\w&]){re.escape(word)}(?![\w&])", text, re.I):
            before = re.search(r"([\w&]+)[ -]$", text[:m.start()])
            if before and text[:before.start()].rstrip()[-1:] in _OPENS:  # "Gemeente Amsterdam verstrekt ...": a capital
                before = None  # that opens a sentence or title says nothing
            after = re.match(r"[ -]([\w&]+)", text[m.end():])
            if not any(n and n.group(1)[:1].isupper() and n.group(1).lower() not in terms.name_neighbours
                       for n in (before, after)):
                return True
    return False


def _with_section(s: ScoredSentence) -> str:
    """A sentence with the title of its section: what it says of a topic in its own words."""
    return f"{s.text} {' '.join(s.chunk.section_path)}"


@dataclass
class Scope:
    on: str  # what the note is on; "" for nothing
    unknown: list[str]  # the words of the topic no document uses
    known: list[str] = field(default_factory=list)  # of a topic in parts, the parts the documents do name


def _scope(index: Index, searched: str) -> Scope:
    """What the note is on. A word no document uses, in a phrase after a preposition, sets where
    the whole topic stands ("wachtlijsten en tarieven in de kinderopvang"): nothing to brief on.
    A subject of its own beside others ("groei jeugdhulpgebruik en reikwijdte van de jeugdzorg")
    leaves the parts the documents do name; one in a clause only itself (the README has what was tried)."""
    unknown = unknown_words(index, searched)
    if not unknown:
        return Scope(searched, [])
    # a word in a clause says what befalls the topic's subject, not what it is: "kinderen die hun vaste
    # jeugdbeschermer kwijtraken" is briefed without "kwijtraken", as a past tense goes (`_searched`)
    aside = {w for part in topic_parts(searched) or [searched] for w in unknown_words(index, part) if _in_clause(part, w)}
    searched = " ".join("…" + w[len(w.rstrip(",.?!:;")):] if w.strip(",.?!:;()") in aside else w for w in searched.split())
    if set(unknown) <= aside:
        return Scope(searched, unknown)
    missing = {part: unknown_words(index, part) for part in topic_parts(searched) or [searched]}
    known = [part for part, words in missing.items() if not words]
    scoped = any(_after_preposition(part, word) for part, words in missing.items() for word in words)
    return Scope("" if scoped else " en ".join(known), unknown, known)


def _after_preposition(part: str, word: str) -> bool:
    return any(w in PREPOSITIONS for w in _before(part, word))


def _in_clause(part: str, word: str) -> bool:
    """In a clause and in no phrase of it after a preposition: "die hun vaste jeugdbeschermer kwijtraken",
    not "die werken in Caribisch Nederland"."""
    before = _before(part, word)
    opens = [i for i, w in enumerate(before) if w in RELATIVE_PRONOUNS]
    return bool(opens) and not any(w in PREPOSITIONS for w in before[opens[-1]:])


def _before(part: str, word: str) -> list[str]:
    """The words of `part` before `word`, lower case; none when it is not there."""
    words = [w.strip(",.?!:;()").lower() for w in part.split()]
    return words[: words.index(word.lower())] if word.lower() in words else []


def _uncovered(index: Index, scope: Scope, found: Found | None) -> str | None:
    """Why the sources do not cover the topic: a word of it the documents never use where it
    sets the whole topic's scope (see `_scope`; the parts they do name as a topic to try
    instead), or the refusal gate's judgement (what the topic names may stand in any document's
    passages). A topic that lacks a subject is briefed on the rest only when one sentence says
    PARTIAL_COVERAGE of it: "sextortion en online seksuele afpersing" has no note on "afpersing"."""
    if found is None:
        instead = f" Een notitie kan wel over {' of '.join(f'‘{p}’' for p in scope.known)}." if scope.known else ""
        return f"De documenten noemen {', '.join(scope.unknown)} nergens.{instead}"
    passages = {s.chunk.id: s.chunk.search_text for s in found.pool}
    verdict = refusal.judge(index, found.topic, more=" ".join(passages.values()))
    if verdict.refuse and not verdict.partial:
        return verdict.reason
    if scope.unknown and not _said(found):
        return f"De documenten noemen {', '.join(scope.unknown)} nergens, en over ‘{scope.on}’ zeggen ze weinig."
    return None


def _said(found: Found) -> bool:
    """Whether the documents say what is left of a topic with a subject no document names: one
    sentence says PARTIAL_COVERAGE of it, or one section names its weightiest word in PARTIAL_BREADTH
    sentences, the section on it ("5.18 Onvoldoende aandacht voor erkenning en herstel" for "excuses
    na misstanden in de jeugdzorg"); "online seksuele afpersing" stands in one sentence on crime."""
    if max((s.coverage for s in found.topic.sentences), default=0.0) >= PARTIAL_COVERAGE:
        return True
    terms = found.topic.terms.terms
    weightiest = max(terms, key=terms.get, default=None)
    sections = Counter(s.chunk.section for s in found.topic.sentences if not s.pair and weightiest in stems(s.text))
    return max(sections.values(), default=0) >= PARTIAL_BREADTH


# --- Wat de bronnen zeggen ---------------------------------------------------------------------

def _points(index: Index, found: Found, cited: set[tuple[str, str]] = frozenset()) -> list[Draft]:
    """Per document, newest first: its best one to MAX_POINTS sentences on the topic, each from
    another place and no repeat of one already chosen, each citing too where the document tells it
    again. A sentence from a section the key figures or the announcements already cite (`cited`)
    weighs CITED_PLACE less: of two about as good, the note shows the one that adds a place. One from
    a section that says much on the topic weighs up to BREADTH more: the section on it, not a side
    remark ("3.8 Uithuisplaatsing" for uithuisplaatsing)."""
    drafts = []
    for doc_id in _newest_first(index, found.by_document):
        chosen: list[ScoredSentence] = []
        breadth = Counter(s.chunk.section for s in found.by_document[doc_id] if not s.pair)
        candidates = sorted((s for s in found.by_document[doc_id]
                             if not s.chunk.table_row and not s.pair and _statement(s.text)),
                            key=lambda s: s.score + found.about[id(s)] - CITED_PLACE * ((s.chunk.source_id, s.chunk.section) in cited)
                            + BREADTH * min(breadth[s.chunk.section], BREADTH_CAP) / BREADTH_CAP,
                            reverse=True)
        for s in candidates:
            if len(chosen) == MAX_POINTS:
                break
            if not _says_itself(found, s):  # a document with nothing else on the topic gets no point
                continue
            if any(c.chunk.section == s.chunk.section or similar(s.text, c.text) for c in chosen):
                continue  # another place, and no repeat of a quote the document gives twice
            chosen.append(s)
        for s in sorted(chosen, key=lambda s: s.start):  # in the order of the document
            where = f"{s.chunk.section}: "
            if leans_back(s.text):  # "Dit leidt ertoe dat ...": with the sentence it leans on
                s = with_previous(index, s) or s
            quote = sentence_quote(s)
            drafts.append(Draft(f"{where}“{s.text}”", [quote, *retold(index, quote, MIN_POINT_WORDS)], (where,)))
    return drafts


def _says_itself(found: Found, s: ScoredSentence) -> bool:
    """Whether a sentence about the topic by its meaning only (`Found.lifted`) still says SAID_BY_MEANING
    of it in its own words: one that does not is mostly about something else. Blind readers judged 103
    of 143 such points off the topic (23 topics), and 18 of the 19 such announcements among 80 read."""
    return id(s) not in found.lifted or found.topic.terms.coverage(_with_section(s), parts=True) >= SAID_BY_MEANING


def _statement(text: str) -> bool:
    """A sentence that says something: not a web address, a footnote, a title fragment, a colophon line,
    a list item ("... (GI's);") or the line that introduces a list ("... het volgende:")."""
    return (len(text.split()) >= MIN_POINT_WORDS and not _ADDRESS.search(text) and text.rstrip()[-1:] in ".!?”’)"
            and not _FOOTNOTE.match(text) and not text[:1].islower() and text[:1] not in ")]")  # not the rest of a broken line


def _newest_first(index: Index, ids) -> list[str]:
    return sorted(ids, key=lambda i: index.documents[i].source.date, reverse=True)


# --- Waar de bronnen verschillen ----------------------------------------------------------------

def _conflicts(index: Index, found: Found, sources: list[str] | None) -> list[list[Reading]]:
    """The same measure for the same period with different values. A broad topic covers many
    measures, so figures are compared only with those that stand among the same words of the
    topic ("personeelsverloop" with "personeelsverloop", not with "ziekteverzuim"), and only when
    those words weigh: two counts of "kinderen" on a topic about children measure different things.
    Each measure found is also looked up on its own in all documents (`_cross_check`): a document
    that says much on the topic may give the other value in a passage the topic did not retrieve,
    one that does not name the topic's words but does name what the measure counts."""
    # what is counted, not when: "2022" in "wat de inspecties in 2022 zagen" would make one measure of the
    # 4.284 children waiting at the Raad on 1 januari 2022 and the 17 children per jeugdbeschermer in 2022
    terms = conflicts.what_terms(found.topic.terms.terms)
    least = KEY_WEIGHT * max(terms.values(), default=0.0)

    def counts(m) -> bool:
        return bool(m.unit and (m.date or conflicts.named_kind(m) or conflicts.described(m)))

    def counted(m) -> set[str]:  # what a figure counts: what its sentence says, or the named kind itself
        return conflicts.described(m) or (set(stems(m.unit)) if conflicts.named_kind(m) else set())

    def words(r: Reading) -> frozenset:  # not the figure's own words, unless they name its kind: "92 procent" is no measure
        own = set() if conflicts.named_kind(r.mention) else set(stems(r.mention.phrase))
        return frozenset(t for t in terms if t in r.mention.context() and t not in own)

    def readings(sentences: list[ScoredSentence]) -> list[Reading]:
        return [Reading(m, s) for s in sentences if not s.chunk.table_row for m in mentions(s.text) if counts(m)]

    def comparable(sentences: list[ScoredSentence]) -> list[Reading]:  # none for a topic of only a date and a document
        return [r for r in readings(sentences) if words(r) and sum(terms[t] for t in words(r)) >= least]

    found_readings = _distinct(comparable(found.sentences))
    keyed = [(r, words(r)) for r in found_readings]
    seen = {(s.chunk.source_id, s.start, s.end) for s in found.sentences}
    extra = []
    for anchor, sentences in _cross_check(index, found_readings, sources):
        unseen = [s for s in sentences if (s.chunk.source_id, s.start, s.end) not in seen and not s.pair]
        extra += unseen
        # the anchor's measure, where the topic's words do not stand around it ("Op 1 oktober 2024 waren
        # deze respectievelijk 16,1% ..." for the turnover a topic on the GI-monitor found), or stand
        # there but fewer of them ("de 26 Veilig Thuis organisaties verschillen" for regional differences):
        # the anchor's group; read in pairs too, as only the pair may say what such a figure counts
        # (what it counts beyond the topic's own words must stand around the other figure)
        what = counted(anchor.mention) - set(terms)
        keyed += [(r, words(anchor)) for r in readings(sentences)
                  if what and what <= r.mention.context() and conflicts.same_measure(anchor.mention, r.mention)]
        keyed += [(r, words(r)) for r in comparable(unseen)]
    group_of: dict[tuple[str, int], frozenset] = {}
    for r, key in keyed:  # a reading found twice stays in the group it was found in first
        group_of.setdefault(_position(r), key)
    every = _distinct([r for r, _ in keyed])
    by_words: dict[frozenset, list[Reading]] = {}
    for r in every:
        by_words.setdefault(group_of[_position(r)], []).append(r)
    out = []
    for readings in by_words.values():
        for group in conflicts.groups(readings):
            if len({(r.sentence.chunk.source_id, r.sentence.chunk.section) for r in group}) > 1 or conflicts.restated(*group[:2]):
                out.append(group)
    return (out + conflicts.against_latest(every) + conflicts.event_dates(found.sentences + extra)
            + conflicts.told_twice(found.sentences) + conflicts.terms_in_two_units(found.sentences))


def _position(r: Reading) -> tuple[str, int]:
    return r.sentence.chunk.source_id, r.sentence.start + r.mention.start


def _distinct(readings: list[Reading]) -> list[Reading]:
    """One reading per figure of a document: a sentence and the pair that holds it read the same
    figure; the sentence, unless only the pair says what it counts ("... respectievelijk 16,1%")."""
    def rank(r: Reading) -> tuple[bool, bool]:
        return bool(r.mention.context()), not r.sentence.pair

    out: dict[tuple[str, int], Reading] = {}
    for r in readings:
        key = _position(r)
        if key not in out or rank(r) > rank(out[key]):
            out[key] = r
    return list(out.values())


def _cross_check(index: Index, readings: list[Reading], sources: list[str] | None) -> list[tuple[Reading, list[ScoredSentence]]]:
    """Per each of the first CROSS_CHECKS measures, searched on its own ("Veilig Thuis
    organisaties", "Het personeelsverloop bij de GI's"): the first reading of it and the sentences found."""
    queries: dict[str, Reading] = {}
    for r in readings:
        queries.setdefault(key_figures.measure(r.mention, r.mention.sentence), r)
    return [(r, retrieve(index, q, CROSS_CHECK_PASSAGES, sources).sentences) for q, r in list(queries.items())[:CROSS_CHECKS]]


# --- Toezeggingen en aangekondigde maatregelen -----------------------------------------------

def _commitments(index: Index, found: Found) -> list[tuple[Draft, str | None]]:
    """Sentences that announce a measure or promise, newest document first, with their timing as
    written: about the topic, or in a section that is (a letter announces what it will do about a
    problem in the paragraph on that problem, often without naming it again)."""
    sections = {(s.chunk.source_id, s.chunk.section) for s in found.sentences if found.about[id(s)] >= STRONG_ABOUT}
    per_document: dict[str, list[tuple[ScoredSentence, str | None]]] = {}  # each announcement with its timing
    for doc_id in _newest_first(index, found.by_document):
        after = _document_date(index, doc_id)
        quoted = index.documents[doc_id].source.kind in QUOTING_KINDS
        chosen: list[ScoredSentence] = []
        ranked = sorted((s for s in found.pool if s.chunk.source_id == doc_id), key=lambda s: s.score + found.about[id(s)],
                        reverse=True)
        for s in ranked:
            on_topic = found.about[id(s)] >= MIN_ABOUT or (doc_id, s.chunk.section) in sections
            if s.chunk.table_row or s.pair or not on_topic or not _says_itself(found, s):
                continue
            if not _statement(s.text) \
                    or not (announces(s.text, after, quoted) or announced_where(index.documents[doc_id].text, s.start, s.end, s.chunk.section, after)):
                continue
            if any(overlaps(s, c) or similar(s.text, c.text) for c in chosen):
                continue
            chosen.append(s)
        timed = sorted(((s, timing(s.text, after)) for s in chosen), key=lambda pair: pair[1] is None)  # a promise with a date first
        per_document[doc_id] = timed[:MAX_COMMITMENTS_PER_DOCUMENT]
    # every document its best in turn (newest first within a turn), so the newest does not crowd out
    # what an older one announced
    turns = sorted((rank, order, doc_id) for order, (doc_id, chosen) in enumerate(per_document.items())
                   for rank in range(len(chosen)))[:MAX_COMMITMENTS]
    kept = Counter(doc_id for _, _, doc_id in turns)
    out = []
    for doc_id, timed in per_document.items():
        for s, when in sorted(timed[: kept[doc_id]], key=lambda pair: pair[0].start):
            where = f"{s.chunk.section}: "
            out.append((Draft(f"{where}“{s.text}”", [sentence_quote(s)], (where,)), when))
    return out


def _document_date(index: Index, doc_id: str) -> tuple[int, int | None] | None:
    parts = index.documents[doc_id].source.date.split("-")
    try:
        return int(parts[0]), int(parts[1]) if len(parts) > 1 else None
    except ValueError:
        return None


# --- With a model: the points as prose claims ----------------------------------------------------

def _generate(assistant, note: Briefing, topic: str, points: list[Draft]) -> list[Draft]:
    """The model rewrites the points as short claims over the same sentences (numbered blocks),
    and may add suggestions; every claim is checked by `assemble` later. On any failure the
    extracted points stay, with the reason; so do those of a document the model wrote nothing on."""
    index = assistant.index
    blocks: list[Block] = []
    for draft in points:  # the points' own sentences, one block per passage: the prompt stays short
        quote = draft.quotes[0]
        same = next((b for b in blocks if b.chunk.id == quote.chunk.id), None)
        if same:
            same.spans.append((quote.start, quote.end))
        else:
            blocks.append(Block(len(blocks) + 1, quote.chunk, [(quote.start, quote.end)]))
    context = format_blocks(index, blocks)
    started, usage = time.perf_counter(), {}
    try:
        reply = None
        deltas = assistant.generator.stream_answer(topic, context, BRIEF_SCHEMA, usage, "brief")
        for item in generative.read(index, deltas, blocks):
            if isinstance(item, generative.Generated):
                reply = item
    except GenerationError as exc:
        return _fall_back(note, points, str(exc))
    finally:
        note.timing_ms["generate"] = int((time.perf_counter() - started) * 1000)
    if reply.refused or reply.problem:
        return _fall_back(note, points, reply.problem or "Het model schreef geen standpunten.")
    note.suggestions = _suggestions(reply.raw)
    claims = [d for d in reply.drafts if d.kind == "claim"]
    # a document the model wrote nothing on keeps its extracted points: the note still says what each document says
    covered = {q.chunk.source_id for d in claims for q in d.quotes}
    claims += [p for p in points if p.quotes and p.quotes[0].chunk.source_id not in covered]
    dates = {doc_id: doc.source.date for doc_id, doc in index.documents.items()}
    return sorted(claims, key=lambda d: dates.get(d.quotes[0].chunk.source_id, "") if d.quotes else "", reverse=True)


def _fall_back(note: Briefing, points: list[Draft], reason: str) -> list[Draft]:
    note.mode, note.model = "extractive", None
    note.warning = _join(note.warning, f"{reason} Daarom staan de standpunten er als letterlijke citaten.")
    return points


def _suggestions(raw: str) -> list[BriefSuggestion]:
    try:
        data = json.loads(raw)
    except ValueError:
        return []
    out = []
    for key, kind in (("niet_in_bronnen", "gap"), ("vragen", "question")):
        items = data.get(key) if isinstance(data, dict) else None
        out += [BriefSuggestion(kind, " ".join(t.split())) for t in items or []
                if isinstance(t, str) and len(re.findall(r"[^\W\d_]{2,}", t)) >= MIN_SUGGESTION_WORDS]  # not "..."
    return out


# --- Numbering and checking, one pass for the whole note ---------------------------------------

def _finish(index: Index, note: Briefing, figures: list[KeyFigure], points: list[Draft], groups: list[list[Reading]],
            commitments: list[tuple[Draft, str | None]]) -> None:
    """All parts as claims through one `assemble`: one numbering of the citations, every claim
    checked against its own quotes. A figure whose value is not verbatim in its quote is left out."""
    figure_drafts = [Draft(f"{f.measure}: {f.value}" + (f" ({f.date})" if f.date else ""), f.quotes) for f in figures]
    conflict_drafts = [Draft(" / ".join(_side(r) for r in group), [sentence_quote(r.sentence) for r in group],
                             kind="conflict") for group in groups]
    drafts = figure_drafts + points + conflict_drafts + [d for d, _ in commitments]
    done = assemble(index, drafts)
    claims = iter(done.claims)
    for f in figures:
        claim = next(claims)
        cited = [n for n in claim.citations if normalise(f.value) in normalise(done.citations[n - 1].quote)]
        if claim.supported and cited:
            note.figures.append(BriefFigure(f.measure, f.value, f.date, claim.citations, f.core))
    for draft in points:
        claim = next(claims)
        source = draft.quotes[0].chunk.source_id if draft.quotes else ""
        note.points.append(Point(source, _marked(claim.text, claim.citations), claim.citations, claim.supported,
                                 claim.why))
    for group in groups:
        next(claims)
        conflict = conflicts.record(group, done.numbers_of)
        first = group[0].mention  # named as in the figures table; a date by the event it dates
        conflict.measure = key_figures.around(first.text, first.date.start, first.date.end) if first.label == "datum" else key_figures.measure(first, first.sentence)
        conflict.note = _why_they_differ(index, group)
        note.conflicts.append(conflict)
    for _, when in commitments:
        claim = next(claims)
        note.commitments.append(Commitment(_marked(claim.text, claim.citations), when, claim.citations))
    used = sorted({n for f in note.figures for n in f.citations} | {n for p in note.points for n in p.citations}
                  | {n for c in note.conflicts for v in c.values for n in v.citations}
                  | {n for c in note.commitments for n in c.citations})
    _renumber(note, done.citations, used)


def _renumber(note: Briefing, citations: list[Citation], used: list[int]) -> None:
    """Citations only of what the note shows (a left-out figure cites nothing), numbered 1..n."""
    new = {old: i for i, old in enumerate(used, 1)}
    note.citations = []
    for old in used:
        c = citations[old - 1]
        c.n = new[old]
        note.citations.append(c)

    def renumber(ns: list[int]) -> list[int]:
        return [new[n] for n in ns if n in new]

    for f in note.figures:
        f.citations = renumber(f.citations)
    for p in note.points:
        p.citations, p.text = renumber(p.citations), _remark(p.text, new)
    for c in note.conflicts:
        for v in c.values:
            v.citations = renumber(v.citations)
    for c in note.commitments:
        c.citations, c.text = renumber(c.citations), _remark(c.text, new)


def _marked(text: str, citations: list[int]) -> str:
    return f"{text} " + "".join(f"[{n}]" for n in citations) if citations else text


def _remark(text: str, new: dict[int, int]) -> str:
    return re.sub(r"\[(\d+)\]", lambda m: f"[{new.get(int(m.group(1)), m.group(1))}]", text)


def _why_they_differ(index: Index, group: list[Reading]) -> str | None:
    """Where a side's own sentence says its figure is measured otherwise ("andere peildatum"): that
    sentence, quoted with its place. When one sentence gives both values for one date, or no side
    gives a date, that fact (with the documents' dates). Never a guess."""
    for r in group:
        if MEASURED_OTHERWISE.search(r.mention.sentence):
            s = r.sentence
            return f"{document_name(index, s.chunk.source_id)}, {s.chunk.section}: “{r.mention.sentence.strip()}”"
    if len({r.place for r in group}) == 1 and conflicts.restated(*group[:2]):
        return "Dezelfde zin geeft beide waarden voor dezelfde datum."
    if conflicts.undated(group):
        documents = list(dict.fromkeys(r.sentence.chunk.source_id for r in group))
        dates = " en ".join(dict.fromkeys(format_date(index.documents[d].source.date) for d in documents))
        relative = list(dict.fromkeys(t for r in group if (t := relative_time(r.mention.sentence))))
        said = f" (alleen ‘{'’, ‘'.join(relative)}’)" if relative else ""
        written = f"het document is van {dates}" if len(documents) == 1 else f"de documenten zijn van {dates}"
        return f"Geen van de bronnen noemt een datum bij dit cijfer{said}; {written}."
    return None


def _side(r: Reading) -> str:
    return f"{r.sentence.chunk.section}: {dated_phrase(r.mention, None)}"


def _join(*parts: str | None) -> str | None:
    text = " ".join(p for p in parts if p)
    return text or None
