"""Quotas and budgets on model calls (D0, P1, G1): requests per minute, tokens per day and money per
month, for a person, a service and the whole municipality, counted in the usage ledger.

One rule in one place: the gateway calls :func:`reserve` before each call it makes for a person, from
the OpenAI-compatible door and from the staff assistant alike. A call is admitted while every quota
that applies to its person is under its limit; the call that crosses a limit of tokens or money
finishes (its size is only known once the model has answered) and the next one is refused with a
:class:`QuotaExceeded` that says which quota, its limit and when it resets. Calls made for no person
(the citizen assistant, commands, evaluations) count in the municipality's total but are never
refused: residents keep their assistant, which has limits of its own (``citizen/ratelimit.py``).

Counting is exact under concurrent requests, on SQLite and PostgreSQL: the check and the ledger row
it reserves are one short transaction, serialised per municipality (PostgreSQL: an advisory lock;
SQLite: its one write lock, taken by writing the row first) and committed before the model is
called, so the next request counts it. When the caller's own SQLite transaction already writes, it
already holds that lock: the reservation joins it and is published by the caller's commit, and no
other request can reserve meanwhile. A reserved row whose request was abandoned before the answer (a
client gone mid-stream, a rollback) stays « pending »: it counts as a request, with the estimated
tokens and cost of its prompt.

Windows are in UTC: the last 60 seconds, the current day, the current month.
"""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.orm import Session

from balise.db.base import utcnow
from balise.db.session import SessionFactory, scope_session
from balise.errors import BaliseError
from balise.formatting import moment, money, number
from balise.gateway.contracts import Attribution
from balise.gateway.tables import ModelUsage, UsageQuota
from balise.i18n import gettext_
from balise.tenancy.service import membership_of

PENDING = "pending"
SCOPES = ("person", "service", "municipality")
MINUTE = timedelta(seconds=60)
_LOCK_NAMESPACE = b"balise/quotas/"


class QuotaExceeded(BaliseError):
    """HTTP 429, as the OpenAI API answers it: ``rate_limit_exceeded`` for requests per minute (the
    official clients wait ``Retry-After`` and try again), ``insufficient_quota`` for tokens and money
    (nothing changes before the reset, so the clients are told not to retry)."""

    status = 429
    code = "insufficient_quota"

    def __init__(self, message: str, *, retry_after: int | None = None, **params: Any) -> None:
        super().__init__(message, code="rate_limit_exceeded" if retry_after is not None else None, **params)
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        if self.retry_after is not None:
            return {"Retry-After": str(self.retry_after)}
        return {"x-should-retry": "false"}


def attribution_of(session: Session, tenant_id: str, user_id: str | None, tool: str) -> Attribution:
    """Whom a call serves: the person, their service in this municipality now, and the tool."""
    if user_id is None:
        return Attribution(None, "", tool)
    membership = membership_of(session, user_id, tenant_id)
    return Attribution(user_id, membership.service if membership is not None else "", tool)


def applicable(session: Session, tenant_id: str, who: Attribution) -> list[UsageQuota]:
    """The quotas that apply to ``who`` in the municipality, person first, then service, then
    municipality; in each scope their own quota, else the one every person (service) has. The
    municipality is named here, not left to the session: a command's session may read them all."""
    chosen: dict[str, UsageQuota] = {}
    quotas = select(UsageQuota).where(UsageQuota.tenant_id == tenant_id).order_by(UsageQuota.created_at)
    for quota in session.scalars(quotas):
        if quota.scope == "person":
            fits, own = quota.user_id in (None, who.user_id), quota.user_id == who.user_id
        elif quota.scope == "service":
            fits, own = bool(who.service) and quota.service in ("", who.service), quota.service == who.service
        else:
            fits, own = True, True
        if fits and (own or quota.scope not in chosen):
            chosen[quota.scope] = quota
    return [chosen[scope] for scope in SCOPES if scope in chosen]


def reserve(session: Session, tenant_id: str, who: Attribution, pending: ModelUsage) -> str | None:
    """Admits a call of ``who`` against their quotas and writes its ledger row, « pending » until the
    gateway completes it; returns the row's id, or None when no quota applies (nothing is written).

    Raises :class:`QuotaExceeded` when a quota is reached: nothing is written and nothing may be sent.
    """
    if who.user_id is None:
        return None
    quotas = applicable(session, tenant_id, who)
    if not quotas:
        return None
    pending.outcome = PENDING
    if _writing(session):
        refusal = _admit(session, tenant_id, quotas, who, pending)
    else:
        with SessionFactory(bind=session.get_bind()) as own:
            scope_session(own, tenant_id)
            refusal = _admit(own, tenant_id, quotas, who, pending)
            own.commit()
    if refusal is not None:
        raise refusal
    return pending.id


def _writing(session: Session) -> bool:
    """Whether the caller's transaction already writes to SQLite, and so holds its one write lock
    (a reservation on another connection would wait for it until the timeout)."""
    if session.get_bind().dialect.name != "sqlite" or not session.in_transaction():
        return False
    raw = session.connection().connection.dbapi_connection
    return bool(getattr(raw, "in_transaction", False))


