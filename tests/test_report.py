"""The evaluation report and the llama-index baseline, without the real index or model."""
from __future__ import annotations

import json
import re
import zlib

import numpy as np
import pytest

from assistant.baseline import baseline_hits
from assistant.evalset import Expectation, Item
from assistant.report import write_report
from assistant.sources import Document
from assistant.types import Source


def _block(hit1: float, citation: float | None = 0.8) -> dict:
    return {"items": 4, "citation_accuracy": citation, "figure_exactness": 0.5, "refusal_recall": None,
            "evidence_hit_at": {"1": hit1, "3": 0.75, "5": 1.0, "10": 1.0}}


def _summary(hit1: float = 0.5, latency: int = 900) -> dict:
    return {
        "items": 6, "citation_accuracy": 0.8, "figure_exactness": 0.5, "figures_verified": 1.0,
        "refusal_recall": 1.0, "refusal_precision": 0.667, "false_refusal_rate": 0.2, "verbatim_quotes": 1.0,
        "grounded_citations": 0.9, "evidence_hit_at": {"1": hit1, "3": 0.75, "5": 1.0, "10": 1.0},
        "latency_ms": {"p50": latency, "p95": 2 * latency},
        "by_kind": {"figure": _block(hit1), "unanswerable": {**_block(0.0, None), "refusal_recall": 1.0}},
        "by_source": {"kamerbrief-jeugdbescherming-2025": _block(hit1)},
        "baseline": {"pipeline": "standaard", "items": 4, "evidence_hit_at": {"1": 0.25, "3": 0.5, "5": 0.5, "10": 0.75},
                     "by_kind": {"figure": {"evidence_hit_at": {"1": 0.25, "3": 0.5, "5": 0.5, "10": 0.75}}}},
    }


FAILURES = [{
    "id": "kb-fig-01", "kind": "figure", "question": "Hoeveel kinderen wachtten op 1 oktober 2025?",
    "failed": ["required", "bewijs op rang 3"], "expected": "kamerbrief-jeugdbescherming-2025 — Bijlage GI-monitor",
    "must_contain": [["1.499", "1499"]], "answer": "Er wachtten 1.358 kinderen. " * 40,
    "cited": ["kamerbrief-jeugdbescherming-2025 — Bijlage GI-monitor"],
}]


def test_report_files_and_content(tmp_path):
    text = write_report(_summary(), FAILURES, tmp_path)
    for name in ("latest.md", "latest.json", "latest.png"):
        assert (tmp_path / name).exists()
    assert len(list(tmp_path.glob("report-*.md"))) == 1 and len(list(tmp_path.glob("summary-*.json"))) == 1
    assert (tmp_path / "latest.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "latest.md").read_text(encoding="utf-8") == text
    assert json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))["evidence_hit_at"]["1"] == 0.5
    for key in ("citation_accuracy", "figure_exactness", "refusal_recall", "false_refusal_rate", "evidence_hit_at.10", "latency_ms.p95"):
        assert f"`{key}`" in text
    assert "![grafiek](latest.png)" in text
    assert "Geen vorige meting" in text
    assert "kb-fig-01" in text and "Hoeveel kinderen wachtten" in text and "“1.499” of “1499”" in text
    assert "verplichte cijfers of woorden ontbreken" in text and "bewijs op rang 3" in text
    assert "…" in text and "1.358 kinderen. " * 20 not in text  # the answer is shortened
    assert "| Bewijs in top 1 | 50,0% | 25,0% | +25,0 procentpunt |" in text
    assert "`kamerbrief-jeugdbescherming-2025`" in text and "cijfer (`figure`)" in text


def test_second_run_compares_with_the_previous(tmp_path):
    write_report(_summary(hit1=0.5, latency=900), [], tmp_path)
    text = write_report(_summary(hit1=0.75, latency=1200), [], tmp_path)
    assert "| Bewijs in top 1 | 50,0% | 75,0% | ↑ beter |" in text
    assert "| Antwoordtijd mediaan | 900 ms | 1200 ms | ↑ slechter |" in text
    assert "| Bronvermelding juist | 80,0% | 80,0% | = |" in text
    assert "Vorige meting: 20" in text and "Geen vorige meting" not in text
    assert "Mislukte vragen (0)" in text


