"""Indexing and searching on the real database (SQLite, or PostgreSQL with ``--db postgresql``)."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, delete, func, select, text, update

from balise.db import tenant_session
from balise.documents.models import Chunk, Document
from balise.errors import Forbidden
from balise.search import embed_missing, remove_document, search
from balise.search.models import SearchEntry
from balise.tenancy.models import Tenant

from .conftest import AddDocument

WASTE = (
    "La collecte des ordures ménagères a lieu le mardi matin. Les bacs doivent être sortis la veille "
    "au soir. Les déchets recyclables sont ramassés le jeudi."
)
BUDGET = "Le budget municipal prévoit la rénovation de l'école primaire et de la bibliothèque."
PERMIT = "Une demande de permis de construire est nécessaire pour agrandir une maison de plus de 20 m²."
ALL = {"public", "internal", "confidential", "personal"}


@pytest.fixture
def tenant_id(make_tenant: Callable[..., Tenant]) -> str:
    return make_tenant().id


def titles(engine: Engine, tenant_id: str, query: str, **options: object) -> list[str]:
    options.setdefault("classifications", ALL)
    with tenant_session(tenant_id, engine) as session:
        return [hit.title for hit in search(session, query, tenant_id=tenant_id, **options)]  # type: ignore[arg-type]


def lexical_rows(engine: Engine) -> int:
    """Rows in the lexical index, whatever the engine keeps it in."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            return int(connection.scalar(text("SELECT count(*) FROM search_entries WHERE tsv IS NOT NULL")))
        return int(connection.scalar(text("SELECT count(*) FROM search_fts")))


@pytest.mark.parametrize("mode", ["lexical", "dense", "hybrid"])
def test_each_mode_finds_the_relevant_document(
    engine: Engine, tenant_id: str, add_document: AddDocument, mode: str
) -> None:
    add_document(tenant_id, "Collecte des déchets", WASTE)
    add_document(tenant_id, "Budget 2025", BUDGET)
    add_document(tenant_id, "Urbanisme", PERMIT)
    assert titles(engine, tenant_id, "Quel jour passe le camion des ordures ?", mode=mode)[0] == (
        "Collecte des déchets"
    )


def test_hit_carries_what_a_citation_needs(engine: Engine, tenant_id: str, add_document: AddDocument) -> None:
    document_id = add_document(tenant_id, "Urbanisme", PERMIT, classification="internal")
    with tenant_session(tenant_id, engine) as session:
        hit = search(session, "permis de construire", tenant_id=tenant_id, classifications={"internal"})[0]
    assert (hit.document_id, hit.title, hit.classification, hit.heading_path) == (
        document_id,
        "Urbanisme",
        "internal",
        "Urbanisme",
    )
    assert PERMIT[hit.char_start : hit.char_end] == hit.text
    assert math.isfinite(hit.score)  # hybrid scores are z-scores within the result list


def test_lexical_search_folds_accents_and_stems(
    engine: Engine, tenant_id: str, add_document: AddDocument
) -> None:
    add_document(tenant_id, "Budget 2025", BUDGET)
    assert titles(engine, tenant_id, "renovations ecoles", mode="lexical") == ["Budget 2025"]


def test_lexical_search_matches_any_term(engine: Engine, tenant_id: str, add_document: AddDocument) -> None:
    add_document(tenant_id, "Budget 2025", BUDGET)
    assert titles(engine, tenant_id, "bibliothèque xylophone zeppelin", mode="lexical") == ["Budget 2025"]


def test_query_of_stop_words_only_finds_nothing_lexically(
    engine: Engine, tenant_id: str, add_document: AddDocument
) -> None:
    add_document(tenant_id, "Budget 2025", BUDGET)
    assert titles(engine, tenant_id, "de la et le", mode="lexical") == []


@pytest.mark.parametrize("mode", ["lexical", "dense", "hybrid"])
def test_citizen_only_sees_public_documents(
    engine: Engine, tenant_id: str, add_document: AddDocument, mode: str
) -> None:
    add_document(tenant_id, "Collecte des déchets", WASTE, classification="public")
    for classification in ("internal", "confidential", "personal"):
        add_document(tenant_id, f"Collecte {classification}", WASTE, classification=classification)
    found = titles(engine, tenant_id, "collecte des ordures", mode=mode, classifications={"public"})
    assert found == ["Collecte des déchets"]


@pytest.mark.parametrize("mode", ["lexical", "dense", "hybrid"])
def test_another_tenant_never_sees_the_documents(
    engine: Engine, make_tenant: Callable[..., Tenant], add_document: AddDocument, mode: str
) -> None:
    first, second = make_tenant().id, make_tenant().id
    add_document(first, "Collecte des déchets", WASTE)
    add_document(second, "Urbanisme", PERMIT)
    assert titles(engine, second, "collecte des ordures ménagères", mode=mode) == ["Urbanisme"] * (
        mode != "lexical"
    )


