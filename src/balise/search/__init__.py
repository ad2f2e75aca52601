"""Hybrid French search: lexical (FTS5 / tsvector) and dense (e5 vectors), fused, filtered by
tenant and by the classifications the user's role may see."""

from balise.search import schema
from balise.search.embeddings import Embedder, EmbeddingUnavailable, get_embedder, make_embedder
from balise.search.index import embed_missing, index_chunks, remove_document
from balise.search.query import Mode, SearchHit, search

__all__ = [
    "Embedder",
    "EmbeddingUnavailable",
    "Mode",
    "SearchHit",
    "embed_missing",
    "get_embedder",
    "index_chunks",
    "make_embedder",
    "remove_document",
    "schema",
    "search",
]
