"""/metrics: the queue, jobs, model calls, masks and policy decisions move when the work happens, the
in-process counters are summed over processes, and the alerts and dashboard name only real metrics."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine

from balise.db import open_session
from balise.gateway.tables import ModelUsage
from balise.guard.policy.rules import Decision
from balise.guard.policy.service import record_decision
from balise.guard.privacy import get_guard
from balise.jobs import HANDLERS, JobContext, claim_next, enqueue, handler, run_job
from balise.tenancy.models import Tenant
from balise.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
HEARTBEAT = "balise_worker_heartbeat_age_seconds"
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture
def kind() -> Iterator[str]:
    name = f"metrics-{uuid.uuid4().hex[:8]}"
    yield name
    HANDLERS.pop(name, None)


@pytest.fixture
def scrape(engine: Engine) -> Callable[[], Samples]:
    client = TestClient(create_app(engine), client=("127.0.0.1", 5000))

    def read() -> Samples:
        response = client.get("/metrics")
        assert response.status_code == 200, response.text
        return {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.text)
            for sample in family.samples
        }

    return read


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_job_metrics_move_with_the_queue(
    engine: Engine, make_tenant: Callable[..., Tenant], kind: str, scrape: Callable[[], Samples]
) -> None:
    def boom(ctx: JobContext) -> None:
        raise RuntimeError("boom")

    handler(kind)(boom)
    tenant = make_tenant()
    with open_session(engine) as session:
        enqueue(session, kind, {}, tenant.id, max_attempts=2)
        enqueue(session, kind, {}, tenant.id, max_attempts=1)
        session.commit()
    before = scrape()
    assert value(before, "balise_jobs", kind=kind, state="queued") == 2
    assert value(before, "balise_queue_oldest_due_seconds") >= 0
    assert value(before, "balise_database_up") == 1
    for _ in range(2):
        with open_session(engine) as session:
            job = claim_next(session, "w", kinds=[kind])
        assert job is not None
        run_job(engine, job, "w")
    after = scrape()
    assert value(after, "balise_jobs", kind=kind, state="queued") == 1  # waiting for its retry
    assert value(after, "balise_jobs", kind=kind, state="failed") == 1
    assert value(after, "balise_jobs_failed_total", kind=kind) == 1
    assert value(after, "balise_jobs_retried_total", kind=kind) == 1
    assert value(after, "balise_job_duration_seconds_count", kind=kind) == 1
    assert value(after, "balise_job_duration_seconds_bucket", kind=kind, le="+Inf") == 1
    assert value(after, "balise_job_duration_seconds_bucket", kind=kind, le="5.0") == 1


def test_model_calls_policy_decisions_and_masks_move(
    engine: Engine, make_tenant: Callable[..., Tenant], scrape: Callable[[], Samples]
) -> None:
    backend = f"serveur-{uuid.uuid4().hex[:6]}"
    before = scrape()
    tenant = make_tenant()
    with open_session(engine) as session:
        for latency_ms, outcome in [(300, "ok"), (7000, "ok"), (40, "fallback_timeout")]:
            session.add(
                ModelUsage(
                    tenant_id=tenant.id,
                    backend=backend,
                    kind="generative",
                    task="ask",
                    classification="public",
                    latency_ms=latency_ms,
                    outcome=outcome,
                )
            )
        record_decision(session, tenant.id, "u1", Decision("block", "x1-rule", "X1", "why", 0.9))
        session.commit()
    get_guard().protect([{"role": "user", "content": "Écrivez-moi à jean.tremblay@exemple.org svp."}])
    after = scrape()
    assert value(after, "balise_model_calls_total", backend=backend, outcome="ok") == 2
    assert value(after, "balise_model_calls_total", backend=backend, outcome="fallback_timeout") == 1
    assert value(after, "balise_model_latency_seconds_count", backend=backend) == 3
    assert value(after, "balise_model_latency_seconds_bucket", backend=backend, le="0.5") == 2
    assert value(after, "balise_model_latency_seconds_bucket", backend=backend, le="5.0") == 2
    assert value(after, "balise_model_latency_seconds_sum", backend=backend) == pytest.approx(7.34)
    blocked = "balise_policy_decisions_total"
    assert value(after, blocked, outcome="block") == value(before, blocked, outcome="block") + 1
    masks = "balise_privacy_masks_total"
    assert value(after, masks, label="EMAIL") == value(before, masks, label="EMAIL") + 1
    assert value(after, "balise_http_requests_total", method="GET", route="/metrics", status="200") >= 1


def test_counters_of_several_processes_are_summed(tmp_path: Path) -> None:
    """What `balise serve --workers N` sets up: every process writes to one folder, any one answers."""
    environment = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    count = "from balise.guard.privacy.engine import count_masks; count_masks({'PHONE': %d})"
    for amount in (2, 3):
        subprocess.run([sys.executable, "-c", count % amount], env=environment, check=True, timeout=120)
    show = (
        "import sys; from balise.db import make_engine; from balise.operations.metrics import exposition;"
        "sys.stdout.write(exposition(make_engine('sqlite://')).decode())"
    )
    shown = subprocess.run(
        [sys.executable, "-c", show], env=environment, check=True, timeout=120, capture_output=True, text=True
    ).stdout
    assert 'balise_privacy_masks_total{label="PHONE"} 5.0' in shown
    assert "balise_database_up 0.0" in shown  # an unmigrated database: said, not a 500


def _exposed(engine: Engine) -> set[str]:
    text = TestClient(create_app(engine), client=("127.0.0.1", 5000)).get("/metrics").text
    names: set[str] = set()
    for name, kind in re.findall(r"^# TYPE (\S+) (\S+)$", text, re.MULTILINE):
        names.add(name)
        if kind == "counter":
            names.add(name if name.endswith("_total") else name + "_total")
        if kind == "histogram":
            names.update(name + suffix for suffix in ("_bucket", "_sum", "_count"))
    return names


def test_alerts_and_dashboard_use_only_exposed_metrics(engine: Engine) -> None:
    rules = yaml.safe_load((ROOT / "deploy/prometheus/alerts.yml").read_text())
    expressions = [rule["expr"] for group in rules["groups"] for rule in group["rules"]]
    dashboard = json.loads((ROOT / "deploy/grafana/balise.json").read_text())
    expressions += [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]
    used = {name for expr in expressions for name in re.findall(r"\bbalise_[a-z_]+\b", expr)}
    alerts = {rule["alert"] for group in rules["groups"] for rule in group["rules"]}
    assert {"BaliseWorkerHeartbeatStale", "BaliseNotReady", "BaliseJobsFailing"} <= alerts
    assert HEARTBEAT in used and "balise_model_latency_seconds_bucket" in used
    assert used - _exposed(engine) == set()
