"""Answers as claims: each sentence with the quotes it rests on, checked against those quotes.

Both modes end here. A mode produces `Draft`s (a sentence and the source spans it cites);
`assemble` numbers the citations by first use, writes the markers and checks every claim.

A claim is supported when the quotes of its own citations hold
- every figure in it, in digits or words (compared as values: 1.499 = 1499, "vier" = 4),
- every date in it (1 okt 2025 = 1 oktober 2025; a year matches any date in that year), and
- at least half of its content words (stemmed, stopwords and question words left out).
What names a source ("Kamerbrief, 1.3 iv. Aanpak van de arbeidsmarkt: ", "de bloemlezing
(maart 2026)") says where, and is not checked: a section number or a document's year is no claim.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .citations import Quote, make_citation
from .dutch import find_dates, same_date, stems
from .figures import quoted_values, stated
from .index import Index
from .types import Citation, Claim

MIN_WORD_SHARE = 0.5


@dataclass
class Draft:
    """A claim before numbering: its text (no markers) and the spans it cites."""

    text: str
    quotes: list[Quote]
    asides: tuple[str, ...] = ()  # the parts of `text` that name a source
    own_line: bool = True  # extractive answers put each claim on its own line
    kind: str = "claim"  # see `Claim.kind`


@dataclass
class Assembled:
    answer: str
    claims: list[Claim]
    citations: list[Citation]
    numbers: dict[tuple[str, int, int], int] = field(default_factory=dict)  # quote span -> citation number

    def numbers_of(self, reading) -> list[int]:
        """The citations behind one side of a conflict: its own sentence when cited, else every
        cited quote that holds its value."""
        s = reading.sentence
        own = self.numbers.get((s.chunk.source_id, s.start, s.end))
        if own:
            return [own]
        return [c.n for c in self.citations if reading.mention.number in quoted_values(c.quote)]


def check(text: str, quotes: list[str]) -> tuple[bool, str | None]:
    """(supported, Dutch reason when not) for a claim's text against the quotes it cites."""
    if not quotes:
        return False, "Deze bewering verwijst naar geen enkele bron."
    joined = " ".join(quotes)
    held = quoted_values(joined)
    missing = [written for written, value in stated(text) if value not in held]
    if missing:
        return False, f"{_listing('Het cijfer', 'De cijfers', missing)} niet in het geciteerde citaat."
    quoted_dates = find_dates(joined)
    absent = [d.text for d in find_dates(text) if not any(same_date(d, q) for q in quoted_dates)]
    if absent:
        return False, f"{_listing('De datum', 'De datums', absent)} niet in het geciteerde citaat."
    words = set(stems(text))
    if words:
        shared = words & set(stems(joined))
        if len(shared) < MIN_WORD_SHARE * len(words):
            return False, "Het geciteerde citaat zegt dit niet: de meeste kernwoorden van de bewering ontbreken erin."
    return True, None


def _listing(one: str, many: str, items: list[str]) -> str:
    shown = ", ".join(items[:-1]) + f" en {items[-1]}" if len(items) > 1 else items[0]
    return f"{many if len(items) > 1 else one} {shown} {'staan' if len(items) > 1 else 'staat'}"


def assemble(index: Index, drafts: list[Draft]) -> Assembled:
    """Number the cited spans by first use (one citation per distinct span), write the answer
    text with its markers and check every claim against its own quotes."""
    numbers: dict[tuple[str, int, int], int] = {}
    citations: list[Citation] = []
    claims: list[Claim] = []
    parts: list[str] = []
    for draft in drafts:
        cited = []
        for quote in draft.quotes:
            key = (quote.chunk.source_id, quote.start, quote.end)
            if key not in numbers:
                numbers[key] = len(citations) + 1
                citations.append(make_citation(index, numbers[key], quote))
            if numbers[key] not in cited:
                cited.append(numbers[key])
        claim = Claim(draft.text, cited, True, None, draft.kind, draft.asides)
        if draft.kind != "gap":  # saying what the sources lack cites nothing
            claim.supported, claim.why = check(claim.body, [citations[n - 1].quote for n in cited])
        claims.append(claim)
        markers = "".join(f"[{n}]" for n in cited)
        parts.append(("\n" if draft.own_line and parts else " " if parts else "") + _with_markers(draft.text, markers))
    return Assembled("".join(parts), claims, citations, numbers)


def _with_markers(text: str, markers: str) -> str:
    """The markers before the closing full stop, as in "... 1.499 kinderen [1]."."""
    if not markers:
        return text
    stripped = text.rstrip()
    if stripped.endswith(".") and not stripped.endswith(("”.", "..")):
        return f"{stripped[:-1]} {markers}."
    return f"{stripped} {markers}"


# What a model writes when it finds no answer, in any phrasing; also in English.
_REFUSAL = re.compile(
    r"\b(?:(?:staat|staan|vind|vinden|vond|wordt|worden|is|zijn|komt|komen)\b[^.]{0,60}\bniet\b[^.]{0,40}"
    r"\b(?:bronnen|bron|passages?|documenten|teksten|context)\b"
    r"|\b(?:bronnen|bron|passages?|documenten|teksten|context)\b[^.]{0,40}\bniet\b[^.]{0,20}"
    r"\b(?:te vinden|vinden|vermeld|genoemd|beschreven|aanwezig|opgenomen|beantwoord)"
    r"|geen (?:informatie|antwoord|gegevens)\b[^.]{0,60}\b(?:bronnen|bron|passages?|documenten|context)\b"
    r"|(?:niet|geen) (?:te )?(?:beantwoorden|bekend|vermeld|genoemd)\b"
    r"|(?:not|no)\b[^.]{0,40}\b(?:in|from) the (?:sources?|passages?|documents?|context)\b"
    r"|(?:cannot|can't|unable to) (?:answer|find)\b)",
    re.I,
)


def is_refusal(text: str) -> bool:
    """Whether a text says that the answer is not in the sources."""
    return bool(_REFUSAL.search(text))
