"""What the conformity view counts about the Swiss instruments (L2): AI systems handling personal
data, their entries in the processing register and their data-protection impact assessments.

A system counts as handling personal data unless its latest impact assessment answered "none".
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.governance.assessment import assessments_of
from balise.governance.dpia import dpia_of
from balise.governance.dpia import missing_of as dpia_missing
from balise.governance.models import AISystem, SystemStatus
from balise.governance.processing import activities_by_system, list_activities
from balise.governance.processing import missing_of as activity_missing
from balise.tenancy import Tenant
from balise.tenancy.jurisdiction import is_swiss


@dataclass
class SwissFacts:
    swiss: bool = False
    personal: int = 0
    registered: int = 0
    dpia_complete: int = 0
    consultations: int = 0
    entries: int = 0
    entries_complete: int = 0


def handles_personal(session: Session, system: AISystem) -> bool:
    latest = next(iter(assessments_of(session, system.id)), None)
    return latest is None or latest.answers.get("personal") != "none"


def swiss_facts(session: Session, tenant: Tenant) -> SwissFacts:
    """Counts for the session's municipality; nothing is read for a Quebec one."""
    if not is_swiss(tenant):
        return SwissFacts()
    activities = list_activities(session)
    facts = SwissFacts(
        swiss=True,
        entries=len(activities),
        entries_complete=sum(not activity_missing(a) for a in activities),
    )
    named = activities_by_system(session)
    systems = session.scalars(select(AISystem).where(AISystem.status != SystemStatus.RETIRED.value))
    for system in systems:
        if not handles_personal(session, system):
            continue
        facts.personal += 1
        facts.registered += system.id in named
        dpia = dpia_of(session, system.id)
        facts.dpia_complete += not dpia_missing(dpia)
        facts.consultations += dpia is not None and dpia.residual_risk == "high"
    return facts
