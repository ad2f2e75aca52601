"""The citizen assistant (U1, P3, X3): answers for residents from reviewer-approved public documents,
with the AI disclosure, consent, and a person always within reach.

It is one more caller of the assistant's ask task (``balise.assistant.ask``), not a second pipeline.
Importing this package registers the transcript-retention job.
"""

from balise.citizen.approvals import (
    approve,
    approved_document_ids,
    approved_documents,
    is_approved,
    pending_public_documents,
    refuse,
)
from balise.citizen.channels import human_contact, redirect_message
from balise.citizen.details import DETAILS_ROLE, ResidentDetails, read_details
from balise.citizen.errors import (
    EmptyQuestion,
    OriginNotAllowed,
    QuestionTooLong,
    RateLimited,
    RequestNotFound,
)
from balise.citizen.models import CitizenExchange, CitizenRequest, PublicApproval
from balise.citizen.ratelimit import check_rate, reset_limits
from balise.citizen.requests import (
    FEEDBACK,
    Created,
    answer_request,
    close_request,
    escalate,
    follow_up,
    get_request,
    give_feedback,
    queue,
)
from balise.citizen.retention import PURGE_JOB, ensure_scheduled, purge_expired
from balise.citizen.scope import REASONS, OutOfScope, Reason, out_of_scope
from balise.citizen.service import (
    MAX_QUESTION_CHARS,
    CitizenAnswer,
    PublicCitation,
    PublicSource,
    answer,
    open_public,
    public_source,
    session_exchanges,
)
from balise.citizen.settings import (
    CitizenSettings,
    load_citizen_settings,
    origin_allowed,
    parse_origin,
    save_citizen_settings,
)
from balise.citizen.stats import Week, weekly_stats

__all__ = [
    "DETAILS_ROLE",
    "FEEDBACK",
    "MAX_QUESTION_CHARS",
    "PURGE_JOB",
    "REASONS",
    "CitizenAnswer",
    "CitizenExchange",
    "CitizenRequest",
    "CitizenSettings",
    "Created",
    "EmptyQuestion",
    "OriginNotAllowed",
    "OutOfScope",
    "PublicApproval",
    "PublicCitation",
    "PublicSource",
    "QuestionTooLong",
    "RateLimited",
    "Reason",
    "RequestNotFound",
    "ResidentDetails",
    "Week",
    "answer",
    "answer_request",
    "approve",
    "approved_document_ids",
    "approved_documents",
    "check_rate",
    "close_request",
    "ensure_scheduled",
    "escalate",
    "follow_up",
    "get_request",
    "give_feedback",
    "human_contact",
    "is_approved",
    "load_citizen_settings",
    "open_public",
    "origin_allowed",
    "out_of_scope",
    "parse_origin",
    "pending_public_documents",
    "public_source",
    "purge_expired",
    "queue",
    "read_details",
    "redirect_message",
    "refuse",
    "reset_limits",
    "save_citizen_settings",
    "session_exchanges",
    "weekly_stats",
]
