"""Tenant-B objects for the memento's path parameters (issue 24)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from balise.memento import MementoVersion
from balise.tenancy import Tenant, User
from tests.tenancy.isolation import Factory


def _version(session: Session, tenant: Tenant, user: User) -> str:
    version = MementoVersion(
        tenant_id=tenant.id,
        number=1,
        sections=[{"key": "purpose", "title": "Secret de B", "body": "Directive secrète de B"}],
        created_by=user.id,
    )
    session.add(version)
    session.flush()
    return version.id


FACTORIES: dict[str, Factory] = {"version_id": _version}
