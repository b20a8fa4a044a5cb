"""Where citations are made: a marker `[n]` in the answer becomes a Citation that names the
document and section and quotes, verbatim, the sentence(s) that support the claim.

Both modes end here. The extractive mode quotes the sentence it chose; the generative mode
gives the model numbered passages, and this module maps its markers back to them, drops
markers that point nowhere and picks for each the sentence that best supports the claim.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .chunks import sentences
from .dutch import normalise, stems
from .figures import values
from .index import Index
from .types import Chunk, Citation, Passage

_MARKERS = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")


@dataclass(frozen=True)
class Quote:
    chunk: Chunk
    start: int
    end: int


def make_citation(index: Index, n: int, quote: Quote) -> Citation:
    doc = index.documents[quote.chunk.source_id]
    source, text = doc.source, doc.text
    return Citation(
        n=n,
        source_id=source.id,
        title=source.title,
        kind=source.kind,
        date=source.date,
        section=quote.chunk.section,
        page=doc.page_at(quote.start),
        quote=normalise(text[quote.start : quote.end]),
        start=quote.start,
        end=quote.end,
    )


def supporting_quote(index: Index, chunk: Chunk, claim: str) -> Quote:
    """The sentence, or two adjacent sentences, of `chunk` that best support `claim`:
    figures in common first, then shared words, then the shorter quote. A table row is
    quoted whole."""
    text = index.documents[chunk.source_id].text
    spans = [] if chunk.table_row else sentences(text, chunk.start, chunk.end)
    if not spans:
        return Quote(chunk, chunk.start, chunk.end)
    windows = spans + [(a, d) for (a, b), (c, d) in zip(spans, spans[1:]) if not text[b:c].strip()]
    claim_values, claim_stems = values(claim), set(stems(claim))

    def support(span: tuple[int, int]) -> tuple[int, int, int]:
        quoted = text[span[0] : span[1]]
        return len(claim_values & values(quoted)), len(claim_stems & set(stems(quoted))), -(span[1] - span[0])

    a, b = max(windows, key=support)
    return Quote(chunk, a, b)


def claims(answer: str) -> list[tuple[str, list[int]]]:
    """Split an answer into (claim text, markers that follow it)."""
    out, last = [], 0
    for m in _MARKERS.finditer(answer):
        numbers = [int(x) for x in m.group(1).split(",")]
        sentence_start = max(answer.rfind(". ", 0, m.start()), answer.rfind("\n", 0, m.start()), last - 1) + 1
        out.append((answer[sentence_start : m.start()], numbers))
        last = m.end()
    return out


def resolve_markers(index: Index, answer: str, passages: list[Passage]) -> tuple[str, list[Citation], list[int]]:
    """Map the markers of a generated answer to the passages given to the model.

    Returns the answer renumbered by first appearance, its citations, and the markers
    that pointed to no passage (removed from the text)."""
    invalid: list[int] = []
    order: dict[int, int] = {}  # passage number -> citation number
    supported: dict[int, str] = {}  # passage number -> the claims that cite it
    for claim, numbers in claims(answer):
        for p in numbers:
            if not 1 <= p <= len(passages):
                invalid.append(p)
                continue
            order.setdefault(p, len(order) + 1)
            supported[p] = f"{supported.get(p, '')} {claim}"
    quotes = {p: supporting_quote(index, passages[p - 1].chunk, claim) for p, claim in supported.items()}

    def renumber(m: re.Match) -> str:
        kept = [order[int(x)] for x in m.group(1).split(",") if int(x) in order]
        return "".join(f"[{n}]" for n in kept)

    text = _MARKERS.sub(renumber, answer)
    text = re.sub(r"[ \t]+([.,;:])", r"\1", re.sub(r"[ \t]{2,}", " ", text)).strip()
    citations = [make_citation(index, n, quotes[p]) for p, n in sorted(order.items(), key=lambda kv: kv[1])]
    return text, citations, invalid
