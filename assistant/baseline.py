"""The retrieval a newcomer would build first with llama-index defaults, as a yardstick.

Whole documents go through `SentenceSplitter()` (no section awareness) into an in-memory
`VectorStoreIndex`, searched densely only, with the project's own embedder: the comparison
with `assistant eval` is then about the design, not the model. Chunk vectors are cached by
content hash next to the project's, so only the first run embeds.
"""
from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

from .embeddings import Embedder, EmbeddingCache, LlamaIndexEmbedding
from .evalset import Item
from .evaluation import HIT_AT, Result, evidence_rank, hits_at
from .index import CACHE_DIR_NAME
from .sources import Document


def evaluate_baseline(assistant, items: list[Item]) -> dict:
    """Evidence hit@k of the default pipeline over the assistant's documents and embedder."""
    return baseline_hits(
        assistant.index.documents, assistant.index.embedder, assistant.settings.sources_dir / CACHE_DIR_NAME, items
    )


def baseline_hits(docs: dict[str, Document], embedder: Embedder, cache_dir: Path, items: list[Item], progress: bool = True) -> dict:
    """Build the default index over `docs` and score every item that expects evidence."""
    from llama_index.core import Document as LlamaDocument
    from llama_index.core import VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.core.schema import MetadataMode

    splitter = SentenceSplitter()
    nodes = splitter.get_nodes_from_documents(
        [LlamaDocument(text=d.text, metadata={"source_id": d.source.id}) for d in docs.values()]
    )
    # embed exactly what llama-index would (metadata included), but through the shared cache
    texts = [n.get_content(metadata_mode=MetadataMode.EMBED) for n in nodes]
    cache = EmbeddingCache(cache_dir, f"{embedder.id}-basislijn")  # its own file: index builds prune theirs
    todo = cache.missing(texts)
    bar = None
    if todo and progress:
        from tqdm import tqdm

        bar = tqdm(total=todo, desc="Baseline embedden", unit="chunk", file=sys.stderr)
    vectors = cache.embed(embedder, texts, bar.update if bar else None)
    if bar:
        bar.close()
    if todo:
        cache.save()
    for node, vector in zip(nodes, vectors):
        node.embedding = vector.tolist()
    index = VectorStoreIndex(nodes, embed_model=LlamaIndexEmbedding(embedder))
    retriever = index.as_retriever(similarity_top_k=max(HIT_AT))

    results = []
    for item in (i for i in items if i.expect):
        question = f"{item.history[-1]} {item.question}" if item.history else item.question
        # just what evidence_rank reads of a Passage: rank and chunk.source_id/start/end
        passages = [
            SimpleNamespace(rank=rank, chunk=SimpleNamespace(
                source_id=hit.node.metadata["source_id"], start=hit.node.start_char_idx, end=hit.node.end_char_idx
            ))
            for rank, hit in enumerate(retriever.retrieve(question), 1)
        ]
        results.append(Result(item, {}, evidence_rank(item, passages, docs)))
    kinds = sorted({r.item.kind for r in results})
    return {
        "pipeline": (
            f"llama-index-standaard: SentenceSplitter ({splitter.chunk_size} tokens, {splitter.chunk_overlap} overlap) over hele "
            f"documenten, alleen dense zoeken (VectorStoreIndex in het geheugen), top {max(HIT_AT)}, zelfde embedder"
        ),
        "items": len(results),
        "evidence_hit_at": hits_at(results),
        "by_kind": {k: {"evidence_hit_at": hits_at([r for r in results if r.item.kind == k])} for k in kinds},
    }
