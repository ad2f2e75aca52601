"""Storing a tenant's policy, logging decisions, and the contest loop between users and managers.

Every function works in the caller's session (normally ``tenant_session``) and records its audit event
in the same transaction; the caller commits.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.db import utcnow
from balise.errors import Forbidden, Invalid, NotFound
from balise.guard.policy.defaults import default_policy
from balise.guard.policy.models import ContestStatus, PolicyContest, PolicyDecision, StoredPolicy
from balise.guard.policy.rules import Decision, Policy
from balise.guard.policy.yaml_io import policy_from_yaml, policy_to_yaml

MAX_REASON_CHARS = 2000


def load_policy(session: Session, tenant_id: str) -> Policy:
    """The tenant's saved policy, or the built-in one while it has none."""
    stored = session.scalar(select(StoredPolicy).where(StoredPolicy.tenant_id == tenant_id))
    return policy_from_yaml(stored.yaml_text) if stored else default_policy()


def save_policy(session: Session, tenant_id: str, policy: Policy | str, *, actor: str) -> StoredPolicy:
    """Replace the tenant's policy; YAML text is validated first, so a bad file never gets stored."""
    if isinstance(policy, str):
        policy = policy_from_yaml(policy)
    text = policy_to_yaml(policy)
    stored = session.scalar(select(StoredPolicy).where(StoredPolicy.tenant_id == tenant_id))
    if stored is None:
        stored = StoredPolicy(tenant_id=tenant_id, yaml_text=text, version=1, updated_by=actor)
        session.add(stored)
    else:
        stored.yaml_text = text
        stored.version += 1
        stored.updated_by = actor
        stored.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        "policy.saved",
        actor=actor,
        tenant_id=tenant_id,
        target_type="policy",
        target_id=stored.id,
        details={"version": stored.version, "rules": len(policy.rules)},
    )
    return stored


def record_decision(session: Session, tenant_id: str, user_id: str, decision: Decision) -> PolicyDecision:
    """Log a decision (rule and outcome, never the request text) and its audit event."""
    row = PolicyDecision(
        tenant_id=tenant_id,
        user_id=user_id,
        outcome=decision.outcome,
        rule_id=decision.rule_id,
        requirement=decision.requirement,
        score=decision.score,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        "policy.decision",
        actor=user_id,
        tenant_id=tenant_id,
        target_type="policy_decision",
        target_id=row.id,
        details={"rule_id": decision.rule_id, "outcome": decision.outcome},
    )
    return row


def contest(session: Session, decision_id: str, user_id: str, reason: str) -> PolicyContest:
    """A user's objection to a block they received; managers answer it with :func:`resolve_contest`."""
    decision = session.get(PolicyDecision, decision_id)
    if decision is None:
        raise NotFound("This policy decision does not exist.")
    if decision.user_id != user_id:
        raise Forbidden("Only the person who received this decision can contest it.")
    if decision.outcome != "block":
        raise Invalid("Only a blocked request can be contested; a warning lets you go on.")
    if session.scalar(select(PolicyContest.id).where(PolicyContest.decision_id == decision.id)) is not None:
        raise Invalid("This decision has already been contested.")
    reason = reason.strip()
    if not reason:
        raise Invalid("Please explain why this request should be allowed.")
    if len(reason) > MAX_REASON_CHARS:
        raise Invalid("The reason is too long: keep it under {limit} characters.", limit=MAX_REASON_CHARS)
    row = PolicyContest(tenant_id=decision.tenant_id, decision_id=decision.id, user_id=user_id, reason=reason)
    session.add(row)
    session.flush()
    audit.record(
        session,
        "policy.contested",
        actor=user_id,
        tenant_id=decision.tenant_id,
        target_type="policy_decision",
        target_id=decision.id,
        details={"rule_id": decision.rule_id, "contest_id": row.id},
    )
    return row


def list_contested(session: Session, *, include_resolved: bool = False) -> list[PolicyContest]:
    """Contests for managers to review, oldest first; the tenant session limits them to its tenant."""
    stmt = select(PolicyContest).order_by(PolicyContest.created_at, PolicyContest.id)
    if not include_resolved:
        stmt = stmt.where(PolicyContest.status == ContestStatus.OPEN.value)
    return list(session.scalars(stmt))


def resolve_contest(
    session: Session, contest_id: str, manager_id: str, *, overturn: bool, note: str = ""
) -> PolicyContest:
    """A manager's answer: the block stands (upheld) or was wrong (overturned, to refine the policy)."""
    row = session.get(PolicyContest, contest_id)
    if row is None:
        raise NotFound("This contest does not exist.")
    if row.status != ContestStatus.OPEN.value:
        raise Invalid("This contest has already been resolved.")
    row.status = (ContestStatus.OVERTURNED if overturn else ContestStatus.UPHELD).value
    row.resolved_by = manager_id
    row.resolved_at = utcnow()
    row.resolution_note = note.strip()
    session.flush()
    audit.record(
        session,
        "policy.contest_resolved",
        actor=manager_id,
        tenant_id=row.tenant_id,
        target_type="policy_contest",
        target_id=row.id,
        details={"rule_id": row.decision.rule_id, "status": row.status},
    )
    return row
