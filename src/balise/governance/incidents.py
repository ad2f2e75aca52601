"""The confidentiality-incident register (A-2.1 s. 63.8–63.11 and its regulation).

Each record holds what the regulation asks the register to hold: the personal information
concerned, the circumstances, when it happened and when it was discovered, how many people are
affected, the assessment of the risk of serious injury (sensitivity, anticipated consequences,
likelihood: s. 63.10), the notices given and the measures taken. Incidents are also *proposed*
from the platform's own signals, read from the audit log: the privacy guard failing closed, a
write to another municipality refused, a personal value found in a public output. The privacy
officer confirms or dismisses each proposal.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.audit.models import AuditEntry
from balise.bounds import whole_number
from balise.db.base import utcnow
from balise.errors import Invalid, NotFound
from balise.governance.models import Incident, IncidentStatus
from balise.governance.shadow_models import CONSEQUENCES
from balise.i18n import N_
from balise.tenancy import Tenant

SIGNALS = {
    "guard.unavailable": N_("The privacy guard failed and blocked a request (fail closed)."),
    "security.cross_tenant_refused": N_("A write to another municipality's data was refused."),
    "privacy.value_in_output": N_("Personal information was found in an output meant for the public."),
}
SOURCE_LABELS = {"manual": N_("Entered by staff"), **SIGNALS}
STATUS_LABELS = {
    IncidentStatus.PROPOSED: N_("Proposed, to confirm"),
    IncidentStatus.OPEN: N_("Open"),
    IncidentStatus.CLOSED: N_("Closed"),
    IncidentStatus.DISMISSED: N_("Dismissed (not an incident)"),
}
KINDS = {
    "confidentiality": N_("Confidentiality incident"),
    "unsanctioned_tool": N_("Unsanctioned tool (a forbidden AI service used)"),
}
SCALE = {0: N_("Low"), 1: N_("Moderate"), 2: N_("High"), 3: N_("Very high")}
TEXT_FIELDS = ("information_kinds", "circumstances", "risk_notes", "measures", "public_notice")
DATE_FIELDS = ("occurred_on", "discovered_on", "commission_notified_on", "persons_notified_on")
SCALE_FIELDS = ("sensitivity", "consequences", "likelihood")
SCAN_DAYS = 30
MAX_PEOPLE = 1_000_000_000  # more than any population; the column is a 32-bit integer on PostgreSQL


@dataclass(frozen=True)
class Notice:
    """A notification the incident calls for, and whether it was made."""

    label: str  # msgid
    done: bool


def serious_risk(incident: Incident) -> bool:
    """Risk of serious injury (s. 63.10): a likely misuse of sensitive data or with serious consequences."""
    return incident.likelihood >= 2 and max(incident.sensitivity, incident.consequences) >= 2


def notices(incident: Incident, tenant: Tenant) -> list[Notice]:
    """What must be notified, by the law of the municipality's region."""
    items = [Notice(N_("Record the incident in this register (s. 63.11)."), True)]
    if not serious_risk(incident):
        return items
    if tenant.region.upper().startswith("CH"):
        items.append(
            Notice(
                N_("Notify the data protection authority (FDPIC or cantonal authority) as soon as possible."),
                incident.commission_notified_on is not None,
            )
        )
        items.append(
            Notice(
                N_("Inform the persons concerned when it protects them."),
                incident.persons_notified_on is not None,
            )
        )
        return items
    items.append(
        Notice(
            N_("Notify the Commission d'accès à l'information promptly (s. 63.8)."),
            incident.commission_notified_on is not None,
        )
    )
    items.append(
        Notice(
            N_("Notify every person whose information is concerned (s. 63.8), or give a public notice."),
            incident.persons_notified_on is not None or bool(incident.public_notice.strip()),
        )
    )
    return items


def _audit(session: Session, incident: Incident, action: str, actor: str, **details: Any) -> None:
    audit.record(
        session,
        f"governance.incident_{action}",
        actor=actor,
        tenant_id=incident.tenant_id,
        target_type="incident",
        target_id=incident.id,
        details=details,
    )


def propose_from_signals(session: Session, tenant_id: str) -> int:
    """Turn each new platform signal of this municipality into a proposed incident; returns how many."""
    known = set(session.scalars(select(Incident.signal).where(Incident.signal.is_not(None))))
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.tenant_id == tenant_id, AuditEntry.action.in_(list(SIGNALS)))
        .order_by(AuditEntry.seq)
    )
    created = 0
    for entry in entries:
        signal = f"audit:{entry.seq}"
        if signal in known:
            continue
        at = entry.at.date() if entry.at else date.today()
        labels = entry.details.get("labels") or entry.details.get("masked") or {}
        incident = Incident(
            tenant_id=tenant_id,
            reference="I-" + secrets.token_hex(3).upper(),
            status=IncidentStatus.PROPOSED.value,
            source=entry.action,
            signal=signal,
            occurred_on=at,
            discovered_on=at,
            information_kinds=", ".join(sorted(labels)) if isinstance(labels, Mapping) else "",
            details={
                "audit_seq": entry.seq,
                "action": entry.action,
                **{
                    k: v
                    for k, v in entry.details.items()
                    if k in ("task", "labels", "output_id", "path", "kind")
                },
            },
        )
        session.add(incident)
        session.flush()
        _audit(session, incident, "proposed", "system", source=entry.action, audit_seq=entry.seq)
        created += 1
    return created


