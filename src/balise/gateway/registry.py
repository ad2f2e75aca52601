"""Each municipality's approved models: register, list, choose the default, remove (G3, G17, P6)."""

from __future__ import annotations

import base64
import hashlib
import os
from typing import Any, Literal
from urllib.parse import urlparse

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from balise import audit
from balise.classification import CLASSIFICATION_ORDER
from balise.config import get_settings
from balise.gateway.errors import BackendFailure, BackendNotFound, InvalidBackend
from balise.gateway.footprint import DEFAULT_WH_PER_1K_TOKENS, ENCODER_WH_PER_1K_TOKENS, Hosting
from balise.gateway.tables import ModelBackend

GENERATIVE_PROVIDERS = (
    "openai-compatible",
    "vllm",
    "ollama",
    "llamacpp",
    "albert",
    "mistral",
    "azure-openai",
    "openai",
)
RERANK_PROVIDERS = ("rerank", "rerank-tei")
"""``/rerank`` servers: ``rerank`` sends ``{query, documents, top_n}`` (Cohere, Jina, Infinity, vLLM),
``rerank-tei`` sends ``{query, texts}`` (Hugging Face Text Embeddings Inference)."""
EMBEDDING_PROVIDERS = ("openai-embeddings",)
"""OpenAI-compatible ``/v1/embeddings`` servers, which the door's ``/v1/embeddings`` routes to by name."""
TRANSCRIPTION_PROVIDERS = ("openai-transcription",)
"""Servers speaking OpenAI's ``/v1/audio/transcriptions`` (a Whisper server, for example): U8."""
IMAGE_PROVIDERS = ("openai-images",)
"""Servers speaking OpenAI's ``/v1/images/generations``: U9."""
PROVIDERS = (
    GENERATIVE_PROVIDERS + RERANK_PROVIDERS + EMBEDDING_PROVIDERS + TRANSCRIPTION_PROVIDERS + IMAGE_PROVIDERS
)
CURRENCIES = ("CAD", "CHF", "EUR", "USD")

BackendKind = Literal["generative", "rerank", "embeddings", "transcription", "images"]
DEFAULT_TIMEOUT_S: dict[BackendKind, float] = {
    "generative": 30.0,
    "rerank": 2.0,
    "embeddings": 30.0,
    "transcription": 300.0,
    "images": 120.0,
}
"""A reranking server is waited for by every search: its time limit is short."""


def kind_of(provider: str) -> BackendKind:
    """What a backend is used for, told by its provider (the registry keeps no other column for it)."""
    if provider in RERANK_PROVIDERS:
        return "rerank"
    if provider in EMBEDDING_PROVIDERS:
        return "embeddings"
    if provider in TRANSCRIPTION_PROVIDERS:
        return "transcription"
    if provider in IMAGE_PROVIDERS:
        return "images"
    return "generative"


