"""The adoption case of an AI system (G1, P1, P8, G19): why it is adopted, at what cost, with what
effects on staff and on the service, and what the council decided.

A case is "complete" when every required field is filled; the gates (:mod:`.gates`) ask for a
complete case before a system goes into pilot or production. The council's document is optional.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.bounds import optional_date
from balise.errors import Invalid, NotFound
from balise.governance.adoption_models import AdoptionCase
from balise.governance.models import AISystem
from balise.i18n import N_, gettext_

TEXT_FIELDS = {
    "objectives": N_("Objectives"),
    "need": N_("The need it answers"),
    "alternatives": N_("Alternatives considered, including not using AI"),
    "success_measures": N_("Measures of success"),
    "environmental_cost": N_("Environmental cost (estimate)"),
    "acceptability_method": N_("How residents' acceptability was gauged"),
    "acceptability_result": N_("What residents said"),
    "staff_autonomy": N_("Effect on staff's professional autonomy"),
    "staff_workload": N_("Effect on staff's workload"),
    "dehumanisation": N_("Risk of dehumanising the service, and how it is avoided"),
    "public_service": N_("Effects on the public service"),
    "council_resolution": N_("Council resolution number"),
}
NUMBER_FIELDS = {
    "budget_licences": N_("Licences (amount per year)"),
    "budget_hours": N_("Staff time (hours)"),
    "budget_training": N_("Training (amount)"),
}
COUNCIL_DATE = N_("Date of the council's decision")
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = {
    ".pdf": ("application/pdf", b"%PDF"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    ".odt": ("application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
}


@dataclass(frozen=True)
class Document:
    name: str
    content: bytes


def case_of(session: Session, system_id: str) -> AdoptionCase | None:
    return session.scalars(select(AdoptionCase).where(AdoptionCase.system_id == system_id)).first()


def missing_of(case: AdoptionCase | None) -> list[str]:
    """The labels (msgids) of the required fields still empty; all of them without a case."""
    labels = [*TEXT_FIELDS.values(), *NUMBER_FIELDS.values(), COUNCIL_DATE]
    if case is None:
        return labels
    missing = [label for name, label in TEXT_FIELDS.items() if not getattr(case, name).strip()]
    missing += [label for name, label in NUMBER_FIELDS.items() if getattr(case, name) is None]
    return missing + ([COUNCIL_DATE] if case.council_date is None else [])


def _number(value: str, label: str) -> float | None:
    value = value.strip().replace(" ", "").replace("\u202f", "").replace(",", ".")
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise Invalid("The {field} must be a number, such as 1200 or 12.5.", field=gettext_(label)) from None
    if number < 0:
        raise Invalid("The {field} cannot be negative.", field=gettext_(label))
    return number


def _check_document(document: Document) -> str:
    """The document's media type; anything else than a PDF, DOCX or ODT file of 10 MB or less is refused."""
    suffix = "." + document.name.rsplit(".", 1)[-1].lower() if "." in document.name else ""
    kind = DOCUMENT_TYPES.get(suffix)
    if kind is None or not document.content.startswith(kind[1]):
        raise Invalid("Attach the council's decision as a PDF, DOCX or ODT file.")
    if len(document.content) > MAX_DOCUMENT_BYTES:
        raise Invalid("The document is larger than 10 MB. Attach a smaller file or an extract.")
    return kind[0]


def save_case(
    session: Session,
    system: AISystem,
    form: Mapping[str, Any],
    *,
    actor: str,
    document: Document | None = None,
) -> AdoptionCase:
    """Record the case as written; it may stay incomplete until the system moves on."""
    numbers = {name: _number(str(form.get(name, "")), label) for name, label in NUMBER_FIELDS.items()}
    council_date = optional_date(str(form.get("council_date", "")), gettext_(COUNCIL_DATE))
    media_type = _check_document(document) if document is not None else ""
    case = case_of(session, system.id)
    if case is None:
        case = AdoptionCase(tenant_id=system.tenant_id, system_id=system.id)
        session.add(case)
    for name in TEXT_FIELDS:
        setattr(case, name, str(form.get(name, "")).strip())
    for name, number in numbers.items():
        setattr(case, name, number)
    case.council_date = council_date
    if document is not None:
        case.document, case.document_name, case.document_type = document.content, document.name, media_type
    session.flush()
    audit.record(
        session,
        "governance.adoption_saved",
        actor=actor,
        tenant_id=system.tenant_id,
        target_type="ai_system",
        target_id=system.id,
        details={"missing": len(missing_of(case)), "document": document is not None},
    )
    return case


def council_document(session: Session, system_id: str) -> tuple[AdoptionCase, bytes]:
    case = case_of(session, system_id)
    if case is None or case.document is None:
        raise NotFound("No council document is attached to this adoption case.")
    return case, case.document
