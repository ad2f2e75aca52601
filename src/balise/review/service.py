"""The review workflow: saving outputs, submitting them, and every reviewer decision (D1, P2, G10).

Each transition checks who may make it, writes the change, notifies the people concerned and records
an audit event in the same transaction; the caller commits.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from balise import audit
from balise.db.base import utcnow
from balise.errors import BaliseError, Forbidden, Invalid, NotFound
from balise.i18n import _
from balise.inclusive import TitleFinding, masculine_titles
from balise.review.models import (
    NEEDS_APPROVAL,
    Notification,
    Output,
    Purpose,
    ReviewComment,
    Status,
)
from balise.review.nature import NATURE_LABELS, needs_review
from balise.review.notice import check_notice
from balise.tenancy import Membership, Role, Tenant, User, has_role

EDITABLE_BY_AUTHOR = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})
MAX_COMMENT_LENGTH = 4000


class NotApproved(BaliseError):
    """An output meant for the public or for a decision about a person is not approved yet."""

    status = 409
    code = "not_approved"


class WrongStatus(BaliseError):
    status = 409
    code = "wrong_status"


def _purpose(value: str) -> Purpose:
    try:
        return Purpose(value)
    except ValueError as exc:
        raise Invalid(
            "Unknown purpose “{value}”. Choose internal use, public communication "
            "or a decision about a person.",
            value=value,
        ) from exc


def _record(session: Session, output: Output, action: str, actor: str, **details: Any) -> None:
    audit.record(
        session,
        f"review.{action}",
        actor=actor,
        tenant_id=output.tenant_id,
        target_type="output",
        target_id=output.id,
        details={"status": output.status, "purpose": output.purpose, **details},
    )


def notify_people(
    session: Session,
    tenant_id: str,
    user_ids: list[str],
    kind: str,
    *,
    link: str,
    output_id: str | None = None,
) -> None:
    """One in-app notification per person (each once), shown with its badge until read."""
    for user_id in dict.fromkeys(user_ids):
        session.add(
            Notification(tenant_id=tenant_id, user_id=user_id, kind=kind, link=link, output_id=output_id)
        )


def notify(session: Session, output: Output, user_ids: list[str], kind: str) -> None:
    """Reviewers land on the review page, authors on their result."""
    page = "revision" if kind == "submitted" else "resultats"
    notify_people(session, output.tenant_id, user_ids, kind, link=f"/{page}/{output.id}", output_id=output.id)


def save_output(
    session: Session,
    *,
    tenant_id: str,
    author_id: str,
    task: str,
    text: str,
    purpose: str = Purpose.INTERNAL,
    provenance: dict[str, Any],
    conversation_id: str | None = None,
) -> Output:
    """Keep an AI-assisted output as a draft of its author, with its provenance, ready for review."""
    output = Output(
        tenant_id=tenant_id,
        author_id=author_id,
        task=task[:40],
        text=text,
        purpose=_purpose(purpose).value,
        provenance=dict(provenance),
        status=Status.DRAFT.value,
        conversation_id=conversation_id,
    )
    session.add(output)
    session.flush()
    _record(session, output, "saved", author_id, task=output.task)
    return output


def get_output(session: Session, output_id: str) -> Output:
    output = session.get(Output, output_id)
    if output is None:
        raise NotFound("This result does not exist or was deleted. Find yours under “My results”.")
    return output


def visible_output(session: Session, output_id: str, user_id: str, role: str) -> Output:
    """An output its author or a reviewer may open; anyone else is told it does not exist."""
    output = session.scalars(select(Output).where(Output.id == output_id)).first()
    if output is None or not (output.author_id == user_id or has_role(role, Role.REVIEWER)):
        raise NotFound("This result does not exist or was deleted. Find yours under “My results”.")
    return output


def members_with(
    session: Session, tenant_id: str, needed: Role, *, excluding: str | None = None
) -> list[User]:
    """Active people whose role in this municipality grants ``needed``, by name."""
    roles = [role.value for role in Role if has_role(role.value, needed)]
    memberships = session.scalars(
        select(Membership).where(Membership.tenant_id == tenant_id, Membership.role.in_(roles))
    ).all()
    people = [m.user for m in memberships if m.user.active and m.user_id != excluding]
    return sorted(people, key=lambda user: user.display_name.lower())


def reviewers(session: Session, tenant_id: str, *, excluding: str | None = None) -> list[User]:
    """People who may review in this municipality (reviewers and administrators)."""
    return members_with(session, tenant_id, Role.REVIEWER, excluding=excluding)


def _check_reviewer_choice(session: Session, output: Output, reviewer_id: str | None) -> str | None:
    if not reviewer_id:
        return None
    if reviewer_id == output.author_id:
        raise Invalid(
            "You cannot review your own result. Choose another reviewer, or let any reviewer take it."
        )
    if reviewer_id not in {user.id for user in reviewers(session, output.tenant_id)}:
        raise Invalid(
            "The chosen person cannot review in this municipality. Choose a reviewer from the list."
        )
    return reviewer_id


def submit(
    session: Session,
    output: Output,
    *,
    actor_id: str,
    purpose: str,
    due_date: date | None = None,
    reviewer_id: str | None = None,
    notice: dict[str, str] | None = None,
) -> Output:
    """Send an output for review; a decision about a person must come with its s. 65.2 notice fields."""
    if output.author_id != actor_id:
        raise Forbidden("Only the author of a result can submit it for review.")
    if Status(output.status) not in EDITABLE_BY_AUTHOR:
        raise WrongStatus("This result is already under review or decided; it cannot be submitted again.")
    chosen = _purpose(purpose)
    nature = str(output.provenance.get("nature", ""))
    if chosen not in NEEDS_APPROVAL and _reviewed_by_nature(session.get(Tenant, output.tenant_id), output):
        raise Invalid(
            "This result is of a kind that is published or addressed to residents ({nature}), so a "
            "reviewer must approve it whatever its use. Choose public communication or a decision about "
            "a person.",
            nature=_(NATURE_LABELS.get(nature, nature)).lower(),
        )
    if due_date is not None and due_date < date.today():
        raise Invalid("The due date is in the past. Choose today or a later date.")
    if chosen is Purpose.DECISION:
        notice_fields = notice or {}
        output.notice = check_notice(
            notice_fields.get("information_used", ""),
            notice_fields.get("main_factors", ""),
            notice_fields.get("contact", ""),
        ).as_dict()
    output.reviewer_id = _check_reviewer_choice(session, output, reviewer_id)
    output.purpose = chosen.value
    output.due_date = due_date
    output.status = Status.SUBMITTED.value
    output.submitted_text = output.text
    output.submitted_at = utcnow()
    session.flush()
    targets = (
        [output.reviewer_id] if output.reviewer_id else [u.id for u in reviewers(session, output.tenant_id)]
    )
    notify(session, output, [t for t in targets if t != actor_id], "submitted")
    _record(session, output, "submitted", actor_id, reviewer_assigned=output.reviewer_id is not None)
    return output


def _check_reviewer(output: Output, reviewer: User, role: str) -> None:
    if not has_role(role, Role.REVIEWER):
        raise Forbidden("Only a reviewer can decide on a result. Ask a reviewer of your municipality.")
    if reviewer.id == output.author_id:
        raise Forbidden(
            "You cannot approve or decide on your own result: another reviewer must do it (human review)."
        )
    if output.reviewer_id and output.reviewer_id != reviewer.id and not has_role(role, Role.ADMIN):
        raise Forbidden("This result was assigned to another reviewer.")
    if output.status != Status.SUBMITTED:
        raise WrongStatus(
            "This result is not awaiting review: it was already decided or sent back to its author."
        )


def _comment(session: Session, output: Output, author_id: str, body: str, kind: str) -> ReviewComment:
    body = body.strip()
    if len(body) > MAX_COMMENT_LENGTH:
        raise Invalid("The comment is too long: keep it under {n} characters.", n=MAX_COMMENT_LENGTH)
    comment = ReviewComment(
        tenant_id=output.tenant_id, output_id=output.id, author_id=author_id, kind=kind, body=body
    )
    session.add(comment)
    return comment


def add_comment(session: Session, output: Output, *, actor: User, role: str, body: str) -> ReviewComment:
    """A comment by the author or a reviewer; the other side is notified."""
    if not body.strip():
        raise Invalid("The comment is empty. Write something before sending it.")
    if actor.id != output.author_id and not has_role(role, Role.REVIEWER):
        raise Forbidden("Only the author or a reviewer can comment on this result.")
    comment = _comment(session, output, actor.id, body, "comment")
    session.flush()
    if actor.id == output.author_id:
        notify(session, output, [output.reviewer_id] if output.reviewer_id else [], "commented")
    else:
        notify(session, output, [output.author_id], "commented")
    _record(session, output, "commented", actor.id, comment_id=comment.id)
    return comment


def edit_text(session: Session, output: Output, *, actor: User, role: str, text: str) -> Output:
    """The author edits a draft; a reviewer edits a submitted output (the diff shows what they changed)."""
    if not text.strip():
        raise Invalid("The text cannot be empty. Reject the result instead if it should not be used.")
    if actor.id == output.author_id and Status(output.status) in EDITABLE_BY_AUTHOR:
        editor = "author"
    elif output.status == Status.SUBMITTED:
        _check_reviewer(output, actor, role)
        editor = "reviewer"
    else:
        raise WrongStatus("This result cannot be edited now: it is under review or already decided.")
    if text == output.text:
        return output
    output.text = text
    session.flush()
    _record(session, output, "edited", actor.id, editor=editor, length=len(text))
    return output


def _decide(
    session: Session,
    output: Output,
    *,
    reviewer: User,
    role: str,
    status: Status,
    comment: str,
    required: bool,
) -> Output:
    _check_reviewer(output, reviewer, role)
    if required and not comment.strip():
        raise Invalid("Explain your decision in a comment so that the author knows what to do.")
    comment_id = None
    if comment.strip():
        comment_id = _comment(session, output, reviewer.id, comment, status.value).id
    output.status = status.value
    output.reviewer_id = reviewer.id
    if status is Status.APPROVED:
        output.approved_by = reviewer.display_name
        output.approved_by_id = reviewer.id
        output.approved_at = utcnow()
    session.flush()
    notify(session, output, [output.author_id], status.value)
    _record(
        session,
        output,
        status.value,
        reviewer.id,
        comment_id=comment_id,
        edited=output.text != output.submitted_text,
    )
    return output


def approve(session: Session, output: Output, *, reviewer: User, role: str, comment: str = "") -> Output:
    """Approval by a reviewer other than the author: the output may then be exported and published."""
    return _decide(
        session, output, reviewer=reviewer, role=role, status=Status.APPROVED, comment=comment, required=False
    )


def request_changes(session: Session, output: Output, *, reviewer: User, role: str, comment: str) -> Output:
    return _decide(
        session,
        output,
        reviewer=reviewer,
        role=role,
        status=Status.CHANGES_REQUESTED,
        comment=comment,
        required=True,
    )


def reject(session: Session, output: Output, *, reviewer: User, role: str, comment: str) -> Output:
    """A rejected output stays for the record but can never be exported."""
    return _decide(
        session, output, reviewer=reviewer, role=role, status=Status.REJECTED, comment=comment, required=True
    )


def _reviewed_by_nature(tenant: Tenant | None, output: Output) -> bool:
    return tenant is not None and needs_review(tenant, str(output.provenance.get("nature", "")))


def ensure_exportable(output: Output, tenant: Tenant) -> None:
    """Refuse to let an output leave Balise when its review does not allow it (D1, P2).

    What the output is (a press release, a plain-language text for residents) counts as much as the
    purpose its author declared: see :mod:`balise.review.nature`.
    """
    if output.status == Status.REJECTED:
        raise NotApproved("This result was rejected by a reviewer: it cannot be exported or published.")
    if output.purpose in NEEDS_APPROVAL or _reviewed_by_nature(tenant, output):
        if output.status == Status.SUBMITTED:
            raise NotApproved(
                "This result is waiting for a reviewer's approval: it can be exported once it is approved. "
                "You will find it in the review queue meanwhile."
            )
        if output.status != Status.APPROVED:
            raise NotApproved(
                "This result is meant for public communication or a decision about a person: a reviewer "
                "other than its author must approve it before it can be exported or published. Submit it "
                "for review."
            )
        if not output.approved_by_id or output.approved_by_id == output.author_id:
            raise NotApproved(
                "This result was not approved by a reviewer other than its author, so it cannot be exported."
            )


def title_hints(output: Output) -> list[TitleFinding]:
    """A job posting's titles in the masculine only, shown beside its text as it is edited (P5, U3)."""
    if output.provenance.get("nature") != "draft:job_posting":
        return []
    return masculine_titles(output.text)


