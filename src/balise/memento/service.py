"""The memento's life: generated from the settings, edited into new versions, adopted on a date,
acknowledged by each employee (G14, G6).

Every function takes a session scoped to the municipality. A version is never changed after it is
saved (only its adoption is recorded on it), so an acknowledgement always points at the text read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from balise import audit
from balise.bounds import check_length
from balise.db.base import utcnow
from balise.errors import Invalid, NotFound
from balise.gateway import ModelBackend
from balise.i18n import gettext_
from balise.memento.content import Contact, Inputs, Tool, sections
from balise.memento.tables import MementoAcknowledgement, MementoVersion
from balise.review import members_with
from balise.tenancy import Role, Tenant, User
from balise.tenancy.models import Membership

MAX_TITLE = 200
MAX_BODY = 20_000
MAX_SECTIONS = 40
LIVE = ("pilot", "production")
"""The register's statuses of a tool in use (``governance.SystemStatus``)."""
RESOURCE_KINDS = ("responsible", "owner", "technical")


@dataclass(frozen=True)
class Reader:
    """A person of the municipality and when they acknowledged the version shown (``None``: not yet)."""

    user: User
    acknowledged_at: datetime | None


def gather_inputs(session: Session, tenant: Tenant) -> Inputs:
    """What the memento says of this municipality: its live register entries (with each model's
    ceiling from the registry), its designated privacy officer, its managers, the people the
    register names for its systems, and the AI services it forbids (the shadow-AI lists).

    Governance is imported here, not above: its conformity view reads the memento's facts, so the
    memento package must load without it.
    """
    from balise.governance.models import AISystem, SystemRole
    from balise.governance.roles import ROLE_KINDS, designated_privacy_officer
    from balise.governance.shadow import list_services
    from balise.governance.shadow_models import ServiceStatus

    ceilings = {f"model:{b.name}": b.max_classification for b in session.scalars(select(ModelBackend))}
    systems = sorted(
        session.scalars(select(AISystem).where(AISystem.status.in_(LIVE))), key=lambda s: s.name.lower()
    )
    tools = [Tool(s.name, s.purpose, s.hosting, ceilings.get(s.key, "")) for s in systems]
    officer = designated_privacy_officer(session, tenant)
    leads = [
        m.user
        for m in session.scalars(select(Membership).where(Membership.role == Role.MANAGER.value))
        if m.user.active
    ]
    names = {s.id: s.name for s in systems}
    resource: dict[str, list[str]] = {}
    for role in session.scalars(select(SystemRole).where(SystemRole.role.in_(RESOURCE_KINDS))):
        if role.system_id in names:
            duty = f"{gettext_(ROLE_KINDS[role.role])}, {names[role.system_id]}"
            resource.setdefault(role.person, []).append(duty)
    return Inputs(
        municipality=tenant.name,
        tools=tools,
        forbidden=[
            f"{service.name} ({', '.join(service.domains)})"
            for service in list_services(session, ServiceStatus.FORBIDDEN.value)
        ],
        privacy_officer=Contact(
            officer.display_name,
            officer.email,
            gettext_("Person in charge of the protection of personal information"),
        )
        if officer
        else None,
        project_leads=[
            Contact(u.display_name, u.email, gettext_("Project lead for AI"))
            for u in sorted(leads, key=lambda u: u.display_name.lower())
        ],
        resource_persons=[
            Contact(person, "", "; ".join(duties)) for person, duties in sorted(resource.items())
        ],
    )


def versions(session: Session) -> list[MementoVersion]:
    """Every version, newest first."""
    return list(session.scalars(select(MementoVersion).order_by(MementoVersion.number.desc())))


def get_version(session: Session, version_id: str) -> MementoVersion:
    version = session.get(MementoVersion, version_id)
    if version is None:
        raise NotFound("This version of the memento does not exist. Go back to the memento page.")
    return version


def current(session: Session) -> MementoVersion | None:
    """The version adopted last: the one in force, which staff acknowledge."""
    return session.scalars(
        select(MementoVersion)
        .where(MementoVersion.adopted_at.is_not(None))
        .order_by(MementoVersion.adopted_at.desc(), MementoVersion.number.desc())
    ).first()


def _new_version(
    session: Session, tenant: Tenant, parts: list[dict[str, Any]], note: str, *, actor: str, action: str
) -> MementoVersion:
    number = (session.scalar(select(func.max(MementoVersion.number))) or 0) + 1
    version = MementoVersion(tenant_id=tenant.id, number=number, sections=parts, note=note, created_by=actor)
    session.add(version)
    session.flush()
    audit.record(
        session,
        action,
        actor=actor,
        tenant_id=tenant.id,
        target_type="memento",
        target_id=version.id,
        details={"number": number, "sections": len(parts)},
    )
    return version


def generate(session: Session, tenant: Tenant, *, actor: str) -> MementoVersion:
    """A new draft version written from the settings as they are now."""
    parts = sections(gather_inputs(session, tenant))
    return _new_version(
        session,
        tenant,
        parts,
        gettext_("Generated from the settings"),
        actor=actor,
        action="memento.generated",
    )


