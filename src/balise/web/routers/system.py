"""Operations endpoints: liveness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlalchemy.orm import Session

import balise
from balise.web.deps import get_db

router = APIRouter(tags=["system"])


@router.get("/healthz")
def healthz(db: Session = Depends(get_db)) -> dict[str, str]:
    """Answers 200 when the application and its database respond."""
    db.execute(text("SELECT 1"))
    return {"status": "ok", "version": balise.__version__, "database": db.get_bind().dialect.name}


@router.get("/metrics", include_in_schema=False)
def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
