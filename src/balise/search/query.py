"""Searching: lexical, dense and hybrid, always within one tenant and the session's read clearance.

The filters are part of every query (never applied to results afterwards), so a limit is always
filled with passages the caller may see. The classifications come from the session
(:func:`balise.db.clearance_of`), the one place that says what a reader may read.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass
from threading import Lock
from typing import Any, Literal

import numpy as np
from sqlalchemy import Connection, bindparam, select, text
from sqlalchemy.orm import Session

from balise.classification import CLASSIFICATION_ORDER
from balise.db.session import clearance_of
from balise.documents.models import Chunk, Document
from balise.errors import Forbidden
from balise.normalisation import normalise
from balise.search.analysis import query_terms
from balise.search.embeddings import get_embedder
from balise.search.fusion import DEFAULT, Fusion, fuse
from balise.search.models import SearchEntry
from balise.search.rerank import Reranker, reranked

Mode = Literal["hybrid", "lexical", "dense"]
Ranking = list[tuple[int, float]]

HYBRID_CANDIDATES = 50
"""How many passages each method proposes to the fusion."""
HNSW_EF_SEARCH = 100
MATRIX_CACHE_TENANTS = 16


@dataclass(frozen=True)
class SearchHit:
    """A passage found, with what a citation needs to point back at it."""

    chunk_id: str
    document_id: str
    title: str
    page: int | None
    heading_path: str
    text: str
    char_start: int
    char_end: int
    classification: str
    score: float
    instructions: bool = False
    """The passage addresses instructions to an AI or holds hidden text: never given to a model."""


def _filters(
    tenant_id: str, classifications: Collection[str], document_ids: Collection[str] | None
) -> tuple[str, dict[str, Any]]:
    """The tenant and visibility conditions every query carries, on the alias ``e``."""
    clause = "e.tenant_id = :tenant_id AND e.classification IN :classifications"
    params: dict[str, Any] = {"tenant_id": tenant_id, "classifications": list(classifications)}
    if document_ids is not None:
        clause += " AND e.document_id IN :document_ids"
        params["document_ids"] = list(document_ids)
    return clause, params


def _expanding(sql: str, params: dict[str, Any]) -> Any:
    statement = text(sql).bindparams(bindparam("classifications", expanding=True))
    if "document_ids" in params:
        statement = statement.bindparams(bindparam("document_ids", expanding=True))
    return statement


def _lexical(
    connection: Connection,
    query: str,
    tenant_id: str,
    classifications: Collection[str],
    document_ids: Collection[str] | None,
    limit: int,
) -> Ranking:
    """bm25 (SQLite FTS5) or ts_rank (PostgreSQL) over the analysed terms, OR-ed."""
    terms = query_terms(query)
    if not terms:
        return []
    clause, params = _filters(tenant_id, classifications, document_ids)
    params["limit"] = limit
    if connection.dialect.name == "postgresql":
        params["terms"] = " | ".join(terms)
        sql = (
            "SELECT e.id, ts_rank(e.tsv, q, 1) AS score FROM search_entries e, "
            "to_tsquery('simple', :terms) q "
            f"WHERE e.tsv @@ q AND {clause} ORDER BY score DESC, e.id LIMIT :limit"
        )
    else:
        params["terms"] = " OR ".join(f'"{term}"' for term in terms)
        sql = (
            "SELECT e.id, -bm25(search_fts) AS score FROM search_fts "
            "JOIN search_entries e ON e.id = search_fts.rowid "
            f"WHERE search_fts MATCH :terms AND {clause} ORDER BY score DESC, e.id LIMIT :limit"
        )
    return [(int(row[0]), float(row[1])) for row in connection.execute(_expanding(sql, params), params)]


@dataclass(frozen=True)
class _Matrix:
    """A tenant's vectors in memory, with what the filters need, as arrays."""

    version: int | None
    ids: np.ndarray
    vectors: np.ndarray
    classification_codes: np.ndarray
    classification_labels: list[str]
    document_codes: np.ndarray
    document_index: dict[str, int]


