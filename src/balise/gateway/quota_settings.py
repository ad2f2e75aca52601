"""The quotas and budgets administrators set, each change audited; ``quotas.py`` enforces them.

A quota belongs to one person or to every person without their own, to one service or to every
service without its own, or to the whole municipality. Setting one for the same person, service or
municipality replaces it. A limit left empty does not apply; 0 allows nothing.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.bounds import check_length, whole_number
from balise.errors import Invalid, NotFound
from balise.formatting import number
from balise.gateway.quotas import SCOPES
from balise.gateway.registry import CURRENCIES
from balise.gateway.tables import ModelBackend, UsageQuota
from balise.i18n import N_, gettext_
from balise.tenancy.models import Membership, Tenant
from balise.tenancy.service import membership_of

MAX_REQUESTS_PER_MINUTE = 100_000
MAX_TOKENS_PER_DAY = 1_000_000_000
MAX_MONEY_PER_MONTH = 10_000_000
MAX_SERVICE_CHARS = 120
SCOPE_LABELS = {
    "person": N_("A person"),
    "service": N_("A service"),
    "municipality": N_("The whole municipality"),
}


@dataclass(frozen=True)
class Member:
    """A person of the municipality, as the form lists them."""

    user_id: str
    name: str
    service: str


@dataclass(frozen=True)
class QuotaView:
    """A quota as the page shows it: whom it applies to in words, then its limits."""

    id: str
    scope: str
    applies_to: str
    requests_per_minute: int | None
    tokens_per_day: int | None
    money_per_month: float | None
    currency: str


def members(session: Session, tenant_id: str) -> list[Member]:
    """Everyone with a role in the municipality, by name."""
    memberships = session.scalars(select(Membership).where(Membership.tenant_id == tenant_id))
    people = [Member(m.user_id, m.user.display_name, m.service) for m in memberships]
    return sorted(people, key=lambda member: member.name.lower())


def services(session: Session, tenant_id: str) -> list[str]:
    """The services people belong to, as written on their accounts."""
    return sorted({m.service for m in members(session, tenant_id) if m.service}, key=str.lower)


def default_currency(session: Session, tenant: Tenant) -> str:
    """What budgets are counted in unless chosen: the currency of most priced models, else the region's."""
    backends = session.scalars(select(ModelBackend).where(ModelBackend.tenant_id == tenant.id))
    priced = Counter(b.currency for b in backends if b.price_per_1k_tokens)
    if priced:
        return priced.most_common(1)[0][0]
    return "CHF" if tenant.region.upper().startswith("CH") else "CAD"


def quota_views(session: Session, tenant_id: str) -> list[QuotaView]:
    """The municipality's quotas: people first, then services, then the municipality."""
    names = {m.user_id: m.name for m in members(session, tenant_id)}
    views = []
    for quota in session.scalars(select(UsageQuota).where(UsageQuota.tenant_id == tenant_id)):
        if quota.scope == "person":
            if quota.user_id is None:
                who = gettext_("Every person")
            else:
                who = names.get(quota.user_id) or gettext_("Someone who no longer works here")
        elif quota.scope == "service":
            who = quota.service or gettext_("Every service")
        else:
            who = gettext_("The whole municipality")
        views.append(
            QuotaView(
                quota.id,
                quota.scope,
                who,
                quota.requests_per_minute,
                quota.tokens_per_day,
                quota.money_per_month,
                quota.currency,
            )
        )
    return sorted(views, key=lambda v: (SCOPES.index(v.scope), v.applies_to.lower()))


def _whole(value: str, field: str, maximum: int) -> int | None:
    if not value.strip():
        return None
    parsed = whole_number(value, maximum=maximum)
    if parsed is None:
        raise Invalid(
            "“{value}” is not a whole number between 0 and {max}: correct the field {field}, or leave it "
            "empty for no limit.",
            value=value[:40],
            max=number(maximum),
            field=gettext_(field),
        )
    return parsed


