"""The demo's worked example of pooling (G16): the demo municipality publishes its usage policy
rules and its example evaluation set in the shared library, so a second municipality on the same
deployment finds a pack to import and the conformity view shows G16 in place.

Idempotent like ``balise demo``: nothing is published again once the pack exists.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.db import scope_session
from balise.pooling.service import offers, publish
from balise.pooling.tables import SharedPack
from balise.tenancy import Tenant

NAME = "Règles d'utilisation et questions d'exemple"


def ensure_demo_pooling(session: Session, tenant: Tenant) -> None:
    """Call after the demo's evaluation set exists; the caller commits."""
    scope_session(session, tenant.id)
    exists = session.scalar(
        select(SharedPack.id).where(SharedPack.publisher_id == tenant.id, SharedPack.name == NAME)
    )
    if exists is not None:
        return
    chosen = [f"{o.kind}:{o.key}" for o in offers(session, tenant)]
    publish(session, tenant, NAME, chosen, actor="demo")
