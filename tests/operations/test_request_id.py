"""One id follows a request: its response header, its log lines, its audit entries and its jobs."""

from __future__ import annotations

import io
import json
import logging
import logging.config
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from balise.audit.models import AuditEntry
from balise.config import get_settings
from balise.db import open_session
from balise.jobs import Job, run_worker
from balise.logs import configure_logging, formatter, resolved_format, uvicorn_log_config
from balise.web.app import create_app
from tests.assistant.conftest import _secret_key  # noqa: F401
from tests.support.web import Member, app, csrf_of, make_member  # noqa: F401


@pytest.fixture
def json_lines() -> Iterator[Callable[[], list[dict[str, object]]]]:
    """Every log line written meanwhile, through the JSON formatter `balise serve` and `worker` use."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter("json"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
    root.removeHandler(handler)
    root.setLevel(level)


def test_an_upload_s_id_is_in_its_log_line_its_audit_entry_and_its_job_s_log_lines(
    make_member: Callable[..., Member],  # noqa: F811
    engine: Engine,
    json_lines: Callable[[], list[dict[str, object]]],
) -> None:
    member = make_member("admin")
    data = {"csrf_token": csrf_of(member.client), "classification": "internal"}
    response = member.client.post(
        "/documents?question=secret", data=data, files=[("files", ("note.md", b"# Note\n\nCollecte."))]
    )
    assert response.status_code == 200, response.text
    request_id = response.headers["X-Request-ID"]
    assert len(request_id) == 32
    with open_session(engine) as session:
        job = session.scalar(select(Job).where(Job.request_id == request_id))
        assert job is not None and job.tenant_id == member.tenant.id
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.tenant_id == member.tenant.id, AuditEntry.action != "")
        ).all()
        assert any(entry.details.get("request_id") == request_id for entry in entries)
    run_worker(engine, job_ids=[job.id], stop_when_idle=True, poll_seconds=0.1)
    lines = json_lines()
    (access,) = [x for x in lines if x.get("logger") == "balise.access" and x["request_id"] == request_id]
    assert (access["method"], access["path"], access["status"]) == ("POST", "/documents", 200)
    assert isinstance(access["duration_ms"], float)
    assert "secret" not in json.dumps(access)  # never the query string
    job_lines = [line for line in lines if line.get("job_id") == job.id]
    assert job_lines and all(line["request_id"] == request_id for line in job_lines)
    assert any(line["event"] == "job" and line["outcome"] == "done" for line in job_lines)
    with open_session(engine) as session:  # what the worker audited while running the job
        ingested = session.scalars(
            select(AuditEntry).where(AuditEntry.tenant_id == member.tenant.id, AuditEntry.seq > 0)
        ).all()
        assert sum(entry.details.get("request_id") == request_id for entry in ingested) >= 2


def test_an_incoming_id_is_believed_from_a_trusted_proxy_only(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent = {"X-Request-ID": "proxy-given-id-1234"}
    untrusted = TestClient(create_app(engine)).get("/healthz", headers=sent)
    assert untrusted.headers["X-Request-ID"] not in {"", "proxy-given-id-1234"}
    monkeypatch.setenv("BALISE_TRUSTED_PROXIES", "*")
    get_settings.cache_clear()
    try:
        client = TestClient(create_app(engine))
        assert client.get("/healthz", headers=sent).headers["X-Request-ID"] == "proxy-given-id-1234"
        insane = client.get("/healthz", headers={"X-Request-ID": "a b\tc"}).headers["X-Request-ID"]
        assert insane != "a b\tc" and len(insane) == 32
    finally:
        get_settings.cache_clear()


def test_uvicorn_s_own_lines_go_through_the_same_json_formatter() -> None:
    config = uvicorn_log_config("json")
    assert (
        config["root"]["handlers"] == ["default"] and config["handlers"]["default"]["formatter"] == "balise"
    )
    uvicorn = [logger for name, logger in config["loggers"].items() if name.startswith("uvicorn")]
    assert len(uvicorn) == 3 and all(not logger["handlers"] and logger["propagate"] for logger in uvicorn)
    built = logging.config.DictConfigurator(config).configure_formatter(config["formatters"]["balise"])
    record = logging.LogRecord("uvicorn.error", logging.INFO, __file__, 1, "Started %s", ("server",), None)
    record.color_message = "Started \x1b[36m%s\x1b[0m"
    line = json.loads(built.format(record))
    assert (line["event"], line["logger"], line["level"]) == ("Started server", "uvicorn.error", "info")
    assert "color_message" not in line and config["loggers"]["alembic"]["level"] == "WARNING"


def test_a_server_error_names_its_id_in_the_log_the_header_and_the_page(
    engine: Engine, json_lines: Callable[[], list[dict[str, object]]]
) -> None:
    broken_app = create_app(engine)

    @broken_app.get("/test-panne")
    def broken() -> None:
        raise RuntimeError("panne")

    client = TestClient(broken_app, headers={"accept": "text/html"}, raise_server_exceptions=False)
    response = client.get("/test-panne")
    assert response.status_code == 500
    request_id = response.headers["X-Request-ID"]
    assert request_id in response.text
    (error,) = [line for line in json_lines() if line.get("level") == "error"]
    assert error["request_id"] == request_id and "RuntimeError: panne" in str(error["exception"])
    (access,) = [line for line in json_lines() if line.get("logger") == "balise.access"]
    assert (access["request_id"], access["status"]) == (request_id, 500)


def test_json_is_the_default_away_from_a_terminal_and_configuring_twice_keeps_one_handler(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stderr.isatty", lambda: False)
    assert (resolved_format(""), resolved_format("text")) == ("json", "text")
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    assert (resolved_format(""), resolved_format("json")) == ("text", "json")
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    others = [h for h in before if h.get_name() != "balise"]  # another test may have configured it
    try:
        configure_logging("json")
        configure_logging("json")
        ours = [h for h in root.handlers if h.get_name() == "balise"]
        assert len(ours) == 1 and set(others) <= set(root.handlers)
    finally:
        root.handlers = before
        root.setLevel(level)
