"""The answer without a language model, as claims made of the sources' own words.

For a figure or date question: first one line that states the figure(s), what they count and
their date, copied from the quote (a template around copied spans: no new figure, no
paraphrase), then the quote. For other questions the sentence that answers. After that only
quotes that answer the same question: another source with the same value, a source that gives
another value (said plainly), or a document the question names. No padding.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import conflicts, refusal, tables
from .citations import document_name, overlaps, sentence_quote, similar
from .claims import Draft
from .conflicts import Reading
from .dutch import MONTH_STEMS, TIME_UNIT_STEMS, find_dates, format_date, same_date, stems
from .index import Index
from .measures import Mention, mentions, subject
from .query import QueryTerms
from .retrieval import Retrieved, ScoredSentence

MAX_SUPPORT = 2
MAX_COMPARED = 3  # further figures for a question that compares
TOP_SENTENCES = 12  # where agreeing and differing figures are looked for
# A question in parts or a comparison: up to MAX_PARTS more sections whose best sentence scores at
# least PART_SCORE of the best.
MAX_PARTS = 2
PART_SCORE = 0.88
# Of the best sentence's topic words, the share a further quote must hold; less for the answer to
# another part of the question, which is about something else by nature.
TOPIC_SHARE = 0.5
PART_TOPIC_SHARE = 0.4
EVENT_SHARE = 0.7  # ... and the share another sentence must hold to tell the same event with another date
_CHANGE_ASKED = re.compile(r"\b(tot|naar|van)\s+hoeveel\b", re.I)
_PERCENT_ASKED = re.compile(r"\b(?:percentage|procent|%|welk deel)\b", re.I)


@dataclass
class Extracted:
    drafts: list[Draft]  # the claims, best first
    conflicts: list[list[Reading]]  # each: the answer's figure and the other values for it
    figure: Reading | None = None  # the figure that answers a question asking for one ...
    figure_lines: list[Draft] = field(default_factory=list)  # ... and the lines that state and quote it


def answer(index: Index, retrieved: Retrieved) -> Extracted:
    terms = retrieved.terms
    # a question that asks for a kind of answer ("hoe vaak") is answered by the best sentence that gives one
    holder = refusal.answering(index, retrieved)
    ranked = [holder, *(s for s in retrieved.sentences if s is not holder)] if holder else retrieved.sentences
    best = ranked[0]
    drafts: list[Draft] = []
    anchor: Reading | None = None
    cell = best.chunk.table_row and tables.cell(index, best, retrieved)
    if cell:
        drafts.append(cell)
    elif terms.wants_figure and (chosen := pick(best.text, retrieved)):
        drafts.append(_figure_line(best, chosen))
        anchor = Reading(chosen[0], best)
    drafts.append(quote_line(index, best))
    used = [best]
    # a whole row of figures (no peildatum asked), then what the text says of them
    if best.chunk.table_row and not cell and (prose := tables.prose_for_row(best, ranked[1:TOP_SENTENCES])):
        used.append(prose[0])
        drafts.append(quote_line(index, prose[0], lead=prose[1]))
    found: list[list[Reading]] = []
    if anchor is not None:
        # what the figure measures: the question's words that the figure's own sentence holds
        measure = {t: w for t, w in terms.terms.items() if t in set(stems(anchor.mention.sentence))} or terms.terms
        more, differing = _figure_support(index, anchor, ranked, used, measure, terms.compound, retrieved.named,
                                          bool(terms.dates or terms.years))
        drafts += more
        found = [differing] if differing else []
    elif terms.want is not None and terms.want.kind == "date" and (dated := _date_support(index, best, ranked, used, terms)):
        drafts += dated[0]
        found = [dated[1]]
    for doc in sorted(retrieved.named - {s.chunk.source_id for s in used}):  # each named document
        own = next((s for s in ranked if s.chunk.source_id == doc), None)
        if own and _on_topic(own, best, terms.terms, TOPIC_SHARE):
            used.append(own)
            drafts.append(quote_line(index, own))
    if retrieved.terms.compound:
        drafts += _part_answers(index, retrieved, used)
        drafts += _other_parts(index, retrieved, used)
    return Extracted(drafts, found, anchor, drafts[:2] if anchor else [])


def _part_answers(index: Index, retrieved: Retrieved, used: list[ScoredSentence]) -> list[Draft]:
    """For each part of a question in parts, searched on its own, its best sentence in a place
    the answer does not quote yet: the part's best, or one that answers the part nearly as well
    when the best stands where the answer already quotes (that place may answer another part)."""
    drafts = []
    for candidates in retrieved.parts:
        for s in candidates:
            if s.score < PART_SCORE * candidates[0].score:
                break
            if any(u.chunk.section == s.chunk.section and u.chunk.source_id == s.chunk.source_id for u in used) \
                    or any(similar(s.text, u.text) for u in used) or not _on_topic(s, used[0], retrieved.terms.terms, PART_TOPIC_SHARE):
                continue
            used.append(s)
            drafts.append(quote_line(index, s))
            break
    return drafts


def _other_parts(index: Index, retrieved: Retrieved, used: list[ScoredSentence]) -> list[Draft]:
    """A question in parts or a comparison ("..., en met hoeveel hulpverleners", "komen die
    overeen?", "volgens de Kamerbrief en de inspecties"): the best sentence of each next section
    that answers nearly as well as the best, so each part and each side gets its quote; of the
    documents the question names, when it names any."""
    best = retrieved.sentences[0]
    drafts, seen = [], {(u.chunk.source_id, u.chunk.section) for u in used}
    for s in retrieved.sentences[1:]:
        if len(drafts) == MAX_PARTS or s.score < PART_SCORE * best.score:
            break
        place = (s.chunk.source_id, s.chunk.section)
        if place in seen or _overlaps_any(s, used) or any(similar(s.text, u.text) for u in used) \
                or (retrieved.named and s.chunk.source_id not in retrieved.named) \
                or not _on_topic(s, best, retrieved.terms.terms, TOPIC_SHARE):
            continue
        seen.add(place)
        used.append(s)
        drafts.append(quote_line(index, s))
    return drafts


def _on_topic(s: ScoredSentence, best: ScoredSentence, terms: dict[str, float], share: float) -> bool:
    """A further quote is about what the best one is about: it holds at least `share` as much of
    the question's topic, dates and figures aside ("op 1 oktober 2025" alone does not make it relevant)."""
    topic = {t: w for t, w in terms.items() if not t.isdigit() and t not in MONTH_STEMS}

    def held(x: ScoredSentence) -> float:
        present = set(stems(x.text))
        return sum(w for t, w in topic.items() if t in present)

    return held(s) > 0 and held(s) >= share * held(best)


def quote_line(index: Index, s: ScoredSentence, lead: str = "") -> Draft:
    """ "Kamerbrief, Wachtlijsten: “...”": where it stands, then the sentence verbatim."""
    where = f"{lead}{document_name(index, s.chunk.source_id)}, {s.chunk.section}: "
    return Draft(f"{where}“{s.text}”", [sentence_quote(s)], (where,))


def pick(text: str, retrieved: Retrieved) -> list[Mention]:
    """The figure(s) of `text` that answer: the date asked for, the unit asked for, the item of
    a list the question names, and close to the question's words."""
    found = [m for m in mentions(text) if m.unit or m.date]
    if not found:
        return []
    terms = retrieved.terms
    asked_dates = [d for d in find_dates(terms.asked)]
    asked_percent = bool(_PERCENT_ASKED.search(terms.asked))
    question_stems = set(terms.terms)
    # "tot hoeveel fte is ... toegenomen": the new value of "van 2.681 fte ... tot 2.740,9 fte"
    direction = _CHANGE_ASKED.search(terms.asked)
    positions = [i for i, w in enumerate(_words(text)) if set(stems(w)) & question_stems]

    def score(m: Mention) -> float:
        s = 0.0
        if asked_dates and m.date is not None:
            s += 2.0 if any(same_date(m.date, d) for d in asked_dates) else -1.0
        if asked_percent:  # the kind of figure counts before its date
            s += 1.0 if m.unit == "%" else -3.0
        elif m.unit_key and m.unit_key in question_stems:
            s += 1.0
        if m.label:
            s += 1.5 if set(stems(m.label)) & question_stems else -2.0
        if direction and re.search(rf"\b{direction.group(1)}\s+(?:\S+\s+)?$", text[: m.start], re.I):
            s += 1.0
        if positions:
            at = len(_words(text[: m.start]))
            s -= 0.05 * min(abs(at - p) for p in positions)
        return s

    ranked = sorted(found, key=score, reverse=True)
    first = ranked[0]
    # "hoeveel pleegouders en pleegkinderen": every figure that counts another thing asked about
    more = [m for m in ranked[1:] if m.unit_key in question_stems and m.unit_key != first.unit_key
            and m.unit_key not in TIME_UNIT_STEMS and (m.date is None or first.date is None or same_date(m.date, first.date))]
    return [first, *more]


def _words(text: str) -> list[str]:
    return text.split()


def _figure_line(s: ScoredSentence, chosen: list[Mention]) -> Draft:
    """ "Het personeelsverloop bij de GI's: 15,5 procent (in 2024)": what is counted, the figures
    and their date, all copied from the sentence."""
    first = chosen[0]
    what = first.label or subject(s.text)
    phrases = [dated_phrase(m, what) for m in chosen]
    line = " en ".join(phrases)
    if what and not any(m.start < len(what) for m in chosen):
        line = f"{what}: {line}"
    return Draft(line[:1].upper() + line[1:], [sentence_quote(s)])


def dated_phrase(m: Mention, what: str | None) -> str:
    """The figure as written, with its date: "1.499 kinderen op 1 okt 2025", "15,5 procent (in 2024)"."""
    text, start = m.text, m.written_start
    if m.date is not None and m.date.start == m.start:  # the value is a date
        return m.date.text
    if m.date is None or (what and m.date.text in what):
        return text[start : m.end]
    if m.date.start >= m.end and not text[m.end : m.date.start].strip(" (").startswith(","):
        phrase = text[start : m.date.end].rstrip(" ,(")
        return phrase + ")" * (phrase.count("(") - phrase.count(")"))  # "7,3% (Q2 2025)"
    lead = re.search(r"(\b\w+\s+)$", text[: m.date.start])
    when = (lead.group(1).lower() if lead and lead.group(1).strip().lower() in _DATE_WORDS else "") + m.date.text
    return f"{text[start : m.end]} ({when})"


_DATE_WORDS = {"in", "op", "per", "sinds", "vanaf", "tot", "medio", "eind", "begin", "rond", "na", "voor"}


def _figure_support(index: Index, anchor: Reading, ranked: list[ScoredSentence], used: list[ScoredSentence],
                    terms: dict[str, float], compares: bool, named: set[str], asked_date: bool
                    ) -> tuple[list[Draft], list[Reading]]:
    """Another place with the same value, and every other value the sources give for the same
    measure and period, said plainly. A question that compares ("komen die overeen?", "volgens
    de verschillende passages") is answered from every retrieved sentence, of the documents it
    names, and also by a rounded value that agrees and by values for another period."""
    pool = ranked[1:] if compares else ranked[1:TOP_SENTENCES]
    pool = [s for s in pool if not _overlaps_any(s, used) and (not compares or not named or s.chunk.source_id in named)]
    # the anchor's own sentence too: it may give a second value for the same date (`conflicts.restated`)
    compared = conflicts.compare(anchor, conflicts.readings([anchor.sentence, *pool], terms))
    sides = [anchor, *compared.differing] if compared.differing else _told_otherwise(anchor, pool)
    drafts = []
    if sides:
        drafts.append(conflict_line(index, sides))
        for r in sides[1:]:
            if r.sentence is not anchor.sentence:
                used.append(r.sentence)
                drafts.append(quote_line(index, r.sentence))
    room = (MAX_COMPARED if compares else MAX_SUPPORT) - len(sides[1:])
    # a question without a date is answered by every value the sources give; with one, by that date's
    more = [(r, tables.SAME) for r in compared.agreeing]
    more += tables.confirmation(anchor, pool, terms)[:1]
    if compares:
        more += [(r, tables.SIMILAR) for r in compared.close]
    if compares or not asked_date:
        more += [(r, "Een ander cijfer staat in ") for r in compared.other]
    for r, lead in more:
        if room <= 0:
            break
        if not any(similar(r.sentence.text, u.text) or overlaps(r.sentence, u) for u in used):
            used.append(r.sentence)
            drafts.append(quote_line(index, r.sentence, lead=lead))
            room -= 1
    return drafts, sides


def _told_otherwise(anchor: Reading, pool: list[ScoredSentence]) -> list[Reading]:
    """The answer's own figure told elsewhere with another value, found as a briefing finds it: the
    same term in another unit of time ("vijf werkdagen" for triage against "binnen vijf dagen"), or
    shares for the same names that agree on one and differ on another (`conflicts.told_twice`). Its
    own side first; none when the conflict is about another figure of its sentence."""
    sentences = [anchor.sentence, *pool]
    for group in conflicts.terms_in_two_units(sentences) + conflicts.told_twice(sentences):
        mine = next((r for r in group if overlaps(r.sentence, anchor.sentence) and r.mention.start == anchor.mention.start), None)
        if mine is not None:
            return [mine, *(r for r in group if r is not mine)]
    return []


def _date_support(index: Index, best: ScoredSentence, ranked: list[ScoredSentence], used: list[ScoredSentence],
                  terms: QueryTerms) -> tuple[list[Draft], list[Reading]] | None:
    """A question that asks when something named happened: another sentence that tells the same
    event (the names of the question, and nearly all the topic words the answer holds) with
    another date is a conflict, said plainly ("Rita Verdonk wordt in 2019 ... aangesteld" against
    "... werd in 2018 ... benoemd"). Without names in the question two dates are two events."""
    mine = find_dates(best.text)
    names = [set(stems(n)) for n in terms.names if stems(n)]
    if len(mine) != 1 or not names:
        return None

    def named(x: ScoredSentence) -> bool:
        held = set(stems(x.text))
        return all(n <= held for n in names)

    if not named(best):
        return None
    for s in ranked[1:TOP_SENTENCES]:
        theirs = find_dates(s.text)
        if s.chunk.table_row or _overlaps_any(s, used) or len(theirs) != 1 or same_date(theirs[0], mine[0]) \
                or not named(s) or not _on_topic(s, best, terms.terms, EVENT_SHARE):
            continue
        sides = [conflicts.date_reading(x, d) for x, d in ((best, mine[0]), (s, theirs[0]))]
        used.append(s)
        return [conflict_line(index, sides), quote_line(index, s)], sides
    return None


def conflict_line(index: Index, sides: list[Reading]) -> Draft:
    """ "De bronnen verschillen: de Bloemlezing (25 maart 2026) noemt 15,5 procent (in 2024); de
    Kamerbrief (november 2025) noemt 16,1% (op 1 oktober 2024)." Each side with source and date."""
    if len({(r.sentence.chunk.source_id, r.sentence.start) for r in sides}) == 1:  # one sentence, two values for one date
        r = sides[0]
        where = f"({document_name(index, r.sentence.chunk.source_id)}, {r.sentence.chunk.section})"
        frame = f"Let op: één zin {where} geeft twee waarden voor dezelfde datum: "  # true by `conflicts.restated`
        values = " en ".join(dated_phrase(x.mention, None) for x in sides)
        return Draft(f"{frame}{values}.", [sentence_quote(r.sentence)], (frame,), kind="conflict")
    parts, asides = [], []
    one_document = len({r.sentence.chunk.source_id for r in sides}) == 1  # then each side says its section
    for r in sides:
        source = index.documents[r.sentence.chunk.source_id].source
        name, when = document_name(index, source.id), format_date(source.date)
        name += "" if name.endswith(f"({when})") else f" ({when})"
        if one_document:
            name += f", {r.sentence.chunk.section},"
        asides.append(name)
        parts.append(f"{name} noemt {dated_phrase(r.mention, None)}")
    return Draft("De bronnen verschillen: " + "; ".join(parts) + ".", [sentence_quote(r.sentence) for r in sides], tuple(asides),
                 kind="conflict")


def _overlaps_any(s: ScoredSentence, used: list[ScoredSentence]) -> bool:
    return any(overlaps(s, u) for u in used)
