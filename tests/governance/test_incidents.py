"""Incidents proposed from the platform's own signals, the risk of serious injury and its notices."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi import Depends
from presidio_analyzer import EntityRecognizer, RecognizerResult
from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.assistant import Requester, pipeline, tasks
from balise.audit.models import AuditEntry
from balise.governance import (
    Incident,
    list_incidents,
    notices,
    propose_from_signals,
    save_incident,
    scan_public_outputs,
    serious_risk,
)
from balise.guard.privacy import PrivacyGuard, get_guard
from balise.review import save_output
from balise.review.models import Output
from balise.tenancy import Tenant, create_user, visible_classifications
from balise.web.deps import tenant_db


class _Broken(EntityRecognizer):
    """A recognizer that fails, as a crashed NER model would: the guard must send nothing."""

    def __init__(self) -> None:
        super().__init__(supported_entities=["EMAIL"], supported_language="fr")

    def load(self) -> None:
        return None

    def analyze(self, text: str, entities: list[str], nlp_artifacts: object = None) -> list[RecognizerResult]:
        raise RuntimeError("model crashed")


def test_a_fail_closed_guard_is_audited_and_proposed_once(make_tenant, scoped, monkeypatch) -> None:
    tenant = make_tenant()
    broken = PrivacyGuard(nlp_engine=get_guard().nlp_engine, recognizers=[_Broken()], timeout_seconds=5)
    monkeypatch.setattr(pipeline, "get_guard", lambda: broken)
    with scoped(tenant.id) as session:
        municipality = session.get(Tenant, tenant.id)
        user = create_user(session, municipality, "emp@example.org", "correct-horse-battery", "employee")
        who = Requester(municipality, user.id, visible_classifications("employee"))
        result = tasks.revise(session, who, text="Écrire à jean@videotron.ca au sujet du permis.")
        session.commit()
        assert result.status == "unavailable"
        signal = session.scalars(
            select(AuditEntry).where(
                AuditEntry.tenant_id == tenant.id, AuditEntry.action == "guard.unavailable"
            )
        ).one()
        assert signal.details == {"task": "revise"} and signal.actor == user.id
        assert propose_from_signals(session, tenant.id) == 1
        assert propose_from_signals(session, tenant.id) == 0
        session.commit()
        proposal = list_incidents(session)[0]
        assert (proposal.status, proposal.source, proposal.signal) == (
            "proposed",
            "guard.unavailable",
            f"audit:{signal.seq}",
        )


def test_a_refused_cross_tenant_write_is_answered_403_and_recorded(
    app, make_member, make_tenant, engine
) -> None:
    other = make_tenant("Autre ville")

    def trespass(db: Session = Depends(tenant_db)) -> dict[str, str]:
        db.add(Incident(tenant_id=other.id, reference="I-X", circumstances="intrusion"))
        db.commit()
        return {}

    app.add_api_route("/essai-intrusion", trespass, methods=["GET"])
    member = make_member("employee")
    response = member.client.get("/essai-intrusion")
    assert response.status_code == 403
    from balise.db import tenant_session

    with tenant_session(member.tenant.id, engine) as session:
        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.tenant_id == member.tenant.id, AuditEntry.action == "security.cross_tenant_refused"
            )
        ).one()
        assert entry.actor == member.user.id and entry.target_id == "/essai-intrusion"
        assert propose_from_signals(session, member.tenant.id) == 1
        session.commit()
    with tenant_session(other.id, engine) as session:
        assert session.scalars(select(Incident)).all() == []


def test_a_personal_value_in_a_public_output_becomes_a_proposal(make_tenant, scoped) -> None:
    tenant = make_tenant()
    with scoped(tenant.id) as session:
        municipality = session.get(Tenant, tenant.id)
        user = create_user(session, municipality, "com@example.org", "correct-horse-battery", "employee")
        clean = save_output(
            session,
            tenant_id=tenant.id,
            author_id=user.id,
            task="draft",
            text="La collecte a lieu lundi.",
            provenance={},
        )
        leaky = save_output(
            session,
            tenant_id=tenant.id,
            author_id=user.id,
            task="draft",
            text="Pour toute question, écrivez à jean.tremblay@videotron.ca ou au 514-555-0199.",
            provenance={},
        )
        for output in (clean, leaky):
            session.get(Output, output.id).purpose = "public"  # type: ignore[union-attr]
        session.flush()
        assert scan_public_outputs(session, tenant.id, actor=user.id) == 1
        assert scan_public_outputs(session, tenant.id, actor=user.id) == 0
        assert propose_from_signals(session, tenant.id) == 1
        proposal = list_incidents(session)[0]
        assert proposal.details["output_id"] == leaky.id and "EMAIL" in proposal.information_kinds
        session.commit()


@pytest.mark.parametrize(
    ("sensitivity", "consequences", "likelihood", "serious"),
    [(0, 0, 0, False), (3, 3, 1, False), (2, 0, 2, True), (0, 2, 3, True), (1, 1, 3, False)],
)
def test_risk_of_serious_injury(sensitivity, consequences, likelihood, serious) -> None:  # type: ignore[no-untyped-def]
    incident = Incident(
        sensitivity=sensitivity, consequences=consequences, likelihood=likelihood, public_notice=""
    )
    assert serious_risk(incident) is serious


def test_an_incident_records_the_regulation_fields_and_its_notices(make_tenant, scoped) -> None:
    tenant = make_tenant()
    with scoped(tenant.id) as session:
        municipality = session.get(Tenant, tenant.id)
        form = {
            "information_kinds": "Noms et adresses courriel",
            "circumstances": "Courriel envoyé au mauvais destinataire.",
            "occurred_on": "2026-03-01",
            "discovered_on": "2026-03-02",
            "people_affected": "12",
            "sensitivity": "2",
            "consequences": "1",
            "likelihood": "2",
            "measures": "Demande de suppression au destinataire.",
        }
        incident = save_incident(session, tenant.id, form, actor="cli")
        assert incident.status == "open" and serious_risk(incident)
        assert [n.done for n in notices(incident, municipality)] == [True, False, False]
        form["commission_notified_on"] = "2026-03-03"
        form["persons_notified_on"] = "2026-03-04"
        save_incident(session, tenant.id, form, actor="cli", incident=incident)
        assert all(n.done for n in notices(incident, municipality))
        assert incident.commission_notified_on == date(2026, 3, 3) and incident.people_affected == 12
        session.commit()
