"""Figures in an answer, checked against the quotes they cite.

Dutch notation: `1.499` is one thousand four hundred ninety-nine, `16,7` a decimal. A
figure is verified only when the same value occurs in a quote of a citation.
"""
from __future__ import annotations

import re

from .dutch import canonical_number
from .types import Citation, Figure

_FIGURE = re.compile(r"(?<![\w\[.,])\d+(?:[.,]\d+)*(?![\w\]])")
_MARKER = re.compile(r"\[\d+\]")


def extract(text: str) -> list[str]:
    """Figures as written, in order of appearance, without citation markers."""
    seen, out = set(), []
    for m in _FIGURE.finditer(_MARKER.sub(" ", text)):
        value = m.group(0).rstrip(".,")
        if value not in seen:
            seen.add(value)
            out.append(value)
    return out


def values(text: str) -> set[str]:
    return {canonical_number(v) for v in extract(text)}


def check(answer: str, citations: list[Citation]) -> list[Figure]:
    """A figure is verified by a citation whose quote holds it; the section number and the
    year of the cited document count too, since naming where a quote stands is no claim."""
    in_quote = {c.n: values(c.quote) | values(c.section) | values(c.date[:4]) for c in citations}
    figures = []
    for value in extract(answer):
        found = [n for n, vals in in_quote.items() if canonical_number(value) in vals]
        figures.append(Figure(value=value, verified=bool(found), citations=found))
    return figures
