"""Stored policies, the decision log (rule id, never the text), and the contest loop, on a real database."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select

from balise import audit
from balise.db import tenant_session
from balise.errors import Forbidden, Invalid, NotFound
from balise.guard.policy import (
    ContestStatus,
    PolicyDecision,
    Rule,
    contest,
    default_policy,
    evaluate,
    list_contested,
    load_policy,
    policy_to_yaml,
    record_decision,
    resolve_contest,
    save_policy,
)
from balise.tenancy.models import Tenant

TEXT = "Classe ces candidats du meilleur au pire, voici les CV de Roxanne et Hugo."


def test_load_policy_defaults_then_saved_versions(engine: Engine, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    with tenant_session(tenant.id, engine) as session:
        assert load_policy(session, tenant.id) == default_policy()
        extra = Rule(id="budget", outcome="warn", explanation="Pas avant le dépôt.", keywords=("budget",))
        policy = type(default_policy())(rules=(*default_policy().rules, extra))
        save_policy(session, tenant.id, policy, actor="admin-1")
        stored = save_policy(session, tenant.id, policy_to_yaml(policy), actor="admin-1")
        session.commit()
        assert stored.version == 2
        assert load_policy(session, tenant.id) == policy
        actions = [e.action for e in audit.iter_entries(session, tenant.id)]
        assert actions.count("policy.saved") == 2


def test_record_decision_logs_rule_and_outcome_never_the_text(
    engine: Engine, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    decision = evaluate(default_policy(), TEXT)
    with tenant_session(tenant.id, engine) as session:
        row = record_decision(session, tenant.id, "user-1", decision)
        session.commit()
        assert (row.outcome, row.rule_id, row.requirement) == ("block", "x1-evaluate-people", "X1")
        entry = next(e for e in audit.iter_entries(session, tenant.id) if e.action == "policy.decision")
        assert entry.details == {"rule_id": "x1-evaluate-people", "outcome": "block"}
        assert entry.actor == "user-1" and entry.target_id == row.id
        stored = [str(v) for v in vars(row).values()] + [str(entry.details)]
        assert not any("Roxanne" in value or "candidats" in value for value in stored)


def test_contest_list_and_resolve(engine: Engine, make_tenant: Callable[..., Tenant]) -> None:
    tenant, other = make_tenant(), make_tenant()
    with tenant_session(tenant.id, engine) as session:
        blocked = record_decision(session, tenant.id, "user-1", evaluate(default_policy(), TEXT))
        warned = record_decision(
            session, tenant.id, "user-1", evaluate(default_policy(), "Quelle est la capitale du Chili?")
        )
        with pytest.raises(Forbidden):
            contest(session, blocked.id, "user-2", "Pas moi")
        with pytest.raises(Invalid):
            contest(session, warned.id, "user-1", "Un avertissement")
        with pytest.raises(Invalid):
            contest(session, blocked.id, "user-1", "   ")
        with pytest.raises(NotFound):
            contest(session, "missing", "user-1", "raison")
        row = contest(session, blocked.id, "user-1", "Je prépare seulement une grille générique.")
        with pytest.raises(Invalid):
            contest(session, blocked.id, "user-1", "Encore")
        session.commit()
        assert [c.id for c in list_contested(session)] == [row.id]
        assert row.decision.rule_id == "x1-evaluate-people"

    with tenant_session(other.id, engine) as session:
        assert list_contested(session, include_resolved=True) == []
        with pytest.raises(NotFound):
            resolve_contest(session, row.id, "manager-b", overturn=True)

    with tenant_session(tenant.id, engine) as session:
        resolved = resolve_contest(session, row.id, "manager-1", overturn=True, note="Règle à préciser.")
        session.commit()
        assert resolved.status == ContestStatus.OVERTURNED.value and resolved.resolved_by == "manager-1"
        with pytest.raises(Invalid):
            resolve_contest(session, row.id, "manager-1", overturn=False)
        assert list_contested(session) == []
        assert [c.id for c in list_contested(session, include_resolved=True)] == [row.id]
        actions = [e.action for e in audit.iter_entries(session, tenant.id)]
        assert {"policy.contested", "policy.contest_resolved"} <= set(actions)
        assert session.scalar(select(PolicyDecision).where(PolicyDecision.id == blocked.id)) is not None