_matrices: OrderedDict[tuple[str, str, str], _Matrix] = OrderedDict()
_matrices_lock = Lock()


def _load_matrix(connection: Connection, tenant_id: str, model: str, version: int | None) -> _Matrix:
    rows = connection.execute(
        text(
            "SELECT id, document_id, classification, embedding FROM search_entries "
            "WHERE tenant_id = :tenant_id AND embedding_model = :model AND embedding IS NOT NULL "
            "ORDER BY id"
        ),
        {"tenant_id": tenant_id, "model": model},
    ).all()
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    vectors = np.frombuffer(b"".join(row[3] for row in rows), dtype=np.float32)
    vectors = vectors.reshape(len(rows), -1) if rows else vectors.reshape(0, 0)
    labels, classification_codes = np.unique([row[2] for row in rows], return_inverse=True)
    document_index: dict[str, int] = {}
    document_codes = np.fromiter(
        (document_index.setdefault(row[1], len(document_index)) for row in rows),
        dtype=np.int64,
        count=len(rows),
    )
    return _Matrix(version, ids, vectors, classification_codes, list(labels), document_codes, document_index)


def _matrix(connection: Connection, tenant_id: str, model: str) -> _Matrix:
    """The cached matrix of a tenant, reloaded when the version token written by the triggers changed."""
    version = connection.execute(
        text("SELECT version FROM search_versions WHERE tenant_id = :tenant_id"), {"tenant_id": tenant_id}
    ).scalar()
    key = (str(connection.engine.url), tenant_id, model)
    with _matrices_lock:
        cached = _matrices.get(key)
        if cached is not None and cached.version == version:
            _matrices.move_to_end(key)
            return cached
        matrix = _load_matrix(connection, tenant_id, model, version)
        _matrices[key] = matrix
        if len(_matrices) > MATRIX_CACHE_TENANTS:
            _matrices.popitem(last=False)
        return matrix


def _dense_in_memory(
    connection: Connection,
    vector: np.ndarray,
    model: str,
    tenant_id: str,
    classifications: Collection[str],
    document_ids: Collection[str] | None,
    limit: int,
) -> Ranking:
    """Exact cosine search over the tenant's matrix: a few milliseconds for 50,000 passages."""
    matrix = _matrix(connection, tenant_id, model)
    if not len(matrix.ids):
        return []
    visible = set(classifications)
    allowed = [i for i, label in enumerate(matrix.classification_labels) if label in visible]
    mask = np.isin(matrix.classification_codes, allowed)
    if document_ids is not None:
        wanted = [matrix.document_index[d] for d in document_ids if d in matrix.document_index]
        mask &= np.isin(matrix.document_codes, wanted)
    count = min(limit, int(mask.sum()))
    if count == 0:
        return []
    scores = np.where(mask, matrix.vectors @ vector, -np.inf)
    top = np.argpartition(-scores, count - 1)[:count]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [(int(matrix.ids[i]), float(scores[i])) for i in top]


def _dense_pgvector(
    connection: Connection,
    vector: np.ndarray,
    model: str,
    tenant_id: str,
    classifications: Collection[str],
    document_ids: Collection[str] | None,
    limit: int,
) -> Ranking:
    """HNSW search; when the filters leave fewer hits than asked (pgvector 0.6 filters after the
    index scan), an exact scan of the tenant's rows fills the list."""
    clause, params = _filters(tenant_id, classifications, document_ids)
    params.update(vector="[" + ",".join(f"{x:.7g}" for x in vector) + "]", model=model, limit=limit)
    connection.execute(text("SELECT set_config('hnsw.ef_search', :ef, true)"), {"ef": str(HNSW_EF_SEARCH)})
    base = (
        "SELECT e.id, 1 - (e.embedding <=> CAST(:vector AS vector)) AS score FROM search_entries e "
        f"WHERE {clause} AND e.embedding_model = :model AND e.embedding IS NOT NULL "
    )
    indexed = base + "ORDER BY e.embedding <=> CAST(:vector AS vector) LIMIT :limit"
    ranking = [(int(r[0]), float(r[1])) for r in connection.execute(_expanding(indexed, params), params)]
    if len(ranking) < limit:
        # "+ 0" makes the ordering expression differ from the index's, forcing an exact scan.
        exact = base + "ORDER BY (e.embedding <=> CAST(:vector AS vector)) + 0 LIMIT :limit"
        ranking = [(int(r[0]), float(r[1])) for r in connection.execute(_expanding(exact, params), params)]
    return ranking


