"""The demo's worked example of pooling (G16): the demo municipality publishes its usage policy
rules, its example evaluation set, its memento text and its assessment of Balise as a supplier in the
shared library, and a use-case card, so a second municipality on the same deployment finds a pack to
import and the conformity view shows G16 in place.

Idempotent like ``balise demo``: the pack is published again only when it lacks one of these kinds.
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.db import scope_session
from balise.governance.adoption_demo import BALISE
from balise.pooling.cards import publish_card
from balise.pooling.kinds import Offer
from balise.pooling.service import offers, publish
from balise.pooling.tables import SharedPack, UseCaseCard
from balise.tenancy import Tenant

KINDS = ("policy_rule", "eval_set", "memento")
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
    chosen = [f"{o.kind}:{o.key}" for o in offers(session, tenant) if _shared(o)]
    document = session.scalar(
        select(SharedPack.document).where(SharedPack.publisher_id == tenant.id, SharedPack.name == NAME)
    )
    if document is not None and {i["kind"] for i in json.loads(document)["items"]} >= {
        key.split(":")[0] for key in chosen
    }:
        return
    publish(session, tenant, NAME, chosen, actor="demo")


def _shared(offer: Offer) -> bool:
    """The demo's rules, example set and memento, and its assessment of Balise (not of the others)."""
    return offer.kind in KINDS or (offer.kind == "vendor" and offer.title == BALISE["name"])
