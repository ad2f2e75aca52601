"""The recurring work the workers do by themselves for each municipality: daily, weekly for the
evaluation runs and monthly for the bias probes.

Add a recurring job here (an evaluation run, a report) with :func:`balise.jobs.schedules.schedule`;
the admin page « Travailleurs » shows each one's last run, outcome and next run. Every job runs in
the municipality's own session, so the deletions below touch that municipality's rows only.
"""

from __future__ import annotations

from datetime import timedelta

from balise.i18n import N_
from balise.jobs import JobContext
from balise.jobs.schedules import DAILY, schedule

COMPLAINT_REMINDERS = "scheduled.complaint_reminders"
CONVERSATION_PURGE = "scheduled.conversation_purge"
VAULT_PURGE = "scheduled.vault_purge"
BIAS_PROBES = "scheduled.bias_probes"
EVALUATION_RUNS = "scheduled.evaluation_runs"
WEEKLY = timedelta(days=7)
MONTHLY = timedelta(days=30)


@schedule(COMPLAINT_REMINDERS, N_("Complaint reminders"), DAILY)
def remind_complaints(ctx: JobContext) -> None:
    """What ``balise complaint-reminders`` does, for the job's municipality."""
    from balise.governance.complaints import send_reminders

    send_reminders(ctx.session, ctx.tenant_id)


@schedule(CONVERSATION_PURGE, N_("Deletion of expired conversations"), DAILY)
def purge_conversations(ctx: JobContext) -> None:
    """What ``balise purge-conversations`` does, for the job's municipality."""
    from balise.assistant.history import purge_expired

    purge_expired(ctx.session)


@schedule(VAULT_PURGE, N_("Deletion of expired masked values"), DAILY)
def purge_vault(ctx: JobContext) -> None:
    """The pseudonymisation vault's mappings past their retention period."""
    from balise.guard.privacy.vault import purge_expired

    purge_expired(ctx.session)


@schedule(BIAS_PROBES, N_("Bias probes"), MONTHLY)
def probe_bias(ctx: JobContext) -> None:
    """What ``balise eval bias --tenant …`` does (P5, P7): a model that stops answering fails the job,
    which the workers page shows, and the next attempt starts again."""
    from balise.evaluation.bias import run_probes
    from balise.tenancy import Tenant

    tenant = ctx.session.get(Tenant, ctx.tenant_id)
    if tenant is not None:
        run_probes(ctx.session, tenant, actor="schedule")


@schedule(EVALUATION_RUNS, N_("Evaluation runs"), WEEKLY)
def run_evaluations(ctx: JobContext) -> None:
    """What ``balise eval run`` does for each of the municipality's sets (P4, G7): a run below a
    threshold alerts the managers."""
    from balise.evaluation.runs import evaluate_all
    from balise.tenancy import Tenant

    tenant = ctx.session.get(Tenant, ctx.tenant_id)
    if tenant is not None:
        evaluate_all(ctx.session, tenant, trigger="schedule", actor="schedule")
