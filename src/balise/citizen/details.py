"""The details a resident gave in a request for a person, for the staff allowed to act on them.

The request's message is stored masked like everything else a resident types; the values behind its
placeholders (their name, phone, address…) go to the privacy guard's encrypted vault, under the
request. Reviewers (and administrators, who hold every role) may read them, because they handle
files that decide about a person; other staff see the masked text. Every reading is in the audit
log: who, which request, when. The values are deleted with the request (retention purge).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from balise import audit
from balise.citizen.models import CitizenRequest
from balise.guard.privacy import (
    PlaceholderMap,
    VaultUnreadable,
    delete_placeholders,
    load_placeholders,
    restore,
    save_placeholders,
)
from balise.guard.privacy.placeholders import PLACEHOLDER
from balise.tenancy import Role

DETAILS_ROLE = Role.REVIEWER
"""The least role that reads a resident's own details (``has_role``: reviewers and administrators)."""


def vault_key(request_id: str) -> str:
    """The vault's conversation id of a request: never the id of a staff conversation."""
    return f"citizen-request:{request_id}"


def keep_details(session: Session, request: CitizenRequest, values: Mapping[str, str]) -> None:
    """Encrypts the message's values in the vault; nothing is kept when the message had none."""
    if values:
        save_placeholders(session, request.tenant_id, vault_key(request.id), PlaceholderMap(dict(values)))


def forget_details(session: Session, tenant_id: str, request_ids: Collection[str]) -> None:
    """Deletes the values kept for these requests (with the requests, at the end of retention)."""
    delete_placeholders(session, tenant_id, [vault_key(request_id) for request_id in request_ids])


@dataclass(frozen=True)
class ResidentDetails:
    """The message as the resident wrote it; ``complete`` is False when the values were not kept
    (expired, or a changed secret key) and placeholders remain."""

    message: str
    complete: bool


def read_details(session: Session, request: CitizenRequest, *, actor: str) -> ResidentDetails:
    """The resident's message with its values put back, recorded in the audit log; the caller checks
    the reader's role (``DETAILS_ROLE``) and commits."""
    try:
        values = load_placeholders(session, request.tenant_id, vault_key(request.id))
    except VaultUnreadable:
        values = PlaceholderMap()
    message = restore(request.message, values)
    audit.record(
        session,
        "citizen.request_details_viewed",
        actor=actor,
        tenant_id=request.tenant_id,
        target_type="citizen_request",
        target_id=request.id,
        details={"kind": request.kind, "placeholders": len(values.values)},
    )
    return ResidentDetails(message, complete=PLACEHOLDER.search(message) is None)
