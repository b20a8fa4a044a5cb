"""Build and open the index: chunks in Chroma (dense) and a Dutch BM25 index (lexical).

Every build writes a new version directory, `index/v-<time>-<pid>-<n>/`, and only then
points `index/CURRENT` at it in one atomic step: a failed or killed build never leaves a
half index. A version that is open (an answer in flight, another process) is never
removed; it goes once nobody holds it. A version holds all that answering needs, the
converted texts of the documents included, so a broken source does not stop the answers.
`meta.json` records the embedder and the fingerprint of the sources and of the parsing
code, so a changed source triggers a rebuild and a different embedder is refused.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import os
import shutil
import time
import uuid
import weakref
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from . import chunks as chunks_module
from . import convert as convert_module
from . import dutch as dutch_module
from . import sections as sections_module
from .chunks import chunk_sections, sentences
from .config import Settings
from .dutch import STEMMER, TOKEN_PATTERN, lexical_form, normalise
from .embeddings import EmbeddingCache, content_key, make_embedder
from .sources import Collection, Document, Limits, document_sections, fingerprint, read_collection
from .types import Chunk, Source

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

CACHE_DIR_NAME = "embedding-cache"
CURRENT = "CURRENT"  # names the version that answers
IN_USE = "in-use"  # readers hold a shared lock on it; a version is removed only under an exclusive one
_LEGACY = ("meta.json", "chunks.jsonl", "sentences.npz", "bm25", "chroma")  # the layout before versions


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
    sources: dict[str, str]  # source id -> sha256 of the file (skipped documents included)
    manifest: str
    code: str
    chunks: int
    collection: str
    built_at: str
    seconds: float
    skipped: dict[str, str] = field(default_factory=dict)  # source id -> why it is not in the index (Dutch)
    embedded: int = 0  # texts this build had to embed (the rest came from the cache)


def limits(settings: Settings) -> Limits:
    return Limits(file_bytes=int(settings.max_file_mb * 1_000_000), text_bytes=int(settings.max_source_mb * 1_000_000))


def current_version(index_dir: Path) -> Path | None:
    """The version directory CURRENT names; None when there is no index yet."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise IndexCorrupt(f"De index in {index_dir} is beschadigd ({CURRENT} onleesbaar). Bouw hem opnieuw met `assistant ingest`.") from exc
    if not name.startswith("v-") or "/" in name:
        raise IndexCorrupt(f"De index in {index_dir} is beschadigd ({CURRENT} noemt geen versie). Bouw hem opnieuw met `assistant ingest`.")
    return index_dir / name


def read_meta(index_dir: Path) -> IndexMeta | None:
    """The record of the version that answers; None when there is no index yet."""
    version = current_version(index_dir)
    return None if version is None else _read_meta(version)


