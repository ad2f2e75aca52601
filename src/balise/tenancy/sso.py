"""Single sign-on: a municipality's OpenID Connect provider and the people it signs in.

One provider per municipality (Entra ID, Keycloak…). Roles come from the provider's group claim
through the municipality's mapping (group → Balise role; the highest mapped role wins), are read
again at every sign-in, and a person whose groups map to no role is refused. A first sign-in creates
the account, audited; local accounts keep working for towns without a provider. The client secret is
stored encrypted with a key derived from the deployment secret.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any, NoReturn
from urllib.parse import urlparse

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.config import get_settings
from balise.errors import BaliseError, Invalid, NotFound
from balise.tenancy.models import Membership, SsoIdentity, SsoProvider, Tenant, User
from balise.tenancy.roles import Role, has_role
from balise.tenancy.tokens import revoke_tokens_of

RANK = {Role.EMPLOYEE: 1, Role.REVIEWER: 2, Role.MANAGER: 3, Role.PRIVACY_OFFICER: 4, Role.ADMIN: 5}
"""Which mapped role wins when a person's groups map to several."""


class SsoRefused(BaliseError):
    """The provider vouched for the person, but Balise does not let them in (no role, disabled…)."""

    status = 403
    code = "sso_refused"


class SsoExpired(BaliseError):
    """The answer does not belong to a sign-in started here, or came too late: start again."""

    status = 400
    code = "sso_expired"


class SsoFailed(BaliseError):
    """The exchange with the provider failed (misconfiguration, provider down, tampered answer)."""

    status = 502
    code = "sso_failed"


