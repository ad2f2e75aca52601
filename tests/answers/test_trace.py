"""The trace of a resident's answer: what search returned with scores, what the reader chose, the
policy, the closest validated answer, the findings with their fix, and the question asked again."""

from __future__ import annotations

from sqlalchemy import Engine, select

from balise.answers import Draft, ValidatedAnswer, create
from balise.citizen import CitizenExchange, answer, give_feedback
from balise.db import tenant_session
from balise.documents import Document
from balise.tenancy import Tenant
from tests.answers.conftest import csrf_in
from tests.citizen.conftest import Member

QUESTION = "Quand passe le ramassage des encombrants ?"


def test_a_not_useful_answer_is_traced_then_fixed_and_asked_again(
    app, engine: Engine, city: Tenant, make_member
) -> None:  # type: ignore[no-untyped-def]
    with tenant_session(city.id, engine) as session:
        reply = answer(session, session.merge(city), QUESTION, "resident-trace-1")
        give_feedback(session, session.merge(city), "resident-trace-1", reply.exchange_id, "not_useful")
        session.commit()
        trace = session.get(CitizenExchange, reply.exchange_id).trace
        assert trace["passages"][0]["title"] == "Collecte des ordures"
        assert isinstance(trace["passages"][0]["score"], float)
        assert trace["policy"] == {"outcome": "allow"} and trace["reader"]["kind"] == "extractive"
        waste = session.scalars(select(Document.id).where(Document.title == "Collecte des ordures")).one()
    reviewer: Member = make_member("reviewer", tenant=city)
    page = reviewer.client.get(f"/citoyens/echanges/{reply.exchange_id}/trace")
    assert page.status_code == 200
    assert QUESTION in page.text and "Passages renvoyés par la recherche" in page.text
    assert "Collecte des ordures" in page.text and "Le citoyen a jugé la réponse pas utile" in page.text
    assert "/citoyens/publication" in page.text
    with tenant_session(city.id, engine) as session:
        made = create(
            session,
            session.merge(city),
            Draft(QUESTION, "Le premier lundi de chaque mois, sur inscription.", [waste]),
            actor="reviewer",
        )
        session.commit()
    again = reviewer.client.post(
        f"/citoyens/echanges/{reply.exchange_id}/relancer", data={"csrf_token": csrf_in(page.text)}
    )
    assert again.status_code == 200
    shown = again.text[again.text.index("Posée de nouveau maintenant") :]
    assert "Le premier lundi de chaque mois" in shown and "(donnée)" in shown
    with tenant_session(city.id, engine) as session:
        session.delete(session.get(ValidatedAnswer, made.id))
        session.commit()


def test_a_question_sent_to_a_person_by_the_scope_rules_says_so(
    app, engine: Engine, city: Tenant, make_member
) -> None:  # type: ignore[no-untyped-def]
    with tenant_session(city.id, engine) as session:
        reply = answer(session, session.merge(city), "Où en est ma demande de permis ?", "resident-trace-2")
        session.commit()
    manager: Member = make_member("manager", tenant=city)
    page = manager.client.get(f"/citoyens/echanges/{reply.exchange_id}/trace")
    assert "avant toute recherche" in page.text
    employee: Member = make_member("employee", tenant=city)
    assert employee.client.get(f"/citoyens/echanges/{reply.exchange_id}/trace").status_code == 403
