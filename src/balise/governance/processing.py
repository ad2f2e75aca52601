"""The register of processing activities of a Swiss municipality (L2, nLPD art. 12).

Each entry answers art. 12 al. 2: the controller, the purpose, the categories of data subjects and
of personal data, the categories of recipients, the retention period, the security measures and the
disclosure abroad with its guarantees (art. 16–17). An entry may name one AI system of the register;
:func:`prefill` writes one per system from what Balise already knows (purpose, data, supplier, hosting
from the model registry, the retention settings), for the privacy officer to complete.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.assistant.history import retention_days
from balise.errors import Invalid, NotFound
from balise.governance.hosting import HOSTING_LABELS
from balise.governance.models import AISystem, SystemSource, SystemStatus
from balise.governance.swiss_models import ProcessingActivity
from balise.guard.privacy import load_settings
from balise.i18n import N_, gettext_
from balise.spreadsheet import write_csv
from balise.tenancy import Tenant

FIELDS = {
    "name": N_("Name of the processing"),
    "controller": N_("Controller (identity and contact)"),
    "purpose": N_("Purpose of the processing"),
    "data_subjects": N_("Categories of data subjects"),
    "data_categories": N_("Categories of personal data"),
    "recipients": N_("Categories of recipients"),
    "retention": N_("Retention period, or the criteria that set it"),
    "security": N_("General description of the security measures"),
    "abroad_countries": N_("Disclosure abroad: countries (empty if none)"),
    "abroad_guarantees": N_("Guarantees for the disclosure abroad (art. 16–17)"),
}
REQUIRED = tuple(name for name in FIELDS if not name.startswith("abroad_"))
SWISS_HOSTINGS = frozenset({"on_premises", "switzerland"})
MAX_NAME = 200
BALISE_SECURITY = N_(
    "Access by role and by municipality; personal information masked before any model call; every "
    "use recorded in the audit log; personal information of residents stored encrypted."
)


def missing_of(activity: ProcessingActivity) -> list[str]:
    """The labels (msgids) of what art. 12 asks and the entry does not say yet."""
    missing = [FIELDS[name] for name in REQUIRED if not getattr(activity, name).strip()]
    if activity.abroad_countries.strip() and not activity.abroad_guarantees.strip():
        missing.append(FIELDS["abroad_guarantees"])
    return missing


def list_activities(session: Session) -> list[ProcessingActivity]:
    return list(session.scalars(select(ProcessingActivity).order_by(ProcessingActivity.name)))


def get_activity(session: Session, activity_id: str) -> ProcessingActivity:
    activity = session.get(ProcessingActivity, activity_id)
    if activity is None:
        raise NotFound("This processing activity is not in the register. Go back to the list.")
    return activity


def activities_by_system(session: Session) -> dict[str, ProcessingActivity]:
    """The entry naming each AI system (the first by name when several do)."""
    found: dict[str, ProcessingActivity] = {}
    for activity in list_activities(session):
        if activity.system_id:
            found.setdefault(activity.system_id, activity)
    return found


def _audit(session: Session, activity: ProcessingActivity, action: str, actor: str, **details: Any) -> None:
    audit.record(
        session,
        f"governance.{action}",
        actor=actor,
        tenant_id=activity.tenant_id,
        target_type="processing_activity",
        target_id=activity.id,
        details=details,
    )


def save_activity(
    session: Session, tenant_id: str, form: Mapping[str, Any], *, actor: str, activity_id: str = ""
) -> ProcessingActivity:
    """Create or update an entry as written; it may stay incomplete, the register says what is missing."""
    name = str(form.get("name", "")).strip()
    if not name:
        raise Invalid("Give the processing a name, for example “Residents' questions to the assistant”.")
    if len(name) > MAX_NAME:
        raise Invalid("The name is too long ({max} characters at most).", max=MAX_NAME)
    system_id = str(form.get("system_id", "")).strip() or None
    if system_id is not None and session.get(AISystem, system_id) is None:
        raise Invalid("Choose an AI system of the register, or none.")
    if activity_id:
        activity = get_activity(session, activity_id)
    else:
        activity = ProcessingActivity(tenant_id=tenant_id, name=name)
        session.add(activity)
    for field in FIELDS:
        setattr(activity, field, str(form.get(field, "")).strip())
    activity.system_id = system_id
    session.flush()
    _audit(
        session,
        activity,
        "processing_saved",
        actor,
        created=not activity_id,
        system_id=system_id or "",
        missing=len(missing_of(activity)),
    )
    return activity


def _abroad(hosting: str) -> str:
    if not hosting or hosting in SWISS_HOSTINGS:
        return ""
    return gettext_(HOSTING_LABELS.get(hosting, HOSTING_LABELS["abroad"]))


def suggested(session: Session, tenant: Tenant, system: AISystem) -> dict[str, str]:
    """An entry's fields as far as Balise knows them for this system; the rest is left to write."""
    days = retention_days(session, tenant)
    vault = load_settings(session, tenant.id).retention_days
    values = {
        "name": system.name,
        "system_id": system.id,
        "controller": tenant.name,
        "purpose": system.purpose,
        "data_categories": system.data_used,
        "recipients": gettext_("Supplier: {name}").format(name=system.supplier) if system.supplier else "",
        "retention": gettext_(
            "Conversation history: {days} days; masked values kept for {vault} days (Balise settings)."
        ).format(days=days, vault=vault),
        "security": gettext_(BALISE_SECURITY) if system.source != SystemSource.MANUAL.value else "",
        "abroad_countries": _abroad(system.hosting),
    }
    return values


def prefill(session: Session, tenant: Tenant, *, actor: str) -> int:
    """One entry per AI system in use or planned that no entry names yet; returns how many were written."""
    named = activities_by_system(session)
    written = 0
    for system in session.scalars(select(AISystem).order_by(AISystem.name)):
        if system.id in named or system.status == SystemStatus.RETIRED.value:
            continue
        save_activity(session, tenant.id, suggested(session, tenant, system), actor=actor)
        written += 1
    return written


def register_csv(activities: Sequence[ProcessingActivity], systems: Mapping[str, str]) -> str:
    """The register as a spreadsheet, one line per entry, headers in the reader's language."""
    columns = [gettext_(label) for label in FIELDS.values()] + [gettext_("AI system")]
    rows = [
        {
            **{gettext_(label): getattr(activity, name) for name, label in FIELDS.items()},
            gettext_("AI system"): systems.get(activity.system_id or "", ""),
        }
        for activity in activities
    ]
    return write_csv(rows, columns)
