"""What the CLI, the weekly job and the pages call: run a set (or every set), store it, alert."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.db import scope_session
from balise.evaluation.runs.alerts import Alerted, alert
from balise.evaluation.runs.runner import Advance, run_set
from balise.evaluation.runs.sets import list_sets
from balise.evaluation.runs.tables import EvalRun, EvalSet
from balise.tenancy import Tenant


def evaluate(
    session: Session,
    tenant: Tenant,
    eval_set: EvalSet,
    *,
    trigger: str,
    actor: str,
    advance: Advance | None = None,
) -> tuple[EvalRun, Alerted]:
    """Runs one set, stores the run and alerts on what it crossed (the caller commits)."""
    run = run_set(session, tenant, eval_set, trigger=trigger, actor=actor, advance=advance)
    return run, alert(session, tenant, run)


def evaluate_all(session: Session, tenant: Tenant, *, trigger: str, actor: str) -> list[EvalRun]:
    """Every set that has questions, one run each: what the weekly job does. Each run is committed
    as it finishes, so that the next set's questions are asked with nothing held (SQLite's one writer)."""
    scope_session(session, tenant.id)
    runs = []
    for eval_set, count in list_sets(session):
        if count:
            runs.append(evaluate(session, tenant, eval_set, trigger=trigger, actor=actor)[0])
            session.commit()
    return runs


def latest_run(session: Session) -> EvalRun | None:
    """The newest measured run of the municipality (examples left out): the conformity view's."""
    return session.scalar(
        select(EvalRun).where(EvalRun.example.is_(False)).order_by(EvalRun.created_at.desc()).limit(1)
    )
