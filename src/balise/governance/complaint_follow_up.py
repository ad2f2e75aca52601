"""The resident gets the answer to their complaint: by e-mail through the municipality's mail server,
and on a follow-up page opened by a link only they hold (a random token; only its hash is kept).

An answer is recorded first; the e-mail is then tried and its outcome recorded beside it (sent, no
address given, no mail server, failed), so staff see whether the resident was reached and the
follow-up page shows the answer in every case.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.bounds import check_length
from balise.errors import NotFound
from balise.governance.complaints import KINDS, _event, _get, add_reply, follow_up_hash, open_complaint
from balise.governance.models import Complaint, ComplaintEvent
from balise.governance.sealing import unseal
from balise.i18n import N_, gettext_
from balise.tenancy import MailFailed, Tenant, load_smtp, send_mail

log = logging.getLogger(__name__)

MAX_REPLY_CHARS = 10_000
DELIVERY_LABELS = {
    "sent": N_("E-mailed to the resident"),
    "no_email": N_("Not e-mailed: the resident gave no e-mail address"),
    "no_server": N_("Not e-mailed: no mail server is set for the municipality"),
    "failed": N_("Not e-mailed: the mail server refused or could not be reached"),
}


@dataclass(frozen=True)
class FollowUp:
    """What the resident sees: the complaint's state and the answers sent to them, nothing internal."""

    complaint: Complaint
    kind_label: str
    answers: list[tuple[datetime, str]]

    @property
    def due_date(self) -> date:
        return self.complaint.due_date


def answer_resident(session: Session, tenant: Tenant, complaint_id: str, body: str, *, actor: str) -> str:
    """Records the answer, then e-mails it to the resident; returns the delivery outcome (a key of
    :data:`DELIVERY_LABELS`). A mail failure never loses the answer."""
    check_length(body.strip(), MAX_REPLY_CHARS, gettext_("Reply or note"))
    add_reply(session, complaint_id, body, actor=actor)
    complaint = _get(session, complaint_id)
    email = open_complaint(session, complaint_id).email
    outcome = "sent"
    if not email:
        outcome = "no_email"
    elif not load_smtp(tenant).configured:
        outcome = "no_server"
    else:
        try:
            send_mail(
                tenant,
                email,
                gettext_("Answer to your complaint {reference} — {municipality}").format(
                    reference=complaint.reference, municipality=tenant.name
                ),
                _message(tenant, complaint, body.strip()),
            )
        except MailFailed as exc:
            log.warning("complaint %s: the answer was not e-mailed: %s", complaint.reference, exc.params)
            outcome = "failed"
    _event(session, complaint, "delivery", actor, status=outcome)
    return outcome


def _message(tenant: Tenant, complaint: Complaint, body: str) -> str:
    return "\n\n".join(
        (
            gettext_("Hello,"),
            gettext_("Here is the answer of {municipality} to your complaint or request {reference}:").format(
                municipality=tenant.name, reference=complaint.reference
            ),
            body,
            gettext_(
                "The follow-up link you received when you filed it shows this answer and any later one. "
                "Reply to city hall with the reference {reference} if you need more."
            ).format(reference=complaint.reference),
            tenant.name,
        )
    )


def follow_up(session: Session, token: str) -> FollowUp:
    """The complaint a follow-up link opens (the session is scoped to the page's municipality)."""
    complaint = session.scalars(
        select(Complaint).where(Complaint.follow_up_hash == follow_up_hash(token))
    ).first()
    if complaint is None or not token:
        raise NotFound(
            "This follow-up link is not valid. Check that it was copied whole, or contact city hall."
        )
    events = session.scalars(
        select(ComplaintEvent)
        .where(ComplaintEvent.complaint_id == complaint.id, ComplaintEvent.kind == "reply")
        .order_by(ComplaintEvent.created_at)
    )
    answers = [
        (event.created_at, str(unseal(complaint.tenant_id, event.id, event.sealed).get("body", "")))
        for event in events
    ]
    return FollowUp(complaint, gettext_(KINDS.get(complaint.kind, complaint.kind)), answers)
