"""The roadmap's six steps and the resource persons: what a step needs to be done, who may own it,
what the conformity view reads from them (G14 with the memento, G18), and the demo's example."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from balise.audit.models import AuditEntry
from balise.errors import Invalid, NotFound
from balise.governance.roadmap import STEPS, add_resource_person, remove_resource_person, save_step, steps
from balise.governance.roadmap_demo import ensure_roadmap_demo
from balise.governance.service import conformity_rows
from balise.i18n import use_locale
from balise.tenancy import Tenant
from tests.support.web import Member


def test_a_step_is_done_only_with_its_evidence_and_owned_by_a_member(
    make_tenant, make_member, scoped
) -> None:  # type: ignore[no-untyped-def]
    manager: Member = make_member("manager")
    stranger: Member = make_member("manager")  # of another municipality
    tenant_id = manager.tenant.id
    with scoped(tenant_id) as session:
        assert [s.key for s in steps(session)] == list(STEPS) and all(s.row is None for s in steps(session))
        with pytest.raises(Invalid, match=r"sa preuve le montre"):
            save_step(session, tenant_id, "pilot", {"status": "done", "evidence": " "}, actor="test")
        with pytest.raises(Invalid):
            save_step(session, tenant_id, "pilot", {"owner_id": stranger.user.id}, actor="test")
        with pytest.raises(Invalid):
            save_step(session, tenant_id, "pilot", {"due_on": "31/03/2027"}, actor="test")
        with pytest.raises(Invalid):
            save_step(session, tenant_id, "pilot", {"status": "finished"}, actor="test")
        with pytest.raises(NotFound):
            save_step(session, tenant_id, "seventh", {}, actor="test")
        form = {
            "owner_id": manager.user.id,
            "due_on": "2027-03-31",
            "status": "done",
            "evidence": "Résolution 2027-12.",
        }
        save_step(session, tenant_id, "pilot", form, actor="test")
        save_step(
            session, tenant_id, "pilot", {**form, "status": "in_progress"}, actor="test"
        )  # one row, updated
        pilot = next(s for s in steps(session) if s.key == "pilot")
        assert (
            pilot.status == "in_progress"
            and pilot.row is not None
            and pilot.row.evidence == "Résolution 2027-12."
        )
        entries = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "governance.roadmap_step", AuditEntry.tenant_id == tenant_id)
            .order_by(AuditEntry.seq)
        ).all()
        assert [e.details["status"] for e in entries] == ["done", "in_progress"]


def test_g14_and_g18_follow_the_steps_and_the_resource_persons(make_tenant, scoped) -> None:  # type: ignore[no-untyped-def]
    tenant = make_tenant()
    with scoped(tenant.id) as session, use_locale("fr"):
        municipality = session.get(Tenant, tenant.id)

        def rows() -> dict[str, tuple[str, str]]:
            return {r.id: (r.status, r.evidence) for r in conformity_rows(session, municipality)}

        assert rows()["G14"][0] == "missing" and rows()["G18"][0] == "missing"
        save_step(session, tenant.id, "choices", {"due_on": "2027-01-31", "owner_id": ""}, actor="test")
        assert rows()["G14"][0] == "missing"  # dated but nobody leads it
        person = add_resource_person(session, tenant.id, {"name": "Léa", "service": "Loisirs"}, actor="test")
        assert rows()["G18"] == (
            "attention",
            "Personnes-ressources : 1, dans 1 service(s) ; aucun service pilote n’est encore choisi.",
        )
        add_resource_person(
            session, tenant.id, {"name": "Marc", "service": "Urbanisme", "pilot": "1"}, actor="test"
        )
        status, evidence = rows()["G18"]
        assert status == "in_place" and "Service pilote : Urbanisme" in evidence
        remove_resource_person(session, tenant.id, person.id, actor="test")
        with pytest.raises(NotFound):
            remove_resource_person(session, tenant.id, person.id, actor="test")
        with pytest.raises(Invalid):
            add_resource_person(session, tenant.id, {"name": "", "service": "Greffe"}, actor="test")


def test_the_demo_walks_four_steps_and_names_a_pilot(make_tenant, scoped) -> None:  # type: ignore[no-untyped-def]
    tenant = make_tenant()
    with scoped(tenant.id) as session:
        municipality = session.get(Tenant, tenant.id)
        ensure_roadmap_demo(session, municipality)
        ensure_roadmap_demo(session, municipality)  # idempotent
        statuses = [s.status for s in steps(session)]
        assert statuses == ["done", "done", "done", "in_progress", "todo", "todo"]
        assert {r.id: r.status for r in conformity_rows(session, municipality)}["G18"] == "in_place"
