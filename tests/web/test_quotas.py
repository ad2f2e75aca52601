"""Quotas and budgets, driven by the official ``openai`` client through the door and by the staff pages.

The model behind Balise is the loopback OpenAI-compatible server, which records every request it
receives: a refused request must never reach it. The server counts one token per word (its answer,
« Réponse fondée sur la source [1]. », is 6), so the figures below are known in advance.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import openai
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from balise.audit.models import AuditEntry
from balise.db import open_session, tenant_session
from balise.gateway import ModelUsage, UsageQuota
from balise.tenancy import Tenant
from tests.support.openai_server import OpenAIServer
from tests.support.quotas import set_quota
from tests.support.web import Member, csrf_of, sign_in
from tests.web.conftest import Person

HELLO = [{"role": "user", "content": "Bonjour, pouvez-vous résumer ceci ?"}]  # 5 words
LONG = [{"role": "user", "content": " ".join(["mot"] * 20)}]  # 20 words


def usage_of(engine: Engine, tenant: Tenant) -> list[ModelUsage]:
    with tenant_session(tenant.id, engine) as session:
        return list(session.scalars(select(ModelUsage).order_by(ModelUsage.created_at)))


def chat(caller: Person, messages: list[dict[str, str]] = HELLO, **options: Any) -> Any:
    """A chat request of ``caller`` through the door to the loopback model."""
    return caller.client.chat.completions.create(model="Modèle local", messages=messages, **options)  # type: ignore[arg-type]


@pytest.fixture
def served(
    make_tenant: Callable[..., Tenant], openai_server: OpenAIServer, use_model: Callable[..., None]
) -> Tenant:
    """A new municipality whose default model is the loopback server."""
    tenant = make_tenant()
    use_model(tenant, openai_server)
    return tenant


def test_a_persons_requests_per_minute_are_refused_past_the_limit_in_french_before_the_model(
    person: Callable[..., Person], served: Tenant, openai_server: OpenAIServer, engine: Engine
):
    tenant = served
    limited, colleague = person(tenant, "Urbanisme"), person(tenant, "Urbanisme")
    set_quota(engine, tenant, "person", user_id=limited.user.id, requests_per_minute="3")
    for _ in range(3):
        chat(limited)
    with pytest.raises(openai.RateLimitError) as refused:
        chat(limited)
    body = refused.value.body
    assert isinstance(body, dict) and refused.value.status_code == 429
    assert (body["type"], body["code"]) == ("rate_limit_error", "rate_limit_exceeded")
    message = body["message"]
    assert "votre quota personnel est atteint (requêtes par minute : 3)" in message
    wait = re.search(r"Réessayez dans (\d+) s", message)
    assert wait is not None and 1 <= int(wait.group(1)) <= 60
    assert refused.value.response.headers["retry-after"] == wait.group(1)
    with pytest.raises(openai.RateLimitError):  # refused before a stream begins, with its status
        chat(limited, stream=True)
    assert len(openai_server.requests) == 3  # the model never received the refused ones
    chat(colleague)
    assert len(openai_server.requests) == 4  # a personal quota limits its person only
    rows = usage_of(engine, tenant)
    assert [(r.user_id, r.outcome) for r in rows] == [(limited.user.id, "ok")] * 3 + [
        (colleague.user.id, "ok")
    ]
    assert {(r.service, r.tool) for r in rows} == {("Urbanisme", "api/openai-python")}


def test_tokens_per_day_of_every_person_stop_the_next_request_until_midnight(
    person: Callable[..., Person], served: Tenant, openai_server: OpenAIServer, engine: Engine
):
    tenant = served
    first, second = person(tenant), person(tenant)
    set_quota(engine, tenant, "person", tokens_per_day="8")  # every person: 8 tokens a day
    answer = chat(first)
    assert answer.usage is not None and answer.usage.total_tokens == 11  # crosses the limit: it finishes
    with pytest.raises(openai.RateLimitError) as refused:
        chat(first)
    body = refused.value.body
    assert isinstance(body, dict) and body["code"] == "insufficient_quota"
    assert (
        "votre quota personnel est atteint (jetons par jour : 8 ; utilisés aujourd’hui : 11)"
        in body["message"]
    )
    assert "remis à zéro le" in body["message"] and "00:00 (UTC)" in body["message"]
    assert refused.value.response.headers["x-should-retry"] == "false"  # the client would retry for nothing
    chat(second)
    assert len(openai_server.requests) == 2


def test_a_services_monthly_budget_stops_its_people_and_no_one_else(
    person: Callable[..., Person],
    make_tenant: Callable[..., Tenant],
    openai_server: OpenAIServer,
    use_model: Callable[..., None],
    engine: Engine,
):
    tenant = make_tenant()
    use_model(tenant, openai_server, price_per_1k_tokens=2.0, currency="CAD")
    spender, colleague, elsewhere = (
        person(tenant, "Urbanisme"),
        person(tenant, "Urbanisme"),
        person(tenant, "Loisirs"),
    )
    set_quota(engine, tenant, "service", service="Urbanisme", money_per_month="0,02")
    answer = chat(spender, LONG)
    assert answer.usage is not None and answer.usage.total_tokens == 26  # 0.052 $: past the budget
    with pytest.raises(openai.RateLimitError) as refused:
        chat(colleague)
    message = refused.value.body["message"]  # type: ignore[index]
    assert "le budget de votre service « Urbanisme » est atteint" in message
    assert "par mois : 0,02" in message and "dépensé ce mois-ci : 0,05" in message
    assert "modèle sans frais" in message
    chat(elsewhere)
    assert len(openai_server.requests) == 2
    costs = {r.user_id: (r.cost, r.currency) for r in usage_of(engine, tenant)}
    assert costs[spender.user.id] == (pytest.approx(0.052), "CAD")
    assert costs[elsewhere.user.id] == (pytest.approx(0.022), "CAD")


def test_the_staff_pages_share_the_quota_and_show_the_same_french_message(
    person: Callable[..., Person],
    served: Tenant,
    openai_server: OpenAIServer,
    app,
    engine: Engine,  # type: ignore[no-untyped-def]
):
    tenant = served
    staff = person(tenant, "Greffe")
    set_quota(engine, tenant, "municipality", requests_per_minute="1")
    chat(staff)
    browser = TestClient(app, headers={"accept": "text/html"})
    sign_in(browser, staff.user.email)
    page = browser.post(
        "/assistant/revision",
        data={
            "csrf_token": csrf_of(browser),
            "text": "la collecte a lieu le le mardi.",
            "mode": "correct",
            "action": "send",
        },
    )
    assert page.status_code == 200
    assert "le quota de votre municipalité est atteint (requêtes par minute : 1)" in page.text
    assert "Réessayez dans" in page.text
    api = browser.post(
        "/api/assistant/revise",
        json={"text": "la collecte a lieu le le mardi.", "mode": "correct"},
        headers={"authorization": f"Bearer {staff.token}", "accept": "application/json"},
    )
    assert api.status_code == 429 and api.json()["error"] == "rate_limit_exceeded"
    assert len(openai_server.requests) == 1
    browser.close()


def test_an_administrator_sets_and_removes_a_quota_on_the_page_and_both_are_audited(
    make_member: Callable[..., Member], engine: Engine
):
    admin = make_member("admin")
    page = admin.client.get("/admin/quotas")
    assert page.status_code == 200 and "Quotas et budgets" in page.text
    refused = admin.client.post(
        "/admin/quotas",
        data={"csrf_token": csrf_of(admin.client), "scope": "municipality", "tokens_per_day": "beaucoup"},
    )
    assert refused.status_code == 422 and "« beaucoup » n’est pas un nombre entier" in refused.text
    saved = admin.client.post(
        "/admin/quotas",
        data={
            "csrf_token": csrf_of(admin.client),
            "scope": "municipality",
            "requests_per_minute": "120",
            "money_per_month": "1 250,50",
            "currency": "CAD",
        },
    )
    assert saved.status_code == 200 and "Le quota a été enregistré." in saved.text
    assert "Toute la municipalité" in saved.text and re.search(r"1\s250,50", saved.text)
    with tenant_session(admin.tenant.id, engine) as session:
        (quota,) = session.scalars(select(UsageQuota))
        assert (quota.requests_per_minute, quota.tokens_per_day, quota.money_per_month) == (120, None, 1250.5)
    removed = admin.client.post(
        f"/admin/quotas/{quota.id}/retirer",
        data={"csrf_token": csrf_of(admin.client)},
        follow_redirects=False,
    )
    assert removed.status_code == 303
    assert "Aucun quota" in admin.client.get("/admin/quotas").text
    with open_session(engine) as session:
        actions = list(
            session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.tenant_id == admin.tenant.id, AuditEntry.action.like("quota.%"))
                .order_by(AuditEntry.seq)
            )
        )
    assert actions == ["quota.saved", "quota.removed"]
