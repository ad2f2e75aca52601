"""The municipality's jurisdiction (L1, L2): Quebec (Law 25) or Switzerland (nLPD, and its canton's law).

It is the tenant's region, which already decides data residency in the gateway: ``QC`` for Quebec,
``CH`` or ``CH-<canton>`` (``CH-VS``) for Switzerland, so an existing municipality keeps Quebec unless
its region already says Switzerland. The cantonal law's name (Valais: LIPDA) is free text under one
key of ``Tenant.settings``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from balise.errors import Invalid
from balise.i18n import N_
from balise.tenancy.models import Tenant
from balise.tenancy.settings import store_region, store_setting

QUEBEC = "quebec"
SWITZERLAND = "switzerland"
JURISDICTION_LABELS = {
    QUEBEC: N_("Quebec (Law 25, A-2.1)"),
    SWITZERLAND: N_("Switzerland (nLPD, and the canton's data protection law)"),
}
CANTONAL_LAW_KEY = "cantonal_law"
CANTON = re.compile(r"^[A-Z]{2}$")
MAX_LAW_CHARS = 300


@dataclass(frozen=True)
class Jurisdiction:
    """What the privacy pages and the gates need to know about the law that applies."""

    kind: str
    canton: str = ""
    cantonal_law: str = ""

    @property
    def swiss(self) -> bool:
        return self.kind == SWITZERLAND


def is_swiss(tenant: Tenant) -> bool:
    return (tenant.region or "").upper().startswith("CH")


def jurisdiction_of(tenant: Tenant) -> Jurisdiction:
    if not is_swiss(tenant):
        return Jurisdiction(QUEBEC)
    canton = tenant.region.upper()[3:] if len(tenant.region) > 3 else ""
    law = str((tenant.settings or {}).get(CANTONAL_LAW_KEY) or "")
    return Jurisdiction(SWITZERLAND, canton, law)


def save_jurisdiction(
    session: Session, tenant: Tenant, kind: str, *, canton: str = "", cantonal_law: str = "", actor: str
) -> Jurisdiction:
    """Set Quebec, or Switzerland with an optional canton (two letters) and the name of its law."""
    if kind not in JURISDICTION_LABELS:
        raise Invalid("Choose the law that applies: Quebec or Switzerland.")
    canton = canton.strip().upper()
    law = cantonal_law.strip()
    if kind == QUEBEC:
        region, canton, law = "QC", "", ""
    else:
        if canton and not CANTON.match(canton):
            raise Invalid("The canton is written with its two letters, for example VS or VD.")
        if len(law) > MAX_LAW_CHARS:
            raise Invalid(
                "The name of the cantonal law is too long ({max} characters at most).",
                max=MAX_LAW_CHARS,
            )
        region = f"CH-{canton}" if canton else "CH"
    if region != tenant.region:
        store_region(session, tenant, region, actor=actor)
    if law != str((tenant.settings or {}).get(CANTONAL_LAW_KEY) or ""):
        store_setting(
            session,
            tenant,
            CANTONAL_LAW_KEY,
            law or None,
            action="tenancy.cantonal_law_changed",
            actor=actor,
            details={"written": bool(law)},
        )
    return jurisdiction_of(tenant)
