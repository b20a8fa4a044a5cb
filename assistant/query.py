"""What a question asks for: its key terms (stemmed, with their rarity), years, figures
and names. Sentence selection and the refusal gate both read it."""
from __future__ import annotations

import math
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from . import answer_types
from .answer_types import Asked
from .dutch import MONTHS, NUMBER_WORDS_PATTERN, QUESTION_WORDS, abbreviations, compound_words, lexical_form, proper_names, shares_part, stems
from .index import Index
from .types import Source

_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)*\b")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_NAME_WORD = re.compile(r"[\w&]+")
_DATE = re.compile(r"\b\d{1,2}\s+(?:" + "|".join(MONTHS) + r")\s+(?:19|20)\d\d\b", re.I)
# "In welk deel van het rapport staat hoe lang ...": asks where, not for the duration
_WHERE = re.compile(r"^(?:(?:en|maar|ook)\s+)?(?:in welk(?:e)? (?:deel|paragraaf|hoofdstuk|sectie|passage|onderdeel)|waar\b)", re.I)
# A question in parts (", en met hoeveel ...") or one that compares ("komen die overeen", "zowel ... als").
_COMPOUND = re.compile(
    r",\s*en\s+(?:welk\w*|wat|hoe|hoeveel|met hoeveel|in welk\w*|wie|waar|wanneer|wordt|worden|bevestig\w*|geeft|geven"
    r"|komen|komt|noemt|noemen)\b|\b(?:komen|komt)\b.{0,60}\boverheen\b|\bovereen\b|\bhoe verhoud\w*|\bverschil\w*"
    r"|\bvergelijk\w*|\bdezelfde\b|\bbevestigt\b|\bzowel\b.{0,80}\bals\b|\bverschillende\b|\bwelke cijfers\b"
    r"|\bbeide\b|\béén cijfer\b",
    re.I,
)
# Where a question in parts divides: ", en met hoeveel ...", ": welk deel ... en welk deel ...", a second "?".
_PART_BREAK = re.compile(
    r"(?<=\?)\s+|:\s+(?=(?:welk\w*|wat|hoe|hoeveel|wie|waar|wanneer)\b)"
    r"|,?\s+en\s+(?=(?:welk\w*|wat|hoe|hoeveel|met hoeveel|in welk\w*|wie|waar|wanneer|wordt|worden)\b)",
    re.I,
)
_BOTH = re.compile(r"\bzowel\s+([^,;?]+?)\s+als\s+([^,;?]+?)(?=[,;?]|$)", re.I)
FOCUS_WEIGHT = 2.0
CONTEXT_WEIGHT = 0.5  # terms a follow-up takes over from the question before it
FIGURE_CUES = re.compile(
    r"\b(hoeveel|hoe ?veel|hoe hoog|hoe groot|hoe lang|welk percentage|percentage|aantal|cijfers?|bedrag|wanneer|welk jaar"
    r"|in welk jaar|hoe vaak|welk deel|welk aandeel|op welke plaats|welke plek|waarden?)\b",
    re.I,
)


