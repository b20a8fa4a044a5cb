"""Where the sources differ: the same measure, for the same period, with different values.

Nothing here knows a case. Two figures measure the same thing when they count the same unit
and both stand among the words the question (or briefing topic) is about; they are for the
same period when their dates agree as far as both go (2024 and 1 oktober 2024 do; 1 april and
1 oktober 2025 do not: that is a series). A figure without a date takes no part (never a guess),
except a count of a named kind that no side dates: "25 Veilig Thuis-organisaties" against "26
Veilig Thuis organisaties" says in full what is counted, and the reader is told that no date is given.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .dutch import (FIGURE_IN_TEXT, FUNCTION_WORDS, MONTH_STEMS, PREPOSITIONS, TIME_UNIT_STEMS, canonical_number,
                    find_dates, hedged, proper_names, same_date, share_percent, stems, word_figures, word_value)
from .measures import Mention, date_of, mentions, subject, unit_after
from .retrieval import ScoredSentence
from .types import Conflict, ConflictValue

SAME_EVENT = 0.6  # share of the shorter sentence's stems two sentences with two shared names must share to tell one event
MIN_SHARE = 0.5  # share of the topic's term weight that must stand around a figure
APPROXIMATE_MARGIN = 0.1  # "ongeveer 16%" agrees with 16,1%
TERM_WINDOW = 4  # words on each side of a term that may say what it is for (`terms_in_two_units`)
SAME_TERM_WORDS = 2  # words besides the term two sentences share that tell one term twice: what it is for, and who has it
_PER = re.compile(r"\bper\s+([^\W\d_]+)", re.I)
_NO_DENOMINATOR = TIME_UNIT_STEMS | MONTH_STEMS | set(stems("kwartaal halfjaar saldo"))  # "16,7% (per jaar)", "per 1 januari"


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


def what_terms(terms: dict[str, float]) -> dict[str, float]:
    """The terms that can say what is counted: figures, years and months aside ("op 1 oktober 2025"
    and "in 2022" say when)."""
    return {t: w for t, w in terms.items() if not t.isdigit() and t not in MONTH_STEMS}


def share(mention: Mention, terms: dict[str, float]) -> float:
    """How much of the topic's term weight that can say what is counted stands around the figure."""
    weights = what_terms(terms)
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


def restated(a: Reading, b: Reading) -> bool:
    """Two values in one sentence, each with a date of its own, for the same date: "van 2.681 fte op
    1 april 2025 tot 2.740,9 fte op 1 april 2025" gives two values for one peildatum."""
    x, y = a.mention.date, b.mention.date
    return (x is not None and y is not None and a.place == b.place
            and a.sentence.start + x.start != b.sentence.start + y.start and same_date(x, y))


def same_period(a: Mention, b: Mention) -> bool:
    if a.date is None and b.date is None:
        return named_kind(a) and named_kind(b) and stems(a.unit) == stems(b.unit)
    return a.date is not None and b.date is not None and same_date(a.date, b.date)


def named_kind(m: Mention) -> bool:
    """A count of a named kind ("26 Veilig Thuis organisaties"): the unit says in full what is counted."""
    words = m.unit.split()
    return len(words) >= 2 and words[0][:1].isupper()


def undated(group: list[Reading]) -> bool:
    return all(r.mention.date is None for r in group)


def per(m: Mention) -> frozenset[str]:
    """What a figure's sentence counts per ("12 kinderen ... per jeugdbeschermer"): a ratio is no
    conflict with a count of the same unit ("1.358 kinderen" waiting). "Per jaar" and "per 1 januari"
    say when, not per what."""
    return frozenset(t for w in _PER.findall(m.sentence) for t in stems(w) if t not in _NO_DENOMINATOR)