def save_version(
    session: Session, tenant: Tenant, based_on: MementoVersion, form: Mapping[str, Any], *, actor: str
) -> MementoVersion:
    """The manager's edit of ``based_on`` saved as a new version (``based_on`` stays as it was).

    The form has ``title_N`` and ``body_N`` per section, and ``title_new``/``body_new`` to add one;
    a section whose title and text are both emptied is removed.
    """
    parts: list[dict[str, Any]] = []
    rows = [(str(i), s.get("key", "")) for i, s in enumerate(based_on.sections)] + [("new", "added")]
    for index, key in rows:
        title = str(form.get(f"title_{index}", "")).strip()
        body = str(form.get(f"body_{index}", "")).strip().replace("\r\n", "\n")
        if not title and not body:
            continue
        if not title:
            raise Invalid("Every section needs a title. Give one, or empty its text to remove it.")
        check_length(title, MAX_TITLE, gettext_("Title"))
        check_length(body, MAX_BODY, gettext_("Text"))
        parts.append({"key": key, "title": title, "body": body})
    if not parts:
        raise Invalid("The memento needs at least one section. Write one before saving.")
    if len(parts) > MAX_SECTIONS:
        raise Invalid(
            "The memento has too many sections ({count}); keep {max} at most.",
            count=len(parts),
            max=MAX_SECTIONS,
        )
    if parts == based_on.sections:
        raise Invalid(
            "Nothing changed since version {number}. Edit a section before saving.", number=based_on.number
        )
    note = str(form.get("note", "")).strip()
    check_length(note, MAX_TITLE, gettext_("What changed"))
    return _new_version(session, tenant, parts, note, actor=actor, action="memento.saved")


def import_version(
    session: Session, tenant: Tenant, parts: list[dict[str, Any]], *, actor: str
) -> MementoVersion:
    """Another municipality's memento text as a new draft version (G16): never adopted here until a
    manager adopts it (the pooling page's imports say where it came from)."""
    note = gettext_("Imported from another municipality's pack")
    return _new_version(session, tenant, parts, note, actor=actor, action="memento.imported")


def adopt(
    session: Session, tenant: Tenant, version: MementoVersion, on: str, *, actor: str
) -> MementoVersion:
    """Records the adoption of ``version`` on the date ``on`` (ISO): it becomes the current version and
    every employee is asked to acknowledge it at their next sign-in."""
    if version.adopted_at is not None:
        raise Invalid(
            "Version {number} is already adopted. Adopt a newer version instead.", number=version.number
        )
    try:
        adopted_on = date.fromisoformat(on.strip())
    except ValueError:
        raise Invalid("Give the adoption date as a date (for example 2026-12-07).") from None
    if adopted_on > date.today():
        raise Invalid("The adoption date is in the future. Adopt the memento on the day it is adopted.")
    version.adopted_on, version.adopted_by, version.adopted_at = adopted_on, actor, utcnow()
    session.flush()
    audit.record(
        session,
        "memento.adopted",
        actor=actor,
        tenant_id=tenant.id,
        target_type="memento",
        target_id=version.id,
        details={"number": version.number, "adopted_on": adopted_on.isoformat()},
    )
    return version


def pending_for(session: Session, user_id: str) -> MementoVersion | None:
    """The current version when this person has not acknowledged it yet."""
    version = current(session)
    if version is None:
        return None
    return None if _acknowledgement(session, version, user_id) else version


def _acknowledgement(
    session: Session, version: MementoVersion, user_id: str
) -> MementoAcknowledgement | None:
    return session.scalars(
        select(MementoAcknowledgement).where(
            MementoAcknowledgement.version_id == version.id, MementoAcknowledgement.user_id == user_id
        )
    ).first()


def acknowledge(session: Session, tenant: Tenant, user_id: str, version_id: str) -> MementoAcknowledgement:
    """The person states they read the current version; saying it twice keeps the first time."""
    version = get_version(session, version_id)
    latest = current(session)
    if latest is None or latest.id != version.id:
        raise Invalid("A newer version of the memento is in force. Read it, then acknowledge it.")
    found = _acknowledgement(session, version, user_id)
    if found is not None:
        return found
    row = MementoAcknowledgement(tenant_id=tenant.id, version_id=version.id, user_id=user_id)
    session.add(row)
    session.flush()
    audit.record(
        session,
        "memento.acknowledged",
        actor=user_id,
        tenant_id=tenant.id,
        target_type="memento",
        target_id=version.id,
        details={"number": version.number},
    )
    return row


def readers(session: Session, tenant: Tenant, version: MementoVersion) -> list[Reader]:
    """Everyone working for the municipality, with when they acknowledged ``version``; those who have
    not come first."""
    times = {
        a.user_id: a.acknowledged_at
        for a in session.scalars(
            select(MementoAcknowledgement).where(MementoAcknowledgement.version_id == version.id)
        )
    }
    people = [Reader(u, times.get(u.id)) for u in members_with(session, tenant.id, Role.EMPLOYEE)]
    return sorted(people, key=lambda r: (r.acknowledged_at is not None, r.user.display_name.lower()))
