"""Where citations are made: a cited span of a passage becomes a Citation that names the
document and section and quotes, verbatim, the sentence(s) that support the claim.

Both modes end here. The extractive mode quotes the sentence it chose; the generative mode
gets the passage numbers a model cites for each claim, and this module picks the sentence of
that passage that best supports the claim.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .chunks import sentences
from .dutch import find_dates, normalise, stems
from .figures import quoted_values, values
from .index import Index
from .types import Chunk, Citation

if TYPE_CHECKING:
    from .retrieval import ScoredSentence

# the least e5 similarity of a sentence told again (`retold`): every retelling in the documents is at 0.96 or more,
# while e5 puts a third of all sentences above 0.85, each of which would be compared word by word
RETOLD_SIMILARITY = 0.95
RETOLD_CHANGES = 0.1  # ... and the share of its words that may differ (`same_statement`)
_EDGES = ",.;:!?()[]“”‘’\"'"
_MARKERS = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")


@dataclass(frozen=True)
class Quote:
    chunk: Chunk
    start: int
    end: int


def similar(a: str, b: str) -> bool:
    """Near-duplicates: the bloemlezing repeats some quotes in several sections."""
    wa, wb = set(normalise(a).lower().split()), set(normalise(b).lower().split())
    return len(wa & wb) >= 0.8 * min(len(wa), len(wb))


def same_statement(a: str, b: str) -> bool:
    """One statement told twice: the same words but for one or two (RETOLD_CHANGES), none of them a
    name or a figure. "LJ&R slaagt er nog niet in ..." is not "DJGB slaagt nog niet ...", "tot 18
    jaar" is not "rond de 18 jaar", and a short line is not the long sentence it sums up."""
    def words(text: str) -> set[str]:
        found = [w.strip(_EDGES) for w in normalise(text).split()]
        # the first word is capitalised anyway, unless it is a name ("LJ&R")
        return {w.lower() if not i and w[1:].islower() else w for i, w in enumerate(found) if w}

    wa, wb = words(a), words(b)
    changed = wa ^ wb
    return (len(changed) <= max(2, RETOLD_CHANGES * len(wa | wb))
            and not any(w[:1].isupper() or any(ch.isdigit() for ch in w) for w in changed))


def retold(index: Index, quote: Quote, min_words: int) -> list[Quote]:
    """The sentences of the quote's document, one per other section, that tell it again
    (`same_statement`; the embedded model finds the candidates): a point of the bloemlezing cites
    every section that quotes it, so a reader sees where else it stands."""
    text = quote_text(index, quote)
    rows = index.sentences_of.get(index.row[quote.chunk.id], [])
    own = next((n for n in rows if tuple(index.sentence_spans[n].tolist()) == (quote.start, quote.end)), None)
    if own is None or len(text.split()) < min_words:
        return []
    out: dict[str, Quote] = {}
    for n in np.nonzero(index.sentence_vectors @ index.sentence_vectors[own] >= RETOLD_SIMILARITY)[0].tolist():
        chunk = index.chunks[index.sentence_rows[n]]
        if chunk.source_id != quote.chunk.source_id or chunk.section == quote.chunk.section or chunk.section in out:
            continue
        again = Quote(chunk, *(int(x) for x in index.sentence_spans[n]))
        if len(quote_text(index, again).split()) >= min_words and same_statement(text, quote_text(index, again)):
            out[chunk.section] = again
    return list(out.values())


def overlaps(a, b) -> bool:
    """Two spans of one document overlap: quotes, or scored sentences (both have chunk, start, end)."""
    return a.chunk.source_id == b.chunk.source_id and a.start < b.end and b.start < a.end


def quote_text(index: Index, quote: Quote) -> str:
    """The words a quote cites, as the document has them."""
    return index.documents[quote.chunk.source_id].text[quote.start : quote.end]


def make_citation(index: Index, n: int, quote: Quote) -> Citation:
    doc = index.documents[quote.chunk.source_id]
    source = doc.source
    return Citation(
        n=n,
        source_id=source.id,
        title=source.title,
        kind=source.kind,
        date=source.date,
        section=quote.chunk.section,
        page=doc.page_at(quote.start),
        quote=normalise(quote_text(index, quote)),
        start=quote.start,
        end=quote.end,
    )


def supporting_quotes(index: Index, chunk: Chunk, claim: str) -> list[Quote]:
    """The sentence, or two adjacent sentences, of `chunk` that best support `claim`: figures in
    common first, then shared words, then the shorter quote. When the claim states a figure or
    date that this quote lacks and another sentence of the chunk holds it, that one too. A table
    row is quoted whole."""
    text = index.documents[chunk.source_id].text
    spans = [] if chunk.table_row else sentences(text, chunk.start, chunk.end)
    if not spans:
        return [Quote(chunk, chunk.start, chunk.end)]
    windows = spans + [(a, d) for (a, b), (c, d) in zip(spans, spans[1:]) if not text[b:c].strip()]
    wanted, claim_stems = values(claim) | _years(claim), set(stems(claim))

    def support(span: tuple[int, int], still: set[str]) -> tuple[int, int, int]:
        quoted = text[span[0] : span[1]]
        return len(still & quoted_values(quoted)), len(claim_stems & set(stems(quoted))), -(span[1] - span[0])

    chosen = [max(windows, key=lambda w: support(w, wanted))]
    still = wanted - quoted_values(text[chosen[0][0] : chosen[0][1]])
    while still:
        extra = max(windows, key=lambda w: support(w, still))
        found = still & quoted_values(text[extra[0] : extra[1]])
        if not found:
            break
        chosen.append(extra)
        still -= found
    return [Quote(chunk, a, b) for a, b in sorted(chosen)]


def _years(text: str) -> set[str]:
    return {str(d.year) for d in find_dates(text)}


def document_name(index: Index, source_id: str) -> str:
    """"Kamerbrief", or with a short title when several documents share the kind."""
    source = index.documents[source_id].source
    same_kind = sum(d.source.kind == source.kind for d in index.documents.values())
    name = source.kind.capitalize()
    if same_kind > 1:
        name += f" ‘{re.split(r'[.:]', source.title)[0]}’ ({source.date[:4]})"
    return name


def split_markers(text: str) -> list[tuple[str, list[int]]]:
    """Free text with markers ("... 1.499 kinderen [1]. Hiervan ... [1, 2].") as (sentence,
    numbers it cites) pairs; a sentence without markers cites nothing."""
    out: list[tuple[str, list[int]]] = []
    for sentence in re.split(r"(?<=[.!?\]])\s+(?=[A-ZÀ-Ý(“\"'])|\n+", text):
        numbers = [int(x) for m in _MARKERS.finditer(sentence) for x in m.group(1).split(",")]
        clean = " ".join(_MARKERS.sub(" ", sentence).split())
        clean = re.sub(r"\s+([.,;:!?])", r"\1", clean)
        if clean or numbers:
            out.append((clean, numbers))
    return out


def sentence_quote(s: ScoredSentence) -> Quote:
    """The quote of a retrieved sentence: exactly its span in its chunk."""
    return Quote(s.chunk, s.start, s.end)