def fernet() -> Fernet:
    """Encrypts the client secret and the sign-in state cookie; derived from the deployment secret."""
    digest = hashlib.sha256(b"balise/sso/" + get_settings().resolved_secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def client_secret_of(provider: SsoProvider) -> str:
    if not provider.client_secret_encrypted:
        return ""
    try:
        return fernet().decrypt(provider.client_secret_encrypted.encode()).decode()
    except InvalidToken as exc:
        raise SsoFailed(
            "The single sign-on client secret cannot be decrypted (was the secret key changed?). "
            "Enter the client secret again."
        ) from exc


def parse_role_map(lines: Iterable[str]) -> dict[str, str]:
    """``group = role`` lines (or ``group=role`` options) into a mapping; empty lines are skipped."""
    mapping: dict[str, str] = {}
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        group, sep, role = line.rpartition("=")
        group, role = group.strip(), role.strip()
        if not sep or not group:
            raise Invalid("“{line}” is not a mapping: write “group = role”, one per line.", line=line)
        if role not in {r.value for r in Role}:
            raise Invalid(
                "Unknown role “{role}”. Choose one of: {roles}.",
                role=role,
                roles=", ".join(r.value for r in Role),
            )
        mapping[group] = role
    return mapping


def provider_of(session: Session, tenant_id: str) -> SsoProvider | None:
    return session.scalars(select(SsoProvider).where(SsoProvider.tenant_id == tenant_id)).first()


def enabled_provider(session: Session, tenant: Tenant) -> SsoProvider:
    provider = provider_of(session, tenant.id)
    if provider is None or not provider.enabled:
        raise NotFound(
            "Single sign-on is not set up for this municipality. Sign in with your e-mail and password."
        )
    return provider


def configure_sso(
    session: Session,
    tenant: Tenant,
    *,
    issuer: str,
    client_id: str,
    client_secret: str | None,
    scopes: str = "openid email profile",
    group_claim: str = "groups",
    role_map: Mapping[str, str],
    enabled: bool = True,
    actor: str = "cli",
) -> SsoProvider:
    """Creates or replaces the municipality's provider; ``client_secret=None`` keeps the stored one."""
    issuer = issuer.strip().rstrip("/")
    parsed = urlparse(issuer)
    local = parsed.hostname in {"127.0.0.1", "localhost", "::1"}
    if parsed.scheme != "https" and not (parsed.scheme == "http" and local):
        raise Invalid(
            "The issuer “{issuer}” must be an https:// address (plain http only on this machine).",
            issuer=issuer,
        )
    if not client_id.strip():
        raise Invalid("Give the client id the provider assigned to Balise.")
    scope_list = scopes.split()
    if "openid" not in scope_list:
        scope_list.insert(0, "openid")
    mapping = parse_role_map(f"{g}={r}" for g, r in role_map.items())
    if not mapping:
        raise Invalid("Map at least one group to a role, or nobody will be let in.")
    provider = provider_of(session, tenant.id) or SsoProvider(tenant_id=tenant.id)
    provider.issuer = issuer
    provider.client_id = client_id.strip()
    if client_secret is not None:
        provider.client_secret_encrypted = (
            fernet().encrypt(client_secret.encode()).decode() if client_secret else ""
        )
    provider.scopes = " ".join(scope_list)
    provider.group_claim = group_claim.strip() or "groups"
    provider.role_map = mapping
    provider.enabled = enabled
    session.add(provider)
    session.flush()
    audit.record(
        session,
        "sso.configured",
        actor=actor,
        tenant_id=tenant.id,
        target_type="sso_provider",
        target_id=provider.id,
        details={"issuer": issuer, "client_id": provider.client_id, "role_map": mapping, "enabled": enabled},
    )
    return provider


def mapped_role(provider: SsoProvider, claims: Mapping[str, Any]) -> tuple[str | None, list[str]]:
    """The highest role the person's groups map to (None: none), and the groups read."""
    raw = claims.get(provider.group_claim) or []
    groups = [raw] if isinstance(raw, str) else [str(g) for g in raw] if isinstance(raw, list) else []
    roles = [Role(provider.role_map[g]) for g in groups if g in provider.role_map]
    if not roles:
        return None, groups
    return max(roles, key=lambda r: RANK[r]).value, groups


def _refuse(
    session: Session, tenant: Tenant, reason: str, subject: str, message: str, **params: Any
) -> NoReturn:
    audit.record(
        session,
        "sso.refused",
        actor="sso",
        tenant_id=tenant.id,
        target_type="sso_subject",
        target_id=subject[:64],
        details={"reason": reason},
    )
    session.commit()
    raise SsoRefused(message, **params)


def person_from_claims(
    session: Session, tenant: Tenant, provider: SsoProvider, claims: Mapping[str, Any]
) -> User:
    """The person the provider vouched for, created at first sign-in, with the role their groups give."""
    subject = str(claims.get("sub") or "")
    email = str(claims.get("email") or claims.get("preferred_username") or claims.get("upn") or "").lower()
    role, groups = mapped_role(provider, claims)
    if role is None:
        _refuse(
            session,
            tenant,
            "no_role",
            subject,
            "Your organisation account was recognised, but none of your groups ({groups}) gives a role "
            "in Balise for {town}. Ask your administrator to add you to a group mapped to Balise.",
            groups=", ".join(groups) or "—",
            town=tenant.name,
        )
    identity = session.scalars(
        select(SsoIdentity).where(SsoIdentity.tenant_id == tenant.id, SsoIdentity.subject == subject)
    ).first()
    user = session.get(User, identity.user_id) if identity is not None else None
    if user is None:
        user = _link_or_create(session, tenant, provider, subject, email, claims, role)
    if not user.active:
        _refuse(
            session, tenant, "disabled", subject, "Your Balise account is disabled. Ask your administrator."
        )
    membership = session.scalars(
        select(Membership).where(Membership.user_id == user.id, Membership.tenant_id == tenant.id)
    ).first()
    if membership is None:
        session.add(Membership(tenant_id=tenant.id, user_id=user.id, role=role))
    elif membership.role != role:
        if not has_role(role, Role(membership.role)):
            revoke_tokens_of(session, user.id, tenant.id, reason="role_lowered", actor="sso")
        audit.record(
            session,
            "user.role_from_sso",
            actor="sso",
            tenant_id=tenant.id,
            target_type="user",
            target_id=user.id,
            details={"from": membership.role, "to": role, "groups": groups},
        )
        membership.role = role
    session.flush()
    return user


def _link_or_create(
    session: Session,
    tenant: Tenant,
    provider: SsoProvider,
    subject: str,
    email: str,
    claims: Mapping[str, Any],
    role: str,
) -> User:
    """A first sign-in: link the local account of this municipality with that e-mail, or create one.

    An e-mail known only in another municipality is refused: this provider does not speak for it.
    """
    user = session.scalars(select(User).where(User.email == email)).first() if email else None
    if user is not None:
        member_here = session.scalars(
            select(Membership).where(Membership.user_id == user.id, Membership.tenant_id == tenant.id)
        ).first()
        if member_here is None:
            _refuse(
                session,
                tenant,
                "email_elsewhere",
                subject,
                "The e-mail address {email} already belongs to a Balise account of another municipality. "
                "Ask your administrator to link it.",
                email=email,
            )
        action = "sso.linked"
    else:
        if not email or not subject:
            _refuse(
                session,
                tenant,
                "no_email",
                subject,
                "Your organisation account gave no e-mail address. Ask your administrator to release the "
                "“email” claim to Balise.",
            )
        name = str(claims.get("name") or email.split("@")[0])[:200]
        user = User(email=email, display_name=name, password_hash="")
        session.add(user)
        session.flush()
        action = "user.created_by_sso"
    session.add(SsoIdentity(tenant_id=tenant.id, user_id=user.id, issuer=provider.issuer, subject=subject))
    audit.record(
        session,
        action,
        actor="sso",
        tenant_id=tenant.id,
        target_type="user",
        target_id=user.id,
        details={"role": role, "issuer": provider.issuer},
    )
    return user
