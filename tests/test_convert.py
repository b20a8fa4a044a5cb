"""Documents added later as PDF, DOCX or HTML: headings survive the conversion, a PDF's
pages are known, and an unreadable file is named in Dutch. PDFs as governments publish them
(made here with reportlab): running headers and footers, hyphenated words, footnotes, two
columns and scanned pages."""
import io
import json

import pytest
from documents import Page, government_pdf, make_docx, make_pdf

from assistant.chunks import paragraphs, sentences
from assistant.convert import pdf_to_text
from assistant.dutch import normalise
from assistant.outline import outline
from assistant.sections import parse_sections
from assistant.sources import SourceError, document_sections, load_documents


def make_plain_pdf(pages: list[str]) -> bytes:
    """A PDF from another producer (matplotlib), one line per page."""
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
    doc = write(tmp_path, "r.docx", make_docx([("Heading 1", "Brief"), (None, "Eerste alinea."), ("Heading 2", "1.2 Aanpak"),
                                               (None, "Tweede alinea.")]))
    assert [s.label for s in parse_sections("doc", doc.text)] == ["Brief", "1.2 Aanpak"]


def test_docx_from_python_docx_title_headings_and_table(tmp_path):
    data = make_docx([("Title", "Pleegzorg in beeld"), (None, "Den Haag, 25 september 2025"), ("Heading 1", "1. Aanpak"),
                      (None, "Er zijn 300 nieuwe pleeggezinnen nodig."), ("Heading 2", "Toezicht"),
                      (None, "De inspectie bezocht vijf aanbieders."), ("List Bullet", "Een opsomming telt als tekst.")],
                     table=[["", "1 april 2025", "1 oktober 2025"], ["Wachtlijst", "812", "1.499"]])
    doc = write(tmp_path, "r.docx", data)
    sections = document_sections(doc)
    assert [(s.label, s.level) for s in sections] == [("Pleegzorg in beeld", 1), ("1. Aanpak", 1), ("Toezicht", 2)]
    toezicht = doc.text[sections[2].start : sections[2].end]
    assert "vijf aanbieders" in toezicht and "Een opsomming telt als tekst." in toezicht
    assert "| Wachtlijst | 812 | 1.499 |" in doc.text
    assert doc.pages == () and doc.page_at(0) is None


def test_pdf_running_headers_footers_and_page_numbers_are_dropped(tmp_path):
    doc = write(tmp_path, "r.pdf", government_pdf())
    assert "Rapport jeugdbescherming 2025" not in doc.text  # the running header on every page
    assert "Pagina" not in doc.text and not any(line.strip().isdigit() for line in doc.text.splitlines())
    labels = [s.label for s in document_sections(doc)]
    assert labels == ["1. Wachtlijsten in de jeugdbescherming", "2. Kind- en gezinsbescherming"]


def test_pdf_header_is_kept_when_it_does_not_repeat(tmp_path):
    one = make_pdf([Page(["Een enkele pagina met gewone tekst."])], header="Kwetsbare kinderen, kwetsbaar stelsel")
    text = write(tmp_path, "r.pdf", one).text
    assert "Kwetsbare kinderen, kwetsbaar stelsel" in text and "Pagina 1 van 1" not in text


def test_pdf_hyphenated_words_are_joined(tmp_path):
    text = normalise(write(tmp_path, "r.pdf", government_pdf()).text)
    assert "op een vaste jeugdbeschermer. De gecertificeerde instellingen melden dat de jeugdbescherming onder druk" in text
    assert "kind- en gezinsbescherming" in text  # a hyphen standing for a left-out part stays, with its space
    assert "de GI-monitor geeft" in text and "Noord-Holland en de rest" in text
    assert "jeugd-" not in text and "jeugd bescherming" not in text