def same_measure(a: Mention, b: Mention) -> bool:
    if a.unit_key != b.unit_key:
        return False
    if a.label and b.label:  # items of lists: the same item
        return bool(set(a.context()) & set(b.context()))
    if a.label or b.label:  # a list's item and a figure elsewhere: that item must stand around the figure
        labelled, other = (a, b) if a.label else (b, a)
        return set(labelled.context()) <= other.context()
    return True


def amount(m: Mention) -> float:
    """The value a figure stands for; a share in words as its percentage ("een derde": 33,3)."""
    share = share_percent(m.value)
    return float(m.number) if share is None else share


def differ(a: Mention, b: Mention) -> bool:
    """Different values, beyond what a rounded one allows around itself: "ongeveer 16%" agrees with
    16,1%, "circa 30 procent" (27 to 33) does not with "een derde"."""
    x, y = amount(a), amount(b)
    if x == y:
        return False
    margins = [APPROXIMATE_MARGIN * abs(v) for v, m in ((x, a), (y, b)) if m.approximate or hedged(m.value)]
    return not margins or abs(x - y) > max(margins)


@dataclass
class Comparison:
    agreeing: list[Reading]  # the anchor's value for its measure and period, elsewhere
    differing: list[Reading]  # another value for the same measure and period: a conflict
    other: list[Reading]  # another value for the same measure, for another or no stated period
    close: list[Reading]  # a rounded value that agrees with the anchor's ("ongeveer 7%" and 7,6%)


def compare(anchor: Reading, others: list[Reading]) -> Comparison:
    """How the other readings relate to the anchor; one reading per value."""
    found, seen = Comparison([], [], [], []), {anchor.mention.number}
    anchor_per = per(anchor.mention)
    for r in others:
        same_sentence = r.place == anchor.place and r.sentence.start == anchor.sentence.start
        if (same_sentence and not restated(anchor, r)) or not same_measure(anchor.mention, r.mention):
            continue
        if not differ(anchor.mention, r.mention):
            if r.place != anchor.place and r.mention.number == anchor.mention.number and same_period(anchor.mention, r.mention):
                found.agreeing.append(r)
            elif r.mention.number not in seen:
                seen.add(r.mention.number)
                found.close.append(r)
        elif r.mention.number not in seen:
            seen.add(r.mention.number)
            # a ratio against a count of the same unit is no conflict, but may be a related figure: "de workload
            # ... van 17 naar 12 kinderen" says per jeugdbeschermer without the words
            conflicting = same_period(anchor.mention, r.mention) and anchor_per == per(r.mention)
            (found.differing if conflicting else found.other).append(r)
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


def described(m: Mention) -> set[str]:
    """The stems of what a figure's sentence says it counts: its list label or elided subject, or the
    subject the sentence opens with ("Het personeelsverloop in de jeugdbescherming" | bedraagt 16%)."""
    what = m.label if m.label and m.label != "datum" else subject(m.sentence)
    return set(stems(what)) if what else set()


def against_latest(readings: list[Reading]) -> list[list[Reading]]:
    """An undated figure whose sentence says what it counts, against the latest dated value of that
    measure in another document, when they differ: "16% (geen datum)" in the bloemlezing against
    "16,7% (1 okt 2025)" in the letter. The dated side's subject must stand in the undated sentence,
    so a figure for a wider scope ("de hele jeugdzorgsector") is not taken for it. Each side keeps
    its own date (none for the one), so nothing is guessed; both must name the same thing counted."""
    out, seen = [], set()
    whats = [described(r.mention) for r in readings]
    dated_ones = [(d, what) for d, what in zip(readings, whats) if d.mention.date is not None and what]
    for r, what in zip(readings, whats):
        told = (" ".join(r.mention.sentence.split()), r.mention.phrase)  # the bloemlezing repeats quotes
        if r.mention.date is not None or not what or told in seen:
            continue
        seen.add(told)
        own = set(stems(r.mention.sentence))
        dated = [d for d, theirs in dated_ones if d.sentence.chunk.source_id != r.sentence.chunk.source_id
                 and d.mention.unit_key == r.mention.unit_key and what & theirs and theirs <= own]
        if dated:
            latest = max(dated, key=lambda d: _when(d.mention.date))
            if differ(r.mention, latest.mention):
                out.append([r, latest])
    return out


