"""Roles and responsibilities for each AI system (G4, L1 s. 8).

Every system needs a person responsible; the person in charge of the protection of personal
information is named for each system too, so residents and staff know whom a complaint reaches.
The municipality also designates one account as its person in charge (``designate_privacy_officer``):
complaints about a tool without a responsible person go to them, never to an account picked by name.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.errors import Invalid, NotFound
from balise.governance.models import AISystem, SystemRole
from balise.i18n import N_
from balise.review import members_with
from balise.tenancy import Role, Tenant, User, store_setting

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


PRIVACY_OFFICER_KEY = "privacy_officer_user_id"


def privacy_officers(session: Session, tenant_id: str) -> list[User]:
    """The people who may be designated: a privacy officer or administrator role here."""
    return members_with(session, tenant_id, Role.PRIVACY_OFFICER)


def designated_privacy_officer(session: Session, tenant: Tenant) -> User | None:
    """The person the municipality designated in charge of the protection of personal information
    (Law 25 s. 8), while they still hold a privacy role here; else ``None``: nobody is guessed."""
    user_id = (tenant.settings or {}).get(PRIVACY_OFFICER_KEY)
    if not user_id:
        return None
    return next((u for u in members_with(session, tenant.id, Role.PRIVACY_OFFICER) if u.id == user_id), None)


def designate_privacy_officer(session: Session, tenant: Tenant, user_id: str, *, actor: str) -> None:
    """Names (or, with ``""``, un-names) the person complaints go to when their tool has no
    responsible person; only someone with a privacy role may be named."""
    if user_id and user_id not in {u.id for u in members_with(session, tenant.id, Role.PRIVACY_OFFICER)}:
        raise Invalid(
            "Choose a person who has the privacy officer or administrator role in this municipality."
        )
    store_setting(
        session,
        tenant,
        PRIVACY_OFFICER_KEY,
        user_id or None,
        action="governance.privacy_officer_designated",
        actor=actor,
        details={"designated": bool(user_id), "user_id": user_id or None},
    )
