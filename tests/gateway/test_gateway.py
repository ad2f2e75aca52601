"""The gateway against a real OpenAI-compatible server on loopback: routing, privacy, fallbacks."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from balise.db import tenant_session
from balise.gateway import (
    BreakerBoard,
    Completion,
    Gateway,
    ModelUsage,
    NoAllowedBackend,
    Passage,
    list_backends,
    register_backend,
)
from balise.guard.privacy import ChatMessage, GuardedPrompt, get_guard
from balise.i18n import use_locale
from balise.tenancy.models import Tenant
from tests.support.openai_server import OpenAIServer

PASSAGES = [
    Passage(
        1,
        "c1",
        "d1",
        "Règlement sur le déneigement",
        3,
        "Le stationnement de nuit est interdit du 1er décembre au 31 mars. "
        "Les contrevenants reçoivent une amende de 100 $.",
    ),
    Passage(
        2,
        "c2",
        "d2",
        "Collecte des ordures",
        None,
        "La collecte des ordures ménagères a lieu le mardi. Les bacs doivent être au chemin avant 7 h.",
    ),
]
RAW_NAME, RAW_EMAIL = "Gilberte Tremblay", "gilberte.tremblay@example.org"


def guarded(
    question: str = "Quand le stationnement de nuit est-il interdit ?", personal: bool = True
) -> GuardedPrompt:
    """What the privacy guard hands over (its public API is the only way to get one)."""
    sources = "\n".join(f"[{p.number}] {p.text}" for p in PASSAGES)
    asker = f"Question de {RAW_NAME} ({RAW_EMAIL}) : " if personal else "Question : "
    messages: list[ChatMessage] = [
        {"role": "system", "content": "Réponds en citant les sources [n]."},
        {"role": "user", "content": f"{sources}\n\n{asker}{question}"},
    ]
    prompt = get_guard().protect(messages)
    assert prompt.contains_placeholders == personal
    return prompt


@pytest.fixture
def tenant(make_tenant: Callable[..., Tenant]) -> Tenant:
    return make_tenant()


@pytest.fixture
def session(engine: Engine, tenant: Tenant) -> Iterator[Session]:
    with tenant_session(tenant.id, engine) as session:
        yield session
        session.commit()


# The loopback server answers in milliseconds; a loaded CI machine may still take seconds. Tests of
# timeouts set their own short one against a server that waits far longer.
GENEROUS_TIMEOUT_S = 60.0


def add(session: Session, tenant: Tenant, server: OpenAIServer, **fields: Any) -> None:
    values: dict[str, Any] = {
        "name": "local",
        "endpoint": server.base_url,
        "model": "fake-model",
        "hosting": "on_premises",
        "max_classification": "internal",
        "allows_masked_personal": True,
        "timeout_s": GENEROUS_TIMEOUT_S,
        "max_retries": 0,
    }
    values.update(fields)
    register_backend(session, tenant.id, **values)


def ask(gateway: Gateway, **kwargs: Any) -> Completion:
    args: dict[str, Any] = {
        "classification": "internal",
        "task": "ask",
        "passages": PASSAGES,
        "question": "Quand le stationnement de nuit est-il interdit ?",
    }
    args.update(kwargs)
    return gateway.complete(args.pop("prompt", guarded()), **args)


def usage(session: Session) -> list[ModelUsage]:
    return list(session.scalars(select(ModelUsage).order_by(ModelUsage.created_at)))


def test_without_a_model_the_extractive_backend_answers_with_citations(session: Session) -> None:
    completion = ask(Gateway(session, session.info["tenant_id"]))
    assert completion.kind == "extractive" and completion.backend == "extractive"
    assert completion.label == "Extrait des documents" and completion.notice is None
    assert completion.citations[0].number == 1 and completion.citations[0].quote in PASSAGES[0].text
    assert usage(session)[-1].outcome == "extractive"


def test_generative_answer_sees_only_placeholders_and_reports_its_footprint(
    session: Session, tenant: Tenant, openai_server: OpenAIServer
) -> None:
    add(session, tenant, openai_server, hosting="quebec", wh_per_1k_tokens=0.5)
    completion = ask(Gateway(session, tenant.id))
    assert completion.kind == "generative" and completion.backend == "local" and completion.notice is None
    assert "[PERSONNE_1]" in completion.text and "[COURRIEL_1]" in completion.text  # the model echoed them
    seen = openai_server.received_text()
    assert "[PERSONNE_1]" in seen and RAW_NAME not in seen and RAW_EMAIL not in seen
    assert [c.number for c in completion.citations] == [1]
    assert completion.citations[0].quote in PASSAGES[0].text
    footprint = completion.footprint
    assert footprint.tokens_in > 0 and footprint.tokens_out > 0
    assert footprint.wh == pytest.approx((footprint.tokens_in + footprint.tokens_out) / 1000 * 0.5, rel=1e-3)
    assert footprint.gco2e == pytest.approx(footprint.wh / 1000 * 1.7, rel=1e-3)
    row = usage(session)[-1]
    assert (row.backend, row.outcome, row.tokens_in, row.task) == ("local", "ok", footprint.tokens_in, "ask")
    assert not {"text", "prompt", "answer"} & set(ModelUsage.__table__.columns.keys())


def test_refuses_data_above_the_backend_classification_and_falls_back_with_the_reason(
    session: Session, tenant: Tenant, openai_server: OpenAIServer
) -> None:
    add(session, tenant, openai_server, max_classification="internal")
    gateway = Gateway(session, tenant.id)
    with pytest.raises(NoAllowedBackend) as refused:
        gateway.choose("confidential", has_personal=False)
    assert "local" in str(refused.value) and "interne" in str(refused.value)
    completion = ask(gateway, classification="confidential")
    assert completion.kind == "extractive" and completion.notice == refused.value.localized()
    assert openai_server.requests == [] and usage(session)[-1].outcome == "fallback_refused"


def test_a_backend_with_an_unknown_ceiling_receives_nothing(
    session: Session, tenant: Tenant, openai_server: OpenAIServer
) -> None:
    add(session, tenant, openai_server, max_classification="confidential")
    (backend,) = list_backends(session, tenant.id)
    backend.max_classification = "secret"  # a row edited by hand, past the registry's validation
    session.flush()
    with pytest.raises(NoAllowedBackend):
        Gateway(session, tenant.id).choose("public", has_personal=False)
    assert openai_server.requests == []


def test_masked_personal_information_only_goes_where_allowed_and_stays_in_the_jurisdiction(
    session: Session, tenant: Tenant, openai_server: OpenAIServer
) -> None:
    add(session, tenant, openai_server, name="no-personal", allows_masked_personal=False)
    add(session, tenant, openai_server, name="foreign", hosting="abroad", allows_masked_personal=True)
    gateway = Gateway(session, tenant.id)
    assert gateway.choose("internal", has_personal=False).name == "no-personal"  # the default
    with pytest.raises(NoAllowedBackend) as refused:
        gateway.choose("internal", has_personal=True)
    message = str(refused.value)
    assert "même masqués" in message and "hors du territoire" in message
    with use_locale("en"):
        assert "even masked" in refused.value.localized()
    ask(gateway)  # the prompt has placeholders: nothing may be sent
    assert openai_server.requests == []


def test_prefers_the_default_then_local_hosting(
    session: Session, tenant: Tenant, openai_server: OpenAIServer
) -> None:
    add(session, tenant, openai_server, name="abroad", hosting="abroad")
    add(session, tenant, openai_server, name="canada", hosting="canada")
    add(session, tenant, openai_server, name="quebec", hosting="quebec")
    gateway = Gateway(session, tenant.id)
    assert gateway.choose("public", has_personal=False).name == "abroad"  # first registered = default
    assert gateway.choose("public", has_personal=True).name == "quebec"  # personal stays in Quebec


@pytest.mark.parametrize("behaviour", ["error", "slow", "malformed", "disconnect"])
@pytest.mark.parametrize("streaming", [False, True])
def test_backend_failures_end_in_the_extractive_answer_with_a_notice_and_never_hang(
    session: Session, tenant: Tenant, behaviour: str, streaming: bool
) -> None:
    slow = behaviour == "slow"
    # The slow server holds its answer far longer than both the timeout and the bound on the wait;
    # the other failures get a generous timeout, so that a loaded machine cannot turn them into
    # timeouts (the reason the notice gives is checked below).
    with OpenAIServer(behaviour, delay=120.0) as server:  # type: ignore[arg-type]
        add(session, tenant, server, timeout_s=0.5 if slow else 30.0)
        gateway = Gateway(session, tenant.id, breakers=BreakerBoard())
        started = time.monotonic()
        if streaming:
            items = list(
                gateway.stream(
                    guarded(),
                    classification="internal",
                    task="ask",
                    passages=PASSAGES,
                    question="Quand le stationnement de nuit est-il interdit ?",
                )
            )
            completion = items[-1]
            assert isinstance(completion, Completion)
        else:
            completion = ask(gateway)
        elapsed = time.monotonic() - started
    assert elapsed < 30  # not the 120 s the slow server waits, nor the 30 s timeout of the others
    assert completion.kind == "extractive" and completion.citations
    assert completion.notice is not None and "local" in completion.notice
    assert ("trop de temps" in completion.notice) == slow
    (row,) = usage(session)
    assert row.outcome.startswith("fallback_") and (row.outcome == "fallback_timeout") == slow


def test_a_stream_cut_midway_keeps_the_partial_deltas_and_ends_with_the_fallback(
    session: Session, tenant: Tenant, openai_server: OpenAIServer
) -> None:
    openai_server.behaviour = "disconnect"
    add(session, tenant, openai_server)
    items = list(
        Gateway(session, tenant.id, breakers=BreakerBoard()).stream(
            guarded(), classification="internal", task="ask", passages=PASSAGES
        )
    )
    *deltas, final = items
    assert deltas and all(isinstance(d, str) for d in deltas)
    assert "Réponse" in "".join(str(d) for d in deltas)
    assert isinstance(final, Completion) and final.kind == "extractive" and final.notice


def test_streaming_yields_deltas_then_the_completion(
    session: Session, tenant: Tenant, openai_server: OpenAIServer
) -> None:
    add(session, tenant, openai_server)
    *deltas, final = list(
        Gateway(session, tenant.id).stream(
            guarded(), classification="internal", task="ask", passages=PASSAGES
        )
    )
    assert isinstance(final, Completion) and final.kind == "generative"
    assert "".join(str(d) for d in deltas) == final.text
    assert final.footprint.tokens_out == len(final.text.split())  # usage reported by the server
    assert openai_server.requests[-1]["stream"] is True


def test_on_delta_streams_through_complete(
    session: Session, tenant: Tenant, openai_server: OpenAIServer
) -> None:
    add(session, tenant, openai_server)
    received: list[str] = []
    completion = ask(Gateway(session, tenant.id), on_delta=received.append)
    assert len(received) > 1 and "".join(received) == completion.text


def test_retries_with_backoff_then_succeeds(session: Session, tenant: Tenant) -> None:
    with OpenAIServer(fail_first=2) as server:
        add(session, tenant, server, max_retries=2)
        completion = ask(Gateway(session, tenant.id, breakers=BreakerBoard()))
        assert completion.kind == "generative" and len(server.requests) == 3


def test_a_server_that_let_the_timeout_run_out_is_not_asked_again(session: Session, tenant: Tenant) -> None:
    with OpenAIServer(behaviour="slow") as server:
        add(session, tenant, server, timeout_s=0.5, max_retries=2)
        started = time.monotonic()
        completion = ask(Gateway(session, tenant.id, breakers=BreakerBoard()))
        assert completion.kind != "generative" and len(server.requests) == 1
        assert time.monotonic() - started < 10, "one timeout, not three"


def test_circuit_opens_after_repeated_failures_and_half_opens_after_the_cool_down(
    session: Session, tenant: Tenant, openai_server: OpenAIServer
) -> None:
    now = [1000.0]
    breakers = BreakerBoard(threshold=2, cooldown_s=30, clock=lambda: now[0])
    openai_server.behaviour = "error"
    add(session, tenant, openai_server)
    gateway = Gateway(session, tenant.id, breakers=breakers)
    ask(gateway)
    ask(gateway)
    assert len(openai_server.requests) == 2
    skipped = ask(gateway)  # open: the server is not even called
    assert len(openai_server.requests) == 2 and skipped.notice is not None and "pause" in skipped.notice
    assert usage(session)[-1].outcome == "fallback_circuit_open"
    now[0] += 31  # half-open: one probe goes through
    openai_server.behaviour = "echo"
    assert ask(gateway).kind == "generative" and len(openai_server.requests) == 3
    assert ask(gateway).kind == "generative"  # closed again


def test_summarise_falls_back_to_an_extractive_summary(session: Session) -> None:
    completion = Gateway(session, session.info["tenant_id"]).complete(
        guarded("Résume", personal=False),
        classification="public",
        task="summarise",
        passages=PASSAGES,
        audience="plain",
    )
    assert completion.kind == "extractive" and completion.citations
    assert all(c.quote in PASSAGES[c.number - 1].text for c in completion.citations)


def test_api_key_is_sent_to_the_server_but_never_shown(
    session: Session, tenant: Tenant, openai_server: OpenAIServer
) -> None:
    add(session, tenant, openai_server, api_key="sk-secret-123")
    ask(Gateway(session, tenant.id))
    assert openai_server.headers[-1]["authorization"] == "Bearer sk-secret-123"


def test_only_guarded_prompts_are_accepted(session: Session) -> None:
    with pytest.raises(TypeError):
        ask(Gateway(session, session.info["tenant_id"]), prompt={"messages": []})
    with pytest.raises(PermissionError):
        GuardedPrompt((), {}, {}, b"forged")


def test_one_municipality_never_uses_another_ones_models(
    engine: Engine, make_tenant: Callable[..., Tenant], openai_server: OpenAIServer
) -> None:
    first, second = make_tenant(), make_tenant()
    with tenant_session(first.id, engine) as session:
        add(session, first, openai_server)
        session.commit()
    with tenant_session(second.id, engine) as session:
        assert ask(Gateway(session, second.id)).kind == "extractive"
    assert openai_server.requests == []


def test_a_reader_leaving_mid_stream_does_not_jam_a_half_open_circuit(
    session: Session, tenant: Tenant, openai_server: OpenAIServer
) -> None:
    now = [0.0]
    breakers = BreakerBoard(threshold=1, cooldown_s=10, clock=lambda: now[0])
    add(session, tenant, openai_server)
    gateway = Gateway(session, tenant.id, breakers=breakers)
    openai_server.behaviour = "error"
    ask(gateway)  # opens the circuit
    now[0] += 11
    openai_server.behaviour = "echo"
    stream = gateway.stream(guarded(), classification="internal", task="ask", passages=PASSAGES)
    next(stream)  # the probe has started answering
    stream.close()  # and the reader left
    assert ask(gateway).kind == "generative"  # another probe was let through
