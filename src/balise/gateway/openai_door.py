"""The one sanctioned door (D0, U10): the OpenAI API, served by Balise for the tools staff already use.

Chat clients, editor extensions and scripts that speak the OpenAI API call ``/v1/…`` with a personal
Balise token (scope ``ask``). Every chat request goes through the same steps as the assistant's
tasks: the usage policy reads it (a block or an unconfirmed warning is an OpenAI-style error that
quotes the rule), the privacy guard masks it (nothing is sent when it cannot), the gateway sends it
only to a backend approved for the declared classification and for masked personal information,
the answer comes back with the placeholders restored (in streamed pieces too), and the request is
audited with its footprint (the gateway's usage ledger, and the audit entry's figures). Each request
counts against its person's, service's and municipality's quotas (``quotas.py``): one reached is an
OpenAI 429 that names it, its limit and when it resets, and nothing is sent.

Unlike the assistant, the door never answers with extracts when no model may: a tool that asked a
model must be told it did not get one. Requests are stateless, as in the OpenAI API: placeholders
live for one request (the client resends the conversation, which is masked again).

Embeddings (``/v1/embeddings``) are in ``door_embeddings.py``, what both share in ``door_checks.py``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from balise import audit
from balise.db.session import SessionFactory, scope_session
from balise.errors import BaliseError
from balise.gateway.contracts import Attribution, Completion, Footprint, Reservation
from balise.gateway.door_checks import (
    DEFAULT_CLASSIFICATION,
    MAX_CHARS,
    Caller,
    DoorInvalid,
    ModelNotFound,
    NoGenerativeModel,
    check_policy,
    declared_classification,
    figures,
    gateway_for,
    masking,
    model_failed,
)
from balise.gateway.door_embeddings import embedding_model_name
from balise.gateway.door_sse import error_event, sse_chunk, sse_done
from balise.gateway.errors import BackendFailure
from balise.gateway.gateway import Gateway
from balise.gateway.registry import kind_of, list_backends
from balise.gateway.tables import ModelBackend
from balise.guard.privacy import (
    ChatMessage,
    GuardedPrompt,
    StreamRestorer,
    restore,
)

CHAT_TASK = "api_chat"
ROLES = {"system": "system", "developer": "system", "user": "user", "assistant": "assistant"}


@dataclass(frozen=True)
class ChatRequest:
    """What the door reads of an OpenAI chat request; other parameters are not relayed."""

    model: str
    messages: list[dict[str, Any]]
    stream: bool = False
    include_usage: bool = False
    classification: str = DEFAULT_CLASSIFICATION
    confirmed: bool = False


@dataclass(frozen=True)
class PreparedChat:
    """A chat request that passed the policy, the guard and the quotas, and the backend it may go to."""

    caller: Caller
    backend_id: str
    backend_name: str
    prompt: GuardedPrompt
    classification: str
    policy: str
    include_usage: bool
    attribution: Attribution
    reservation: Reservation


# --- listing ------------------------------------------------------------------------------------------


def list_models(session: Session, tenant_id: str) -> dict[str, Any]:
    """The municipality's approved generative models and embedding servers, then the embedding model
    Balise runs (OpenAI list shape); reranking, transcription and image servers serve Balise's own
    pages and are not listed."""
    data: list[dict[str, Any]] = [
        {
            "id": backend.name,
            "object": "model",
            "created": int(backend.created_at.timestamp()),
            "owned_by": "balise",
            "balise": {
                "kind": "chat" if kind_of(backend.provider) == "generative" else "embedding",
                "default": backend.is_default,
                "hosting": backend.hosting,
                "max_classification": backend.max_classification,
                "masked_personal_information": backend.allows_masked_personal,
            },
        }
        for backend in list_backends(session, tenant_id)
        if kind_of(backend.provider) in ("generative", "embeddings")
    ]
    data.append(
        {
            "id": embedding_model_name(),
            "object": "model",
            "created": 0,
            "owned_by": "balise",
            "balise": {"kind": "embedding"},
        }
    )
    return {"object": "list", "data": data}


# --- chat ---------------------------------------------------------------------------------------------


def _text_of(content: Any) -> str:
    """A message's text: a string, or the text parts of a list of parts (images are refused)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = []
        for part in content:
            if (
                not isinstance(part, dict)
                or part.get("type") != "text"
                or not isinstance(part.get("text"), str)
            ):
                raise DoorInvalid(
                    "Balise relays text only: remove the images, files or audio from the messages and "
                    "send the request again."
                )
            texts.append(part["text"])
        return "\n".join(texts)
    raise DoorInvalid("A message has no text. Balise relays text messages only (no tool or function calls).")


def _messages(raw: list[dict[str, Any]]) -> list[ChatMessage]:
    if not raw:
        raise DoorInvalid("The request has no messages. Send at least one user message.")
    messages: list[ChatMessage] = []
    for message in raw:
        role = ROLES.get(str(message.get("role", "")))
        if role is None:
            raise DoorInvalid(
                "Balise relays system, user and assistant messages only, not “{role}” (tool and "
                "function calls are not relayed). Remove them and send the request again.",
                role=str(message.get("role", ""))[:40],
            )
        messages.append(ChatMessage(role=role, content=_text_of(message.get("content"))))  # type: ignore[typeddict-item]
    total = sum(len(m["content"]) for m in messages)
    if total > MAX_CHARS:
        raise DoorInvalid(
            "The request holds {count} characters; Balise relays {max} at most. Shorten the conversation "
            "and send it again.",
            count=total,
            max=MAX_CHARS,
        )
    return messages


