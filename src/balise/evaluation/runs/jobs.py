"""The job a manager starts from the set's page: the run takes minutes, so a worker runs it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from balise.evaluation.runs.tables import EvalSet
from balise.jobs import JobContext, enqueue, handler

RUN_SET = "evaluation.run_set"


def request_run(session: Session, eval_set: EvalSet) -> str:
    """Queues a run of the set; returns the job's id (the caller commits)."""
    return enqueue(session, RUN_SET, {"set_id": eval_set.id}, eval_set.tenant_id, max_attempts=1).id


@handler(RUN_SET)
def run_requested(ctx: JobContext) -> None:
    """Runs the set the manager chose, and alerts as a scheduled run does."""
    from balise.evaluation.runs.service import evaluate
    from balise.evaluation.runs.sets import get_set
    from balise.tenancy import Tenant

    tenant = ctx.session.get(Tenant, ctx.tenant_id)
    if tenant is not None:
        evaluate(
            ctx.session, tenant, get_set(ctx.session, ctx.payload["set_id"]), trigger="page", actor="page"
        )
