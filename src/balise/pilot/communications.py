"""The interim review's results reported to the council and told to staff and to residents (G19;
Valais guide, steps 5 and 6): each communication is drafted from the report (a text filled from its
figures, then edited), approved by a manager, then published — presented to the council, sent to
staff, and the residents' one on the public transparency page.

Editing an approved or published text sends it back to draft: what is published is what was approved.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.bounds import check_length
from balise.db.base import utcnow
from balise.errors import Invalid, NotFound
from balise.formatting import number
from balise.i18n import N_, gettext_
from balise.pilot.report import Report
from balise.pilot.tables import AUDIENCES, Communication

if TYPE_CHECKING:
    from balise.assistant import Requester

TITLES = {
    "council": N_("Report to the council"),
    "staff": N_("Communication to staff"),
    "residents": N_("Communication to residents"),
}
DRAFT_KINDS = {"council": "memo", "staff": "memo", "residents": "press_release"}
"""The drafting template each audience's communication starts from."""
SLUGS = {"conseil": "council", "personnel": "staff", "population": "residents"}
"""The audience as the address names it."""
STATUS_LABELS = {"draft": N_("Draft"), "approved": N_("Approved"), "published": N_("Published")}
MAX_TEXT = 8000


def audience_of(slug: str) -> str:
    if slug not in SLUGS:
        raise NotFound("A communication is for staff or for residents. Go back to the interim review.")
    return SLUGS[slug]


def communications(session: Session) -> dict[str, Communication | None]:
    found = {c.audience: c for c in session.scalars(select(Communication))}
    return {audience: found.get(audience) for audience in AUDIENCES}


def _row(session: Session, tenant_id: str, audience: str) -> Communication:
    row = session.scalars(select(Communication).where(Communication.audience == audience)).first()
    if row is None:
        row = Communication(tenant_id=tenant_id, audience=audience, body="", status="draft")
        session.add(row)
    return row


def drafted_text(report: Report, audience: str) -> str:
    """A plain text filled from the report's figures, for the manager to edit."""
    t = report.totals
    figures = {
        "municipality": report.tenant.name,
        "processes": t.processes,
        "measured": t.measured_after,
        "hours": number(t.gain_hours, 1),
        "requests": report.requests,
    }
    if audience == "council":
        text = gettext_(
            "Interim review of the AI pilot at {municipality}, for the council.\n\n{processes} "
            "time-consuming processes of the pilot service were mapped and {measured} measured again after "
            "being redesigned: about {hours} hours a month are saved. The AI tools answered {requests} "
            "requests over the period. The attached review sets these gains against the resources "
            "invested, the challenges met and staff sentiment.\n\nThe council is asked to decide whether "
            "to extend the pilot to other services."
        )
    elif audience == "staff":
        text = gettext_(
            "Dear colleagues,\n\nThe pilot of AI tools at {municipality} reaches its interim review. "
            "{processes} time-consuming processes were mapped and {measured} measured again after being "
            "redesigned: about {hours} hours a month are saved. The assistant answered {requests} "
            "requests over the period.\n\nThank you to the resource persons and to everyone who answered "
            "the survey. Your remarks remain welcome: talk to your resource person."
        )
    else:
        text = gettext_(
            "{municipality} is testing artificial intelligence tools in a pilot service. {processes} "
            "administrative processes were simplified and measured: about {hours} hours a month are "
            "saved for the service to residents. A person always remains responsible for what is sent "
            "to you, and your personal information is protected. The tools used are listed on this page."
        )
    return text.format(**figures)


def save_communication(
    session: Session, tenant_id: str, audience: str, form: Mapping[str, str], *, actor: str
) -> Communication:
    """The text as the manager wrote it; an approved text edited goes back to draft."""
    body = form.get("body", "").strip()
    if not body:
        raise Invalid("Write the communication's text, or draft it from the report first.")
    check_length(body, MAX_TEXT, gettext_("Text"))
    row = _row(session, tenant_id, audience)
    if row.body != body:
        row.body, row.status, row.approved_by, row.approved_at = body, "draft", None, None
    session.flush()
    _audit(session, "pilot.communication_saved", row, actor)
    return row


def draft_from_report(
    session: Session,
    tenant_id: str,
    audience: str,
    report: Report,
    *,
    actor: str,
    writer: Requester | None = None,
) -> Communication:
    """The communication's first draft: the report's figures, written by the drafting task for
    ``writer`` (a memo for the council and staff, a press release for residents: the municipality's
    model when it has one, else that template's structure around the figures), or the figures' text
    alone without a writer (the demo). The draft is kept among the writer's results, labelled as the
    task labels it; the manager edits it here, then approves it."""
    brief = drafted_text(report, audience)
    body = brief
    if writer is not None:
        # Here, not at the top: the assistant reaches the governance package, whose roadmap reads the
        # interim review of this package.
        from balise.assistant import draft

        written = draft(session, writer, kind=DRAFT_KINDS[audience], brief=brief)
        if written.status != "done":  # the policy or the guard stopped it: nothing was sent
            raise Invalid(
                "The drafting task could not write this communication: {reason} Edit the text yourself "
                "and save it.",
                reason=written.text,
            )
        body = written.text
    return save_communication(session, tenant_id, audience, {"body": body[:MAX_TEXT]}, actor=actor)


def approve(session: Session, tenant_id: str, audience: str, *, actor: str) -> Communication:
    row = _row(session, tenant_id, audience)
    if not row.body.strip():
        raise Invalid("Write the communication before approving it.")
    if row.status == "published":
        return row  # approved already: what is published is what was approved
    row.status, row.approved_by, row.approved_at = "approved", actor, utcnow()
    session.flush()
    _audit(session, "pilot.communication_approved", row, actor)
    return row


def publish(session: Session, tenant_id: str, audience: str, *, actor: str) -> Communication:
    row = _row(session, tenant_id, audience)
    if row.status != "approved":
        raise Invalid("A communication is published once a manager has approved its text.")
    row.status, row.published_at = "published", utcnow()
    session.flush()
    _audit(session, "pilot.communication_published", row, actor)
    return row


def _audit(session: Session, action: str, row: Communication, actor: str) -> None:
    audit.record(
        session,
        action,
        actor=actor,
        tenant_id=row.tenant_id,
        target_type="pilot_communication",
        target_id=row.id,
        details={"audience": row.audience, "status": row.status},
    )


def published_for_residents(session: Session) -> tuple[str, datetime] | None:
    """The residents' communication as the transparency page shows it, once published."""
    row = session.scalars(
        select(Communication).where(
            Communication.audience == "residents", Communication.status == "published"
        )
    ).first()
    return (row.body, row.published_at) if row is not None and row.published_at else None
