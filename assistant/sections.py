"""Recover a document's structure: headings, sections, tables of contents and tables.

Works on plain text and Markdown without per-file code. Headings are recognised by their
shape (numbered `6.1.1 ...`, chapters `Hoofdstuk 6. ...`, roman `iv. ...`, Markdown `#`, and
short title lines between paragraphs); a manifest hint `"headings": "numbered"` switches the
last, riskiest kind off for documents whose body is full of short quoted lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .dutch import normalise
from .types import Section, Table

_LINE = re.compile(r"[^\n]*\n|[^\n]+$")
_NOISE_PREFIX = re.compile(r"^(?:\[bookmark:[^\]]*\])+")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(\S.*?)\s*#*$")
_CHAPTER = re.compile(r"^(hoofdstuk|bijlage|deel|annex)\s+(\d{1,2}|[A-Z])?\.?\s*(\S.*)?$", re.I)
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,4})(\.?)[\t ]+(\S.*)$")
_ROMAN = re.compile(r"^(i{1,3}|iv|vi{0,3}|ix|x)\.[\t ]+(\S.*)$")
_TOC_LINE = re.compile(r"(?:\t|\s{2,})(?:\d{1,3}|Fout!.*)\s*$|^Bladwijzer niet gedefinieerd")
_TOC_CAPS = re.compile(r"^[^a-z]{6,}\s\d{1,3}\s*$")
_TOC_TITLE = re.compile(r"^inhoud", re.I)
_NUMBER_CELL = re.compile(r"^[-+]?\d[\d.,]*\s*%?$")
_YEAR = re.compile(r"^(19|20)\d\d$")
_TERMINAL = tuple(".!?:;)]\"'”’")
_BULLET = re.compile(r"^\s*(?:[-*•·▪]|\d{1,2}[.)])\s")
_STARTS_TITLE = re.compile(r"^[(‘'\"“]?[A-ZÀ-Ý]")

MAX_HEADING_CHARS = 160
MAX_TITLE_LINE_CHARS = 120
MAX_TITLE_LINE_WORDS = 16
FRONT_LABEL = "Inleiding"


@dataclass
class _Line:
    start: int
    end: int  # without the newline
    raw: str

    @property
    def text(self) -> str:
        return normalise(_NOISE_PREFIX.sub("", self.raw.strip()))


@dataclass
class _Heading:
    line: int
    kind: str  # chapter | numbered | roman | markdown | title
    label: str
    number: str | None
    level: int


def split_lines(text: str) -> list[_Line]:
    lines = []
    for m in _LINE.finditer(text):
        raw = m.group(0).rstrip("\n")
        lines.append(_Line(m.start(), m.start() + len(raw), raw))
    return lines


def is_toc_line(text: str) -> bool:
    """A table-of-contents entry: a heading followed by a page number."""
    return bool(_TOC_LINE.search(text) or _TOC_CAPS.match(text))


def _canonical_number(number: str) -> str:
    return number + "." if "." not in number else number


def _chapter_label(text: str, name: str | None) -> str:
    # "Bijlage GI-monitor. Ontwikkeling aantal ..." is cited as "Bijlage GI-monitor".
    head, sep, rest = text.partition(". ")
    if sep and (name is None or not name.isdigit()) and len(rest) > 30:
        return head
    return text


def _classify(lines: list[_Line], i: int, allow_titles: bool, after_block: bool) -> tuple[str, str, str | None] | None:
    """Return (kind, text, number) when line i is a heading. `after_block`: the line before
    closes a block (a sentence end, a heading, a list item or a table), so a title may start."""
    text = lines[i].text
    if not text or len(text) > MAX_HEADING_CHARS or is_toc_line(lines[i].raw):
        return None
    if m := _MD_HEADING.match(text):
        return "markdown", m.group(2), str(len(m.group(1)))
    if (m := _CHAPTER.match(text)) and not text.endswith((".", ",", ";")):
        return "chapter", _chapter_label(text, m.group(2)), m.group(2)
    if m := _NUMBERED.match(text):
        number, dot, rest = m.groups()
        if ("." in number or dot) and _STARTS_TITLE.match(rest) and not rest.endswith((".", ",", ";")):
            return "numbered", rest, number
        return None
    if m := _ROMAN.match(text):
        if _STARTS_TITLE.match(m.group(2)) and not text.endswith((".", ",", ";")):
            return "roman", f"{m.group(1)}. {m.group(2)}", m.group(1)
        return None
    if allow_titles and after_block and _is_title_line(lines, i, text):
        return "title", text, None
    return None


def _is_title_line(lines: list[_Line], i: int, text: str) -> bool:
    """A short unnumbered title followed by more text."""
    if (
        len(text) > MAX_TITLE_LINE_CHARS
        or len(text.split()) > MAX_TITLE_LINE_WORDS
        or not _STARTS_TITLE.match(text)
        or text.endswith((".", "!", ":", ";", ","))
        or lines[i].raw[:1] in ("\t", "|")
    ):
        return False
    if ". " in text[:-1]:
        return False  # two sentences: a wrapped paragraph, not a title
    nxt = next((lines[j].text for j in range(i + 1, len(lines)) if lines[j].text), None)
    return nxt is not None and not nxt[0].islower()  # a lower-case next line continues a sentence


def _find_tables(lines: list[_Line]) -> dict[int, tuple[int, Table]]:
    """Tables laid out one cell per line (a PDF/DOCX conversion): header cells, then rows
    of a label followed by as many numeric cells. Returns {first line: (last line, table)}."""
    tables: dict[int, tuple[int, Table]] = {}
    groups: list[list[int]] = []  # runs of non-blank short lines
    current: list[int] = []
    for i, line in enumerate(lines):
        stripped = line.raw.strip()
        if not stripped:
            if current:
                groups.append(current)
            current = []
        elif len(stripped) <= 60 and (line.raw.startswith("\t") or len(stripped) <= 12 or current):
            current.append(i)
        else:
            if current:
                groups.append(current)
            current = []
            groups.append([])  # a long line breaks any table run
    if current:
        groups.append(current)

    g = 0
    while g < len(groups):
        header = _header_cells(lines, groups[g])
        rows, spans, h = [], [], g + 1
        while header and h < len(groups) and len(groups[h]) == len(header) + 1:
            cells = [lines[k].text for k in groups[h]]
            if not all(_NUMBER_CELL.match(c) for c in cells[1:]) or _NUMBER_CELL.match(cells[0]):
                break
            rows.append((cells[0], tuple(cells[1:])))
            first, last = lines[groups[h][0]], lines[groups[h][-1]]
            spans.append((first.start + len(first.raw) - len(first.raw.lstrip()), last.end))
            h += 1
        if len(rows) >= 1 and len(header) >= 2:
            span = (lines[groups[g][0]].start, lines[groups[h - 1][-1]].end)
            cells = [lines[k] for k in groups[g] if lines[k].text]
            header_span = (cells[0].start + len(cells[0].raw) - len(cells[0].raw.lstrip()), cells[-1].end)
            tables[groups[g][0]] = (groups[h - 1][-1], Table(tuple(header), tuple(rows), tuple(spans), span, header_span))
            g = h
        else:
            g += 1
    return tables


def _header_cells(lines: list[_Line], group: list[int]) -> list[str]:
    cells: list[str] = []
    for k in group:
        cell = lines[k].text
        if not cell:
            continue
        if _YEAR.match(cell) and cells and not re.search(r"\d{4}", cells[-1]):
            cells[-1] = f"{cells[-1]} {cell}"  # "1 april" + "2025" broken over two lines
        else:
            cells.append(cell)
    if len(cells) < 2 or any(_NUMBER_CELL.match(c) for c in cells):
        return []
    return cells


def parse_sections(source_id: str, text: str, headings: str = "auto", not_headings: tuple[str, ...] = ()) -> list[Section]:
    """Split a document into sections in reading order (the front matter included).

    `not_headings`: lines of this document that look like titles but are not (manifest hint)."""
    lines = split_lines(text)
    tables = _find_tables(lines)
    table_lines = {k for first, (last, _) in tables.items() for k in range(first, last + 1)}

    # headings marked as such (Markdown, or DOCX/HTML converted to it): no guessing at titles
    marked = any(_MD_HEADING.match(line.text) for line in lines)
    found: list[_Heading] = []
    in_toc = False
    after_block = True
    for i, line in enumerate(lines):
        if not line.text:
            continue
        if i in table_lines:
            after_block = True
            continue
        # with the "numbered" hint, unnumbered titles only in the front matter
        titles = not marked and (headings != "numbered" or all(h.kind == "title" for h in found))
        got = None if line.text in not_headings else _classify(lines, i, allow_titles=titles, after_block=after_block)
        after_block = got is not None or line.text.endswith(_TERMINAL) or bool(_BULLET.match(line.raw))
        if got is None or (in_toc and got[0] == "title"):
            continue
        kind, text_, number = got
        in_toc = bool(_TOC_TITLE.match(text_))
        found.append(_place(found, i, kind, text_, number))

    sections: list[Section] = []
    bounds = [(h.line, h) for h in found]
    first_line = bounds[0][0] if bounds else len(lines)
    if any(lines[k].text for k in range(first_line)):
        end = lines[first_line].start if bounds else len(text)
        sections.append(_section(source_id, FRONT_LABEL, FRONT_LABEL, (FRONT_LABEL,), 1, 0, end, text, lines, tables, range(0, first_line)))
    stack: list[_Heading] = []
    for n, (line_no, h) in enumerate(bounds):
        while stack and stack[-1].level >= h.level:
            stack.pop()
        stack.append(h)
        next_line = bounds[n + 1][0] if n + 1 < len(bounds) else len(lines)
        start = lines[line_no].end
        end = lines[next_line].start if next_line < len(lines) else len(text)
        path = tuple(s.label for s in stack)
        sections.append(
            _section(source_id, h.label, lines[line_no].text, path, h.level, start, end, text, lines, tables, range(line_no + 1, next_line))
        )
    return sections


def _place(found: list[_Heading], line: int, kind: str, text: str, number: str | None) -> _Heading:
    """Give a heading its level and citation label, from the headings before it."""
    prev = found[-1] if found else None
    if kind == "markdown":
        return _Heading(line, kind, text, None, int(number or 1))
    if kind == "chapter":
        return _Heading(line, kind, text, number if number and number.isdigit() else None, 1)
    if kind == "numbered":
        return _Heading(line, kind, f"{_canonical_number(number)} {text}", number, number.count(".") + 1)
    if kind == "roman":
        parent = next((h for h in reversed(found) if h.kind in ("numbered", "chapter") and h.number), None)
        label = f"{parent.number} {text}" if parent else text
        return _Heading(line, kind, label, number, (parent.level + 1) if parent else 1)
    # an unnumbered title: a sibling of a title just before it, else a child of the heading above
    if prev is None:
        level = 1
    elif prev.kind == "title":
        level = prev.level
    else:
        level = prev.level + 1
    return _Heading(line, kind, text, None, level)


def _section(source_id, label, heading, path, level, start, end, text, lines, tables, line_range) -> Section:
    table = next((t for first, (_, t) in tables.items() if first in line_range), None)
    body = [lines[k] for k in line_range if lines[k].text]
    toc = bool(_TOC_TITLE.match(label)) or (len(body) >= 3 and sum(is_toc_line(b.raw) for b in body) > len(body) / 2)
    return Section(source_id, label, heading, path, level, start, end, toc, table)
