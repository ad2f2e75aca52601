"""Tenant-B objects for the AI tools page's path parameters (sanctioned and forbidden services).

A blocklist's format is not tenant data; the stable address takes a slug, aimed at one that does
not exist (``governance.NEUTRAL``), so it answers 404 rather than tenant B's list.
"""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from balise.governance.shadow import save_service
from balise.tenancy import Tenant, User
from tests.tenancy.isolation import Factory


def _service(session: Session, tenant: Tenant, user: User) -> str:
    mark = secrets.token_hex(4)  # the walks make one per route
    form = {"name": f"Service secret de B {mark}", "status": "forbidden", "domains": f"secret-{mark}.example"}
    return save_service(session, tenant.id, form, actor="test").id


FACTORIES: dict[str, Factory] = {"service_id": _service}
NEUTRAL = {"format": "hosts"}
