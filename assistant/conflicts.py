"""Where the sources differ: the same measure, for the same period, with different values.

Nothing here knows a case. Two figures measure the same thing when they count the same unit
and both stand among the words the question (or briefing topic) is about; they are for the
same period when their dates agree as far as both go (2024 and 1 oktober 2024 do; 1 april and
1 oktober 2025 do not: that is a series). A figure without a date takes no part: never a guess.
"""
from __future__ import annotations

from dataclasses import dataclass

from .dutch import MONTH_STEMS, same_date
from .measures import Mention, mentions, subject
from .retrieval import ScoredSentence
from .types import Conflict, ConflictValue

MIN_SHARE = 0.5  # share of the topic's term weight that must stand around a figure
APPROXIMATE_MARGIN = 0.1  # "ongeveer 16%" agrees with 16,1%


@dataclass(frozen=True)
class Reading:
    """A figure in a retrieved sentence."""

    mention: Mention
    sentence: ScoredSentence

    @property
    def place(self) -> tuple[str, str]:
        return self.sentence.chunk.source_id, self.sentence.chunk.section

    @property
    def measure(self) -> str:
        """What is counted, in the source's words."""
        return self.mention.label or subject(self.sentence.text) or self.mention.unit


def share(mention: Mention, terms: dict[str, float]) -> float:
    """How much of the topic's term weight stands around the figure. Figures, years and months
    aside: "op 1 oktober 2025" says when, not what is counted."""
    weights = {t: w for t, w in terms.items() if not t.isdigit() and t not in MONTH_STEMS}
    total = sum(weights.values())
    if not total:
        return 0.0
    context = mention.context()
    return sum(w for t, w in weights.items() if t in context) / total


def readings(sentences: list[ScoredSentence], terms: dict[str, float]) -> list[Reading]:
    """The figures of `sentences` that are about the topic, best sentence first."""
    out = []
    for sentence in sentences:
        for mention in mentions(sentence.text):
            if mention.unit and share(mention, terms) >= MIN_SHARE:
                out.append(Reading(mention, sentence))
    return out


def same_period(a: Mention, b: Mention) -> bool:
    return a.date is not None and b.date is not None and same_date(a.date, b.date)


def same_measure(a: Mention, b: Mention) -> bool:
    if a.unit_key != b.unit_key:
        return False
    if a.label and b.label:  # items of lists: the same item
        return bool(set(a.context()) & set(b.context()))
    if a.label or b.label:  # a list's item and a figure elsewhere: that item must stand around the figure
        labelled, other = (a, b) if a.label else (b, a)
        return set(labelled.context()) <= other.context()
    return True


def differ(a: Mention, b: Mention) -> bool:
    x, y = float(a.number), float(b.number)
    if x == y:
        return False
    if a.approximate or b.approximate:
        return abs(x - y) > APPROXIMATE_MARGIN * max(abs(x), abs(y))
    return True


@dataclass
class Comparison:
    agreeing: list[Reading]  # the anchor's value for its measure and period, elsewhere
    differing: list[Reading]  # another value for the same measure and period: a conflict
    other: list[Reading]  # another value for the same measure, for another or no stated period
    close: list[Reading]  # a rounded value that agrees with the anchor's ("ongeveer 7%" and 7,6%)


def compare(anchor: Reading, others: list[Reading]) -> Comparison:
    """How the other readings relate to the anchor; one reading per value."""
    found, seen = Comparison([], [], [], []), {anchor.mention.number}
    for r in others:
        if (r.place == anchor.place and r.sentence.start == anchor.sentence.start) or not same_measure(anchor.mention, r.mention):
            continue
        if not differ(anchor.mention, r.mention):
            if r.place != anchor.place and r.mention.number == anchor.mention.number and same_period(anchor.mention, r.mention):
                found.agreeing.append(r)
            elif r.mention.number not in seen:
                seen.add(r.mention.number)
                found.close.append(r)
        elif r.mention.number not in seen:
            seen.add(r.mention.number)
            (found.differing if same_period(anchor.mention, r.mention) else found.other).append(r)
    return found


def groups(found: list[Reading]) -> list[list[Reading]]:
    """All conflicts among `found`: each a first reading and the other values for its measure
    and period (for a briefing, which has no single answer to anchor on)."""
    out, used = [], set()
    for i, anchor in enumerate(found):
        if i in used:
            continue
        differing = compare(anchor, [r for j, r in enumerate(found) if j != i and j not in used]).differing
        if differing:
            out.append([anchor, *differing])
            used |= {i} | {found.index(r) for r in differing}
    return out


def record(group: list[Reading], numbers_of) -> Conflict:
    """The machine form of a conflict; `numbers_of(reading)` gives a side's citation numbers."""
    values = [ConflictValue(r.mention.value, r.mention.date.text if r.mention.date else None, numbers_of(r)) for r in group]
    return Conflict(group[0].measure, values)
