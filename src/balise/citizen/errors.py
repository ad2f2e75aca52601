"""Errors a resident or a staff member can cause on the citizen side, each saying what to do."""

from __future__ import annotations

from balise.errors import BaliseError, Invalid, NotFound


class RateLimited(BaliseError):
    status = 429
    code = "rate_limited"


class QuestionTooLong(Invalid):
    code = "too_long"


class EmptyQuestion(Invalid):
    code = "empty"


class OriginNotAllowed(BaliseError):
    status = 403
    code = "origin_not_allowed"


class RequestNotFound(NotFound):
    code = "request_not_found"
