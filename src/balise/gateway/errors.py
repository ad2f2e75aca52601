"""Errors of the model gateway and its registry."""

from __future__ import annotations

from balise.errors import BaliseError, Invalid, NotFound
from balise.i18n import gettext_


class NoAllowedBackend(BaliseError):
    """No approved model may receive this data; ``reasons`` says why each one was excluded.

    ``level`` is a classification and each reason a (msgid, params) pair: both are translated when
    the error is shown, in the reader's language rather than the one current when it was raised.
    """

    status = 403
    code = "no_allowed_backend"

    def __init__(self, message: str, *, level: str, reasons: list[tuple[str, dict[str, str]]]):
        super().__init__(message, level=level, reasons=reasons)
        self.level, self.reasons = level, reasons

    def localized(self) -> str:
        reasons = "; ".join(
            gettext_(msgid).format(**{k: gettext_(v) if k == "level" else v for k, v in params.items()})
            for msgid, params in self.reasons
        )
        return gettext_(self.message).format(level=gettext_(self.level), reasons=reasons)


class BackendNotFound(NotFound):
    code = "backend_not_found"


class InvalidBackend(Invalid):
    code = "invalid_backend"


class BackendFailure(Exception):
    """A backend could not answer (error, timeout, bad response); the gateway falls back."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
