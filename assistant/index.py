"""Build and open the index: chunks in Chroma (dense) and a Dutch BM25 index (lexical).

The index is built aside and swapped in whole, so a failed build never leaves a half index.
`index/meta.json` records which embedder built it and the fingerprint of the sources and of
the parsing code, so a changed source triggers a rebuild and a different embedder is refused.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from . import chunks as chunks_module
from . import convert as convert_module
from . import dutch as dutch_module
from . import sections as sections_module
from .chunks import chunk_sections, sentences
from .config import Settings
from .dutch import TOKEN_PATTERN, lexical_form, normalise
from .embeddings import EmbeddingCache, LlamaIndexEmbedding, content_key, make_embedder
from .sources import Document, document_sections, load_documents
from .types import Chunk

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

CACHE_DIR_NAME = "embedding-cache"


class IndexUnavailable(Exception):
    """The index cannot be used; the message says, in Dutch, what to do."""


class IndexCorrupt(IndexUnavailable):
    """Damaged or incomplete files: rebuilding mends it."""


def code_fingerprint() -> str:
    """Changes when the conversion, parsing, chunking or indexing code changes, so old indexes are rebuilt."""
    h = hashlib.sha256()
    for path in (sections_module.__file__, chunks_module.__file__, convert_module.__file__, dutch_module.__file__, __file__):
        h.update(Path(path).read_bytes())
    return h.hexdigest()[:16]


@dataclass
class IndexMeta:
    embedder: str
    dim: int
    sources: dict[str, str]  # source id -> sha256 of the file
    manifest: str
    code: str
    chunks: int
    collection: str
    built_at: str
    seconds: float


def fingerprint(settings: Settings, docs: list[Document]) -> tuple[dict[str, str], str]:
    manifest = hashlib.sha256((settings.sources_dir / "manifest.json").read_bytes()).hexdigest()
    return {d.source.id: d.sha256 for d in docs}, manifest


def read_meta(index_dir: Path) -> IndexMeta | None:
    path = index_dir / "meta.json"
    if not path.exists():
        return None
    try:
        return IndexMeta(**json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as exc:
        raise IndexCorrupt(f"De index in {index_dir} is beschadigd (meta.json onleesbaar: {exc}). Bouw hem opnieuw met `assistant ingest`.") from exc


def staleness(settings: Settings, docs: list[Document]) -> str | None:
    """Why the index must be (re)built, in Dutch; None when it is up to date."""
    try:
        meta = read_meta(settings.index_dir)
    except IndexCorrupt:
        return "de index is beschadigd"
    if meta is None:
        return "er is nog geen index"
    sources, manifest = fingerprint(settings, docs)
    if meta.code != code_fingerprint():
        return "de verwerkingscode is gewijzigd"
    if meta.manifest != manifest or meta.sources != sources:
        changed = sorted(set(sources.items()) ^ set(meta.sources.items()))
        names = sorted({k for k, _ in changed})
        return "bronnen zijn gewijzigd: " + (", ".join(names) if names else "manifest")
    return None


def _chroma_client(settings: Settings, path: Path):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        from urllib.parse import urlparse

        url = urlparse(settings.chroma_url)
        try:
            client = chromadb.HttpClient(host=url.hostname, port=url.port or 8000, ssl=url.scheme == "https", settings=chroma_settings)
            client.heartbeat()
        except Exception as exc:
            raise IndexUnavailable(f"De Chroma-server op {settings.chroma_url} is niet bereikbaar ({exc}). Controleer ASSISTANT_CHROMA_URL.") from exc
        return client
    return chromadb.PersistentClient(path=str(path / "chroma"), settings=chroma_settings)


def _release_chroma() -> None:
    """Chroma caches one client per path; drop it so a swapped directory is reopened."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


def _bm25_nodes(all_chunks: list[Chunk]):
    from llama_index.core.schema import TextNode

    return [TextNode(id_=c.id, text=lexical_form(c.search_text)) for c in all_chunks]


def _sentences(all_chunks: list[Chunk], docs: list[Document]) -> tuple[list[int], list[tuple[int, int]], list[str]]:
    """Every sentence of every chunk (a table row is one): chunk row, span, text."""
    texts_by_id = {d.source.id: d.text for d in docs}
    rows, spans, texts = [], [], []
    for row, c in enumerate(all_chunks):
        text = texts_by_id[c.source_id]
        for a, b in ([] if c.table_row else sentences(text, c.start, c.end)) or [(c.start, c.end)]:
            rows.append(row)
            spans.append((a, b))
            texts.append(normalise(text[a:b]))
    return rows, spans, texts


