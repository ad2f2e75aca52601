"""Platform signals the incident register learns from, recorded where they happen.

A refused cross-tenant write aborts its own transaction, so it is recorded here in a transaction of
its own, once the request's session is gone; :func:`balise.governance.incidents.propose_from_signals`
later turns it into a proposed incident.
"""

from __future__ import annotations

from sqlalchemy import Engine

from balise import audit
from balise.db import open_session


def record_refused_write(engine: Engine, tenant_id: str, actor: str, path: str) -> None:
    with open_session(engine) as session:
        audit.record(
            session,
            "security.cross_tenant_refused",
            actor=actor,
            tenant_id=tenant_id,
            target_type="route",
            target_id=path[:64],
        )
        session.commit()
