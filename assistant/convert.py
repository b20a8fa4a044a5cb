"""PDF, DOCX and HTML to text the section parser understands.

Headings become Markdown headings (`## ...`) where the format marks them (HTML h1-h6, DOCX
heading styles). A PDF is read as governments publish them (README, "Hoe een PDF wordt
gelezen"): running headers and footers are dropped, words hyphenated at a line end are
joined, footnotes become paragraphs of their own that never cut a sentence, two columns are
read one after the other, and every stretch of text keeps the page it is printed on. Pages
without any text (a scan) are named, never passed over silently.
"""
from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from math import hypot

from .types import Converted

_SENTENCE_END = (".", "!", "?", ":", ";")  # as chunks.paragraphs: a line ending so closes a paragraph
EDGE_ZONE = 0.1  # top and bottom tenth of a page: where running headers and footers stand
REPEATED_ON = 0.4  # a line in that zone on this share of the pages (and at least 2) is a running header
FOOTNOTE_SIZE = 0.85  # text this much smaller than the body, below it, is a footnote
_PAGE_LABEL = re.compile(r"^(?:(?:pagina|page|blz\.?|p\.)\s*)?[-–]?\s*\d{1,3}\s*[-–]?(?:\s*(?:van|/|of)\s*\d{1,3})?$", re.I)
_HYPHENATED = re.compile(r"(\w+)-$")
_FIRST_WORD = re.compile(r"^(\S+)(\s*)")
_WORD = re.compile(r"\w+(?:-\w+)*")
# "kind-" + "en gezinsbescherming": a hyphen that stands for a left-out word part.
_COORDINATING = {"en", "of", "tot", "noch", "als", "dan", "en/of"}
# A hyphen between two vowels that together would be read as one sound is Dutch spelling
# (zee-egel, auto-ongeluk, mede-eigenaar); a syllable break never splits such a pair.
_VOWEL_PAIRS = {"aa", "ae", "ai", "au", "ee", "ei", "eu", "ie", "ij", "oe", "oi", "oo", "ou", "ui", "uu"}


class ConversionError(Exception):
    """The file cannot be read as its type says; the message is Dutch."""


@dataclass
class _Line:
    text: str
    x: float
    y: float
    size: float


@dataclass
class _Page:
    number: int
    body: list[_Line]
    footnotes: list[str]


def pdf_to_text(raw: bytes) -> Converted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        pages = [(_page_lines(page), float(page.mediabox.width), float(page.mediabox.height)) for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ConversionError(f"de PDF is niet te lezen ({exc})") from exc
    running = _running_lines(pages)
    read = []
    for n, (lines, width, height) in enumerate(pages, 1):
        lines = [ln for ln in lines if not _is_edge(ln, height) or (_edge_key(ln) not in running and not _PAGE_LABEL.match(ln.text))]
        body, footnotes = _split_footnotes(lines, height)
        read.append(_Page(n, _reading_order(body, width), footnotes))
    _join_hyphenated([line for page in read for line in page.body])
    for page in read:
        page.body = [line for line in page.body if line.text]
    return _assemble(read, tuple(page.number for page in read if not page.body))


def _page_lines(page) -> list[_Line]:
    """The page's text lines with where each starts (from the page's lower left corner) and
    its font size: pypdf's own reading in content order; the visitor tells where each piece stands."""
    left, bottom = float(page.mediabox.left), float(page.mediabox.bottom)
    lines: list[_Line] = []
    parts: list[str] = []
    where: list[tuple[float, float, float] | None] = [None]

    def flush() -> None:
        text = " ".join("".join(parts).split())
        if text and where[0]:
            lines.append(_Line(text, *where[0]))
        parts.clear()
        where[0] = None

    def visit(text, cm, tm, font, size) -> None:
        pieces = text.split("\n")
        for k, piece in enumerate(pieces):
            if piece.strip() and where[0] is None:
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                scale = hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]) or 1.0
                where[0] = (x - left, y - bottom, round(size * scale, 1))
            parts.append(piece)
            if k < len(pieces) - 1:
                flush()

    page.extract_text(visitor_text=visit)
    flush()
    return lines


def _is_edge(line: _Line, height: float) -> bool:
    return line.y > height * (1 - EDGE_ZONE) or line.y < height * EDGE_ZONE


