"""Hybrid retrieval: dense (Chroma) and lexical (BM25, Dutch stemmer) fused by rank, then
reranked on sentence level.

Lexical search is the stronger half on these documents (figures, names, Dutch compounds),
so it weighs more in the fusion. The rerank asks of each candidate whether one of its
sentences answers: the question's terms together in one sentence, a sentence close to the
question in embedding space, the years and figures asked about, the document named.
"""
from __future__ import annotations

import re
import time
import weakref
from dataclasses import dataclass, field

import numpy as np

from . import answer_types, query
from .dutch import FIGURE_IN_TEXT, lexical_form, normalise, stems, with_dutch_terms
from .index import Index
from .query import QueryTerms, analyse, mentioned_sources, topic
from .types import Chunk, Passage

CANDIDATES = 40
RERANK = 20
RRF_K = 20
WEIGHTS = {"lexical": 1.0, "dense": 0.7}
BONUS = {"sentence": 0.6, "chunk": 0.3, "figures": 0.3, "named": 0.25, "sentence_dense": 2.0}
MAX_PARTS = 3  # parts of a question searched on their own
PART_CANDIDATES = 3  # ... each with the best sentences of its first passages
TABLE_DATE_BONUS = 0.3
PAIR_PENALTY = 0.15
FIGURE_BONUS = 0.1  # a "hoeveel" question is answered by a sentence with a number in it
TYPE_BONUS = 0.15  # ... and better by one with the kind of figure asked for
# A sentence's score: its own coverage of the question, its closeness to it, and the coverage of
# its passage with the section title (a sentence in a section about the question answers more often).
SENTENCE_WEIGHTS = {"coverage": 1.0, "dense": 1.0, "context": 0.2, "heading": 0.5}


@dataclass
class ScoredSentence:
    chunk: Chunk
    start: int
    end: int
    text: str
    score: float
    coverage: float
    similarity: float
    pair: bool = False  # two adjacent sentences


@dataclass
class Retrieved:
    passages: list[Passage]
    terms: QueryTerms
    sentences: list[ScoredSentence]  # sentences of the passages, best first
    ms: int
    named: set[str]  # documents the question names
    # for a question in parts: per part its best sentences (of its first passages), best first
    parts: list[list[ScoredSentence]] = field(default_factory=list)
    vector: np.ndarray | None = None  # the question's embedding, for `figure_sentences`


def retrieve(index: Index, question: str, k: int = 8, sources: list[str] | None = None, focus: str | None = None) -> Retrieved:
    """`focus`: the follow-up a standalone `question` was made from (see `query.analyse`). A
    question in parts is also searched part by part, so each part finds its own place."""
    started = time.perf_counter()
    sources = [s for s in (sources or []) if s in index.sources] or None
    question = with_dutch_terms(question)  # a question in English is searched with the documents' words
    query_vector = index.embedder.query(topic(question))
    terms = analyse(index, question, focus)
    documents = [d.source for d in index.documents.values()]
    named = mentioned_sources(question, documents)
    order, fused, scored = _ranked(index, question, query_vector, terms, sources, named)
    if len(named) > 1:  # "the letter ... and the bloemlezing": each named document among the first passages
        firsts = [next((cid for cid in order if index.by_id[cid].source_id == doc), None) for doc in sorted(named)]
        order = list(dict.fromkeys([order[0], *(cid for cid in firsts if cid), *order]))
    order = order[:k]
    passages = [Passage(index.by_id[cid], fused[cid], rank + 1) for rank, cid in enumerate(order)]
    ranked_sentences = sorted((s for cid in order for s in scored[cid]), key=lambda s: s.score, reverse=True)
    answers_parts = []
    asked = query.parts(question) if focus is None and terms.compound else []
    for part in asked[:MAX_PARTS] if len(asked) > 1 else []:
        # the part's words count double, the rest of the question still says what it is about
        part_terms = analyse(index, question, part)
        vector = index.embedder.query(topic(part))
        # a part that names its own document ("..., en wat zegt de Kamerbrief") is searched in it
        own = mentioned_sources(part, documents) & named
        within = [s for s in own if sources is None or s in sources] or sources
        part_order, part_fused, part_scored = _ranked(index, f"{part} {question}", vector, part_terms, within, own or named)
        # the part's best sentence of each of its first passages, best first
        firsts = [max((s for s in part_scored[cid] if not s.pair), key=lambda s: s.score, default=None)
                  for cid in part_order[:PART_CANDIDATES]]
        candidates = sorted((s for s in firsts if s is not None), key=lambda s: s.score, reverse=True)
        if candidates:
            answers_parts.append(candidates)
            for s in candidates:
                if s.chunk.id not in order:
                    order.append(s.chunk.id)
                    passages.append(Passage(s.chunk, part_fused[s.chunk.id], len(passages) + 1))
    return Retrieved(passages, terms, ranked_sentences, int((time.perf_counter() - started) * 1000), named, answers_parts,
                     query_vector)


