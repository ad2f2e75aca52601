"""``balise serve``'s web server: the port opens first, everything slow comes after.

The socket is bound and listening before the application is imported or the schema checked, so a
reverse proxy's connection waits in the kernel's queue instead of being refused (nginx answered 502
for a minute at every restart); /readyz then says « starting » until the models are loaded
(:mod:`balise.web.starting`).
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
from pathlib import Path

BACKLOG = 2048
MULTIPROCESS_FOLDER = "PROMETHEUS_MULTIPROC_DIR"


def enable_multiprocess_metrics() -> Path | None:
    """Gives this process and its web processes one fresh folder for their Prometheus counters, so
    that /metrics sums them whichever process answers (balise.operations.metrics). It must run before
    prometheus_client is imported; returns the folder to remove at the end, None when not made here."""
    if os.environ.get(MULTIPROCESS_FOLDER) or "prometheus_client.values" in sys.modules:
        return None
    folder = Path(tempfile.mkdtemp(prefix="balise-metrics-"))
    os.environ[MULTIPROCESS_FOLDER] = str(folder)
    return folder


def disable_multiprocess_metrics(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop(MULTIPROCESS_FOLDER, None)


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (raises OSError when the port is taken)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)  # uvicorn's web processes (--workers N) serve the same socket
    return sock


def run_app(sock: socket.socket, host: str, port: int, workers: int) -> None:
    """Runs ``balise.web.app:serve_app`` on the already listening ``sock`` (as ``uvicorn.run`` would)."""
    from uvicorn import Config, Server
    from uvicorn.supervisors import Multiprocess

    from balise.config import get_settings
    from balise.logs import uvicorn_log_config

    config = Config(
        "balise.web.app:serve_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # The application reads the proxy headers itself, from BALISE_TRUSTED_PROXIES only.
        proxy_headers=False,
        # uvicorn restarts a web process that misses its 5-s health ping; loading the language
        # models for a first question holds the interpreter longer than that on a busy machine, and
        # the restart cut the request off ("server disconnected").
        timeout_worker_healthcheck=120,
        # JSON lines with the request id (balise.logs); one access line per request from the app itself.
        log_config=uvicorn_log_config(get_settings().log_format),
        access_log=False,
    )
    server = Server(config=config)
    try:
        if workers > 1:
            Multiprocess(config, sockets=[sock]).run()
        else:
            config.load_app()
            server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
