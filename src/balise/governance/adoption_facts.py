"""What the conformity view counts about adoption (G1, G3, G17, P1, P8, G19): complete adoption cases,
recorded effects and council decisions of the systems in use, and the vendor assessments."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.governance.adoption import missing_of as adoption_missing
from balise.governance.adoption_models import AdoptionCase, VendorAssessment
from balise.governance.models import AISystem, SystemStatus
from balise.governance.vendors import is_complete

LIVE = (SystemStatus.PILOT.value, SystemStatus.PRODUCTION.value)
EFFECTS = ("staff_autonomy", "staff_workload", "dehumanisation", "public_service")


@dataclass
class AdoptionFacts:
    live: int = 0
    cases_complete: int = 0
    effects_recorded: int = 0
    production: int = 0
    council_decided: int = 0
    production_published: int = 0
    with_supplier: int = 0
    supplier_assessed: int = 0
    vendors: int = 0
    vendors_complete: int = 0
    vendors_exit: int = 0


def adoption_facts(session: Session) -> AdoptionFacts:
    """Counts for the session's municipality."""
    cases = {c.system_id: c for c in session.scalars(select(AdoptionCase))}
    vendors = {v.id: v for v in session.scalars(select(VendorAssessment))}
    facts = AdoptionFacts(
        vendors=len(vendors),
        vendors_complete=sum(is_complete(v) for v in vendors.values()),
        vendors_exit=sum(bool(v.exit_clause.strip() and v.export_formats.strip()) for v in vendors.values()),
    )
    for system in session.scalars(select(AISystem).where(AISystem.status.in_(LIVE))):
        case = cases.get(system.id)
        facts.live += 1
        facts.cases_complete += case is not None and not adoption_missing(case)
        facts.effects_recorded += case is not None and all(getattr(case, n).strip() for n in EFFECTS)
        if system.status == SystemStatus.PRODUCTION.value:
            facts.production += 1
            facts.council_decided += case is not None and case.council_date is not None
            facts.production_published += system.published
        if not system.no_vendor:
            facts.with_supplier += 1
            vendor = vendors.get(system.vendor_assessment_id or "")
            facts.supplier_assessed += vendor is not None and is_complete(vendor)
    return facts