def _edge_key(line: _Line) -> tuple[str, float]:
    """Page numbers differ from page to page, the rest of a running header does not."""
    return re.sub(r"\d+", "#", line.text.lower()), line.size


def _running_lines(pages) -> set[tuple[str, float]]:
    """Lines in the top or bottom zone that repeat on many pages: the title, "Pagina 3 van 12"."""
    seen = Counter(key for lines, _, height in pages for key in {_edge_key(ln) for ln in lines if _is_edge(ln, height)})
    least = max(2, REPEATED_ON * len(pages))
    return {key for key, count in seen.items() if count >= least}


def _split_footnotes(lines: list[_Line], height: float) -> tuple[list[_Line], list[str]]:
    """Body lines, and the footnotes: smaller text in the lower half, below all body text."""
    sizes = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
    if not sizes:
        return [], []
    body_size = sizes.most_common(1)[0][0]
    lowest_body = min((ln.y for ln in lines if ln.size > body_size * FOOTNOTE_SIZE), default=height)
    notes = {k for k, ln in enumerate(lines) if ln.size <= body_size * FOOTNOTE_SIZE and ln.y < lowest_body and ln.y < height / 2}
    return [ln for k, ln in enumerate(lines) if k not in notes], [ln.text for k, ln in enumerate(lines) if k in notes]


def _reading_order(lines: list[_Line], width: float) -> list[_Line]:
    """Two columns written line by line across the page (left, right, left, ...) are read
    column by column; columns already written one after the other keep their order."""
    mid = width / 2

    def right(line: _Line) -> bool:
        return line.x >= mid * 0.95

    def beside(a: _Line, b: _Line) -> bool:
        return abs(a.y - b.y) < max(a.size, b.size) / 2

    pairs = [r for r in lines if right(r) and len(r.text.split()) >= 4 and any(not right(ln) and beside(ln, r) for ln in lines)]
    switches = sum(right(a) != right(b) for a, b in zip(lines, lines[1:]))
    if len(pairs) < 3 or switches <= len(pairs):
        return lines

    def full_width(line: _Line) -> bool:  # about half an em per character
        return not right(line) and line.x + 0.5 * line.size * len(line.text) > mid and not any(right(r) and beside(line, r) for r in lines)

    ordered, band = [], []
    for line in sorted(lines, key=lambda ln: -ln.y):
        if full_width(line):
            ordered += [ln for ln in band if not right(ln)] + [ln for ln in band if right(ln)] + [line]
            band = []
        else:
            band.append(line)
    return ordered + [ln for ln in band if not right(ln)] + [ln for ln in band if right(ln)]


def _join_hyphenated(lines: list[_Line]) -> None:
    """Join words broken at a line end ("jeugd-" + "bescherming"), in place.

    The hyphen goes when the next line starts lower-case, unless it is real: the document
    itself writes the word with a hyphen elsewhere, the first part is an abbreviation or a
    number (GI-monitor, 18-jarigen), or the hyphen keeps two vowels apart (zee-egel). It stays
    with the line break as it is before "en", "of" ("kind- en gezinsbescherming"), and stays
    with the word joined before a capital or a digit (Noord-Holland, COVID-19)."""
    words = Counter(w.lower() for line in lines for w in _WORD.findall(line.text))
    for line, nxt in zip(lines, lines[1:]):
        head, first = _HYPHENATED.search(line.text), _FIRST_WORD.match(nxt.text)
        if not head or not first:
            continue
        prefix, token = head.group(1), first.group(1)
        word = re.match(r"\w+", token)
        if not word or token.lower() in _COORDINATING:
            continue
        tail = word.group(0)
        line.text = (line.text if not tail[0].islower() or _real_hyphen(prefix, tail, words) else line.text[:-1]) + token
        nxt.text = nxt.text[first.end():]


def _real_hyphen(prefix: str, tail: str, words: Counter) -> bool:
    """Whether `prefix-tail` is written with a hyphen (see _join_hyphenated)."""
    hyphenated, joined = f"{prefix}-{tail}".lower(), f"{prefix}{tail}".lower()
    if words[hyphenated] or words[joined]:
        return words[hyphenated] > words[joined]
    if any(c.isdigit() for c in prefix) or len(prefix) == 1 or prefix.isupper() or any(c.isupper() for c in prefix[1:]):
        return True
    return (prefix[-1] + tail[0]).lower() in _VOWEL_PAIRS


