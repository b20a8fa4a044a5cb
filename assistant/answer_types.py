"""What kind of answer a question asks for, and whether a sentence gives one.

The documents often touch a topic without the asked detail: they say a study has started, not
what it found; that a measure comes, not what it costs; that there is a waiting list, not how
long it is. A question about such a detail must be refused, saying what the sources do hold.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .dutch import FINITE_VERBS, FUNCTION_WORDS, NUMBER_WORDS_PATTERN as _NUMBER_WORDS, QUESTION_WORDS, find_dates, find_numbers, stems
from .measures import mentions

_PEOPLE = r"(?:meisje|jongen|kind|baby|moeder|vader|ouder|man|vrouw|persoon|slachtoffer|pleegouder|medewerker)"
_ROLES = (r"(?:bestuurder|bestuursvoorzitter|directeur|voorzitter|minister|staatssecretaris|inspecteur-generaal"
          r"|burgemeester|wethouder|ombudsman|kinderombudsman|woordvoerder|projectleider|auteur|onderzoeker)")

# (kind, how a question asks for it, Dutch for the reason); the first that matches counts.
_ASKS = (
    ("amount", re.compile(r"\b(?:hoeveel geld|welk bedrag|hoeveel euro|hoe duur|hoeveel kost\w*|wat kost\w*"
                          r"|wat (?:zijn|waren) de kosten|welk budget|hoe groot is het budget)\b", re.I), "een bedrag"),
    ("percentage", re.compile(r"\b(?:welke? (?:\w+ )?\w*percentage|hoeveel procent|(?<!\bin )welk deel|welk aandeel)\b", re.I),
     "een percentage"),
    # "hoe lang was de wachtlijst" asks for a number, "hoe lang was de wachttijd" for a duration
    ("count", re.compile(r"\bhoe lang (?:\w+\s+){0,3}\w*(?:lijst|rij)\b", re.I), "een aantal"),
    ("duration", re.compile(r"\b(?:hoe lang|hoeveel (?:dagen|weken|maanden|jaar|jaren|tijd))\b", re.I), "een duur"),
    ("frequency", re.compile(r"\bhoe vaak\b", re.I), "een aantal keren"),
    ("count", re.compile(r"\bhoeveel\b", re.I), "een aantal"),
    ("date", re.compile(r"\b(?:wanneer|in welk jaar|welk jaar|per wanneer|sinds wanneer|vanaf wanneer|op welke datum)\b",
                        re.I), "een datum"),
    ("person", re.compile(rf"\b(?:hoe (?:heet|heette|heten) (?:het|de|die) {_PEOPLE}|wie (?:is|was|zijn|waren|werd) "
                          rf"(?:de|het|die) {_ROLES})\b", re.I), "een naam"),
    ("outcome", re.compile(r"\b(?:conclusies?|uitkomsten?|resultaten|opgeleverd|besluit|besloten|geleid tot)\b", re.I),
     "een uitkomst"),
)
_HOLDS = {
    "amount": re.compile(r"€|\beuro\b|\bmiljoen\b|\bmiljard\b", re.I),
    "percentage": re.compile(r"%|\bprocent\b|\bhelft\b|\bderde\b|\bkwart\b|\bdriekwart\b|\bdeel\b", re.I),
    "duration": re.compile(rf"{_NUMBER_WORDS}\s+(?:\w+\s+)?(?:(?:werk|kalender)?dagen|dag|weken|week|maanden|maand|jaar"
                           r"|jaren|uur|uren|minuten|minuut|kwartier)\b", re.I),
    # a role or title before a name, or initials: "minister De Jonge", "mevrouw Verdonk", "J. de Vries"
    "person": re.compile(rf"\b(?:{_ROLES}|mevrouw|mevr|meneer|de heer|dhr|mw|prof|dr|mr|drs)\.?\s+(?:[A-Z]\.\s*)*"
                         r"(?:(?:van|de|der|den|ter|ten)\s+)*[A-Z][a-zà-ÿ]+|\b(?:[A-Z]\.\s*)+(?:(?:van|de|der|den)\s+)*[A-Z][a-zà-ÿ]{2,}"),
    "frequency": re.compile(rf"{_NUMBER_WORDS}\s*(?:\w+\s+)?(?:keer|maal|x)\b|\bper\s+(?:dag|week|maand|jaar)\b"
                            r"|\b(?:dagelijks|wekelijks|maandelijks|jaarlijks)\b|%|\bprocent\b|\b\d+\s+van\s+de\s+\d+\b", re.I),
    "outcome": re.compile(r"\b(?:conclu\w*|uitkomst\w*|resultaat|resultaten|blijkt|bleek|bleken|opgeleverd|geleid tot"
                          r"|besloten|besluit|stelt vast|stellen vast|stelde vast|constate\w*|oordeel\w*|laat zien"
                          r"|laten zien|liet zien|toont aan|tonen aan)\b", re.I),
}


# A sentence saying something is only planned or has just started: no outcome yet.
_PLANNED = re.compile(
    r"\b(?:gaat|gaan|zal|zullen|wordt|worden)\b[^.]{0,60}\b(?:uitvoeren|onderzoeken|organiseren|verkennen|uitgevoerd"
    r"|onderzocht|bekeken|verkend|gepubliceerd|opgeleverd)\b|\b(?:gestart|starten|verkennen|verkent|op korte termijn"
    r"|voornemens|in voorbereiding|aangekondigd|nog niet bekend|naar verwachting|organiseren we|in afwachting van)\b",
    re.I,
)


NUMERIC = ("count", "frequency", "percentage", "amount", "duration")


@dataclass(frozen=True)
class Asked:
    kind: str  # amount, percentage, duration, frequency, count, date, person, outcome
    what: str  # Dutch: "een bedrag"
    counted: frozenset[str]  # for a count: stems of what is counted ("hoeveel kinderen" -> kinder)


def asked(question: str) -> Asked | None:
    """The kind of answer the question asks for, if it asks for a specific one."""
    for kind, pattern, what in _ASKS:
        m = pattern.search(question)
        if m:
            # "hoeveel gezinnen ..., en met hoeveel hulpverleners": all that is counted
            counted = frozenset().union(*(_counted(question[h.end():]) for h in re.finditer(r"\bhoeveel\b", question, re.I)))
            return Asked(kind, what, counted if kind == "count" else frozenset())
    return None


def _counted(rest: str) -> frozenset[str]:
    """The words right after "hoeveel": what is counted, up to a verb or function word."""
    words = []
    for word in re.findall(r"[\w'’-]+", rest)[:2]:
        lower = word.lower()
        if lower in FUNCTION_WORDS or lower in FINITE_VERBS or lower in QUESTION_WORDS:
            break
        words.append(word)
    return frozenset(s for w in words for s in stems(w))


_DURATION_LABEL = re.compile(r"wachttijd|duur|doorlooptijd|dagen|weken|maanden|termijn", re.I)


def holds(sentence: str, want: Asked, table_row: bool = False) -> bool:
    """Whether a sentence gives the kind of answer asked for; a table row of figures gives any
    figure (its label says what it counts), a duration only when its label says it is one."""
    if table_row and want.kind in NUMERIC:
        return want.kind != "duration" or bool(_DURATION_LABEL.search(sentence))
    if want.kind == "count":
        return _holds_count(sentence, want.counted)
    if want.kind == "date":
        return bool(find_dates(sentence))
    if want.kind == "outcome":  # "in afwachting van het onderzoek" reports none
        return bool(_HOLDS["outcome"].search(sentence)) and not _PLANNED.search(sentence)
    return bool(_HOLDS[want.kind].search(sentence))


def lacks(sentences: list[str], best: str, want: Asked, subject: set[str]) -> bool:
    """Whether sentences about the question lack the kind of answer it asks for. An outcome is
    only missed when the best sentence says the thing is planned or has just started, and no
    sentence on the same `subject` (stems) reports one: outcomes are written in too many ways to
    require one."""
    if want.kind == "outcome":
        return bool(_PLANNED.search(best)) and not any(holds(s, want) and subject <= set(stems(s)) for s in sentences)
    return True


def _same_head(word: str, counted: str) -> bool:
    """The same thing counted, a Dutch compound ending in the word: "één gesprek" counts
    "begeleidingsgesprekken"; stems differ in a doubled consonant ("gezin", "gezinnen")."""
    short, long = sorted((word, counted), key=len)
    return short == long or len(short) >= 4 and (long.endswith(short) or long.startswith(short) and len(long) - len(short) <= 1)


def counts_exactly(sentence: str, counted: frozenset[str]) -> bool:
    """A figure of the sentence counts what is asked, by its own unit: "26 Veilig Thuis organisaties"
    or "Elf organisaties" for "hoeveel Veilig Thuis-organisaties", not "980 zaken bij één Veilig
    Thuis organisatie"."""
    if any(m.unit_key and any(_same_head(m.unit_key, c) for c in counted) for m in mentions(sentence)):
        return True
    # "Elf organisaties": a number word right before what is counted; not before a name ("één Veilig Thuis organisatie")
    words = sentence.split()
    return any(re.fullmatch(_NUMBER_WORDS, words[i - 1].strip("(“"), re.I) and word[:1].islower()
               and any(_same_head(w, c) for w in stems(word) for c in counted) for i, word in enumerate(words) if i)


def _holds_count(sentence: str, counted: frozenset[str]) -> bool:
    if not counted:
        return bool(find_numbers(sentence)) or bool(re.search(rf"{_NUMBER_WORDS}\s+keer\b", sentence, re.I))
    if counts_exactly(sentence, counted):
        return True
    # "twee gezinnen", "15-20 gezinnen", "250 kinderen en jongeren": a number shortly before what is counted
    words = sentence.split()
    for i, word in enumerate(words):
        if any(_same_head(w, c) for w in stems(word) for c in counted):
            before = " ".join(words[max(0, i - 5) : i])
            if re.search(r"\d", before) or re.search(rf"(?<![\w-]){_NUMBER_WORDS}(?![\w-])", before, re.I):
                return True
    return False
