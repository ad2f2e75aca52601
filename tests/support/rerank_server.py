"""A real reranking server on loopback (``POST /rerank``), for tests and benchmarks that need one.

It speaks both protocols Balise sends: Text Embeddings Inference's ``{"query", "texts"}`` answered
``[{"index", "score"}]``, and Cohere / Jina / Infinity's ``{"query", "documents", "top_n"}`` answered
``{"results": [{"index", "relevance_score"}]}``. Its scores are a known function of the texts: the
number of times ``favoured`` occurs in a passage (accents and case folded), so a test knows the order
it must produce. It records every request body, to prove what it was (not) sent::

    with RerankServer(favoured="recyclage") as server:
        ...  # register server.base_url with provider "rerank" or "rerank-tei"
        assert "Tremblay" not in server.received_text()

Behaviours (``server.behaviour`` may be changed while it runs): ``score``; ``error`` (HTTP 500);
``slow`` (answers after ``delay`` seconds); ``garbage`` (HTTP 200, not JSON); ``partial`` (JSON, but
a score for the first passage only); ``tei_only`` (HTTP 422 to a request without ``texts``, as TEI).
"""

from __future__ import annotations

import json
import threading
import time
import unicodedata
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

import pytest
from sqlalchemy.orm import Session

from balise.gateway import ModelBackend, register_backend

Behaviour = Literal["score", "error", "slow", "garbage", "partial", "tei_only"]


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class RerankServer:
    """Runs the fake reranking server in a background thread on 127.0.0.1 and a free port."""

    def __init__(self, behaviour: Behaviour = "score", *, favoured: str = "", delay: float = 5.0) -> None:
        self.behaviour: Behaviour = behaviour
        self.favoured = favoured
        self.delay = delay
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self._httpd is not None
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def received_text(self) -> str:
        """Every query and passage of every request, joined: what a model would have read."""
        with self._lock:
            return "\n".join(
                "\n".join(
                    [str(body.get("query", "")), *map(str, body.get("texts") or body.get("documents") or [])]
                )
                for body in self.requests
            )

    def score(self, text: str) -> float:
        """The server's known scoring: how often the favoured word occurs in the passage."""
        return float(_folded(text).count(_folded(self.favoured))) if self.favoured else 0.0

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> RerankServer:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False  # a slow answer still sleeping does not hold the test up
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> RerankServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def register(self, session: Session, tenant_id: str, **fields: Any) -> ModelBackend:
        """Registers this server as the municipality's reranking server: on premises, up to internal
        data, speaking TEI's protocol, unless ``fields`` say otherwise. The caller commits."""
        defaults: dict[str, Any] = {
            "name": "Reclassement",
            "endpoint": self.base_url,
            "model": "bge-reranker",
            "provider": "rerank-tei",
            "hosting": "on_premises",
            "max_classification": "internal",
        }
        return register_backend(session, tenant_id, **{**defaults, **fields})

    # -- protocol --------------------------------------------------------------------------------
    def answer(self, body: dict[str, Any]) -> tuple[int, bytes]:
        """The status and body the current behaviour answers ``body`` with."""
        if self.behaviour == "error":
            return 500, b'{"error": "internal error"}'
        if self.behaviour == "garbage":
            return 200, b"<html>not a reranker</html>"
        if self.behaviour == "tei_only" and "texts" not in body:
            return 422, b"Failed to deserialize the JSON body: missing field `texts`"
        if self.behaviour == "slow":
            time.sleep(self.delay)
        texts = [str(t) for t in (body.get("texts") or body.get("documents") or [])]
        ranked = sorted(
            ({"index": i, "score": self.score(t)} for i, t in enumerate(texts)), key=lambda r: -r["score"]
        )
        if self.behaviour == "partial":
            ranked = ranked[:1]
        if "texts" in body:
            return 200, json.dumps(ranked).encode()
        results = [{"index": r["index"], "relevance_score": r["score"]} for r in ranked]
        return 200, json.dumps(
            {"id": "rerank-test", "results": results[: body.get("top_n") or None]}
        ).encode()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a real server: the client reuses connections
            disable_nagle_algorithm = True  # headers and body leave at once, not 40 ms apart

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                with server._lock:
                    server.requests.append(body)
                    server.headers.append(dict(self.headers))
                status, payload = (404, b"not found") if self.path != "/rerank" else server.answer(body)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                try:
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):  # the client stopped waiting: its time limit
                    self.close_connection = True

            def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read their own output
                return

        return Handler


@pytest.fixture
def rerank_server() -> Iterator[RerankServer]:
    """A fresh scoring server per test; set ``favoured`` and ``behaviour`` inside the test as needed."""
    with RerankServer() as server:
        yield server
