"""A real OpenAI-compatible HTTP server on loopback, for tests that need a model.

It speaks the wire protocol the official ``openai`` client speaks (``/v1/models``,
``/v1/chat/completions`` with or without SSE streaming, ``/v1/embeddings`` with vectors of
``EMBEDDING_DIMENSIONS`` drawn from each text's digest), misbehaves on request, and records every
request body (an embedding request as one user message per text) so that a test can prove no raw
personal value ever reached a model::

    with OpenAIServer(behaviour="echo") as server:
        client = OpenAI(base_url=server.base_url, api_key="test")
        ...
        assert "Tremblay" not in server.received_text()

or as a fixture: ``def test_x(openai_server): ...`` (see ``tests/support/__init__.py``).

Behaviours (``server.behaviour`` may be changed while it runs):

- ``echo``: answers "Réponse fondée sur la source [1]." and repeats every placeholder it saw
  (``<PERSON_1>``, ``[EMAIL_2]``, ``{{PHONE_1}}``…), or ``answer`` when one is given;
- ``error``: HTTP 500 with an OpenAI-style error body;
- ``slow``: waits ``delay`` seconds before answering (or before the first chunk);
- ``malformed``: HTTP 200 whose body (or SSE data) is not JSON;
- ``disconnect``: sends part of the response then drops the connection.

``responder`` (a function of the request body) writes each answer instead, for tests whose model must
answer by what it is asked (the bias probes: a planted gap, a fair model).
``split_placeholders=True`` cuts each streamed placeholder across two chunks.
``fail_first=N`` makes the first N chat requests answer 500 whatever the behaviour, to test retries.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Literal

import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse

Behaviour = Literal["echo", "error", "slow", "malformed", "disconnect"]
EMBEDDING_DIMENSIONS = 8
PLACEHOLDER = re.compile(r"<[A-Z][A-Z_]*_\d+>|\[[A-Z][A-Z_]*_\d+\]|\{\{[A-Z][A-Z_]*_\d+\}\}")


class _Dropped(Exception):
    """Raised inside a response body to make uvicorn cut the connection mid-response."""


class OpenAIServer:
    """Runs the fake model server in a background thread on 127.0.0.1 and a free port."""

    def __init__(
        self,
        behaviour: Behaviour = "echo",
        *,
        answer: str | None = None,
        delay: float = 5.0,
        fail_first: int = 0,
        model: str = "fake-model",
        split_placeholders: bool = False,
        responder: Callable[[dict[str, Any]], str] | None = None,
    ):
        self.behaviour: Behaviour = behaviour
        self.answer = answer
        self.responder = responder
        self.delay = delay
        self.fail_first = fail_first
        self.model = model
        self.split_placeholders = split_placeholders
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def received_text(self) -> str:
        """Every message content of every request, joined: what a model would have seen."""
        with self._lock:
            return "\n".join(
                str(message.get("content", ""))
                for body in self.requests
                for message in body.get("messages", [])
            )

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> OpenAIServer:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        # "critical": the deliberate disconnects would otherwise print a traceback each.
        config = uvicorn.Config(
            self._app(), log_level="critical", timeout_graceful_shutdown=1, lifespan="off"
        )
        self._server = uvicorn.Server(config)
        sockets = [self._socket]
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": sockets}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 60  # generous: a loaded machine may be slow to start the thread
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake OpenAI server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._socket is not None:
            self._socket.close()

    def __enter__(self) -> OpenAIServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # -- protocol --------------------------------------------------------------------------------
    def _reply_text(self, body: dict[str, Any]) -> str:
        if self.responder is not None:
            return self.responder(body)
        if self.answer is not None:
            return self.answer
        seen = PLACEHOLDER.findall("\n".join(str(m.get("content", "")) for m in body.get("messages", [])))
        text = "Réponse fondée sur la source [1]."
        if seen:
            text += " Personnes et coordonnées vues : " + ", ".join(dict.fromkeys(seen)) + "."
        return text

    def _usage(self, body: dict[str, Any], text: str) -> dict[str, int]:
        prompt = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
        completion = len(text.split())
        return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}

    def _app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/v1/models")
        async def models() -> dict[str, Any]:
            return {"object": "list", "data": [{"id": self.model, "object": "model", "owned_by": "test"}]}

        @app.post("/v1/embeddings")
        async def embeddings(request: Request) -> Response:
            body = await request.json()
            texts = [body["input"]] if isinstance(body["input"], str) else body["input"]
            with self._lock:
                self.requests.append({"messages": [{"role": "user", "content": t} for t in texts]})
            if self.behaviour == "error":
                return JSONResponse({"error": {"message": "internal error", "type": "server_error"}}, 500)
            data = [{"object": "embedding", "index": i, "embedding": _vector(t)} for i, t in enumerate(texts)]
            tokens = sum(len(t.split()) for t in texts)
            usage = {"prompt_tokens": tokens, "total_tokens": tokens}
            return JSONResponse({"object": "list", "data": data, "model": self.model, "usage": usage})

        @app.post("/v1/chat/completions")
        async def chat(request: Request) -> Response:
            body = await request.json()
            with self._lock:
                self.requests.append(body)
                self.headers.append(dict(request.headers))
                failing = self.fail_first > 0
                if failing:
                    self.fail_first -= 1
            if failing or self.behaviour == "error":
                error = {"error": {"message": "internal error", "type": "server_error", "code": None}}
                return JSONResponse(error, status_code=500)
            if self.behaviour == "malformed":
                if body.get("stream"):
                    return StreamingResponse(self._malformed_stream(), media_type="text/event-stream")
                return PlainTextResponse('{"id": "x", "choices": [', media_type="application/json")
            text = self._reply_text(body)
            if body.get("stream"):
                return StreamingResponse(self._stream(body, text), media_type="text/event-stream")
            if self.behaviour == "slow":
                await asyncio.sleep(self.delay)
            if self.behaviour == "disconnect":
                return StreamingResponse(self._cut_body(), media_type="application/json")
            return JSONResponse(
                {
                    "id": f"chatcmpl-{uuid.uuid4().hex}",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body.get("model", self.model),
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": text},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": self._usage(body, text),
                }
            )

        return app

    async def _cut_body(self) -> AsyncIterator[bytes]:
        yield b'{"id": "chatcmpl-cut", "object": "chat.completion", "choices": [{"index": 0, '
        raise _Dropped

    async def _malformed_stream(self) -> AsyncIterator[bytes]:
        yield b"data: {this is not json\n\n"
        yield b"data: [DONE]\n\n"

    async def _stream(self, body: dict[str, Any], text: str) -> AsyncIterator[bytes]:
        ident, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        model = body.get("model", self.model)

        def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
            payload = {
                "id": ident,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode()

        if self.behaviour == "slow":
            await asyncio.sleep(self.delay)
        yield chunk({"role": "assistant", "content": ""})
        pieces = re.findall(r"\S+\s*", text)
        if self.split_placeholders:  # "[PERSO" then "NNE_1]": a client must restore it whole
            pieces = [half for piece in pieces for half in _halves(piece)]
        for index, piece in enumerate(pieces):
            if self.behaviour == "disconnect" and index == len(pieces) // 2:
                raise _Dropped
            yield chunk({"content": piece})
        yield chunk({}, "stop")
        if (body.get("stream_options") or {}).get("include_usage"):
            usage = {
                "id": ident,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [],
                "usage": self._usage(body, text),
            }
            yield f"data: {json.dumps(usage)}\n\n".encode()
        yield b"data: [DONE]\n\n"


def _vector(text: str, dimensions: int = EMBEDDING_DIMENSIONS) -> list[float]:
    """A deterministic vector of ``text``: the same text always gets the same one."""
    digest = hashlib.sha256(text.encode()).digest()
    return [digest[i] / 255 for i in range(dimensions)]


def _halves(piece: str) -> list[str]:
    """A piece holding a placeholder, cut in the middle of it."""
    found = PLACEHOLDER.search(piece)
    if found is None:
        return [piece]
    cut = (found.start() + found.end()) // 2
    return [piece[:cut], piece[cut:]]


@pytest.fixture
def openai_server() -> Iterator[OpenAIServer]:
    """A fresh echoing server per test; change ``behaviour`` inside the test as needed."""
    with OpenAIServer() as server:
        yield server