def test_report_without_baseline(tmp_path):
    summary = _summary()
    del summary["baseline"]
    assert "--no-baseline" in write_report(summary, [], tmp_path)
    assert (tmp_path / "latest.png").exists()


class BagOfWords:
    """Deterministic stand-in for the embedder: hashed word counts, normalised."""

    id = "bag-of-words"

    def __init__(self) -> None:
        self.embedded = 0

    def _vector(self, text: str) -> np.ndarray:
        v = np.full(256, 1e-3, dtype=np.float32)
        for word in re.findall(r"\w+", text.lower()):
            v[zlib.crc32(word.encode()) % 256] += 1
        return v / np.linalg.norm(v)

    def passages(self, texts: list[str]) -> np.ndarray:
        self.embedded += len(texts)
        return np.stack([self._vector(t) for t in texts])

    def query(self, text: str) -> np.ndarray:
        return self._vector(text)


FILLER = " ".join(f"Zin {n} gaat over het weer en de zee in regio {n}." for n in range(250))
DOCS = {
    "lang": Document(Source("lang", "lang.txt", "rapport", "Lang", "", "2025"),
                     FILLER + " De wachtlijst voor jeugdbeschermers groeide tot 1499 kinderen in oktober.", "x"),
    "kort": Document(Source("kort", "kort.txt", "brief", "Kort", "", "2025"),
                     "De inspectie bezocht drie gecertificeerde instellingen en zag personeelstekorten.", "y"),
}


def _item(id_: str, question: str, source: str, evidence: str, history: list[str] | None = None) -> Item:
    kind = "followup" if history else "fact"
    return Item(id_, kind, question, history or [], [Expectation(source, ["x"], evidence)])


ITEMS = [
    _item("a", "Tot hoeveel kinderen groeide de wachtlijst voor jeugdbeschermers?", "lang", "groeide tot 1499 kinderen in oktober"),
    _item("b", "Welke instellingen bezocht de inspectie?", "kort", "De inspectie bezocht drie gecertificeerde instellingen"),
    _item("c", "En wat zag ze daar?", "kort", "zag personeelstekorten", history=["Welke instellingen bezocht de inspectie?"]),
    _item("d", "Zin 3 gaat over het weer en de zee in regio 3.", "kort", "zag personeelstekorten"),  # lexical decoy
    Item("e", "unanswerable", "Wat is de hoofdstad van Frankrijk?", refuse=True),
]


def test_baseline_hits_with_a_fake_embedder(tmp_path):
    embedder = BagOfWords()
    result = baseline_hits(DOCS, embedder, tmp_path, ITEMS, progress=False)
    assert embedder.embedded >= 3  # the long document is split into several chunks
    assert result["items"] == 4  # the refusal item has no evidence to find
    assert result["evidence_hit_at"]["1"] == 0.75  # the decoy finds the filler first
    assert result["evidence_hit_at"]["10"] == 1.0
    assert result["by_kind"]["followup"]["evidence_hit_at"]["1"] == 1.0
    assert set(result["by_kind"]) == {"fact", "followup"} and "1024 tokens" in result["pipeline"]

    again = BagOfWords()
    assert baseline_hits(DOCS, again, tmp_path, ITEMS, progress=False) == result
    assert again.embedded == 0  # every chunk vector came from the cache


@pytest.mark.parametrize("evidence", ["Zin 0 gaat over het weer", "zee in regio 249."])
def test_baseline_evidence_in_the_right_chunk_of_a_long_document(tmp_path, evidence):
    item = _item("f", evidence, "lang", evidence)
    assert baseline_hits(DOCS, BagOfWords(), tmp_path, [item], progress=False)["evidence_hit_at"]["10"] == 1.0