@dataclass
class QueryTerms:
    text: str
    terms: dict[str, float]  # stem -> idf weight
    years: set[str]
    numbers: set[str]
    names: set[str]
    dates: set[str]  # "1 oktober 2025", in lexical form
    unknown: list[str]  # content words the documents never use
    unknown_names: list[str]  # of those, capitalised words and abbreviations
    content_words: int
    wants_figure: bool
    asked: str  # what the user asked last: the question, or the follow-up of a standalone question
    # abbreviations the documents define, that the question uses in either form: abbreviation -> full form
    aliases: dict[str, str] = field(default_factory=dict)
    want: Asked | None = None  # the kind of answer asked for ("hoeveel" -> a count)
    compound: bool = False  # a question in parts, or one that compares sources or values
    where: bool = False  # asks where something is discussed: the section title counts most
    words: dict[str, str] = field(default_factory=dict)  # stem -> the word as asked, lower case, for `coverage(parts=True)`

    @property
    def weight(self) -> float:
        return sum(self.terms.values())

    @cached_property
    def name_neighbours(self) -> frozenset[str]:
        """The words, lower case, that may stand joined to a name the question names: its own words and the
        forms of its abbreviations ("Jeugdbescherming West", "JB Brabant"); any other capitalised word
        makes another name ("Zuid West")."""
        own = {w.lower() for w in _NAME_WORD.findall(self.asked)}
        return frozenset(own | {w for abbr, full in self.aliases.items() for w in (abbr, *full.split())})

    def coverage(self, text: str, ignore: set[str] = frozenset(), parts: bool = False) -> float:
        """Share of the question's term weight that occurs in `text`; an abbreviation the
        documents define stands for its full form and the other way round ("RvdK"). Stems in
        `ignore` do not count. With `parts`, a word that shares a compound part with one asked
        counts for PART_WEIGHT: "verzuim" for "ziekteverzuim" (see `shares_part`)."""
        if not self.terms:
            return 0.0
        present = self.with_aliases(set(stems(text)) - ignore)
        covered = sum(w for t, w in self.terms.items() if t in present)
        if parts:
            words = compound_words(text)
            covered += PART_WEIGHT * sum(w for t, w in self.terms.items()
                                         if t not in present and t in self.words and shares_part(self.words[t], words))
        return covered / self.weight

    def with_aliases(self, present: set[str]) -> set[str]:
        """The stems present, with the other form of each abbreviation the documents define: "GI"
        for "gecertificeerde instellingen" and the other way round."""
        present = set(present)
        for abbr, full in self.aliases.items():
            short, long = set(stems(abbr)), set(stems(full))
            if short <= present:
                present |= long
            elif long <= present:
                present |= short
        return present

    def entities(self) -> list[set[str]]:
        """The names the question asks about, each with its other forms (lower case): "Raad voor
        de Kinderbescherming" and "RvdK" are one."""
        lower = self.asked.lower()
        out = [{full, abbr} for abbr, full in self.aliases.items() if full in lower or re.search(rf"\b{re.escape(abbr)}\b", lower)]
        for name in self.names:
            n = name.lower()
            if not any(n in form for entity in out for form in entity):
                out.append({n})
        return out


RARE_COMPOUND = 2  # passages: a compound this rare is also searched for by its parts
PART_WEIGHT = 0.5  # a part weighs less than a word of the question: "zaken" in "jeugdbeschermingszaken"


def split_compounds(text: str, passages_with: Callable[[str], int]) -> tuple[str, set[str]]:
    """The text with each compound the documents rarely use followed by its parts they do use, so
    the passages that say "het ziekteverzuim ... 7,5%" count for "ziekteverzuimpercentage"; one
    they never use is replaced by its parts. A linking s is dropped: "beschermingsplan". Also the
    stems of the parts."""
    added: set[str] = set()

    def known(word: str) -> bool:
        found = stems(word)
        return len(found) == 1 and passages_with(found[0]) > 0

    def parts(m: re.Match) -> str:
        word = m.group(0)
        found = stems(word)
        if len(word) < 9 or len(found) != 1 or passages_with(found[0]) > RARE_COMPOUND:
            return word
        for i in range(len(word) - 4, 3, -1):
            head, tail = word[:i], word[i:]
            for left in (head, head[:-1] if head.endswith("s") else None):
                if left and len(left) >= 4 and known(left) and known(tail):
                    added.update(stems(f"{left} {tail}"))
                    return f"{word} {left} {tail}" if passages_with(found[0]) else f"{left} {tail}"
        return word

    return _WORD.sub(parts, text), added