def _assemble(pages: list[_Page], empty: tuple[int, ...]) -> Converted:
    """One text with the page of every stretch. A sentence running onto the next page is
    kept whole (one line break, not a paragraph break), and the footnotes of its page follow
    the end of that paragraph, still marked with their own page."""
    text = ""
    starts: list[int] = []
    numbers: list[int] = []
    held: list[tuple[int, list[str]]] = []  # footnotes waiting for a paragraph to end

    def mark(page: int) -> None:
        starts.append(len(text))
        numbers.append(page)

    def put_notes(resume: int) -> None:
        nonlocal text
        for page, notes in held:
            text = text.rstrip("\n") + "\n\n"
            mark(page)
            text += "\n".join(notes) + "\n\n"
        held.clear()
        mark(resume)

    for n, page in enumerate(pages):
        lines = [ln.text for ln in page.body]
        nxt = next((p.body[0].text for p in pages[n + 1 :] if p.body), None)
        mark(page.number)
        for k, line in enumerate(lines):
            text += line + "\n"
            if held and not _runs_on(line, lines[k + 1] if k + 1 < len(lines) else nxt):
                put_notes(page.number)
        if page.footnotes:
            held.append((page.number, page.footnotes))
        if not lines or _runs_on(lines[-1], nxt):
            continue  # an empty page, or the sentence goes on: no paragraph break, footnotes wait
        if held:
            put_notes(page.number)
        text = text.rstrip("\n") + "\n\n" if text else text
    if held:
        put_notes(pages[-1].number)
    return Converted(text, tuple(starts), tuple(numbers), empty)


def _runs_on(line: str, nxt: str | None) -> bool:
    return nxt is not None and not line.endswith(_SENTENCE_END) and nxt[:1].islower()


_DOCX_HEADING = re.compile(r"^(?:heading|kop)\s*(\d)$", re.I)


def docx_to_text(raw: bytes) -> Converted:
    """Word as python-docx reads it: paragraphs and tables in document order; a heading
    style (also a style based on one, and "Title") becomes a Markdown heading."""
    import docx
    from docx.opc.exceptions import OpcError

    try:
        document = docx.Document(io.BytesIO(raw))
        blocks = list(document.iter_inner_content())
    except (OpcError, ValueError, KeyError) as exc:
        raise ConversionError(f"het DOCX-bestand is niet te lezen ({exc})") from exc
    except Exception as exc:  # a damaged zip or XML inside a .docx: python-docx has no one error type
        raise ConversionError(f"het DOCX-bestand is niet te lezen ({type(exc).__name__}: {exc})") from exc
    lines = []
    for block in blocks:
        if hasattr(block, "rows"):
            for row in block.rows:
                lines.append("| " + " | ".join(" ".join(cell.text.split()) for cell in row.cells) + " |")
            continue
        text = " ".join(block.text.split())
        level = _heading_level(block.style)
        if text:
            lines.append(("#" * level + " " + text) if level else text)
    return Converted("\n\n".join(lines) + "\n")


def _heading_level(style) -> int | None:
    while style is not None:
        name = style.name or ""
        if name.lower() == "title":
            return 1
        if m := _DOCX_HEADING.match(name) or _DOCX_HEADING.match(style.style_id or ""):
            return int(m.group(1))
        style = style.base_style
    return None


class _HtmlText(HTMLParser):
    BLOCKS = {"p", "div", "li", "br", "section", "article", "tr", "table", "ul", "ol", "blockquote"}
    SKIP = {"script", "style", "nav", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self.out.append("\n\n" + "#" * int(tag[1]) + " ")
        elif tag in ("td", "th"):
            self.out.append(" | ")
        elif tag in self.BLOCKS:
            self.out.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif re.fullmatch(r"h[1-6]", tag) or tag in self.BLOCKS:
            self.out.append("\n\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(re.sub(r"\s+", " ", data))


def html_to_text(raw: bytes) -> Converted:
    parser = _HtmlText()
    parser.feed(raw.decode("utf-8", errors="replace"))
    text = "".join(parser.out)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return Converted(re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n")
