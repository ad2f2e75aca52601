"""Issue 28 for residents and staff: answers laid out as read, and a visible caution on weak support.

One municipality holds the waste collection notice, the watering bylaw and a council summary that does
not speak of the école Sainte Famille; all are public and approved, so residents and staff read the same
library.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from balise.db import open_session
from balise.tenancy import Tenant, set_public_contact
from tests.assistant.conftest import WASTE, WATERING, _adder
from tests.citizen.conftest import CONTACT, approve_document
from tests.support.web import Member, csrf_of

COUNCIL = (
    "Conseil municipal de Saint-Balise — résumé de la séance du 14 octobre\n\n"
    "Présents : Monsieur le Maire, Philippe Saurel, et les conseillers municipaux. "
    "Le conseil a adopté le budget de la Ville pour l'année suivante et désigné les représentants au "
    "comité de circulation."
)
SCHOOL = "Qui représente la Ville à l'école Sainte Famille ?"
WATER_HOURS = "À quelle heure puis-je arroser ma pelouse ?"
WASTE_DAY = "Quel jour a lieu la collecte des ordures ménagères ?"


@pytest.fixture(scope="module")
def town(engine: Engine) -> Tenant:
    with open_session(engine) as session:
        tenant = Tenant(slug=f"ville-{uuid.uuid4().hex[:10]}", name="Ville de Saint-Balise")
        session.add(tenant)
        session.flush()
        set_public_contact(session, tenant, CONTACT, actor="test")
        session.commit()
    add = _adder(engine)
    for title, text in (
        ("Collecte des ordures", WASTE),
        ("Règlement sur l'arrosage", WATERING),
        ("Résumé du conseil municipal", COUNCIL),
    ):
        approve_document(engine, tenant.id, add(tenant.id, title, text))
    return tenant


def _api(app, town: Tenant, question: str) -> dict:  # type: ignore[no-untyped-def]
    response = TestClient(app).post(
        f"/api/public/{town.slug}/ask", json={"question": question, "session_id": "resident-layout-1"}
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_the_resident_answer_opens_on_a_sentence_one_paragraph_each_and_no_marker(app, town: Tenant) -> None:  # type: ignore[no-untyped-def]
    data = _api(app, town, WASTE_DAY)
    paragraphs = data["answer"].split("\n\n")
    assert paragraphs[0].startswith("La collecte des ordures ménagères a lieu chaque mardi")
    assert len(paragraphs) == len(set(paragraphs))
    assert not re.search(r"\[\d+\]", data["answer"])
    assert data["caution"] is False
    keys = ["answer", "citations", "disclosure", "human_contact", "redirected_to_human", "reason"]
    assert list(data)[:6] == keys and "exchange_id" in data and "masked" in data


def test_the_resident_watering_answer_has_no_town_hall_sentence_and_no_caution(app, town: Tenant) -> None:  # type: ignore[no-untyped-def]
    data = _api(app, town, WATER_HOURS)
    assert "20 h et 23 h" in data["answer"]
    assert "collecte" not in data["answer"] and "bacs" not in data["answer"]
    assert data["caution"] is False


def test_an_answer_from_an_unrelated_council_summary_is_marked_to_verify(app, town: Tenant) -> None:  # type: ignore[no-untyped-def]
    data = _api(app, town, SCHOOL)
    if data["redirected_to_human"]:
        pytest.fail(f"the reader abstained ({data['reason']}): the example needs an answer to caution")
    assert data["caution"] is True
    assert data["reason"] == ""  # the contract's reason stays empty for an answer
    client = TestClient(app, headers={"accept": "text/html", "accept-language": "fr-CA"})
    page = client.get(f"/public/{town.slug}/assistant")
    client.post(
        f"/public/{town.slug}/assistant/consentement",
        data={"choice": "yes", "csrf_token": _csrf(page.text)},
        follow_redirects=False,
    )
    page = client.get(f"/public/{town.slug}/assistant")
    answered = client.post(
        f"/public/{town.slug}/assistant", data={"question": SCHOOL, "csrf_token": _csrf(page.text)}
    )
    assert 'class="caution"' in answered.text and "À vérifier" in answered.text
    config = TestClient(app).get(f"/api/public/{town.slug}/config").json()
    assert "À vérifier" in config["texts"]["caution"]


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, page
    return match.group(1)


def test_the_staff_page_lays_out_the_fact_then_each_sentence_with_a_spaced_marker(
    make_member: Callable[..., Member], town: Tenant
) -> None:
    member = make_member("employee", tenant=town)
    page = member.client.post(
        "/assistant/question",
        data={"question": WATER_HOURS, "action": "send", "csrf_token": csrf_of(member.client)},
    ).text
    answer = page[page.index('<div class="answer">') :]
    answer = answer[: answer.index("</div>")]
    paragraphs = re.findall(r"<p>(.*?)</p>", answer, re.S)
    assert len(paragraphs) >= 2
    assert re.fullmatch(r"[^<.]+ <a class=\"cite\".*", paragraphs[0], re.S)  # the bare fact first
    assert "20 h et 23 h." in paragraphs[1]
    assert all(re.search(r"\S <a class=\"cite\"", p) for p in paragraphs)
    assert "collecte" not in answer
    assert "caution" not in page[: page.index('<div class="answer">')]
    api = member.client.post(
        "/api/assistant/ask", json={"question": SCHOOL}, headers={"X-CSRF-Token": csrf_of(member.client)}
    ).json()
    assert api["caution"] is True
    shown = member.client.post(
        "/assistant/question",
        data={"question": SCHOOL, "action": "send", "csrf_token": csrf_of(member.client)},
    ).text
    assert 'class="warn-box caution"' in shown and "À vérifier" in shown