def test_session_of_another_tenant_is_refused(
    engine: Engine, make_tenant: Callable[..., Tenant], add_document: AddDocument
) -> None:
    first, second = make_tenant().id, make_tenant().id
    add_document(first, "Collecte des déchets", WASTE)
    with tenant_session(second, engine) as session, pytest.raises(Forbidden):
        search(session, "ordures", tenant_id=first, classifications={"public"})


@pytest.mark.parametrize("mode", ["lexical", "dense", "hybrid"])
def test_document_filter(engine: Engine, tenant_id: str, add_document: AddDocument, mode: str) -> None:
    add_document(tenant_id, "Collecte des déchets", WASTE)
    budget = add_document(tenant_id, "Budget 2025", BUDGET)
    assert titles(engine, tenant_id, "ordures budget", mode=mode, document_ids=[budget]) == ["Budget 2025"]
    assert titles(engine, tenant_id, "ordures", mode=mode, document_ids=[]) == []


def test_no_classification_finds_nothing(engine: Engine, tenant_id: str, add_document: AddDocument) -> None:
    add_document(tenant_id, "Collecte des déchets", WASTE)
    assert titles(engine, tenant_id, "ordures", classifications=set()) == []


def test_new_documents_are_found_by_dense_search_at_once(
    engine: Engine, tenant_id: str, add_document: AddDocument
) -> None:
    add_document(tenant_id, "Collecte des déchets", WASTE)
    assert titles(engine, tenant_id, "permis pour agrandir ma maison", mode="dense", limit=1) == [
        "Collecte des déchets"
    ]
    add_document(tenant_id, "Urbanisme", PERMIT)
    assert titles(engine, tenant_id, "permis pour agrandir ma maison", mode="dense", limit=1) == ["Urbanisme"]


def test_remove_document_leaves_no_index_rows(
    engine: Engine, tenant_id: str, add_document: AddDocument
) -> None:
    before = lexical_rows(engine)
    budget = add_document(tenant_id, "Budget 2025", BUDGET)
    add_document(tenant_id, "Urbanisme", PERMIT)
    with tenant_session(tenant_id, engine) as session:
        remove_document(session, budget)
        session.commit()
        assert session.scalar(select(func.count()).select_from(SearchEntry)) == 1
    assert lexical_rows(engine) == before + 1
    for mode in ("lexical", "dense", "hybrid"):
        assert "Budget 2025" not in titles(engine, tenant_id, "budget école", mode=mode)


def test_deleting_a_document_cascades_to_the_index(
    engine: Engine, tenant_id: str, add_document: AddDocument
) -> None:
    before = lexical_rows(engine)
    budget = add_document(tenant_id, "Budget 2025", BUDGET)
    with tenant_session(tenant_id, engine) as session:
        session.execute(delete(Document).where(Document.id == budget))
        session.commit()
        assert session.scalar(select(func.count()).select_from(SearchEntry)) == 0
    assert lexical_rows(engine) == before
    assert titles(engine, tenant_id, "budget école") == []


def test_reclassifying_chunks_updates_the_index(
    engine: Engine, tenant_id: str, add_document: AddDocument
) -> None:
    budget = add_document(tenant_id, "Budget 2025", BUDGET, classification="public")
    assert titles(engine, tenant_id, "budget", classifications={"public"}) == ["Budget 2025"]
    with tenant_session(tenant_id, engine) as session:
        session.execute(
            update(Chunk).where(Chunk.document_id == budget).values(classification="confidential")
        )
        session.commit()
    for mode in ("lexical", "dense", "hybrid"):
        assert titles(engine, tenant_id, "budget", mode=mode, classifications={"public"}) == []


def test_embed_missing_fills_vectors_later(engine: Engine, tenant_id: str, add_document: AddDocument) -> None:
    add_document(tenant_id, "Collecte des déchets", WASTE, embed=False)
    add_document(tenant_id, "Urbanisme", PERMIT, embed=False)
    assert titles(engine, tenant_id, "permis pour agrandir ma maison", mode="dense") == []
    assert titles(engine, tenant_id, "permis de construire", mode="lexical") == ["Urbanisme"]
    with tenant_session(tenant_id, engine) as session:
        assert embed_missing(session, tenant_id, batch=1) == 2
        session.commit()
        assert embed_missing(session, tenant_id) == 0
    assert titles(engine, tenant_id, "permis pour agrandir ma maison", mode="dense")[0] == "Urbanisme"


def test_reindexing_a_chunk_replaces_its_entry(
    engine: Engine, tenant_id: str, add_document: AddDocument
) -> None:
    from balise.search import index_chunks

    budget = add_document(tenant_id, "Budget 2025", BUDGET)
    before = lexical_rows(engine)
    with tenant_session(tenant_id, engine) as session:
        chunks = list(session.scalars(select(Chunk).where(Chunk.document_id == budget)))
        index_chunks(session, chunks)
        session.commit()
        assert session.scalar(select(func.count()).select_from(SearchEntry)) == len(chunks)
    assert lexical_rows(engine) == before
    assert titles(engine, tenant_id, "budget école") == ["Budget 2025"]