def _dense(
    connection: Connection,
    query: str,
    tenant_id: str,
    classifications: Collection[str],
    document_ids: Collection[str] | None,
    limit: int,
) -> Ranking:
    if not query.strip():
        return []
    embedder = get_embedder()
    vector = embedder.embed_query(query)
    dense = _dense_pgvector if connection.dialect.name == "postgresql" else _dense_in_memory
    return dense(connection, vector, embedder.name, tenant_id, classifications, document_ids, limit)


def _hits(session: Session, ranking: Ranking) -> list[SearchHit]:
    if not ranking:
        return []
    rows = session.execute(
        select(SearchEntry.id, Chunk, Document.title)
        .join(Chunk, Chunk.id == SearchEntry.chunk_id)
        .join(Document, Document.id == Chunk.document_id)
        .where(SearchEntry.id.in_([entry_id for entry_id, _score in ranking]))
    ).all()
    found = {entry_id: (chunk, title) for entry_id, chunk, title in rows}
    hits = []
    for entry_id, score in ranking:
        if entry_id not in found:
            continue
        chunk, title = found[entry_id]
        hits.append(
            SearchHit(
                chunk_id=chunk.id,
                document_id=chunk.document_id,
                title=title,
                page=chunk.page,
                heading_path=chunk.heading_path,
                text=chunk.text,
                char_start=chunk.char_start,
                char_end=chunk.char_end,
                classification=chunk.classification,
                score=score if math.isfinite(score) else 0.0,
                instructions=chunk.instructions,
            )
        )
    return hits


def search(
    session: Session,
    query: str,
    *,
    tenant_id: str,
    classifications: Collection[str] | None = None,
    limit: int = 10,
    mode: Mode = "hybrid",
    document_ids: Collection[str] | None = None,
    fusion: Fusion = DEFAULT,
    reranker: Reranker | None = None,
) -> list[SearchHit]:
    """The passages of ``tenant_id`` best matching ``query`` among those the session may read.

    What the reader may read is the session's clearance (a citizen's session: ``{"public"}``); an
    unscoped session (CLI, evaluation) reads every classification. ``classifications`` narrows the
    search further (an empty collection finds nothing) and can never widen it; ``document_ids``
    narrows it to some documents. The query is read as a person reads it (:mod:`balise.normalisation`),
    as the passages were when indexed. With a ``reranker`` the first passages found are put in its
    order (:mod:`balise.search.rerank`); their ``score`` stays the search's.
    """
    query = normalise(query).text
    scoped = session.info.get("tenant_id")
    if scoped is not None and scoped != tenant_id:
        raise Forbidden("You cannot search the documents of another municipality.")
    clearance = clearance_of(session)
    readable = set(CLASSIFICATION_ORDER) if clearance is None else set(clearance)
    if classifications is not None:
        readable &= set(classifications)
    classifications = sorted(readable)
    if not classifications or limit <= 0 or (document_ids is not None and not document_ids):
        return []
    connection = session.connection()
    args = (connection, query, tenant_id, classifications, document_ids)
    wanted = limit if reranker is None else max(limit, reranker.candidates)
    if mode == "lexical":
        ranking = _lexical(*args, wanted)
    elif mode == "dense":
        ranking = _dense(*args, wanted)
    else:
        candidates = max(wanted, HYBRID_CANDIDATES)
        ranking = fuse(_lexical(*args, candidates), _dense(*args, candidates), fusion)[:wanted]
    hits = _hits(session, ranking)
    return hits if reranker is None else reranked(query, hits, reranker)[:limit]
