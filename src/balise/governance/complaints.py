"""Complaints and requests about AI tools (G11, P2, L1 s. 63.3).

A resident files one on the public form; it is sealed (name, contact and message encrypted),
assigned to the person responsible for the system concerned, else to the person the municipality
designated in charge of the protection of personal information (``roles.designated_privacy_officer``);
with neither it waits unassigned, and every privacy officer is told. It gets a due date, 30 days by
default, and a follow-up link only the resident holds. Staff reply (the answer is e-mailed to the
resident, ``complaint_follow_up``), change its status and close it; reminders and statistics keep the
promise of an answer visible.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import median
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from balise import audit
from balise.bounds import check_length, whole_number
from balise.db.base import utcnow
from balise.errors import BaliseError, Invalid, NotFound
from balise.governance.models import AISystem, Complaint, ComplaintEvent, ComplaintStatus
from balise.governance.roles import check_member, designated_privacy_officer
from balise.governance.sealing import client_hash, seal, unseal
from balise.i18n import N_, gettext_
from balise.review import members_with, notify_people, register_notification
from balise.tenancy import Role, Tenant

DEFAULT_DAYS = 30
REMIND_DAYS_BEFORE = 5
FORMS_PER_HOUR = 5
MAX_MESSAGE_CHARS = 5000
MAX_NAME_CHARS = 200
MAX_EMAIL_CHARS = 254  # the longest address SMTP carries (RFC 5321)
MAX_PHONE_CHARS = 40
KINDS = {
    "complaint": N_("Complaint"),
    "request": N_("Request for information or explanation"),
    "human_review": N_("Request for a review of a decision by a person"),
}
STATUS_LABELS = {
    ComplaintStatus.RECEIVED: N_("Received"),
    ComplaintStatus.IN_PROGRESS: N_("In progress"),
    ComplaintStatus.ANSWERED: N_("Answered"),
    ComplaintStatus.CLOSED: N_("Closed"),
}
register_notification("complaint_assigned", N_("A complaint about an AI tool was assigned to you."))
register_notification("complaint_due", N_("A complaint about an AI tool is due soon or overdue."))
register_notification(
    "complaint_unassigned",
    N_(
        "A complaint about an AI tool is waiting unassigned: no person responsible for the tool and no "
        "designated person in charge of the protection of personal information."
    ),
)


class TooManyComplaints(BaliseError):
    status = 429
    code = "too_many_complaints"


@dataclass
class ComplaintView:
    """A complaint with its sealed parts opened, for the staff who handle it."""

    complaint: Complaint
    name: str
    email: str
    phone: str
    message: str
    events: list[tuple[ComplaintEvent, str]] = field(default_factory=list)

    @property
    def overdue(self) -> bool:
        return is_overdue(self.complaint)


def is_overdue(complaint: Complaint, today: date | None = None) -> bool:
    return complaint.status != ComplaintStatus.CLOSED.value and complaint.due_date < (today or date.today())


def due_days(tenant: Tenant) -> int:
    stored = str((tenant.settings or {}).get("complaint_days", DEFAULT_DAYS))
    value = whole_number(stored, minimum=1, maximum=3650)
    return value or DEFAULT_DAYS


@dataclass(frozen=True)
class Filed:
    """A new complaint and its follow-up token, which is shown to the resident once and never kept."""

    complaint: Complaint
    token: str


def follow_up_hash(token: str) -> str:
    return hashlib.sha256(("complaint-follow-up:" + token).encode()).hexdigest()


def _assignee(session: Session, tenant: Tenant, system: AISystem | None) -> str | None:
    """The system's responsible person, else the designated privacy officer, else nobody (the
    complaint waits in the unassigned queue): never an account picked by its name."""
    if system is not None and system.responsible_user_id:
        return system.responsible_user_id
    officer = designated_privacy_officer(session, tenant)
    return officer.id if officer else None


def submit_complaint(
    session: Session,
    tenant: Tenant,
    *,
    kind: str,
    system_id: str,
    name: str,
    email: str,
    phone: str,
    message: str,
    client: str,
    now: datetime | None = None,
) -> Filed:
    """File a resident's complaint; refused input raises :class:`Invalid`, floods
    :class:`TooManyComplaints`."""
    now = now or utcnow()
    message, email, phone = message.strip(), email.strip(), phone.strip()
    if kind not in KINDS:
        raise Invalid("Choose what you are writing about from the list.")
    if not message:
        raise Invalid("Describe your complaint or request in the message box.")
    if len(message) > MAX_MESSAGE_CHARS:
        raise Invalid(
            "Your message has {count} characters; shorten it to {max} at most.",
            count=len(message),
            max=MAX_MESSAGE_CHARS,
        )
    name = name.strip()
    check_length(name, MAX_NAME_CHARS, gettext_("Name"))
    check_length(email, MAX_EMAIL_CHARS, gettext_("E-mail"))
    check_length(phone, MAX_PHONE_CHARS, gettext_("Phone"))
    if not email and not phone:
        raise Invalid("Give an e-mail address or a phone number so that we can answer you.")
    if email and ("@" not in email or " " in email):
        raise Invalid("The e-mail address looks incomplete. Check it, for example nom@exemple.ca.")
    hashed = client_hash(tenant.id, client)
    recent = session.scalar(
        select(func.count(Complaint.id)).where(
            Complaint.client_hash == hashed, Complaint.received_at > now - timedelta(hours=1)
        )
    )
    if (recent or 0) >= FORMS_PER_HOUR:
        raise TooManyComplaints(
            "Several forms were already sent from your connection in the last hour. Try again later, "
            "or call city hall."
        )
    system = None
    if system_id:
        system = session.scalars(select(AISystem).where(AISystem.id == system_id)).first()
        if system is None:
            raise Invalid("Choose the AI tool concerned from the list, or “I don’t know”.")
    complaint = Complaint(
        id=secrets.token_hex(16),
        tenant_id=tenant.id,
        reference="P-" + secrets.token_hex(3).upper(),
        kind=kind,
        system_id=system.id if system else None,
        assigned_to=_assignee(session, tenant, system),
        client_hash=hashed,
        follow_up_hash=follow_up_hash(token := secrets.token_urlsafe(24)),
        due_date=now.date() + timedelta(days=due_days(tenant)),
        received_at=now,
    )
    complaint.sealed = seal(
        tenant.id, complaint.id, {"name": name, "email": email, "phone": phone, "message": message}
    )
    session.add(complaint)
    session.flush()
    link = f"/gouvernance/plaintes/{complaint.id}"
    if complaint.assigned_to:
        notify_people(session, tenant.id, [complaint.assigned_to], "complaint_assigned", link=link)
    else:
        officers = [u.id for u in members_with(session, tenant.id, Role.PRIVACY_OFFICER)]
        notify_people(session, tenant.id, officers, "complaint_unassigned", link=link)
    audit.record(
        session,
        "governance.complaint_received",
        actor="citizen",
        tenant_id=tenant.id,
        target_type="complaint",
        target_id=complaint.id,
        details={"kind": kind, "system_id": complaint.system_id, "assigned": bool(complaint.assigned_to)},
    )
    return Filed(complaint, token)


def list_complaints(session: Session, *, status: str = "") -> list[Complaint]:
    """Open complaints first, the soonest due first."""
    stmt = select(Complaint)
    if status:
        stmt = stmt.where(Complaint.status == status)
    rows = list(session.scalars(stmt))
    return sorted(rows, key=lambda c: (c.status == ComplaintStatus.CLOSED.value, c.due_date))


def _get(session: Session, complaint_id: str) -> Complaint:
    complaint = session.scalars(select(Complaint).where(Complaint.id == complaint_id)).first()
    if complaint is None:
        raise NotFound("This complaint does not exist or belongs to another municipality.")
    return complaint


def open_complaint(session: Session, complaint_id: str) -> ComplaintView:
    """The complaint with its contact details, message and history decrypted."""
    complaint = _get(session, complaint_id)
    sealed = unseal(complaint.tenant_id, complaint.id, complaint.sealed)
    events = session.scalars(
        select(ComplaintEvent)
        .where(ComplaintEvent.complaint_id == complaint.id)
        .order_by(ComplaintEvent.created_at)
    )
    opened = [
        (event, str(unseal(complaint.tenant_id, event.id, event.sealed).get("body", ""))) for event in events
    ]
    return ComplaintView(
        complaint,
        str(sealed.get("name", "")),
        str(sealed.get("email", "")),
        str(sealed.get("phone", "")),
        str(sealed.get("message", "")),
        opened,
    )


def _event(
    session: Session, complaint: Complaint, kind: str, actor: str, *, body: str = "", status: str = ""
) -> ComplaintEvent:
    event = ComplaintEvent(
        id=secrets.token_hex(16),
        tenant_id=complaint.tenant_id,
        complaint_id=complaint.id,
        author_id=actor,
        kind=kind,
        status=status,
    )
    event.sealed = seal(complaint.tenant_id, event.id, {"body": body}) if body else ""
    session.add(event)
    session.flush()
    audit.record(
        session,
        f"governance.complaint_{kind}",
        actor=actor,
        tenant_id=complaint.tenant_id,
        target_type="complaint",
        target_id=complaint.id,
        details={"status": complaint.status, "length": len(body)},
    )
    return event


def add_reply(session: Session, complaint_id: str, body: str, *, actor: str, internal: bool = False) -> None:
    """A reply sent to the resident (the complaint becomes answered), or an internal note."""
    complaint = _get(session, complaint_id)
    if not body.strip():
        raise Invalid("Write the reply or the note before saving it.")
    if not internal and complaint.status != ComplaintStatus.CLOSED.value:
        complaint.status = ComplaintStatus.ANSWERED.value
    _event(session, complaint, "note" if internal else "reply", actor, body=body.strip())


def set_status(session: Session, complaint_id: str, status: str, *, actor: str) -> Complaint:
    complaint = _get(session, complaint_id)
    if status not in {s.value for s in ComplaintStatus}:
        raise Invalid("Choose a status from the list.")
    complaint.status = status
    complaint.closed_at = utcnow() if status == ComplaintStatus.CLOSED.value else None
    _event(session, complaint, "status", actor, status=status)
    return complaint


def assign(session: Session, complaint_id: str, user_id: str, *, actor: str) -> Complaint:
    complaint = _get(session, complaint_id)
    check_member(session, complaint.tenant_id, user_id)
    complaint.assigned_to = user_id or None
    _event(session, complaint, "assigned", actor)
    if user_id:
        notify_people(
            session,
            complaint.tenant_id,
            [user_id],
            "complaint_assigned",
            link=f"/gouvernance/plaintes/{complaint.id}",
        )
    return complaint


def send_reminders(session: Session, tenant_id: str, *, today: date | None = None) -> int:
    """Remind the assignee (unassigned: every privacy officer) of each open complaint due within five
    days or overdue, once a day."""
    today = today or date.today()
    sent = 0
    for complaint in list_complaints(session):
        if complaint.status == ComplaintStatus.CLOSED.value:
            continue
        if complaint.due_date - today > timedelta(days=REMIND_DAYS_BEFORE):
            continue
        if complaint.reminded_at is not None and complaint.reminded_at.date() >= today:
            continue
        # Unassigned, it is every privacy officer's to hand out: none of them may forget it.
        people = (
            [complaint.assigned_to]
            if complaint.assigned_to
            else [u.id for u in members_with(session, tenant_id, Role.PRIVACY_OFFICER)]
        )
        link = f"/gouvernance/plaintes/{complaint.id}"
        notify_people(session, tenant_id, people, "complaint_due", link=link)
        complaint.reminded_at = utcnow()
        audit.record(
            session,
            "governance.complaint_reminded",
            actor="system",
            tenant_id=tenant_id,
            target_type="complaint",
            target_id=complaint.id,
            details={"overdue": is_overdue(complaint, today)},
        )
        sent += 1
    session.flush()
    return sent


def statistics(session: Session, *, today: date | None = None) -> dict[str, Any]:
    """Counts by status and kind, overdue, and median days to close: for managers and the council."""
    rows = list(session.scalars(select(Complaint)))
    closing = [(c.closed_at.date() - c.received_at.date()).days for c in rows if c.closed_at is not None]
    on_time = sum(1 for c in rows if c.closed_at is not None and c.closed_at.date() <= c.due_date)
    return {
        "total": len(rows),
        "by_status": dict(Counter(c.status for c in rows)),
        "by_kind": dict(Counter(c.kind for c in rows)),
        "overdue": sum(1 for c in rows if is_overdue(c, today)),
        "closed": len(closing),
        "closed_on_time": on_time,
        "median_days_to_close": median(closing) if closing else None,
    }