def _when(d) -> tuple[int, int, int]:
    return d.year, d.month or (d.quarter * 3 if d.quarter else 0), d.day or 0


def date_reading(s: ScoredSentence, d) -> Reading:
    """A date read as the value of a conflict: what differs is when."""
    return Reading(Mention(s.text, d.start, d.end, d.text, "", d, False, "datum"), s)


def event_dates(sentences: list[ScoredSentence]) -> list[list[Reading]]:
    """One event told twice with two dates: two sentences with one date each that share two names
    and most of their words ("Rita Verdonk wordt in 2019 door minister Hugo de Jonge aangesteld"
    against "Rita Verdonk werd in 2018 door minister Hugo de Jonge benoemd")."""
    told = []
    for s in sentences:
        dates = find_dates(s.text)
        names = proper_names(s.text)
        if not s.chunk.table_row and len(dates) == 1 and len(names) >= 2:
            told.append((s, dates[0], names, set(stems(s.text))))
    out, used = [], set()
    for i, (a, da, na, wa) in enumerate(told):
        for j, (b, db, nb, wb) in enumerate(told[i + 1 :], i + 1):
            if i in used or j in used or same_date(da, db) or a.text == b.text or len(na & nb) < 2 \
                    or len(wa & wb) < SAME_EVENT * min(len(wa), len(wb)):
                continue
            out.append([date_reading(a, da), date_reading(b, db)])
            used |= {i, j}
    return out


def _shares_by_name(s: ScoredSentence) -> dict[str, Reading]:
    """The undated shares a single sentence gives per name, each with the name nearest before it and no
    other figure between: "In Groningen vertrok vorig jaar een derde ... en in Drenthe zelfs meer dan de helft"."""
    text, dates = s.text, find_dates(s.text)
    figures = [Mention(text, a, b, written, "%", date_of(text, a, b, dates), False, None)
               for a, b, written, _ in word_figures(text) if share_percent(written) is not None]
    figures += [m for m in mentions(text) if m.unit == "%"]
    figures = sorted((m for m in figures if m.date is None), key=lambda m: m.start)  # a dated share: a series
    places = sorted((m.end(), name) for name in proper_names(text) for m in re.finditer(rf"\b{re.escape(name)}\b", text))
    out: dict[str, Reading] = {}
    previous_end = 0
    for m in figures:
        named = [name for end, name in places if previous_end <= end <= m.start]
        if named:  # a single sentence: no name of the sentence before
            out.setdefault(named[-1], Reading(m, s))
        previous_end = m.end
    return out


def told_twice(sentences: list[ScoredSentence]) -> list[list[Reading]]:
    """One fact told twice with another value: two sentences in different places that give a share
    for each of the same names, agreeing on one name's and not on another's ("In Groningen vertrok
    vorig jaar een derde van het personeel en in Drenthe zelfs meer dan de helft" against "in Drenthe
    vertrok meer dan de helft van de medewerkers, in Groningen circa 30 procent"). The name on which
    they agree says they tell the same thing."""
    told = [(s, found) for s in sentences if not s.pair and not s.chunk.table_row
            if len(found := _shares_by_name(s)) >= 2]
    out, seen = [], set()
    for i, (a, by_a) in enumerate(told):
        for b, by_b in told[i + 1 :]:
            if (a.chunk.source_id, a.chunk.section) == (b.chunk.source_id, b.chunk.section) or a.text == b.text:
                continue
            shared = sorted(by_a.keys() & by_b.keys())
            if len(shared) < 2 or all(differ(by_a[n].mention, by_b[n].mention) for n in shared):
                continue
            for name in shared:
                key = frozenset({(a.chunk.source_id, by_a[name].mention.value), (b.chunk.source_id, by_b[name].mention.value)})
                if differ(by_a[name].mention, by_b[name].mention) and key not in seen:
                    seen.add(key)
                    out.append([by_a[name], by_b[name]])
    return out


