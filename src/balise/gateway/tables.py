"""The model registry and the usage ledger of each municipality."""

from __future__ import annotations

from sqlalchemy import Boolean, Float, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from balise.db.base import Base, TenantScoped, Timestamped, new_id


class ModelBackend(TenantScoped, Timestamped, Base):
    """A generative model a municipality has approved, and for which data (P6, G3, G17).

    ``max_classification`` is the most sensitive document class it may receive;
    ``allows_masked_personal`` says whether prompts whose personal information was replaced by
    placeholders may be sent (raw personal information is never sent to any model). The API key is
    either encrypted here or named by an environment variable; it is never shown back.
    """

    __tablename__ = "model_backends"
    __table_args__ = (UniqueConstraint("tenant_id", "name", name="uq_model_backends_tenant_name"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(120))
    provider: Mapped[str] = mapped_column(String(40), default="openai-compatible")
    endpoint: Mapped[str] = mapped_column(String(500))
    model: Mapped[str] = mapped_column(String(200))
    hosting: Mapped[str] = mapped_column(String(20))
    max_classification: Mapped[str] = mapped_column(String(16), default="public")
    allows_masked_personal: Mapped[bool] = mapped_column(Boolean, default=False)
    price_per_1k_tokens: Mapped[float] = mapped_column(Float, default=0.0)
    currency: Mapped[str] = mapped_column(String(3), default="CAD")
    wh_per_1k_tokens: Mapped[float] = mapped_column(Float)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    api_key_encrypted: Mapped[str] = mapped_column(Text, default="")
    api_key_env: Mapped[str] = mapped_column(String(120), default="")
    timeout_s: Mapped[float] = mapped_column(Float, default=30.0)
    max_retries: Mapped[int] = mapped_column(Integer, default=2)


class ModelUsage(TenantScoped, Timestamped, Base):
    """One request to the gateway: counts and estimates for reports, never any text."""

    __tablename__ = "model_usage"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    backend: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    model: Mapped[str] = mapped_column(String(200), default="")
    task: Mapped[str] = mapped_column(String(40))
    classification: Mapped[str] = mapped_column(String(16))
    tokens_in: Mapped[int] = mapped_column(Integer, default=0)
    tokens_out: Mapped[int] = mapped_column(Integer, default=0)
    wh: Mapped[float] = mapped_column(Float, default=0.0)
    gco2e: Mapped[float] = mapped_column(Float, default=0.0)
    latency_ms: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str] = mapped_column(String(32))  # ok, extractive, fallback_<reason>
