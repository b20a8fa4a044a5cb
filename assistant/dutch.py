"""Dutch text helpers, in one place: whitespace normalisation, month names, number notation,
stemming and dates. Every stage that compares or shows Dutch text uses these, so a question,
a passage and a quote are always read the same way."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import simplemma
import Stemmer
from bm25s.stopwords import STOPWORDS_DUTCH

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")
MONTH_ABBREVIATIONS = {
    "jan": "januari", "feb": "februari", "mrt": "maart", "apr": "april", "jun": "juni", "jul": "juli",
    "aug": "augustus", "sep": "september", "sept": "september", "okt": "oktober", "nov": "november", "dec": "december",
}
# Any spelling of a month, longest first so "sept" wins over "sep".
MONTH_PATTERN = "|".join(sorted((*MONTHS, *MONTH_ABBREVIATIONS), key=len, reverse=True))
_MONTH_ABBR = re.compile(r"\b(" + "|".join(MONTH_ABBREVIATIONS) + r")\b\.?", re.I)
_ENGLISH_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                   "november", "december")
# The plural of an abbreviation: "GI's", "GI’s", "GIs" are all "GI".
_ABBREVIATION_PLURAL = re.compile(r"\b([A-Z]{2,})(?:['’]s|s)\b")
# An English month in a date ("1 October 2023"), as users sometimes write it.
_ENGLISH_DATE = re.compile(r"\b(" + "|".join(_ENGLISH_MONTHS) + r")(?=\s+(?:19|20)\d\d\b)", re.I)
_THOUSANDS_IN_TEXT = re.compile(r"\b(\d{1,3})((?:\.\d{3})+)\b")
_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
TOKEN_PATTERN = r"(?u)\b\w+(?:,\d+)?\b"
_TOKEN = re.compile(TOKEN_PATTERN)

# Words that frame a question rather than say what it is about; never search terms.
QUESTION_WORDS = {
    "hoeveel", "welke", "welk", "waar", "waarom", "wanneer", "hoe", "wat", "wie", "volgens", "staat", "staan",
    "stonden", "stond", "bronnen", "bron", "document", "documenten", "brief", "kamerbrief", "rapport", "inspectie",
    "inspecties", "bloemlezing", "noemt", "noemen", "genoemd", "beschreven", "besproken", "gaat", "ging", "zegt",
    "zeggen", "vermeld", "vermeldt", "precies", "ongeveer", "aantal", "gemiddeld", "gemiddelde", "hoog", "hoge",
    "groot", "grote", "lang", "waren", "werden", "geven", "geeft", "gegeven", "kun", "kunt", "mij", "vertellen",
    "deel", "paragraaf", "hoofdstuk", "sectie", "tekst", "passage", "daarover", "erover", "iets", "er",
    "welbeschouwd", "eigenlijk", "iemand", "betreft", "sprake", "iedere", "elke", "heen",
} | set(STOPWORDS_DUTCH)
# Pronominal adverbs ("daarop", "hierna", "waarvan") point at something said before; they name nothing.
QUESTION_WORDS |= {a + p for a in ("daar", "hier", "waar", "er") for p in (
    "aan", "bij", "door", "in", "mee", "na", "naar", "om", "op", "over", "toe", "uit", "van", "voor", "tegen")}


_VOICED = {"z": "s", "v": "f"}


class DutchStemmer:
    """Verb forms to their infinitive, then the Snowball stem: "gehoord" meets "horen", "vastloopt"
    and "vastgelopen" meet, "ontbreekt" meets "ontbreken". Snowball alone cuts suffixes and misses
    participles and strong verbs; simplemma's Dutch dictionary (shipped in the package, nothing
    downloaded) gives the lemma. Only verb forms, not adjectives made of them ("passende"): the
    dictionary also maps "meer" to "veel", "ouder" to "oud", "eerste" to "één" and "gevallen"
    (cases) to "vallen", which would join words this domain keeps apart. The same object stems
    the lexical index (bm25s calls `stemWords`) and every comparison of words, so both agree."""

    def __init__(self) -> None:
        self._snowball = Stemmer.Stemmer("dutch")

    @lru_cache(maxsize=262144)
    def stemWord(self, word: str) -> str:  # noqa: N802 (PyStemmer's interface)
        stem = self._snowball.stemWord(self.infinitive(word) or self.singular(word) or word)
        # a stem ends in s or f, never in z or v: "verliezen" meets "verlies", "brieven" "brief", "positieve" "positief"
        return stem[:-1] + _VOICED[stem[-1]] if len(stem) > 3 and stem[-1] in _VOICED else stem

    @staticmethod
    def singular(word: str) -> str | None:
        """A plural in -ies or -ieën as its singular in -ie: Snowball keeps an s or en after a vowel, so
        "de inspecties" did not meet "de inspectie", nor "jeugdzorgorganisaties" "organisatie", nor
        "categorieën" "categorie". Only when the dictionary knows the singular or the compound's last
        part: "verlies", "advies" and "netvlies" are singular."""
        lower = word.lower()
        single = lower[:-1] if lower.endswith("ies") else lower[:-2] if lower.endswith(("ieën", "ieen")) else ""
        if single and any(simplemma.is_known(single[i:], lang="nl") for i in range(len(single) - MIN_PART + 1)):
            return single
        return None

    @staticmethod
    def infinitive(word: str) -> str | None:
        """The infinitive of a finite verb or participle ("wordt", "gehoord", "vastgelopen"), else None."""
        lemma = simplemma.lemmatize(word, lang="nl").lower()
        # an inflected adjective keeps its own stem: "passende hulp" is not "passen"
        if lemma == word or not lemma.isalpha() or not lemma.endswith("en") or word.endswith("e"):
            return None
        if not word.endswith("en"):
            return lemma  # "wordt", "gehoord", "geregistreerd"
        cut = word.find("ge", 1)  # a separable verb's participle: "vastgelopen", "meegenomen"
        return lemma if cut > 0 and word[:cut] + word[cut + 2 :] == lemma else None

    def stemWords(self, words: list[str]) -> list[str]:  # noqa: N802
        return [self.stemWord(w) for w in words]


STEMMER = DutchStemmer()
# Month names and units of time are no verb forms, so Snowball alone stems them as STEMMER does,
# without loading the dictionary on import.
_SNOWBALL = Stemmer.Stemmer("dutch")
MONTH_STEMS = frozenset(_SNOWBALL.stemWords([*MONTHS, *MONTH_ABBREVIATIONS]))
# "twintig jaar geleden" counts nothing, "6 uur en 37 minuten" is one duration.
TIME_UNIT_STEMS = frozenset(_SNOWBALL.stemWords("jaar jaren maand maanden week weken dag dagen uur uren minuut minuten".split()))

# Numbers in words with their value ("zestien" is 16, so a claim's "16" stands in a quote's "zestien");
# "een" is left out, it is mostly the article.
_WORD_VALUES = {"één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9, "tien": 10,
                "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15, "zestien": 16, "zeventien": 17,
                "achttien": 18, "negentien": 19, "twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60,
                "zeventig": 70, "tachtig": 80, "negentig": 90, "honderd": 100, "duizend": 1000}
_COUNTING_WORDS = ("één", "half", "halve", "anderhalf", *(w for w in _WORD_VALUES if w not in ("één", "honderd", "duizend")),
                   "honderd", "honderden", "duizend", "duizenden")
_FREQUENCY = r"\b(?:elk|elke|ieder|iedere)\s+(?:(?:\d+|twee|drie|vier|vijf|zes)\s+)?(?:week|weken|maand|maanden|kwartaal|jaar|halfjaar)\b"
# A figure in a sentence: digits, a Dutch number word ("zes keer", "een derde"; "één" is mostly "a single") or how often.
FIGURE_IN_TEXT = re.compile(
    r"\d|\b(" + "|".join(w for w in _COUNTING_WORDS if w not in ("één", "half", "halve", "anderhalf"))
    + r"|miljoen|miljard|helft|derde|kwart|driekwart|procent|enkele|paar|tientallen)\b|" + _FREQUENCY,
    re.I,
)


def normalise(text: str) -> str:
    """Collapse runs of whitespace: the form in which quotes are compared and shown."""
    return " ".join(text.split())


def lexical_form(text: str) -> str:
    """What lexical search sees: thousands separators dropped (1.499 -> 1499) and month
    abbreviations spelled out (okt -> oktober; October 2023 -> oktober 2023), abbreviations in the
    singular (GI's -> GI), for documents and questions alike."""
    text = _THOUSANDS_IN_TEXT.sub(lambda m: m.group(1) + m.group(2).replace(".", ""), text)
    text = _ENGLISH_DATE.sub(lambda m: MONTHS[_ENGLISH_MONTHS.index(m.group(1).lower())], text)
    text = _ABBREVIATION_PLURAL.sub(r"\1", text)
    return _MONTH_ABBR.sub(lambda m: MONTH_ABBREVIATIONS[m.group(1).lower()], text)


# An elided compound: "jeugdbescherming en -reclassering".
_SHARED_HEAD = re.compile(r"\b([a-zà-ÿ][^\W\d_]{5,})(\s*,?\s+(?:en|of|en/of)\s+)-([a-zà-ÿ][^\W\d_]{2,})")


def spelled_out(text: str) -> str:
    """An elided compound in full, as a reader hears it: "jeugdbescherming en -reclassering" is
    "jeugdbescherming en jeugdreclassering" (the first word's part before the longest known word it
    ends with, by simplemma's dictionary; without one the text stays as written). The other
    ellipsis ("jeugdbeschermings- en jeugdreclasseringsmaatregelen") is left alone: the documents
    write it for a total of both kinds, which a question about one kind does not ask for."""
    if " -" not in text:
        return text
    return _SHARED_HEAD.sub(lambda m: f"{m.group(1)}{m.group(2)}{_modifier(m.group(1))}{m.group(3)}", text)


def _head(word: str) -> str:
    """The last part of a compound: the longest known word it ends with ("bescherming" of
    "jeugdbescherming"), or "" when none is known."""
    lower = word.lower()
    return next((lower[i:] for i in range(1, len(lower) - 2) if simplemma.is_known(lower[i:], lang="nl")), "")


def _modifier(word: str) -> str:
    head = _head(word)
    return word[: len(word) - len(head)] if head else ""


def stem_words(words: list[str]) -> list[str]:
    return STEMMER.stemWords(words)


@lru_cache(maxsize=65536)
def stems(text: str) -> tuple[str, ...]:
    """Stemmed content words of a text, in the form the lexical index uses (cached: the same
    sentences are compared with every question)."""
    words = [w.lower() for w in _TOKEN.findall(spelled_out(lexical_form(text)))]
    return tuple(stem_words([w for w in words if w not in QUESTION_WORDS]))


MIN_PART = 5  # letters: the shortest compound part that says what a compound is about ("zorg" says too little)
MIN_REST = 4  # ... and the shortest rest


@lru_cache(maxsize=65536)
def compound_words(text: str) -> frozenset[str]:
    """The words of a text long enough to be a compound part, lower case (cached: see `stems`)."""
    return frozenset(w.lower() for w in _TOKEN.findall(text) if len(w) >= MIN_PART)


def shares_part(word: str, words: frozenset[str]) -> bool:
    """One of `words` is a compound of `word` ("jeugdbeschermingsorganisaties" of
    "jeugdbescherming", "wapengeweld" of "geweld") or its last part, what it is ("verzuim" of
    "ziekteverzuim"). Its first part only says what kind: "gezin" is no part of "gezinshuizen",
    nor "personeel" of "personeelsverloop" (blind readers: most points on a topic by its first
    part alone were off the topic)."""
    for w in words:
        longer, shorter = (w, word) if len(w) > len(word) else (word, w)
        if len(shorter) >= MIN_PART and len(longer) - len(shorter) >= MIN_REST \
                and (longer.endswith(shorter) or longer == w and longer.startswith(shorter)):
            return True
    return False


def canonical_number(value: str) -> str:
    """One spelling per value: 1.499 and 1499 agree, as do 16,7 and 16.7, and 2.740,9 and 2740.9."""
    if _THOUSANDS.match(value):
        value = value.replace(".", "")
    return value.replace(",", ".")


def parse_number(cell: str) -> float | None:
    """Dutch notation as a number: 34.043 is thirty-four thousand, 17,1 a decimal."""
    try:
        return float(cell.strip().rstrip("%").strip().replace(".", "").replace(",", "."))
    except ValueError:
        return None


def month_number(name: str) -> int | None:
    """1-12 for a month name or abbreviation ("okt", "oktober", "Okt.")."""
    name = name.lower().rstrip(".")
    name = MONTH_ABBREVIATIONS.get(name, name)
    return MONTHS.index(name) + 1 if name in MONTHS else None


def format_date(value: str) -> str:
    """Manifest dates (2025-09-25, 2025-11, 2022) the Dutch way: 25 september 2025."""
    parts = value.split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        pass
    return value


def parse_date(label: str) -> date | None:
    """'1 okt 2025', '1 april 2024' -> a date, e.g. to space a table's peildata truly."""
    m = re.fullmatch(r"(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})", label.strip().lower())
    month = month_number(m.group(2)) if m else None
    if not month:
        return None
    try:
        return date(int(m.group(3)), month, int(m.group(1)))
    except ValueError:
        return None


# --- Dates and figures as documents write them ------------------------------------------------

_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_PERIOD = (
    r"(?:medio|eind|begin|voorjaar|najaar|zomer|winter|herfst|lente|Q[1-4]"
    r"|(?:het\s+)?(?:eerste|tweede|derde|vierde|laatste)\s+(?:kwartaal|halfjaar|helft))"
)
_CALENDAR = (
    rf"\d{{1,2}}\s+(?:{MONTH_PATTERN})\.?\s+{_YEAR}"  # 1 okt 2025
    rf"|\d{{1,2}}-\d{{1,2}}-{_YEAR}"  # 1-10-2025
    rf"|(?:{MONTH_PATTERN})\.?\s+{_YEAR}"  # oktober 2025
    rf"|{_PERIOD}\s+(?:van\s+)?{_YEAR}"  # medio 2022, voorjaar van 2026
)
_DATE = re.compile(rf"\b(?:(?P<cal>{_CALENDAR})|(?P<year>{_YEAR}))(?:\s*[/–-]\s*(?:{_CALENDAR}|{_YEAR}))?\b", re.I)
# What makes a bare year a date: a word before it ("in 2024", "het rapport uit 2021"), a report it dates
# ("Evaluatierapport 2022") or brackets.
PUBLICATION = r"(?:rapport|monitor|verslag)"
_YEAR_LEAD = re.compile(
    rf"(?:\b(?:in|op|per|sinds|vanaf|tot|uit|van|rond|na|voor|tussen|t/m|jaar|jaren|peildatum)|{PUBLICATION}|[(/]"
    r"|\b(?:19|20)\d\d\s+(?:en|of))\s*$", re.I)  # "in 2019 en 2020"
# ... or what follows it: punctuation, the end, or a verb or function word, not a noun it counts.
_YEAR_TAIL = re.compile(
    r"^\s*(?:$|[).,;:!?/–-]|(?:is|was|zijn|waren|werd|werden|wordt|worden|heeft|hebben|had|hadden|en|of|tot|naar"
    r"|van|in|op|bij|met|door|aan|om|nog|al|ook|er|de|het|een)\b)", re.I)
_NUMBER = re.compile(r"(?<![\w\[.,/-])\d+(?:[.,]\d+)*(?![\w\]]|[.,]\d|-[^\W\d])")


@dataclass(frozen=True)
class DateSpan:
    """A date in a text: where it stands, as written, and what it means (missing parts None)."""

    start: int
    end: int
    text: str
    year: int
    month: int | None = None
    day: int | None = None
    quarter: int | None = None  # "Q2 2025": April to June

    @property
    def key(self) -> tuple[int, int | None, int | None]:
        return self.year, self.month, self.day


# A date after these words is what a figure is compared with, not its own date nor an event:
# "13% hoger dan het eerste halfjaar van 2024", "beter dan in oktober 2020", "ten opzichte van 2022".
_COMPARED_WITH = re.compile(r"\b(?:dan|t\.o\.v\.|ten\s+opzichte\s+van|vergeleken\s+met|in\s+vergelijking\s+met)"
                            r"\s+(?:(?:in|op|het|de|met)\s+)*$", re.I)


def compared_with(text: str, date: DateSpan) -> bool:
    return bool(_COMPARED_WITH.search(text[: date.start]))


def find_dates(text: str) -> list[DateSpan]:
    """Dates as documents write them: "1 okt 2025", "oktober 2025", "medio 2022", "Q2 2025",
    "in 2024"; a bare year only where it reads as a date, so "2500 extra pleeggezinnen" is a figure."""
    out = []
    for m in _DATE.finditer(text):
        if m.group("year") and not (_YEAR_LEAD.search(text[: m.start()]) or _YEAR_TAIL.match(text[m.end():])):
            continue
        written = m.group(0)
        year = int(re.search(_YEAR, written).group(0))
        month = day = None
        if d := re.match(rf"(\d{{1,2}})\s+({MONTH_PATTERN})\.?\s", written, re.I):
            day, month = int(d.group(1)), month_number(d.group(2))
        elif d := re.match(r"(\d{1,2})-(\d{1,2})-", written):
            day, month = int(d.group(1)), int(d.group(2))
        elif d := re.match(rf"({MONTH_PATTERN})\.?\s", written, re.I):
            month = month_number(d.group(1))
        quarter = int(q.group(1)) if (q := re.match(r"Q([1-4])\b", written)) else None
        out.append(DateSpan(m.start(), m.end(), written, year, month, day, quarter))
    return out


NUMBER_WORDS_PATTERN = (r"(?:\b(?:" + "|".join(_COUNTING_WORDS) + r")|(?<![\d.,])\d[\d.,]*)")  # digits also glued: "maatregel59 dagen"
# A figure in words, as documents write shares and small counts: "een derde", "meer dan de helft", "vijf weken".
_FRACTION = (r"(?:een|twee|drie)\s+(?:derde|kwart|vijfde)|de\s+(?:andere\s+)?helft|driekwart|een\s+half\s+(?:miljoen|miljard)"
             r"|een\s+half\s*jaar|anderhalf\s+jaar")
# a count in round numbers ("tientallen van dit soort overeenkomsten", "van enkele honderden in 2015") and how
# often ("elk kwartaal", `_FREQUENCY`): what they count or do stands around them, not after them
_ROUND = ("honderden", "duizenden")
_VAGUE = rf"(?:enkele\s+)?(?:tientallen|{'|'.join(_ROUND)})"
_COUNTS = "|".join(w for w in _COUNTING_WORDS if w not in ("half", "halve", "anderhalf", *_ROUND))
# a count before a word that is not another count ("niet in één, twee, drie opgelost" counts nothing)
# with the word before it that says how exact it is: "gemiddeld zes keer", "tot twintig keer"
_TIMES = r"(?:twee|drie|vier|vijf|tien)maal\s+zo(?:veel|groot|hoog|vaak)(?:\s+kans)?"  # "tweemaal zoveel kans"
_HOW_EXACT = r"(?:(?:meer|minder)\s+dan|circa|ongeveer|bijna|ruim|gemiddeld|zo['’]n|tot|maximaal|slechts)\s+"
_WORD_FIGURE = re.compile(rf"\b(?:{_HOW_EXACT})?(?:{_FRACTION}|{_VAGUE}|{_FREQUENCY}|{_TIMES}"
                          rf"|(?:{_COUNTS})(?=\s+(?!(?:{_COUNTS})\b)[^\W\d_]))\b", re.I)
_AFTER_COUNT = re.compile(rf"\b(?:{_COUNTS})[\s,]*$|\bjaren\s+(?:[^\W\d_]+\s+en\s+)?$", re.I)  # "in de jaren tachtig en negentig": decades


# What follows a number that refers to a document, not a figure: "31015, nr. 254", "blz. 12".
REFERENCE_WORDS = {"nr", "nrs", "blz", "p", "pp", "pagina", "pagina's", "artikel", "lid", "bijlage", "noot", "voetnoot"}


def word_figures(text: str) -> list[tuple[int, int, str, bool]]:
    """Figures written in words (start, end, as written, whether it stands alone): shares ("een derde",
    "meer dan de helft", "een half miljard"), half years ("een half jaar": a duration with its unit),
    round numbers, frequencies and multiples (`_VAGUE`, `_FREQUENCY`, `_TIMES`), and counts before a word ("vijf weken",
    "Elf organisaties"); all but the last need no word after them to say what they count."""
    return [(m.start(), m.end(), m.group(0), (last := m.group(0).split()[-1].lower()) not in _COUNTING_WORDS or last in _ROUND)
            for m in _WORD_FIGURE.finditer(text) if not _AFTER_COUNT.search(text[: m.start()])]


_HOW_EXACT_LEAD = re.compile(rf"^{_HOW_EXACT}", re.I)
_COUNT_WORD = re.compile(rf"\b(?:{'|'.join(_WORD_VALUES)})\b", re.I)


def word_value(written: str) -> str:
    """One spelling per value of a figure in words: a count as its digits ("ruim vier" -> "4"), any
    other as written without how exact it is ("meer dan de helft" -> "de helft"), as
    `canonical_number` gives one spelling per figure in digits."""
    core = normalise(_HOW_EXACT_LEAD.sub("", written)).lower()
    return str(_WORD_VALUES[core]) if core in _WORD_VALUES else core


# The share a fraction in words stands for, in percent: "een derde" against "circa 30 procent".
_SHARES = {"een derde": 100 / 3, "twee derde": 200 / 3, "een kwart": 25.0, "drie kwart": 75.0, "driekwart": 75.0,
           "de helft": 50.0, "een vijfde": 20.0, "twee vijfde": 40.0, "drie vijfde": 60.0}


def share_percent(written: str) -> float | None:
    """The percentage a share in words stands for ("meer dan de helft" -> 50), else None."""
    return _SHARES.get(word_value(written))


_RELATIVE_PAST = re.compile(r"\b(?:vorig|verleden|afgelopen|dit)\s+(?:jaar|kwartaal|halfjaar|maand|najaar|voorjaar)\b", re.I)


def relative_time(text: str) -> str | None:
    """A time said relative to when the text was written ("vorig jaar"), as written: no date."""
    m = _RELATIVE_PAST.search(text)
    return m.group(0) if m else None


def hedged(written: str) -> bool:
    """A figure in words that says how exact it is: "meer dan de helft", "ruim een derde"."""
    return bool(_HOW_EXACT_LEAD.match(written))


def word_values(text: str) -> set[str]:
    """Every value a text writes in words: each count word wherever it stands ("waren het er
    zestien"), and the shares, round numbers and frequencies of `word_figures`."""
    return {str(_WORD_VALUES[m.group(0).lower()]) for m in _COUNT_WORD.finditer(text)} \
        | {word_value(written) for _, _, written, _ in word_figures(text)}


_GLUED = re.compile(r"(?<=[a-zà-ÿ]{3})\d+(?:[.,]\d+)*(?=\s+[a-zà-ÿ])")


def glued_numbers(text: str) -> list[tuple[int, int, str]]:
    """Figures glued to the word before them by a conversion ("de maatregel59 dagen"), which
    `find_numbers` leaves out as part of a word."""
    return [(m.start(), m.end(), m.group(0)) for m in _GLUED.finditer(text)]


def find_numbers(text: str) -> list[tuple[int, int, str]]:
    """Figures in a text (start, end, as written), leaving out the numbers that belong to a
    date ("1 okt 2025") and those inside words or codes ("Q2", "1-op-1", "[3]")."""
    dated = [(d.start, d.end) for d in find_dates(text)]
    out = []
    for m in _NUMBER.finditer(text):
        if not any(a <= m.start() < b for a, b in dated):
            out.append((m.start(), m.end(), m.group(0)))
    return out


def same_date(a: DateSpan, b: DateSpan) -> bool:
    """The same moment as far as both say: 1 okt 2025 and 1 oktober 2025; 2024 and medio 2024;
    not Q2 2025 and 1 okt 2025."""
    quarters = [_quarter(d) for d in (a, b)]
    if None not in quarters and quarters[0] != quarters[1]:
        return False
    return a.year == b.year and all(x is None or y is None or x == y for x, y in ((a.month, b.month), (a.day, b.day)))


def _quarter(d: DateSpan) -> int | None:
    return d.quarter or ((d.month - 1) // 3 + 1 if d.month else None)


_DUTCH_WORDS = {"de", "het", "een", "en", "van", "op", "dat", "niet", "voor", "met", "zijn", "er", "te", "die", "ook",
                "bij", "naar", "aan", "wordt", "worden", "werd", "heeft", "hebben", "kinderen", "deze", "maar", "nog",
                "wel", "geen", "om", "tot", "als", "uit", "door", "over", "staat", "staan", "zij", "wij", "we"}
_ENGLISH_WORDS = {"the", "and", "of", "to", "that", "not", "for", "with", "are", "was", "were", "children", "this",
                  "it", "on", "by", "from", "have", "has", "be", "which", "there", "their", "they", "an", "or", "at"}


# The domain's main terms in English, for a question asked in English ("answer in English only:
# what was the staff turnover ..."): the documents are Dutch, so the search needs their words.
ENGLISH_TERMS = {
    "staff turnover": "personeelsverloop", "turnover": "personeelsverloop", "sick leave": "ziekteverzuim",
    "sickness absence": "ziekteverzuim", "absenteeism": "ziekteverzuim", "waiting list": "wachtlijst",
    "waiting lists": "wachtlijsten", "waiting time": "wachttijd", "child protection": "jeugdbescherming",
    "youth protection": "jeugdbescherming", "youth care": "jeugdzorg", "youth services": "jeugdhulp",
    "foster care": "pleegzorg", "foster parents": "pleegouders", "foster children": "pleegkinderen",
    "foster families": "pleeggezinnen", "guardianship": "voogdij", "guardian": "voogd", "caseload": "caseload",
    "workload": "workload", "inspectorate": "inspectie", "inspectorates": "inspecties", "inspections": "inspecties",
    "municipality": "gemeente", "municipalities": "gemeenten", "judge": "rechter", "judges": "rechters",
    "court": "rechter", "child abuse": "kindermishandeling", "domestic violence": "huiselijk geweld",
    "out-of-home placement": "uithuisplaatsing", "placement": "uithuisplaatsing", "safety": "veiligheid",
    "children": "kinderen", "child": "kind", "parents": "ouders", "families": "gezinnen", "family": "gezin",
    "staff": "personeel", "employees": "medewerkers", "costs": "kosten", "shortage": "tekort",
    "letter to parliament": "Kamerbrief", "state secretary": "staatssecretaris", "measures": "maatregelen",
    "child protection order": "kinderbeschermingsmaatregel", "report": "rapport",
}
_ENGLISH_TERM = re.compile(r"\b(" + "|".join(sorted(map(re.escape, ENGLISH_TERMS), key=len, reverse=True)) + r")\b", re.I)


def with_dutch_terms(text: str) -> str:
    """An English question with the Dutch words of the domain terms it uses added; a Dutch one as it is."""
    if looks_dutch(text):
        return text
    found = dict.fromkeys(ENGLISH_TERMS[m.group(1).lower()] for m in _ENGLISH_TERM.finditer(text))
    return f"{text} {' '.join(found)}" if found else text


def past_tense(word: str) -> bool:
    """A verb in the past tense ("volgde", "vonden"): in a topic ("wat daarop volgde") it says how
    the topic is phrased, not what it is about. Participles ("gesloten jeugdzorg") and present
    participles ("passende hulp") are no past tense."""
    lower = word.lower()
    if not lower.endswith(("de", "te", "den", "ten")) or lower.endswith(("ende", "enden")) or lower.startswith("ge"):
        return False
    lemma = simplemma.lemmatize(lower, lang="nl").lower()
    return lemma != lower and lemma.endswith("en")


# A name: capitalised, not the first word of a sentence ("Rita Verdonk", "JB Noord", "GI-monitor").
_NAME = re.compile(r"(?<![.?!]\s)(?<!^)\b([A-Z][A-Za-z&]*[A-Z][A-Za-z&]*|[A-Z][a-zà-ÿ]+(?:[- ][A-Z][a-zà-ÿ]+)*)\b")


def proper_names(text: str) -> set[str]:
    """The names in a text, as written; capitalised question words ("Wanneer") are none."""
    return {m for m in _NAME.findall(text) if m.lower() not in QUESTION_WORDS and len(m) > 1}


def looks_dutch(text: str) -> bool:
    """Whether a text reads as Dutch rather than English, by the function words it uses."""
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    dutch = sum(w in _DUTCH_WORDS for w in words)
    english = sum(w in _ENGLISH_WORDS for w in words)
    return dutch >= english if (dutch or english) else True

# Finite verbs that end a sentence's subject ("Het aantal kinderen dat wacht ... | is toegenomen").
FINITE_VERBS = {
    "is", "zijn", "was", "waren", "wordt", "worden", "werd", "werden", "heeft", "hebben", "had", "hadden",
    "bedraagt", "bedragen", "bedroeg", "bedroegen", "ligt", "liggen", "lag", "lagen", "staat", "staan", "stond",
    "stonden", "stijgt", "stijgen", "steeg", "stegen", "daalt", "dalen", "daalde", "daalden", "neemt", "nemen", "nam",
    "namen", "groeit", "groeien", "groeide", "groeiden", "blijft", "blijven", "bleef", "bleven", "komt", "komen",
    "kwam", "kwamen", "krijgt", "krijgen", "kreeg", "kregen", "wacht", "wachten", "wachtte", "wachtten", "telt",
    "tellen", "telde", "telden", "gaat", "gaan", "ging", "gingen", "kan", "kunnen", "kon", "konden", "moet",
    "moeten", "moest", "moesten", "zal", "zullen", "zou", "zouden", "mag", "mogen", "laat", "laten", "toont", "tonen",
    "toonde", "schat", "schatten", "valt", "vallen", "viel", "vielen", "vertrekt", "vertrekken", "vertrok",
    "vertrokken", "heet", "betreft", "betreffen", "omvat", "omvatten",
}
# Of those, the verbs that say what a subject is, amounts to or has become ("Het personeelsverloop
# bedroeg 16,7%"), not what it does: a figure after them is the subject's value.
AMOUNT_VERBS = {
    "is", "zijn", "was", "waren", "bedraagt", "bedragen", "bedroeg", "bedroegen", "ligt", "liggen", "lag", "lagen",
    "stijgt", "stijgen", "steeg", "stegen", "daalt", "dalen", "daalde", "daalden", "neemt", "nemen", "nam", "namen",
    "groeit", "groeien", "groeide", "groeiden", "blijft", "blijven", "bleef", "bleven", "komt", "komen", "kwam",
    "kwamen", "telt", "tellen", "telde", "telden", "omvat", "omvatten",
}
RELATIVE_PRONOUNS = frozenset({"dat", "die", "waarvan", "waarin", "waarbij", "wat", "welke"})  # open a clause
PREPOSITIONS = (
    "op", "in", "bij", "voor", "van", "naar", "met", "over", "door", "om", "aan", "uit", "tot", "tegen",
    "zonder", "onder", "per", "sinds", "tussen", "na", "vanaf", "binnen", "rond", "tijdens", "via", "volgens", "naast",
    "gedurende", "wegens", "ondanks",
)
# Words that say a figure is rounded: "ongeveer 16%", "bijna 20%".
APPROXIMATE = {"ongeveer", "circa", "ca", "bijna", "ruim", "rond", "zo'n", "zo’n", "nagenoeg", "vrijwel", "tegen"}
# Words that may stand between a figure and what it counts ("2500 extra pleeggezinnen").
COUNT_ADJECTIVES = {"extra", "nieuwe", "meer", "minder", "andere", "unieke", "verschillende", "gemiddeld", "nog"}
FUNCTION_WORDS = {
    "de", "het", "een", "en", "of", "van", "op", "in", "bij", "met", "door", "aan", "om", "voor", "naar", "tot", "uit",
    "over", "per", "als", "dan", "dat", "die", "dit", "deze", "er", "nog", "al", "ook", "niet", "wel", "te", "zo",
}


def _manifest_form(year: int, month: int | None, day: int | None) -> str | None:
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return None
    return f"{year}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if month and day else "")


def written_dates(text: str) -> list[DateSpan]:
    """The dates of a text that name a month ("25 september 2025", "november 2025")."""
    return [d for d in find_dates(text) if d.month is not None]


def first_date(text: str) -> str | None:
    """The first date written out in a text, in manifest form: '25 september 2025' ->
    2025-09-25, 'november 2025' -> 2025-11."""
    for d in written_dates(text):
        if found := _manifest_form(d.year, d.month, d.day):
            return found
    return None


_NUMERIC_DATE = re.compile(r"^(?:(\d{1,2})[-/.])?(\d{1,2})[-/.]((?:19|20)\d\d)$")
_MANIFEST_DATE = re.compile(r"^((?:19|20)\d\d)(?:-(\d{2})(?:-(\d{2}))?)?$")


def manifest_date(value: str) -> str | None:
    """A date as someone types it (2025-09-25, 2025-09, 2025, 25-09-2025, 25 september 2025,
    november 2025) in manifest form; None when it is not a date."""
    value = value.strip()
    if m := _MANIFEST_DATE.match(value):
        return _manifest_form(int(m.group(1)), int(m.group(2)) if m.group(2) else None, int(m.group(3)) if m.group(3) else None)
    if m := _NUMERIC_DATE.match(value):
        return _manifest_form(int(m.group(3)), int(m.group(2)), int(m.group(1)) if m.group(1) else None)
    whole = [d for d in written_dates(value) if (d.start, d.end) == (0, len(value))]
    return _manifest_form(whole[0].year, whole[0].month, whole[0].day) if whole else None


_ABBREVIATION_IN_BRACKETS = re.compile(r"\(([A-Za-z][A-Za-z&]{1,9})(?:['’]s)?\)")
# a line of a list of abbreviations ("Afkortingenlijst"): "RiHG<tab>Risicotaxatie-instrument Huiselijk Geweld"
_ABBREVIATION_LINE = re.compile(r"^([A-Za-z][A-Za-z&]{1,9})\t+([^\t\n(;]{4,120}?)\s*(?:[(;].*)?$", re.M)


def abbreviations(text: str) -> dict[str, str]:
    """Abbreviations a text defines, "Raad voor de Kinderbescherming (RvdK)": {"rvdk": "raad voor
    de kinderbescherming"}. The full form is the shortest run of words before the brackets whose
    initials spell the abbreviation (small words may be skipped or count), or what a list of
    abbreviations gives after a tab."""
    found: dict[str, str] = {}
    for m in _ABBREVIATION_LINE.finditer(text):  # a list says it outright
        # not one that reads as a word the search leaves out ("OM" and "om")
        if sum(c.isupper() for c in m.group(1)) >= 2 and m.group(2).lower() != m.group(1).lower() and stems(m.group(1)):
            found.setdefault(m.group(1).lower(), " ".join(m.group(2).split()).lower())
    for m in _ABBREVIATION_IN_BRACKETS.finditer(text):
        abbr = m.group(1)
        if sum(c.isupper() for c in abbr) < 2:
            continue
        before = text[max(0, m.start() - 120) : m.start()]
        words = list(re.finditer(r"[^\W\d_]+", before))[-10:]  # "risicotaxatie-instrument": two initials
        for k in range(2, len(words) + 1):
            run = [w.group(0).lower() for w in words[-k:]]
            if run[0] not in FUNCTION_WORDS and _spells(abbr.lower(), run):
                found.setdefault(abbr.lower(), " ".join(before[words[-k].start():].split()).lower())
                break
    return found


def _spells(letters: str, words: list[str]) -> bool:
    """Whether the initials of `words` spell `letters`, small function words optionally skipped."""
    if not words:
        return not letters
    if not letters:
        return False
    head, rest = words[0], words[1:]
    if head[0] == letters[0] and _spells(letters[1:], rest):
        return True
    return head in FUNCTION_WORDS and _spells(letters, rest)


def format_decimal(value: float, decimals: int = 1) -> str:
    """A number the Dutch way: 21,3 and 1.234,5."""
    return f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


# --- Announcements: what a document says will be done, and when --------------------------------

_SEASON = r"(?:het\s+)?(?:voorjaar|najaar|zomer|winter)(?:\s+van)?\s+(?:19|20)\d\d"
_PART_OF_YEAR = r"(?:het\s+|de\s+)?(?:eerste|tweede|derde|vierde|laatste)\s+(?:kwartaal|helft|halfjaar|half\s+jaar)\s+(?:van\s+)?(?:19|20)\d\d"
_IN_LOOP = r"in\s+de\s+loop\s+van\s+(?:(?:\d{1,2}\s+)?(?:" + MONTH_PATTERN + r")\s+)?(?:19|20)\d\d"
_RELATIVE_TIME = (r"op\s+korte\s+termijn|binnenkort|(?:de\s+)?komende\s+(?:periode|tijd|maanden|weken|jaren|jaar)"
                  r"|(?:half|medio|eind|begin)\s+(?:" + MONTH_PATTERN + r")(?!\s+(?:19|20)\d\d)|volgend\s+jaar"
                  r"|t/m\s+(?:19|20)\d\d|tot\s+en\s+met\s+(?:19|20)\d\d")
_LEAD = r"(?:(?:per|vanaf|voor|vóór|uiterlijk|in|eind|begin|medio|rond|na)\s+)?"
_TIMING = re.compile(rf"\b(?:{_IN_LOOP}|{_LEAD}(?:{_SEASON}|{_PART_OF_YEAR})|{_RELATIVE_TIME})\b", re.I)
_VAGUE_TIME = re.compile(r"\b(?:op\s+korte\s+termijn|binnenkort|komende)\b", re.I)
_PASSIVE_PLAN = re.compile(r"\b(?:wordt|worden)\b[^.;:]{0,80}\b(?:ge\w+[dt]|\w+eerd)\b", re.I)  # "worden ... gesprekken georganiseerd"
# A future auxiliary, a plan or a promise: "zullen we ... informeren", "JZNL streeft ernaar", "wordt ... aangepast
# in", "we organiseren" (the government speaking of what it does next), "maakt ... vrij".
ANNOUNCEMENT = re.compile(
    r"\b(?:streeft|streven|voornemens|toezegging\w*|toegezegd|aangekondigd|in voorbereiding"
    r"|volgt\s+(?:een|in|na|nog)|ambitie|afgesproken\s+om|maakt\b[^.]{0,60}\bvrij"
    r"|treedt\b[^.]{0,40}\bin\s+werking"
    # what a government does, said in the present: "financiert het ministerie ...", "Daarom evalueert JZNL ...",
    # "Ook wordt gewerkt aan ...", "Er wordt een vervolggesprek gevoerd", "We zorgen voor ..."
    r"|financiert|subsidieert|evalueert|verkent|wordt\s+gewerkt\s+aan"
    r"|wordt\s+(?:een|het|de)\s+\w+\s+(?:gevoerd|georganiseerd|opgesteld|ontwikkeld|uitgevoerd)"
    # a plan in the future passive ("zal het certificeringssysteem worden herzien"); a named body that "gaat" act
    r"|(?:zal|zullen)\b[^.;:]{0,80}\bworden\s+(?:ge\w+|\w+(?:d|t|en))"
    r"|gaat\s+(?:de|het)\s+(?-i:[A-Z])[^.;]{0,80}\b(?:uitvoeren|invoeren|ontwikkelen|onderzoeken|opstellen|organiseren))\b",
    re.I,
)
# What the writers do next, said in the present ("we organiseren", "We verlengen de zij-instroomregeling",
# "Daarom zetten we in op ..."): a plan only where "we" are the writers, not in a collection of what others say.
_WE_ACT = re.compile(
    r"\b(?:werken\s+(?:we|wij)\s+aan|(?:we|wij)\s+(?:organiseren|verlengen|informeren|investeren|ontwikkelen|onderzoeken|zetten|maken|starten)"
    r"|(?:organiseren|verlengen|informeren|investeren|ontwikkelen|zetten|starten)\s+(?:we|wij)"
    r"|(?:zorgen|zetten)\s+(?:we|wij)|(?:we|wij)\s+(?:zorgen\s+voor|zetten\s+in))\b",
    re.I,
)
# "zal" and "zullen" promise only with someone who can promise ("we zullen", "Het ministerie zal"), not in
# "waar het kind zal opgroeien"; a plan in the passive ("wordt de campagne aangepast") only with a time to
# come, which `timing` finds.
_FUTURE = re.compile(r"\b(?:zal|zullen)\b", re.I)
_ACTOR = re.compile(r"\b(?:we|wij|het kabinet|de ministers?|de staatssecretariss?e?n?|het ministerie|de inspecties?|de IGJ"
                    r"|de IJenV|de GI[’']s|gemeenten)\b", re.I)
_OPEN_ENDED = re.compile(r"\b(?:in de loop van|eind|najaar|komende|vierde kwartaal|tweede helft)\b", re.I)


def _later(phrase: str, after: tuple[int, int | None] | None) -> bool:
    """Whether a time phrase lies after a document's date (year, month): a later year, a later
    month, or the rest of its own year ("in de loop van 2022" in a report of 2022)."""
    dates = find_dates(phrase)
    if not dates or after is None:
        return not re.search(r"(?:19|20)\d\d", phrase)  # "op korte termijn": always ahead
    d = dates[-1]
    if d.year != after[0]:
        return d.year > after[0]
    if d.month and after[1]:
        return d.month > after[1]
    return bool(_OPEN_ENDED.search(phrase))


# A sentence that says its figure is measured otherwise: another definition, peildatum, period or method.
# A comparison ("beter dan de brede jeugdzorgsector") is not one: it compares, it does not explain a difference.
MEASURED_OTHERWISE = re.compile(r"\banders\s+(?:gemeten|berekend|gedefinieerd|geteld)\b"
                                r"|\bandere\s+(?:definitie|peildatum|periode|berekening|meetmethode|telling)\b", re.I)


# A sentence that leans on the one before it: what it counts, or when, stands there.
BACK_REFERENCE = re.compile(r"^(?:dat|dit|deze|die|hiervan|daarvan|hierbij|daarbij|hierin|daarin|daarnaast|daarvoor|daarmee|hiermee"
                            r"|daardoor|hierdoor"
                            r"|waardoor|waarmee|waarvan|waarbij|waarin|waarop|waarna|hetgeen"  # a relative clause set apart
                            r"|hiervoor|zij|ze|hun|daar|hier|zo)\b", re.I)


_PRONOUN_DIT = re.compile(r"^(?:\S+\s+){1,5}?dit\s+(?:(?:" + "|".join(sorted(FUNCTION_WORDS)) + r")\b|[.,;:])", re.I)
# "dit" or "deze" as the subject after its verb, before a figure: "... uit 2019 waren dit 3.192 kinderen"
_SUBJECT_FOLLOWERS = sorted({"respectievelijk", "gemiddeld", "nog", "ook", "zelfs", "slechts", "eind", "begin", "medio",
                             *APPROXIMATE, *FUNCTION_WORDS})
_PRONOUN_SUBJECT = re.compile(r"\b(?:" + "|".join(sorted(FINITE_VERBS)) + r")\s+(?:dit|deze)\s+(?=\d|(?:"
                              + "|".join(map(re.escape, _SUBJECT_FOLLOWERS)) + r")\b)", re.I)


def leans_back(text: str) -> bool:
    """A sentence that leans on the one before: it opens with a back reference ("Hiervan wachten
    ...") or has "dit" or "deze" as its subject ("In januari 2022 lukte dit in 92 procent ...",
    "Ten tijde van het signalement ... waren dit 3.192 kinderen")."""
    return bool(BACK_REFERENCE.match(text)) or pronoun_subject(text)


# "hiervoor", "daarvan", "deze activiteiten", "dit": what the sentence is about may stand in the one before
_REFERENCE = re.compile(r"\b(?:(?:hier|daar)(?:voor|van|in|bij|door|mee|na|op|over|uit|om|aan|tegen)|deze|dit)\b", re.I)


def refers_back(text: str) -> bool:
    """A sentence that leans on the one before, or names something of it anywhere ("De inspecties
    hebben hiervoor een termijn van drie maanden gesteld", "... meer van deze activiteiten")."""
    return leans_back(text) or bool(_REFERENCE.search(text))


def pronoun_subject(text: str) -> bool:
    """What the sentence counts is named in the one before, by "dit" or "deze" as its subject."""
    return bool(re.match(r"(?:dit|deze)\b", text, re.I) or _PRONOUN_DIT.match(text) or _PRONOUN_SUBJECT.search(text))


def timing(text: str, after: tuple[int, int | None] | None = None) -> str | None:
    """When a sentence says something will happen, as written: "voorjaar van 2026", "in de loop van
    2026", "op korte termijn", or a date later than `after` (year, month: the document's own date)
    with the word that leads it ("per 1 januari 2026")."""
    for m in _TIMING.finditer(text):
        if _later(m.group(0), after):
            return m.group(0)
    for d in find_dates(text):
        if after and _later(d.text, after):
            lead = re.search(r"(?:\b(?:per|vanaf|voor|vóór|uiterlijk|in|eind|begin|medio|rond|na|op)\s+)$", text[: d.start], re.I)
            return (lead.group(0) if lead else "") + d.text
    return None


_ITEM = re.compile(r"[ \t]*[·•▪◦–-][ \t]+")
# What a list's introduction calls its items when they are what will be done: "Deze aanpak behelst het volgende:".
_PLAN = re.compile(r"\b(?:aanpak|maatregel(?:en)?|acties|stappen|afspraken|plan(?:nen)?|voorstellen|toezeggingen)\b", re.I)
# A heading that asks what someone does (next): "Wat doen de inspecties?", "Wat gaat het kabinet doen?".
_PLAN_HEADING = re.compile(r"^\W*wat\s+(?:doe[nt]|gaa?[nt])\b.*\?\s*$", re.I)


def announced_where(text: str, start: int, end: int, heading: str, after: tuple[int, int | None] | None = None) -> bool:
    """Whether the place of the sentence `text[start:end]` makes it an announcement, in whatever words:
    an item of a bulleted list whose introduction (the line before the items, ending in a colon)
    announces or names a plan ("Deze aanpak behelst het volgende:" / "· De GI’s ontwikkelen
    verbetervoorstellen …"), or a section whose heading asks what someone does ("Wat doen de
    inspecties?"). Not when the sentence itself dates what it tells before the document."""
    line = text.rfind("\n", 0, start) + 1
    if not (_PLAN_HEADING.match(heading) or _ITEM.match(text, line) and _plan_list(text, line, after)):
        return False
    return not (after and any(d.year < after[0] for d in find_dates(text[start:end])))


def _plan_list(text: str, line: int, after: tuple[int, int | None] | None) -> bool:
    """Whether the list the item at `line` stands in is introduced by a line that ends in a colon and
    names or announces a plan; the lines before it are read back one at a time, up to that line."""
    end = line - 1
    while end > 0:
        begin = text.rfind("\n", 0, end) + 1
        previous = text[begin:end]
        if previous.strip() and not _ITEM.match(previous):
            intro = previous.strip()
            last = re.split(r"(?<=[.!?])\s+", intro)[-1]
            return intro.endswith(":") and bool(_PLAN.search(last) or announces(last, after))
        end = begin - 1
    return False


# What someone else expects, doubts, found or stresses, said in a clause after "dat": a forecast or a finding, no promise.
_REPORTED = re.compile(r"\b(?:verwacht(?:en)?|vertrouw\w*\s+er\s+(?:niet\s+)?op|realiteit\s+is|toont|blijkt|laat\s+zien|laten\s+zien"
                       r"|benadrukt|benadrukken|constateert|constateren|concludeert|concluderen)"
                       r"\b[^.;:]{0,60}?\bdat\b", re.I)
_WE = re.compile(r"\b(?:we|wij)\b", re.I)


def announces(text: str, after: tuple[int, int | None] | None = None, quoted: bool = False) -> bool:
    """Whether a sentence announces a measure or a promise: a future or plan wording, or a time
    phrase that lies after the document's own date. Not what another party expects, doubts or
    found ("De VNG verwacht dat gemeenten in 2028 ...", "De inspecties vertrouwen er niet op dat ...
    op korte termijn zal ..."); what the writers expect ("we verwachten dat ...") still is. In a
    document that collects what others say (`quoted`), "we maken het moeilijk" and "We zullen naar de
    totale context moeten kijken" are a speaker's "we"."""
    reported = _REPORTED.search(text)
    if (reported and not _WE.search(text[: reported.end()])) or text.rstrip(" ”’\"'").endswith("?"):
        return False  # nor a question: "Waarom zetten we ... zo veel meer in op ...?"
    when = timing(text, after)
    if when is None and after and any(d.year < after[0] for d in find_dates(text)):
        return False  # "De ambitie om op 1 januari 2020 ... is niet haalbaar": a past aim, no promise
    acts = not quoted and _WE_ACT.search(text)
    actor = any(not (quoted and _WE.fullmatch(m.group(0))) for m in _ACTOR.finditer(text))
    if ANNOUNCEMENT.search(text) or acts or _FUTURE.search(text) and actor:
        return True
    # a time alone announces, but a vague one ("de komende jaren") only with someone who acts or a plan in the
    # passive: "Het tekort ... blijft de komende jaren een uitdaging" foresees, it promises nothing
    return when is not None and (not _VAGUE_TIME.search(when) or actor or bool(_PASSIVE_PLAN.search(text)))
