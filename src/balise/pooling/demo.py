"""The demo's worked example of pooling (G16): the demo municipality publishes its usage policy
rules and its example evaluation set in the shared library, and a use-case card, so a second
municipality on the same deployment finds a pack to import and the conformity view shows G16 in place.

Idempotent like ``balise demo``: nothing is published again once the pack exists.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.db import scope_session
from balise.pooling.cards import publish_card
from balise.pooling.service import offers, publish
from balise.pooling.tables import SharedPack, UseCaseCard
from balise.tenancy import Tenant

NAME = "Règles d'utilisation et questions d'exemple"
CARD = {
    "title": "Réponses aux questions fréquentes des résidents",
    "tried": "L'assistant répond aux questions des résidents à partir de la FAQ et des règlements publiés.",
    "time_saved": "Exemple de démonstration : à mesurer pendant le projet pilote",
    "lessons": "Valider les réponses fréquentes une fois pour toutes, et garder un humain joignable.",
}


def ensure_demo_pooling(session: Session, tenant: Tenant) -> None:
    """Call after the demo's evaluation set exists; the caller commits."""
    scope_session(session, tenant.id)
    if session.scalar(select(UseCaseCard.id).where(UseCaseCard.publisher_id == tenant.id)) is None:
        publish_card(session, tenant, CARD, actor="demo")
    exists = session.scalar(
        select(SharedPack.id).where(SharedPack.publisher_id == tenant.id, SharedPack.name == NAME)
    )
    if exists is not None:
        return
    chosen = [f"{o.kind}:{o.key}" for o in offers(session, tenant)]
    publish(session, tenant, NAME, chosen, actor="demo")
