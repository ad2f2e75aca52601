"""Validated answers (P4): answers the municipality's staff checked, served again when a resident or an
employee asks the same question, marked with their validation date, until they expire or a document
they rest on changes.
"""

from balise.answers.errors import AnswerNotFound, AnswerRefused
from balise.answers.matching import MATCH_THRESHOLD, Match, closest
from balise.answers.models import ValidatedAnswer
from balise.answers.service import (
    DEFAULT_VALIDITY_DAYS,
    Draft,
    ValidatedItem,
    create,
    edit,
    from_output,
    get,
    listing,
    promotable,
    revalidate,
    status_counts,
    validated_items,
    validity_days,
)
from balise.answers.status import ACTIVE, EXPIRED, STATUSES, SUSPENDED, refresh

__all__ = [
    "ACTIVE",
    "DEFAULT_VALIDITY_DAYS",
    "EXPIRED",
    "MATCH_THRESHOLD",
    "STATUSES",
    "SUSPENDED",
    "AnswerNotFound",
    "AnswerRefused",
    "Draft",
    "Match",
    "ValidatedAnswer",
    "ValidatedItem",
    "closest",
    "create",
    "edit",
    "from_output",
    "get",
    "listing",
    "promotable",
    "refresh",
    "revalidate",
    "status_counts",
    "validated_items",
    "validity_days",
]
