"""Setting a municipality's quotas in tests, through the settings service administrators use."""

from __future__ import annotations

from sqlalchemy import Engine

from balise.db import tenant_session
from balise.gateway.quota_settings import save_quota
from balise.tenancy import Tenant


def set_quota(
    engine: Engine, tenant: Tenant, scope: str, *, user_id: str = "", service: str = "", **limits: str
) -> None:
    """A quota of ``scope`` with the given limits (``requests_per_minute="3"``…), the others unset."""
    fields = {"requests_per_minute": "", "tokens_per_day": "", "money_per_month": "", "currency": "CAD"}
    with tenant_session(tenant.id, engine) as session:
        save_quota(
            session, tenant.id, scope=scope, user_id=user_id, service=service, actor="test", **fields | limits
        )
        session.commit()