def _fernet() -> Fernet:
    """API keys are encrypted with a key derived from the deployment secret, never stored in clear."""
    digest = hashlib.sha256(b"balise/model-api-keys/" + get_settings().resolved_secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def api_key_of(backend: ModelBackend) -> str:
    """The key to call a backend with; servers without authentication get a dummy the client needs."""
    if backend.api_key_env:
        value = os.environ.get(backend.api_key_env, "")
        if not value:
            raise BackendFailure("missing_api_key", backend.api_key_env)
        return value
    if backend.api_key_encrypted:
        try:
            return _fernet().decrypt(backend.api_key_encrypted.encode()).decode()
        except InvalidToken as exc:
            raise BackendFailure("undecryptable_api_key") from exc
    return "not-needed"


def describe(backend: ModelBackend) -> dict[str, Any]:
    """Everything about a backend that may be shown, the key reduced to how it is kept."""
    if backend.api_key_env:
        key = f"env:{backend.api_key_env}"
    else:
        key = "encrypted" if backend.api_key_encrypted else "none"
    return {
        "id": backend.id,
        "name": backend.name,
        "provider": backend.provider,
        "kind": kind_of(backend.provider),
        "endpoint": backend.endpoint,
        "model": backend.model,
        "hosting": backend.hosting,
        "max_classification": backend.max_classification,
        "allows_masked_personal": backend.allows_masked_personal,
        "price_per_1k_tokens": backend.price_per_1k_tokens,
        "currency": backend.currency,
        "wh_per_1k_tokens": backend.wh_per_1k_tokens,
        "is_default": backend.is_default,
        "api_key": key,
        "timeout_s": backend.timeout_s,
        "max_retries": backend.max_retries,
    }


def _validate(
    name: str,
    endpoint: str,
    model: str,
    provider: str,
    hosting: str,
    max_classification: str,
    api_key: str | None,
    api_key_env: str | None,
    timeout_s: float,
    max_retries: int,
) -> None:
    if not name.strip() or not model.strip():
        raise InvalidBackend("A model needs a name and the model identifier its server expects.")
    parsed = urlparse(endpoint)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InvalidBackend("The endpoint {endpoint} is not an http(s) address.", endpoint=endpoint)
    if provider not in PROVIDERS:
        raise InvalidBackend(
            "Unknown provider {provider}; use one of: {choices}.",
            provider=provider,
            choices=", ".join(PROVIDERS),
        )
    if hosting not in {h.value for h in Hosting}:
        raise InvalidBackend(
            "Unknown hosting location {hosting}; use one of: {choices}.",
            hosting=hosting,
            choices=", ".join(h.value for h in Hosting),
        )
    if max_classification not in CLASSIFICATION_ORDER:
        raise InvalidBackend(
            "Unknown classification {classification}; use one of: {choices}.",
            classification=max_classification,
            choices=", ".join(CLASSIFICATION_ORDER),
        )
    if api_key and api_key_env:
        raise InvalidBackend("Give either an API key or the name of the variable that holds it, not both.")
    if not 0 < timeout_s <= 600 or not 0 <= max_retries <= 10:
        raise InvalidBackend("The timeout must be between 0 and 600 seconds and retries between 0 and 10.")


def register_backend(
    session: Session,
    tenant_id: str,
    *,
    name: str,
    endpoint: str,
    model: str,
    hosting: str,
    max_classification: str = "public",
    allows_masked_personal: bool = False,
    provider: str = "openai-compatible",
    price_per_1k_tokens: float = 0.0,
    currency: str = "CAD",
    wh_per_1k_tokens: float | None = None,
    is_default: bool = False,
    api_key: str | None = None,
    api_key_env: str | None = None,
    timeout_s: float | None = None,
    max_retries: int = 2,
    actor: str = "system",
) -> ModelBackend:
    """Approve a model for a municipality; the first generative one registered becomes its default.

    Only a generative model can be the default, and a municipality has at most one reranking server
    (search asks it, see :mod:`balise.gateway.rerank`). Without ``timeout_s`` or ``wh_per_1k_tokens``
    the defaults of the backend's kind apply.
    """
    kind = kind_of(provider)
    timeout_s = DEFAULT_TIMEOUT_S[kind] if timeout_s is None else timeout_s
    _validate(
        name,
        endpoint,
        model,
        provider,
        hosting,
        max_classification,
        api_key,
        api_key_env,
        timeout_s,
        max_retries,
    )
    existing = list_backends(session, tenant_id)
    if any(b.name == name for b in existing):
        raise InvalidBackend("A model named {name} is already registered.", name=name)
    if kind != "generative" and is_default:
        raise InvalidBackend("Only a generative model can be the default model.")
    if kind == "rerank" and any(kind_of(b.provider) == "rerank" for b in existing):
        raise InvalidBackend(
            "A reranking server is already registered: remove it or edit it before adding another."
        )
    if wh_per_1k_tokens is None:
        wh_per_1k_tokens = DEFAULT_WH_PER_1K_TOKENS if kind == "generative" else ENCODER_WH_PER_1K_TOKENS
    first_generative = kind == "generative" and not any(kind_of(b.provider) == "generative" for b in existing)
    backend = ModelBackend(
        tenant_id=tenant_id,
        name=name.strip(),
        provider=provider,
        endpoint=endpoint.rstrip("/"),
        model=model.strip(),
        hosting=hosting,
        max_classification=max_classification,
        allows_masked_personal=allows_masked_personal,
        price_per_1k_tokens=price_per_1k_tokens,
        currency=currency.upper(),
        wh_per_1k_tokens=wh_per_1k_tokens,
        is_default=is_default or first_generative,
        api_key_encrypted=_fernet().encrypt(api_key.encode()).decode() if api_key else "",
        api_key_env=api_key_env or "",
        timeout_s=timeout_s,
        max_retries=max_retries,
    )
    if backend.is_default:
        _clear_default(session, tenant_id)
    session.add(backend)
    session.flush()
    audit.record(
        session,
        "model.registered",
        actor=actor,
        tenant_id=tenant_id,
        target_type="model_backend",
        target_id=backend.id,
        details={
            "hosting": hosting,
            "max_classification": max_classification,
            "allows_masked_personal": allows_masked_personal,
            "is_default": backend.is_default,
        },
    )
    return backend


def list_backends(session: Session, tenant_id: str, kind: BackendKind | None = None) -> list[ModelBackend]:
    """The municipality's models, default first; only those of ``kind`` when it is given."""
    stmt = (
        select(ModelBackend)
        .where(ModelBackend.tenant_id == tenant_id)
        .order_by(ModelBackend.is_default.desc(), ModelBackend.name)
    )
    return [b for b in session.scalars(stmt) if kind is None or kind_of(b.provider) == kind]


def get_backend(session: Session, tenant_id: str, name: str) -> ModelBackend:
    backend = session.scalars(
        select(ModelBackend).where(ModelBackend.tenant_id == tenant_id, ModelBackend.name == name)
    ).first()
    if backend is None:
        raise BackendNotFound("No model named {name} is registered for this municipality.", name=name)
    return backend


def _clear_default(session: Session, tenant_id: str) -> None:
    session.execute(update(ModelBackend).where(ModelBackend.tenant_id == tenant_id).values(is_default=False))


def set_default(session: Session, tenant_id: str, name: str, *, actor: str = "system") -> ModelBackend:
    backend = get_backend(session, tenant_id, name)
    if kind_of(backend.provider) != "generative":
        raise InvalidBackend("Only a generative model can be the default model.")
    _clear_default(session, tenant_id)
    session.expire_all()  # the bulk update bypassed the objects already loaded
    backend.is_default = True
    session.flush()
    audit.record(
        session,
        "model.default_set",
        actor=actor,
        tenant_id=tenant_id,
        target_type="model_backend",
        target_id=backend.id,
    )
    return backend


def remove_backend(session: Session, tenant_id: str, name: str, *, actor: str = "system") -> None:
    """Withdraw a model; its usage history stays for reports."""
    backend = get_backend(session, tenant_id, name)
    was_default = backend.is_default
    session.delete(backend)
    session.flush()
    if was_default:
        remaining = list_backends(session, tenant_id, "generative")
        if remaining:
            remaining[0].is_default = True
            session.flush()
    audit.record(
        session,
        "model.removed",
        actor=actor,
        tenant_id=tenant_id,
        target_type="model_backend",
        target_id=backend.id,
    )


def replace_backend(
    session: Session, tenant_id: str, backend: ModelBackend, fields: dict[str, Any], *, actor: str = "system"
) -> ModelBackend:
    """Replaces a model's entry with ``fields`` (the arguments of :func:`register_backend`).

    The registry has no update, so the entry is removed and registered again (the audit log shows
    both); the stored key is kept unless ``fields`` give a new key or a variable. The caller commits.
    """
    if not fields.get("api_key") and not fields.get("api_key_env") and backend.api_key_encrypted:
        fields = {**fields, "api_key": api_key_of(backend)}
    remove_backend(session, tenant_id, backend.name, actor=actor)
    return register_backend(session, tenant_id, **fields, actor=actor)
