"""Validated answers: served to residents and staff with their date, refused for another question,
expired, suspended when a source changes, within the reader's clearance, the question kept masked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from balise.answers import (
    ACTIVE,
    EXPIRED,
    SUSPENDED,
    AnswerRefused,
    Draft,
    ValidatedAnswer,
    closest,
    create,
    listing,
    revalidate,
    validated_items,
)
from balise.assistant import Requester, ask
from balise.audit.models import AuditEntry
from balise.citizen import answer
from balise.db import tenant_session, utcnow
from balise.documents import Document, delete_document, submit_files
from balise.tenancy import CITIZEN_CLASSIFICATIONS, Tenant, visible_classifications

WASTE_ANSWER = (
    "Les ordures ménagères sont ramassées chaque mardi matin.\n\n"
    "Placez votre bac en bordure de rue avant 7 h."
)
ASKED = "Quel jour passe le camion des ordures ménagères ?"
REPHRASED = "Quel jour est-ce que le camion des ordures ménagères passe ?"
ELSEWHERE = "Combien coûte un permis de construction pour un cabanon ?"


def _document(engine: Engine, city: Tenant, title: str) -> Document:
    with tenant_session(city.id, engine) as session:
        document = session.scalars(select(Document).where(Document.title == title)).one()
        session.expunge(document)
        return document


def _validate(engine: Engine, city: Tenant, title: str = "Collecte des ordures", **fields: object) -> str:
    document = _document(engine, city, title)
    with tenant_session(city.id, engine) as session:
        made = create(
            session,
            session.merge(city),
            Draft(str(fields.get("question", ASKED)), WASTE_ANSWER, [document.id]),
            actor="reviewer-1",
        )
        session.commit()
        return made.id


def _resident(engine: Engine, city: Tenant, question: str):  # type: ignore[no-untyped-def]
    with tenant_session(city.id, engine) as session:
        reply = answer(session, session.merge(city), question, "resident-session-1")
        session.commit()
        return reply


def _drop(engine: Engine, city: Tenant, answer_id: str) -> None:
    with tenant_session(city.id, engine) as session:
        session.delete(session.get(ValidatedAnswer, answer_id))
        session.commit()


def test_a_resident_gets_the_validated_answer_with_its_date_and_source(engine: Engine, city: Tenant) -> None:
    made = _validate(engine, city)
    try:
        reply = _resident(engine, city, REPHRASED)
        assert reply.answer == WASTE_ANSWER
        assert reply.validated.startswith("Réponse validée le ")
        assert reply.as_contract()["validated"] == reply.validated
        assert [c.title for c in reply.citations] == ["Collecte des ordures"]
        assert reply.citations[0].url.startswith(f"/public/{city.slug}/sources/")
        with tenant_session(city.id, engine) as session:
            served = session.scalars(
                select(AuditEntry).where(AuditEntry.action == "answers.served", AuditEntry.target_id == made)
            ).all()
            assert served and served[-1].details["tool"] == "citizen"
    finally:
        _drop(engine, city, made)


def test_an_employee_gets_it_too_and_another_question_is_left_to_the_reader(
    engine: Engine, city: Tenant
) -> None:
    made = _validate(engine, city)
    try:
        with tenant_session(city.id, engine) as session:
            who = Requester(session.merge(city), None, visible_classifications("employee"))
            result = ask(session, who, REPHRASED)
            assert result.validated is not None and result.validated.answer_id == made
            assert result.backend == "validated" and result.text == WASTE_ANSWER
            assert result.as_json()["validated"]["answer_id"] == made
            assert result.citations[0].document_id == _document(engine, city, "Collecte des ordures").id
            other = ask(session, who, ELSEWHERE)
            assert other.validated is None and other.backend != "validated"
            match = closest(session, ELSEWHERE)
            assert match is not None and not match.served
            session.rollback()
        assert _resident(engine, city, ELSEWHERE).validated == ""
    finally:
        _drop(engine, city, made)


def test_an_expired_answer_is_not_served_until_staff_validate_it_again(engine: Engine, city: Tenant) -> None:
    made = _validate(engine, city)
    try:
        with tenant_session(city.id, engine) as session:
            session.get(ValidatedAnswer, made).expires_at = utcnow() - timedelta(minutes=1)
            session.commit()
        assert _resident(engine, city, REPHRASED).validated == ""
        with tenant_session(city.id, engine) as session:
            listed = listing(session)
            assert listed[0].id == made and listed[0].status == EXPIRED
            assert made not in {item.answer_id for item in validated_items(session)}
            revalidate(session, made, actor="reviewer-2", days=30)
            session.commit()
        reply = _resident(engine, city, REPHRASED)
        assert reply.validated and reply.answer == WASTE_ANSWER
        with tenant_session(city.id, engine) as session:
            again = session.get(ValidatedAnswer, made)
            assert again.status == ACTIVE and again.validated_by == "reviewer-2"
            item = next(i for i in validated_items(session) if i.answer_id == made)
            assert item.question == ASKED and item.answer == WASTE_ANSWER and len(item.source_ids) == 1
    finally:
        _drop(engine, city, made)


def test_a_changed_source_suspends_the_answer_and_a_deleted_one_too(
    engine: Engine, city: Tenant, add_document
) -> None:  # type: ignore[no-untyped-def]
    from tests.citizen.conftest import approve_document

    text = "Collecte des feuilles\n\nLes feuilles mortes sont ramassées le deuxième samedi d'octobre."
    leaves = add_document(city.id, "Collecte des feuilles", text)
    approve_document(engine, city.id, leaves)
    question = "Quand sont ramassées les feuilles mortes ?"
    made = _validate(engine, city, "Collecte des feuilles", question=question)
    assert _resident(engine, city, question).validated
    source = _document(engine, city, "Collecte des feuilles").source
    with tenant_session(city.id, engine) as session:
        submit_files(
            session,
            city.id,
            [(source, text.replace("deuxième", "troisième").encode())],
            classification="public",
        )
        session.commit()
    assert _resident(engine, city, question).validated == ""
    with tenant_session(city.id, engine) as session:
        suspended = session.get(ValidatedAnswer, made)
        assert (suspended.status, suspended.status_reason) == (SUSPENDED, "source_changed")
        revalidate(session, made, actor="reviewer-2")
        delete_document(session, leaves, actor="admin")
        session.commit()
    with tenant_session(city.id, engine) as session:
        listing(session)
        removed = session.get(ValidatedAnswer, made)
        assert (removed.status, removed.status_reason) == (SUSPENDED, "source_removed")
        session.delete(removed)
        session.commit()


def test_an_answer_on_an_internal_document_never_reaches_residents(engine: Engine, city: Tenant) -> None:
    question = "Quelles sont les heures d'arrosage des pelouses ?"
    made = _validate(engine, city, "Règlement sur l'arrosage", question=question)
    try:
        with tenant_session(city.id, engine, clearance=CITIZEN_CLASSIFICATIONS) as session:
            assert closest(session, question) is None
        assert _resident(engine, city, question).validated == ""
        with tenant_session(city.id, engine) as session:
            assert session.get(ValidatedAnswer, made).classification == "internal"
            who = Requester(session.merge(city), None, visible_classifications("employee"))
            assert ask(session, who, question).validated is not None
            session.rollback()
    finally:
        _drop(engine, city, made)


def test_the_question_is_kept_masked_and_a_draft_without_source_is_refused(
    engine: Engine, city: Tenant
) -> None:
    made = _validate(engine, city, question="Gilberte Tremblay demande quel jour passe le camion des ordures")
    try:
        with tenant_session(city.id, engine) as session:
            stored = session.get(ValidatedAnswer, made)
            assert "Gilberte" not in stored.question and "Tremblay" not in stored.question
            with pytest.raises(AnswerRefused):
                create(session, session.merge(city), Draft(ASKED, WASTE_ANSWER, []), actor="reviewer-1")
            with pytest.raises(AnswerRefused):
                create(session, session.merge(city), Draft(ASKED, WASTE_ANSWER, ["nope"]), actor="reviewer-1")
    finally:
        _drop(engine, city, made)
