"""One key of a municipality's ``Tenant.settings``, written and audited in one place.

Settings that need no table of their own (the public contact, the AI-use mention, the citizen
assistant's options, the history's retention, the caution of extracted answers) each live under
one key, so adding one needs no migration; every change is recorded in the audit log.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from balise import audit
from balise.tenancy.models import Tenant


def store_setting(
    session: Session,
    tenant: Tenant,
    key: str,
    value: Any,
    *,
    action: str,
    actor: str,
    details: dict[str, Any],
) -> None:
    """Write ``value`` under ``key`` (``None`` removes it, restoring the default) and audit ``action``."""
    settings = dict(tenant.settings or {})
    if value is None:
        settings.pop(key, None)
    else:
        settings[key] = value
    tenant.settings = settings  # a new dict, so that the JSON column is seen as changed
    audit.record(
        session,
        action,
        actor=actor,
        tenant_id=tenant.id,
        target_type="tenant",
        target_id=tenant.id,
        details=details,
    )


def store_region(session: Session, tenant: Tenant, region: str, *, actor: str) -> None:
    """Write the municipality's region (its jurisdiction: ``QC``, ``CH``, ``CH-VS``…) and audit it.

    A column rather than a key of ``settings``, because the gateway reads it for data residency; it is
    written here so that every tenant-level setting still has one writer.
    """
    before = tenant.region
    tenant.region = region
    audit.record(
        session,
        "tenancy.region_changed",
        actor=actor,
        tenant_id=tenant.id,
        target_type="tenant",
        target_id=tenant.id,
        details={"before": before, "after": region},
    )
