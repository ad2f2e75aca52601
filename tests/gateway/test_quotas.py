"""Quotas counted in the usage ledger: exact under concurrent requests on SQLite and PostgreSQL, the most
specific quota of each scope, the door's tool names, and the settings' checks."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select

from balise.db import open_session, tenant_session
from balise.errors import Invalid
from balise.gateway import Attribution, Completion, Footprint, Gateway, ModelUsage, QuotaExceeded
from balise.gateway.door_checks import tool_of
from balise.gateway.quota_settings import save_quota
from balise.gateway.quotas import applicable
from balise.tenancy import Tenant, User, create_user
from tests.support.quotas import set_quota

LIMIT, CALLERS = 3, 8


def _person(engine: Engine, tenant: Tenant, service: str = "") -> User:
    with open_session(engine) as session:
        user = create_user(
            session,
            session.merge(tenant),
            f"q-{tenant.slug}-{service or 'x'}@example.org",
            "x" * 12,
            "employee",
            service=service,
        )
        session.commit()
        return user


def _attempt() -> Completion:
    return Completion(
        text="", backend="local", kind="generative", model="m", footprint=Footprint(tokens_in=10)
    )


def test_concurrent_requests_never_get_past_a_quota(engine: Engine, make_tenant: Callable[..., Tenant]):
    """Eight requests at once against three per minute: three reserved, five refused, on either engine."""
    tenant = make_tenant()
    user = _person(engine, tenant, "Urbanisme")
    set_quota(engine, tenant, "service", service="Urbanisme", requests_per_minute=str(LIMIT))
    start = threading.Barrier(CALLERS)
    outcomes: list[str] = []

    def call() -> None:
        with tenant_session(tenant.id, engine) as session:
            gateway = Gateway(session, tenant.id, attribution=Attribution(user.id, "Urbanisme", "test"))
            start.wait()
            try:
                gateway.reserve(_attempt(), "api_chat", "internal")
                outcomes.append("reserved")
            except QuotaExceeded:
                outcomes.append("refused")
            session.commit()

    threads = [threading.Thread(target=call) for _ in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert sorted(outcomes) == ["refused"] * (CALLERS - LIMIT) + ["reserved"] * LIMIT
    with tenant_session(tenant.id, engine) as session:
        rows = list(session.scalars(select(ModelUsage)))
    assert [(r.outcome, r.user_id, r.service, r.tokens_in) for r in rows] == [
        ("pending", user.id, "Urbanisme", 10)
    ] * LIMIT


def test_a_reservation_inside_a_transaction_that_already_writes_neither_waits_nor_is_lost(
    engine: Engine, make_tenant: Callable[..., Tenant]
):
    """SQLite's one write lock is the caller's already: the reservation joins its transaction."""
    tenant = make_tenant()
    user = _person(engine, tenant)
    set_quota(engine, tenant, "person", user_id=user.id, requests_per_minute="1")
    who = Attribution(user.id, "", "test")
    with tenant_session(tenant.id, engine) as session:
        gateway = Gateway(session, tenant.id, attribution=who)
        extracts = Completion(text="", backend="extractive", kind="extractive")
        gateway.record(extracts, "ask", "internal", time.monotonic(), "extractive")  # a write first
        started = time.monotonic()
        reservation = gateway.reserve(_attempt(), "ask", "internal")
        assert time.monotonic() - started < 10 and reservation.usage_id is not None
        session.commit()
    with tenant_session(tenant.id, engine) as session:
        with pytest.raises(QuotaExceeded):
            Gateway(session, tenant.id, attribution=who).reserve(_attempt(), "ask", "internal")
        assert session.get(ModelUsage, reservation.usage_id) is not None


def test_calls_for_no_person_or_under_no_quota_reserve_nothing(
    engine: Engine, make_tenant: Callable[..., Tenant]
):
    tenant = make_tenant()
    user = _person(engine, tenant)
    set_quota(engine, tenant, "municipality", requests_per_minute="0")
    with tenant_session(tenant.id, engine) as session:
        resident = Gateway(session, tenant.id, attribution=Attribution(None, "", "citizen"))
        assert resident.reserve(_attempt(), "ask", "public").usage_id is None  # residents are never refused
        staff = Gateway(session, tenant.id, attribution=Attribution(user.id, "", "assistant"))
        with pytest.raises(QuotaExceeded) as refused:
            staff.reserve(_attempt(), "ask", "internal")
        assert "n’autorise aucune requête" in refused.value.localized()
        assert list(session.scalars(select(ModelUsage))) == []


def test_each_scope_applies_its_most_specific_quota(engine: Engine, make_tenant: Callable[..., Tenant]):
    tenant = make_tenant()
    own, other = _person(engine, tenant, "Urbanisme"), _person(engine, tenant, "Loisirs")
    set_quota(engine, tenant, "person", requests_per_minute="10")
    set_quota(engine, tenant, "person", user_id=own.id, requests_per_minute="2")
    set_quota(engine, tenant, "service", tokens_per_day="1000")
    set_quota(engine, tenant, "service", service="Urbanisme", tokens_per_day="50")
    set_quota(engine, tenant, "municipality", money_per_month="100")
    with tenant_session(tenant.id, engine) as session:
        mine = applicable(session, tenant.id, Attribution(own.id, "Urbanisme", "api"))
        theirs = applicable(session, tenant.id, Attribution(other.id, "Loisirs", "api"))
        serviceless = applicable(session, tenant.id, Attribution(other.id, "", "api"))
    assert [(q.scope, q.requests_per_minute, q.tokens_per_day) for q in mine] == [
        ("person", 2, None),
        ("service", None, 50),
        ("municipality", None, None),
    ]
    assert [(q.scope, q.requests_per_minute, q.tokens_per_day) for q in theirs] == [
        ("person", 10, None),
        ("service", None, 1000),
        ("municipality", None, None),
    ]
    assert [q.scope for q in serviceless] == ["person", "municipality"]


@pytest.mark.parametrize(
    ("declared", "agent", "tool"),
    [
        ("", "OpenAI/Python 1.54.0", "api/openai-python"),
        ("", "OpenAI/JS 4.67.0", "api/openai-js"),
        ("", "curl/8.5.0", "api/curl"),
        ("Continue", "node-fetch/1.0", "api/continue"),
        ("Mon outil <script>", "", "api/mon-outil-script"),
        ("", "", "api"),
    ],
)
def test_the_door_names_a_tool_by_its_header_else_its_user_agent(declared: str, agent: str, tool: str):
    assert tool_of(declared, agent) == tool


def test_a_quota_needs_a_limit_a_member_and_whole_numbers(engine: Engine, make_tenant: Callable[..., Tenant]):
    tenant, stranger_town = make_tenant(), make_tenant()
    stranger = _person(engine, stranger_town)
    with tenant_session(tenant.id, engine) as session:
        for fields, words in [
            ({}, "au moins une limite"),
            ({"requests_per_minute": "2,5"}, "Requêtes par minute"),
            ({"money_per_month": "-3"}, "Budget par mois"),
            ({"money_per_month": "10", "currency": "XYZ"}, "devise"),
            ({"scope": "person", "user_id": stranger.id, "tokens_per_day": "5"}, "aucun rôle"),
        ]:
            arguments = {
                "scope": "municipality",
                "user_id": "",
                "service": "",
                "requests_per_minute": "",
                "tokens_per_day": "",
                "money_per_month": "",
                "currency": "CAD",
                **fields,
            }
            with pytest.raises(Invalid) as refused:
                save_quota(session, tenant.id, actor="test", **arguments)
            assert words in refused.value.localized()
