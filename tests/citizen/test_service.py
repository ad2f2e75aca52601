"""The citizen service: answers from approved public documents only, redirects, masking, transcripts."""

from __future__ import annotations

import uuid

from sqlalchemy import Engine, select

from balise.citizen import (
    CitizenExchange,
    answer,
    approved_document_ids,
    pending_public_documents,
    refuse,
)
from balise.db import open_session, tenant_session
from balise.demo import publish_demo_library
from balise.documents.cli import load_demo
from balise.jobs import run_worker
from balise.tenancy import Tenant
from tests.citizen.conftest import approve_document


def _ask(engine: Engine, city: Tenant, question: str, session_id: str = "s-1"):  # type: ignore[no-untyped-def]
    with tenant_session(city.id, engine) as session:
        reply = answer(session, session.merge(city), question, session_id)
        session.commit()
        return reply


def test_answers_from_an_approved_public_document_with_its_source(engine: Engine, city: Tenant) -> None:
    reply = _ask(engine, city, "Quel jour a lieu la collecte des ordures ménagères ?")
    data = reply.as_contract()
    assert list(data)[:5] == ["answer", "citations", "disclosure", "human_contact", "redirected_to_human"]
    assert not reply.redirected_to_human
    assert "mardi" in reply.answer
    assert reply.citations[0].title == "Collecte des ordures"
    assert reply.citations[0].url.startswith(f"/public/{city.slug}/sources/")
    assert reply.citations[0].date
    assert "IA" in reply.disclosure or "AI" in reply.disclosure
    assert data["human_contact"]["phone"] == "819 555-0100"


def test_an_unapproved_public_document_stays_invisible_until_a_reviewer_approves(
    engine: Engine, city: Tenant, add_document
) -> None:  # type: ignore[no-untyped-def]
    text = "Avis\n\nLa taxe de bienvenue est abolie dès demain matin."
    planted = add_document(city.id, "Avis urgent", text)
    with tenant_session(city.id, engine) as session:
        assert planted not in approved_document_ids(session)
        assert planted in {d.id for d in pending_public_documents(session)}
    reply = _ask(engine, city, "La taxe de bienvenue est-elle abolie ?")
    assert all(c.document_id != planted for c in reply.citations)
    approve_document(engine, city.id, planted)
    reply = _ask(engine, city, "La taxe de bienvenue est-elle abolie ?")
    assert reply.citations and reply.citations[0].document_id == planted
    with tenant_session(city.id, engine) as session:
        refuse(session, city.id, planted, actor="reviewer")
        session.commit()
        assert planted not in approved_document_ids(session)


def test_internal_documents_never_answer_residents(engine: Engine, city: Tenant) -> None:
    reply = _ask(engine, city, "Quelles sont les heures d'arrosage des pelouses ?")
    assert all(c.title != "Règlement sur l'arrosage" for c in reply.citations)


def test_own_file_is_redirected_to_the_service(engine: Engine, city: Tenant) -> None:
    reply = _ask(engine, city, "Où en est ma demande de permis ?")
    assert reply.redirected_to_human and reply.reason == "own_file"
    assert reply.human_contact["channel"] == "service"
    assert "819 555-0100" in reply.answer
    assert reply.citations == []


def test_emergency_gives_the_emergency_number_first(engine: Engine, city: Tenant) -> None:
    reply = _ask(engine, city, "Il y a une fuite de gaz dans ma rue, que faire ?")
    assert reply.redirected_to_human and reply.reason == "emergency"
    assert reply.human_contact["first"] == "911"
    assert reply.answer.index("911") < 60


def test_personal_information_is_masked_before_storage(engine: Engine, city: Tenant) -> None:
    _ask(
        engine,
        city,
        "Je suis Gilberte Tremblay, courriel gilberte.tremblay@example.org : quand passe la collecte ?",
        "s-masked",
    )
    with tenant_session(city.id, engine) as session:
        stored = session.scalars(select(CitizenExchange).order_by(CitizenExchange.created_at.desc())).first()
        assert stored is not None
        assert "gilberte.tremblay@example.org" not in stored.question
        assert "Tremblay" not in stored.question
        assert stored.masked.get("EMAIL") == 1


def test_reclassifying_to_public_again_needs_a_new_approval(
    engine: Engine, city: Tenant, add_document
) -> None:  # type: ignore[no-untyped-def]
    from balise.documents import set_classification

    document = add_document(city.id, "Horaire des piscines", "Horaire\n\nLa piscine ouvre à 9 h.")
    approve_document(engine, city.id, document)
    with tenant_session(city.id, engine) as session:
        assert document in approved_document_ids(session)
        set_classification(session, document, "internal", actor="employee")
        session.commit()
        set_classification(session, document, "public", actor="employee")
        session.commit()
        assert document not in approved_document_ids(session)


def test_an_approval_survives_the_vectors_added_after_it(engine: Engine) -> None:
    """`balise demo` approves the shipped public files once searchable by words; the worker adds their
    vectors afterwards. Vectors are not a new version: the approval stays (it used to be lost)."""
    with open_session(engine) as session:
        town = Tenant(slug=f"demo-{uuid.uuid4().hex[:10]}", name="Ville de Saint-Balise")
        session.add(town)
        session.commit()
    assert load_demo(engine, town.id) > 0  # vectors queued for the worker
    with tenant_session(town.id, engine) as session:
        assert publish_demo_library(session, session.merge(town)) > 0
        session.commit()
        approved = approved_document_ids(session)
    run_worker(engine, stop_when_idle=True, poll_seconds=0.05)
    with tenant_session(town.id, engine) as session:
        assert approved_document_ids(session) == approved
        assert pending_public_documents(session) == []
    reply = _ask(engine, town, "Quand a lieu la collecte du recyclage ?")
    assert not reply.redirected_to_human and reply.citations