def analyse(index: Index, question: str, focus: str | None = None) -> QueryTerms:
    """`focus`: for a follow-up made standalone, the follow-up itself; its terms weigh
    double, so the answer is to the new question and not to the one before."""
    vocab = index.bm25.bm25.vocab_dict
    indptr = index.bm25.bm25.scores["indptr"]
    n_docs = len(index.chunks)

    def passages_with(stem: str) -> int:
        tid = vocab.get(stem)
        return int(indptr[tid + 1] - indptr[tid]) if tid is not None else 0

    original = set(stems(f"{question} {focus or ''}"))
    question, part_stems = split_compounds(question, passages_with)
    if focus:
        focus, more = split_compounds(focus, passages_with)
        part_stems |= more
    focused = set(stems(focus)) if focus else set()
    terms: dict[str, float] = {}
    for s in stems(question):
        df = passages_with(s)
        terms[s] = math.log(1 + (n_docs - df + 0.5) / (df + 0.5)) * (FOCUS_WEIGHT if s in focused else CONTEXT_WEIGHT if focus else 1.0)
        if s in part_stems and s not in original:
            terms[s] *= PART_WEIGHT
    # what must be found is what the user asked last, not what a follow-up takes over
    asked = focus or question
    lexical = lexical_form(asked)
    years = set(_YEAR.findall(asked))
    numbers = {n for n in _NUMBER.findall(lexical) if n not in years and len(n.replace(",", "")) > 1}
    names = proper_names(lexical)
    dates = {m.group(0).lower() for m in _DATE.finditer(lexical)}
    words = _content_words(lexical)
    unknown = [w for w in words if _unused(index, w)]
    unknown_names = [
        w for w in unknown
        if not lexical.startswith(w)
        and any(part[:1].isupper() and any(s not in vocab for s in stems(part)) for part in w.split("-"))
    ]
    used = f"{question} {asked}".lower()
    defined = {**defined_abbreviations(index), **abbreviations(f"{question} {asked}")}
    aliases = {abbr: full for abbr, full in defined.items() if full in used or re.search(rf"\b{re.escape(abbr)}\b", used)}
    where = bool(_WHERE.match(asked))
    want = None if where else answer_types.asked(asked)
    compound = bool(_COMPOUND.search(asked)) or asked.count("?") > 1 or len(years) > 1 or len(parts(asked)) > 1
    forms = {found[0]: w.lower() for w in _WORD.findall(question) if len(found := stems(w)) == 1}
    return QueryTerms(question, terms, years, numbers, names, dates, unknown, unknown_names, len(words),
                      bool(FIGURE_CUES.search(asked)), asked, aliases, want, compound, where, forms)


def _content_words(lexical: str) -> list[str]:
    return [w for w in _WORD.findall(lexical) if w.lower() not in QUESTION_WORDS and not w.isdigit()]


def _unused(index: Index, word: str) -> bool:
    """No passage and no section title uses the word ("stelselveranderingen" stands in a title only); a
    number in words ("sinds de jaren zeventig") says when or how many, not what about."""
    if re.fullmatch(NUMBER_WORDS_PATTERN, word.lower()):
        return False
    vocab, titles = index.bm25.bm25.vocab_dict, _lexicon(index)["titles"]
    return any(s not in vocab and s not in titles for part in word.split("-") for s in stems(part))


def unknown_words(index: Index, text: str) -> list[str]:
    """The content words of `text`, as written, that the documents never use: before a compound is split
    into parts it does use ("kinderopvang": no document is about it, though all say "kinderen")."""
    return [w for w in _content_words(lexical_form(text)) if _unused(index, w)]


_LEXICON: "weakref.WeakKeyDictionary[Index, dict]" = weakref.WeakKeyDictionary()


def _lexicon(index: Index) -> dict:
    """What is read once per index: the abbreviations the documents define, how many
    passages name a name, the stems of the section titles, and each section's whole text."""
    if index not in _LEXICON:
        found: dict[str, str] = {}
        for doc in index.documents.values():
            for abbr, full in abbreviations(doc.text).items():
                found.setdefault(abbr, full)
        texts = [lexical_form(c.search_text).lower() for c in index.chunks]
        titles = {t for title in {part for c in index.chunks for part in c.section_path} for t in stems(title)}
        sections: dict[tuple, list[str]] = {}
        for c in index.chunks:
            sections.setdefault((c.source_id, c.section_path), []).append(c.search_text)
        _LEXICON[index] = {"abbreviations": found, "texts": texts, "spread": {}, "titles": titles,
                           "sections": {place: " ".join(parts) for place, parts in sections.items()}}
    return _LEXICON[index]


def section_texts(index: Index) -> dict[tuple, str]:
    """Each section's whole text, by (source, section path): a briefing scores them per topic."""
    return _lexicon(index)["sections"]


