"""The OpenAI-compatible API (``/v1/…``): the one door staff tools go through (D0, U10).

It parses the OpenAI request, calls ``balise.gateway.openai_door`` and renders its answer; errors
are rendered as OpenAI error objects by the app (``web/app.py``) for every ``/v1/`` path.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from balise.db import Session
from balise.gateway import door_embeddings
from balise.gateway import openai_door as door
from balise.gateway.door_checks import tool_of
from balise.web.deps import Principal, current_principal, engine_of, tenant_db
from balise.web.training_gate import trained_principal

router = APIRouter(tags=["openai"])
CLASSIFICATION_HEADER = "x-balise-classification"
CONFIRM_HEADER = "x-balise-confirm"
TOOL_HEADER = "x-balise-tool"


class ChatBody(BaseModel):
    """An OpenAI chat request; parameters Balise does not relay (temperature, tools…) are accepted
    and ignored, so that any client works."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(default="", max_length=200)
    messages: list[dict[str, Any]] = Field(max_length=1000)
    stream: bool = False
    stream_options: dict[str, Any] | None = None
    classification: str = Field(default="", max_length=40)


class EmbeddingsBody(BaseModel):
    model_config = ConfigDict(extra="allow")

    model: str = Field(default="", max_length=200)
    input: str | list[Any]
    encoding_format: str = Field(default="float", max_length=20)
    input_type: str = Field(default="passage", max_length=20)


def _caller(principal: Principal, request: Request) -> door.Caller:
    tool = tool_of(request.headers.get(TOOL_HEADER, ""), request.headers.get("user-agent", ""))
    return door.Caller(principal.tenant.id, principal.user.id, principal.classifications, tool)


def _confirmed(request: Request) -> bool:
    return request.headers.get(CONFIRM_HEADER, "").strip().lower() in ("1", "yes", "true", "oui")


@router.get("/v1/models")
def models(
    principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> dict[str, Any]:
    """The models the caller may use: the municipality's approved generative models, then the
    embedding model."""
    return door.list_models(db, principal.tenant.id)


@router.post("/v1/chat/completions", response_model=None)
def chat_completions(
    body: ChatBody,
    request: Request,
    principal: Principal = Depends(trained_principal),
    db: Session = Depends(tenant_db),
) -> dict[str, Any] | StreamingResponse:
    """OpenAI chat completion, streamed with `stream: true`, through the usage policy, the privacy
    guard and an approved model. Header `X-Balise-Classification` (public, internal, confidential,
    personal; default internal) declares the data; `X-Balise-Confirm: yes` confirms a policy warning;
    `X-Balise-Tool` names the tool in consumption reports (else its User-Agent does). A quota reached
    is a 429 (`rate_limit_exceeded` with `Retry-After`, or `insufficient_quota`)."""
    chat = door.ChatRequest(
        model=body.model,
        messages=body.messages,
        stream=body.stream,
        include_usage=bool((body.stream_options or {}).get("include_usage")),
        classification=request.headers.get(CLASSIFICATION_HEADER, "") or body.classification,
        confirmed=_confirmed(request),
    )
    try:
        prepared = door.prepare_chat(db, _caller(principal, request), chat)
    finally:
        db.commit()  # a refusal keeps its policy decision and the guard's signal
    if chat.stream:
        return StreamingResponse(
            door.stream_chat(engine_of(request), prepared), media_type="text/event-stream"
        )
    try:
        return door.complete_chat(db, prepared)
    finally:
        db.commit()  # a model's failure stays in the usage ledger


@router.post("/v1/embeddings")
def embeddings(
    body: EmbeddingsBody,
    request: Request,
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> dict[str, Any]:
    """Vectors of the texts, masked by the privacy guard first, from the embedding model Balise runs, or
    from the registered embedding server `model` names (header `X-Balise-Classification`, default
    internal, declares the data it may receive)."""
    try:
        return door_embeddings.embed(
            db,
            _caller(principal, request),
            body.input,
            model=body.model,
            classification=request.headers.get(CLASSIFICATION_HEADER, ""),
            encoding=body.encoding_format,
            input_type=body.input_type,
            confirmed=_confirmed(request),
        )
    finally:
        db.commit()
