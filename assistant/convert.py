"""PDF, DOCX and HTML to text the section parser understands.

Headings become Markdown headings (`## ...`) where the format marks them (HTML h1-h6, DOCX
heading styles); a PDF gives plain text per page and the offsets where each page starts, so
a citation can name its page.
"""
from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser
from xml.etree import ElementTree

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCX_HEADING = re.compile(r"^(?:heading|kop)\s*(\d)$", re.I)


class ConversionError(Exception):
    """The file cannot be read as its type says; the message is Dutch."""


def pdf_to_text(raw: bytes) -> tuple[str, tuple[int, ...]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise ConversionError(f"de PDF is niet te lezen ({exc})") from exc
    text, starts = "", []
    for page in pages:
        starts.append(len(text))
        text += page.strip() + "\n\n"
    return text, tuple(starts)


def docx_to_text(raw: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            root = ElementTree.fromstring(archive.read("word/document.xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise ConversionError(f"het DOCX-bestand is niet te lezen ({exc})") from exc
    in_tables = {id(p) for table in root.iter(f"{_W}tbl") for p in table.iter(f"{_W}p")}
    lines = []
    for block in root.iter():
        if block.tag == f"{_W}p" and id(block) not in in_tables:
            text = _docx_text(block)
            style = block.find(f"{_W}pPr/{_W}pStyle")
            level = _DOCX_HEADING.match(style.get(f"{_W}val", "")) if style is not None else None
            if text:
                lines.append(("#" * int(level.group(1)) + " " + text) if level else text)
        elif block.tag == f"{_W}tr":
            lines.append("| " + " | ".join(_docx_text(cell) for cell in block.iter(f"{_W}tc")) + " |")
    return "\n\n".join(lines) + "\n"


def _docx_text(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{_W}t")).strip()


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


def html_to_text(raw: bytes) -> str:
    parser = _HtmlText()
    parser.feed(raw.decode("utf-8", errors="replace"))
    text = "".join(parser.out)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
