"""A resident's own details in a request for a person: stored masked, readable by reviewers and
administrators only, each reading audited, deleted with the request."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import Engine, select, text

from balise.audit.models import AuditEntry
from balise.citizen import escalate, purge_expired
from balise.citizen.details import vault_key
from balise.db import open_session, tenant_session, utcnow
from balise.tenancy import Tenant
from tests.citizen.conftest import Member

MESSAGE = "Je suis Marie Tremblay, 514-555-0199, 12 rue des Érables, pour mon permis de rénovation."
RAW = ("Marie", "Tremblay", "514-555-0199", "Érables")


def _request(engine: Engine, tenant: Tenant) -> str:
    with tenant_session(tenant.id, engine) as session:
        created = escalate(session, session.merge(tenant), "session-details-1", message=MESSAGE)
        session.commit()
        return created.request.id


def _vault_rows(engine: Engine, request_id: str) -> int:
    with engine.connect() as connection:
        query = text("SELECT count(*) FROM privacy_vault WHERE conversation_id = :key")
        return int(connection.execute(query, {"key": vault_key(request_id)}).scalar_one())


def test_the_message_is_stored_masked_and_its_values_only_in_the_vault(engine: Engine, make_tenant) -> None:  # type: ignore[no-untyped-def]
    tenant: Tenant = make_tenant("Détails")
    request_id = _request(engine, tenant)
    with engine.connect() as connection:
        stored = connection.execute(
            text("SELECT message, transcript FROM citizen_requests WHERE id = :id"), {"id": request_id}
        ).one()
    assert not [value for value in RAW if value in str(stored)], stored
    assert "[PERSONNE_1]" in stored.message
    assert _vault_rows(engine, request_id) == 1


def test_reviewers_and_admins_read_the_details_and_each_reading_is_audited(
    engine: Engine,
    make_tenant,  # type: ignore[no-untyped-def]
    make_member: Callable[..., Member],
) -> None:
    tenant: Tenant = make_tenant("Lecture")
    request_id = _request(engine, tenant)
    page = f"/citoyens/demandes/{request_id}"
    for role in ("reviewer", "admin"):
        member = make_member(role, tenant=tenant)
        masked = member.client.get(page)
        assert masked.status_code == 200 and "Marie Tremblay" not in masked.text
        assert f'href="{page}/renseignements"' in masked.text
        shown = member.client.get(f"{page}/renseignements")
        assert shown.status_code == 200
        assert "Marie Tremblay" in shown.text and "514-555-0199" in shown.text
        assert "12 rue des Érables" in shown.text
        with open_session(engine) as session:
            entries = list(
                session.scalars(
                    select(AuditEntry).where(
                        AuditEntry.action == "citizen.request_details_viewed",
                        AuditEntry.actor == member.user.id,
                    )
                )
            )
        assert len(entries) == 1
        (entry,) = entries
        assert entry.tenant_id == tenant.id and entry.target_id == request_id
        assert abs(entry.at.replace(tzinfo=None) - utcnow().replace(tzinfo=None)) < timedelta(minutes=5)
        assert not [value for value in RAW if value in str(entry.details)]


def test_other_staff_see_the_masked_text_and_are_refused_the_details(
    engine: Engine,
    make_tenant,  # type: ignore[no-untyped-def]
    make_member: Callable[..., Member],
) -> None:
    tenant: Tenant = make_tenant("Refus")
    request_id = _request(engine, tenant)
    page = f"/citoyens/demandes/{request_id}"
    for role in ("employee", "manager", "privacy_officer"):
        member = make_member(role, tenant=tenant)
        masked = member.client.get(page)
        assert masked.status_code == 200
        assert "Marie Tremblay" not in masked.text and "[PERSONNE_1]" in masked.text
        assert "/renseignements" not in masked.text
        refused = member.client.get(f"{page}/renseignements")
        assert refused.status_code == 403 and "Marie Tremblay" not in refused.text
    with open_session(engine) as session:
        viewed = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "citizen.request_details_viewed", AuditEntry.target_id == request_id
            )
        ).all()
    assert viewed == []


def test_the_retention_purge_deletes_the_kept_details(engine: Engine, make_tenant) -> None:  # type: ignore[no-untyped-def]
    tenant: Tenant = make_tenant("Purge")
    request_id = _request(engine, tenant)
    with tenant_session(tenant.id, engine) as session:
        assert purge_expired(session, session.merge(tenant), now=utcnow() + timedelta(days=400)) >= 1
        session.commit()
    assert _vault_rows(engine, request_id) == 0
    assert re.fullmatch(r"citizen-request:[0-9a-f]+", vault_key(request_id))
