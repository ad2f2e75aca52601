"""The model registry and the usage ledger of each municipality."""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
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
    """One request to the gateway: counts and estimates for reports and quotas, never any text.

    ``user_id``, ``service`` and ``tool`` say whom and what it served (the person's service when it
    was made, « assistant », « citizen », « api/openai-python »…); ``cost`` is in ``currency``, empty
    for a model without fees. A row is written before the call when a quota applies (``outcome``
    « pending », see ``quotas.py``) and completed after it.
    """

    __tablename__ = "model_usage"
    # The windows quotas count, per person, per service and per municipality.
    __table_args__ = (
        Index("ix_model_usage_person_window", "tenant_id", "user_id", "created_at"),
        Index("ix_model_usage_service_window", "tenant_id", "service", "created_at"),
        Index("ix_model_usage_window", "tenant_id", "created_at"),
    )

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
    outcome: Mapped[str] = mapped_column(
        String(32)
    )  # ok, extractive, fallback_<reason>, error_<reason>, pending
    user_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    service: Mapped[str] = mapped_column(String(120), default="", server_default="")
    tool: Mapped[str] = mapped_column(String(60), default="", server_default="")
    cost: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    currency: Mapped[str] = mapped_column(String(3), default="", server_default="")


class UsageQuota(TenantScoped, Timestamped, Base):
    """Limits an administrator sets on model calls (``quotas.py``): for one person (``user_id``), or
    for every person without their own (``user_id`` None); for one service (``service``), or every
    service without its own (``service`` empty); or for the whole municipality. A limit left None
    does not apply; 0 allows nothing."""

    __tablename__ = "usage_quotas"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    scope: Mapped[str] = mapped_column(String(16))  # person, service, municipality
    user_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("users.id", ondelete="CASCADE"), default=None
    )
    service: Mapped[str] = mapped_column(String(120), default="")
    requests_per_minute: Mapped[int | None] = mapped_column(Integer, default=None)
    tokens_per_day: Mapped[int | None] = mapped_column(Integer, default=None)
    money_per_month: Mapped[float | None] = mapped_column(Float, default=None)
    currency: Mapped[str] = mapped_column(String(3), default="CAD")
    updated_by: Mapped[str] = mapped_column(String(64), default="")
