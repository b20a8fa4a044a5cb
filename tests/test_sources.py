"""The manifest and the files it names: every malformed manifest is named in Dutch down to
the item and field; a document over the size limit is left out and said so."""
import json

import pytest
from conftest import cli, write_tiny_sources

from assistant.sources import Limits, SourceError, load_manifest, read_collection

GOOD = {"id": "a", "file": "a.txt", "kind": "rapport", "title": "A", "date": "2024"}


def _manifest(tmp_path, data) -> None:
    (tmp_path / "manifest.json").write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize("data,message", [
    ("{kapot", "geen geldige JSON (fout op regel 1, kolom 2)"),
    ("", "geen geldige JSON (de tekst is leeg)"),
    ([GOOD], "moet een object zijn met een lijst 'documents', maar is een lijst"),
    ({"docs": []}, "zonder 'documents'"),
    ({"documents": {"a": GOOD}}, "'documents' een lijst zijn, maar het is een object"),
    ({"documents": "a.txt"}, "'documents' een lijst zijn, maar het is tekst"),
    ({"documents": [GOOD, "b.txt"]}, "Manifest-item 2 moet een object zijn met de velden id, file, kind, title en date, maar is tekst"),
    ({"documents": [3]}, "Manifest-item 1 moet een object zijn"),
    ({"documents": [None]}, "Manifest-item 1 moet een object zijn met de velden id, file, kind, title en date, maar is null"),
    ({"documents": [{**GOOD, "title": 12}]}, "Manifest-item 1 ('a'): het veld 'title' moet tekst zijn, maar is een getal"),
    ({"documents": [{**GOOD, "id": ["a"]}]}, "Manifest-item 1: het veld 'id' moet tekst zijn, maar is een lijst"),
    ({"documents": [{**GOOD, "date": None}]}, "het veld 'date' moet tekst"),
    ({"documents": [{**GOOD, "headings": ["numbered"]}]}, "het veld 'headings' moet \"auto\" of \"numbered\" zijn"),
    ({"documents": [{**GOOD, "not_headings": "Inhoud"}]}, "het veld 'not_headings' moet een lijst met regels tekst zijn"),
    ({"documents": [{**GOOD, "not_headings": [1]}]}, "het veld 'not_headings' moet een lijst met regels tekst zijn"),
    ({"documents": [{**GOOD, "title": ""}]}, "Manifest-item 1 ('a') mist verplichte velden: title"),
    ({"documents": [{**GOOD, "file": "../geheim.txt"}]}, "moet in de bronnenmap staan"),
    ({"documents": [GOOD, GOOD]}, "Manifest-item 2: de id 'a' komt twee keer voor"),
])
def test_a_malformed_manifest_is_named_down_to_the_field(tmp_path, data, message):
    _manifest(tmp_path, data)
    with pytest.raises(SourceError) as caught:
        load_manifest(tmp_path)
    assert message in str(caught.value)


def test_a_year_as_a_number_is_a_date(tmp_path):
    _manifest(tmp_path, {"documents": [{**GOOD, "date": 2024}]})
    assert load_manifest(tmp_path)[0].date == "2024"


def test_manifest_errors_stop_ingest_with_exit_3(tiny_settings):
    manifest = tiny_settings.sources_dir / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["documents"][1]["title"] = 12
    manifest.write_text(json.dumps(data), encoding="utf-8")
    done = cli(tiny_settings, "ingest")
    assert done.returncode == 3
    assert "Manifest-item 2 ('brief-pleegzorg'): het veld 'title' moet tekst zijn, maar is een getal." in done.stderr
    assert "Traceback" not in done.stderr


def test_a_document_over_the_size_limit_is_skipped(tmp_path):
    sources = write_tiny_sources(tmp_path)
    small = len((sources / "brief.txt").read_bytes())
    collection = read_collection(sources, Limits(text_bytes=small + 1))
    assert [d.source.id for d in collection.documents] == ["brief-pleegzorg"]
    (skipped,) = collection.skipped
    assert skipped.source.id == "notitie-wachtlijsten" and "ASSISTANT_MAX_SOURCE_MB" in skipped.reason
    assert set(collection.files) == {"brief-pleegzorg", "notitie-wachtlijsten"}  # a skipped file is still fingerprinted
    collection = read_collection(sources, Limits(file_bytes=200))
    assert collection.documents == [] and len(collection.skipped) == 2
    assert f"het bestand is {small} bytes, de grens is 200 bytes (ASSISTANT_MAX_FILE_MB)" in collection.skipped[1].reason