def figure_sentences(index: Index, retrieved: Retrieved, question: str, sources: list[str] | None) -> list[ScoredSentence]:
    """Beyond the reranked passages: the sentences with a figure of the further passages the
    question's words find lexically, scored as any. A briefing's key figures often stand in a
    passage that says little else of the topic, below the rerank's width."""
    seen = {p.chunk.id for p in retrieved.passages}
    out = []
    for chunk_id, _ in _lexical(index, question, sources):
        chunk = index.by_id[chunk_id]
        if chunk_id in seen or chunk.table_row or not FIGURE_IN_TEXT.search(chunk.text):
            continue
        out += [s for s in score_sentences(index, chunk, retrieved.terms, retrieved.vector)
                if not s.pair and re.search(r"\d", s.text)]
    return out


def _ranked(index: Index, text: str, vector: np.ndarray, terms: QueryTerms, sources: list[str] | None,
            named: set[str]) -> tuple[list[str], dict[str, float], dict[str, list[ScoredSentence]]]:
    """Candidates by lexical and dense rank fused, then reranked on their sentences: the chunk
    ids best first, their scores, and their scored sentences."""
    fused: dict[str, float] = {}
    for name, ranked in (("lexical", _lexical(index, text, sources)), ("dense", _dense(index, vector, sources))):
        for rank, (chunk_id, _) in enumerate(ranked):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + WEIGHTS[name] / (RRF_K + rank + 1)
    top = sorted(fused, key=fused.get, reverse=True)[:RERANK]
    best = max(fused.values(), default=1.0)
    scored = {cid: score_sentences(index, index.by_id[cid], terms, vector) for cid in top}
    for cid in top:
        fused[cid] = fused[cid] / best + rerank_bonus(index.by_id[cid], scored[cid], terms, named)
    return sorted(top, key=fused.get, reverse=True), fused, scored


def score_sentences(index: Index, chunk: Chunk, terms: QueryTerms, query_vector: np.ndarray) -> list[ScoredSentence]:
    """Every sentence of the chunk, and every pair of adjacent sentences: an answer often
    spans two ("De ambitie is 2500 extra pleeggezinnen." after the sentence that names the
    campaign). A pair pays a small price, so a single sentence that answers wins."""
    text = index.documents[chunk.source_id].text
    context = SENTENCE_WEIGHTS["context"] * terms.coverage(chunk.search_text)
    if terms.where:  # "in welke paragraaf ...": the section whose title says it, not the one named like the document
        title = set(stems(index.documents[chunk.source_id].source.title))
        context += SENTENCE_WEIGHTS["heading"] * terms.coverage(" ".join(chunk.section_path), ignore=title)
    rows = index.sentences_of.get(index.row[chunk.id], [])
    sims = index.sentence_vectors[rows] @ query_vector if rows else np.zeros(0)
    spans = [tuple(int(x) for x in index.sentence_spans[n]) for n in rows]
    out = [_scored(chunk, text, terms, a, b, float(sim), context) for (a, b), sim in zip(spans, sims)]
    if not chunk.table_row:
        for (a, b), (c, d), s1, s2 in zip(spans, spans[1:], sims, sims[1:]):
            if not text[b:c].strip():  # only what stands together in the source
                pair = _scored(chunk, text, terms, a, d, float(max(s1, s2)), context)
                pair.score -= PAIR_PENALTY
                pair.pair = True
                out.append(pair)
    return out


def with_previous(index: Index, s: ScoredSentence) -> ScoredSentence | None:
    """The pair of a sentence and the one right before it in its section (in the passage before, for the
    first sentence of a passage), scored as the sentence."""
    text = index.documents[s.chunk.source_id].text
    row = index.row[s.chunk.id]
    rows = [row - 1, row] if row and index.chunks[row - 1].source_id == s.chunk.source_id \
        and index.chunks[row - 1].section_path == s.chunk.section_path else [row]
    spans = [tuple(int(x) for x in index.sentence_spans[n]) for r in rows for n in index.sentences_of.get(r, [])]
    before = [a for a, b in spans if b <= s.start and not text[b : s.start].strip()]
    if not before:
        return None
    start = before[-1]
    return ScoredSentence(s.chunk, start, s.end, normalise(text[start : s.end]), s.score, s.coverage, s.similarity, pair=True)


def counts_asked(chunk: Chunk, terms: QueryTerms) -> bool:
    """A table row counts what its label says; the table's heading alone ("Ontwikkeling ... sinds
    2022") does not make its rows an answer. Any other passage: True."""
    return not chunk.table_row or bool(terms.coverage(chunk.search_text.split(" per peildatum")[0].split("\n")[-1]))


