"""Tenant-B objects for the governance workspace's path parameters (issue 14).

Public pages take a municipality's slug and are public by design; the walk aims them at a slug
that does not exist, so they answer 404 rather than tenant B's public register.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from balise.governance import AISystem, add_role, save_incident, submit_complaint
from balise.governance.processing import save_activity
from balise.governance.vendors import save_vendor
from balise.tenancy import Tenant, User
from tests.tenancy.isolation import Factory


def _new_system(session: Session, tenant: Tenant, key: str) -> AISystem:
    system = AISystem(tenant_id=tenant.id, key=key, name="Système secret de B", purpose="Secret")
    session.add(system)
    session.flush()
    return system


def _system(session: Session, tenant: Tenant, user: User) -> str:
    return _new_system(session, tenant, "manual:b").id


def _role(session: Session, tenant: Tenant, user: User) -> str:
    system = _new_system(session, tenant, "manual:b-role")
    return add_role(session, system, role="responsible", person="Personne secrète de B", actor="test").id


def _complaint(session: Session, tenant: Tenant, user: User) -> str:
    return submit_complaint(
        session,
        tenant,
        kind="complaint",
        system_id="",
        name="Plaignant secret de B",
        email="b@example.org",
        phone="",
        message="Plainte secrète de B",
        client="192.0.2.1",
    ).complaint.id


def _incident(session: Session, tenant: Tenant, user: User) -> str:
    return save_incident(session, tenant.id, {"circumstances": "Incident secret de B"}, actor="test").id


def _vendor(session: Session, tenant: Tenant, user: User) -> str:
    return save_vendor(session, tenant.id, {"name": "Fournisseur secret de B"}, actor="test").id


def _activity(session: Session, tenant: Tenant, user: User) -> str:
    return save_activity(session, tenant.id, {"name": "Traitement secret de B"}, actor="test").id


FACTORIES: dict[str, Factory] = {
    "activity_id": _activity,
    "vendor_id": _vendor,
    "system_id": _system,
    "role_id": _role,
    "complaint_id": _complaint,
    "incident_id": _incident,
}
NEUTRAL = {"version": "1", "slug": "pas-une-municipalite"}
