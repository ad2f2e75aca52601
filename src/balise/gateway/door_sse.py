"""The OpenAI streaming wire format: ``chat.completion.chunk`` events, an error event, ``[DONE]``."""

from __future__ import annotations

import json
from typing import Any

ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    409: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
}


def error_type(status: int) -> str:
    """The OpenAI ``type`` of an error status: what the official clients branch on."""
    return ERROR_TYPES.get(status, "api_error" if status >= 500 else "invalid_request_error")


def error_body(message: str, status: int, code: str) -> dict[str, Any]:
    """``{"error": {"message", "type", "code"}}``, as the OpenAI API answers a refusal."""
    return {"error": {"message": message, "type": error_type(status), "code": code, "param": None}}


def _event(payload: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode()


def sse_chunk(
    ident: str,
    created: int,
    model: str,
    delta: dict[str, Any] | None,
    *,
    finish: str | None = None,
    usage: dict[str, int] | None = None,
) -> bytes:
    """One ``chat.completion.chunk``; with ``delta`` None, the usage chunk (no choices)."""
    payload: dict[str, Any] = {
        "id": ident,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    if usage is not None:
        payload["usage"] = usage
    return _event(payload)


def error_event(message: str, status: int, code: str) -> bytes:
    """An error after the stream began: the official client raises it as an ``APIError``."""
    return _event(error_body(message, status, code))


def sse_done() -> bytes:
    return b"data: [DONE]\n\n"
