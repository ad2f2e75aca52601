"""What /metrics shows, the same whichever web process the scraper reaches.

* The queue, the jobs, the model calls and the usage-policy decisions are counted in the database at
  scrape time: every web process reads the same rows, and work done by ``balise worker`` processes
  (which serve no /metrics) is counted too. Counts only grow, except when rows are purged, which
  Prometheus reads as a counter reset.
* The in-process counters (HTTP requests, masks applied) are summed over every web process by
  prometheus_client's multiprocess mode: ``balise serve`` gives its processes one folder
  (:func:`balise.serving.enable_multiprocess_metrics`) before any of them imports prometheus_client.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector
from sqlalchemy import Engine, case, extract, func, or_, select
from sqlalchemy.exc import DBAPIError

from balise.db import open_session, utcnow
from balise.gateway.tables import ModelUsage
from balise.guard.policy.models import PolicyDecision
from balise.jobs.models import Job, JobStatus
from balise.operations.health import readiness
from balise.serving import MULTIPROCESS_FOLDER

JOB_SECONDS = (1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0)
MODEL_SECONDS = (0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


def _histogram(
    name: str, doc: str, label: str, rows: Iterable[Any], buckets: Sequence[float]
) -> HistogramMetricFamily:
    """A histogram from rows ``(label, count, sum, bucket_1, …, bucket_n)`` of cumulative counts."""
    family = HistogramMetricFamily(name, doc, labels=[label])
    for row in rows:
        count, total = int(row[1] or 0), float(row[2] or 0.0)
        cumulative = [(str(bound), float(row[3 + i] or 0)) for i, bound in enumerate(buckets)]
        family.add_metric([row[0]], [*cumulative, ("+Inf", float(count))], sum_value=total)
    return family


def _bucket_columns(value: Any, buckets: Sequence[float]) -> list[Any]:
    return [func.sum(case((value <= bound, 1), else_=0)) for bound in buckets]


class DatabaseCollector(Collector):
    """Reads the counts from the database each time Prometheus scrapes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("balise_database_up", "Whether /metrics could read the database")
        try:
            families = list(self._families())
        except DBAPIError:
            up.add_metric([], 0.0)
            yield up
            return
        up.add_metric([], 1.0)
        yield up
        yield from families
        ready = GaugeMetricFamily("balise_ready", "Whether /readyz answers ready (1) or not (0)")
        ready.add_metric([], 1.0 if readiness(self.engine).ready else 0.0)
        yield ready

    def _families(self) -> Iterator[Metric]:
        with open_session(self.engine) as session:
            jobs = GaugeMetricFamily("balise_jobs", "Jobs by kind and state", labels=["kind", "state"])
            for kind, state, count in session.execute(
                select(Job.kind, Job.status, func.count()).group_by(Job.kind, Job.status)
            ):
                jobs.add_metric([kind, state], float(count))
            yield jobs
            now = utcnow()
            oldest = session.scalar(
                select(func.min(Job.run_after)).where(
                    Job.status == JobStatus.QUEUED.value, Job.run_after <= now
                )
            )
            waiting = GaugeMetricFamily(
                "balise_queue_oldest_due_seconds", "How long the oldest due job has waited for a worker"
            )
            waiting.add_metric([], _age(now, oldest))
            yield waiting
            failed = CounterMetricFamily(
                "balise_jobs_failed", "Jobs that used up their attempts", labels=["kind"]
            )
            retried = CounterMetricFamily(
                "balise_jobs_retried", "Jobs that failed at least once", labels=["kind"]
            )
            was_retried = or_(Job.attempts > 1, (Job.status == JobStatus.QUEUED.value) & (Job.error != ""))
            for kind, gave_up, again in session.execute(
                select(
                    Job.kind,
                    func.sum(case((Job.status == JobStatus.FAILED.value, 1), else_=0)),
                    func.sum(case((was_retried, 1), else_=0)),
                ).group_by(Job.kind)
            ):
                failed.add_metric([kind], float(gave_up or 0))
                retried.add_metric([kind], float(again or 0))
            yield failed
            yield retried
            seconds = (
                extract("epoch", Job.finished_at - Job.started_at)
                if self.engine.dialect.name == "postgresql"
                else (func.julianday(Job.finished_at) - func.julianday(Job.started_at)) * 86400.0
            )
            yield _histogram(
                "balise_job_duration_seconds",
                "Finished jobs, from their first start to their end",
                "kind",
                session.execute(
                    select(Job.kind, func.count(), func.sum(seconds), *_bucket_columns(seconds, JOB_SECONDS))
                    .where(Job.finished_at.is_not(None), Job.started_at.is_not(None))
                    .group_by(Job.kind)
                ),
                JOB_SECONDS,
            )
            calls = CounterMetricFamily(
                "balise_model_calls",
                "Model gateway calls by backend and outcome",
                labels=["backend", "outcome"],
            )
            for backend, outcome, count in session.execute(
                select(ModelUsage.backend, ModelUsage.outcome, func.count()).group_by(
                    ModelUsage.backend, ModelUsage.outcome
                )
            ):
                calls.add_metric([backend, outcome], float(count))
            yield calls
            latency = ModelUsage.latency_ms / 1000.0
            yield _histogram(
                "balise_model_latency_seconds",
                "Model gateway call latency by backend",
                "backend",
                session.execute(
                    select(
                        ModelUsage.backend,
                        func.count(),
                        func.sum(latency),
                        *_bucket_columns(latency, MODEL_SECONDS),
                    ).group_by(ModelUsage.backend)
                ),
                MODEL_SECONDS,
            )
            decisions = CounterMetricFamily(
                "balise_policy_decisions", "Usage-policy decisions by outcome", labels=["outcome"]
            )
            for outcome, count in session.execute(
                select(PolicyDecision.outcome, func.count()).group_by(PolicyDecision.outcome)
            ):
                decisions.add_metric([outcome], float(count))
            yield decisions


def _age(now: Any, then: Any) -> float:
    if then is None:
        return 0.0
    if then.tzinfo is None and now.tzinfo is not None:
        then = then.replace(tzinfo=now.tzinfo)
    return max(0.0, (now - then).total_seconds())


def exposition(engine: Engine) -> bytes:
    """The text /metrics answers: every web process's counters, then the database's counts."""
    if os.environ.get(MULTIPROCESS_FOLDER):
        from prometheus_client.multiprocess import MultiProcessCollector

        processes = CollectorRegistry()
        MultiProcessCollector(processes)
        own = generate_latest(processes)
    else:
        own = generate_latest(REGISTRY)
    database = CollectorRegistry(auto_describe=False)
    database.register(DatabaseCollector(engine))
    return own + generate_latest(database)
