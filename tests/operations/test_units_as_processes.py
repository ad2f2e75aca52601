"""The production services run as plain processes exactly as the systemd units start them.

Building the container image needs a registry (its base image) that this machine cannot reach, so
the units in deploy/systemd are run instead, with their ``ExecStart``, their ``EnvironmentFile``
(deploy/balise.env.example) and ``WorkingDirectory``. Only what names this machine changes: the
database URL (an ordinary role on pgserver, created as docs/deploy.md says), the folders, and the
port (another process may hold 8000 on a shared machine).
"""

from __future__ import annotations

import configparser
import os
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.operations.conftest import ROOT, Postgres, balise_ok
from tests.support.ports import free_port

UNITS = ROOT / "deploy" / "systemd"
BALISE = "/opt/balise/venv/bin/balise"
DOCUMENT = "Le stationnement de nuit est interdit du 15 novembre au 1er avril dans les rues de Castelbourg."


def unit(name: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(UNITS / name)
    return parser["Service"]


def env_file(overrides: dict[str, str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in (ROOT / "deploy" / "balise.env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _eq, value = line.partition("=")
            values[key.strip()] = value.strip()
    return {**values, **overrides}


def command(service: configparser.SectionProxy, replace: dict[str, str]) -> list[str]:
    line = service["ExecStart"].replace("%%", "%").replace("%i", "1")
    for old, new in replace.items():
        line = line.replace(old, new)
    words = shlex.split(line)
    if words[0] == BALISE:
        return [sys.executable, "-m", "balise.cli", *words[1:]]
    return words


@pytest.fixture
def deployment(postgres: Postgres, tmp_path: Path) -> Iterator[dict[str, object]]:
    data_dir, backups = tmp_path / "var-lib-balise", tmp_path / "backups"
    data_dir.mkdir()
    backups.mkdir()
    port = free_port()
    url = postgres.role_database(f"unites_{os.getpid()}_{os.urandom(2).hex()}", extension=True)
    env = {
        **os.environ,
        **env_file(
            {
                "BALISE_DATABASE_URL": url,
                "BALISE_SECRET_KEY": "une-cle-secrete-de-test-assez-longue",
                "BALISE_DATA_DIR": str(data_dir),
                "BALISE_PRIVACY_TIMEOUT_SECONDS": "120",
                "XDG_CACHE_HOME": str(data_dir / "cache"),
            }
        ),
        "PYTHONPATH": str(ROOT / "src"),
        "COLUMNS": "400",
    }
    replace = {
        "/var/lib/balise": str(data_dir),
        "/var/backups/balise": str(backups),
        BALISE + " ": f"{sys.executable} -m balise.cli ",
        "--port 8000": f"--port {port}",
    }
    yield {"env": env, "replace": replace, "port": port, "data_dir": data_dir, "backups": backups}


def start(name: str, deployment: dict[str, object]) -> subprocess.Popen[bytes]:
    """Starts a long-running unit; its output goes to a file, as journald would keep it."""
    service = unit(name)
    cwd = str(service["WorkingDirectory"]).replace("/var/lib/balise", str(deployment["data_dir"]))
    log = Path(str(deployment["data_dir"])).parent / f"{name}.log"
    with log.open("wb") as journal:
        return subprocess.Popen(
            command(service, deployment["replace"]),  # type: ignore[arg-type]
            env=deployment["env"],  # type: ignore[arg-type]
            cwd=cwd,
            stdout=journal,
            stderr=subprocess.STDOUT,
        )


def journal(name: str, deployment: dict[str, object]) -> str:
    return (Path(str(deployment["data_dir"])).parent / f"{name}.log").read_text(errors="replace")[-4000:]


def run_once(name: str, deployment: dict[str, object]) -> None:
    service = unit(name)
    assert service["Type"] == "oneshot"
    cwd = str(service["WorkingDirectory"]).replace("/var/lib/balise", str(deployment["data_dir"]))
    done = subprocess.run(
        command(service, deployment["replace"]),  # type: ignore[arg-type]
        env=deployment["env"],  # type: ignore[arg-type]
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"{name}: {done.stdout}\n{done.stderr}"


def wait_ready(base: str, process: subprocess.Popen[bytes], seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "serve stopped"
        try:
            if httpx.get(f"{base}/readyz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError("serve did not become ready")


def test_units_run_as_written_sign_in_and_ingest_end_to_end(deployment: dict[str, object], tmp_path: Path):
    env: dict[str, str] = deployment["env"]  # type: ignore[assignment]
    base = f"http://127.0.0.1:{deployment['port']}"
    # serve and the workers only check the schema on PostgreSQL: before migrate-db, serve refuses.
    early = subprocess.run(
        command(unit("balise-serve.service"), deployment["replace"]),  # type: ignore[arg-type]
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert early.returncode != 0 and "balise migrate-db" in early.stderr

    run_once("balise-migrate.service", deployment)
    balise_ok("admin", "create-tenant", "castelbourg", "--name", "Castelbourg", env=env)
    balise_ok(
        "admin", "create-user", "greffe@castelbourg.example", "--tenant", "castelbourg", "--role", "admin",
        "--password-stdin", env=env, input="mot-de-passe-du-greffe\n",
    )  # fmt: skip
    token = balise_ok(
        "admin", "create-token", "greffe@castelbourg.example", "--tenant", "castelbourg", env=env
    )
    token = token.strip().splitlines()[-1]

    serve = start("balise-serve.service", deployment)
    worker = start("balise-worker@.service", deployment)
    try:
        _exercise(base, serve, worker, deployment, tmp_path, token)
    except BaseException:
        print("serve:", journal("balise-serve.service", deployment))
        print("worker:", journal("balise-worker@.service", deployment))
        raise
    finally:
        for process in (serve, worker):
            process.terminate()
        for process in (serve, worker):
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
    assert worker.returncode == 0  # SIGTERM: the worker stops cleanly between jobs


def _exercise(
    base: str,
    serve: subprocess.Popen[bytes],
    worker: subprocess.Popen[bytes],
    deployment: dict[str, object],
    tmp_path: Path,
    token: str,
) -> None:
    env: dict[str, str] = deployment["env"]  # type: ignore[assignment]
    wait_ready(base, serve)
    # Sign in through the reverse proxy on this host (trusted: 127.0.0.1): https as the proxy says.
    with httpx.Client(
        base_url=base, headers={"x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.7"}
    ) as web:
        csrf = web.get("/connexion").cookies["balise_csrf"]
        signed_in = web.post(
            "/connexion",
            data={
                "email": "greffe@castelbourg.example",
                "password": "mot-de-passe-du-greffe",
                "csrf_token": csrf,
            },
            headers={"cookie": f"balise_csrf={csrf}"},
        )
    assert signed_in.status_code == 303, signed_in.text
    assert "secure" in signed_in.headers["set-cookie"].lower()
    assert httpx.get(f"{base}/metrics").status_code == 200  # from the allowed loopback address

    # Ingestion end to end: queued by the command, processed by the worker unit, found by the API.
    document = tmp_path / "stationnement-hiver.md"
    document.write_text(f"# Stationnement d’hiver\n\n{DOCUMENT}\n", encoding="utf-8")
    balise_ok("ingest", str(document), "--tenant", "castelbourg", "--no-wait", env=env)
    deadline, citations = time.monotonic() + 900, []
    while time.monotonic() < deadline and not citations:
        assert worker.poll() is None, "the worker stopped"
        answer = httpx.post(
            f"{base}/api/assistant/ask",
            json={"question": "Quand le stationnement de nuit est-il interdit ?"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=600,  # a loaded machine: the first question loads the language models
        )
        assert answer.status_code == 200, answer.text
        citations = answer.json()["citations"]
        time.sleep(1)
    assert citations and citations[0]["title"] == "Stationnement d’hiver"
    assert "15 novembre" in answer.json()["answer"]

    run_once("balise-backup.service", deployment)
    assert list(Path(str(deployment["backups"])).glob("balise-*.tar.gz"))
