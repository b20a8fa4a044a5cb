"""Figures of an answer: the figures its claims state, each checked against the quotes of that
claim's own citations.

Dutch notation: `1.499` is one thousand four hundred ninety-nine, `16,7` a decimal. Dates are
not figures ("1 okt 2025" is checked as a date, see `claims.py`), and neither are the section
numbers or document years in the parts of a claim that name a source, nor citation markers.
"""
from __future__ import annotations

import re

from .dutch import canonical_number, find_numbers
from .types import Citation, Claim, Figure

_ANY_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def extract(text: str) -> list[str]:
    """The figures of a text as written, in order, each once; dates left out."""
    return list(dict.fromkeys(value for _, _, value in find_numbers(text)))


def values(text: str) -> set[str]:
    """The figures of a text, one spelling per value."""
    return {canonical_number(v) for v in extract(text)}


def quoted_values(text: str) -> set[str]:
    """Every number a quote holds, those in its dates too: a claim's "2024" is in "in 2024"."""
    return {canonical_number(m.group(0).rstrip(".,")) for m in _ANY_NUMBER.finditer(text)}


def of_claims(claims: list[Claim], citations: list[Citation]) -> list[Figure]:
    """One entry per figure value: verified only when every claim that states it cites a quote
    holding it; `citations` are those quotes."""
    quotes = {c.n: quoted_values(c.quote) for c in citations}
    found: dict[str, Figure] = {}
    for claim in claims:
        for value in extract(claim.body):
            holding = [n for n in claim.citations if canonical_number(value) in quotes.get(n, set())]
            figure = found.setdefault(value, Figure(value=value, verified=True, citations=[]))
            figure.verified = figure.verified and bool(holding)
            figure.citations = sorted(set(figure.citations) | set(holding))
    return list(found.values())
