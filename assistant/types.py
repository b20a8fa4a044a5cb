"""The records that travel down the pipeline: sources -> sections -> chunks -> answers.

Offsets (`start`, `end`) always point into the source's text exactly as read from disk, so
every quote can be traced back to the document with Ctrl-F.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Source:
    """One document from `sources/manifest.json`."""

    id: str
    file: str
    kind: str
    title: str
    publisher: str
    date: str
    headings: str = "auto"  # hint for the section parser: "auto" or "numbered"
    not_headings: tuple[str, ...] = ()  # lines the parser must not take for titles


@dataclass(frozen=True)
class Converted:
    """A file as text. `pages`: offsets where each stretch of text starts and `page_numbers`
    the page it is printed on (a PDF; a footnote placed after a sentence that ran on to the
    next page still names its own page); `empty_pages`: pages without text (a scan)."""

    text: str
    pages: tuple[int, ...] = ()
    page_numbers: tuple[int, ...] = ()
    empty_pages: tuple[int, ...] = ()


@dataclass(frozen=True)
class Table:
    """A table rebuilt from a conversion: `header` are the column labels, `rows` label + cells."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    row_spans: tuple[tuple[int, int], ...]  # source span of each row (label through last cell)
    span: tuple[int, int]  # the whole table, header included
    header_span: tuple[int, int]  # the column labels


@dataclass(frozen=True)
class Section:
    """A titled part of a document; `label` is what a citation shows."""

    source_id: str
    label: str
    heading: str  # the heading line as written (whitespace normalised)
    path: tuple[str, ...]  # labels of the ancestors, then this one
    level: int
    start: int  # first character of the body (after the heading line)
    end: int
    toc: bool = False  # a table of contents: never a citation target
    table: Table | None = None


@dataclass(frozen=True)
class Chunk:
    """A retrievable piece of one section; never crosses a section boundary."""

    id: str
    source_id: str
    section: str  # the section label
    section_path: tuple[str, ...]
    start: int
    end: int
    text: str  # the source text of [start, end), whitespace normalised
    search_text: str  # what is embedded and indexed (section title + text, or a table row)
    table_row: bool = False  # a rebuilt table row: search_text spells out its cells

    @property
    def metadata(self) -> dict:
        return {
            "source_id": self.source_id,
            "section": self.section,
            "section_path": " > ".join(self.section_path),
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }


@dataclass
class Passage:
    """A retrieved chunk with its fused score and rank."""

    chunk: Chunk
    score: float
    rank: int


@dataclass
class Citation:
    n: int
    source_id: str
    title: str
    kind: str
    date: str
    section: str
    page: int | None
    quote: str
    start: int = field(default=0, repr=False)  # span of the quote in the source
    end: int = field(default=0, repr=False)

    def to_json(self) -> dict:
        data = asdict(self)
        data.pop("start")
        data.pop("end")
        return data


@dataclass
class Figure:
    value: str
    verified: bool
    citations: list[int]


@dataclass
class Claim:
    """One sentence of an answer and the citations it rests on. `supported`: the quotes it
    cites hold every figure and date in it and its key content words (see `claims.py`)."""

    text: str  # the sentence as shown, without markers
    citations: list[int]
    supported: bool
    why: str | None = None  # Dutch: why it is not supported
    # "claim"; "conflict": where sources give different values; "gap": what the sources do not say
    kind: str = "claim"
    # parts that say where ("Kamerbrief, 1.3 iv. Aanpak ...: ", "de bloemlezing (maart 2026)"): they claim nothing
    asides: tuple[str, ...] = field(default=(), repr=False)

    @property
    def body(self) -> str:
        """What the claim asserts: its text without the parts that name a source."""
        text = self.text
        for aside in self.asides:
            text = text.replace(aside, " ", 1)
        return text

    def to_json(self) -> dict:
        return {"text": self.text, "citations": self.citations, "supported": self.supported, "why": self.why,
                "kind": self.kind}


@dataclass
class ConflictValue:
    value: str  # as the document writes it
    date: str | None  # the date or peildatum the value belongs to, as written; None when the quote gives none
    citations: list[int]
    written: str = ""  # the figure with its unit, as the quote has it: "15,5 procent", "25 Veilig Thuis-organisaties"


@dataclass
class Conflict:
    """The same measure with different values in different documents or dates."""

    measure: str
    values: list[ConflictValue]
    note: str | None = None  # why they differ, only where a document says so

    def to_json(self) -> dict:
        return {"measure": self.measure, "values": [asdict(v) for v in self.values], "note": self.note}


@dataclass
class Answer:
    question: str
    answer: str
    mode: str
    citations: list[Citation]
    figures: list[Figure]
    refused: bool = False
    model: str | None = None
    warning: str | None = None
    id: str | None = None
    timing_ms: dict = field(default_factory=lambda: {"retrieve": 0, "generate": 0, "total": 0})
    usage: dict | None = None  # a model's token counts: {"prompt_tokens": n, "completion_tokens": n}
    claims: list[Claim] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list, repr=False)  # what retrieval gave
    standalone_question: str | None = field(default=None, repr=False)

    def to_json(self) -> dict:
        """The machine contract of `ask --json` (see README)."""
        return {
            "id": self.id,
            "question": self.question,
            "answer": self.answer,
            "mode": self.mode,
            "model": self.model,
            "refused": self.refused,
            "warning": self.warning,
            "citations": [c.to_json() for c in self.citations],
            "figures": [asdict(f) for f in self.figures],
            "claims": [c.to_json() for c in self.claims],
            "conflicts": [c.to_json() for c in self.conflicts],
            "timing_ms": self.timing_ms,
            "usage": self.usage,
        }


@dataclass
class ReadingWarning:
    """Something about how a document was read that its owner should know; `code` is for
    machines (no_headings, long_section, instructions, no_text), `message` Dutch."""

    code: str
    message: str
    page: int | None = None
    section: str | None = None


@dataclass
class OutlineSection:
    label: str  # as a citation shows it
    level: int
    passages: int
    page: int | None  # where it starts (PDF)
    chars: int
    toc: bool = False  # a table of contents: read, never cited


@dataclass
class OutlineTable:
    section: str
    header: list[str]
    rows: list[list[str]]  # the row label, then its cells


@dataclass
class Outline:
    """How one document is read: its sections, tables and warnings (`assistant sources`)."""

    source: Source
    sections: list[OutlineSection]
    tables: list[OutlineTable]
    warnings: list[ReadingWarning]
    pages: int | None  # PDF: the number of pages

    @property
    def passages(self) -> int:
        return sum(s.passages for s in self.sections)

    def to_json(self) -> dict:
        return {
            "id": self.source.id, "file": self.source.file, "title": self.source.title, "kind": self.source.kind,
            "publisher": self.source.publisher, "date": self.source.date, "pages": self.pages,
            "passages": self.passages, "sections": [asdict(s) for s in self.sections],
            "tables": [asdict(t) for t in self.tables], "warnings": [asdict(w) for w in self.warnings],
        }


@dataclass
class Suggestion:
    """Manifest fields for a new document as found in it, for the user to confirm;
    `found` says per field where it came from (Dutch)."""

    id: str
    title: str
    kind: str
    publisher: str
    date: str
    found: dict[str, str] = field(default_factory=dict)


@dataclass
class LibraryChange:
    """A document added or replaced: its manifest entry, where each field came from
    (Dutch: "opgegeven", or where in the document it was found), and how it is read."""

    source: Source
    used: dict[str, str]
    outline: Outline


@dataclass
class Preliminary:
    """The answer without a model, shown at once while a model writes its own."""

    answer: Answer