def record_export(session: Session, output: Output, *, actor_id: str, fmt: str) -> None:
    _record(session, output, "exported", actor_id, format=fmt)


def comments_of(session: Session, output: Output) -> list[ReviewComment]:
    stmt = (
        select(ReviewComment).where(ReviewComment.output_id == output.id).order_by(ReviewComment.created_at)
    )
    return list(session.scalars(stmt))


def outputs_of(session: Session, author_id: str) -> list[Output]:
    stmt = select(Output).where(Output.author_id == author_id).order_by(Output.created_at.desc())
    return list(session.scalars(stmt))


def review_queue(session: Session, reviewer_id: str) -> list[Output]:
    """Outputs awaiting review that this person may decide on, soonest due first; never their own."""
    stmt = (
        select(Output)
        .where(
            Output.status == Status.SUBMITTED,
            Output.author_id != reviewer_id,
            (Output.reviewer_id.is_(None)) | (Output.reviewer_id == reviewer_id),
        )
        .order_by(Output.due_date.is_(None), Output.due_date, Output.submitted_at)
    )
    return list(session.scalars(stmt))


def is_overdue(output: Output, today: date | None = None) -> bool:
    return (
        output.status == Status.SUBMITTED
        and output.due_date is not None
        and output.due_date < (today or date.today())
    )


def notifications_of(session: Session, user_id: str, limit: int = 100) -> list[Notification]:
    stmt = (
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def unread_count(session: Session, user_id: str) -> int:
    stmt = (
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )
    return int(session.scalar(stmt) or 0)


def mark_all_read(session: Session, user_id: str) -> int:
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)