def defined_abbreviations(index: Index) -> dict[str, str]:
    """Every abbreviation the documents define."""
    return _lexicon(index)["abbreviations"]


def spread(index: Index, forms: set[str]) -> float:
    """The share of passages that name a name in one of its forms: 'gecertificeerde instellingen'
    are everywhere, the 'William Schrikker Stichting' in a few places."""
    lexicon = _lexicon(index)
    key = frozenset(forms)
    if key not in lexicon["spread"]:
        patterns = [re.compile(rf"\b{re.escape(lexical_form(f).lower())}") for f in forms]
        hits = sum(any(p.search(t) for p in patterns) for t in lexicon["texts"])
        lexicon["spread"][key] = hits / max(1, len(lexicon["texts"]))
    return lexicon["spread"][key]


TITLE_LEAD_WORDS = 3
_KIND_WORDS = {
    "bloemlezing": ("bloemlezing",),
    "kamerbrief": ("kamerbrief", "brief", "staatssecretaris", "staatssecretarissen", "bijlage", "gi-monitor"),
    "inspectierapport": ("inspectie", "inspecties", "inspectierapport", "rapport", "igj", "ijenv", "toezicht"),
}
NAMING_STEMS = frozenset(stems(" ".join(w for words in _KIND_WORDS.values() for w in words)))  # the stems of words that name a kind


_NAMING = re.compile(
    r"\b(?:volgens|in|uit|van|bij)\s+(?:de|het|deze|die|dat)\s+(?:" + "|".join(sorted({w for ws in _KIND_WORDS.values() for w in ws}, key=len, reverse=True)) + r")\b(?:\s+(?:uit|van)\s+\d{4})?",
    re.I,
)


def parts(question: str) -> list[str]:
    """The parts of a question in parts, each with at least two words that are not question words:
    "Hoeveel gezinnen heeft een jeugdbeschermer, en met hoeveel hulpverleners krijgt een gezin te
    maken?" -> the two questions; "... over betekenisvol contact, zowel van jeugdbeschermers als van
    pleegzorgbegeleiders?" -> the question about each. One part for a question that is one question."""
    found = [p.strip(" ,?:") for p in _PART_BREAK.split(question)]
    found = [p for p in found if len([w for w in _WORD.findall(p) if w.lower() not in QUESTION_WORDS]) >= 2]
    if len(found) == 1 and (both := _BOTH.search(question)):  # "zowel van A als van B": a part for each
        found = [f"{question[: both.start()]}{side}{question[both.end():]}".strip(" ,?:") for side in both.group(1, 2)]
    return found if len(found) > 1 else [question]


def topic(question: str) -> str:
    """The question without the phrase that names a document ("volgens de bloemlezing"),
    which would otherwise pull in passages that talk about the document itself."""
    return " ".join(_NAMING.sub(" ", question).split())


def mentioned_sources(question: str, sources: list[Source]) -> set[str]:
    """Documents the question names: by title, and by kind ("volgens de Kamerbrief"), narrowed
    by a year that matches the document's date ("het rapport uit 2021")."""
    q = question.lower()
    words = set(re.findall(r"[\w-]+", q))
    years = set(_YEAR.findall(q))

    def kind_named(s: Source) -> bool:
        return bool(words & set(_KIND_WORDS.get(s.kind, (s.kind,))))

    def title_named(s: Source) -> bool:
        """By its title, or by the title's first words with the document's year or kind ("de
        stand van zaken van 2022")."""
        title = s.title.lower()
        lead = " ".join(title.split()[:TITLE_LEAD_WORDS])
        return (len(title) > 12 and title[:40] in q) or (
            len(lead) >= 12 and lead in q and (s.date[:4] in years or kind_named(s)))

    by_title = {s.id for s in sources if title_named(s)}
    out = set(by_title)
    for kind in {s.kind for s in sources}:
        named = [s for s in sources if s.kind == kind and kind_named(s)]
        dated = {s.id for s in named if s.date[:4] in years}  # among documents of one kind
        # a kind whose document the title names is not all of that kind, unless a year says which
        out |= dated if any(s.kind == kind for s in sources if s.id in by_title) else dated or {s.id for s in named}
    return out
