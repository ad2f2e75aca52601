"""Per-tenant privacy settings: which labels to mask, deny- and allow-lists, vault retention."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.errors import Invalid
from balise.guard.privacy.labels import LABELS
from balise.guard.privacy.models import PrivacySettingsRow
from balise.tenancy.contact import public_contact
from balise.tenancy.models import Tenant

MAX_RETENTION_DAYS = 3650


def _terms(terms: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(term.strip() for term in terms if term.strip()))


@dataclass(frozen=True)
class PrivacySettings:
    """What the guard masks for one municipality.

    ``deny_terms`` are always masked (e.g. names of the municipality's own files); ``allow_terms``
    are never masked (e.g. the mayor's public name, when the tenant chooses so); ``public_terms`` are
    the municipality's public contact details, read from the tenant's settings (not stored here):
    never masked, and shown as public in previews.
    """

    labels: frozenset[str] = field(default_factory=lambda: frozenset(LABELS))
    deny_terms: tuple[str, ...] = ()
    allow_terms: tuple[str, ...] = ()
    retention_days: int = 30
    public_terms: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "labels", frozenset(self.labels))
        object.__setattr__(self, "deny_terms", _terms(self.deny_terms))
        object.__setattr__(self, "allow_terms", _terms(self.allow_terms))
        object.__setattr__(self, "public_terms", _terms(self.public_terms))
        unknown = sorted(self.labels - set(LABELS))
        if unknown:
            raise Invalid(
                "Unknown personal-information label: {label}. Use one of: {labels}.",
                label=unknown[0],
                labels=", ".join(LABELS),
            )
        if not 1 <= self.retention_days <= MAX_RETENTION_DAYS:
            raise Invalid(
                "The retention period of masked values must be between 1 and {max} days; {days} was given.",
                max=MAX_RETENTION_DAYS,
                days=self.retention_days,
            )


def _public_terms(session: Session, tenant_id: str) -> tuple[str, ...]:
    """City hall's phone numbers, e-mail, address and website, as the tenant's settings give them.

    Short numbers (« 911 ») are left out: no recognizer takes them for personal information.
    """
    tenant = session.get(Tenant, tenant_id)
    if tenant is None:
        return ()
    contact = public_contact(tenant)
    phones = [p for p in (contact.phone, contact.emergency_phone) if sum(c.isdigit() for c in p) >= 7]
    return tuple(value for value in (*phones, contact.email, contact.address, contact.website) if value)


def load_settings(session: Session, tenant_id: str) -> PrivacySettings:
    """The tenant's settings, with its public contact details pre-filled as public terms."""
    public = _public_terms(session, tenant_id)
    row = session.scalars(select(PrivacySettingsRow).where(PrivacySettingsRow.tenant_id == tenant_id)).first()
    if row is None:
        return PrivacySettings(public_terms=public)
    return PrivacySettings(
        labels=frozenset(row.labels),
        deny_terms=tuple(row.deny_terms),
        allow_terms=tuple(row.allow_terms),
        retention_days=row.retention_days,
        public_terms=public,
    )


def save_settings(
    session: Session, tenant_id: str, settings: PrivacySettings, *, actor: str = "system"
) -> None:
    """Stores the settings and records the change in the audit log, in the caller's transaction."""
    row = session.scalars(select(PrivacySettingsRow).where(PrivacySettingsRow.tenant_id == tenant_id)).first()
    if row is None:
        row = PrivacySettingsRow(tenant_id=tenant_id)
        session.add(row)
    row.labels = sorted(settings.labels)
    row.deny_terms = list(settings.deny_terms)
    row.allow_terms = list(settings.allow_terms)
    row.retention_days = settings.retention_days
    session.flush()
    audit.record(
        session,
        "privacy.settings_saved",
        actor=actor,
        tenant_id=tenant_id,
        target_type="privacy_settings",
        target_id=row.id,
        details={
            "labels": sorted(settings.labels),
            "deny_terms": len(settings.deny_terms),
            "allow_terms": len(settings.allow_terms),
            "retention_days": settings.retention_days,
        },
    )
