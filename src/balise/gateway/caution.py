"""How cautious the answers extracted without a model are: the municipality's choice of trade-off.

The reader says that the documents do not answer when its best candidate scores under a threshold
(:data:`balise.gateway.reader.ABSTAIN_BELOW`). Where that threshold should sit depends on the
library and on who reads the answer: measured by ``bench/answers.py``, the standard level answers
0.91 of the PIAF questions with the right source but abstains on only 4 of the 12 unanswerable
questions on the Montpellier deliberations; the strict level abstains on 10 of them and keeps the
right source for 0.97 of the answerable ones there, but refuses about half of the paraphrased PIAF
questions. Staff who check every cited source may prefer the first, a town whose residents read
the answers the last. Kept in ``Tenant.settings`` under one key; applies to staff and residents.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from balise.errors import Invalid
from balise.gateway.reader import ABSTAIN_BELOW
from balise.i18n import N_
from balise.tenancy.models import Tenant
from balise.tenancy.settings import store_setting

CAUTION_KEY = "extractive_caution"
DEFAULT_CAUTION = "standard"
CAUTION_THRESHOLDS: dict[str, float] = {"standard": ABSTAIN_BELOW, "prudent": 0.50, "strict": 0.60}
CAUTION_LABELS: dict[str, str] = {
    "standard": N_("Standard: answers whenever a passage matches well enough"),
    "prudent": N_("Prudent: says more often that the documents do not answer"),
    "strict": N_("Strict: answers only when a passage clearly matches the question"),
}


def caution_of(tenant: Tenant | None) -> str:
    value = (tenant.settings or {}).get(CAUTION_KEY) if tenant is not None else None
    return value if value in CAUTION_THRESHOLDS else DEFAULT_CAUTION


def abstain_threshold(tenant: Tenant | None) -> float:
    """The confidence under which the tenant's extracted answers say that the documents do not answer."""
    return CAUTION_THRESHOLDS[caution_of(tenant)]


def set_caution(session: Session, tenant: Tenant, level: str, *, actor: str) -> None:
    if level not in CAUTION_THRESHOLDS:
        raise Invalid("Unknown caution level “{level}”. Choose one of the levels offered.", level=level)
    store_setting(
        session,
        tenant,
        CAUTION_KEY,
        level,
        action="gateway.caution_set",
        actor=actor,
        details={"caution": level, "abstain_below": CAUTION_THRESHOLDS[level]},
    )
