"""The review workflow without the web: transitions, who may make them, notifications and audit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from balise.audit.models import AuditEntry
from balise.db import tenant_session
from balise.errors import Forbidden, Invalid
from balise.review import (
    NotApproved,
    Notification,
    Status,
    WrongStatus,
    approve,
    ensure_exportable,
    get_output,
    reject,
    request_changes,
    review_queue,
    submit,
    unread_count,
)
from balise.tenancy import User


def test_saved_output_is_a_draft_with_its_provenance_and_an_audit_event(engine, make_member, make_output):
    author = make_member("employee")
    output = make_output(author, conversation_id="c-1")
    with tenant_session(author.tenant.id, engine) as session:
        saved = get_output(session, output.id)
        assert saved.status == Status.DRAFT
        assert saved.provenance["model"] == "extractif"
        assert saved.conversation_id == "c-1"
        events = session.scalars(select(AuditEntry).where(AuditEntry.target_id == output.id)).all()
        assert [e.action for e in events] == ["review.saved"]
        assert "text" not in events[0].details


def test_full_cycle_changes_requested_then_approved(engine, make_member, make_output):
    author = make_member("employee")
    reviewer = make_member("reviewer", tenant=author.tenant)
    output = make_output(author, purpose="public")
    with tenant_session(author.tenant.id, engine) as session:
        out = get_output(session, output.id)
        with pytest.raises(NotApproved):
            ensure_exportable(out, author.tenant)
        submit(session, out, actor_id=author.user.id, purpose="public", due_date=date.today())
        assert unread_count(session, reviewer.user.id) == 1
        assert [o.id for o in review_queue(session, reviewer.user.id)] == [out.id]
        assert review_queue(session, author.user.id) == []
        rev = session.get(User, reviewer.user.id)
        assert rev is not None
        with pytest.raises(Invalid):
            request_changes(session, out, reviewer=rev, role="reviewer", comment=" ")
        request_changes(session, out, reviewer=rev, role="reviewer", comment="Citez le règlement.")
        assert out.status == Status.CHANGES_REQUESTED
        assert unread_count(session, author.user.id) == 1
        submit(session, out, actor_id=author.user.id, purpose="public")
        approve(session, out, reviewer=rev, role="reviewer")
        assert out.status == Status.APPROVED and out.approved_by == rev.display_name
        ensure_exportable(out, author.tenant)
        session.commit()
        actions = [
            e.action
            for e in session.scalars(
                select(AuditEntry).where(AuditEntry.target_id == out.id).order_by(AuditEntry.seq)
            )
        ]
    assert actions == [
        "review.saved",
        "review.submitted",
        "review.changes_requested",
        "review.submitted",
        "review.approved",
    ]


def test_the_author_cannot_approve_their_own_output_even_as_reviewer(engine, make_member, make_output):
    author = make_member("reviewer")
    output = make_output(author, purpose="decision")
    with tenant_session(author.tenant.id, engine) as session:
        out = get_output(session, output.id)
        notice = {"information_used": "Adresse", "main_factors": "Zonage", "contact": "Greffe, poste 123"}
        submit(session, out, actor_id=author.user.id, purpose="decision", notice=notice)
        me = session.get(User, author.user.id)
        assert me is not None
        with pytest.raises(Forbidden):
            approve(session, out, reviewer=me, role="reviewer")
        assert out.status == Status.SUBMITTED
        assert session.scalars(select(Notification).where(Notification.user_id == me.id)).all() == []


def test_rejected_output_cannot_be_exported_even_if_internal(engine, make_member, make_output):
    author = make_member("employee")
    reviewer = make_member("reviewer", tenant=author.tenant)
    output = make_output(author)
    with tenant_session(author.tenant.id, engine) as session:
        out = get_output(session, output.id)
        ensure_exportable(out, author.tenant)  # an internal draft may leave, labelled
        submit(session, out, actor_id=author.user.id, purpose="internal", reviewer_id=reviewer.user.id)
        rev = session.get(User, reviewer.user.id)
        assert rev is not None
        reject(session, out, reviewer=rev, role="reviewer", comment="Hors sujet.")
        with pytest.raises(NotApproved):
            ensure_exportable(out, author.tenant)
        with pytest.raises(WrongStatus):
            approve(session, out, reviewer=rev, role="reviewer")


def test_submission_checks_its_fields(engine, make_member, make_output):
    author = make_member("employee")
    output = make_output(author)
    with tenant_session(author.tenant.id, engine) as session:
        out = get_output(session, output.id)
        with pytest.raises(Invalid):
            submit(session, out, actor_id=author.user.id, purpose="decision")  # no notice
        with pytest.raises(Invalid):
            submit(session, out, actor_id=author.user.id, purpose="public", reviewer_id=author.user.id)
        with pytest.raises(Invalid):
            submit(
                session, out, actor_id=author.user.id, purpose="public", due_date=date.today() - timedelta(1)
            )
        with pytest.raises(Invalid):
            submit(session, out, actor_id=author.user.id, purpose="broadcast")
        assert out.status == Status.DRAFT


def test_an_output_assigned_to_one_reviewer_cannot_be_decided_by_another(engine, make_member, make_output):
    author = make_member("employee")
    chosen = make_member("reviewer", tenant=author.tenant)
    other = make_member("admin", tenant=author.tenant)
    output = make_output(author)
    with tenant_session(author.tenant.id, engine) as session:
        out = get_output(session, output.id)
        submit(session, out, actor_id=author.user.id, purpose="internal", reviewer_id=chosen.user.id)
        assert review_queue(session, other.user.id) == []
        employee = session.get(User, author.user.id)
        assert employee is not None
        with pytest.raises(Forbidden):
            approve(session, out, reviewer=employee, role="employee")
        assert unread_count(session, other.user.id) == 0 and unread_count(session, chosen.user.id) == 1
