"""The trace of a staff answer under review (P4): what the question became after masking, the passages
search returned, the sentence the reader chose and the usage policy's decision, read from the turn the
history kept with the answer, so a reviewer who rejects it sees whether search, the reader, the
library or the policy was at fault, and what fixes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.assistant.models import Turn
from balise.assistant.tracing import Finding, trace_findings
from balise.errors import NotFound
from balise.review import Output, ReviewComment, Status, comments_of

ASK_TASK = "ask"


@dataclass
class OutputTrace:
    """A kept answer's trace: the masked question, the steps of ask, the documents cited, the
    findings, and the reviewer's reason when the answer was rejected."""

    output: Output
    question: str
    steps: dict[str, Any]
    cited: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    rejection: ReviewComment | None = None


def _kept_turn(session: Session, output: Output) -> Turn | None:
    """The history's turn of this answer (it goes with its conversation when that expires)."""
    if output.task != ASK_TASK or not output.conversation_id:
        return None
    turns = session.scalars(select(Turn).where(Turn.conversation_id == output.conversation_id))
    return next((turn for turn in turns if turn.details.get("output_id") == output.id), None)


def has_trace(session: Session, output: Output) -> bool:
    turn = _kept_turn(session, output)
    return turn is not None and bool(turn.details.get("trace"))


def output_trace(session: Session, output: Output) -> OutputTrace:
    """The answer's trace as kept (masked: the reviewer reads placeholders, never the author's values)."""
    turn = _kept_turn(session, output)
    if turn is None or not turn.details.get("trace"):
        raise NotFound(
            "This result has no trace: only answers of the question task keep one, and it is deleted with "
            "the conversation when the history expires. Ask the question again to see how it is answered now."
        )
    details = turn.details
    policy = details.get("policy") or {"outcome": "allow"}
    steps = {**details["trace"], "policy": policy, "status": details.get("status", "")}
    cited = {str(c.get("document_id", "")) for c in details.get("citations", [])}
    rejection = None
    if output.status == Status.REJECTED:
        decisions = [c for c in comments_of(session, output) if c.kind == Status.REJECTED]
        rejection = decisions[-1] if decisions else None
    return OutputTrace(output, turn.request, steps, cited, trace_findings(steps), rejection)
