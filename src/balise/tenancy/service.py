"""Creating municipalities, people and credentials; authenticating them."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from balise import audit
from balise.db.base import utcnow
from balise.errors import Invalid, NotFound
from balise.tenancy.models import Membership, Tenant, User, WebSession
from balise.tenancy.passwords import MIN_LENGTH, hash_password
from balise.tenancy.roles import Role, has_role
from balise.tenancy.tokens import revoke_tokens_of, sha256

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def tenant_by_slug(session: Session, slug: str) -> Tenant:
    tenant = session.scalars(select(Tenant).where(Tenant.slug == slug)).first()
    if tenant is None:
        raise NotFound(
            "No municipality has the identifier “{slug}”. Check the address or ask your administrator.",
            slug=slug,
        )
    return tenant


def create_tenant(
    session: Session, slug: str, name: str, *, region: str = "QC", actor: str = "cli"
) -> Tenant:
    slug = slug.strip().lower()
    if not SLUG_RE.match(slug):
        raise Invalid(
            "The identifier “{slug}” is not valid: use lowercase letters, digits and hyphens "
            "(for example saint-balise).",
            slug=slug,
        )
    if session.scalars(select(Tenant).where(Tenant.slug == slug)).first():
        raise Invalid("A municipality with the identifier “{slug}” already exists.", slug=slug)
    tenant = Tenant(slug=slug, name=name.strip(), region=region)
    session.add(tenant)
    session.flush()
    audit.record(
        session, "tenant.created", actor=actor, tenant_id=tenant.id, target_type="tenant", target_id=tenant.id
    )
    return tenant


def create_user(
    session: Session,
    tenant: Tenant,
    email: str,
    password: str,
    role: str,
    *,
    display_name: str = "",
    service: str = "",
    actor: str = "cli",
) -> User:
    """Create the person if needed and give them ``role`` in ``tenant``."""
    email = email.strip().lower()
    if not EMAIL_RE.match(email):
        raise Invalid("“{email}” is not a valid e-mail address.", email=email)
    if role not in {r.value for r in Role}:
        raise Invalid(
            "Unknown role “{role}”. Choose one of: {roles}.",
            role=role,
            roles=", ".join(r.value for r in Role),
        )
    user = session.scalars(select(User).where(User.email == email)).first()
    if user is None:
        if len(password) < MIN_LENGTH:
            raise Invalid("The password must have at least {n} characters.", n=MIN_LENGTH)
        user = User(
            email=email,
            display_name=display_name or email.split("@")[0],
            password_hash=hash_password(password),
        )
        session.add(user)
        session.flush()
    membership = session.scalars(
        select(Membership).where(Membership.user_id == user.id, Membership.tenant_id == tenant.id)
    ).first()
    if membership is None:
        session.add(Membership(tenant_id=tenant.id, user_id=user.id, role=role, service=service))
    else:
        if not has_role(role, Role(membership.role)):  # lowered: what they could do, tokens cannot
            revoke_tokens_of(session, user.id, tenant.id, reason="role_lowered", actor=actor)
        membership.role = role
    session.flush()
    audit.record(
        session,
        "user.granted",
        actor=actor,
        tenant_id=tenant.id,
        target_type="user",
        target_id=user.id,
        details={"role": role},
    )
    return user


def member_names(session: Session, tenant_id: str, user_ids: Iterable[str]) -> dict[str, str]:
    """Display names of the tenant's members among ``user_ids`` (others, like "system", stay ids).

    The audit log keeps ids; the page shows names to those allowed to read it.
    """
    wanted = set(user_ids)
    if not wanted:
        return {}
    rows = session.execute(
        select(User.id, User.display_name)
        .join(Membership, Membership.user_id == User.id)
        .where(User.id.in_(wanted), Membership.tenant_id == tenant_id)
    )
    return {user_id: name for user_id, name in rows}


def membership_of(session: Session, user_id: str, tenant_id: str) -> Membership | None:
    return session.scalars(
        select(Membership).where(Membership.user_id == user_id, Membership.tenant_id == tenant_id)
    ).first()


def open_web_session(
    session: Session, user: User, tenant_id: str, hours: int, *, id_token: str = ""
) -> tuple[str, WebSession]:
    token = secrets.token_urlsafe(32)
    web_session = WebSession(
        token_hash=sha256(token),
        user_id=user.id,
        tenant_id=tenant_id,
        csrf_token=secrets.token_urlsafe(32),
        expires_at=utcnow() + timedelta(hours=hours),
        id_token=id_token,
    )
    session.add(web_session)
    session.flush()
    return token, web_session


def find_web_session(session: Session, token: str) -> WebSession | None:
    """The live session for a cookie, or None when unknown or expired (expired ones are removed)."""
    web_session = session.get(WebSession, sha256(token))
    if web_session is None:
        return None
    expires = web_session.expires_at
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=utcnow().tzinfo)
    if expires <= utcnow():
        session.delete(web_session)
        session.commit()
        return None
    return web_session


def close_web_session(session: Session, token: str) -> None:
    session.execute(delete(WebSession).where(WebSession.token_hash == sha256(token)))


def set_active(session: Session, user: User, active: bool, *, actor: str = "cli") -> None:
    """Enables or disables a person everywhere; disabling also revokes their tokens and sessions."""
    user.active = active
    if not active:
        revoke_tokens_of(session, user.id, reason="disabled", actor=actor)
        session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    for membership in user.memberships:
        audit.record(
            session,
            "user.enabled" if active else "user.disabled",
            actor=actor,
            tenant_id=membership.tenant_id,
            target_type="user",
            target_id=user.id,
        )
    session.flush()
