"""The reviewers' pages: residents' frequent questions (masked) without an answer, writing one from
them, the list with statuses, editing, re-validating; employees may not open them."""

from __future__ import annotations

import re

from sqlalchemy import Engine, select

from balise.answers import EXPIRED, ValidatedAnswer
from balise.citizen import answer
from balise.db import tenant_session, utcnow
from balise.documents import Document
from balise.review import save_output
from balise.review.models import Status as ReviewStatus
from balise.tenancy import Tenant
from tests.answers.conftest import csrf_in
from tests.citizen.conftest import Member

FREQUENT = "Gilberte Tremblay voudrait savoir quand les bacs bleus sont-ils vidés ?"


def _ask(engine: Engine, city: Tenant, question: str, n: int) -> None:
    with tenant_session(city.id, engine) as session:
        answer(session, session.merge(city), question, f"resident-pages-{n}")
        session.commit()


def test_a_reviewer_answers_a_frequent_question_then_edits_and_revalidates(
    app, engine: Engine, city: Tenant, make_member
) -> None:  # type: ignore[no-untyped-def]
    for n in range(3):
        _ask(engine, city, FREQUENT, n)
    reviewer: Member = make_member("reviewer", tenant=city)
    page = reviewer.client.get("/reponses-validees")
    assert page.status_code == 200
    assert "Questions fréquentes des citoyens sans réponse validée" in page.text
    assert "Gilberte" not in page.text and "Tremblay" not in page.text
    row = re.search(r"<td>([^<]*bacs bleus[^<]*)</td><td>(\d+)</td>", page.text)
    assert row and int(row.group(2)) >= 3
    form = reviewer.client.get("/reponses-validees/nouvelle", params={"question": row.group(1)})
    assert form.status_code == 200 and "bacs bleus" in form.text
    with tenant_session(city.id, engine) as session:
        waste = session.scalars(select(Document.id).where(Document.title == "Collecte des ordures")).one()
    refused = reviewer.client.post(
        "/reponses-validees/nouvelle",
        data={
            "question": row.group(1),
            "answer": "Le jeudi, une semaine sur deux.",
            "csrf_token": csrf_in(form.text),
        },
    )
    assert refused.status_code == 422 and "au moins un document source" in refused.text
    created = reviewer.client.post(
        "/reponses-validees/nouvelle",
        data={
            "question": row.group(1),
            "answer": "Le jeudi, une semaine sur deux.",
            "documents": [waste],
            "days": "90",
            "csrf_token": csrf_in(form.text),
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    listed = reviewer.client.get("/reponses-validees").text
    assert "Le jeudi" not in listed and "bacs bleus" in listed and "Donnée" in listed
    assert "Aucune question fréquente n’attend de réponse." in listed
    with tenant_session(city.id, engine) as session:
        made = session.scalars(select(ValidatedAnswer)).one()
        made.status, made.expires_at = EXPIRED, utcnow()
        session.commit()
    listed = reviewer.client.get("/reponses-validees").text
    assert "Expirée : à valider de nouveau" in listed
    again = reviewer.client.post(
        f"/reponses-validees/{made.id}/revalider",
        data={"csrf_token": csrf_in(listed)},
        follow_redirects=False,
    )
    assert again.status_code == 303
    edit = reviewer.client.get(f"/reponses-validees/{made.id}")
    assert "Le jeudi, une semaine sur deux." in edit.text
    edited = reviewer.client.post(
        f"/reponses-validees/{made.id}",
        data={
            "question": row.group(1),
            "answer": "Le jeudi matin, une semaine sur deux.",
            "documents": [waste],
            "days": "30",
            "csrf_token": csrf_in(edit.text),
        },
        follow_redirects=False,
    )
    assert edited.status_code == 303
    with tenant_session(city.id, engine) as session:
        stored = session.get(ValidatedAnswer, made.id)
        assert stored.status == "active" and stored.answer.startswith("Le jeudi matin")
        assert (stored.expires_at - stored.validated_at).days == 30
        session.delete(stored)
        session.commit()


def test_employees_do_not_reach_the_validated_answers(app, city: Tenant, make_member) -> None:  # type: ignore[no-untyped-def]
    employee: Member = make_member("employee", tenant=city)
    assert employee.client.get("/reponses-validees").status_code == 403


def test_an_approved_answer_is_promoted_and_a_draft_one_is_not(
    app, engine: Engine, city: Tenant, make_member
) -> None:  # type: ignore[no-untyped-def]
    reviewer: Member = make_member("admin", tenant=city)
    with tenant_session(city.id, engine) as session:
        waste = session.scalars(select(Document).where(Document.title == "Collecte des ordures")).one()
        outputs = [
            save_output(
                session,
                tenant_id=city.id,
                author_id=reviewer.user.id,
                task="ask",
                text="La collecte des ordures a lieu chaque mardi matin [1].",
                provenance={"sources": [{"document_id": waste.id, "title": waste.title, "page": 1}]},
            )
            for _ in range(2)
        ]
        outputs[0].status = ReviewStatus.APPROVED.value
        session.commit()
        approved, draft = outputs[0].id, outputs[1].id
    refused = reviewer.client.get("/reponses-validees/nouvelle", params={"sortie": draft})
    assert refused.status_code == 422 and "Seule une réponse approuvée" in refused.text
    form = reviewer.client.get("/reponses-validees/nouvelle", params={"sortie": approved})
    assert (
        "chaque mardi matin." in form.text
        and "[1]" not in form.text
        and f'value="{waste.id}" selected' in form.text
    )
    created = reviewer.client.post(
        "/reponses-validees/nouvelle",
        data={
            "question": "Quel jour a lieu la collecte des ordures ?",
            "answer": "La collecte des ordures a lieu chaque mardi matin.",
            "documents": [waste.id],
            "days": "180",
            "output_id": approved,
            "csrf_token": csrf_in(form.text),
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    with tenant_session(city.id, engine) as session:
        promoted = session.scalars(select(ValidatedAnswer).where(ValidatedAnswer.output_id == approved)).one()
        assert promoted.origin == "review" and promoted.validated_by == reviewer.user.id
        session.delete(promoted)
        session.commit()
