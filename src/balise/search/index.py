"""Writing the indexes: lexical entries and vectors for chunks, and their removal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Table, bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from balise.documents.models import Chunk
from balise.errors import BaliseError
from balise.search.analysis import index_text
from balise.search.embeddings import Embedder, get_embedder
from balise.search.models import EMBEDDING_DIM, SearchEntry

if TYPE_CHECKING:
    from balise.search.query import SearchHit

WRITE_BATCH = 256


class EmbeddingDimensionMismatch(BaliseError):
    """The configured model's vectors do not fit the database's vector column."""

    status = 500
    code = "embedding_dimension_mismatch"


def passage_text(chunk: Chunk | SearchHit) -> str:
    """What both indexes (and a reranking model) see of a chunk: its heading path (which starts with
    the document title) and its text, since a passage alone often does not name its subject."""
    return f"{chunk.heading_path}\n{chunk.text}" if chunk.heading_path else chunk.text


def check_dimension(session: Session, embedder: Embedder) -> None:
    if session.get_bind().dialect.name == "postgresql" and embedder.dim != EMBEDDING_DIM:
        raise EmbeddingDimensionMismatch(
            "The embedding model gives {dim} dimensions but the database stores {expected}. "
            "Choose a {expected}-dimension model.",
            dim=embedder.dim,
            expected=EMBEDDING_DIM,
        )


def _write_lexical(session: Session, entries: list[SearchEntry], bodies: list[str]) -> None:
    rows = [{"id": entry.id, "body": body} for entry, body in zip(entries, bodies, strict=True)]
    if session.get_bind().dialect.name == "postgresql":
        statement = "UPDATE search_entries SET tsv = to_tsvector('simple', %(body)s) WHERE id = %(id)s"
    else:
        statement = "INSERT INTO search_fts (rowid, body) VALUES (:id, :body)"
    session.connection().exec_driver_sql(statement, rows)


def index_chunks(session: Session, chunks: Sequence[Chunk], *, embed: bool = True) -> None:
    """Index chunks already flushed in ``session``; re-indexing a chunk replaces its entry.

    With ``embed=False`` only the lexical index is written (fast ingestion); :func:`embed_missing`
    adds the vectors later.
    """
    embedder = get_embedder() if embed else None
    if embedder is not None:
        check_dimension(session, embedder)
    for start in range(0, len(chunks), WRITE_BATCH):
        batch = chunks[start : start + WRITE_BATCH]
        session.execute(delete(SearchEntry).where(SearchEntry.chunk_id.in_([c.id for c in batch])))
        texts = [passage_text(chunk) for chunk in batch]
        vectors = embedder.embed_passages(texts) if embedder is not None else None
        entries = [
            SearchEntry(
                tenant_id=chunk.tenant_id,
                chunk_id=chunk.id,
                document_id=chunk.document_id,
                classification=chunk.classification,
                embedding=None if vectors is None else vectors[i],
                embedding_model=None if embedder is None else embedder.name,
            )
            for i, chunk in enumerate(batch)
        ]
        session.add_all(entries)
        session.flush()
        _write_lexical(session, entries, [index_text(text) for text in texts])


def embed_missing(session: Session, tenant_id: str, batch: int = 64) -> int:
    """Embed a tenant's entries that have no vector of the current model; returns how many.

    Also re-embeds vectors of another model, so changing ``embedding_model`` only needs this pass.
    """
    embedder = get_embedder()
    check_dimension(session, embedder)
    done = 0
    while True:
        rows = session.execute(
            select(SearchEntry.id, Chunk)
            .join(Chunk, Chunk.id == SearchEntry.chunk_id)
            .where(
                SearchEntry.tenant_id == tenant_id,
                (SearchEntry.embedding_model.is_(None)) | (SearchEntry.embedding_model != embedder.name),
            )
            .order_by(SearchEntry.id)
            .limit(batch)
        ).all()
        if not rows:
            return done
        vectors = embedder.embed_passages([passage_text(chunk) for _id, chunk in rows])
        session.execute(
            update(SearchEntry),
            [
                {"id": entry_id, "embedding": vector, "embedding_model": embedder.name}
                for (entry_id, _chunk), vector in zip(rows, vectors, strict=True)
            ],
        )
        done += len(rows)


def remove_document(session: Session, document_id: str) -> None:
    """Drop a document's entries from both indexes (deleting its chunks does it too, by cascade)."""
    session.execute(delete(SearchEntry).where(SearchEntry.document_id == document_id))


def passages_without_vectors(
    session: Session, document_id: str, model: str, limit: int
) -> list[tuple[int, str]]:
    """(entry id, passage text) of a document's entries with no vector of ``model``, oldest first.

    Ingestion embeds these in batches outside any transaction, so it reads them in a short one.
    """
    rows = session.execute(
        select(SearchEntry.id, Chunk)
        .join(Chunk, Chunk.id == SearchEntry.chunk_id)
        .where(
            SearchEntry.document_id == document_id,
            (SearchEntry.embedding_model.is_(None)) | (SearchEntry.embedding_model != model),
        )
        .order_by(SearchEntry.id)
        .limit(limit)
    ).all()
    return [(int(entry_id), passage_text(chunk)) for entry_id, chunk in rows]


def store_vectors(session: Session, entry_ids: Sequence[int], vectors: Sequence[object], model: str) -> None:
    """Writes vectors computed outside the transaction; an entry deleted meanwhile is skipped."""
    table = SearchEntry.__table__
    assert isinstance(table, Table)
    statement = (
        update(table)
        .where(table.c.id == bindparam("entry_id"))
        .values(embedding=bindparam("vector", type_=table.c.embedding.type), embedding_model=model)
    )
    session.execute(
        statement,
        [
            {"entry_id": entry_id, "vector": vector}
            for entry_id, vector in zip(entry_ids, vectors, strict=True)
        ],
    )


def vector_counts(session: Session, document_ids: Sequence[str]) -> dict[str, int]:
    """How many passages of each document have a vector: what a document's page shows as progress."""
    rows = session.execute(
        select(SearchEntry.document_id, func.count())
        .where(SearchEntry.document_id.in_(list(document_ids)), SearchEntry.embedding.is_not(None))
        .group_by(SearchEntry.document_id)
    )
    return {document_id: count for document_id, count in rows}


def follow_classification(session: Session, document_id: str, classification: str) -> None:
    """Gives a reclassified document's entries their new level (no re-embedding: the text is unchanged)."""
    session.execute(
        update(SearchEntry)
        .where(SearchEntry.document_id == document_id)
        .values(classification=classification)
    )
