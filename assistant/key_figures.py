"""Kerncijfers of a briefing: every figure of the sentences about the topic that says what it counts,
as the document writes it, with its date, grouped by measure and ordered by date; table rows cell by
cell under their peildatum; the dates of events. Each row is later a claim checked against its quotes
(`briefing._finish`), so a value not verbatim in its quote is left out there."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from . import conflicts
from .citations import Quote, overlaps, quote_text, same_statement, sentence_quote
from .dutch import (AMOUNT_VERBS, FIGURE_IN_TEXT, MONTH_PATTERN, MONTH_STEMS, PREPOSITIONS, PUBLICATION, REFERENCE_WORDS,
                    TIME_UNIT_STEMS, DateSpan, compared_with, find_dates, glued_numbers, leans_back, month_number, parse_date,
                    pronoun_subject, refers_back, stems, word_figures, word_value)
from .figures import values
from .index import Index
from .measures import Mention, date_of, mentions, subject, unit_after
from .retrieval import ScoredSentence, with_previous
from .tables import table_section

if TYPE_CHECKING:
    from .briefing import Found

MAX_FIGURES = 70
KEY_DATES = 8  # of those rows, this many are kept for the dates of events ("per 1 januari 2026"), if there are any
FIGURE_ABOUT = 0.2
_EVENT_DATE = re.compile(r"\b(?:per|vanaf|uiterlijk|op|sinds|tot|voor|vóór)\s+$", re.I)  # not "peildatum 1 april"
_MONTH_EVENT = re.compile(r"\b(in|eind|begin|medio|periode)\s+$", re.I)  # "vroegen in oktober 2020", "tot uiterlijk eind januari 2026"
# "Sinds 2022 hebben ...", "Evaluatierapport 2022 ... concludeert", not "de jaren 2022"
_YEAR_EVENT = re.compile(rf"(?:\b(?:in|sinds|vanaf|uit|t/m|tot\s+en\s+met)|{PUBLICATION})\s+$", re.I)
_THIS_YEAR = re.compile(rf"\b(\d{{1,2}})\s+({MONTH_PATTERN})\s+(?:jl\.|jongstleden\b)", re.I)
# what says a date starts or ends something, kept with it: "vanaf uiterlijk 1 januari 2027", "Sinds 2022"
_BOUND_WORDS = r"(?:vanaf|sinds|per|tot(?:\s+en\s+met)?|t/m|uiterlijk)"
_BOUND = re.compile(rf"(?:\b{_BOUND_WORDS}\s+)+$", re.I)
_LEADING_BOUND = re.compile(rf"^(?:{_BOUND_WORDS}\s+)+", re.I)
_OPENING, _CLOSING = "‘“'\"", "’”'\""
# "1 Hiermee worden ... bedoeld": a footnote's number, read after the sentence before it
_LIST_NUMBER = re.compile(r"\d+(?:\.\d+)*\.?\s+[A-Z]")
_THRESHOLD = re.compile(r"[<>≤≥]\s*\d")  # a class bound, not a value
_JOINED = re.compile(r"\s+en\s+(?:de\s+|het\s+)?", re.I)
# "binnen vijf werkdagen": a norm, not a count on a date
_TERM = re.compile(r"\bbinnen\s+(?:de\s+(?:wettelijke\s+)?termijn\s+van\s+)?$", re.I)
_PERIOD_FROM = re.compile(rf"\b(?:tussen|van)\s+(?:\d{{1,2}}\s+)?(?:{MONTH_PATTERN})\s+(?:en|tot)\s+$", re.I)  # "tussen 8 mei en"
_SINCE = re.compile(r"\b(sinds|vanaf)\s+$", re.I)
_YEAR_RANGE = re.compile(r"\b(?:periode|jaren|tussen)\s+(((?:19|20)\d\d)\s*[–-]\s*(?:19|20)\d\d)\b", re.I)
_RANK = re.compile(r"\b(?:plaats|plek)\s+$", re.I)
_DECADE = re.compile(r"\bjaren\s+['’]?([1-9]0)\b")  # "Groeikernen die in de jaren 60 zijn gebouwd"
_MONTH_RANGE = re.compile(rf"\b(?:{MONTH_PATTERN})\s*[–-]\s*$", re.I)
_RANGE = re.compile(r" ?[-–] ?\d+(?:[.,]\d+)?")
_AND_SMALLER = re.compile(r"\s+en\s+\d+\s+(?:minuten|minuut|uur|uren|dagen|dag|weken|week|maanden|maand)\b")
_AFTER_PREPOSITION = re.compile(rf"\b(?:{'|'.join(PREPOSITIONS)}|niet)\s+$", re.I)  # "onder één dak", "niet één algemeen geldend knelpunt"
_AGO = re.compile(r"\s+geleden\b")
_TO_VALUE = re.compile(r"\s+(?:naar|tot)\s+")
_BETWEEN = re.compile(r"\btussen\s+(?:de\s+)?$", re.I)  # "tussen de 3 en 4,8 procent": one range
_AND = re.compile(r"\s+en\s+")
_WAS = re.compile(r"\(\s*(?:dat\s+)?was\s+$", re.I)  # "25.137 kinderen ... (was 25.827 op 1 april 2025)"
# a participle after the subject's verb that is no change of the value: "zijn gebaseerd op", "is vastgesteld"
_OTHER_PARTICIPLE = re.compile(r"^(?!(?:gemiddeld|gedaald|gegroeid|gezakt|gehalveerd|gestabiliseerd|geweest)$)\w*ge\w+[dt]$")
_OWN_CLAUSE = re.compile(r"[;:()]|\s[–-]\s|,\s*(?:waardoor|omdat|doordat|terwijl|zodat|waarbij|waarmee|waarna|maar|want|dus|wat)\b",
                         re.I)
AROUND_WORDS = 24  # what a figure counts or a date dates, when no subject says it: this many words of its sentence
AFTER_WORDS = 12  # ... of which at least this many after the figure, when the sentence goes on (a Dutch verb stands last)
OMITTED = "[…]"  # words of the sentence left out of it


@dataclass
class KeyFigure:
    """A row of the Kerncijfers: what is counted, the value as written, its date, its quotes."""

    measure: str
    value: str
    date: str | None
    sort: tuple  # the date as (year, month, day), for the order within a measure
    quotes: list[Quote]
    key: tuple  # the same figure found twice: one row with both citations
    core: bool = False  # read from a sentence mostly about the topic (`strong`), not one the topic only touches


def figures(index: Index, found: Found, strong: float, min_about: float) -> list[KeyFigure]:
    """Every figure of the sentences about the topic that says what it counts (a unit, or a table
    cell under its peildatum) and the dates of events, at most MAX_FIGURES of which KEY_DATES are
    kept for the dates, grouped by measure and ordered by date.
    The second sentence of a pair is read with the first (a figure after "Hiervan" or "deze
    respectievelijk") and quoted with it."""
    out: dict[tuple, KeyFigure] = {}
    overflow: list[tuple[KeyFigure, ScoredSentence]] = []  # figures past the room left for the dates of events

    def add(figure: KeyFigure, s: ScoredSentence, room: int = MAX_FIGURES) -> None:
        figure.core = found.about[id(s)] >= strong
        known = out.get(figure.key) or next((f for f in out.values() if _same_fact(f, figure)), None)
        if known is not None and not _told_again(index, known, figure):  # the same value of another fact: its own row
            figure = replace(figure, key=(*figure.key, figure.quotes[0].chunk.source_id, figure.quotes[0].start))
            known = out.get(figure.key)
        if known is not None:  # found again: one row, citing both places; in its table's series if it has one
            known.core |= figure.core
            if s.chunk.table_row and not known.quotes[0].chunk.table_row:
                known.measure, known.value, known.date = figure.measure, figure.value, figure.date
                known.quotes = figure.quotes + known.quotes
            elif not s.pair:  # a sentence in two overlapping passages is cited once
                known.quotes += [q for q in figure.quotes if not any(overlaps(q, k) for k in known.quotes)]
            return
        twin = next((k for k, f in out.items() if _twins(f, figure) and _told_again(index, f, figure)), None)
        if twin is not None:  # the same figure with and without a date: the dated row, citing every other place
            dated, other = (figure, out[twin]) if figure.date else (out[twin], figure)
            dated.quotes += [q for q in other.quotes if not any(overlaps(q, d) for d in dated.quotes)]
            dated.core |= other.core
            out[twin] = dated
            return
        if len(out) < room:
            out[figure.key] = figure
        elif room < MAX_FIGURES:
            overflow.append((figure, s))

    # the sentences most about the topic first, a single before the pair that ends with it
    # a sentence with a figure may be a little less about the topic than a point must be
    near = [s for s in found.pool if FIGURE_ABOUT <= found.about[id(s)] < min_about and not s.pair and FIGURE_IN_TEXT.search(s.text)]
    ranked = sorted([*found.sentences, *near], key=lambda s: (found.about[id(s)] >= strong, found.about[id(s)] >= min_about, not s.pair,
                                                           s.score + found.about[id(s)]),
                    reverse=True)
    events: list[tuple[KeyFigure, ScoredSentence]] = []
    for s in ranked:
        if s.chunk.table_row:
            figures = _table_figures(index, s)
        elif not s.pair:
            # a sentence that refers to the one before is read and quoted with it: "In 2019 was dit gemiddeld 5,5 weken"
            pair = with_previous(index, s) if refers_back(s.text) else None
            offset = len(pair.text) - len(s.text) if pair else 0
            figures = _sentence_figures(pair or s, offset)
            own = {_LEADING_BOUND.sub("", f.date or "") for f in figures}  # a figure's own date is no event
            events += [(d, s) for d in _key_dates(pair or s, offset, years=not figures)
                       if _LEADING_BOUND.sub("", d.value) not in own]
        else:  # a pair: only when the second sentence leans on the first: "Dat bestond uit ... 29 aanbieders"
            second = found.ends.get((s.chunk.source_id, s.end))
            leans = second and (leans_back(second.text) or any(m.listed and not m.label for m in mentions(second.text)))
            figures = _sentence_figures(s, len(s.text) - len(second.text)) if leans else []
        for figure in figures:
            add(figure, s, MAX_FIGURES - KEY_DATES)
    for figure, s in events + overflow:  # the dates of events, then figures in what room they leave
        add(figure, s)
    groups: dict[str, list[KeyFigure]] = {}
    for f in out.values():
        groups.setdefault(measure_key(f.measure), []).append(f)
    return [f for group in groups.values() for f in sorted(group, key=lambda f: f.sort)]


def _told_again(index: Index, a: KeyFigure, b: KeyFigure) -> bool:
    """Whether two readings of one value are one fact, so that one row may cite both: a table's cell and
    a sentence with its value and date, or a sentence told again (the bloemlezing quotes its reports
    in several sections). Two sentences that share only a value are two facts, each its own row: "30%"
    of parents who saw violence themselves is not "circa 30 procent" of the staff leaving in Groningen,
    nor is "2019" of one event the year of another."""
    if a.quotes[0].chunk.table_row or b.quotes[0].chunk.table_row:
        return True
    return any(same_statement(quote_text(index, q), quote_text(index, r)) for q in a.quotes for r in b.quotes)


def _same_fact(a: KeyFigure, b: KeyFigure) -> bool:
    """The same value for the same date, in a sentence and in a table (1.499 kinderen op 1 oktober
    2025 and the GI-monitor's cell for 1 okt 2025)."""
    return a.sort == b.sort and a.sort != (9999,) and bool(values(a.value)) and values(a.value) == values(b.value)


def _twins(a: KeyFigure, b: KeyFigure) -> bool:
    """The same figure of one document, once read without a date."""
    return (a.quotes[0].chunk.source_id == b.quotes[0].chunk.source_id and a.key[:-1] == b.key[:-1]
            and (a.date is None) != (b.date is None))


def _sentence_figures(s: ScoredSentence, offset: int = 0) -> list[KeyFigure]:
    """The figures of a sentence (from `offset` on: the second of a pair) that say what they count:
    a unit, or a name after them ("26 Veilig Thuis-organisaties"); never a month ("2 november").
    "18 van de 22" is one figure; a figure in words ("vijf weken", "een derde") or glued to the word
    before it by a conversion ("maatregel59 dagen") counts too."""
    out, text = [], s.text
    if _THRESHOLD.search(text[offset:]):  # "wachtlijst <100 en/of 60-80% binnen wettelijke termijn": a legend's classes
        return []
    found = mentions(text)
    of = {}  # "18 van de 22", "1 op 7": the first mention -> the second
    for m, n in zip(found, found[1:]):
        if re.fullmatch(r"\s+(?:van\s+de|op)\s+", text[m.end : n.start]) and not m.unit:
            of[m.start] = n
    skip = {n.start for n in of.values()}
    before: KeyFigure | None = None  # "(was 25.827 …)" counts what the figure before it counts
    covered = 0
    for m in found:
        whole = of.get(m.start, m)
        if span := _RANGE.match(text, whole.end):  # "15-20 gezinnen": the range, then what it counts; "20 gezinnen" is in it
            unit, end = unit_after(text, span.end())
            skip |= {n.start for n in found if whole.end < n.start < end}
            whole = replace(m, end=end, unit=unit)
        joint = _AND if _BETWEEN.search(text[: m.start]) else _TO_VALUE  # "tussen de 3 en 4,8 procent"
        if not m.unit and m.date is None and (to := joint.match(text, m.end)):  # "van gemiddeld 17 naar 12 kinderen"
            n = next((n for n in found if n.start == to.end() and n.unit), None)
            if n is not None:
                skip.add(n.start)
                whole = replace(m, end=n.end, unit=n.unit, date=n.date, value=n.value)  # keyed by both values
        timed = whole.unit_key in TIME_UNIT_STEMS
        if timed and (more := _AND_SMALLER.match(text, whole.end)):  # "6 uur en 37 minuten": one duration
            skip |= {n.start for n in found if whole.end < n.start < more.end()}
            whole = replace(m, end=more.end(), unit=whole.unit)
        if (n := _counted_with(text, whole, found)) is not None:  # "596 pleegouders en 224 pleegkinderen": one count
            skip.add(n.start)
            whole = replace(whole, end=n.end)
        euro = text[: m.start].rstrip().endswith("€")
        # a unit, a euro sign, a name after it, or a figure with a date or rate whose subject says what it
        # counts ("Het aantal meldingen ... naar ongeveer 125.000 per jaar")
        was = before is not None and bool(_WAS.search(text[: m.start]))
        rank = _RANK.search(text[: m.start])  # "van plaats 19 naar plaats 21", "op plek 3"
        counted = whole.unit or euro or rank or re.match(r"\s+[A-Z][\w-]+", text[whole.end :]) \
            or (whole.date or _rate_end(text, whole.end) > whole.end) and conflicts.described(whole) or was
        if m.start < offset or m.start in skip or m.start < covered or not counted or set(stems(whole.unit)) & MONTH_STEMS \
                or m.start == offset > 0 and _LIST_NUMBER.match(text, m.start) \
                or whole.unit.lower() in REFERENCE_WORDS \
                or m.listed and not m.label or timed and _AGO.match(text, whole.end):
            continue  # what it counts is not in this sentence; "20 jaar geleden" says when
        date = None if timed and _TERM.search(text[: m.written_start]) else whole.date or m.date
        covered = _rate_end(text, whole.end)  # a figure in its rate is its ("€21.000 voor 3 weken")
        written = text[rank.start(): covered] if rank else ("€" if euro and not m.approximate else "") + m.written(covered)
        what = before.measure if was and not whole.unit else measure(replace(whole, start=m.start, end=covered), text[offset:])
        before = KeyFigure(what, written, _dated(text, date), _sort(date.key) if date else (9999,),
                           [sentence_quote(s)], (m.number, whole.number, whole.unit_key, date.key if date else None))
        out.append(before)
    dates = find_dates(text)
    for a, b, written, share in word_figures(text) + [(a, b, w, False) for a, b, w in glued_numbers(text)]:
        unit, end = ("", b) if share else unit_after(text, b)  # "een derde zegt": a share counts no word after it
        named = re.match(r"\s+[A-Z][\w'’-]+", text[b:])  # "vier GI's", "Elf Veilig Thuis-organisaties"
        # "(tot 980 zaken) bij één Veilig Thuis organisatie": one of many, an article; not "hebben één GI onder toezicht gesteld"
        single = written.lower() == "één" and _rate_end(text, end) == end and _AFTER_PREPOSITION.search(text[:a]) \
            or word_value(written) == "1" and _one_of_a_kind(text, a, b)
        if a < offset or any(m.start < b and a < m.end for m in found) or not (unit or share or named) \
                or set(stems(unit)) & MONTH_STEMS or single or _AGO.match(text, end):
            continue
        date = None if _TERM.search(text[:a]) else date_of(text, a, end, dates)
        end = _rate_end(text, end)
        mention = Mention(text, a, end, written, unit, date, False, None)
        what = measure(mention, text[offset:])  # "een half jaar" in two sentences: two facts
        out.append(KeyFigure(what, text[a:end], _dated(text, date),
                           _sort(date.key) if date else (9999,), [sentence_quote(s)],
                           (written.lower(), unit, measure_key(what), date.key if date else None)))
    return out


def _one_of_a_kind(text: str, a: int, b: int) -> bool:
    """"één" at [a, b) as "a single", no count: one of several in the sentence ("één aanmeldroute, één
    aanmeldformulier"), in quotes ("‘één meldpunt’"), or "meer dan één aanbieder"."""
    return (len(re.findall(r"\bééns?\b", text, re.I)) > 1 or a > 0 and text[a - 1] in _OPENING
            or b < len(text) and text[b] in _CLOSING or bool(re.match(r"meer\s+dan\b", text[a:b], re.I)))


def _key_dates(s: ScoredSentence, offset: int = 0, years: bool = False) -> list[KeyFigure]:
    """The dates of events in a sentence on the topic, as key figures: after "per", "vanaf",
    "uiterlijk" ... ("Zo treedt per 1 januari 2026 de Wet ... in werking"), or a month after "in",
    "eind", "begin" ("vroegen in oktober 2020", "tot uiterlijk eind januari 2026"), as written.
    With `years` (a sentence with no figure of its own), also its years of events: "Sinds 2022
    hebben de instellingen ...", "Het RiHG dateert uit 2008". From `offset` on: the second of a pair."""
    text, out = s.text, []
    dates = [d for d in find_dates(text) if d.start >= offset]
    # the date right after a figure is the figure's: "(was 25.827 op 1 april 2025)"; so is the peildatum of values
    # listed "respectievelijk" (read with the sentence before): "Op 1 oktober 2024 waren deze respectievelijk 16,1% en 7,3%"
    of_figures = {m.date.start for m in mentions(text) if m.date and (m.listed or 0 <= m.date.start - m.end <= len(" per "))}
    # the years that date an event ("Evaluatierapport 2022 ... concludeert dat de wet van 2015 ..."), each of its own
    # clause: "In 2005 kreeg Bureau Jeugdzorg een formele positie ..., maar in 2015 is dit bureau weer ... ontmanteld"
    event_years = [d for d in dates if re.fullmatch(r"(?:19|20)\d\d", d.text) and _YEAR_EVENT.search(text[: d.start])]

    def event_start(d: DateSpan) -> int | None:
        """Where the event date `d` starts as written, or None for a date that dates no event."""
        if d.start in of_figures or compared_with(text, d):  # "beter dan in oktober 2020" dates no event
            return None
        if years and d in event_years:
            return _bounded(text, d.start)
        first = _MONTH_RANGE.search(text[: d.start])  # "in de periode juni – december 2021": the whole period
        before = text[: first.start() if first else d.start]
        month = _MONTH_EVENT.search(before)
        qualified = month and month.group(1).lower() in ("eind", "begin", "medio")  # "eind januari 2026"
        # "eind 2027", "het eerste kwartaal van 2026": a year with its part, as one date
        part_of_year = re.match(r"(?:het\s+)?(?:eind|begin|medio|voorjaar|najaar|zomer|winter|eerste|tweede|derde|vierde|laatste)\b",
                                d.text, re.I)
        if (d.month or qualified or part_of_year) and (_EVENT_DATE.search(before) or (month or part_of_year) and not d.day):
            return _bounded(text, first.start() if first else month.start(1) if qualified else d.start)  # "eind januari 2026"
        return None

    # two dates joined by "en" are one period: "in 2024 en de eerste helft van 2025", "in 2019 en 2020"
    periods: list[list[DateSpan]] = []
    for d in dates:
        if periods and _JOINED.fullmatch(text[periods[-1][-1].end : d.start]):
            periods[-1].append(d)
        else:
            periods.append([d])
    for period in periods:
        starts = [start for d in period if (start := event_start(d)) is not None]
        if starts:
            out.append(_event(s, min(starts), period[-1].end, period[0].key))
    for m in _YEAR_RANGE.finditer(text, offset):  # "De meldingen betreffen de periode 2022–2024"
        out.append(_event(s, m.start(1), m.end(), (int(m.group(2)),)))
    for m in _DECADE.finditer(text, offset):
        out.append(_event(s, m.start(), m.end(), (1900 + int(m.group(1)),)))
    for m in _THIS_YEAR.finditer(text, offset):  # "op 14 mei jl.": the year is the document's, which the text leaves out
        if _EVENT_DATE.search(text[: m.start()]):
            out.append(_event(s, _bounded(text, m.start()), m.end(), (0, month_number(m.group(2)), int(m.group(1)))))
    return out


def _dated(text: str, date: DateSpan | None) -> str | None:
    """A figure's date as its row shows it: with "sinds" or "vanaf", a count since then ("meer dan 5.000
    medewerkers vertrokken sinds 2015"), not a count on that date; a period in full ("tussen 8 mei en 18
    december 2018")."""
    if date is None:
        return None
    since = _SINCE.search(text[: date.start]) or _PERIOD_FROM.search(text[: date.start])
    return f"{since.group(0)}{date.text}" if since else date.text


def _bounded(text: str, start: int) -> int:
    """Where a date starts with the words that say it starts or ends something ("tot uiterlijk")."""
    bound = _BOUND.search(text[:start])
    return bound.start() if bound else start


def _event(s: ScoredSentence, start: int, end: int, key: tuple) -> KeyFigure:
    """A key date as written from `start` (with its bound: "vanaf uiterlijk 1 januari 2027"), named
    by what its sentence says around it."""
    return KeyFigure(around(s.text, start, end), s.text[start:end], None, _sort(key), [sentence_quote(s)], ("datum", key))


def around(text: str, start: int, end: int) -> str:
    """What a sentence says around a figure or a date, with it left out: "Zo treedt … de Wet
    verbetering beschikbaarheid jeugdzorg in werking"."""
    before = text[:start].rstrip(" ,(").split()
    after = text[end:].lstrip(" ,)").rstrip(" .").split()
    # the gap always shows, with the words right around it; what is left out is marked "[…]", so the
    # reader never takes a cut for the place of the figure
    kept_after = min(len(after), max(AROUND_WORDS - len(before), AFTER_WORDS))
    kept_before = min(len(before), AROUND_WORDS - kept_after)
    # a sentence cut before the figure keeps the subject it opens with: what it is about ("Het aantal kinderen
    # dat wacht op een vaste jeugdbeschermer […] (gemiddeld … van totaal aantal kinderen ...")
    head = (subject(text) or "").split() if kept_before < len(before) else []
    cut = len(before) - kept_before
    lead = head + [OMITTED] if head and len(head) < cut else [OMITTED] if cut else []
    words = lead + before[cut:] + ["…"] + after[:kept_after] + ([OMITTED] if kept_after < len(after) else [])
    what = " ".join(words).strip(" .")
    return what[:1].upper() + what[1:]


def _rate_end(text: str, end: int) -> int:
    """Where a figure ends with its rate or currency: "één gesprek per jaar", "16,7% per jaar",
    "circa 10 miljard euro", "€21.000 voor 3 weken"."""
    rate = re.match(r"\s+(?:euro\b\s*)?per\s+(?:dag|week|maand|kwartaal|jaar|kind|gezin|fte|medewerker)\b|\s+euro\b"
                    r"|\s+voor\s+(?:\d+|een|één|twee|drie|vier|vijf|zes)\s+(?:dagen|dag|weken|week|maanden|maand|jaar)\b", text[end:])
    return end + rate.end() if rate else end


def _counted_with(text: str, m: Mention, found: list[Mention]) -> Mention | None:
    """The count joined to `m` by "en" that counts something else of the same ("596 pleegouders en
    224 pleegkinderen" answered, "135 gemeenten en 5 zorgverzekeraars"): one figure, as written. Not
    values "respectievelijk" of different measures, nor shares."""
    joined = _AND.match(text, m.end)
    if not joined or not m.unit or m.unit == "%" or m.label or "respectievelijk" in text.lower():
        return None
    n = next((n for n in found if n.start == joined.end()), None)
    if n is None or not n.unit or n.unit == "%" or n.unit_key == m.unit_key or n.date or n.unit_key in TIME_UNIT_STEMS:
        return None
    return n


def _sort(key: tuple) -> tuple:
    return tuple(part or 0 for part in key)


def measure(m: Mention, text: str) -> str:
    """What is counted: the list item, the sentence's subject, a named kind in full ("Veilig Thuis
    organisaties"), or else what the figure's own sentence says around it ("Van … hebben de
    inspecties cijfers ontvangen over de triage")."""
    found = m.label or _subject_of(m, text)
    if not m.label and (not found or len(found.split()) < 2):  # "Daarnaast", "Hiervan": no subject
        if conflicts.named_kind(m):
            return m.unit
        if antecedent := _antecedent(m, text):
            return antecedent
        sentence = m.sentence
        # "In 2019 was dit gemiddeld 5,5 weken": with the sentence that says what "dit" is
        if pronoun_subject(text) and (lead := m.text.rfind(text)) > 0:
            sentence = m.text[m.text.rfind(". ", 0, lead - 2) + 2 if ". " in m.text[: lead - 2] else 0 :]
        cut = m.text.find(sentence)
        if cut < 0:
            return m.unit or "—"
        start = m.written_start - cut  # the figure as written, with its hedge and currency: "circa €13.000"
        if sentence[:start].rstrip().endswith("€"):
            start = sentence[:start].rstrip().rfind("€")
        return around(sentence, start, m.end - cut)
    return found[:1].upper() + found[1:]


def _subject_of(m: Mention, text: str) -> str | None:
    """The subject of the figure's sentence, when it says what the figure counts: the figure is what
    the subject is, amounts to or has become, in the subject's own clause ("Het personeelsverloop ...
    bedroeg 16,7%", "... is toegenomen van 1.358 naar 1.499 kinderen"). Not the object of another verb
    ("De afgesproken landelijke tarieven zijn gebaseerd op gemiddeld 12,8 kinderen"), nor a figure
    after a colon, semicolon, bracket or a clause of its own ("... is hoog, waardoor gezinnen tijdens één
    traject ...")."""
    found = subject(text)
    at = m.start - m.text.rfind(text)
    if not found or text not in m.text or at < 0:
        return None
    between = text[text.find(found) + len(found) : at]
    words = [w.lower().strip(",") for w in between.split()]
    if not words or words[0] not in AMOUNT_VERBS or any(_OTHER_PARTICIPLE.match(w) for w in words):
        return None
    clauses = _OWN_CLAUSE.split(between)
    # "... is al jaren hoog; in 2024 was dit 15,5 procent": the clause of its own names the subject by "dit"
    return found if len(clauses) == 1 or pronoun_subject(clauses[-1].strip() + " " + m.phrase) else None


def _antecedent(m: Mention, text: str) -> str | None:
    """What a figure counts whose sentence names it by "dit" or "deze": what the same unit counts in
    the sentence before ("Op 1 januari 2022 stonden 4.284 kinderen op de wachtlijst van de RvdK. Ten
    tijde van het signalement ... waren dit 3.192 kinderen")."""
    before = m.text[: len(m.text) - len(text)]
    if not before.strip() or not pronoun_subject(text):
        return None
    same = [n for n in mentions(before) if n.unit and n.unit_key == m.unit_key and (n.label or _subject_of(n, n.sentence))]
    return measure(same[-1], same[-1].sentence) if same else None


def _table_figures(index: Index, s: ScoredSentence) -> list[KeyFigure]:
    """A table row about the topic: each cell under its column (the peildatum), citing the row and
    the column labels."""
    section = table_section(index, s)
    rows = dict(zip(section.table.row_spans, section.table.rows))
    if (s.start, s.end) not in rows:
        return []
    label, cells = rows[(s.start, s.end)]
    header = Quote(s.chunk, *section.table.header_span)
    out = []
    for column, cell in zip(section.table.header, cells):
        when = parse_date(column)
        sort = (when.year, when.month, when.day) if when else (9999,)
        number = re.sub(r"\D", "", cell)
        out.append(KeyFigure(label, cell, column, sort, [sentence_quote(s), header], (number, "", sort)))
    return out


def measure_key(measure: str) -> str:
    return " ".join(stems(measure)) or measure.lower()
