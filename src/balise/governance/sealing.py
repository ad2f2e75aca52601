"""Encryption of what citizens confide: complaint contact details, messages and replies.

The same construction as the privacy vault (:mod:`balise.guard.privacy.vault`): AES-GCM with a key
derived by HKDF from the instance secret (``BALISE_SECRET_KEY``) and the tenant id, so that one
municipality's key never opens another's rows; the row id is authenticated data, so a sealed value
copied onto another row does not open.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from balise.config import get_settings
from balise.errors import BaliseError

_SALT = b"balise/governance-sealed/v1"


class SealUnreadable(BaliseError):
    status = 500
    code = "governance_seal_unreadable"


def _cipher(tenant_id: str) -> AESGCM:
    secret = get_settings().resolved_secret_key.encode()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=tenant_id.encode()).derive(secret)
    return AESGCM(key)


def seal(tenant_id: str, row_id: str, value: dict[str, Any]) -> str:
    """``value`` as JSON, encrypted for this tenant and row; base64 text fits any column type."""
    nonce = os.urandom(12)
    data = json.dumps(value, ensure_ascii=False).encode()
    box = _cipher(tenant_id).encrypt(nonce, data, f"{tenant_id}/{row_id}".encode())
    return base64.b64encode(nonce + box).decode()


def unseal(tenant_id: str, row_id: str, sealed: str) -> dict[str, Any]:
    if not sealed:
        return {}
    raw = base64.b64decode(sealed)
    try:
        data = _cipher(tenant_id).decrypt(raw[:12], raw[12:], f"{tenant_id}/{row_id}".encode())
    except InvalidTag:
        raise SealUnreadable(
            "This record cannot be decrypted, probably because the secret key changed. "
            "Ask your administrator to check BALISE_SECRET_KEY."
        ) from None
    value: dict[str, Any] = json.loads(data)
    return value


def client_hash(tenant_id: str, client: str) -> str:
    """A keyed hash of a client's address: enough to count its forms, useless to find who it was."""
    import hashlib
    import hmac

    secret = get_settings().resolved_secret_key.encode()
    return hmac.new(secret, f"{tenant_id}/{client}".encode(), hashlib.sha256).hexdigest()