def _scored(chunk: Chunk, text: str, terms: QueryTerms, a: int, b: int, sim: float, context: float) -> ScoredSentence:
    sentence = normalise(text[a:b])
    asked = counts_asked(chunk, terms)
    if chunk.table_row:
        coverage = terms.coverage(chunk.search_text.split(" per peildatum")[0])  # table heading and row label
        if asked and any(d in lexical_form(chunk.search_text).lower() for d in terms.dates):
            coverage += TABLE_DATE_BONUS  # the row has a cell for the peildatum asked about
    else:
        coverage = terms.coverage(sentence)
    score = SENTENCE_WEIGHTS["coverage"] * coverage + SENTENCE_WEIGHTS["dense"] * sim + context
    if terms.want and asked and answer_types.holds(sentence, terms.want, chunk.table_row):
        score += TYPE_BONUS  # "hoeveel kinderen": a sentence that counts children
    elif terms.wants_figure and FIGURE_IN_TEXT.search(sentence):
        score += FIGURE_BONUS
    return ScoredSentence(chunk, a, b, sentence, score, coverage, sim)


def rerank_bonus(chunk: Chunk, sentences: list[ScoredSentence], terms: QueryTerms, named: set[str]) -> float:
    bonus = BONUS["chunk"] * terms.coverage(chunk.search_text)
    sentences = [s for s in sentences if not s.pair]
    if sentences:
        bonus += BONUS["sentence"] * max(s.coverage for s in sentences)
        bonus += BONUS["sentence_dense"] * max(s.similarity for s in sentences)
    wanted = terms.years | terms.numbers
    if wanted:
        found = lexical_form(chunk.search_text)
        bonus += BONUS["figures"] * sum(w in found for w in wanted) / len(wanted)
    if chunk.source_id in named:
        bonus += BONUS["named"]
    return bonus


def _lexical(index: Index, question: str, sources: list[str] | None) -> list[tuple[str, float]]:
    tokens = list(stems(question))
    if not tokens:
        return []
    mask = None
    if sources:
        mask = np.array([1 if c.source_id in sources else 0 for c in index.chunks])
    scores = index.bm25.bm25.get_scores(tokens, weight_mask=mask)
    top = np.argsort(-scores)[:CANDIDATES]
    return [(index.chunks[i].id, float(scores[i])) for i in top if scores[i] > 0]


def _dense(index: Index, vector: np.ndarray, sources: list[str] | None) -> list[tuple[str, float]]:
    """Nearest chunks in Chroma. Straight to the collection, asking for ids and distances only:
    through llama-index's retriever, which also fetches texts and metadata and builds nodes,
    this took 30-65 ms instead of 6 ms at 30,000 chunks (benchmarks/scale.py), in the same order."""
    where = {"source_id": {"$in": sources}} if sources else None
    found = index.collection.query(query_embeddings=[vector.tolist()], n_results=CANDIDATES, where=where, include=["distances"])
    return [(chunk_id, 1.0 - float(distance)) for chunk_id, distance in zip(found["ids"][0], found["distances"][0])]


_FIGURED: "weakref.WeakKeyDictionary[Index, np.ndarray]" = weakref.WeakKeyDictionary()


def _figured_rows(index: Index) -> np.ndarray:
    """The rows of `index.sentence_vectors` whose sentence holds a figure (read once per index)."""
    if index not in _FIGURED:
        rows = [n for n, (row, (a, b)) in enumerate(zip(index.sentence_rows.tolist(), index.sentence_spans.tolist()))
                if not index.chunks[row].table_row
                and FIGURE_IN_TEXT.search(index.documents[index.chunks[row].source_id].text[a:b])]
        _FIGURED[index] = np.array(rows, dtype=np.int64)
    return _FIGURED[index]


def closest_figure_sentences(index: Index, retrieved: Retrieved, k: int, sources: list[str] | None) -> list[ScoredSentence]:
    """The `k` sentences with a figure closest in meaning to the question, wherever they stand:
    a key figure may stand in a passage whose words the question does not use."""
    rows = _figured_rows(index)
    if sources:
        rows = np.array([n for n in rows if index.chunks[index.sentence_rows[n]].source_id in sources], dtype=np.int64)
    if not len(rows):
        return []
    sims = index.sentence_vectors[rows] @ retrieved.vector
    scored: dict[str, dict[tuple[int, int], ScoredSentence]] = {}  # each chunk scored once
    out = []
    for n in rows[np.argsort(-sims)[:k]].tolist():
        chunk = index.chunks[index.sentence_rows[n]]
        if chunk.id not in scored:
            scored[chunk.id] = {(s.start, s.end): s for s in score_sentences(index, chunk, retrieved.terms, retrieved.vector) if not s.pair}
        out.append(scored[chunk.id][tuple(int(x) for x in index.sentence_spans[n])])
    return out
