"""The trace page of a resident's answer (P4): what the question became, what search returned, what
the reader chose, which policy rule ran, whether a validated answer came close, and so where the fault
most likely lies (search, the reader, the documents, the policy) with the fix that goes with it.

Everything shown is the masked question and the library's own passages; the trace is kept in the
exchange and deleted with it at the end of the retention period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from balise.assistant.tracing import policy_of
from balise.citizen.errors import RequestNotFound
from balise.citizen.models import CitizenExchange
from balise.citizen.scope import REASONS
from balise.citizen.service import ask_as_resident
from balise.i18n import N_
from balise.tenancy import Tenant

NEAR_MISS = 0.05
"""A validated answer this close below its threshold is worth a look: it may answer the question."""
LOW_CONFIDENCE = 0.5

Finding = tuple[str, str]
"""(what the trace shows, an English msgid; the fix it calls for, one of ``FIXES``)."""
FIXES = {
    "validated": N_("Write a validated answer for this question"),
    "document": N_("Add or publish a document that answers it"),
    "policy": N_("Review the usage policy's rule"),
}


@dataclass
class Trace:
    """An exchange and its trace, with the findings read from it (see :func:`findings`)."""

    exchange: CitizenExchange
    steps: dict[str, Any]
    cited: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)


def findings(steps: dict[str, Any], reason: str, feedback: str) -> list[Finding]:
    """Where the answer went wrong, step by step, as far as the trace tells."""
    found: list[Finding] = []
    policy = steps.get("policy", {})
    if policy.get("outcome") == "block":
        found.append((N_("The usage policy blocked the question."), "policy"))
    if reason in REASONS and not steps:
        found.append((N_("The citizen scope rules sent the question to a person before any search."), ""))
    if steps.get("status") == "unavailable":
        found.append((N_("The privacy check was unavailable: nothing was searched."), ""))
    validated = steps.get("validated")
    if validated and not validated["served"] and validated["score"] >= validated["threshold"] - NEAR_MISS:
        found.append((N_("A validated answer came close without reaching the threshold."), "validated"))
    if "passages" in steps and not steps["passages"]:
        found.append((N_("Search found no published passage: the documents do not cover it."), "document"))
    reader = steps.get("reader") or {}
    confidence = reader.get("confidence")
    if reader.get("caution") or (confidence is not None and confidence < LOW_CONFIDENCE):
        found.append((N_("The reader was unsure of the sentence it chose."), "validated"))
    if feedback == "not_useful" and reason in ("", "caution"):
        found.append(
            (
                N_(
                    "The resident found the answer not useful. If the right document is not among the "
                    "passages, search is at fault; if it is but another was cited, the reader is."
                ),
                "document",
            )
        )
    return found


def _trace(
    exchange: CitizenExchange, steps: dict[str, Any], citations: list[dict[str, Any]], *, again: bool = False
) -> Trace:
    cited = {c["document_id"] for c in citations}
    reason, feedback = ("", "") if again else (exchange.reason, exchange.feedback)
    return Trace(exchange, steps, cited, findings(steps, reason, feedback))


def exchange_trace(session: Session, exchange_id: str) -> Trace:
    """The trace of one exchange of the session's municipality."""
    exchange = session.get(CitizenExchange, exchange_id)
    if exchange is None:
        raise RequestNotFound(
            "This exchange does not exist or was deleted at the end of its retention period."
        )
    return _trace(exchange, exchange.trace or {}, exchange.citations)


def rerun(session: Session, tenant: Tenant, exchange_id: str) -> tuple[Trace, str]:
    """The same masked question asked again as a resident, today (nothing kept as an exchange):
    its trace and answer, to see whether a fix worked."""
    exchange = exchange_trace(session, exchange_id).exchange
    result = ask_as_resident(session, tenant, exchange.question)
    steps = {**result.trace, "policy": policy_of(result), "status": result.status}
    citations = [{"document_id": c.document_id} for c in result.citations]
    return _trace(exchange, steps, citations, again=True), result.text
