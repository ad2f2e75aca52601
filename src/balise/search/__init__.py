"""Hybrid French search: lexical (FTS5 / tsvector) and dense (e5 vectors), fused, filtered by
tenant and by the classifications the user's role may see."""

from balise.search import schema
from balise.search.embeddings import Embedder, EmbeddingUnavailable, get_embedder, make_embedder
from balise.search.index import (
    check_dimension,
    embed_missing,
    follow_classification,
    index_chunks,
    passage_text,
    passages_without_vectors,
    remove_document,
    store_vectors,
    vector_counts,
)
from balise.search.query import Mode, SearchHit, search
from balise.search.rerank import Reranker

__all__ = [
    "Embedder",
    "EmbeddingUnavailable",
    "Mode",
    "Reranker",
    "SearchHit",
    "check_dimension",
    "embed_missing",
    "follow_classification",
    "get_embedder",
    "index_chunks",
    "make_embedder",
    "passage_text",
    "passages_without_vectors",
    "remove_document",
    "schema",
    "search",
    "store_vectors",
    "vector_counts",
]