def _amount(value: str) -> float | None:
    """An amount as people write it (« 1 250,50 »); two decimals are kept."""
    cleaned = value.strip().replace(" ", "").replace("\u202f", "").replace("\xa0", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        amount = float(cleaned)
    except ValueError:
        amount = math.nan
    if not math.isfinite(amount) or not 0 <= amount <= MAX_MONEY_PER_MONTH:
        raise Invalid(
            "“{value}” is not an amount between 0 and {max}: correct the field {field}, or leave it empty "
            "for no budget.",
            value=value[:40],
            max=number(MAX_MONEY_PER_MONTH),
            field=gettext_("Money per month"),
        )
    return round(amount, 2)


def save_quota(
    session: Session,
    tenant_id: str,
    *,
    scope: str,
    user_id: str,
    service: str,
    requests_per_minute: str,
    tokens_per_day: str,
    money_per_month: str,
    currency: str,
    actor: str,
) -> UsageQuota:
    """Sets the quota of a person (``user_id``, empty: every person), a service (``service``, empty:
    every service) or the municipality, replacing the one it had; the caller commits."""
    if scope not in SCOPES:
        raise Invalid("Choose whom the quota applies to: a person, a service or the whole municipality.")
    person = (user_id.strip() or None) if scope == "person" else None
    named = service.strip() if scope == "service" else ""
    check_length(named, MAX_SERVICE_CHARS, gettext_("Service"))
    if person is not None and membership_of(session, person, tenant_id) is None:
        raise Invalid("This person has no role in this municipality. Choose someone from the list.")
    requests = _whole(requests_per_minute, N_("Requests per minute"), MAX_REQUESTS_PER_MINUTE)
    tokens = _whole(tokens_per_day, N_("Tokens per day"), MAX_TOKENS_PER_DAY)
    amount = _amount(money_per_month)
    if requests is None and tokens is None and amount is None:
        raise Invalid("Set at least one limit (leave empty those that do not apply), or remove the quota.")
    if amount is not None and currency not in CURRENCIES:
        raise Invalid("Choose the budget's currency from the list.")
    same = UsageQuota.user_id.is_(None) if person is None else UsageQuota.user_id == person
    quota = session.scalars(
        select(UsageQuota).where(
            UsageQuota.tenant_id == tenant_id, UsageQuota.scope == scope, same, UsageQuota.service == named
        )
    ).first()
    if quota is None:
        quota = UsageQuota(tenant_id=tenant_id, scope=scope, user_id=person, service=named)
        session.add(quota)
    quota.requests_per_minute, quota.tokens_per_day, quota.money_per_month = requests, tokens, amount
    quota.currency = currency if currency in CURRENCIES else quota.currency or CURRENCIES[0]
    quota.updated_by = actor
    session.flush()
    audit.record(
        session,
        "quota.saved",
        actor=actor,
        tenant_id=tenant_id,
        target_type="usage_quota",
        target_id=quota.id,
        details={
            "scope": scope,
            "user_id": person,
            "service": named,
            "requests_per_minute": requests,
            "tokens_per_day": tokens,
            "money_per_month": amount,
            "currency": currency,
        },
    )
    return quota


def remove_quota(session: Session, tenant_id: str, quota_id: str, *, actor: str) -> None:
    """Withdraws a quota: its person, service or municipality is no longer limited by it."""
    quota = session.scalars(
        select(UsageQuota).where(UsageQuota.id == quota_id, UsageQuota.tenant_id == tenant_id)
    ).first()
    if quota is None:
        raise NotFound("This quota does not exist, or was already removed. Go back to the quotas page.")
    details = {"scope": quota.scope, "user_id": quota.user_id, "service": quota.service}
    session.delete(quota)
    session.flush()
    audit.record(
        session,
        "quota.removed",
        actor=actor,
        tenant_id=tenant_id,
        target_type="usage_quota",
        target_id=quota_id,
        details=details,
    )
