"""Benchmark: index build time, per-question latency through the `ask --jsonl` path, and
retrieval quality on the evaluation set. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench.py [--cold] [--questions 100]

--cold also builds once without the embedding cache (minutes on 2 cores).
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
from pathlib import Path

from assistant.answer import Assistant
from assistant.config import ROOT, Settings
from assistant.evaluation import DEFAULT_SET, HIT_AT, evidence_rank
from assistant.evalset import load_items
from assistant.index import CACHE_DIR_NAME, build


def timed_build(settings: Settings) -> float:
    started = time.perf_counter()
    build(settings)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--questions", type=int, default=100)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    settings = Settings().with_(index_dir=work / "index", mode="extractive", ollama_host="http://127.0.0.1:9")
    print(f"index bouwen (met embedding-cache): {timed_build(settings):.1f} s")
    if args.cold:
        cold_sources = work / "sources"
        shutil.copytree(ROOT / "sources", cold_sources, ignore=shutil.ignore_patterns(CACHE_DIR_NAME))
        cold = settings.with_(sources_dir=cold_sources, index_dir=work / "index-cold")
        print(f"index bouwen (zonder cache, alles inbedden): {timed_build(cold):.1f} s")

    started = time.perf_counter()
    assistant = Assistant(settings)
    print(f"laden van index en modellen: {time.perf_counter() - started:.2f} s")
    items = load_items(DEFAULT_SET)
    questions = [items[i % len(items)] for i in range(args.questions)]
    latencies = []
    for item in questions:
        t = time.perf_counter()
        assistant.ask(item.question, item.history, "extractive")
        latencies.append((time.perf_counter() - t) * 1000)
    latencies.sort()
    print(f"{len(latencies)} vragen in één proces: p50 {statistics.median(latencies):.0f} ms, "
          f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.0f} ms, max {latencies[-1]:.0f} ms")

    lines = "\n".join(json.dumps({"id": i.id, "question": i.question, "history": i.history}, ensure_ascii=False) for i in questions)
    env = {**os.environ, "ASSISTANT_INDEX": str(settings.index_dir), "ASSISTANT_MODE": "extractive"}
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "--jsonl"], input=lines, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    reported = sorted(json.loads(line)["timing_ms"]["total"] for line in done.stdout.splitlines())
    print(f"`ask --jsonl` met {len(reported)} vragen: {wall:.1f} s in totaal (met opstarten), "
          f"p50 {statistics.median(reported):.0f} ms per vraag na het laden")

    docs = assistant.index.documents
    for label, group in (("één bewijspassage", [i for i in items if len(i.expect) == 1]), ("synthese, alle passages", [i for i in items if len(i.expect) > 1])):
        ranks = []
        for item in group:
            answer = assistant.ask(item.question, item.history, "extractive")
            ranks.append(evidence_rank(item, answer.passages, docs))
        hits = {k: sum(1 for r in ranks if r and r <= k) / len(ranks) for k in HIT_AT}
        print(f"ophalen ({label}, {len(group)} vragen): " + ", ".join(f"top-{k} {v:.1%}" for k, v in hits.items()))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
