"""Behind a reverse proxy on another machine: forwarded headers believed only from trusted proxies;
/metrics for the monitoring server only; /readyz; no ./var/ when the database is a server."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from balise.config import get_settings
from balise.db import make_engine, open_session
from balise.tenancy import create_user
from balise.tenancy.models import LoginAttempt
from balise.web.app import create_app
from tests.operations.conftest import ROOT

PASSWORD = "un-mot-de-passe-solide"
PROXY = "10.20.0.7"  # the reverse proxy, on another machine: not a loopback address


@pytest.fixture
def configure(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    def apply(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(f"BALISE_{name.upper()}", value)
        get_settings.cache_clear()

    yield apply
    get_settings.cache_clear()


@pytest.fixture
def proxied_app(engine: Engine, configure: Callable[..., None]) -> FastAPI:
    configure(trusted_proxies="10.20.0.0/16", login_attempts_per_15_min="1")
    return create_app(engine)


def _email(engine: Engine, make_tenant: Callable[..., object]) -> str:
    tenant = make_tenant()
    email = f"agent-{os.urandom(4).hex()}@example.org"
    with open_session(engine) as session:
        create_user(session, session.merge(tenant), email, PASSWORD, "employee")
        session.commit()
    return email


def _client(app: FastAPI, peer: str, forwarded_for: str = "", proto: str = "") -> TestClient:
    headers = {"accept": "text/html"}
    if forwarded_for:
        headers["x-forwarded-for"] = forwarded_for
    if proto:
        headers["x-forwarded-proto"] = proto
    return TestClient(app, client=(peer, 41000), headers=headers)


def _sign_in(client: TestClient, email: str, password: str = PASSWORD) -> tuple[int, str]:
    """Sign in as a browser behind the proxy would; the client speaks plain HTTP to the app, like the
    proxy does, so a Secure cookie is sent back by hand."""
    csrf = client.get("/connexion").cookies.get("balise_csrf", "")
    response = client.post(
        "/connexion",
        data={"email": email, "password": password, "csrf_token": csrf},
        headers={"cookie": f"balise_csrf={csrf}"},
        follow_redirects=False,
    )
    return response.status_code, response.headers.get("set-cookie", "").lower()


def _address() -> str:
    return f"203.0.113.{random.randint(1, 254)}"


def test_cookies_are_secure_when_a_trusted_proxy_says_https(proxied_app, engine, make_tenant):
    email = _email(engine, make_tenant)
    status, cookie = _sign_in(_client(proxied_app, PROXY, _address(), "https"), email)
    assert status == 303 and "balise_session=" in cookie and "secure" in cookie


def test_an_untrusted_peer_cannot_claim_https_or_another_address(proxied_app, engine, make_tenant):
    email = _email(engine, make_tenant)
    stranger = f"198.51.100.{random.randint(1, 254)}"
    pretended = _address()
    client = _client(proxied_app, stranger, pretended, "https")
    unknown = f"inconnu-{os.urandom(4).hex()}@example.org"
    assert _sign_in(client, unknown, "faux-mot-de-passe")[0] == 401
    status, cookie = _sign_in(client, email)
    assert status == 303 and "secure" not in cookie
    with open_session(engine) as session:
        clients = set(session.scalars(select(LoginAttempt.client).where(LoginAttempt.email == unknown)))
    assert clients == {stranger}


def test_the_login_limit_applies_to_each_real_client_not_to_the_proxy(proxied_app, engine, make_tenant):
    email = _email(engine, make_tenant)
    attacker, colleague = _address(), _address()
    while colleague == attacker:
        colleague = _address()
    for attempt in range(10):  # the per-address allowance is ten times the per-account one (1)
        victim = f"victim-{attempt}-{os.urandom(3).hex()}@example.org"
        assert _sign_in(_client(proxied_app, PROXY, attacker, "https"), victim, "x")[0] == 401
    throttled = _client(proxied_app, PROXY, attacker, "https")
    status, _cookie = _sign_in(throttled, email)
    assert status == 429
    # Everyone else behind the same proxy still signs in.
    assert _sign_in(_client(proxied_app, PROXY, colleague, "https"), email)[0] == 303


def test_metrics_need_the_token_or_an_allowed_address(engine, configure):
    configure(trusted_proxies="10.20.0.0/16", metrics_allow="192.0.2.0/24", metrics_token="")
    app = create_app(engine)
    assert TestClient(app, client=("192.0.2.40", 5000)).get("/metrics").status_code == 200
    denied = TestClient(app, client=("198.51.100.9", 5000)).get("/metrics")
    assert denied.status_code == 403 and "supervision" in denied.json()["message"]
    # Through the proxy, the address that counts is the client's, not the proxy's.
    proxied = _client(app, PROXY, "198.51.100.9").get("/metrics", headers={"accept": "*/*"})
    assert proxied.status_code == 403
    configure(metrics_token="jeton-de-supervision")
    assert (
        TestClient(app, client=("198.51.100.9", 5000))
        .get("/metrics", headers={"Authorization": "Bearer jeton-de-supervision"})
        .status_code
        == 200
    )
    wrong = TestClient(app, client=("192.0.2.40", 5000)).get(
        "/metrics", headers={"Authorization": "Bearer x"}
    )
    assert wrong.status_code == 403
    body = (
        TestClient(app, client=("198.51.100.9", 5000))
        .get("/metrics", headers={"Authorization": "Bearer jeton-de-supervision"})
        .text
    )
    assert "balise_http_requests_total" in body and "balise_http_request_seconds" in body


def test_readiness_says_whether_the_schema_is_current(engine, tmp_path):
    ready = TestClient(create_app(engine)).get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    unmigrated = make_engine(f"sqlite:///{tmp_path / 'vide.db'}")
    stale = TestClient(create_app(unmigrated)).get("/readyz")
    assert stale.status_code == 503
    assert stale.json()["status"] == "not_ready" and "migrate-db" in stale.json()["reason"]
    assert TestClient(create_app(engine)).get("/healthz").json()["status"] == "ok"


def test_a_bad_trusted_proxies_setting_is_refused_in_french(engine, configure):
    configure(trusted_proxies="10.0.0.1,proxy.example")
    with pytest.raises(Exception, match="ni une adresse ni un réseau"):
        create_app(engine)


def test_no_var_folder_when_the_database_is_a_server_url(tmp_path, engine):
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "BALISE_DATA_DIR"}
    env.update(
        BALISE_DATABASE_URL=engine.url.render_as_string(hide_password=False),
        BALISE_SECRET_KEY="cle-de-test-assez-longue-pour-etre-acceptee",
    )
    result = run_balise_in(workdir, env, "admin", "create-tenant", f"v-{os.urandom(3).hex()}", "--name", "V")
    assert result.returncode == 0, result.stderr
    assert not (workdir / "var").exists()


def run_balise_in(workdir: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "balise.cli", *args],
        env={**env, "PYTHONPATH": str(ROOT / "src")},
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )


def test_no_proxy_is_trusted_unless_configured(engine, make_tenant, monkeypatch):
    """By default (nothing configured) even loopback is not a proxy: a local process must not choose
    the address the rate limits see, nor claim https."""
    monkeypatch.delenv("BALISE_TRUSTED_PROXIES", raising=False)
    get_settings.cache_clear()
    assert get_settings().trusted_proxies == ""
    app = create_app(engine)
    status, cookie = _sign_in(_client(app, "127.0.0.1", _address(), "https"), _email(engine, make_tenant))
    assert status == 303 and "secure" not in cookie  # the forwarded https was not believed
    seen: list[str] = []

    @app.get("/test-peer")
    def peer(request: Request) -> dict[str, str]:
        seen.append(request.client.host if request.client else "")
        return {}

    _client(app, "127.0.0.1", "198.51.100.9").get("/test-peer")
    assert seen == ["127.0.0.1"]


def test_hsts_on_https_from_a_trusted_proxy_only(proxied_app, engine, configure):
    secure = _client(proxied_app, PROXY, _address(), "https").get("/connexion")
    assert secure.headers["strict-transport-security"] == "max-age=31536000"
    plain = _client(proxied_app, PROXY, _address()).get("/connexion")
    assert "strict-transport-security" not in plain.headers
    spoofed = _client(proxied_app, "192.0.2.50", _address(), "https").get("/connexion")
    assert "strict-transport-security" not in spoofed.headers
    configure(hsts_max_age="600", hsts_include_subdomains="true")
    longer = _client(create_app(engine), PROXY, _address(), "https").get("/connexion")
    assert longer.headers["strict-transport-security"] == "max-age=600; includeSubDomains"
    configure(hsts_max_age="0")
    off = _client(create_app(engine), PROXY, _address(), "https").get("/connexion")
    assert "strict-transport-security" not in off.headers
