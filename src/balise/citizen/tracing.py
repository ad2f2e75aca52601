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

from balise.assistant.tracing import Finding, policy_of, trace_findings
from balise.citizen.errors import RequestNotFound
from balise.citizen.models import CitizenExchange
from balise.citizen.scope import REASONS
from balise.citizen.service import ask_as_resident
from balise.i18n import N_
from balise.tenancy import Tenant


@dataclass
class Trace:
    """An exchange and its trace, with the findings read from it (see :func:`findings`)."""

    exchange: CitizenExchange
    steps: dict[str, Any]
    cited: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)

    @property
    def question(self) -> str:
        return self.exchange.question


def findings(steps: dict[str, Any], reason: str, feedback: str) -> list[Finding]:
    """The trace's findings, with what only a resident's exchange tells: its scope and feedback."""
    found = trace_findings(steps)
    if reason in REASONS and not steps:
        found.insert(0, (N_("The citizen scope rules sent the question to a person before any search."), ""))
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
