"""The OpenID Connect exchange with a municipality's provider, through Authlib.

Authorisation code with PKCE (S256), a ``state`` against forged callbacks and a ``nonce`` against
replayed ID tokens; the ID token's signature (the provider's published keys), issuer, audience,
expiry and nonce are checked before any claim is believed. What the browser must carry between the
redirect and the callback (state, nonce, verifier) travels in a short-lived encrypted cookie.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client
from cryptography.fernet import InvalidToken
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy.orm import Session

from balise.tenancy.models import SsoProvider
from balise.tenancy.sso import SsoExpired, SsoFailed, SsoRefused, client_secret_of, fernet, provider_of

STATE_SECONDS = 600
"""How long a person has at the provider to sign in."""
DISCOVERY_SECONDS = 3600
TIMEOUT = 10.0
_discovered: dict[str, tuple[float, dict[str, Any]]] = {}


def metadata(issuer: str) -> dict[str, Any]:
    """The provider's discovery document, kept an hour."""
    cached = _discovered.get(issuer)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    try:
        response = httpx.get(issuer + "/.well-known/openid-configuration", timeout=TIMEOUT)
        response.raise_for_status()
        document: dict[str, Any] = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise SsoFailed(
            "The sign-in provider {issuer} does not answer. Try again later, or sign in with your "
            "e-mail and password.",
            issuer=issuer,
        ) from exc
    if document.get("issuer", "").rstrip("/") != issuer:
        raise SsoFailed(
            "The sign-in provider's address does not match its own description ({issuer}).", issuer=issuer
        )
    _discovered[issuer] = (time.monotonic() + DISCOVERY_SECONDS, document)
    return document


@dataclass(frozen=True)
class PendingLogin:
    """What the callback must find again: whose provider, and the secrets of this one attempt."""

    tenant: str
    state: str
    nonce: str
    verifier: str
    next: str

    def seal(self) -> str:
        return fernet().encrypt(json.dumps(asdict(self)).encode()).decode()

    @classmethod
    def unseal(cls, value: str) -> PendingLogin:
        try:
            return cls(**json.loads(fernet().decrypt(value.encode(), ttl=STATE_SECONDS)))
        except (InvalidToken, ValueError, TypeError) as exc:
            raise SsoExpired(
                "This sign-in took too long or did not start here. Start signing in again."
            ) from exc


def _client(provider: SsoProvider, redirect_uri: str) -> OAuth2Client:
    return OAuth2Client(
        client_id=provider.client_id,
        client_secret=client_secret_of(provider) or None,
        token_endpoint_auth_method="client_secret_basic" if provider.client_secret_encrypted else "none",
        scope=provider.scopes,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        timeout=TIMEOUT,
    )


def begin(provider: SsoProvider, tenant_slug: str, redirect_uri: str, next_: str) -> tuple[str, PendingLogin]:
    """The provider's authorisation address to send the browser to, and what to remember meanwhile."""
    document = metadata(provider.issuer)
    verifier, nonce = generate_token(64), generate_token(32)
    with _client(provider, redirect_uri) as client:
        url, state = client.create_authorization_url(
            document["authorization_endpoint"], code_verifier=verifier, nonce=nonce
        )
    return url, PendingLogin(tenant_slug, state, nonce, verifier, next_)


@dataclass(frozen=True)
class Verified:
    claims: dict[str, Any]
    id_token: str


def finish(
    provider: SsoProvider, pending: PendingLogin, redirect_uri: str, params: dict[str, str]
) -> Verified:
    """Exchanges the code for tokens and returns the verified claims (ID token, then user info)."""
    if params.get("error"):
        raise SsoRefused(
            "The sign-in provider refused: {error}. Try again or ask your administrator.",
            error=params.get("error_description") or params["error"],
        )
    mixed_up = params.get("iss") not in (None, provider.issuer)  # RFC 9207: the answer of another provider
    if not params.get("code") or params.get("state") != pending.state or mixed_up:
        raise SsoExpired("This sign-in took too long or did not start here. Start signing in again.")
    document = metadata(provider.issuer)
    try:
        with _client(provider, redirect_uri) as client:
            token = client.fetch_token(
                document["token_endpoint"], code=params["code"], code_verifier=pending.verifier
            )
            id_token = str(token.get("id_token") or "")
            claims = _verify(provider, document, id_token, pending.nonce)
            if document.get("userinfo_endpoint"):
                info = client.get(document["userinfo_endpoint"]).json()
                if info.get("sub") == claims["sub"]:  # never another person's claims
                    claims = {**info, **claims}
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        raise SsoFailed(
            "The exchange with the sign-in provider failed. Try again, or ask your administrator to check "
            "the single sign-on settings."
        ) from exc
    return Verified(claims, id_token)


def _verify(provider: SsoProvider, document: dict[str, Any], id_token: str, nonce: str) -> dict[str, Any]:
    keys = KeySet.import_key_set(httpx.get(document["jwks_uri"], timeout=TIMEOUT).json())
    try:
        decoded = jwt.decode(id_token, keys, algorithms=["RS256", "PS256", "ES256", "EdDSA"])
        jwt.JWTClaimsRegistry(
            leeway=60,
            iss={"essential": True, "value": provider.issuer},
            aud={"essential": True, "value": provider.client_id},
            exp={"essential": True},
            sub={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(decoded.claims)
    except (JoseError, ValueError) as exc:
        raise SsoFailed(
            "The sign-in provider's answer could not be verified. Start signing in again; if it persists, "
            "ask your administrator."
        ) from exc
    return dict(decoded.claims)


def end_session_url(provider: SsoProvider, id_token: str, after: str) -> str | None:
    """Where to send the browser to sign out at the provider too (None: it offers no such address)."""
    try:
        endpoint = metadata(provider.issuer).get("end_session_endpoint")
    except SsoFailed:
        return None
    if not endpoint:
        return None
    query = {"client_id": provider.client_id, "post_logout_redirect_uri": after}
    if id_token:
        query["id_token_hint"] = id_token
    return f"{endpoint}?{urlencode(query)}"


def sign_out_url(session: Session, tenant_id: str, id_token: str, after: str) -> str | None:
    """For a session opened through single sign-on, the provider's sign-out address; else None."""
    if not id_token:
        return None
    provider = provider_of(session, tenant_id)
    if provider is None or not provider.enabled:
        return None
    return end_session_url(provider, id_token, after)
