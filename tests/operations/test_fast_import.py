"""A tenant export carries its passage vectors; an import with the same model reuses them instead of
embedding every passage again, and one with another model computes them."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine, select

from balise.db import make_engine, migrate, open_session, tenant_session
from balise.operations.portability import export_tenant, import_tenant
from balise.operations.vectors import VECTOR_CHUNKS, VECTORS
from balise.search.embeddings import get_embedder
from balise.search.models import SearchEntry
from balise.search.query import search
from balise.tenancy.models import Tenant
from tests.assistant.conftest import AddDocument, add_document  # noqa: F401

LEAVES = (
    "# Collecte des feuilles mortes\n\n## Calendrier\n\n"
    "La collecte des feuilles mortes a lieu chaque lundi de novembre, dans des sacs en papier.\n\n"
    "## Branches\n\nLes branches de moins de deux mètres sont ramassées au printemps.\n"
)


@pytest.fixture
def exported(
    engine: Engine,
    make_tenant: Callable[..., Tenant],
    add_document: AddDocument,  # noqa: F811
    tmp_path: Path,
) -> tuple[Path, Tenant]:
    tenant = make_tenant("Ville exportée")
    add_document(tenant.id, "Feuilles mortes", LEAVES)
    archive = tmp_path / "export.zip"
    export_tenant(engine, tenant.slug, archive)
    return archive, tenant


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Engine]:
    """Another deployment: its own database at the same schema revision."""
    other = make_engine(f"sqlite:///{tmp_path / 'target.db'}")
    migrate(other)
    yield other
    other.dispose()


def _vectors(engine: Engine, tenant_id: str) -> dict[str, tuple[np.ndarray | None, str | None]]:
    with open_session(engine) as session:
        rows = session.execute(
            select(SearchEntry.chunk_id, SearchEntry.embedding, SearchEntry.embedding_model).where(
                SearchEntry.tenant_id == tenant_id
            )
        ).all()
    return {chunk: (vector, model) for chunk, vector, model in rows}


def _count_passage_embeddings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    embedder = get_embedder()
    calls: list[int] = []
    original = embedder.embed_passages

    def counted(texts: list[str]) -> np.ndarray:
        calls.append(len(texts))
        return original(texts)

    monkeypatch.setattr(embedder, "embed_passages", counted)
    return calls


def test_the_same_model_reuses_the_exported_vectors_and_search_works(
    engine: Engine, exported: tuple[Path, Tenant], target: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive, tenant = exported
    with zipfile.ZipFile(archive) as packed:
        manifest = json.loads(packed.read("manifest.json"))
        chunks = json.loads(packed.read(VECTOR_CHUNKS))
        assert VECTORS in manifest["files"]
    embedder = get_embedder()
    assert manifest["embedding"]["name"] == embedder.name
    assert manifest["embedding"]["dimension"] == embedder.dim
    assert manifest["embedding"]["count"] == len(chunks)
    calls = _count_passage_embeddings(monkeypatch)
    summary = import_tenant(target, archive)
    assert calls == []  # not one passage embedded again
    assert (summary.vectors_reused, summary.vectors_computed) == (len(chunks), 0)
    source, imported = _vectors(engine, tenant.id), _vectors(target, tenant.id)
    assert set(imported) == set(source) == set(chunks)
    for chunk, (vector, model) in imported.items():
        assert model == embedder.name and vector is not None
        assert np.array_equal(vector, source[chunk][0])
    with tenant_session(tenant.id, target) as session:
        for mode in ("dense", "hybrid"):
            hits = search(session, "quand ramasse-t-on les feuilles ?", tenant_id=tenant.id, mode=mode)
            assert hits and "feuilles mortes" in hits[0].text, mode


def test_another_model_computes_the_vectors_again(
    exported: tuple[Path, Tenant], target: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive, tenant = exported
    embedder = get_embedder()
    monkeypatch.setattr(embedder, "name", "openai/another-model")
    calls = _count_passage_embeddings(monkeypatch)
    summary = import_tenant(target, archive)
    chunks = len(_vectors(target, tenant.id))
    assert sum(calls) == chunks > 0 and summary.vectors_reused == 0 and summary.vectors_computed == chunks
    assert {model for _vector, model in _vectors(target, tenant.id).values()} == {"openai/another-model"}


def test_damaged_vectors_are_computed_again(
    exported: tuple[Path, Tenant], target: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Vectors of the wrong shape (a hand-edited export) are not trusted: the import embeds instead."""
    archive, _tenant = exported
    edited = tmp_path / "edited.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(edited, "w") as copy:
        manifest = json.loads(source.read("manifest.json"))
        for name in source.namelist():
            data = source.read(name)
            if name == VECTORS:
                matrix = np.load(io.BytesIO(data))
                packed = io.BytesIO()
                np.save(packed, matrix[:, :-1])
                data = packed.getvalue()
                manifest["files"][name] = hashlib.sha256(data).hexdigest()
            if name != "manifest.json":
                copy.writestr(name, data)
        copy.writestr("manifest.json", json.dumps(manifest))
    calls = _count_passage_embeddings(monkeypatch)
    summary = import_tenant(target, edited)
    assert summary.vectors_reused == 0 and sum(calls) == summary.vectors_computed > 0
