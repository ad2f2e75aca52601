"""Operations endpoints: liveness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

import balise
from balise.db import Session, ping
from balise.web.deps import get_db

router = APIRouter(tags=["system"])


@router.get("/healthz")
def healthz(db: Session = Depends(get_db)) -> dict[str, str]:
    """Answers 200 when the application and its database respond."""
    return {"status": "ok", "version": balise.__version__, "database": ping(db)}


@router.get("/metrics", include_in_schema=False)
def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
