"""What a model reads: the evidence, not ten whole passages.

The best sentences of the retrieval, each with the sentence before and after it, grouped by
passage under its document and section label, until a character budget is spent. A 1.5B model
on two cores reads ~90 tokens a second: the prompt's size is the wait before the first word.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .chunks import readable
from .citations import document_name
from .dutch import normalise
from .index import Index
from .retrieval import Retrieved
from .types import Chunk

BUDGET_CHARS = 2800  # ~1,100 tokens of Dutch evidence: with the instructions p50 ~1,470 tokens (benchmarks/prompt_tokens.py)
MAX_BLOCKS = 5
NEIGHBOURS = 1  # sentences shown on each side of a chosen one


@dataclass
class Block:
    """One numbered passage of the prompt: `[n] title (date) — section`, then its sentences."""

    n: int
    chunk: Chunk
    spans: list[tuple[int, int]] = field(default_factory=list)  # shown sentence spans, in reading order

    def text(self, index: Index) -> str:
        if self.chunk.table_row:  # a table row spelled out cell by cell, with its column labels
            return self.chunk.search_text.split("\n", 1)[-1]
        doc = index.documents[self.chunk.source_id].text
        parts, last = [], None
        for a, b in sorted(self.spans):
            if last is not None and a > last and doc[last:a].strip():
                parts.append("…")
            parts.append(normalise(readable(doc[a:b])))
            last = b
        return " ".join(parts)


def select(index: Index, retrieved: Retrieved, budget: int = BUDGET_CHARS, max_blocks: int = MAX_BLOCKS) -> list[Block]:
    """Blocks numbered from 1, best evidence first."""
    blocks: dict[str, Block] = {}
    used = 0
    for s in retrieved.sentences:
        if used >= budget:
            break
        block = blocks.get(s.chunk.id)
        if block is None:
            if len(blocks) == max_blocks:
                continue
            block = blocks[s.chunk.id] = Block(len(blocks) + 1, s.chunk)
        for span in _with_neighbours(index, s.chunk, s.start, s.end):
            if span not in block.spans and not any(a <= span[0] and span[1] <= b for a, b in block.spans):
                block.spans.append(span)
                used += span[1] - span[0]
    return list(blocks.values())


def _with_neighbours(index: Index, chunk: Chunk, start: int, end: int) -> list[tuple[int, int]]:
    """The sentence(s) [start, end) of the chunk, and NEIGHBOURS sentences on each side."""
    rows = index.sentences_of.get(index.row[chunk.id], [])
    spans = [tuple(int(x) for x in index.sentence_spans[n]) for n in rows]
    inside = [i for i, (a, b) in enumerate(spans) if a < end and start < b]
    if not inside:
        return [(start, end)]
    lo, hi = max(0, inside[0] - NEIGHBOURS), min(len(spans), inside[-1] + 1 + NEIGHBOURS)
    return spans[lo:hi]


def format_blocks(index: Index, blocks: list[Block]) -> str:
    """The numbered evidence as the prompt shows it; the numbers are what the model cites. The
    document by its short name and date: a 170-character title in every block costs seconds."""
    out = []
    for block in blocks:
        source = index.documents[block.chunk.source_id].source
        name = document_name(index, source.id)
        out.append(f"[{block.n}] {name} ({source.date}) — {block.chunk.section}\n{block.text(index)}")
    return "\n\n".join(out)
