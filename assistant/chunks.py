"""Section-aware chunks and sentence spans.

A chunk packs whole paragraphs of one section up to `MAX_CHARS`; a table becomes one chunk
per row. Every chunk and sentence is a span of the source text, so quotes stay verbatim.
"""
from __future__ import annotations

import hashlib
import re

from .dutch import normalise
from .sections import is_toc_line, split_lines
from .types import Chunk, Section

MAX_CHARS = 1100
_TERMINAL = (".", "!", "?", ":", ";")
_BULLET = re.compile(r"^\s*(?:[-*•·▪]|\d{1,2}[.)]|[ivx]{1,4}\.)\s")
_LETTERS = re.compile(r"[A-Za-zÀ-ÿ]{3}")
_LINK_ONLY = re.compile(r"^(?:[-*•]\s*)?\d*\s*\[[^\]]*\]\([^)]*\)[.;]?$")  # a bare link (a list of publications)
# Conversion debris inside running text: footnote markers, footnote bodies, bookmarks.
_NOISE = re.compile(r"\[footnoteRef:\d+\]|\[bookmark:[^\]]*\]|\[\d+:\s|\]\s*$|(?<=[.!?])\]")
_ABBREVIATIONS = {
    "o.a", "i.p.v", "bijv", "m.b.t", "t.a.v", "e.d", "d.w.z", "jl", "mr", "dr", "drs", "ir", "prof",
    "nr", "z.g.a.n", "m.n", "a.s", "t/m", "incl", "excl", "resp", "ca", "vs", "etc", "evt", "zgn", "dhr", "mevr",
}
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)]*(?=\s+[\"'“‘(]?[A-ZÀ-Ý0-9·•-])|[.!?…]+[\"'”’)]*$")


def readable(text: str) -> str:
    """Text without conversion debris, for search and for a model to read."""
    return _NOISE.sub(" ", text)


def paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Paragraph spans in text[start:end]: blank lines and sentence-final line ends separate
    them; a line that continues a wrapped sentence is joined to the one before."""
    spans: list[list[int]] = []
    prev_text = ""
    for line in split_lines(text[start:end]):
        stripped = line.raw.strip()
        if not stripped or is_toc_line(line.raw):
            prev_text = ""
            continue
        a = start + line.start + (len(line.raw) - len(line.raw.lstrip()))
        b = start + line.end - (len(line.raw) - len(line.raw.rstrip()))
        joins = prev_text and not prev_text.endswith(_TERMINAL) and not _BULLET.match(line.raw) and stripped[:1].islower()
        if joins:
            spans[-1][1] = b
        else:
            spans.append([a, b])
        prev_text = stripped
    return [(a, b) for a, b in spans if _LETTERS.search(text[a:b]) and not _LINK_ONLY.match(text[a:b])]


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans in text[start:end], cut around conversion debris (footnote markers)."""
    out = []
    for pa, pb in paragraphs(text, start, end):
        for ca, cb in _clean_pieces(text, pa, pb):
            s = ca
            for m in _SENTENCE_END.finditer(text, ca, cb):
                word = re.search(r"(\S+)$", text[s : m.start()])
                if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
                    continue
                out.append((s, m.end()))
                s = m.end()
                while s < cb and text[s].isspace():
                    s += 1
            if s < cb and text[s:cb].strip():
                out.append((s, cb))
    return [(a, b) for a, b in out if _LETTERS.search(text[a:b])]


def _clean_pieces(text: str, a: int, b: int) -> list[tuple[int, int]]:
    pieces, s = [], a
    for m in _NOISE.finditer(text, a, b):
        if m.start() > s:
            pieces.append((s, m.start()))
        s = m.end()
    if s < b:
        pieces.append((s, b))
    trimmed = []
    for pa, pb in pieces:
        while pa < pb and (text[pa].isspace() or text[pa] in "·•-*▪"):
            pa += 1
        while pb > pa and text[pb - 1].isspace():
            pb -= 1
        if pb > pa:
            trimmed.append((pa, pb))
    return trimmed


def chunk_sections(text: str, sections: list[Section]) -> list[Chunk]:
    """All chunks of one document, in reading order; tables of contents are skipped."""
    chunks: list[Chunk] = []
    for section in sections:
        if section.toc:
            continue
        if section.table:
            chunks.extend(_table_chunks(text, section))
        for a, b in _pack(text, section):
            chunks.append(_make_chunk(text, section, a, b))
    return chunks


def _pack(text: str, section: Section) -> list[tuple[int, int]]:
    ta, tb = section.table.span if section.table else (0, 0)
    pieces: list[tuple[int, int]] = []
    for a, b in paragraphs(text, section.start, section.end):
        if ta <= a < tb:
            continue
        if b - a <= MAX_CHARS:
            pieces.append((a, b))
        else:
            pieces.extend(_split_long(text, a, b))
    packed: list[tuple[int, int]] = []
    for a, b in pieces:
        if packed and b - packed[-1][0] <= MAX_CHARS:
            packed[-1] = (packed[-1][0], b)
        else:
            packed.append((a, b))
    return packed


def _split_long(text: str, a: int, b: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for sa, sb in sentences(text, a, b) or [(a, b)]:
        if out and sb - out[-1][0] <= MAX_CHARS:
            out[-1] = (out[-1][0], sb)
        else:
            out.append((sa, sb))
    return out


def _make_chunk(text: str, section: Section, a: int, b: int, search_text: str | None = None) -> Chunk:
    """A chunk of text[a:b]; a given `search_text` marks a table row."""
    body = normalise(text[a:b])
    search = search_text or f"{section.label}\n{readable(body)}"
    digest = hashlib.sha256(f"{section.source_id}|{a}|{b}|{search}".encode()).hexdigest()[:16]
    return Chunk(
        id=f"{section.source_id}:{digest}",
        source_id=section.source_id,
        section=section.label,
        section_path=section.path,
        start=a,
        end=b,
        text=body,
        search_text=search,
        table_row=search_text is not None,
    )


def _table_chunks(text: str, section: Section) -> list[Chunk]:
    """One chunk per row; its search text spells out every cell with its column, so a
    question about one peildatum finds the row."""
    table = section.table
    out = []
    for (label, cells), (a, b) in zip(table.rows, table.row_spans):
        pairs = "; ".join(f"{label} op {col}: {val}" for col, val in zip(table.header, cells))
        search = f"{section.heading}\n{label} per peildatum. {pairs}."
        out.append(_make_chunk(text, section, a, b, search))
    return out
