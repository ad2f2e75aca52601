"""Tenant-B objects for the evaluation routes: a set with a question, a run of it, and its question."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.evaluation.runs import EvalItem, EvalRun, EvalRunItem, EvalSet
from balise.tenancy import Tenant, User
from tests.tenancy.isolation import Factory


def _set(session: Session, tenant: Tenant, user: User) -> str:
    eval_set = EvalSet(tenant_id=tenant.id, name="Jeu secret de B")
    session.add(eval_set)
    session.flush()
    session.add(
        EvalItem(tenant_id=tenant.id, set_id=eval_set.id, question="Question secrète de B", sources=["x"])
    )
    return eval_set.id


def _run(session: Session, tenant: Tenant, user: User) -> str:
    run = EvalRun(tenant_id=tenant.id, set_name="Jeu secret de B", metrics={}, below=[])
    session.add(run)
    session.flush()
    session.add(
        EvalRunItem(tenant_id=tenant.id, run_id=run.id, question="Question secrète de B", failure="x")
    )
    return run.id


def _run_item(session: Session, tenant: Tenant, user: User) -> str:
    """The question of the run ``_run`` made (factories run in order), so the pair goes together."""
    found = session.scalar(
        select(EvalRunItem.id).where(EvalRunItem.tenant_id == tenant.id).order_by(EvalRunItem.position)
    )
    assert found is not None, "the run_id factory runs first"
    return found


FACTORIES: dict[str, Factory] = {"set_id": _set, "run_id": _run, "item_id": _run_item}
