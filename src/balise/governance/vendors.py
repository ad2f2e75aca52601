"""Vendor assessment (G3, G17): what a supplier does with the municipality's data, how to leave it,
and a weighted score that makes two suppliers comparable.

Each criterion is scored 0 (unacceptable) to 4 (exemplary) by the manager, from the facts recorded
beside it; the score is the weighted average as a percentage. The weights are the guides' priorities
(where the data go and what is done with them first, then the way out) and are shown on the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.errors import Invalid, NotFound
from balise.governance.adoption_models import VendorAssessment
from balise.governance.hosting import HOSTINGS
from balise.governance.models import AISystem
from balise.i18n import N_, gettext_

MAX_POINTS = 4


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str  # msgid
    weight: int


CRITERIA = (
    Criterion("hosting", N_("Hosting and jurisdiction"), 3),
    Criterion("data_use", N_("No reuse of the municipality's data (training, retention)"), 3),
    Criterion("exit", N_("Way out: exports and exit clause"), 2),
    Criterion("interoperability", N_("Interoperability (OpenAI-compatible API, open formats)"), 2),
    Criterion("security", N_("Security: certifications and subcontractors"), 2),
    Criterion("price", N_("Price and its predictability"), 1),
)
ANSWER_LABELS = {"yes": N_("Yes"), "no": N_("No"), "unknown": N_("Unknown")}
TEXT_FIELDS = (
    "name",
    "hosting",
    "jurisdiction",
    "training_reuse",
    "retention",
    "certifications",
    "subcontractors",
    "export_formats",
    "exit_clause",
    "openai_compatible",
    "interoperability",
    "price",
)
FIELD_LABELS = {
    "name": N_("Name of the supplier"),
    "hosting": N_("Where the data are hosted"),
    "jurisdiction": N_("Jurisdiction and applicable law"),
    "training_reuse": N_("Does the supplier reuse the municipality's data to train its models?"),
    "retention": N_("How long the supplier keeps the data"),
    "certifications": N_("Security certifications (ISO 27001, SOC 2…)"),
    "subcontractors": N_("Subcontractors who receive the data"),
    "export_formats": N_("Formats of a full export of the municipality's data"),
    "exit_clause": N_("Exit clause of the contract (notice, export, deletion)"),
    "openai_compatible": N_("Does it offer an OpenAI-compatible API?"),
    "interoperability": N_("Open formats and standards supported"),
    "price": N_("Price (licences, per use) and its terms"),
}


def score_of(scores: Mapping[str, Any]) -> float | None:
    """The weighted average of the criteria scored, as a percentage; ``None`` before any score."""
    scored = [(c.weight, int(scores[c.key])) for c in CRITERIA if c.key in scores]
    if not scored:
        return None
    total = sum(weight * MAX_POINTS for weight, _points in scored)
    return round(100 * sum(weight * points for weight, points in scored) / total, 1)


def missing_of(vendor: VendorAssessment) -> list[str]:
    """What is still to record or to score (msgids of field and criterion labels)."""
    missing = [FIELD_LABELS[name] for name in TEXT_FIELDS if not str(getattr(vendor, name)).strip()]
    missing += [c.label for c in CRITERIA if c.key not in vendor.scores]
    return missing


def is_complete(vendor: VendorAssessment) -> bool:
    return not missing_of(vendor)


def list_vendors(session: Session) -> list[VendorAssessment]:
    return sorted(session.scalars(select(VendorAssessment)), key=lambda v: v.name.lower())


def get_vendor(session: Session, vendor_id: str) -> VendorAssessment:
    vendor = session.scalars(select(VendorAssessment).where(VendorAssessment.id == vendor_id)).first()
    if vendor is None:
        raise NotFound("This vendor assessment does not exist. Go back to the list of suppliers.")
    return vendor


def vendor_of(session: Session, system: AISystem) -> VendorAssessment | None:
    """The system's vendor assessment, if it names one that exists."""
    if system.vendor_assessment_id is None:
        return None
    stmt = select(VendorAssessment).where(VendorAssessment.id == system.vendor_assessment_id)
    return session.scalars(stmt).first()


def _scores(form: Mapping[str, Any]) -> dict[str, int]:
    scores: dict[str, int] = {}
    for criterion in CRITERIA:
        value = str(form.get(f"score_{criterion.key}", "")).strip()
        if not value:
            continue
        if value not in {str(n) for n in range(MAX_POINTS + 1)}:
            raise Invalid(
                "Score each criterion from 0 to 4; “{criterion}” is not.", criterion=gettext_(criterion.label)
            )
        scores[criterion.key] = int(value)
    return scores


def checked_values(form: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, int]]:
    """The assessment's facts and scores from a form (or a pack item), refused when not valid."""
    values = {name: str(form.get(name, "")).strip() for name in TEXT_FIELDS}
    if not values["name"]:
        raise Invalid("Give the supplier's name, for example “Mistral AI”.")
    if values["hosting"] and values["hosting"] not in HOSTINGS:
        raise Invalid("Choose where the system is hosted from the list.")
    for name in ("training_reuse", "openai_compatible"):
        if values[name] and values[name] not in ANSWER_LABELS:
            raise Invalid("Answer yes, no or unknown.")
    return values, _scores(form)


def save_vendor(
    session: Session,
    tenant_id: str,
    form: Mapping[str, Any],
    *,
    actor: str,
    vendor: VendorAssessment | None = None,
) -> VendorAssessment:
    """Create or update an assessment; it may be saved incomplete and completed later."""
    values, scores = checked_values(form)
    created = vendor is None
    if vendor is None:
        vendor = VendorAssessment(tenant_id=tenant_id)
        session.add(vendor)
    for name, value in values.items():
        setattr(vendor, name, value)
    vendor.scores = scores
    session.flush()
    audit.record(
        session,
        "governance.vendor_created" if created else "governance.vendor_updated",
        actor=actor,
        tenant_id=tenant_id,
        target_type="vendor_assessment",
        target_id=vendor.id,
        details={"score": score_of(scores), "complete": is_complete(vendor)},
    )
    return vendor


def scores_by_system(session: Session) -> dict[str, tuple[VendorAssessment, float | None]]:
    """Each register entry's vendor and its score, by the entry's key (``model:<name>`` for a model)."""
    vendors = {v.id: v for v in session.scalars(select(VendorAssessment))}
    found: dict[str, tuple[VendorAssessment, float | None]] = {}
    for system in session.scalars(select(AISystem).where(AISystem.vendor_assessment_id.is_not(None))):
        vendor = vendors.get(system.vendor_assessment_id or "")
        if vendor is not None:
            found[system.key] = (vendor, score_of(vendor.scores))
    return found