def list_incidents(session: Session) -> list[Incident]:
    """Proposals first, then open, then the rest; newest first within each."""
    order = {IncidentStatus.PROPOSED.value: 0, IncidentStatus.OPEN.value: 1}
    rows = list(session.scalars(select(Incident).order_by(Incident.created_at.desc())))
    return sorted(rows, key=lambda i: order.get(i.status, 2))


def get_incident(session: Session, incident_id: str) -> Incident:
    incident = session.scalars(select(Incident).where(Incident.id == incident_id)).first()
    if incident is None:
        raise NotFound("This incident does not exist or belongs to another municipality.")
    return incident


def _date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid("Dates are written like 2026-03-31. Correct the date and save again.") from None


def save_incident(
    session: Session,
    tenant_id: str,
    form: Mapping[str, str],
    *,
    actor: str,
    incident: Incident | None = None,
) -> Incident:
    """Create or update a record; a proposal saved by a person becomes an open incident."""
    if not str(form.get("circumstances", "")).strip():
        raise Invalid("Describe briefly the circumstances of the incident.")
    people = whole_number(str(form.get("people_affected", "0")) or "0", maximum=MAX_PEOPLE)
    if people is None:
        raise Invalid(
            "The number of people concerned is a whole number between 0 and {max} (an estimate is fine).",
            max=MAX_PEOPLE,
        )
    scales = {}
    for name in SCALE_FIELDS:
        value = str(form.get(name, "0")).strip() or "0"
        if value not in {"0", "1", "2", "3"}:
            raise Invalid("Choose the level of each risk factor from the list.")
        scales[name] = int(value)
    dates = {name: _date(str(form.get(name, ""))) for name in DATE_FIELDS}
    if dates["occurred_on"] and dates["discovered_on"] and dates["discovered_on"] < dates["occurred_on"]:
        raise Invalid("The incident was discovered before it happened? Check both dates.")
    kind = str(form.get("kind", "")) or "confidentiality"
    consequence = str(form.get("consequence", ""))
    if kind not in KINDS or (consequence and consequence not in CONSEQUENCES):
        raise Invalid("Choose the kind of incident and the consequence applied from the lists.")
    created = incident is None
    if incident is None:
        incident = Incident(tenant_id=tenant_id, reference="I-" + secrets.token_hex(3).upper())
        session.add(incident)
    incident.kind, incident.consequence = kind, consequence
    for name in TEXT_FIELDS:
        setattr(incident, name, str(form.get(name, "")).strip())
    for name, level in scales.items():
        setattr(incident, name, level)
    for name, day in dates.items():
        setattr(incident, name, day)
    incident.people_affected = people
    status = str(form.get("status", "")) or IncidentStatus.OPEN.value
    if status not in {s.value for s in IncidentStatus} or status == IncidentStatus.PROPOSED.value:
        status = IncidentStatus.OPEN.value
    incident.status = status
    session.flush()
    _audit(
        session,
        incident,
        "created" if created else "updated",
        actor,
        status=status,
        kind=kind,
        consequence=consequence,
        serious_risk=serious_risk(incident),
        people_affected=incident.people_affected,
    )
    return incident


def dismiss(session: Session, incident_id: str, *, actor: str) -> Incident:
    incident = get_incident(session, incident_id)
    incident.status = IncidentStatus.DISMISSED.value
    session.flush()
    _audit(session, incident, "dismissed", actor, source=incident.source)
    return incident


def scan_public_outputs(session: Session, tenant_id: str, *, actor: str, days: int = SCAN_DAYS) -> int:
    """Look for personal information in recent outputs meant for the public; each finding is a signal.

    Public communication should carry no personal information; the guard that masks prompts reads
    each output, and an output where it finds some is recorded as ``privacy.value_in_output``
    (labels and counts only), which :func:`propose_from_signals` then turns into a proposal.
    """
    from balise.guard.privacy import get_guard, load_settings
    from balise.review import Output, Purpose

    settings = load_settings(session, tenant_id)
    since = utcnow() - timedelta(days=days)
    already = {
        str(e.details.get("output_id"))
        for e in session.scalars(
            select(AuditEntry).where(
                AuditEntry.tenant_id == tenant_id, AuditEntry.action == "privacy.value_in_output"
            )
        )
    }
    outputs = session.scalars(
        select(Output).where(Output.purpose == Purpose.PUBLIC.value, Output.updated_at >= since)
    )
    found = 0
    for output in outputs:
        if output.id in already:
            continue
        counts = get_guard().preview(output.text, settings).counts
        if counts:
            audit.record(
                session,
                "privacy.value_in_output",
                actor=actor,
                tenant_id=tenant_id,
                target_type="output",
                target_id=output.id,
                details={"output_id": output.id, "labels": counts},
            )
            found += 1
    return found
