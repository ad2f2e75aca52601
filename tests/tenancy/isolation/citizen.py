"""Tenant-B objects for the citizen assistant's path parameters (issue 13).

The public routes take a slug; the walk aims them at a municipality that does not exist (see
``governance.NEUTRAL``), so they answer 404 rather than tenant B's exchanges or requests.
"""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from balise.citizen.models import CitizenExchange, CitizenRequest
from balise.tenancy import Tenant, User
from tests.tenancy.isolation import Factory


def _exchange(session: Session, tenant: Tenant, user: User) -> str:
    exchange = CitizenExchange(
        tenant_id=tenant.id,
        session_hash=secrets.token_hex(32),
        question="Question secrète de B",
        answer="Réponse secrète de B",
        outcome="answered",
    )
    session.add(exchange)
    session.flush()
    return exchange.id


def _request(session: Session, tenant: Tenant, user: User) -> str:
    request = CitizenRequest(
        tenant_id=tenant.id,
        kind="escalation",
        reference="B-SECRET",
        session_hash=secrets.token_hex(32),
        token_hash=secrets.token_hex(32),
        message="Demande secrète de B",
    )
    session.add(request)
    session.flush()
    return request.id


FACTORIES: dict[str, Factory] = {"exchange_id": _exchange, "request_id": _request}
NEUTRAL = {"token": "jeton-inconnu", "action": "ask"}
