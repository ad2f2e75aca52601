"""Tenant-B objects for the pilot's routes: a process mapped in B. A communication's audience and
action are not tenant data: the caller's own municipality's communication is the one acted on."""

from __future__ import annotations

from sqlalchemy.orm import Session

from balise.pilot.processes import save_process
from balise.tenancy import Tenant, User
from tests.tenancy.isolation import Factory


def _process(session: Session, tenant: Tenant, user: User) -> str:
    form = {"name": "Processus secret de B", "service": "Greffe", "minutes_before": "20", "occurrences": "4"}
    return save_process(session, tenant.id, form, actor="test").id


FACTORIES: dict[str, Factory] = {"process_id": _process}
NEUTRAL = {"audience": "population", "operation": "approuver"}
