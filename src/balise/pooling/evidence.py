"""What the conformity view reads of pooling (G16): the municipalities of the deployment, the packs
this one published and still shares, and those it imported, from how many origins."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
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
    kinds: str = ""
    """Each kind of item it shares or imported and how many, in the reader's language."""


def _kinds(shared: Sequence[str], imported: Sequence[list[dict[str, str]]]) -> str:
    """« Vendor assessment: 2, AI memento text: 1 » over the items shared and those imported."""
    # Imported here: the kinds read the governance register, whose package reads these facts.
    from balise.pooling.kinds import ADDED
    from balise.pooling.service import kind_label

    counted = Counter(item["kind"] for document in shared for item in json.loads(document)["items"])
    counted.update(o["kind"] for outcomes in imported for o in outcomes if o["status"] == ADDED)
    return ", ".join(f"{kind_label(kind)} : {count}" for kind, count in sorted(counted.items()))


def pooling_facts(session: Session, tenant: Tenant) -> PoolingFacts:
    shared = session.scalars(
        select(SharedPack.document).where(
            SharedPack.publisher_id == tenant.id, SharedPack.published.is_(True)
        )
    ).all()
    imported = session.scalars(select(PackImport.outcomes)).all()
    return PoolingFacts(
        municipalities=session.scalar(select(func.count(Tenant.id))) or 0,
        published=len(shared),
        published_items=sum(len(json.loads(document)["items"]) for document in shared),
        imported=len(imported),
        origins=session.scalar(select(func.count(func.distinct(PackImport.origin_municipality)))) or 0,
        cards=session.scalar(
            select(func.count(UseCaseCard.id)).where(
                UseCaseCard.publisher_id == tenant.id, UseCaseCard.published.is_(True)
            )
        )
        or 0,
        kinds=_kinds(shared, imported),
    )
