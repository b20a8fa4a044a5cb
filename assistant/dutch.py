"""Dutch text helpers, in one place: whitespace normalisation, month names, number notation,
stemming and dates. Every stage that compares or shows Dutch text uses these, so a question,
a passage and a quote are always read the same way."""
from __future__ import annotations

import re
from datetime import date

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
_THOUSANDS_IN_TEXT = re.compile(r"\b(\d{1,3})((?:\.\d{3})+)\b")
_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
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
    "welbeschouwd", "eigenlijk", "iemand", "betreft", "sprake", "iedere", "elke",
} | set(STOPWORDS_DUTCH)
_STEMMER = Stemmer.Stemmer("dutch")

# A figure in a sentence: digits or a Dutch number word ("zes keer", "een derde").
FIGURE_IN_TEXT = re.compile(
    r"\d|\b(twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|twintig|honderd|duizend|miljoen|miljard"
    r"|helft|derde|kwart|driekwart|procent|enkele|paar)\b",
    re.I,
)


def normalise(text: str) -> str:
    """Collapse runs of whitespace: the form in which quotes are compared and shown."""
    return " ".join(text.split())


def lexical_form(text: str) -> str:
    """What lexical search sees: thousands separators dropped (1.499 -> 1499) and month
    abbreviations spelled out (okt -> oktober), for documents and questions alike."""
    text = _THOUSANDS_IN_TEXT.sub(lambda m: m.group(1) + m.group(2).replace(".", ""), text)
    return _MONTH_ABBR.sub(lambda m: MONTH_ABBREVIATIONS[m.group(1).lower()], text)


def stem_words(words: list[str]) -> list[str]:
    return _STEMMER.stemWords(words)


def stems(text: str) -> list[str]:
    """Stemmed content words of a text, in the form the lexical index uses."""
    words = [w.lower() for w in _TOKEN.findall(lexical_form(text))]
    return stem_words([w for w in words if w not in QUESTION_WORDS])


def canonical_number(value: str) -> str:
    """One spelling per value: 1.499 and 1499 agree, as do 16,7 and 16.7."""
    if _THOUSANDS.match(value):
        return value.replace(".", "")
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


def format_decimal(value: float, decimals: int = 1) -> str:
    """A number the Dutch way: 21,3 and 1.234,5."""
    return f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
