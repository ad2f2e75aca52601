"""Tenant-B objects for the quotas page's path parameters (issue 26)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from balise.gateway.quota_settings import save_quota
from balise.tenancy import Tenant, User
from tests.tenancy.isolation import Factory


def _quota(session: Session, tenant: Tenant, user: User) -> str:
    return save_quota(
        session,
        tenant.id,
        scope="person",
        user_id=user.id,
        service="",
        requests_per_minute="7",
        tokens_per_day="",
        money_per_month="",
        currency="CAD",
        actor="test",
    ).id


FACTORIES: dict[str, Factory] = {"quota_id": _quota}
