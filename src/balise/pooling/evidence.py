"""What the conformity view reads of pooling (G16): the municipalities of the deployment, the packs
this one published and still shares, and those it imported, from how many origins."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from balise.pooling.tables import PackImport, SharedPack, UseCaseCard
from balise.tenancy import Tenant


@dataclass
class PoolingFacts:
    municipalities: int = 0
    """Municipalities this deployment serves."""
    published: int = 0
    """Packs this municipality shares in the library now."""
    published_items: int = 0
    imported: int = 0
    origins: int = 0
    """Distinct municipalities its imports came from."""
    cards: int = 0
    """Use-case cards it publishes for its peers."""


def pooling_facts(session: Session, tenant: Tenant) -> PoolingFacts:
    shared = session.scalars(
        select(SharedPack.document).where(
            SharedPack.publisher_id == tenant.id, SharedPack.published.is_(True)
        )
    ).all()
    return PoolingFacts(
        municipalities=session.scalar(select(func.count(Tenant.id))) or 0,
        published=len(shared),
        published_items=sum(len(json.loads(document)["items"]) for document in shared),
        imported=session.scalar(select(func.count(PackImport.id))) or 0,
        origins=session.scalar(select(func.count(func.distinct(PackImport.origin_municipality)))) or 0,
        cards=session.scalar(
            select(func.count(UseCaseCard.id)).where(
                UseCaseCard.publisher_id == tenant.id, UseCaseCard.published.is_(True)
            )
        )
        or 0,
    )
