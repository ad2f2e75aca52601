"""``balise serve`` opens its port at once and says « starting » on /readyz until its models are loaded."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support.ports import free_port

CONNECT_BOUND_SECONDS = 5.0  # the goal is 2 s; a loaded CI machine gets some slack
READY_SECONDS = 180


def _connect_seconds(port: int, started: float, process: subprocess.Popen[bytes]) -> float:
    while time.monotonic() - started < 60 and process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return time.monotonic() - started
        except OSError:
            time.sleep(0.02)
    raise AssertionError("balise serve never opened its port")


@pytest.mark.slow
def test_the_port_opens_at_once_and_readyz_says_starting_until_the_models_are_loaded(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "BALISE_DATABASE_URL"}
    env.update(BALISE_DATA_DIR=str(tmp_path), BALISE_INLINE_JOBS="false")
    port = free_port()
    log = tmp_path / "serve.log"
    started = time.monotonic()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "balise.cli", "serve", "--port", str(port)],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=output,
        )
    try:
        seconds = _connect_seconds(port, started, process)
        print(f"balise serve accepted a TCP connection {seconds:.2f} s after its start")
        assert seconds <= CONNECT_BOUND_SECONDS, log.read_text(errors="replace")
        base = f"http://127.0.0.1:{port}"
        assert httpx.get(base + "/healthz", timeout=30).status_code == 200
        first = httpx.get(base + "/readyz", timeout=30)
        assert first.status_code == 503, first.text
        assert first.json()["status"] == "starting" and first.json()["reason"].startswith("démarrage")
        page = httpx.get(base + "/", timeout=60)  # waits for the models, or asks to come back
        assert page.status_code < 500 or "Balise démarre" in page.text, page.text
        deadline = time.monotonic() + READY_SECONDS
        while (ready := httpx.get(base + "/readyz", timeout=30)).status_code != 200:
            assert time.monotonic() < deadline and process.poll() is None, log.read_text(errors="replace")
            time.sleep(0.5)
        assert ready.json()["status"] == "ready"
        print(f"ready {time.monotonic() - started:.1f} s after the start")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
