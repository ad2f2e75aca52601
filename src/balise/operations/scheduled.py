"""The recurring work the workers do by themselves, daily for each municipality.

Add a recurring job here (an evaluation run, a report) with :func:`balise.jobs.schedules.schedule`;
the admin page « Travailleurs » shows each one's last run, outcome and next run. Every job runs in
the municipality's own session, so the deletions below touch that municipality's rows only.
"""

from __future__ import annotations

from balise.i18n import N_
from balise.jobs import JobContext
from balise.jobs.schedules import DAILY, schedule

COMPLAINT_REMINDERS = "scheduled.complaint_reminders"
CONVERSATION_PURGE = "scheduled.conversation_purge"
VAULT_PURGE = "scheduled.vault_purge"


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
