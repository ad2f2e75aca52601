"""The data-protection impact assessment of an AI system for a Swiss municipality (L2, nLPD art. 22).

It describes the processing, assesses whether it may bring a high risk to the personality or the
fundamental rights of the people concerned, names the measures and the residual risk. When the
residual risk stays high, art. 23 asks to consult the FDPIC (PFPDT) first: the assessment is complete
only once that consultation is recorded. The gates (:mod:`.gates`) ask for a complete assessment
before a Swiss municipality's system goes into pilot or production.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.errors import Invalid
from balise.governance.models import AISystem
from balise.governance.swiss_models import DataProtectionAssessment
from balise.i18n import N_

TEXT_FIELDS = {
    "description": N_("Description of the planned processing"),
    "risks": N_("Risks to the personality and the fundamental rights of the people concerned"),
    "measures": N_("Measures planned to protect the personality and the fundamental rights"),
}
HIGH_RISK = {"yes": N_("Yes, a high risk is likely"), "no": N_("No high risk")}
RESIDUAL = {"low": N_("Low"), "medium": N_("Moderate"), "high": N_("High")}
HIGH_RISK_LABEL = N_("Is a high risk likely before the measures?")
RESIDUAL_LABEL = N_("Residual risk after the measures")
CONSULTATION_LABEL = N_("Prior consultation of the FDPIC (date, reference and opinion)")


def dpia_of(session: Session, system_id: str) -> DataProtectionAssessment | None:
    return session.scalars(
        select(DataProtectionAssessment).where(DataProtectionAssessment.system_id == system_id)
    ).first()


def consultation_needed(dpia: DataProtectionAssessment | None) -> bool:
    """Art. 23: a residual risk that stays high calls for the FDPIC's opinion before the processing."""
    return dpia is not None and dpia.residual_risk == "high"


def missing_of(dpia: DataProtectionAssessment | None) -> list[str]:
    """The labels (msgids) still to fill; all of them without an assessment."""
    if dpia is None:
        return [*TEXT_FIELDS.values(), HIGH_RISK_LABEL, RESIDUAL_LABEL]
    missing = [label for name, label in TEXT_FIELDS.items() if not getattr(dpia, name).strip()]
    missing += [HIGH_RISK_LABEL] if dpia.high_risk not in HIGH_RISK else []
    missing += [RESIDUAL_LABEL] if dpia.residual_risk not in RESIDUAL else []
    if consultation_needed(dpia) and not dpia.consultation.strip():
        missing.append(CONSULTATION_LABEL)
    return missing


def save_dpia(
    session: Session, system: AISystem, form: Mapping[str, Any], *, actor: str
) -> DataProtectionAssessment:
    """Record the assessment as written; it may stay incomplete until the system moves on."""
    high_risk = str(form.get("high_risk", ""))
    residual = str(form.get("residual_risk", ""))
    if high_risk not in ("", *HIGH_RISK) or residual not in ("", *RESIDUAL):
        raise Invalid("Choose one of the answers offered.")
    dpia = dpia_of(session, system.id)
    if dpia is None:
        dpia = DataProtectionAssessment(tenant_id=system.tenant_id, system_id=system.id)
        session.add(dpia)
    for name in (*TEXT_FIELDS, "consultation"):
        setattr(dpia, name, str(form.get(name, "")).strip())
    dpia.high_risk, dpia.residual_risk = high_risk, residual
    session.flush()
    audit.record(
        session,
        "governance.dpia_saved",
        actor=actor,
        tenant_id=system.tenant_id,
        target_type="ai_system",
        target_id=system.id,
        details={"missing": len(missing_of(dpia)), "residual_risk": residual},
    )
    return dpia


def suggested(system: AISystem) -> dict[str, str]:
    """What the register already says, to start the description, the risks and the measures."""
    description = "\n".join(part for part in (system.purpose, system.description, system.data_used) if part)
    return {"description": description, "risks": system.risks, "measures": system.mitigations}
