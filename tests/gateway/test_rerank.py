"""The municipality's reranking server, on a real loopback server: it reorders search as its scores
say, reads only what a model may read, and its failures leave search as it is without it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, select, update

from balise.db import tenant_session
from balise.documents.models import Chunk
from balise.gateway import BreakerBoard, Gateway, ModelUsage, register_backend, reranker_for
from balise.gateway import connection as connection_module
from balise.gateway.connection import check_connection
from balise.gateway.rerank import GatewayReranker
from balise.guard.privacy import get_guard
from balise.search import search
from balise.tenancy.models import Tenant
from tests.search.conftest import AddDocument
from tests.support.openai_server import OpenAIServer
from tests.support.ports import refused_port
from tests.support.rerank_server import RerankServer

QUESTION = "Quand passe la collecte des ordures ?"
DOCUMENTS = {
    "Collecte du mardi": "La collecte des ordures ménagères passe le mardi matin dans tous les quartiers.",
    "Collecte du jeudi": "La collecte des ordures passe aussi le jeudi pour les commerces du centre.",
    "Écocentre": "L’écocentre reçoit les matières de recyclage que la collecte des ordures ne prend pas.",
}
UNIQUE_WORD = {"Collecte du mardi": "mardi", "Collecte du jeudi": "jeudi", "Écocentre": "recyclage"}
FAVOURED = "recyclage"


@pytest.fixture
def tenant(make_tenant: Callable[..., Tenant], add_document: AddDocument) -> Tenant:
    tenant = make_tenant()
    for title, text in DOCUMENTS.items():
        add_document(tenant.id, title, text)
    return tenant


def register(engine: Engine, tenant: Tenant, server: RerankServer, **fields: Any) -> None:
    with tenant_session(tenant.id, engine) as session:
        server.register(session, tenant.id, **fields)
        session.commit()


def titles(engine: Engine, tenant: Tenant, query: str = QUESTION, *, rerank: bool = True) -> list[str]:
    with tenant_session(tenant.id, engine) as session:
        reranker = reranker_for(session, tenant.id) if rerank else None
        hits = search(session, query, tenant_id=tenant.id, limit=3, reranker=reranker)
        session.commit()
    return [hit.title for hit in hits]


def outcomes(engine: Engine, tenant: Tenant) -> list[str]:
    with tenant_session(tenant.id, engine) as session:
        rows = session.scalars(select(ModelUsage).where(ModelUsage.kind == "rerank")).all()
        return sorted(f"{row.task}:{row.outcome}" for row in rows)


@pytest.mark.parametrize("provider", ["rerank", "rerank-tei"])
def test_the_server_orders_search_as_its_scores_say(
    engine: Engine,
    tenant: Tenant,
    rerank_server: RerankServer,
    provider: str,
) -> None:
    fused = titles(engine, tenant, rerank=False)
    rerank_server.favoured = UNIQUE_WORD[fused[-1]]  # the server prefers what fusion put last
    register(engine, tenant, rerank_server, provider=provider)
    assert titles(engine, tenant) == [fused[-1], *fused[:-1]]
    (body,) = rerank_server.requests
    if provider == "rerank-tei":
        assert set(body) == {"query", "texts", "truncate"} and len(body["texts"]) == 3
    else:
        assert body["model"] == "bge-reranker" and body["top_n"] == len(body["documents"]) == 3
    assert outcomes(engine, tenant) == ["search:ok"]


@pytest.mark.parametrize("behaviour", ["down", "error", "garbage", "partial", "slow"])
def test_a_failing_server_leaves_search_as_it_is_without_one(
    engine: Engine,
    tenant: Tenant,
    rerank_server: RerankServer,
    behaviour: str,
) -> None:
    rerank_server.favoured = FAVOURED
    expected = titles(engine, tenant, rerank=False)
    with refused_port() as port:
        url = f"http://127.0.0.1:{port}" if behaviour == "down" else rerank_server.base_url
        # A refused connection fails at once: the down server gets a limit a loaded machine cannot
        # reach before it, so that it is told apart from a slow one.
        register(engine, tenant, rerank_server, endpoint=url, timeout_s=5.0 if behaviour == "down" else 0.3)
        if behaviour != "down":
            rerank_server.behaviour = behaviour  # type: ignore[assignment]
        get_guard()  # loaded before timing: spaCy takes seconds to load, once per process
        started = time.monotonic()
        assert titles(engine, tenant) == expected
        assert time.monotonic() - started < 2.5  # the time limit holds, whatever the server does
    reason = {"down": "unreachable", "error": "error", "slow": "timeout"}.get(behaviour, "bad_response")
    assert outcomes(engine, tenant) == [f"search:fallback_{reason}"]


def test_a_server_that_keeps_failing_is_skipped(
    engine: Engine,
    tenant: Tenant,
    rerank_server: RerankServer,
) -> None:
    rerank_server.behaviour = "error"
    register(engine, tenant, rerank_server)
    breakers = BreakerBoard(threshold=2, cooldown_s=60)
    with tenant_session(tenant.id, engine) as session:
        registered = reranker_for(session, tenant.id)
        assert registered is not None
        reranker = GatewayReranker(Gateway(session, tenant.id), registered.backend, 20, breakers)
        fused = [h.title for h in search(session, QUESTION, tenant_id=tenant.id, limit=3)]
        for _ in range(4):
            hits = search(session, QUESTION, tenant_id=tenant.id, limit=3, reranker=reranker)
            assert [h.title for h in hits] == fused
        session.commit()
    assert len(rerank_server.requests) == 2
    assert outcomes(engine, tenant) == ["search:fallback_circuit_open"] * 2 + ["search:fallback_error"] * 2


# --- what the server may read -----------------------------------------------------------------------


@pytest.fixture
def library(make_tenant: Callable[..., Tenant], add_document: AddDocument) -> Iterator[Tenant]:
    """Public, internal and personal passages, each with the favoured word."""
    tenant = make_tenant()
    add_document(tenant.id, "Guide", "Le guide du recyclage explique la collecte des ordures.")
    add_document(
        tenant.id, "Note interne", "Note interne sur la collecte des ordures et le recyclage.", "internal"
    )
    add_document(
        tenant.id,
        "Plainte",
        "Plainte sur la collecte des ordures et le recyclage, écrite par gilberte.tremblay@example.org.",
    )
    yield tenant


def test_the_server_reads_only_passages_of_the_classifications_it_is_approved_for(
    engine: Engine,
    library: Tenant,
    rerank_server: RerankServer,
) -> None:
    register(engine, library, rerank_server, max_classification="public", allows_masked_personal=True)
    rerank_server.favoured = FAVOURED
    fused = titles(engine, library, "collecte des ordures recyclage", rerank=False)
    reranked = titles(engine, library, "collecte des ordures recyclage")
    received = rerank_server.received_text()
    assert "Note interne" not in received and "Guide" in received
    assert reranked.index("Note interne") == fused.index("Note interne")  # kept its place


def test_personal_information_is_never_sent_as_written(
    engine: Engine,
    library: Tenant,
    rerank_server: RerankServer,
) -> None:
    """Masked to a server allowed masked personal information; not sent at all to one that is not."""
    register(engine, library, rerank_server, allows_masked_personal=True)
    titles(engine, library, "collecte des ordures recyclage")
    masked = rerank_server.received_text()
    assert "[COURRIEL_1]" in masked and "gilberte.tremblay@example.org" not in masked

    other = RerankServer().start()
    try:
        with tenant_session(library.id, engine) as session:
            registered = reranker_for(session, library.id)
            assert registered is not None
            registered.backend.endpoint, registered.backend.allows_masked_personal = other.base_url, False
            session.commit()
        titles(engine, library, "collecte des ordures recyclage")
        assert other.requests and "COURRIEL" not in other.received_text()
        assert "des ordures et le recyclage, écrite par" not in other.received_text()
        before = len(other.requests)
        titles(engine, library, "collecte des ordures, écrire à gilberte.tremblay@example.org")
        assert len(other.requests) == before  # a question holding personal information is not sent
    finally:
        other.stop()


def test_passages_carrying_instructions_to_an_ai_are_never_sent(
    engine: Engine,
    library: Tenant,
    rerank_server: RerankServer,
) -> None:
    with tenant_session(library.id, engine) as session:
        session.execute(update(Chunk).where(Chunk.text.like("Le guide%")).values(instructions=True))
        session.commit()
    register(engine, library, rerank_server)
    titles(engine, library, "collecte des ordures recyclage")
    assert rerank_server.requests and "Le guide du recyclage" not in rerank_server.received_text()


# --- the connection test ------------------------------------------------------------------------------


def checked(
    engine: Engine, tenant: Tenant, server: RerankServer, url: str, **fields: Any
) -> tuple[bool, str]:
    register(engine, tenant, server, endpoint=url, **fields)
    with tenant_session(tenant.id, engine) as session:
        reranker = reranker_for(session, tenant.id)
        assert reranker is not None
        check = check_connection(reranker.backend)
    return check.ok, check.message


def test_the_connection_test_scores_two_test_passages(
    engine: Engine,
    make_tenant: Callable[..., Tenant],
    rerank_server: RerankServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(connection_module, "CONNECTION_TIMEOUT_S", 60.0)  # a loaded machine may be slow
    ok, message = checked(engine, make_tenant(), rerank_server, rerank_server.base_url, provider="rerank-tei")
    assert ok and "La connexion fonctionne : le serveur de reclassement a noté deux passages" in message
    assert "ordures" in rerank_server.received_text()


@pytest.mark.parametrize(
    ("behaviour", "provider", "fragment"),
    [
        ("down", "rerank", "est injoignable"),
        ("error", "rerank", "pas comme un serveur de reclassement (HTTP 500)"),
        ("garbage", "rerank", "pas avec une note par passage"),
        ("partial", "rerank-tei", "pas avec une note par passage"),
        ("tei_only", "rerank", "Choisissez le fournisseur rerank-tei"),
        ("slow", "rerank", "Aucune réponse de"),
    ],
)
def test_the_connection_test_says_what_is_wrong_in_french(
    engine: Engine,
    make_tenant: Callable[..., Tenant],
    rerank_server: RerankServer,
    monkeypatch: pytest.MonkeyPatch,
    behaviour: str,
    provider: str,
    fragment: str,
) -> None:
    monkeypatch.setattr(connection_module, "CONNECTION_TIMEOUT_S", 0.3)
    rerank_server.delay = 2.0
    with refused_port() as port:
        url = f"http://127.0.0.1:{port}" if behaviour == "down" else rerank_server.base_url
        if behaviour != "down":
            rerank_server.behaviour = behaviour  # type: ignore[assignment]
        ok, message = checked(engine, make_tenant(), rerank_server, url, provider=provider)
    assert not ok and fragment in message, message


def test_an_embedding_server_is_tested_and_told_apart_from_the_search_index(
    engine: Engine, make_tenant: Callable[..., Tenant], openai_server: OpenAIServer
) -> None:
    tenant = make_tenant()
    with tenant_session(tenant.id, engine) as session:
        backend = register_backend(
            session,
            tenant.id,
            name="Vecteurs",
            endpoint=openai_server.base_url,
            model="bge-m3",
            provider="openai-embeddings",
            hosting="on_premises",
        )
        check = check_connection(backend)
        session.commit()
    assert check.ok and "vectorise avec le modèle bge-m3 (8 dimensions)" in check.message
    assert "La recherche garde le modèle avec lequel son index a été construit" in check.message
