"""Privacy guard (D3, P6): personal information is detected, replaced by placeholders before any model
call, and put back only in the answer shown to the authorised user. Fails closed.

Typical use by a task::

    guard = get_guard()
    settings = load_settings(session, tenant_id)
    placeholders = load_placeholders(session, tenant_id, conversation_id)
    prompt = guard.protect(messages, settings, placeholders)        # GuardUnavailable → send nothing
    save_placeholders(session, tenant_id, conversation_id, placeholders)
    audit.record(session, "assistant.asked", ..., details={"masked": prompt.counts})
    answer = guard.restore(model_answer, placeholders)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from balise.guard.privacy.labels import LABEL_NAMES, LABELS, PLACEHOLDER_NAMES
from balise.guard.privacy.placeholders import PlaceholderMap, StreamRestorer, restore
from balise.guard.privacy.prompt import ChatMessage, GuardedPrompt
from balise.guard.privacy.settings import PrivacySettings, load_settings, save_settings
from balise.guard.privacy.vault import (
    VaultUnreadable,
    delete_placeholders,
    load_placeholders,
    purge_expired,
    save_placeholders,
)

if TYPE_CHECKING:
    from balise.guard.privacy.engine import (
        Detection,
        FrenchNlpEngine,
        GuardUnavailable,
        Preview,
        PreviewSpan,
        PrivacyGuard,
        get_guard,
    )

_ENGINE = {
    "Detection",
    "FrenchNlpEngine",
    "GuardUnavailable",
    "Preview",
    "PreviewSpan",
    "PrivacyGuard",
    "delete_placeholders",
    "get_guard",
}


def __getattr__(name: str) -> Any:
    """The engine (Presidio and spaCy take seconds to import) loads on first use, not with the tables."""
    if name in _ENGINE:
        return getattr(importlib.import_module("balise.guard.privacy.engine"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "LABELS",
    "LABEL_NAMES",
    "PLACEHOLDER_NAMES",
    "ChatMessage",
    "Detection",
    "FrenchNlpEngine",
    "GuardUnavailable",
    "GuardedPrompt",
    "PlaceholderMap",
    "Preview",
    "PreviewSpan",
    "PrivacyGuard",
    "PrivacySettings",
    "StreamRestorer",
    "VaultUnreadable",
    "delete_placeholders",
    "get_guard",
    "load_placeholders",
    "load_settings",
    "purge_expired",
    "restore",
    "save_placeholders",
    "save_settings",
]
