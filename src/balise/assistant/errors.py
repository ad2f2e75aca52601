"""Errors a person can cause while using the assistant."""

from __future__ import annotations

from balise.errors import Invalid, NotFound


class UnknownTemplate(Invalid):
    code = "unknown_template"


class EmptyRequest(Invalid):
    code = "empty_request"


class TooLong(Invalid):
    code = "too_long"


class SourceNotFound(NotFound):
    code = "source_not_found"


class ConversationNotFound(NotFound):
    code = "conversation_not_found"
