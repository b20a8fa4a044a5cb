"""Documents as governments publish them, made by the tests (reportlab, python-docx) in
temporary directories: running headers and footers, words hyphenated at line ends,
footnotes, two columns, a scanned page. Nothing here is kept in git."""
from __future__ import annotations

import io
from dataclasses import dataclass, field

A4 = (595.27, 841.89)
LEFT, TOP, LEADING = 72, 100, 15


@dataclass
class Page:
    """What one page holds: body lines (a tuple (text, size) makes a heading), footnotes,
    and optionally a right-hand column written line by line beside the left one."""

    lines: list = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    right: list[str] = field(default_factory=list)  # two columns: the right one
    interleaved: bool = True  # write left, right, left, ... (as some producers do)
    below: list[str] = field(default_factory=list)  # full-width lines under the columns
    scan: bool = False  # an image only, no text


def make_pdf(pages: list[Page], header: str | None = "Rapport jeugdbescherming 2025", footer: bool = True,
             title: str | None = None, author: str | None = None) -> bytes:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    from PIL import Image

    width, height = A4
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    if title:
        pdf.setTitle(title)
    if author:
        pdf.setAuthor(author)
    for n, page in enumerate(pages, 1):
        if page.scan:
            pdf.drawImage(ImageReader(Image.new("L", (60, 80), 200)), LEFT, 200, 400, 500)
            pdf.showPage()
            continue
        if header:
            pdf.setFont("Helvetica", 8)
            pdf.drawString(LEFT, height - 40, header)
        y = height - TOP
        if page.right:
            y = _columns(pdf, page, y, width)
        for line in page.lines:
            text, size = line if isinstance(line, tuple) else (line, 11)
            pdf.setFont("Helvetica-Bold" if size > 11 else "Helvetica", size)
            pdf.drawString(LEFT, y, text)
            y -= LEADING if size <= 11 else size + 8
        for line in page.below:
            pdf.setFont("Helvetica", 11)
            pdf.drawString(LEFT, y, line)
            y -= LEADING
        for k, note in enumerate(page.footnotes):
            pdf.setFont("Helvetica", 7)
            pdf.drawString(LEFT, 110 - k * 9, note)
        if footer:
            pdf.setFont("Helvetica", 8)
            pdf.drawString(width / 2 - 30, 40, f"Pagina {n} van {len(pages)}")
            pdf.drawString(width - LEFT, 40, str(n))
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _columns(pdf, page: Page, y: float, width: float) -> float:
    pdf.setFont("Helvetica", 10)
    left, right = page.lines, page.right
    spots_left = [(LEFT, y - k * 13, t) for k, t in enumerate(left)]
    spots_right = [(width / 2 + 10, y - k * 13, t) for k, t in enumerate(right)]
    if page.interleaved:
        order = [s for pair in zip(spots_left, spots_right) for s in pair]
        order += spots_left[len(spots_right):] + spots_right[len(spots_left):]
    else:
        order = spots_left + spots_right
    for x, yy, text in order:
        pdf.drawString(x, yy, text)
    page.lines = []
    return y - max(len(left), len(right)) * 13 - 10


def make_docx(blocks: list[tuple[str | None, str]], title: str | None = None, author: str | None = None,
              table: list[list[str]] | None = None) -> bytes:
    """A Word file made with python-docx: (style, text) paragraphs, `None` for body text,
    and an optional table after them."""
    import docx

    document = docx.Document()
    for style, text in blocks:
        document.add_paragraph(text, style=style)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    if title is not None:
        document.core_properties.title = title
    if author is not None:
        document.core_properties.author = author
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


BODY_P1 = [
    ("1. Wachtlijsten in de jeugdbescherming", 14),
    "Op 1 oktober 2025 wachtten 1.499 kinderen op een vaste jeugd-",
    "beschermer. De gecertificeerde instellingen melden dat de jeugd-",
    "bescherming onder druk staat.",
    "Het verloop onder jeugdbeschermers is hoog en de werkdruk",
    "neemt toe, zodat de kinderen langer wachten dan de",
]
BODY_P2 = [
    "norm van vijftien werkdagen toelaat. Dat is zorgelijk.",
    ("2. Kind- en gezinsbescherming", 14),
    "De aanpak van de kind-",
    "en gezinsbescherming wordt herzien. Samen met de GI-",
    "monitor geeft dit een beeld van Noord-",
    "Holland en de rest van het land.",
]


def government_pdf(**kwargs) -> bytes:
    """Two pages with a running header, page footers, hyphenated words, and a footnote on a
    page whose last sentence runs on to the next."""
    return make_pdf([
        Page(list(BODY_P1), footnotes=["1 Bron: GI-monitor, peildatum 1 oktober 2025."]),
        Page(list(BODY_P2)),
    ], **kwargs)
