"""What the web pages and commands call: each function opens the right scope and returns what a
page shows, so that routers parse, call and render, nothing more."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.db import scope_session
from balise.gateway.consumption import Consumption, consumption
from balise.governance import conformity, evidence
from balise.governance.assessment import assessments_of
from balise.governance.models import AISystem, Assessment, SystemStatus
from balise.governance.register import list_systems, sync_register
from balise.governance.roles import roles_of
from balise.review import members_with
from balise.tenancy import PublicContact, Role, Tenant, User, public_contact, tenant_by_slug


@dataclass
class PublicRegister:
    tenant: Tenant
    systems: list[AISystem]
    contact: PublicContact
    roles: dict[str, list[tuple[str, str]]]  # system id → (role kind, person)


def public_tenant(session: Session, slug: str) -> Tenant:
    """The municipality of a public page, with the session scoped to it (unknown slug: 404)."""
    tenant = tenant_by_slug(session, slug)
    scope_session(session, tenant.id)
    return tenant


def public_register(session: Session, slug: str) -> PublicRegister:
    """What residents see: the published records, kept current with the platform first."""
    tenant = public_tenant(session, slug)
    sync_register(session, tenant)
    session.commit()
    systems = [s for s in list_systems(session, published_only=True)]
    roles = {s.id: [(r.role, r.person) for r in roles_of(session, s.id)] for s in systems}
    return PublicRegister(tenant, systems, public_contact(tenant), roles)


def complaint_choices(session: Session, slug: str) -> tuple[Tenant, list[AISystem]]:
    """The municipality and the published systems a resident may complain about."""
    tenant = public_tenant(session, slug)
    systems = [
        s for s in list_systems(session, published_only=True) if s.status != SystemStatus.RETIRED.value
    ]
    return tenant, systems


def staff_register(session: Session, tenant: Tenant, *, actor: str) -> list[AISystem]:
    sync_register(session, tenant, actor=actor)
    session.commit()
    return list_systems(session)


def latest_assessments(session: Session) -> dict[str, Assessment]:
    latest: dict[str, Assessment] = {}
    for row in session.scalars(select(Assessment).order_by(Assessment.version)):
        latest[row.system_id] = row
    return latest


def history(session: Session, system_id: str) -> list[Assessment]:
    return assessments_of(session, system_id)


def staff(session: Session, tenant_id: str) -> list[User]:
    """People who may be named responsible or be assigned a complaint."""
    return members_with(session, tenant_id, Role.EMPLOYEE)


def conformity_rows(session: Session, tenant: Tenant) -> list[conformity.Row]:
    """The report's rows for ``tenant``; the register is synced first so P3 and G1 are current."""
    scope_session(session, tenant.id)
    sync_register(session, tenant)
    session.flush()
    return conformity.evaluate(evidence.gather(session, tenant))


def recent_usage(session: Session) -> Consumption:
    """The AI tools' use over the conformity view's window, for its usage by service and by tool."""
    end = today()
    return consumption(session, end - timedelta(days=evidence.WINDOW_DAYS - 1), end)


def conformity_for_slug(session: Session, slug: str) -> tuple[Tenant, list[conformity.Row]]:
    tenant = tenant_by_slug(session, slug)
    return tenant, conformity_rows(session, tenant)


def today() -> date:
    return date.today()
