"""Use-case cards (G16): what a municipality tried with AI, the time it saved and its lessons,
published for the other municipalities of the deployment, who read them read-only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.bounds import check_length
from balise.errors import Invalid, NotFound
from balise.i18n import N_, gettext_
from balise.pooling.tables import UseCaseCard
from balise.tenancy import Tenant

MAX_TITLE = 200
MAX_TEXT = 4000


def publish_card(session: Session, tenant: Tenant, form: dict[str, Any], *, actor: str) -> UseCaseCard:
    """A new card from the form's ``title``, ``tried``, ``time_saved`` and ``lessons``."""
    values = {k: str(form.get(k, "")).strip() for k in ("title", "tried", "time_saved", "lessons")}
    if not values["title"] or not values["tried"]:
        raise Invalid("A use-case card needs a title and what was tried.")
    check_length(values["title"], MAX_TITLE, gettext_(N_("Title")))
    check_length(values["time_saved"], MAX_TITLE, gettext_(N_("Time saved")))
    for key in ("tried", "lessons"):
        check_length(values[key], MAX_TEXT, gettext_(N_("Text")))
    card = UseCaseCard(publisher_id=tenant.id, **values)
    session.add(card)
    session.flush()
    audit.record(
        session,
        "pooling.card_published",
        actor=actor,
        tenant_id=tenant.id,
        target_type="use_case_card",
        target_id=card.id,
    )
    return card


def withdraw_card(session: Session, tenant: Tenant, card_id: str, *, actor: str) -> UseCaseCard:
    card = session.scalar(
        select(UseCaseCard).where(UseCaseCard.id == card_id, UseCaseCard.publisher_id == tenant.id)
    )
    if card is None:
        raise NotFound("This use-case card does not exist, or it is not yours.")
    card.published = False
    audit.record(
        session,
        "pooling.card_withdrawn",
        actor=actor,
        tenant_id=tenant.id,
        target_type="use_case_card",
        target_id=card.id,
    )
    return card


@dataclass(frozen=True)
class CardView:
    card: UseCaseCard
    publisher: str
    mine: bool


def cards(session: Session, tenant: Tenant) -> list[CardView]:
    """Published cards of every municipality of the deployment, newest first; one's own marked."""
    rows = session.execute(
        select(UseCaseCard, Tenant.name)
        .join(Tenant, Tenant.id == UseCaseCard.publisher_id)
        .where(UseCaseCard.published.is_(True))
        .order_by(UseCaseCard.published_at.desc())
        .limit(200)
    ).all()
    return [CardView(card, name, card.publisher_id == tenant.id) for card, name in rows]
