"""What the history keeps of a turn: masked on the way in, restored for its owner only on the way out.

The turns table and the conversation titles hold the request and the result with personal values
replaced by the conversation's placeholders (« [PERSONNE_1] »), exactly as the privacy guard masks
prompts; the values live only in the guard's encrypted vault, which is deleted with the conversation
and by the retention purge. The history pages of the person who asked put the values back for them;
nobody else reads a history (every read is filtered by user), and a database dump shows placeholders.
Once the vault's retention period (the privacy settings') has passed, the history shows placeholders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.assistant.models import Conversation, Turn
from balise.guard.privacy import (
    PlaceholderMap,
    VaultUnreadable,
    load_placeholders,
    load_settings,
    restore,
)
from balise.i18n import _


@dataclass(frozen=True)
class Kept:
    """The masked request, answer and details a turn stores."""

    request: str
    answer: str
    details: dict[str, Any]


def _walk(value: Any, change: Any) -> Any:
    """``value`` with every string (not the keys) passed through ``change``."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {key: _walk(item, change) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_walk(item, change) for item in value]
    return value


def mask_turn(
    session: Session,
    tenant_id: str,
    placeholders: PlaceholderMap,
    request: str,
    answer: str,
    details: dict[str, Any],
    extra_terms: Sequence[str] = (),
) -> Kept:
    """Masks a turn before it is stored; new values join ``placeholders`` (the caller saves it to the vault).

    The request is read by the guard in full (a task may not have sent all of it to a model); the
    answer and its details are the model's text with the prompt's placeholders restored, so masking
    the map's values wherever they recur is enough and runs no model a second time.
    """
    from balise.guard.privacy import GuardUnavailable, get_guard  # spaCy loads only when a turn is kept

    guard = get_guard()
    settings = load_settings(session, tenant_id)
    try:
        masked_request = guard.mask(request, placeholders, settings, extra_terms)
    except GuardUnavailable:  # fail closed: the history keeps no text the guard could not read
        masked_request = _("The request was not kept: the privacy check could not read it in time.")

    def known(text: str) -> str:
        return guard.mask(text, placeholders, detect=False) if text else text

    return Kept(masked_request, known(answer), _walk(details, known))


@dataclass(frozen=True)
class ShownTurn:
    """A turn as its owner reads it again: the values put back from the vault."""

    position: int
    request: str
    answer: str
    details: dict[str, Any]
    created_at: datetime


def values_of(session: Session, conversation: Conversation) -> PlaceholderMap:
    """The conversation's placeholders, or none when the vault expired or cannot be read (the page then
    shows the masked text rather than failing)."""
    try:
        return load_placeholders(session, conversation.tenant_id, conversation.id)
    except VaultUnreadable:
        return PlaceholderMap()


def shown_turns(session: Session, conversation: Conversation, turns: Sequence[Turn]) -> list[ShownTurn]:
    """The turns of one's own conversation, readable again; the stored rows are never changed."""
    values = values_of(session, conversation)
    return [
        ShownTurn(
            t.position,
            restore(t.request, values),
            restore(t.answer, values),
            _walk(t.details or {}, lambda text: restore(text, values)),
            t.created_at,
        )
        for t in turns
    ]


def shown_title(session: Session, conversation: Conversation) -> str:
    return restore(conversation.title, values_of(session, conversation))


def mask_stored(session: Session) -> int:
    """Masks the turns and titles stored before the history was masked (every tenant); returns how many
    conversations were read. Running it again changes nothing: placeholders are never masked twice.

    A conversation whose vault cannot be decrypted (the secret key changed) is masked with a new map,
    which replaces the unreadable one: its values could not be shown again anyway.
    """
    from balise.guard.privacy import get_guard, save_placeholders

    guard = get_guard()
    conversations = list(session.scalars(select(Conversation).order_by(Conversation.created_at)))
    for conversation in conversations:
        values = values_of(session, conversation)
        settings = load_settings(session, conversation.tenant_id)
        conversation.title = guard.mask(conversation.title, values, settings)
        stored = session.scalars(select(Turn).where(Turn.conversation_id == conversation.id))
        known = partial(guard.mask, placeholders=values, detect=False)
        for turn in stored:
            turn.request = guard.mask(turn.request, values, settings)
            turn.answer = guard.mask(turn.answer, values, settings)
            turn.details = _walk(turn.details or {}, known)
        save_placeholders(session, conversation.tenant_id, conversation.id, values)
    session.flush()
    return len(conversations)
