"""Benchmark: N simultaneous chats against `assistant serve` on 127.0.0.1, in citation mode
and in generative mode against the Ollama test double. Prints errors, answer times (p50,
p95, max, from sending the question to the complete answer) and the server's memory before
and after. Asserts nothing; loopback only, bounded in chats, turns and time.

    .venv/bin/python benchmarks/load.py [--chats 20 50] [--modes extractive ollama] [--turns 2] [--token-delay 0.02]
    .venv/bin/python benchmarks/load.py --modes ollama --chats 8 --behaviour hang --first-token-timeout 20

Each chat is one visitor (its own Gradio session) asking a question and the follow-up(s)
from the evaluation set, through the page's own API (gradio_client). The server is started
here on a free port with a fresh index; the double streams each piece of text after
`--token-delay` seconds, as a model does. `--behaviour hang`: the double accepts the request
and never answers (after the warm-up), so every visitor meets the model's deadline at once.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from loopback import free_port, p95, rss_mb, stop

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the Ollama double lives with the tests

MODEL = "qwen2.5:7b-instruct"
START_TIMEOUT = 300  # seconds for the server to come up (the first start builds the index)
ANSWER_TIMEOUT = 300  # seconds for one answer, queueing included
FAILED = "Er ging iets mis bij het beantwoorden"  # the page's message for an answer that failed


class Server:
    """`assistant serve` on a free loopback port; its log goes to `log`."""

    def __init__(self, index: Path, log: Path, **env: str) -> None:
        self.port, self.log = free_port(), log
        environment = {k: v for k, v in os.environ.items() if k not in {"ASSISTANT_AUTH", "ASSISTANT_HOST", "ASSISTANT_PORT"}}
        # the index and the visitors' conversations in the benchmark's own folder, not in the project
        environment.update(GRADIO_ANALYTICS_ENABLED="False", ASSISTANT_INDEX=str(index),
                           ASSISTANT_DATA=str(index.parent / "data"), PYTHONUNBUFFERED="1", **env)
        with log.open("w", encoding="utf-8") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--port", str(self.port)],
                                         cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.proc.poll() is not None:
                raise SystemExit(f"assistant serve stopte:\n{log.read_text(encoding='utf-8')[-3000:]}")
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"de pagina antwoordde niet binnen {START_TIMEOUT} s")
            time.sleep(0.5)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        stop(self.proc)


def _chats(n: int, turns: int) -> list[list[str]]:
    """n conversations of `turns` questions: follow-ups from the evaluation set with what came before."""
    from assistant.evalset import load_items
    from assistant.evaluation import DEFAULT_SET

    items = [i for i in load_items(DEFAULT_SET) if len(i.history) == turns - 1] or load_items(DEFAULT_SET)
    return [[*items[k % len(items)].history, items[k % len(items)].question][-turns:] for k in range(n)]


def _chat(url: str, ids: list[str], questions: list[str], api: str) -> tuple[list[float], list[str]]:
    """One visitor: each question in turn, in one session. Seconds per answer, and what went wrong."""
    from gradio_client import Client

    seconds, errors, chat = [], [], []
    try:  # a visitor opening the page: the config and API info, with a patient timeout
        client = Client(url, verbose=False, download_files=False, analytics_enabled=False, httpx_kwargs={"timeout": ANSWER_TIMEOUT})
    except Exception as exc:
        return seconds, [f"pagina niet geopend: {type(exc).__name__}: {str(exc)[:120]}"]
    for question in questions:
        started = time.perf_counter()
        try:
            result = client.submit(question, chat, ids, api_name=api).result(timeout=ANSWER_TIMEOUT)
        except Exception as exc:  # a refused connection, a queue that times out, a server error
            errors.append(f"{type(exc).__name__}: {str(exc)[:120]}")
            continue
        seconds.append(time.perf_counter() - started)
        chat = result[1]
        reply = chat[-1]["content"] if chat and chat[-1].get("role") == "assistant" else ""
        text = reply if isinstance(reply, str) else json.dumps(reply, ensure_ascii=False)
        if not text.strip() or FAILED in text:
            errors.append(f"mislukt antwoord: {text[:120]}")
    return seconds, errors


def run(server: Server, chats: int, turns: int, api: str, after_warm_up=lambda: None) -> dict:
    ids = [d["id"] for d in json.loads((ROOT / "sources" / "manifest.json").read_text(encoding="utf-8"))["documents"]]
    _chat(server.url, ids, _chats(1, turns)[0], api)  # warm-up: models loaded, caches filled
    after_warm_up()
    before = rss_mb(server.proc.pid)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=chats) as pool:
        done = list(pool.map(lambda questions: _chat(server.url, ids, questions, api), _chats(chats, turns)))
    wall = time.perf_counter() - started
    seconds = sorted(s for times, _ in done for s in times)
    errors = [e for _, errs in done for e in errs]
    return {"chats": chats, "answers": len(seconds), "errors": errors, "wall_s": wall,
            "p50_s": statistics.median(seconds) if seconds else float("nan"), "p95_s": p95(seconds),
            "max_s": seconds[-1] if seconds else float("nan"), "rss_before_mb": before, "rss_after_mb": rss_mb(server.proc.pid)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chats", type=int, nargs="+", default=[20, 50])
    parser.add_argument("--modes", nargs="+", choices=["extractive", "ollama"], default=["extractive", "ollama"])
    parser.add_argument("--turns", type=int, default=2, help="vragen per gesprek (1-3)")
    parser.add_argument("--token-delay", type=float, default=0.02, help="seconden tussen twee stukjes tekst van de double")
    parser.add_argument("--api", default="/respond", help="het API-eindpunt van de pagina dat een vraag beantwoordt")
    parser.add_argument("--behaviour", default="normal", help="gedrag van de double na de opwarmvraag, bv. hang")
    parser.add_argument("--first-token-timeout", type=float, help="ASSISTANT_OLLAMA_FIRST_TOKEN_TIMEOUT van de server")
    args = parser.parse_args()
    if not 1 <= args.turns <= 3 or max(args.chats) > 100:
        raise SystemExit("begrensd: --turns 1-3 en hoogstens 100 gesprekken tegelijk")

    import ollama_double
    from ollama_double import OllamaDouble

    original = ollama_double._Handler._chunk

    def slow_chunk(handler, text):
        time.sleep(args.token_delay)
        original(handler, text)

    ollama_double._Handler._chunk = slow_chunk
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    rows = []
    try:
        with OllamaDouble(models=[MODEL]) as double:
            for mode in args.modes:
                env = {"ASSISTANT_MODE": mode}
                if mode == "ollama":
                    env.update(OLLAMA_HOST=double.url, ASSISTANT_LLM_MODEL=MODEL)
                    if args.first_token_timeout:
                        env["ASSISTANT_OLLAMA_FIRST_TOKEN_TIMEOUT"] = str(args.first_token_timeout)
                server = Server(work / "index", work / f"server-{mode}.log", **env)

                def misbehave() -> None:
                    double.behaviour = args.behaviour

                try:
                    for chats in args.chats:
                        double.behaviour = "normal"
                        row = {"mode": mode, **run(server, chats, args.turns, args.api, misbehave)}
                        rows.append(row)
                        print(f"{mode}, {chats} gesprekken tegelijk ({row['answers']} antwoorden in {_s(row['wall_s'])}): "
                              f"{len(row['errors'])} fouten; antwoord p50 {_s(row['p50_s'])}, p95 {_s(row['p95_s'])}, "
                              f"max {_s(row['max_s'])}; geheugen server {row['rss_before_mb']:.0f} -> {row['rss_after_mb']:.0f} MB",
                              flush=True)
                        for error in sorted(set(row["errors"]))[:5]:
                            print(f"    {error}")
                finally:
                    server.stop()
    finally:
        ollama_double._Handler._chunk = original
        shutil.rmtree(work, ignore_errors=True)
    print("\n| modus | gesprekken tegelijk | antwoorden | fouten | p50 | p95 | max | geheugen server voor → na |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        mode = "citaatmodus" if r["mode"] == "extractive" else "generatief (double)"
        print(f"| {mode} | {r['chats']} | {r['answers']} | {len(r['errors'])} | {_s(r['p50_s'])} | {_s(r['p95_s'])} | "
              f"{_s(r['max_s'])} | {r['rss_before_mb']:.0f} → {r['rss_after_mb']:.0f} MB |")


def _s(seconds: float) -> str:
    from assistant.dutch import format_decimal

    return f"{format_decimal(seconds, 1)} s"


if __name__ == "__main__":
    main()
