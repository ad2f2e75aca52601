"""Tenant-B objects for the review and usage-policy routes."""

from sqlalchemy.orm import Session

from balise.guard.policy import Decision, Rule, contest, default_policy, record_decision, save_policy
from balise.review import save_output
from balise.tenancy import Tenant, User
from tests.tenancy.isolation import Factory


def _output(session: Session, tenant: Tenant, user: User) -> str:
    return save_output(
        session,
        tenant_id=tenant.id,
        author_id=user.id,
        task="draft",
        text="Texte secret de B",
        purpose="public",
        provenance={"model": "m", "backend": "extractive"},
    ).id


def _rule(session: Session, tenant: Tenant, user: User) -> str:
    policy = default_policy()
    secret = Rule(id="regle-secrete-b", outcome="warn", explanation="Règle de B", keywords=("secret-b",))
    save_policy(session, tenant.id, type(policy)(rules=(*policy.rules, secret)), actor=user.id)
    return secret.id


def _contest(session: Session, tenant: Tenant, user: User) -> str:
    decision = record_decision(
        session, tenant.id, user.id, Decision("block", "x1-evaluate-people", "X1", "", 1.0)
    )
    return contest(session, decision.id, user.id, "Contestation secrète de B").id


FACTORIES: dict[str, Factory] = {"output_id": _output, "rule_id": _rule, "contest_id": _contest}