def _read_meta(version: Path) -> IndexMeta:
    try:
        return IndexMeta(**json.loads((version / "meta.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError) as exc:
        raise IndexCorrupt(f"De index in {version.parent} is beschadigd (meta.json onleesbaar of ontbreekt). "
                           "Bouw hem opnieuw met `assistant ingest`.") from exc


def staleness(settings: Settings) -> str | None:
    """Why the index must be (re)built, in Dutch; None when it is up to date. Compares file
    hashes only, nothing is converted. SourceError when the sources cannot be read."""
    try:
        meta = read_meta(settings.index_dir)
    except IndexCorrupt:
        return "de index is beschadigd"
    if meta is None:
        return "er is nog geen index"
    if meta.code != code_fingerprint():
        return "de verwerkingscode is gewijzigd"
    sources, manifest = fingerprint(settings.sources_dir)
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


def _embed(settings: Settings, embedder, chunk_texts: list[str], sentence_texts: list[str], progress) -> tuple[np.ndarray, np.ndarray, int]:
    """Vectors for chunks and sentences through the cache, and how many had to be embedded.
    What is embedded is written as it goes and when the build stops, so a second try resumes."""
    cache = EmbeddingCache(settings.sources_dir / CACHE_DIR_NAME, embedder.id, settings.cache_save_seconds)
    todo = cache.missing(chunk_texts + sentence_texts)
    done = 0
    if progress and todo:
        progress("embed", 0, todo)  # the stage starts: from here the time left is estimated

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress("embed", done, todo)

    try:
        return cache.embed(embedder, chunk_texts, step), cache.embed(embedder, sentence_texts, step), todo
    finally:
        if cache.unsaved:
            cache.save(keep=set(map(content_key, chunk_texts + sentence_texts)))


def build(settings: Settings, progress: Callable[[str, int, int], None] | None = None, collection: Collection | None = None) -> IndexMeta:
    """Read, parse, chunk, embed and index every source into a new version; make it the
    current one when complete. `collection`: the sources, when the caller has read them.
    A document over a size limit is left out (recorded in `meta.skipped`); any other
    problem with a source raises SourceError and leaves the current index as it was."""
    from llama_index.core.schema import TextNode
    from llama_index.retrievers.bm25 import BM25Retriever
    from llama_index.vector_stores.chroma import ChromaVectorStore

    started = time.time()
    collection = collection or read_collection(settings.sources_dir, limits(settings), progress)
    docs = collection.documents
    all_chunks: list[Chunk] = []
    for doc in docs:
        all_chunks.extend(chunk_sections(doc.text, document_sections(doc)))
    if not all_chunks:
        raise IndexUnavailable(" ".join(["De bronnen leveren geen tekst op om te indexeren.", *(s.reason for s in collection.skipped)]))

    sentence_rows, sentence_spans, sentence_texts = _sentences(all_chunks, docs)
    embedder = make_embedder(settings.embedder, settings.ollama_host, settings.ollama_timeout)
    vectors, sentence_vectors, embedded = _embed(settings, embedder, [c.search_text for c in all_chunks], sentence_texts, progress)

    with _new_version(settings.index_dir) as (building, name):
        collection_name = f"assistant-{name}"
        client = _chroma_client(settings, building)
        chroma = client.create_collection(collection_name, metadata={"hnsw:space": "cosine"}, embedding_function=None)
        store = ChromaVectorStore(chroma_collection=chroma)
        about = {d.source.id: {"title": d.source.title, "kind": d.source.kind, "date": d.source.date} for d in docs}
        if progress:
            progress("store", 0, len(all_chunks))
        for i in range(0, len(all_chunks), 500):  # nodes per batch: their vectors as lists are large
            store.add([TextNode(id_=c.id, text=c.search_text, embedding=v.tolist(), metadata={**c.metadata, **about[c.source_id]})
                       for c, v in zip(all_chunks[i : i + 500], vectors[i : i + 500])])
            if progress:
                progress("store", min(i + 500, len(all_chunks)), len(all_chunks))
        del store, chroma
        client.close()

        with contextlib.redirect_stderr(io.StringIO()):  # bm25s draws progress bars of its own
            bm25 = BM25Retriever.from_defaults(
                nodes=_bm25_nodes(all_chunks), stemmer=STEMMER, language="dutch", token_pattern=TOKEN_PATTERN
            )
            bm25.persist(str(building / "bm25"))
        np.savez(
            building / "sentences.npz",
            rows=np.array(sentence_rows, dtype=np.int32),
            spans=np.array(sentence_spans, dtype=np.int64),
            vectors=sentence_vectors.astype(np.float16),
        )
        _write_jsonl(building / "chunks.jsonl", (asdict(c) for c in all_chunks))
        _write_jsonl(building / "documents.jsonl", (_document_json(d) for d in docs))
        meta = IndexMeta(
            embedder=embedder.id,
            dim=int(vectors.shape[1]),
            sources=collection.files,
            manifest=collection.manifest,
            code=code_fingerprint(),
            chunks=len(all_chunks),
            collection=collection_name,
            built_at=time.strftime("%Y-%m-%dT%H:%M:%S"),
            seconds=round(time.time() - started, 1),
            skipped={s.source.id: s.reason for s in collection.skipped},
            embedded=embedded,
        )
        (building / "meta.json").write_text(json.dumps(asdict(meta), indent=2), encoding="utf-8")
    remove_retired(settings)
    return meta


def _write_jsonl(path: Path, records) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


def _document_json(doc: Document) -> dict:
    return {"source": asdict(doc.source), "text": doc.text, "sha256": doc.sha256, "pages": list(doc.pages),
            "page_numbers": list(doc.page_numbers), "empty_pages": list(doc.empty_pages)}


def _document_from_json(data: dict) -> Document:
    source = Source(**{**data["source"], "not_headings": tuple(data["source"]["not_headings"])})
    return Document(source, data["text"], data["sha256"], tuple(data["pages"]), tuple(data.get("page_numbers", ())),
                    tuple(data.get("empty_pages", ())))


@contextlib.contextmanager
def _new_version(index_dir: Path):
    """A directory to build a version in, held against removal; when the block completes it
    becomes `v-...` and CURRENT names it, in one atomic step. On failure it is removed."""
    index_dir.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(index_dir)
    name = f"v-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    building = index_dir / f".building-{os.getpid()}-{name}"
    building.mkdir()
    handle = open(building / IN_USE, "w")
    fcntl.flock(handle, fcntl.LOCK_SH)
    try:
        yield building, name
        with open(building / f".{CURRENT}", "w", encoding="utf-8") as f:
            f.write(name)
            f.flush()
            os.fsync(f.fileno())
        building.rename(index_dir / name)
        (index_dir / name / f".{CURRENT}").replace(index_dir / CURRENT)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    finally:
        handle.close()


def _remove_leftovers(index_dir: Path) -> None:
    """What builds killed halfway left behind, and the files of the layout before versions."""
    for entry in index_dir.glob(".building-*"):
        pid = entry.name.split("-")[1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)
    for name in _LEGACY:
        path = index_dir / name
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists():
            path.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_retired(settings: Settings) -> list[str]:
    """Remove every version that is not current and that nobody holds open (and, with a
    Chroma server, its collection there). Returns the names removed."""
    index_dir, removed = settings.index_dir, []
    if not index_dir.is_dir():
        return removed
    for version in sorted(index_dir.glob("v-*")):
        try:
            handle = open(version / IN_USE, "a")
        except OSError:
            continue
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # an Index (here or in another process) still answers from it
            current = current_version(index_dir)
            if current is not None and current.name == version.name:
                continue
            try:
                collection = _read_meta(version).collection
            except IndexCorrupt:
                collection = None
            shutil.rmtree(version, ignore_errors=True)
        if settings.chroma_url and collection:
            try:
                _chroma_client(settings, version).delete_collection(collection)
            except Exception:
                pass  # an old collection left on the server does no harm
        removed.append(version.name)
    return removed


def _hold(index_dir: Path):
    """The current version and an open handle with a shared lock on it, so no build removes
    it while it answers. Retries when a build swapped versions meanwhile."""
    for _ in range(5):
        version = current_version(index_dir)
        if version is None:
            raise IndexUnavailable(f"Er is geen index in {index_dir}. Bouw hem met `assistant ingest`.")
        try:
            handle = open(version / IN_USE, "a")
        except FileNotFoundError:
            continue  # removed just now: CURRENT names a newer one
        fcntl.flock(handle, fcntl.LOCK_SH)
        if version.is_dir():
            return version, handle
        handle.close()
    raise IndexCorrupt(f"De index in {index_dir} is beschadigd ({CURRENT} noemt een versie die ontbreekt). "
                       "Bouw hem opnieuw met `assistant ingest`.")


class Index:
    """An opened index version: the documents, the chunks, the dense retriever and the BM25
    index. It reads nothing from the sources, and it stays whole while it is referenced."""

    def __init__(self, settings: Settings) -> None:
        version, handle = _hold(settings.index_dir)
        try:
            self._open(settings, version)
        except BaseException:
            handle.close()
            raise
        weakref.finalize(self, _release, handle, self._client)

    def _open(self, settings: Settings, version: Path) -> None:
        from llama_index.retrievers.bm25 import BM25Retriever

        meta = _read_meta(version)
        self.meta, self.version = meta, version.name
        self.embedder = make_embedder(settings.embedder, settings.ollama_host, settings.ollama_timeout)
        if self.embedder.id != meta.embedder:
            raise IndexUnavailable(
                f"De index is gebouwd met embedder '{meta.embedder}', maar nu is '{self.embedder.id}' ingesteld "
                f"(ASSISTANT_EMBEDDER). Zoeken met een andere embedder geeft onzin; bouw de index opnieuw met `assistant ingest` "
                "of zet de oude instelling terug."
            )
        self._client = None
        try:
            with open(version / "chunks.jsonl", encoding="utf-8") as f:
                self.chunks = [_chunk_from_json(json.loads(line)) for line in f]
            with open(version / "documents.jsonl", encoding="utf-8") as f:
                docs = [_document_from_json(json.loads(line)) for line in f]
            with contextlib.redirect_stderr(io.StringIO()):  # bm25s draws progress bars of its own
                self.bm25 = BM25Retriever.from_persist_dir(str(version / "bm25"))
            with np.load(version / "sentences.npz") as data:
                self.sentence_rows = data["rows"]
                self.sentence_spans = data["spans"]
                self.sentence_vectors = data["vectors"].astype(np.float32)
            self._client = _chroma_client(settings, version)
            collection = self._client.get_collection(meta.collection)
        except IndexUnavailable:
            raise
        except Exception as exc:
            raise IndexCorrupt(f"De index in {settings.index_dir} is beschadigd of onvolledig ({exc}). Bouw hem opnieuw met `assistant ingest`.") from exc
        if len(self.chunks) != meta.chunks or collection.count() != meta.chunks:
            raise IndexCorrupt(f"De index in {settings.index_dir} is onvolledig. Bouw hem opnieuw met `assistant ingest`.")
        # the persisted BM25 retriever forgets its stemmer and token pattern (llama-index 0.8)
        self.bm25.stemmer = STEMMER
        self.bm25.token_pattern = TOKEN_PATTERN
        self.documents = {d.source.id: d for d in docs}
        self.by_id = {c.id: c for c in self.chunks}
        self.row = {c.id: i for i, c in enumerate(self.chunks)}
        self.sentences_of: dict[int, list[int]] = {}
        for n, row in enumerate(self.sentence_rows.tolist()):
            self.sentences_of.setdefault(row, []).append(n)
        self.sources = sorted({c.source_id for c in self.chunks})
        self.collection = collection  # the chunks' vectors in Chroma (see retrieval._dense)


def _release(handle, client) -> None:
    """When an Index is gone: close its Chroma client and let its version be removed."""
    with contextlib.suppress(Exception):
        if client is not None:
            client.close()
    handle.close()


def _chunk_from_json(data: dict) -> Chunk:
    data["section_path"] = tuple(data["section_path"])
    return Chunk(**data)


@contextlib.contextmanager
def build_lock(settings: Settings):
    """One builder at a time per index directory (e.g. `serve` and `ask` started together)."""
    settings.index_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(settings.index_dir.parent / f".{settings.index_dir.name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
