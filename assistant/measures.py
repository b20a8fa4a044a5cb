"""Figures in a sentence, read as a reader would: the value as written, what it counts, the date
it belongs to, and whether it is rounded.

The extractive answer, the conflict check and the briefing all read figures through this one
module, so "1.499 kinderen op 1 okt 2025" means the same thing everywhere. Nothing here is tied
to one document: it reads Dutch number notation, units, dates and "respectievelijk" lists.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .dutch import (
    APPROXIMATE,
    BACK_REFERENCE,
    COUNT_ADJECTIVES,
    FINITE_VERBS,
    FUNCTION_WORDS,
    PREPOSITIONS,
    RELATIVE_PRONOUNS,
    DateSpan,
    canonical_number,
    compared_with,
    find_dates,
    find_numbers,
    stems,
)

_PERCENT = re.compile(r"^\s?(?:%|procent\b|procentpunt\w*)", re.I)
# a closing quote is not part of the word ("‘… 0-100 jaar’"), unless the word opens with one: "47 ‘reuzenstichtingen’"
_WORD = re.compile(r"^\s+(?P<open>[‘“])?(?P<word>[^\W\d_][\w-]*(?:['’][\w-]+)*)(?(open)[’”])")
_ABBREVIATED_UNIT = re.compile(r"^\s+([A-Z]{2,}['’]s)\b")
_MULTIPLIER = re.compile(r"\s+(miljoen|miljard)\b", re.I)
_NAME = re.compile(r"\s+([A-Z][\w'’-]+)")
_NAMED_UNIT = re.compile(r"^\s+((?:[A-Z][\w'’]*\s+){0,2}[A-Z][\w'’]*)[\s-]+([a-z][\w'’-]*)")
_CLAUSE_BREAK = re.compile(r"[;:()]|\s[–-]\s")
# A date directly after a figure belongs to it: "1.499 kinderen op 1 okt 2025", "20% per jaar (medio 2022)".
_DATE_AFTER = re.compile(r"^[\s,]*(?:\(|(?:op|per|in|sinds|vanaf|tot|rond|eind|begin|medio)\s|per jaar\s*\()?\s*$", re.I)
_RESPECTIVELY = re.compile(r"\brespectievelijk\b", re.I)
_LIST_SPLIT = re.compile(r",\s*|\s+en\s+")
# "... bedraagt 16% en het ziekteverzuim 7,6%": a second subject right before its figure, the verb elided.
_ELIDED_SUBJECT = re.compile(r"\b(?:en|terwijl|maar)\s+((?:het|de)\s+[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*){0,3})\s+$", re.I)
# "van enkele honderden in 2015 naar zo'n 6.000": the date before "naar" is the old value's
_FROM_TO = re.compile(r"\bvan\b(?:(?!\bvan\b)[^;:()])*\b(?:19|20)\d\d\b(?:(?!\bvan\b)[^;:()])*\bnaar\b[^;:()]*$", re.I)
# "een toename van 1.358 naar 1.499 kinderen": the old value has its own date, not the sentence's
_OLD_VALUE = re.compile(r"\bvan\s+(?:(?:" + "|".join(map(re.escape, APPROXIMATE)) + r")\s+)?$", re.I)
_TO = re.compile(r"^[^;:().]{0,40}\bnaar\b", re.I)
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")  # the date of another sentence is not the figure's
_SHORT_ASIDE = re.compile(r"\([^()]{0,20}\)")  # "(per jaar)": no break between a figure and its date
# A subject opens the sentence: an article or demonstrative, or an abbreviation ("GI's", "RvdK").
_ARTICLE_START = re.compile(r"^(?:[-·•*]\s*)?(?:[Hh]et|[Dd]e|[Ee]en|[Dd]it|[Dd]eze|[Dd]ie|[Dd]at)\b|^[A-Z][a-z]*[A-Z]")


@dataclass(frozen=True)
class Mention:
    """A figure in `text` (one sentence or two adjacent ones), with offsets into that text."""

    text: str
    start: int
    end: int  # the value and its unit: "1.499 kinderen", "16,7%"
    value: str  # as written: "1.499", "16,7"
    unit: str  # "%", or the word(s) it counts as written ("kinderen", "extra pleeggezinnen"), or ""
    date: DateSpan | None
    approximate: bool
    label: str | None  # what it counts when a list says so ("personeelsverloop ... respectievelijk 16,7%")
    listed: bool = False  # one of the values after "respectievelijk"; without a label it is unclear what it counts

    @property
    def phrase(self) -> str:
        return self.text[self.start : self.end]

    @property
    def written_start(self) -> int:
        """Where the figure starts as the document writes it: with a word that says it is rounded ("bijna 20%")."""
        return self.text.rfind(" ", 0, self.start - 1) + 1 if self.approximate else self.start

    def written(self, end: int | None = None) -> str:
        """The figure as the document writes it (through `end`: "18 van de 22"), with its hedge: "circa 70%"."""
        return self.text[self.written_start : end or self.end].lstrip("(“‘")

    @property
    def number(self) -> str:
        return canonical_number(self.value)

    @property
    def unit_key(self) -> str:
        """Units compare by stem: "kinderen" and "kind" count the same thing."""
        if self.unit == "%":
            return "%"
        words = stems(self.unit)
        return words[-1] if words else ""

    def context(self) -> set[str]:
        """Stems that say what the figure measures: its list label, else its own sentence, with
        the one before only when it leans on it ("Hiervan wachten 523 kinderen"); nothing for a
        listed value whose list is not in the text ("deze respectievelijk 16,1% en 7,3%")."""
        if self.label:
            return set(stems(self.label))
        return set() if self.listed else set(stems(self.sentence))

    @property
    def sentence(self) -> str:
        """The sentence of `text` the figure stands in, with the one before when it leans on it."""
        breaks = [m.end() - 1 for m in _SENTENCE_BREAK.finditer(self.text)]
        before = [b for b in breaks if b <= self.start]
        start = before[-1] if before else 0
        if before and BACK_REFERENCE.match(self.text[start:]):
            start = before[-2] if len(before) > 1 else 0
        end = next((b for b in breaks if b >= self.end), len(self.text))
        return self.text[start:end]


def mentions(text: str) -> list[Mention]:
    """Every figure in `text`, in order."""
    dates = find_dates(text)
    labels = _respectively_labels(text)
    out = []
    for a, b, value in find_numbers(text):
        if _is_list_number(text, a):
            continue
        unit, end = unit_after(text, b)
        before = text[:a].split()
        approximate = bool(before) and before[-1].lower().strip("(") in APPROXIMATE
        label = labels.get(a) if a in labels else _elided_subject(text[:a])
        out.append(Mention(text, a, end, value, unit, date_of(text, a, end, dates), approximate, label, a in labels))
    return out


def subject(text: str) -> str | None:
    """The subject of a sentence that opens with one ("Het aantal kinderen dat wacht op een vaste
    jeugdbeschermer" | is ...), as written; None when it opens otherwise ("In 2024 waren er ...")."""
    if not _ARTICLE_START.match(text):
        return None
    words = list(re.finditer(r"[^\s]+", text))
    relative = False  # inside "dat wacht op ...": that verb does not end the subject
    for i, w in enumerate(words[1:13], 1):
        token = w.group(0).lower().strip(",.;:()")
        if token in RELATIVE_PRONOUNS:
            relative = True
        elif token in FINITE_VERBS and relative:
            relative = False
        elif token in FINITE_VERBS:
            span = text[: words[i - 1].end()].strip(" ,;:-·•*")
            return span if stems(span) else None
        if re.search(r"\d|[;:]", w.group(0)):  # "(ondersteunend)" may stand in a subject, "(zie 3.1)" not
            return None
    return None


def _elided_subject(before: str) -> str | None:
    """The subject of a coordinated clause whose verb is left out, when it stands right before the figure."""
    m = _ELIDED_SUBJECT.search(before)
    if not m:
        return None
    words = [w.lower() for w in m.group(1).split()[1:]]
    return None if any(w in FUNCTION_WORDS or w in FINITE_VERBS for w in words) else m.group(1)


def _is_list_number(text: str, a: int) -> bool:
    """A list marker ("1. Onvoldoende zicht") or a section number, not a figure."""
    return bool(re.match(r"\d+(?:\.\d+)*\.?\s+[A-Z]", text[a:])) and not text[:a].strip()


def unit_after(text: str, b: int) -> tuple[str, int]:
    rest = text[b:]
    if m := _MULTIPLIER.match(rest):  # "ruim één miljoen Nederlanders": the multiplier is part of the number
        unit, end = unit_after(text, b + m.end())
        if not unit and (name := _NAME.match(text, b + m.end())):
            unit, end = name.group(1), name.end()
        return f"{m.group(1)} {unit}".strip(), end
    if m := _PERCENT.match(rest):
        return "%", b + m.end()
    if m := _ABBREVIATED_UNIT.match(rest):  # "vier GI's": an abbreviation in the plural
        return m.group(1), b + m.end()
    if m := _NAMED_UNIT.match(rest):  # "26 Veilig Thuis organisaties": a name, then what is counted
        noun = m.group(2).lower()
        if noun not in FUNCTION_WORDS and noun not in FINITE_VERBS and not re.search(r"['’]s$", m.group(1)):
            return m.group(1) + " " + m.group(2), b + m.end()
    words, end = [], b
    for _ in range(3):  # "4 van de 5 bezochte gecertificeerde instellingen": two adjectives, then what is counted
        m = _WORD.match(text[end:])
        if not m:
            break
        word = m.group("word")
        lower = word.lower()
        if lower in FUNCTION_WORDS or lower in PREPOSITIONS or lower in FINITE_VERBS or word[:1].isupper():
            break  # "Evaluatierapport 2022 onder leiding van": no unit
        words.append(word)
        end += m.end()
        # "extra pleeggezinnen", "onderzochte kwaliteitsnormen": an adjective, then what is counted
        if lower not in COUNT_ADJECTIVES and not lower.endswith("e"):
            break
    if words and words[-1].lower() in COUNT_ADJECTIVES:  # "2 extra" with nothing counted: no unit
        return "", b
    return " ".join(words), end


def date_of(text: str, a: int, end: int, dates: list[DateSpan]) -> DateSpan | None:
    """The date right after the figure, else the nearest before it in the same clause, else the
    text's only date; none for the new value of "van ... in 2015 naar ...", for the old value of
    "van 1.358 naar 1.499" unless its own date follows it, nor from another sentence. A date it is
    compared with ("28% hoger dan het eerste halfjaar van 2022") is not its date."""
    dates = [d for d in dates if not compared_with(text, d)]
    after = [d for d in dates if d.start >= end and _DATE_AFTER.match(text[end : d.start])]
    if after:
        return after[0]
    if _FROM_TO.search(_SHORT_ASIDE.sub(" ", text[:a])) or _OLD_VALUE.search(text[:a]) and _TO.match(text[end:]):
        return None
    before = [d for d in dates if d.end <= a and not _CLAUSE_BREAK.search(_SHORT_ASIDE.sub(" ", text[d.end : a]))
              and not _SENTENCE_BREAK.search(text[d.end : a])]
    if before:
        return before[-1]
    between = _between(text, dates[0], a) if len(dates) == 1 else ""
    return dates[0] if len(dates) == 1 and not (_CLAUSE_BREAK.search(between) or _SENTENCE_BREAK.search(between)) else None


def _between(text: str, date: DateSpan, a: int) -> str:
    return text[date.end : a] if date.end <= a else text[a : date.start]


def _respectively_labels(text: str) -> dict[int, str | None]:
    """"Het personeelsverloop en ziekteverzuim bedroegen ... respectievelijk 16,7% en 7,5%": each
    value gets its item of the list. "deze respectievelijk 16,1% en 7,3%" reuses the last list,
    or, when the text holds none, None: the values are listed but what they count is elsewhere."""
    labels: dict[int, str | None] = {}
    items: list[str] = []
    for m in _RESPECTIVELY.finditer(text):
        sentence_start = max(text.rfind(". ", 0, m.start()) + 2, 0) if ". " in text[: m.start()] else 0
        head = text[sentence_start : m.start()]
        listed = _listed_items(head)
        if len(listed) >= 2:
            items = listed
        following = find_numbers(text[m.end():])[: max(len(items), 2)]
        for n, (a, _, _) in enumerate(following):
            labels[m.end() + a] = items[n] if n < len(items) else None
    return labels


def _listed_items(head: str) -> list[str]:
    """The coordinated subjects before the verb: "Het personeelsverloop en ziekteverzuim"."""
    words = head.split()
    for i, w in enumerate(words):
        if w.lower().strip(",") in FINITE_VERBS:
            parts = [p.strip(" ,") for p in _LIST_SPLIT.split(" ".join(words[:i])) if p.strip(" ,")]
            return parts if len(parts) >= 2 else []
    return []
