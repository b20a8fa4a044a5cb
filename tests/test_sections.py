"""The parser recovers each document's structure as a reader would cite it."""

import pytest

from assistant.chunks import chunk_sections, sentences
from assistant.config import ROOT
from assistant.dutch import normalise
from assistant.sections import parse_sections
from assistant.sources import document_sections, load_documents


@pytest.fixture(scope="module")
def docs():
    return {d.source.id: d for d in load_documents(ROOT / "sources")}


def labels(doc):
    return [s.label for s in document_sections(doc) if not s.toc]


def test_bloemlezing_numbered_sections_and_chapters(docs):
    got = labels(docs["bloemlezing-problemen-oorzaken-2026"])
    assert "6.1.1 Groot en structureel probleem" in got
    assert "Hoofdstuk 6. Professionals in zorg en bescherming" in got
    assert "Bijlage 1. Afkortingenlijst" in got
    # the table of contents repeats every heading with a page number: never a section of its own
    assert got.count("6.1.1 Groot en structureel probleem") == 1
    assert not any(label.endswith(("\t17", " 17")) for label in got)


def test_bloemlezing_toc_is_no_citation_target(docs):
    doc = docs["bloemlezing-problemen-oorzaken-2026"]
    chunks = chunk_sections(doc.text, document_sections(doc))
    toc_text = "HOOFDSTUK 6. PROFESSIONALS IN DE ZORG EN BESCHERMING"
    assert not any(toc_text in c.text for c in chunks)
    assert any(c.section == "6.1.1 Groot en structureel probleem" for c in chunks)


def test_kamerbrief_roman_subsections_carry_their_parent(docs):
    got = labels(docs["kamerbrief-jeugdbescherming-2025"])
    assert "1.3 iv. Aanpak van de arbeidsmarkt" in got
    assert "2.2 i. Vergroten van zicht op veiligheid pleegkinderen" in got
    assert "3 iii. Versterking Veilig Thuis" in got
    assert "Bijlage GI-monitor" in got
    # the list "i. omlaag brengen van de wachtlijsten;" in 1.3 is not a heading
    assert not any(label.startswith("1.3 i. omlaag") for label in got)


def test_gi_monitor_table_is_rebuilt(docs):
    doc = docs["kamerbrief-jeugdbescherming-2025"]
    table = next(s.table for s in document_sections(doc) if s.table)
    assert table.header[0] == "1 dec 2022" and table.header[-1] == "1 okt 2025"
    assert "1 april 2025" in table.header  # broken over two lines in the source
    rows = dict(table.rows)
    assert rows["Wachtlijst vaste Jeugdbeschermer"][table.header.index("1 okt 2025")] == "1.499"
    assert rows["Gemiddelde workload per fte"][table.header.index("1 april 2024")] == "14,2"
    for (a, b) in table.row_spans:  # every row is a verbatim span of the source
        assert normalise(doc.text[a:b]).split()[-1] in {"30.975", "12,1", "1.499"}


def test_inspection_texts_unnumbered_and_numbered_headings(docs):
    assert "Pleegzorg: kloof tussen richtlijnen en praktijk" in labels(docs["igj-kwetsbaar-stelsel-2025"])
    assert "1. Onvoldoende zicht op de ontwikkeling en veiligheid van (pleeg)kinderen" in labels(docs["igj-kwetsbaar-stelsel-2025"])
    got = labels(docs["igj-stand-van-zaken-2022"])
    assert "Wat doen de inspecties?" in got
    assert "Wachttijden, wachtlijsten en personeelsproblematiek Raad voor de Kinderbescherming" in got
    # a hard-wrapped PDF text: wrapped lines are no headings
    assert labels(docs["igj-vervolgtoezicht-2021"]) == [
        "Situatie in de jeugdbescherming: verbeterd maar nog steeds kwetsbaar", "Kwetsbare kinderen",
        "Onderzoek in het hele land", "Oorzaken", "Vervolg",
    ]


def test_chunks_stay_in_their_section_and_quote_the_source(docs):
    for doc in docs.values():
        sections = document_sections(doc)
        for chunk in chunk_sections(doc.text, sections):
            home = next(s for s in sections if s.label == chunk.section and s.start <= chunk.start)
            assert home.start <= chunk.start < chunk.end <= max(s.end for s in sections if s.label == chunk.section)
            assert chunk.text == normalise(doc.text[chunk.start:chunk.end])


def test_footnote_markers_do_not_enter_sentences(docs):
    doc = docs["kamerbrief-jeugdbescherming-2025"]
    section = next(s for s in document_sections(doc) if s.label == "Cliënten")
    got = [doc.text[a:b] for a, b in sentences(doc.text, section.start, section.end)]
    assert "Het totaal aantal jeugdbeschermings- en jeugdreclasseringsmaatregelen bij GI’s is verder afgenomen naar 30.975 op 1 oktober 2025" in got
    assert not any("footnoteRef" in s for s in got)


def test_markdown_document_without_hints():
    text = "# Titel\n\nIntro.\n\n## 2.1 Eerste deel\n\nTekst een.\n\n### Onderdeel\n\nTekst twee.\n"
    got = [(s.label, s.level) for s in parse_sections("md", text)]
    assert got == [("Titel", 1), ("2.1 Eerste deel", 2), ("Onderdeel", 3)]


def test_not_headings_hint_from_the_manifest():
    text = "Titel van het stuk\n\nDit is geen kop maar een regel\n\nGewone tekst die hier staat.\n"
    assert "Dit is geen kop maar een regel" in [s.label for s in parse_sections("x", text)]
    assert "Dit is geen kop maar een regel" not in [s.label for s in parse_sections("x", text, not_headings=("Dit is geen kop maar een regel",))]
