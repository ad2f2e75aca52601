"""The one place where the assistant's tasks wait for training (G13): a dependency the task routes
use instead of ``current_principal`` — pages, JSON API, stream and the OpenAI-compatible door — so
the rule of :mod:`balise.training.gate` cannot be forgotten on one of them."""

from __future__ import annotations

from fastapi import Depends

from balise.db import Session
from balise.training.gate import check_trained
from balise.web.deps import Principal, current_principal, tenant_db


def trained_principal(
    principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> Principal:
    """The signed-in person (or token), refused with a link to the quiz while their municipality
    requires the quiz and they have not passed it."""
    check_trained(db, principal.tenant, principal.user.id)
    return principal
