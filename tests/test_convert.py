"""Documents added later as PDF, DOCX or HTML: headings survive the conversion, a PDF's
pages are known, and an unreadable file is named in Dutch."""
import io
import json
import zipfile

import pytest

from assistant.sections import parse_sections
from assistant.sources import SourceError, load_documents


def make_pdf(pages: list[str]) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    matplotlib.rcParams["pdf.fonttype"] = 42  # TrueType: text stays extractable
    buffer = io.BytesIO()
    with PdfPages(buffer) as pdf:
        for text in pages:
            figure = Figure(figsize=(8, 4))
            for n, line in enumerate(text.split("\n")):
                figure.text(0.05, 0.9 - n * 0.1, line)
            pdf.savefig(figure)
    return buffer.getvalue()


def make_docx(paragraphs: list[tuple[str | None, str]]) -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    def paragraph(style, text):
        props = '<w:pPr><w:pStyle w:val="%s"/></w:pPr>' % style if style else ""
        return f"<w:p>{props}<w:r><w:t>{text}</w:t></w:r></w:p>"

    body = "".join(paragraph(style, text) for style, text in paragraphs)
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


def write(tmp_path, name: str, content: bytes):
    (tmp_path / name).write_bytes(content)
    (tmp_path / "manifest.json").write_text(json.dumps({"documents": [
        {"id": "doc", "file": name, "kind": "rapport", "title": "Test", "date": "2024"}]}), encoding="utf-8")
    return load_documents(tmp_path)[0]


def test_html_headings_and_text(tmp_path):
    html = ("<html><head><style>p{}</style><script>x()</script></head><body><h1>Rapport</h1><p>Inleiding.</p>"
            "<h2>2.1 Wachtlijsten</h2><p>Er wachten <b>812</b> kinderen.</p><h3>Oorzaken</h3><ul><li>Verloop.</li></ul></body></html>")
    doc = write(tmp_path, "r.html", html.encode())
    labels = [s.label for s in parse_sections("doc", doc.text)]
    assert labels == ["Rapport", "2.1 Wachtlijsten", "Oorzaken"]
    assert "Er wachten 812 kinderen." in doc.text and "x()" not in doc.text


def test_docx_heading_styles(tmp_path):
    doc = write(tmp_path, "r.docx", make_docx([("Heading1", "Brief"), (None, "Eerste alinea."), ("Kop2", "1.2 Aanpak"), (None, "Tweede alinea.")]))
    assert [s.label for s in parse_sections("doc", doc.text)] == ["Brief", "1.2 Aanpak"]


def test_pdf_pages_are_known(tmp_path):
    doc = write(tmp_path, "r.pdf", make_pdf(["Eerste pagina over wachtlijsten.", "Tweede pagina: 812 kinderen wachten."]))
    assert "812 kinderen" in doc.text and len(doc.pages) == 2
    assert doc.page_at(doc.text.index("812 kinderen")) == 2 and doc.page_at(0) == 1


@pytest.mark.parametrize("name,content,message", [
    ("r.pdf", b"%PDF-1.4 kapot", "kan niet worden gelezen"),
    ("r.docx", b"geen zip", "kan niet worden gelezen"),
    ("r.odt", b"iets", "niet ondersteund"),
])
def test_broken_files_are_named(tmp_path, name, content, message):
    with pytest.raises(SourceError, match=message):
        write(tmp_path, name, content)
