"""Roles and responsibilities for each AI system (G4, L1 s. 8).

Every system needs a person responsible; the person in charge of the protection of personal
information is named for each system too, so residents and staff know whom a complaint reaches.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.errors import Invalid, NotFound
from balise.governance.models import AISystem, SystemRole
from balise.i18n import N_
from balise.review import members_with
from balise.tenancy import Role

ROLE_KINDS = {
    "responsible": N_("Person responsible for the system"),
    "privacy_officer": N_("Person in charge of the protection of personal information"),
    "owner": N_("Business owner (service that uses it)"),
    "technical": N_("Technical contact"),
    "reviewer": N_("Reviewer of outputs"),
    "supplier_contact": N_("Supplier contact"),
}
REQUIRED_KINDS = ("responsible", "privacy_officer")


def check_member(session: Session, tenant_id: str, user_id: str | None) -> None:
    """A person linked to a system or a complaint must work for this municipality."""
    if user_id and user_id not in {u.id for u in members_with(session, tenant_id, Role.EMPLOYEE)}:
        raise Invalid("Choose a person of the municipality from the list.")


def roles_of(session: Session, system_id: str) -> list[SystemRole]:
    order = list(ROLE_KINDS)
    rows = session.scalars(select(SystemRole).where(SystemRole.system_id == system_id))
    return sorted(rows, key=lambda r: (order.index(r.role) if r.role in order else 99, r.person.lower()))


def missing_roles(session: Session, system_id: str) -> list[str]:
    """The required kinds nobody holds yet on this system."""
    held = {r.role for r in roles_of(session, system_id)}
    return [kind for kind in REQUIRED_KINDS if kind not in held]


def add_role(
    session: Session,
    system: AISystem,
    *,
    role: str,
    person: str,
    user_id: str | None = None,
    duties: str = "",
    actor: str,
) -> SystemRole:
    if role not in ROLE_KINDS:
        raise Invalid("Choose a role from the list.")
    if not person.strip():
        raise Invalid("Give the name or the title of the person who holds this role.")
    check_member(session, system.tenant_id, user_id)
    row = SystemRole(
        tenant_id=system.tenant_id,
        system_id=system.id,
        role=role,
        person=person.strip(),
        user_id=user_id or None,
        duties=duties.strip(),
    )
    session.add(row)
    if role == "responsible":
        system.responsible_person = row.person
        if user_id:
            system.responsible_user_id = user_id
    session.flush()
    audit.record(
        session,
        "governance.role_assigned",
        actor=actor,
        tenant_id=system.tenant_id,
        target_type="ai_system",
        target_id=system.id,
        details={"role": role, "role_id": row.id, "linked_account": bool(user_id)},
    )
    return row


def remove_role(session: Session, system: AISystem, role_id: str, *, actor: str) -> None:
    row = session.scalars(
        select(SystemRole).where(SystemRole.id == role_id, SystemRole.system_id == system.id)
    ).first()
    if row is None:
        raise NotFound("This role was already removed. Reload the page.")
    session.delete(row)
    session.flush()
    audit.record(
        session,
        "governance.role_removed",
        actor=actor,
        tenant_id=system.tenant_id,
        target_type="ai_system",
        target_id=system.id,
        details={"role": row.role, "role_id": role_id},
    )
