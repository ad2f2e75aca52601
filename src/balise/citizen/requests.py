"""« Parler à une personne »: requests for staff, feedback on answers, and the staff queue.

An escalation carries the resident's conversation as stored, that is pseudonymised; the values of
the message they write go to the privacy vault for the staff allowed to read them (``details.py``);
the contact the resident chooses to leave is masked nowhere because it is how they asked to be
answered, and it is deleted with the request at the end of the retention period. The resident
follows the request on a page reached by a random token (no account).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.citizen.details import keep_details
from balise.citizen.errors import RequestNotFound
from balise.citizen.masking import Masked, mask_resident_text
from balise.citizen.models import CitizenExchange, CitizenRequest
from balise.citizen.service import ACTOR, UNKEPT, session_exchanges, session_hash
from balise.citizen.settings import load_citizen_settings
from balise.db.base import utcnow
from balise.errors import Invalid
from balise.tenancy import Tenant

FEEDBACK = ("useful", "not_useful", "problem")
MAX_MESSAGE_CHARS = 2000
MAX_CONTACT_CHARS = 300
STATUSES = ("open", "answered", "closed")


def _token_hash(token: str) -> str:
    return hashlib.sha256(("citizen-request:" + token).encode()).hexdigest()


@dataclass(frozen=True)
class Created:
    """A new request, with the token of its follow-up page (shown once, never stored)."""

    request: CitizenRequest
    token: str
    reply_days: int


def _masked(session: Session, tenant: Tenant, text: str) -> Masked:
    text = text.strip()
    if len(text) > MAX_MESSAGE_CHARS:
        raise Invalid(
            "Your message is too long ({n} characters). Keep it under {max} characters.",
            n=len(text),
            max=MAX_MESSAGE_CHARS,
        )
    if not text:
        return Masked("")
    masked = mask_resident_text(session, tenant, text)
    return masked if masked is not None else Masked(UNKEPT)


def _new_request(
    session: Session,
    tenant: Tenant,
    *,
    kind: str,
    session_id: str,
    message: str,
    contact: str,
    exchange_id: str | None,
) -> Created:
    contact = contact.strip()
    if len(contact) > MAX_CONTACT_CHARS:
        raise Invalid("The contact details are too long. Give one e-mail address or one phone number.")
    transcript = [
        {"question": e.question, "answer": e.answer, "reason": e.reason, "at": e.created_at.isoformat()}
        for e in session_exchanges(session, session_id)
    ]
    token = secrets.token_urlsafe(24)
    masked = _masked(session, tenant, message)
    request = CitizenRequest(
        tenant_id=tenant.id,
        kind=kind,
        reference=secrets.token_hex(3).upper(),
        session_hash=session_hash(session_id),
        token_hash=_token_hash(token),
        exchange_id=exchange_id,
        message=masked.text,
        transcript=transcript,
        contact=contact,
    )
    session.add(request)
    session.flush()
    keep_details(session, request, masked.values)
    audit.record(
        session,
        f"citizen.{kind}",
        actor=ACTOR,
        tenant_id=tenant.id,
        target_type="citizen_request",
        target_id=request.id,
        details={"turns": len(transcript), "contact_given": bool(contact)},
    )
    return Created(request, token, load_citizen_settings(tenant).reply_days)


def escalate(
    session: Session, tenant: Tenant, session_id: str, *, message: str = "", contact: str = ""
) -> Created:
    """A request for a person with the conversation so far; the caller commits."""
    return _new_request(
        session,
        tenant,
        kind="escalation",
        session_id=session_id,
        message=message,
        contact=contact,
        exchange_id=None,
    )


def _exchange(session: Session, session_id: str, exchange_id: str) -> CitizenExchange:
    exchange = session.get(CitizenExchange, exchange_id)
    if exchange is None or exchange.session_hash != session_hash(session_id):
        raise RequestNotFound(
            "This answer is no longer available (conversations are deleted after a while). Ask again."
        )
    return exchange


def give_feedback(
    session: Session, tenant: Tenant, session_id: str, exchange_id: str, value: str, message: str = ""
) -> Created | None:
    """Useful / not useful / a problem; a problem reaches the staff queue. The caller commits."""
    if value not in FEEDBACK:
        raise Invalid(
            "Unknown feedback “{value}”. Choose useful, not useful or report a problem.", value=value
        )
    exchange = _exchange(session, session_id, exchange_id)
    exchange.feedback = value
    audit.record(
        session,
        "citizen.feedback",
        actor=ACTOR,
        tenant_id=tenant.id,
        target_type="citizen_exchange",
        target_id=exchange.id,
        details={"feedback": value},
    )
    if value == "useful":
        return None
    return _new_request(
        session,
        tenant,
        kind="problem" if value == "problem" else "not_useful",
        session_id=session_id,
        message=message,
        contact="",
        exchange_id=exchange.id,
    )


def follow_up(session: Session, token: str) -> CitizenRequest:
    """The request a follow-up link points to (the session is scoped to the page's municipality)."""
    request = session.scalars(
        select(CitizenRequest).where(CitizenRequest.token_hash == _token_hash(token))
    ).first()
    if request is None:
        raise RequestNotFound(
            "This follow-up link is not valid or the request was deleted after the retention period. "
            "Contact city hall directly."
        )
    return request


def queue(session: Session, status: str = "open") -> list[CitizenRequest]:
    """The staff queue: requests of the session's municipality with this status, oldest first."""
    if status not in STATUSES:
        status = "open"
    return list(
        session.scalars(
            select(CitizenRequest).where(CitizenRequest.status == status).order_by(CitizenRequest.created_at)
        )
    )


def get_request(session: Session, request_id: str) -> CitizenRequest:
    request = session.get(CitizenRequest, request_id)
    if request is None:
        raise RequestNotFound("This request does not exist or was deleted. Go back to the queue.")
    return request


def _handled(session: Session, request: CitizenRequest, status: str, actor: str, at: datetime) -> None:
    request.status, request.handled_by, request.handled_at = status, actor, at
    audit.record(
        session,
        f"citizen.request_{status}",
        actor=actor,
        tenant_id=request.tenant_id,
        target_type="citizen_request",
        target_id=request.id,
        details={"kind": request.kind},
    )


def answer_request(session: Session, request_id: str, text: str, *, actor: str) -> CitizenRequest:
    """A staff member's answer, shown on the resident's follow-up page; the caller commits."""
    text = text.strip()
    if not text:
        raise Invalid("Write the answer to the resident before sending it.")
    if len(text) > MAX_MESSAGE_CHARS * 2:
        raise Invalid("The answer is too long. Keep it under {max} characters.", max=MAX_MESSAGE_CHARS * 2)
    request = get_request(session, request_id)
    request.staff_answer = text
    _handled(session, request, "answered", actor, utcnow())
    return request


def close_request(session: Session, request_id: str, *, actor: str) -> CitizenRequest:
    request = get_request(session, request_id)
    _handled(session, request, "closed", actor, utcnow())
    return request
