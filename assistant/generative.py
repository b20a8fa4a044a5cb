"""The answer with a language model, made checkable: the model returns claims, each with the
numbers of the passages it rests on (Ollama structured outputs: a JSON schema in `format`).

The assistant writes the markers, quotes for each claim the sentence of its passage that best
supports it, and checks every claim (`claims.py`). Output that is no answer is taken for what
it is: an empty reply, one of markers only, one not in Dutch or one without a valid passage
number falls back to the extractive answer with a warning; "not in the sources", in any
phrasing, is a refusal. A model that ignores the schema and writes prose with [n] markers is
read the same way.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .citations import split_markers, supporting_quotes
from .claims import Draft, assemble, is_refusal
from .dutch import find_dates, looks_dutch, same_date, stems
from .figures import stated
from .evidence import Block
from .generate import Waiting
from .index import Index

CLAIMS_SCHEMA = {
    "type": "object",
    "properties": {
        "claims": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "text": {"type": "string"},
                    "passages": {"type": "array", "items": {"type": "integer"}},
                },
                "required": ["text", "passages"],
            },
        }
    },
    "required": ["claims"],
}
_LETTERS = re.compile(r"[^\W\d_]{2}")

# Why a model's reply is no grounded answer (Dutch, for the warning).
EMPTY = "Het model gaf geen antwoord."
MARKERS_ONLY = "Het model gaf alleen bronnummers, zonder tekst."
NOT_DUTCH = "Het model antwoordde niet in het Nederlands."
UNGROUNDED = "Het model gaf geen bewering met een geldige bronverwijzing."
RESTATED = "Het model herhaalde alleen woorden uit de vraag, zonder iets uit de bronnen."


@dataclass
class Generated:
    """A model's reply, read as claims."""

    drafts: list[Draft] = field(default_factory=list)
    refused: bool = False
    problem: str | None = None  # Dutch: why the reply is no answer; the caller falls back
    invalid: list[int] = field(default_factory=list)  # passage numbers that were not given
    raw: str = ""


class ClaimStream:
    """Reads `{"claims": [{"text": ..., "passages": [...]}, ...]}` as it streams in, and hands
    out each claim as soon as its object is complete."""

    def __init__(self) -> None:
        self.text = ""
        self._pos: int | None = None  # just inside the claims array, once found
        self._decoder = json.JSONDecoder()

    def feed(self, delta: str) -> list[dict]:
        self.text += delta
        if self._pos is None:
            m = re.search(r'"claims"\s*:\s*\[', self.text)
            if not m:
                return []
            self._pos = m.end()
        out = []
        while True:
            rest = self.text[self._pos:]
            skipped = len(rest) - len(rest.lstrip(" \n\r\t,"))
            if not rest[skipped:].startswith("{"):
                return out
            try:
                obj, end = self._decoder.raw_decode(self.text, self._pos + skipped)
            except ValueError:
                return out  # not complete yet
            self._pos = end
            if isinstance(obj, dict):
                out.append(obj)

    def declined(self) -> bool:
        """`{"claims": []}`: the schema's way of saying that the passages hold no answer."""
        try:
            return json.loads(self.text) == {"claims": []}
        except ValueError:
            return False

    def leftover(self) -> list[tuple[str, list[int]]]:
        """At the end: the reply as (text, passages), when it was not the JSON asked for."""
        try:
            data = json.loads(self.text)
        except ValueError:
            return split_markers(self.text)
        claims = data.get("claims") if isinstance(data, dict) else None
        return [_pair(c) for c in claims if isinstance(c, dict)] if isinstance(claims, list) else []


def _pair(obj: dict) -> tuple[str, list[int]]:
    text = obj.get("text") if isinstance(obj.get("text"), str) else ""
    passages = obj.get("passages") if isinstance(obj.get("passages"), list) else []
    numbers = [int(p) for p in passages if isinstance(p, int) or (isinstance(p, str) and p.isdigit())]
    inline = split_markers(text)  # "[1]" written inside the text counts too
    clean = " ".join(t for t, _ in inline)
    return clean, list(dict.fromkeys(numbers + [n for _, ns in inline for n in ns]))


def read(index: Index, deltas: Iterator[str | Waiting], blocks: list[Block]) -> Iterator[str | Waiting | Generated]:
    """Yield the answer text as each claim arrives (and the model's `Waiting` reports), then the
    reply read as a `Generated`."""
    stream = ClaimStream()
    result = Generated()
    shown = ""
    for delta in deltas:
        if isinstance(delta, Waiting):
            yield delta
            continue
        for obj in stream.feed(delta):
            draft = _draft(index, *_pair(obj), blocks, result)
            if draft is not None:
                result.drafts.append(draft)
                text = assemble(index, [d for d in result.drafts if d.kind != "gap"]).answer
                if text.startswith(shown) and text != shown:
                    yield text[len(shown):]
                    shown = text
    result.raw = stream.text
    if not result.drafts and stream.text.strip():
        for text, numbers in stream.leftover():
            draft = _draft(index, text, numbers, blocks, result)
            if draft is not None:
                result.drafts.append(draft)
    _judge(result, stream.declined())
    yield result


def _draft(index: Index, text: str, numbers: list[int], blocks: list[Block], result: Generated) -> Draft | None:
    if not _LETTERS.search(text):
        return None  # markers only, or nothing
    if is_refusal(text):
        return Draft(text, [], kind="gap", own_line=False)
    valid = [n for n in numbers if 1 <= n <= len(blocks)]
    result.invalid += [n for n in numbers if n not in valid]
    quotes = [q for n in valid for q in supporting_quotes(index, blocks[n - 1].chunk, text)]
    return Draft(text, quotes, own_line=False)


def restates(drafts: list[Draft], question: str) -> bool:
    """Whether every claim only repeats the question's words, with no word, figure or date of its own:
    "de Kamerbrief over gezinshuizen" to "Wat zegt de Kamerbrief over gezinshuizen?" passes the check
    against its quotes, yet says nothing."""
    words, values, dates = set(stems(question)), {v for _, v in stated(question)}, find_dates(question)

    def says_more(text: str) -> bool:
        return bool(set(stems(text)) - words or {v for _, v in stated(text)} - values
                    or any(not any(same_date(d, q) for q in dates) for d in find_dates(text)))

    claims = [d for d in drafts if d.kind == "claim"]
    return bool(claims) and not any(says_more(d.text) for d in claims)


def _judge(result: Generated, declined: bool) -> None:
    """Is the reply an answer? A refusal, or the reason it is none."""
    claims = [d for d in result.drafts if d.kind == "claim"]
    if declined or (result.drafts and not claims):  # an empty list, or only "not in the sources"
        result.refused = True
    elif not result.drafts:
        result.problem = MARKERS_ONLY if result.raw.strip() else EMPTY
    elif not looks_dutch(" ".join(d.text for d in claims)):
        result.problem = NOT_DUTCH
    elif not any(d.quotes for d in claims):
        result.problem = UNGROUNDED
