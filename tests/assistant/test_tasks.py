"""The four tasks against the extractive backend (no model configured): the embedded default."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, select

from balise.assistant import Options, ask, draft, list_conversations, revise, summarise, turns
from balise.assistant.history import get_conversation
from balise.audit.models import AuditEntry
from balise.db import tenant_session
from balise.review import Output
from balise.tenancy import Tenant
from tests.assistant.conftest import WASTE, AddDocument, requester_of
from tests.support.web import Member


def test_ask_answers_with_cited_sources_a_disclosure_and_a_saved_output(library: Member, engine: Engine):
    with tenant_session(library.tenant.id, engine) as session:
        result = ask(session, requester_of(library), "Quel jour a lieu la collecte des ordures ménagères ?")
        session.commit()
    assert result.status == "done"
    assert result.kind == "extractive" and result.backend == "extractive"
    assert "mardi" in result.text
    assert result.citations and result.citations[0].title == "Collecte des ordures"
    assert all(c.verified for c in result.citations)
    assert result.citations[0].quote in WASTE
    assert all(part.supported for part in result.parts)
    assert "sans modèle génératif" in result.disclosure and result.provenance["ai_generated"] is False
    assert result.provenance["sources"][0]["title"] == "Collecte des ordures"
    with tenant_session(library.tenant.id, engine) as session:
        output = session.get(Output, result.output_id)
        assert output is not None and output.task == "ask" and output.provenance["output_id"] == output.id
        conversation = get_conversation(session, library.user.id, result.conversation_id or "")
        assert [t.answer for t in turns(session, conversation)] == [result.text]
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.tenant_id == library.tenant.id))
        assert "assistant.ask" in set(actions)


def test_ask_says_so_when_the_documents_do_not_answer(library: Member, engine: Engine):
    with tenant_session(library.tenant.id, engine) as session:
        result = ask(session, requester_of(library), "Quel est le salaire du directeur général en 1987 ?")
    assert result.status == "done"
    assert not result.citations and result.to_verify == 0
    assert "ne répondent pas" in result.text or "ne traite" in result.text


def test_ask_never_cites_a_document_above_the_readers_clearance(library: Member, engine: Engine):
    with tenant_session(library.tenant.id, engine) as session:
        result = ask(session, requester_of(library), "Quel est le dossier de permis de rénovation contesté ?")
    assert all(c.title != "Note au dossier" for c in result.citations)
    assert "130 692 544" not in result.text


def test_a_conversation_continues_and_is_listed(library: Member, engine: Engine):
    who = requester_of(library)
    with tenant_session(library.tenant.id, engine) as session:
        first = ask(session, who, "Quand a lieu la collecte des ordures ?")
        second = ask(
            session, who, "Et les matières recyclables ?", Options(conversation_id=first.conversation_id)
        )
        session.commit()
        assert second.conversation_id == first.conversation_id
        (listed,) = list_conversations(session, library.user.id)
        assert listed.turns == 2


def test_summarise_a_document_in_plain_language_with_readability(
    member_of: Callable[..., Member],
    make_tenant: Callable[..., Tenant],
    engine: Engine,
    add_document: AddDocument,
):
    member = member_of("employee", tenant=make_tenant())
    long_text = "\n\n".join(f"Section {n}\n\n{WASTE}" for n in range(6))
    document_id = add_document(member.tenant.id, "Guide de la collecte", long_text)
    with tenant_session(member.tenant.id, engine) as session:
        result = summarise(session, requester_of(member), document_ids=[document_id], audience="plain")
        session.commit()
    assert result.status == "done" and result.text
    assert result.readability is not None and result.readability.level
    assert result.citations and all(c.document_id == document_id for c in result.citations)
    assert result.options == {"audience": "plain"}


def test_summarise_pasted_text(library: Member, engine: Engine):
    with tenant_session(library.tenant.id, engine) as session:
        result = summarise(session, requester_of(library), text=WASTE, audience="general")
    assert result.status == "done" and "collecte" in result.text.lower()
    assert result.readability is not None


def test_draft_without_a_model_gives_the_templates_structure_and_says_so(library: Member, engine: Engine):
    with tenant_session(library.tenant.id, engine) as session:
        result = draft(
            session,
            requester_of(library),
            kind="job_posting",
            brief="Préposé ou préposée à l'entretien des parcs",
        )
        session.commit()
    assert result.status == "done"
    assert "Préposé ou préposée à l'entretien des parcs" in result.text
    assert "la personne titulaire du poste" in result.text
    assert result.notice and result.output_id
    with tenant_session(library.tenant.id, engine) as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "assistant.draft").order_by(AuditEntry.seq.desc())
        ).first()  # this draft's: other tests of the library's municipality draft too
    assert entry is not None
    assert entry.details["template"] == "job_posting"  # the conformity view counts it for U3 only


def test_revise_without_a_model_fixes_typography_and_shows_the_changes(library: Member, engine: Engine):
    with tenant_session(library.tenant.id, engine) as session:
        result = revise(session, requester_of(library), text="la collecte a lieu le le mardi ,avant 7 h.")
    assert result.text == "La collecte a lieu le mardi, avant 7 h."
    assert result.changes is not None
    assert {s.op for s in result.changes} == {"equal", "delete", "insert"}
    assert result.notice