def _backend(gateway: Gateway, model: str, classification: str, has_personal: bool) -> ModelBackend:
    """The backend the tool named (by its name in ``/v1/models``), else the one the gateway chooses."""
    backends = list_backends(gateway.session, gateway.tenant_id, "generative")
    if not backends:
        raise NoGenerativeModel(
            "Your municipality has not approved any generative model yet, so Balise cannot answer "
            "this chat request. Ask an administrator to add one on the models page."
        )
    named = next((b for b in backends if model in (b.name, b.id)), None)
    if named is not None:
        gateway.admit(named, classification, has_personal)
        return named
    if model and model not in ("default", "balise"):
        raise ModelNotFound(
            "The model “{model}” is not one of your municipality's approved models: {models}.",
            model=model[:120],
            models=", ".join(b.name for b in backends),
        )
    choice = gateway.choose(classification, has_personal)
    assert choice.backend is not None  # backends exist, so choose returns one or raises
    return choice.backend


def prepare_chat(session: Session, caller: Caller, request: ChatRequest) -> PreparedChat:
    """Policy, guard, routing and quotas, before anything is sent; the caller commits even when it
    raises (the policy decision and the guard's signal are kept), and at once: the call's reservation
    is published with it (``quotas.py``). A quota reached is refused here, before a stream begins."""
    classification = declared_classification(request.classification)
    messages = _messages(request.messages)
    users = [m["content"] for m in messages if m["role"] == "user"]
    systems = [m["content"] for m in messages if m["role"] == "system"]
    read = "\n".join([*systems, *users[-1:]])
    masked = masking(session, caller, messages, CHAT_TASK)
    policy = check_policy(session, caller, read, confirmed=request.confirmed)
    prompt = masked()
    gateway = gateway_for(session, caller)
    backend = _backend(gateway, request.model, classification, prompt.contains_placeholders)
    reservation = gateway.reserve(gateway.attempt(backend, prompt), CHAT_TASK, classification)
    return PreparedChat(
        caller,
        backend.id,
        backend.name,
        prompt,
        classification,
        policy,
        request.include_usage,
        gateway.attribution,
        reservation,
    )


def _audit(session: Session, prepared: PreparedChat, completion: Completion, *, stream: bool) -> None:
    footprint = completion.footprint
    audit.record(
        session,
        "api.chat",
        actor=prepared.caller.user_id,
        tenant_id=prepared.caller.tenant_id,
        details={
            "backend": completion.backend,
            "model": completion.model,
            "classification": prepared.classification,
            "masked": dict(prepared.prompt.counts),
            "policy": prepared.policy,
            "stream": stream,
            **figures(footprint),
        },
    )


def _usage(footprint: Footprint) -> dict[str, int]:
    return {
        "prompt_tokens": footprint.tokens_in,
        "completion_tokens": footprint.tokens_out,
        "total_tokens": footprint.tokens_in + footprint.tokens_out,
    }


def _relay(session: Session, prepared: PreparedChat, *, streaming: bool) -> Iterator[str | Completion]:
    backend = session.get(ModelBackend, prepared.backend_id)
    if backend is None:  # removed between the check and the call
        raise NoGenerativeModel(
            "The model {name} was just removed. Send the request again.", name=prepared.backend_name
        )
    gateway = Gateway(session, prepared.caller.tenant_id, attribution=prepared.attribution)
    return gateway.relay(
        prepared.prompt,
        backend,
        classification=prepared.classification,
        task=CHAT_TASK,
        streaming=streaming,
        reservation=prepared.reservation,
    )


def complete_chat(session: Session, prepared: PreparedChat) -> dict[str, Any]:
    """One answer, placeholders restored, as an OpenAI ``chat.completion``; the caller commits."""
    final: Completion | None = None
    try:
        for item in _relay(session, prepared, streaming=False):
            if isinstance(item, Completion):
                final = item
    except BackendFailure as failure:
        raise model_failed(failure, prepared.backend_name) from failure
    assert final is not None  # relay ends with a Completion or raises
    _audit(session, prepared, final, stream=False)
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": prepared.backend_name,
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": restore(final.text, prepared.prompt.placeholders),
                },
                "finish_reason": "stop",
            }
        ],
        "usage": _usage(final.footprint),
    }


def stream_chat(engine: Engine, prepared: PreparedChat) -> Iterator[bytes]:
    """The answer as OpenAI server-sent events, placeholders restored whole across pieces.

    It runs while the response is sent, after the request's session is gone: it has its own, scoped
    like the request's, which it commits once the usage and the audit entry are written. A model
    that fails mid-way ends the stream with an OpenAI error event.
    """
    ident, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
    model = prepared.backend_name
    restorer = StreamRestorer(prepared.prompt.placeholders)
    caller = prepared.caller
    with SessionFactory(bind=engine) as session:
        scope_session(session, caller.tenant_id, caller.classifications)
        yield sse_chunk(ident, created, model, {"role": "assistant", "content": ""})
        try:
            final: Completion | None = None
            for item in _relay(session, prepared, streaming=True):
                if isinstance(item, Completion):
                    final = item
                    continue
                text = restorer.feed(item)
                if text:
                    yield sse_chunk(ident, created, model, {"content": text})
        except (BackendFailure, BaliseError) as exc:
            error = model_failed(exc, model) if isinstance(exc, BackendFailure) else exc
            session.commit()  # the failed call stays in the usage ledger
            yield error_event(error.localized(), error.status, error.code)
            return
        assert final is not None
        tail = restorer.flush()
        if tail:
            yield sse_chunk(ident, created, model, {"content": tail})
        yield sse_chunk(ident, created, model, {}, finish="stop")
        if prepared.include_usage:
            yield sse_chunk(ident, created, model, None, usage=_usage(final.footprint))
        _audit(session, prepared, final, stream=True)
        session.commit()
    yield sse_done()
