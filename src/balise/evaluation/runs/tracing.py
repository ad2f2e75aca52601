"""The trace of a failed evaluation question (P4): the question asked again now, as the run asked
it, with the trace of the ask task and what the expected documents tell — search missed them, the
reader cited another, or the library no longer holds them — so a manager sees what to fix, fixes it
and asks again."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from balise.assistant import Options, Requester, ask
from balise.assistant.tracing import Finding, policy_of, trace_findings
from balise.errors import NotFound
from balise.evaluation.runs.sets import document_names
from balise.evaluation.runs.tables import EvalRun, EvalRunItem, EvalSet
from balise.i18n import N_
from balise.tenancy import Tenant, visible_classifications


@dataclass
class ItemTrace:
    """A run's question, asked again now: its trace, answer, cited and expected documents."""

    item: EvalRunItem
    steps: dict[str, Any]
    answer: str
    cited: set[str] = field(default_factory=set)
    expected: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)

    @property
    def question(self) -> str:
        return self.item.question


def expected_findings(
    steps: dict[str, Any], expected: set[str], cited: set[str], names: list[str]
) -> list[Finding]:
    """What the expected documents say of the fault."""
    if not names:
        return []
    if not expected:
        return [
            (
                N_("No document of the library bears the expected name any more: it was removed or renamed."),
                "document",
            )
        ]
    returned = {p["document_id"] for p in steps.get("passages", [])}
    if not returned & expected:
        return [
            (
                N_(
                    "The expected document is not among the passages search returned: search is at "
                    "fault. Words of the question may be missing from the document (a synonym, an "
                    "abbreviation): a validated answer, or a sentence added to the document, fixes it."
                ),
                "validated",
            )
        ]
    if not cited & expected:
        return [
            (
                N_(
                    "Search returned the expected document but the reader cited another: the reader "
                    "is at fault."
                ),
                "validated",
            )
        ]
    return []


def item_trace(session: Session, tenant: Tenant, run_id: str, item_id: str) -> ItemTrace:
    """Asks a run's question again now, with the clearance of its set's role, and traces it."""
    item = session.get(EvalRunItem, item_id)
    run = session.get(EvalRun, run_id)
    if item is None or run is None or item.run_id != run.id:
        raise NotFound("This question of an evaluation run does not exist or was deleted.")
    eval_set = session.get(EvalSet, run.set_id) if run.set_id else None
    role = eval_set.role if eval_set is not None else "employee"
    who = Requester(tenant, None, visible_classifications(role), anonymous="evaluation", tool="evaluation")
    result = ask(session, who, item.question)
    if result.status == "warning":  # as the run did: the warning is advice, the employee may go on
        session.rollback()
        result = ask(session, who, item.question, Options(confirmed=True))
    steps = {**result.trace, "policy": policy_of(result), "status": result.status}
    names = document_names(session)
    expected: set[str] = set().union(*(names.get(n.strip().casefold(), set()) for n in item.expected))
    cited = {c.document_id for c in result.citations}
    found = trace_findings(steps) + expected_findings(steps, expected, cited, item.expected)
    return ItemTrace(item, steps, result.text, cited, expected, found)
