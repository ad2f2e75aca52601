"""Complaints: sealed, rate-limited, assigned, due in 30 days, answered, reminded and counted."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from balise.audit.models import AuditEntry
from balise.errors import Invalid
from balise.governance import (
    AISystem,
    Complaint,
    TooManyComplaints,
    add_reply,
    designate_privacy_officer,
    open_complaint,
    send_reminders,
    set_status,
    statistics,
    submit_complaint,
)
from balise.governance.complaints import FORMS_PER_HOUR
from balise.review.models import Notification
from balise.tenancy import Tenant, create_user

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def file_complaint(session, tenant, **fields):  # type: ignore[no-untyped-def]
    """A complaint filed as the public form files it, with its follow-up token; ``fields`` override."""
    values = {
        "kind": "complaint",
        "system_id": "",
        "name": "Jeanne Tremblay",
        "email": "jeanne@example.org",
        "phone": "",
        "message": "L’agent m’a donné une mauvaise date de collecte.",
        "client": "203.0.113.7",
        "now": NOW,
    }
    return submit_complaint(session, tenant, **(values | fields))


def _file(session, tenant, **fields):  # type: ignore[no-untyped-def]
    return file_complaint(session, tenant, **fields).complaint


def test_a_complaint_is_sealed_assigned_and_due_in_30_days(make_tenant, scoped) -> None:
    tenant = make_tenant()
    with scoped(tenant.id) as session:
        municipality = session.get(Tenant, tenant.id)
        officer = create_user(
            session, municipality, "po@example.org", "correct-horse-battery", "privacy_officer"
        )
        manager = create_user(session, municipality, "gm@example.org", "correct-horse-battery", "manager")
        system = AISystem(
            tenant_id=tenant.id,
            key="manual:a",
            name="Agent",
            purpose="Répondre",
            responsible_user_id=manager.id,
        )
        session.add(system)
        session.flush()
        designate_privacy_officer(session, municipality, officer.id, actor="test")
        general = _file(session, municipality)
        about = _file(session, municipality, system_id=system.id, kind="human_review")
        session.commit()
        assert general.assigned_to == officer.id and about.assigned_to == manager.id
        assert general.due_date == date(2026, 4, 1)
        assert "Tremblay" not in general.sealed and "collecte" not in general.sealed
        view = open_complaint(session, general.id)
        assert (view.name, view.email) == ("Jeanne Tremblay", "jeanne@example.org")
        assert "mauvaise date" in view.message
        notified = session.scalars(select(Notification).where(Notification.user_id == manager.id)).all()
        assert [n.kind for n in notified] == ["complaint_assigned"]
        audited = session.scalars(
            select(AuditEntry).where(
                AuditEntry.tenant_id == tenant.id, AuditEntry.action == "governance.complaint_received"
            )
        ).all()
        assert len(audited) == 2 and all("Tremblay" not in str(e.details) for e in audited)


def test_input_is_checked_and_flooding_refused(make_tenant, scoped) -> None:
    tenant = make_tenant()
    with scoped(tenant.id) as session:
        municipality = session.get(Tenant, tenant.id)
        with pytest.raises(Invalid):
            _file(session, municipality, message="  ")
        with pytest.raises(Invalid) as contact:
            _file(session, municipality, email="", phone="")
        assert "courriel" in contact.value.localized()
        for _ in range(FORMS_PER_HOUR):
            _file(session, municipality)
        with pytest.raises(TooManyComplaints):
            _file(session, municipality)
        _file(session, municipality, client="198.51.100.1")  # another connection
        _file(session, municipality, now=NOW + timedelta(hours=2))  # an hour later
        session.commit()


def test_reply_close_reminders_and_statistics(make_tenant, scoped) -> None:
    tenant = make_tenant()
    with scoped(tenant.id) as session:
        municipality = session.get(Tenant, tenant.id)
        officer = create_user(
            session, municipality, "po2@example.org", "correct-horse-battery", "privacy_officer"
        )
        first = _file(session, municipality)
        late = _file(session, municipality, now=NOW - timedelta(days=40), client="198.51.100.2")
        add_reply(session, first.id, "Nous avons corrigé le calendrier.", actor=officer.id)
        assert first.status == "answered"
        add_reply(session, first.id, "Vérifié avec les travaux publics.", actor=officer.id, internal=True)
        set_status(session, first.id, "closed", actor=officer.id)
        assert first.closed_at is not None
        view = open_complaint(session, first.id)
        assert [e.kind for e, _body in view.events] == ["reply", "note", "status"]
        assert view.events[0][1] == "Nous avons corrigé le calendrier."
        today = NOW.date()
        assert send_reminders(session, tenant.id, today=today) == 1  # the late one only
        assert send_reminders(session, tenant.id, today=today) == 0  # once a day
        stats = statistics(session, today=today)
        assert stats["total"] == 2 and stats["overdue"] == 1 and stats["closed"] == 1
        assert stats["by_status"] == {"closed": 1, "received": 1}
        session.commit()
        row = session.scalars(select(Complaint).where(Complaint.id == late.id)).one()
        assert row.reminded_at is not None