def _embed(settings: Settings, embedder, chunk_texts: list[str], sentence_texts: list[str], progress) -> tuple[np.ndarray, np.ndarray]:
    """Vectors for chunks and sentences through the cache; what was embedded is kept even
    when the build is interrupted, so a second try resumes."""
    cache = EmbeddingCache(settings.sources_dir / CACHE_DIR_NAME, embedder.id)
    todo = cache.missing(chunk_texts + sentence_texts)
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress("embed", done, todo)

    try:
        return cache.embed(embedder, chunk_texts, step), cache.embed(embedder, sentence_texts, step)
    finally:
        if done:
            cache.save(keep=set(map(content_key, chunk_texts + sentence_texts)))


def build(settings: Settings, progress: Callable[[str, int, int], None] | None = None, docs: list[Document] | None = None) -> IndexMeta:
    """Parse, chunk, embed and index every source; swap the result in when complete.
    `docs`: the documents, when the caller has read them already."""
    import Stemmer
    from llama_index.core.schema import TextNode
    from llama_index.retrievers.bm25 import BM25Retriever
    from llama_index.vector_stores.chroma import ChromaVectorStore

    started = time.time()
    docs = docs if docs is not None else load_documents(settings.sources_dir)
    all_chunks: list[Chunk] = []
    for doc in docs:
        all_chunks.extend(chunk_sections(doc.text, document_sections(doc)))
    if not all_chunks:
        raise IndexUnavailable("De bronnen leveren geen tekst op om te indexeren.")

    sentence_rows, sentence_spans, sentence_texts = _sentences(all_chunks, docs)
    embedder = make_embedder(settings.embedder, settings.ollama_host, settings.ollama_timeout)
    vectors, sentence_vectors = _embed(settings, embedder, [c.search_text for c in all_chunks], sentence_texts, progress)

    index_dir = settings.index_dir
    building = index_dir.parent / f".{index_dir.name}.building-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    try:
        sources, manifest = fingerprint(settings, docs)
        collection_name = f"assistant-{hashlib.sha256((embedder.id + manifest + json.dumps(sources, sort_keys=True) + code_fingerprint()).encode()).hexdigest()[:16]}"
        client = _chroma_client(settings, building)
        try:
            client.delete_collection(collection_name)
        except Exception:
            pass  # it did not exist
        collection = client.create_collection(collection_name, metadata={"hnsw:space": "cosine"}, embedding_function=None)
        store = ChromaVectorStore(chroma_collection=collection)
        about = {d.source.id: {"title": d.source.title, "kind": d.source.kind, "date": d.source.date} for d in docs}
        nodes = [
            TextNode(id_=c.id, text=c.search_text, embedding=v.tolist(), metadata={**c.metadata, **about[c.source_id]})
            for c, v in zip(all_chunks, vectors)
        ]
        for i in range(0, len(nodes), 500):
            store.add(nodes[i : i + 500])
            if progress:
                progress("store", min(i + 500, len(nodes)), len(nodes))

        with contextlib.redirect_stderr(io.StringIO()):  # bm25s draws progress bars of its own
            bm25 = BM25Retriever.from_defaults(
                nodes=_bm25_nodes(all_chunks), stemmer=Stemmer.Stemmer("dutch"), language="dutch", token_pattern=TOKEN_PATTERN
            )
            bm25.persist(str(building / "bm25"))
        np.savez(
            building / "sentences.npz",
            rows=np.array(sentence_rows, dtype=np.int32),
            spans=np.array(sentence_spans, dtype=np.int64),
            vectors=sentence_vectors.astype(np.float16),
        )
        with open(building / "chunks.jsonl", "w", encoding="utf-8") as f:
            for c in all_chunks:
                f.write(json.dumps(asdict(c), ensure_ascii=False) + "\n")
        meta = IndexMeta(
            embedder=embedder.id,
            dim=int(vectors.shape[1]),
            sources=sources,
            manifest=manifest,
            code=code_fingerprint(),
            chunks=len(all_chunks),
            collection=collection_name,
            built_at=time.strftime("%Y-%m-%dT%H:%M:%S"),
            seconds=round(time.time() - started, 1),
        )
        (building / "meta.json").write_text(json.dumps(asdict(meta), indent=2), encoding="utf-8")
        del client, collection, store
        _release_chroma()
        _swap(building, index_dir, settings, meta)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return meta


def _swap(building: Path, index_dir: Path, settings: Settings, meta: IndexMeta) -> None:
    try:
        old = read_meta(index_dir) if index_dir.exists() else None
    except IndexCorrupt:
        old = None
    retired = index_dir.parent / f".{index_dir.name}.old-{os.getpid()}"
    if index_dir.exists():
        index_dir.rename(retired)
    building.rename(index_dir)
    shutil.rmtree(retired, ignore_errors=True)
    if settings.chroma_url and old and old.collection != meta.collection:
        try:
            _chroma_client(settings, index_dir).delete_collection(old.collection)
        except Exception:
            pass  # an old collection left on the server does no harm