def _terms_of(s: ScoredSentence) -> list[Reading]:
    """The terms of a sentence: a count of a unit of time, in digits or words ("vijf werkdagen", "binnen 5 dagen")."""
    text = s.text
    found = [Mention(text, a, end, text[a:end], unit, None, False, None)
             for a, b, written, _ in word_figures(text) if word_value(written).isdigit()
             for unit, end in [unit_after(text, b)] if unit]
    found += [replace(m, value=m.phrase) for m in mentions(text) if m.unit]
    return [Reading(m, s) for m in found if _time_unit(m.unit)]


def _count(m: Mention) -> str:
    """The count of a term written with its unit ("vijf werkdagen", "10 kalenderdagen"): "5", "10"."""
    return canonical_number(word_value(m.value.split()[0]))


def _time_unit(unit: str) -> str | None:
    """The stem of a unit of time, also of a compound of one ("werkdagen"); a calendar day is a day."""
    words = stems(unit)
    if len(words) != 1 or not any(words[0].endswith(t) for t in TIME_UNIT_STEMS):
        return None
    return words[0].removeprefix("kalender")


def _around(m: Mention) -> set[str]:
    """The content words right around a figure, no figures among them: what a term is for ("vijf
    werkdagen voor triage")."""
    words = m.text[: m.start].split()[-TERM_WINDOW:] + m.text[m.end :].split()[:TERM_WINDOW]
    kept = [w for w in words if (bare := w.strip(".,;:()").lower()) not in FUNCTION_WORDS and bare not in PREPOSITIONS
            and not FIGURE_IN_TEXT.search(w)]
    return set(stems(" ".join(kept))) - TIME_UNIT_STEMS


def terms_in_two_units(sentences: list[ScoredSentence]) -> list[list[Reading]]:
    """One term told twice in two units of time: the same count of another unit, for the same thing (a
    word right around both terms), in two places whose sentences share SAME_TERM_WORDS words ("Regulier
    heeft Veilig Thuis vijf werkdagen voor triage" against "Veilig Thuis is wettelijk verplicht om de
    triage binnen vijf dagen af te ronden"): five working days are not five days."""
    terms = [r for s in sentences if not s.pair and not s.chunk.table_row for r in _terms_of(s)]
    out: list[list[Reading]] = []  # one group per term: every unit it is told in
    group_of: dict[tuple, list[Reading]] = {}  # each side -> its term's group

    def where(r: Reading) -> tuple:  # a sentence a document repeats is one side
        return r.sentence.chunk.source_id, " ".join(r.sentence.text.split()), r.mention.start

    for i, a in enumerate(terms):
        for b in terms[i + 1 :]:
            if a.place == b.place or _count(a.mention) != _count(b.mention) \
                    or _time_unit(a.mention.unit) == _time_unit(b.mention.unit):
                continue
            shared = set(stems(a.sentence.text)) & set(stems(b.sentence.text)) - set(stems(f"{a.mention.value} {b.mention.value}"))
            if not _around(a.mention) & _around(b.mention) or len(shared) < SAME_TERM_WORDS:
                continue
            group = group_of.get(where(a)) or group_of.get(where(b))
            if group is None:
                group = []
                out.append(group)
            for r in (a, b):
                if where(r) not in group_of:
                    group.append(r)
                    group_of[where(r)] = group
    return out


def record(group: list[Reading], numbers_of) -> Conflict:
    """The machine form of a conflict; `numbers_of(reading)` gives a side's citation numbers."""
    values = [ConflictValue(r.mention.value, r.mention.date.text if r.mention.date else None, numbers_of(r), r.mention.written())
              for r in group]
    named = next((r.measure for r in group if r.measure != r.mention.unit), group[0].measure)  # a side that says what is counted
    return Conflict(named, values)
