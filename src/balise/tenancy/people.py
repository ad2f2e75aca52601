"""What pages show about people: their names, their API tokens, the other municipalities they serve."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from balise import audit
from balise.db.session import open_session
from balise.errors import NotFound
from balise.tenancy.models import ApiToken, Membership, Tenant, User


def display_names(session: Session, user_ids: Collection[str | None]) -> dict[str, str]:
    """{user id: display name} of the given people (empty ids are skipped)."""
    wanted = {i for i in user_ids if i}
    if not wanted:
        return {}
    return {u.id: u.display_name for u in session.scalars(select(User).where(User.id.in_(wanted)))}


def tokens_of(session: Session, user_id: str) -> list[ApiToken]:
    """A person's API tokens in the session's municipality, newest first."""
    stmt = select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.created_at.desc())
    return list(session.scalars(stmt))


def revoke_api_token(session: Session, tenant_id: str, user_id: str, token_id: str) -> ApiToken:
    """Revokes one of the person's own tokens; anyone else's is answered as missing. The caller commits."""
    token = session.scalars(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user_id)
    ).first()
    if token is None:
        raise NotFound("This token does not exist or is not yours.")
    token.revoked = True
    audit.record(
        session,
        "token.revoked",
        actor=user_id,
        tenant_id=tenant_id,
        target_type="api_token",
        target_id=token.id,
    )
    return token


def other_tenants(engine: Engine, user_id: str, tenant_id: str) -> list[Tenant]:
    """Municipalities this person also works for.

    Memberships are read across tenants on purpose, so this opens an unscoped session of its own
    rather than widening the caller's.
    """
    with open_session(engine) as session:
        ids = select(Membership.tenant_id).where(Membership.user_id == user_id)
        return list(session.scalars(select(Tenant).where(Tenant.id.in_(ids), Tenant.id != tenant_id)))