@pytest.mark.parametrize("first,second,elsewhere,joined", [
    ("de hele jeugd-", "bescherming werkt.", "", "de hele jeugdbescherming werkt."),
    ("bij de zee-", "egel in zee.", "", "bij de zee-egel in zee."),  # vowels read as one sound: a real hyphen
    ("een gecertificeerde-", "instellingen overleg.", "", "een gecertificeerde-instellingen overleg."),
    ("de be-", "oordeling volgt.", "", "de beoordeling volgt."),  # a syllable break between vowels
    ("voor 18-", "jarigen en ouder.", "", "voor 18-jarigen en ouder."),
    ("alle jeugdhulp-", "aanbieders samen.", "Ook jeugdhulp-aanbieders doen mee.", "alle jeugdhulp-aanbieders samen."),
    ("de ge-", "ijkte meting telt.", "Een geijkte meting.", "de geijkte meting telt."),  # the document decides
    ("in de periode 2020-", "2025 liep het op.", "", "in de periode 2020-2025 liep het op."),
])
def test_hyphen_rule(tmp_path, first, second, elsewhere, joined):
    lines = ["Een eerste zin staat hier.", first, second] + ([elsewhere] if elsewhere else [])
    text = normalise(pdf_to_text(make_pdf([Page(lines)], header=None, footer=False)).text)
    assert joined in text


def test_footnote_never_cuts_a_sentence_and_keeps_its_page(tmp_path):
    doc = write(tmp_path, "r.pdf", government_pdf())
    text = doc.text
    running = "zodat de kinderen langer wachten dan de norm van vijftien werkdagen toelaat."
    spans = [normalise(text[a:b]) for a, b in sentences(text, 0, len(text))]
    assert any(running in s for s in spans)  # one sentence across the page break
    start = text.index("Het verloop onder")
    assert doc.page_at(start) == 1 and doc.page_at(text.index("norm van vijftien")) == 2
    note = text.index("1 Bron: GI-monitor")
    assert note > text.index("Dat is zorgelijk.") and doc.page_at(note) == 1  # after the sentence, on its own page
    assert text[note - 2 : note] == "\n\n"  # a paragraph of its own
    assert doc.page_at(text.index("2. Kind- en gezinsbescherming")) == 2
    pieces = [normalise(text[a:b]) for a, b in paragraphs(text, 0, len(text))]
    assert "1 Bron: GI-monitor, peildatum 1 oktober 2025." in pieces
    assert any(p.startswith("Het verloop onder") and p.endswith("Dat is zorgelijk.") for p in pieces)


LEFT = ["Links begint het verhaal over de", "wachtlijsten in de regio en het", "tekort aan jeugdbeschermers."]
RIGHT = ["Rechts gaat het verder over de", "pleegzorg en de gezinshuizen in", "het hele land, zegt de inspectie."]


@pytest.mark.parametrize("interleaved", [True, False])
def test_two_columns_read_column_by_column(tmp_path, interleaved):
    page = Page(lines=[*LEFT], right=[*RIGHT], interleaved=interleaved,
                below=["Onder beide kolommen staat een regel over de hele breedte van de pagina."])
    text = normalise(write(tmp_path, "r.pdf", make_pdf([page, Page(["Tweede pagina."])])).text)
    assert " ".join(LEFT + RIGHT) in text
    assert text.index("tekort aan") < text.index("Rechts gaat") < text.index("Onder beide kolommen")


def test_table_cells_beside_each_other_are_not_taken_for_columns(tmp_path):
    rows = [("Wachtlijst", "812"), ("Instroom", "1.499"), ("Uitstroom", "1.230"), ("Verloop", "18,5%")]
    page = Page(lines=[label for label, _ in rows], right=[value for _, value in rows])
    text = write(tmp_path, "r.pdf", make_pdf([page, Page(["Tweede pagina."])])).text
    assert text.index("Wachtlijst") < text.index("812") < text.index("Instroom") < text.index("1.499")


def test_scanned_pages_are_reported_not_indexed_silently(tmp_path):
    doc = write(tmp_path, "r.pdf", make_pdf([Page(["Eerste pagina met tekst."]), Page(scan=True), Page(["Derde pagina."])]))
    assert doc.empty_pages == (2,) and doc.page_at(doc.text.index("Derde")) == 3
    warning = next(w for w in outline(doc).warnings if w.code == "no_text")
    assert "Pagina 2" in warning.message and "OCR" in warning.message
    with pytest.raises(SourceError, match="OCR"):
        write(tmp_path, "s.pdf", make_pdf([Page(scan=True), Page(scan=True)], header=None, footer=False))


def test_pdf_pages_are_known(tmp_path):
    doc = write(tmp_path, "r.pdf", make_plain_pdf(["Eerste pagina over wachtlijsten.", "Tweede pagina: 812 kinderen wachten."]))
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
