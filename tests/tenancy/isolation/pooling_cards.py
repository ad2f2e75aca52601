"""Tenant-B objects for the use-case cards' path parameter (issue 24): a card B withdrew, which no
other municipality may see or withdraw."""

from __future__ import annotations

from sqlalchemy.orm import Session

from balise.pooling import UseCaseCard
from balise.tenancy import Tenant, User
from tests.tenancy.isolation import Factory


def _card(session: Session, tenant: Tenant, user: User) -> str:
    card = UseCaseCard(
        publisher_id=tenant.id, title="Fiche secrète de B", tried="Essai secret", published=False
    )
    session.add(card)
    session.flush()
    return card.id


FACTORIES: dict[str, Factory] = {"card_id": _card}
