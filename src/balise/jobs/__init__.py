"""Database job queue shared by all background work (ingestion today; any slow task tomorrow)."""

from balise.jobs.models import Job, JobStatus
from balise.jobs.queue import (
    HANDLERS,
    JobContext,
    LeaseLost,
    Progress,
    claim_next,
    default_worker_id,
    enqueue,
    handler,
    job_progress,
    run_job,
    run_worker,
)

__all__ = [
    "HANDLERS",
    "Job",
    "JobContext",
    "JobStatus",
    "LeaseLost",
    "Progress",
    "claim_next",
    "default_worker_id",
    "enqueue",
    "handler",
    "job_progress",
    "run_job",
    "run_worker",
]