class Index:
    """An opened index: the chunks, the dense retriever and the BM25 index."""

    def __init__(self, settings: Settings, docs: list[Document] | None = None) -> None:
        import Stemmer
        from llama_index.core import VectorStoreIndex
        from llama_index.retrievers.bm25 import BM25Retriever
        from llama_index.vector_stores.chroma import ChromaVectorStore

        meta = read_meta(settings.index_dir)
        if meta is None:
            raise IndexUnavailable(f"Er is geen index in {settings.index_dir}. Bouw hem met `assistant ingest`.")
        self.meta = meta
        self.embedder = make_embedder(settings.embedder, settings.ollama_host, settings.ollama_timeout)
        if self.embedder.id != meta.embedder:
            raise IndexUnavailable(
                f"De index is gebouwd met embedder '{meta.embedder}', maar nu is '{self.embedder.id}' ingesteld "
                f"(ASSISTANT_EMBEDDER). Zoeken met een andere embedder geeft onzin; bouw de index opnieuw met `assistant ingest` "
                "of zet de oude instelling terug."
            )
        try:
            with open(settings.index_dir / "chunks.jsonl", encoding="utf-8") as f:
                self.chunks = [_chunk_from_json(json.loads(line)) for line in f]
            with contextlib.redirect_stderr(io.StringIO()):  # bm25s draws progress bars of its own
                self.bm25 = BM25Retriever.from_persist_dir(str(settings.index_dir / "bm25"))
            with np.load(settings.index_dir / "sentences.npz") as data:
                self.sentence_rows = data["rows"]
                self.sentence_spans = data["spans"]
                self.sentence_vectors = data["vectors"].astype(np.float32)
            client = _chroma_client(settings, settings.index_dir)
            collection = client.get_collection(meta.collection)
        except IndexUnavailable:
            raise
        except Exception as exc:
            raise IndexCorrupt(f"De index in {settings.index_dir} is beschadigd of onvolledig ({exc}). Bouw hem opnieuw met `assistant ingest`.") from exc
        if len(self.chunks) != meta.chunks or collection.count() != meta.chunks:
            raise IndexCorrupt(f"De index in {settings.index_dir} is onvolledig. Bouw hem opnieuw met `assistant ingest`.")
        # the persisted BM25 retriever forgets its stemmer and token pattern (llama-index 0.8)
        self.bm25.stemmer = Stemmer.Stemmer("dutch")
        self.bm25.token_pattern = TOKEN_PATTERN
        docs = docs if docs is not None else load_documents(settings.sources_dir)
        self.documents = {d.source.id: d for d in docs}
        self.by_id = {c.id: c for c in self.chunks}
        self.row = {c.id: i for i, c in enumerate(self.chunks)}
        self.sentences_of: dict[int, list[int]] = {}
        for n, row in enumerate(self.sentence_rows.tolist()):
            self.sentences_of.setdefault(row, []).append(n)
        self.sources = sorted({c.source_id for c in self.chunks})
        self.vector_index = VectorStoreIndex.from_vector_store(
            ChromaVectorStore(chroma_collection=collection), embed_model=LlamaIndexEmbedding(self.embedder)
        )



def _chunk_from_json(data: dict) -> Chunk:
    data["section_path"] = tuple(data["section_path"])
    return Chunk(**data)


def ensure_index(settings: Settings, progress: Callable[[str, int, int], None] | None = None, notify: Callable[[str], None] | None = None) -> Index:
    """Open the index, building it first when it is missing or a source changed."""
    docs = load_documents(settings.sources_dir)
    if staleness(settings, docs):
        _rebuild(settings, docs, progress, notify)
    try:
        return Index(settings, docs)
    except IndexCorrupt as exc:
        if notify:
            notify(str(exc))
        _rebuild(settings, docs, progress, notify, force=True)
        return Index(settings, docs)


def _rebuild(settings: Settings, docs: list[Document], progress, notify, force: bool = False) -> None:
    with build_lock(settings):  # another process may be building the same index
        reason = "de index is beschadigd" if force else staleness(settings, docs)
        if reason:
            if notify:
                notify(f"Index wordt gebouwd ({reason}) ...")
            build(settings, progress, docs)


@contextlib.contextmanager
def build_lock(settings: Settings):
    """One builder at a time per index directory (e.g. `serve` and `ask` started together)."""
    import fcntl

    settings.index_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(settings.index_dir.parent / f".{settings.index_dir.name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
