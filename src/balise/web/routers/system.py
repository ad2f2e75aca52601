"""Operations endpoints: liveness, readiness and Prometheus metrics (see docs/deploy.md)."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST

import balise
from balise.config import get_settings
from balise.errors import Forbidden
from balise.operations.health import readiness
from balise.operations.maintenance import maintenance_state
from balise.operations.metrics import exposition
from balise.operations.network import may_read_metrics
from balise.operations.workers import worker_metrics
from balise.web.deps import engine_of

router = APIRouter(tags=["system"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """Liveness: 200 as long as the process answers. It never touches the database: an orchestrator
    that restarts a process whose database is down would only add restarts to the outage
    (the database is /readyz's concern)."""
    return {"status": "ok", "version": balise.__version__}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """Answers 200 when the database is reachable, its schema current and the models loaded, else 503
    (readiness; ``status`` says ``starting`` while the process starts)."""
    state = readiness(engine_of(request))
    body = {"version": balise.__version__, **asdict(state)}
    under_way = maintenance_state(get_settings().data_dir)  # still ready: reads are served meanwhile
    body["maintenance"] = asdict(under_way) if under_way else None
    return JSONResponse(body, status_code=200 if state.ready else 503)


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    client = request.client.host if request.client else None
    if not may_read_metrics(get_settings(), client, request.headers.get("authorization", "")):
        raise Forbidden(
            "The metrics are only shown to the monitoring server."
            " Set BALISE_METRICS_TOKEN or BALISE_METRICS_ALLOW."
        )
    engine = engine_of(request)
    return Response(exposition(engine) + worker_metrics(engine), media_type=CONTENT_TYPE_LATEST)