def _serialise(writer: Session, tenant_id: str) -> None:
    """One municipality's reservations follow one another. PostgreSQL: an advisory lock released with
    the transaction; SQLite needs none, the row written first takes the database's one write lock."""
    if writer.get_bind().dialect.name == "postgresql":
        digest = hashlib.sha256(_LOCK_NAMESPACE + tenant_id.encode()).digest()
        key = int.from_bytes(digest[:8], "big", signed=True)
        writer.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _admit(
    writer: Session, tenant_id: str, quotas: list[UsageQuota], who: Attribution, pending: ModelUsage
) -> QuotaExceeded | None:
    """Writes the row, then counts every other row of each window: the refusal, with the row taken out."""
    _serialise(writer, tenant_id)
    pending.created_at = utcnow()  # after the lock: the rows counted below are all older
    writer.add(pending)
    writer.flush()
    for quota in quotas:
        refusal = _refusal(writer, tenant_id, quota, who, pending)
        if refusal is not None:
            writer.delete(pending)
            writer.flush()
            return refusal
    return None


def _aware(at: datetime) -> datetime:
    """SQLite gives back times without their zone: they are UTC, as written."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _refusal(
    writer: Session, tenant_id: str, quota: UsageQuota, who: Attribution, pending: ModelUsage
) -> QuotaExceeded | None:
    now = _aware(pending.created_at)
    scope: list[ColumnElement[bool]] = [ModelUsage.tenant_id == tenant_id, ModelUsage.id != pending.id]
    if quota.scope == "person":
        scope.append(ModelUsage.user_id == who.user_id)
    elif quota.scope == "service":
        scope.append(ModelUsage.service == who.service)
    model_calls = [*scope, ModelUsage.kind != "extractive"]
    if quota.requests_per_minute is not None:
        limit = quota.requests_per_minute
        recent = [*model_calls, ModelUsage.created_at > now - MINUTE]
        if (writer.scalar(select(func.count()).where(*recent)) or 0) >= limit:
            return _too_many_requests(writer, quota, who, recent, limit, now)
    if quota.tokens_per_day is not None:
        day = now.replace(hour=0, minute=0, second=0, microsecond=0)
        tokens = func.coalesce(func.sum(ModelUsage.tokens_in + ModelUsage.tokens_out), 0)
        used = writer.scalar(select(tokens).where(*model_calls, ModelUsage.created_at >= day)) or 0
        if used >= quota.tokens_per_day:
            return QuotaExceeded(
                "Request refused: {quota} is reached (tokens per day: {limit}; used today: {used}). It "
                "resets on {reset} (UTC); if your work cannot wait, ask an administrator to raise it.",
                quota=_named(quota, who, budget=False),
                limit=number(quota.tokens_per_day),
                used=number(used),
                reset=moment(day + timedelta(days=1)),
            )
    if quota.money_per_month is not None and pending.currency:
        return _over_budget(writer, quota, who, pending, scope, now)
    return None


def _too_many_requests(
    writer: Session,
    quota: UsageQuota,
    who: Attribution,
    recent: list[ColumnElement[bool]],
    limit: int,
    now: datetime,
) -> QuotaExceeded:
    """The refusal, with the wait until the request that frees a place leaves the minute's window."""
    if limit == 0:
        return QuotaExceeded(
            "Request refused: {quota} allows no request to the models. Ask an administrator if you "
            "need them.",
            quota=_named(quota, who, budget=False),
        )
    freeing = writer.scalar(
        select(ModelUsage.created_at)
        .where(*recent)
        .order_by(ModelUsage.created_at.desc())
        .offset(limit - 1)
        .limit(1)
    )
    assert freeing is not None  # at least ``limit`` requests are in the window
    seconds = max(1, math.ceil((_aware(freeing) + MINUTE - now).total_seconds()))
    return QuotaExceeded(
        "Request refused: {quota} is reached (requests per minute: {limit}). Try again in {seconds} s.",
        retry_after=seconds,
        quota=_named(quota, who, budget=False),
        limit=number(limit),
        seconds=seconds,
    )


def _over_budget(
    writer: Session,
    quota: UsageQuota,
    who: Attribution,
    pending: ModelUsage,
    scope: list[ColumnElement[bool]],
    now: datetime,
) -> QuotaExceeded | None:
    """A model with fees, against a budget: in the budget's currency only, else it cannot be counted."""
    if pending.currency != quota.currency:
        return QuotaExceeded(
            "Request refused: the model {model} is priced in {currency}, but {quota} is in "
            "{budget_currency}, so Balise cannot count it. Choose another model, or ask an administrator.",
            model=pending.backend,
            currency=pending.currency,
            quota=_named(quota, who, budget=True),
            budget_currency=quota.currency,
        )
    assert quota.money_per_month is not None
    month = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    spent = writer.scalar(
        select(func.coalesce(func.sum(ModelUsage.cost), 0.0)).where(
            *scope, ModelUsage.currency == quota.currency, ModelUsage.created_at >= month
        )
    )
    if (spent or 0.0) < quota.money_per_month:
        return None
    return QuotaExceeded(
        "Request refused: {quota} is reached (per month: {limit}; spent this month: {used}). It resets "
        "on {reset} (UTC); until then use a model without fees if your municipality has one, or ask an "
        "administrator to raise the budget.",
        quota=_named(quota, who, budget=True),
        limit=money(quota.money_per_month, quota.currency),
        used=money(spent or 0.0, quota.currency),
        reset=moment((month + timedelta(days=32)).replace(day=1)),
    )


def _named(quota: UsageQuota, who: Attribution, *, budget: bool) -> str:
    """« votre quota personnel », « le budget de votre service « Urbanisme » »…"""
    if quota.scope == "person":
        return gettext_("your personal budget") if budget else gettext_("your personal quota")
    if quota.scope == "service":
        named = (
            gettext_("the budget of your service “{service}”")
            if budget
            else gettext_("the quota of your service “{service}”")
        )
        return named.format(service=who.service)
    return gettext_("your municipality's budget") if budget else gettext_("your municipality's quota")
