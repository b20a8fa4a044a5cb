"""Figures of an answer: the figures its claims state, each checked against the quotes of that
claim's own citations.

Dutch notation: `1.499` is one thousand four hundred ninety-nine, `16,7` a decimal. A figure in
words is a figure too: "vier gecertificeerde instellingen" must stand in its quote as "vier" or "4",
"een derde" as "een derde". Dates are
not figures ("1 okt 2025" is checked as a date, see `claims.py`), and neither are the section
numbers or document years in the parts of a claim that name a source, nor citation markers.
"""
from __future__ import annotations

import re

from .dutch import canonical_number, find_numbers, word_figures, word_value, word_values
from .types import Citation, Claim, Figure

_ANY_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def extract(text: str) -> list[str]:
    """The figures of a text as written, in order, each once; dates left out."""
    return list(dict.fromkeys(value for _, _, value in find_numbers(text)))


def values(text: str) -> set[str]:
    """The figures of a text, one spelling per value."""
    return {canonical_number(v) for v in extract(text)}


def stated(text: str) -> list[tuple[str, str]]:
    """The figures a claim states (as written, one spelling per value), in digits and in words,
    in order, each once; dates left out."""
    found = [(a, written, canonical_number(written)) for a, _, written in find_numbers(text)]
    found += [(a, written, word_value(written)) for a, _, written, _ in word_figures(text)]
    return list(dict.fromkeys((written, value) for _, written, value in sorted(found)))


def quoted_values(text: str) -> set[str]:
    """Every number a quote holds, those in its dates too (a claim's "2024" is in "in 2024"), and
    those it writes in words (a claim's "16" is in "zestien")."""
    return {canonical_number(m.group(0).rstrip(".,")) for m in _ANY_NUMBER.finditer(text)} | word_values(text)


def of_claims(claims: list[Claim], citations: list[Citation]) -> list[Figure]:
    """One entry per figure value: verified only when every claim that states it cites a quote
    holding it; `citations` are those quotes."""
    quotes = {c.n: quoted_values(c.quote) for c in citations}
    found: dict[str, Figure] = {}
    for claim in claims:
        for written, value in stated(claim.body):
            holding = [n for n in claim.citations if value in quotes.get(n, set())]
            figure = found.setdefault(written, Figure(value=written, verified=True, citations=[]))
            figure.verified = figure.verified and bool(holding)
            figure.citations = sorted(set(figure.citations) | set(holding))
    return list(found.values())
