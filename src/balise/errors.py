"""Errors a user can cause, each with a message that says what happened and what to do."""

from __future__ import annotations

from typing import Any

from balise.i18n import gettext_, stored_message


class BaliseError(Exception):
    """A failure the user can understand and act on.

    ``message`` is an English gettext msgid, translated when shown (French by default);
    ``params`` fill its ``{placeholders}``. ``status`` is the HTTP status the web layer answers with.
    """

    status: int = 400
    code: str = "error"

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None, **params: Any):
        super().__init__(message)
        self.message = message
        self.params = params
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code

    def localized(self) -> str:
        return gettext_(self.message).format(**self.params)

    def link(self) -> tuple[str, str] | None:
        """Where the person can go to act on the message (address, label in their language), if any."""
        return None

    def headers(self) -> dict[str, str]:
        """HTTP headers the answer carries beside the message (when to try again…)."""
        return {}

    def stored(self) -> str:
        """The message as kept in the database, translated for whoever reads it later."""
        return stored_message(self.message, **self.params)

    def __str__(self) -> str:
        return self.localized()


class NotFound(BaliseError):
    status = 404
    code = "not_found"


class Forbidden(BaliseError):
    status = 403
    code = "forbidden"


class Invalid(BaliseError):
    status = 422
    code = "invalid"
