"""A municipality's public contact details: the human channels residents can always reach (X3, P3).

They are public information, not personal information: the citizen assistant shows them on every
screen and the privacy guard leaves them unmasked. Stored in ``Tenant.settings`` under one key so
that no migration is needed to add a field.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from sqlalchemy.orm import Session

from balise.tenancy.models import Tenant
from balise.tenancy.settings import store_setting

CONTACT_KEY = "public_contact"


@dataclass(frozen=True)
class PublicContact:
    """How residents reach a person at city hall; every field is optional free text."""

    phone: str = ""
    email: str = ""
    address: str = ""
    opening_hours: str = ""
    emergency_phone: str = "911"
    website: str = ""

    def values(self) -> list[str]:
        """The non-empty contact values, for allow-lists and displays."""
        return [value for value in asdict(self).values() if value]


def public_contact(tenant: Tenant) -> PublicContact:
    stored = (tenant.settings or {}).get(CONTACT_KEY) or {}
    known = {field.name for field in fields(PublicContact)}
    return PublicContact(**{key: str(value) for key, value in stored.items() if key in known})


def set_public_contact(session: Session, tenant: Tenant, contact: PublicContact, *, actor: str) -> None:
    store_setting(
        session,
        tenant,
        CONTACT_KEY,
        asdict(contact),
        action="tenancy.public_contact_changed",
        actor=actor,
        details={"fields": sorted(key for key, value in asdict(contact).items() if value)},
    )
