"""The placeholder vault: each conversation's mapping, encrypted per tenant, kept for the retention period.

The key is derived with HKDF from the instance secret and the tenant id, so one tenant's key never
opens another's rows; the tenant and conversation ids are authenticated data, so a row copied to
another conversation does not decrypt.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection
from datetime import datetime, timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from balise.config import get_settings
from balise.db.base import utcnow
from balise.errors import BaliseError
from balise.guard.privacy.models import PlaceholderVaultEntry
from balise.guard.privacy.placeholders import PlaceholderMap
from balise.guard.privacy.settings import load_settings

_SALT = b"balise/privacy-vault/v1"


class VaultUnreadable(BaliseError):
    status = 500
    code = "privacy_vault_unreadable"


def _cipher(tenant_id: str) -> AESGCM:
    secret = get_settings().resolved_secret_key.encode()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=tenant_id.encode()).derive(secret)
    return AESGCM(key)


def _aad(tenant_id: str, conversation_id: str) -> bytes:
    return f"{tenant_id}/{conversation_id}".encode()


def _entry(session: Session, tenant_id: str, conversation_id: str) -> PlaceholderVaultEntry | None:
    return session.scalars(
        select(PlaceholderVaultEntry).where(
            PlaceholderVaultEntry.tenant_id == tenant_id,
            PlaceholderVaultEntry.conversation_id == conversation_id,
        )
    ).first()


def save_placeholders(
    session: Session,
    tenant_id: str,
    conversation_id: str,
    mapping: PlaceholderMap,
    *,
    now: datetime | None = None,
) -> datetime:
    """Encrypts and stores the mapping; each save restarts the retention period. Returns the expiry."""
    expires_at = (now or utcnow()) + timedelta(days=load_settings(session, tenant_id).retention_days)
    nonce = os.urandom(12)
    plaintext = json.dumps(mapping.to_dict(), ensure_ascii=False).encode()
    ciphertext = _cipher(tenant_id).encrypt(nonce, plaintext, _aad(tenant_id, conversation_id))
    entry = _entry(session, tenant_id, conversation_id)
    if entry is None:
        entry = PlaceholderVaultEntry(tenant_id=tenant_id, conversation_id=conversation_id)
        session.add(entry)
    entry.nonce, entry.ciphertext, entry.expires_at = nonce, ciphertext, expires_at
    session.flush()
    return expires_at


def load_placeholders(
    session: Session, tenant_id: str, conversation_id: str, *, now: datetime | None = None
) -> PlaceholderMap:
    """The conversation's mapping, or an empty one when there is none or it has expired."""
    entry = session.scalars(
        select(PlaceholderVaultEntry).where(
            PlaceholderVaultEntry.tenant_id == tenant_id,
            PlaceholderVaultEntry.conversation_id == conversation_id,
            PlaceholderVaultEntry.expires_at > (now or utcnow()),
        )
    ).first()
    if entry is None:
        return PlaceholderMap()
    try:
        plaintext = _cipher(tenant_id).decrypt(
            entry.nonce, entry.ciphertext, _aad(tenant_id, conversation_id)
        )
    except InvalidTag:
        raise VaultUnreadable(
            "The masked values of this conversation cannot be decrypted, probably because the secret key "
            "changed. Start a new conversation and ask your administrator to check BALISE_SECRET_KEY."
        ) from None
    return PlaceholderMap.from_dict(json.loads(plaintext))


def purge_expired(session: Session, now: datetime | None = None) -> int:
    """Deletes every mapping past its retention period (all tenants); returns how many were deleted."""
    result = session.execute(
        delete(PlaceholderVaultEntry).where(PlaceholderVaultEntry.expires_at <= (now or utcnow()))
    )
    return int(getattr(result, "rowcount", 0) or 0)


def delete_placeholders(session: Session, tenant_id: str, conversation_ids: Collection[str]) -> None:
    """Erase the masked values of conversations a person deleted: nothing of them stays readable."""
    if conversation_ids:
        session.execute(
            delete(PlaceholderVaultEntry).where(
                PlaceholderVaultEntry.tenant_id == tenant_id,
                PlaceholderVaultEntry.conversation_id.in_(list(conversation_ids)),
            )
        )
