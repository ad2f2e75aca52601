"""API tokens: scoped, expiring, never minted by another token, revoked when their person loses access.

A token carries the scopes its owner chose (read, ask, administer) on top of their role, expires
(90 days by default), and records the role it was issued under: if the person is later lowered or
disabled, the token stops working at once, whatever path changed the role (CLI, single sign-on).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from balise import audit
from balise.db.base import utcnow
from balise.errors import BaliseError, Forbidden, Invalid
from balise.i18n import N_
from balise.tenancy.models import ApiToken, Membership, Tenant, User
from balise.tenancy.roles import Role, has_role

TOKEN_PREFIX = "bal_"
TOKEN_RE = re.compile(r"^bal_[A-Za-z0-9_-]{43}$")
DEFAULT_DAYS = 90
EXPIRY_CHOICES = (7, 30, 90, 180, 365)


class Scope(StrEnum):
    READ = "read"
    ASK = "ask"
    ADMINISTER = "administer"


SCOPE_LABELS = {
    Scope.READ: N_("Read (pages and GET APIs)"),
    Scope.ASK: N_("Ask the assistant"),
    Scope.ADMINISTER: N_("Administer (changes and admin pages)"),
}
DEFAULT_SCOPES = (Scope.READ, Scope.ASK)


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def parse_scopes(values: Iterable[str]) -> tuple[Scope, ...]:
    """Known scopes in a stable order; an unknown or empty choice is the caller's mistake."""
    chosen = {v.strip() for v in values if v.strip()}
    unknown = chosen - {s.value for s in Scope}
    if unknown:
        raise Invalid(
            "Unknown token permission “{scope}”. Choose among: {scopes}.",
            scope=", ".join(sorted(unknown)),
            scopes=", ".join(s.value for s in Scope),
        )
    if not chosen:
        raise Invalid("Choose at least one permission for the token (read, ask or administer).")
    return tuple(s for s in Scope if s.value in chosen)


def scopes_of(token: ApiToken) -> tuple[str, ...]:
    return tuple(s for s in token.scopes.split(",") if s)


@dataclass(frozen=True)
class IssuedToken:
    token: str
    record: ApiToken


def create_api_token(
    session: Session,
    tenant: Tenant,
    user: User,
    name: str,
    *,
    scopes: Iterable[str] = DEFAULT_SCOPES,
    days: int = DEFAULT_DAYS,
    actor: str = "cli",
) -> IssuedToken:
    """A new token, shown once; only its hash is stored."""
    membership = session.scalars(
        select(Membership).where(Membership.user_id == user.id, Membership.tenant_id == tenant.id)
    ).first()
    if membership is None:
        raise Forbidden("This person has no role in this municipality.")
    if not user.active:
        raise Forbidden("This person's account is disabled: it cannot receive a token.")
    if days not in EXPIRY_CHOICES:
        raise Invalid(
            "A token lasts {choices} days; “{days}” is not one of them.",
            choices=", ".join(str(d) for d in EXPIRY_CHOICES),
            days=days,
        )
    chosen = parse_scopes(scopes)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(
        tenant_id=tenant.id,
        user_id=user.id,
        name=name,
        token_hash=sha256(token),
        prefix=token[:8],
        scopes=",".join(chosen),
        expires_at=utcnow() + timedelta(days=days),
        issued_role=membership.role,
    )
    session.add(record)
    session.flush()
    audit.record(
        session,
        "token.created",
        actor=actor,
        tenant_id=tenant.id,
        target_type="api_token",
        target_id=record.id,
        details={"scopes": list(chosen), "days": days},
    )
    return IssuedToken(token, record)


def is_expired(token: ApiToken) -> bool:
    return token.expires_at is not None and _aware(token.expires_at) <= utcnow()


class BadToken(BaliseError):
    status = 401
    code = "bad_token"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=utcnow().tzinfo)


def resolve_api_token(session: Session, token: str) -> ApiToken:
    """The live token for a bearer value; revoked, expired or outranked ones are refused."""
    if not TOKEN_RE.match(token):
        raise BadToken(
            "The API token is malformed. It starts with “bal_” and has 47 characters; "
            "copy it again or create a new one."
        )
    record = session.scalars(select(ApiToken).where(ApiToken.token_hash == sha256(token))).first()
    if record is None or record.revoked:
        raise BadToken("This API token is unknown or revoked. Create a new one.")
    if is_expired(record):
        raise BadToken("This API token has expired. Create a new one on the “API tokens” page.")
    membership = session.scalars(
        select(Membership).where(
            Membership.user_id == record.user_id, Membership.tenant_id == record.tenant_id
        )
    ).first()
    user = session.get(User, record.user_id)
    lowered = membership is None or not has_role(membership.role, Role(record.issued_role))
    if user is None or not user.active or lowered:
        revoke_tokens_of(session, record.user_id, record.tenant_id, reason="access_changed")
        session.commit()
        raise BadToken("This API token was revoked because its owner's access changed. Create a new one.")
    record.last_used_at = utcnow()
    return record


def revoke_tokens_of(
    session: Session, user_id: str, tenant_id: str | None = None, *, reason: str, actor: str = "system"
) -> int:
    """Revokes every live token of a person (in one municipality, or all); audited per municipality."""
    live = select(ApiToken.id, ApiToken.tenant_id).where(
        ApiToken.user_id == user_id, ApiToken.revoked.is_(False)
    )
    if tenant_id is not None:
        live = live.where(ApiToken.tenant_id == tenant_id)
    rows = list(session.execute(live))
    if not rows:
        return 0
    session.execute(update(ApiToken).where(ApiToken.id.in_([r.id for r in rows])).values(revoked=True))
    for tenant in sorted({r.tenant_id for r in rows}):
        audit.record(
            session,
            "token.revoked_all",
            actor=actor,
            tenant_id=tenant,
            target_type="user",
            target_id=user_id,
            details={"reason": reason, "count": sum(1 for r in rows if r.tenant_id == tenant)},
        )
    return len(rows)
