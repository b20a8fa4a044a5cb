"""The machinery of the browser tests: `assistant serve` as a subprocess on a free loopback
port, Debian's Chromium through Playwright, and the steps a visitor takes on the page.
The fixtures that use it are in conftest.py (one server per mode for the whole session)."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MODEL = "qwen2.5:7b-instruct"
START_TIMEOUT = 300  # seconds: the first start may have to build the index
ANSWER_TIMEOUT = 60_000  # ms
WACHTLIJST = "Hoeveel kinderen stonden op 1 oktober 2025 op de wachtlijst voor een vaste jeugdbeschermer?"
BOT = '#gesprek [data-testid="bot"]'
USER = '#gesprek [data-testid="user"]'


def require_chromium() -> None:
    """Skip the calling test module when Chromium is missing, saying how to get it."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium ontbreekt: installeer het Debian-pakket chromium (zie .ci/run)", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def normalised(text: str) -> str:
    return " ".join(text.split())


def serve(name: str, **env: str):
    """Start `assistant serve` and wait until the page answers; yields its URL."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port, log = free_port(), ARTIFACTS / f"server-{name}.log"
    drop = {"ASSISTANT_AUTH", "ASSISTANT_HOST", "ASSISTANT_PORT"}
    environment = {k: v for k, v in os.environ.items() if k not in drop}
    # saved conversations in a folder of this server's own, never in the repository
    data = Path(tempfile.mkdtemp(prefix=f"jeugdbescherming-data-{name}-"))
    environment.update(GRADIO_ANALYTICS_ENABLED="False", PYTHONUNBUFFERED="1", ASSISTANT_DATA=str(data))
    environment.update(env)
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)],
                                cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"assistant serve stopte met code {proc.returncode}:\n{log.read_text(encoding='utf-8')[-3000:]}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"De pagina antwoordde niet binnen {START_TIMEOUT} s:\n{log.read_text(encoding='utf-8')[-3000:]}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(data, ignore_errors=True)


server = contextlib.contextmanager(serve)  # `with server("name", **env) as url:` for a server of one test


def settle(page) -> None:
    """Wait until no component shows Gradio's loading overlay (axe would measure its faded text),
    and its fade-out has run."""
    idle = "() => !document.querySelector('[data-testid=status-tracker]:not(.hide)')"
    page.wait_for_function(idle)
    page.wait_for_timeout(300)
    page.wait_for_function(idle)


def open_page(page, url: str) -> None:
    """The page loaded, and what it fetches on load arrived."""
    page.goto(url)
    page.wait_for_selector("#vraag textarea")
    page.wait_for_selector("#modus .modus")
    settle(page)


def submit(page, question: str) -> None:
    box = page.locator("#vraag textarea")
    box.fill(question)
    box.press("Enter")


def wait_answered(page, question: str, bots_before: int) -> str:
    """Wait until the answer is complete (the sources panel names the question and holds the checked
    answer, not the quotes shown while a model writes); its chat text."""
    page.wait_for_function(
        """([q, n]) => {
            const asked = document.querySelector('#bronnen [data-antwoord="klaar"] .vraag');
            return document.querySelectorAll('#gesprek [data-testid="bot"]').length > n
                && asked && asked.textContent.includes(q);
        }""",
        arg=[normalised(question), bots_before], timeout=ANSWER_TIMEOUT,
    )
    return page.locator(BOT).last.inner_text()


def ask(page, question: str) -> str:
    before = page.locator(BOT).count()
    submit(page, question)
    return wait_answered(page, question, before)


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
