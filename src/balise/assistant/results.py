"""What a task returns: the answer, its sources and checks, and everything the person must be told."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from balise.assistant.revision import Diagnostic
from balise.gateway import Footprint
from balise.inclusive import TitleFinding
from balise.text import Segment

Task = Literal["ask", "summarise", "draft", "revise"]
TASKS: tuple[Task, ...] = ("ask", "summarise", "draft", "revise")
Status = Literal["done", "blocked", "warning", "unavailable"]


@dataclass(frozen=True)
class ShownCitation:
    """A numbered source of the answer; ``verified`` is False when its quote is not found in the source."""

    number: int
    chunk_id: str
    document_id: str
    title: str
    page: int | None
    quote: str
    verified: bool = True

    def as_contract(self) -> dict[str, Any]:
        """The citation keys of the ``balise ask --json`` contract (docs/architecture.md)."""
        return {"document_id": self.document_id, "title": self.title, "page": self.page, "quote": self.quote}


@dataclass(frozen=True)
class AnswerPart:
    """A sentence of the answer, the sources it cites, and whether they support it (else "à vérifier")."""

    text: str
    numbers: tuple[int, ...] = ()
    supported: bool = True
    new_paragraph: bool = False  # the answer starts a paragraph here (a blank line before it)


@dataclass(frozen=True)
class PolicyNote:
    outcome: str
    explanation: str
    requirement: str
    decision_id: str | None

    @property
    def contest_url(self) -> str:
        return f"/politique/contestation?decision={self.decision_id}" if self.decision_id else ""


@dataclass(frozen=True)
class Readability:
    """Kandel–Moles reading ease of the result (higher is easier) and its plain-words level."""

    score: float
    level: str


@dataclass(frozen=True)
class ValidatedMark:
    """Served from a validated answer (``balise.answers``): which, when checked, how close the question."""

    answer_id: str
    validated_at: datetime
    score: float


@dataclass
class TaskResult:
    task: Task
    status: Status
    request: str
    text: str = ""
    parts: list[AnswerPart] = field(default_factory=list)
    citations: list[ShownCitation] = field(default_factory=list)
    backend: str = ""
    kind: str = ""
    model: str = ""
    notice: str | None = None
    label: str | None = None
    footprint: Footprint = field(default_factory=Footprint)
    masked: dict[str, int] = field(default_factory=dict)
    disclosure: str = ""
    provenance: dict[str, Any] = field(default_factory=dict)
    output_id: str | None = None
    conversation_id: str | None = None
    policy: PolicyNote | None = None
    message: str = ""
    readability: Readability | None = None
    changes: list[Segment] | None = None
    diagnostics: list[Diagnostic] | None = None
    options: dict[str, Any] = field(default_factory=dict)
    caution: bool = False  # the extractive reader's support for the stated fact is weak
    fact: str = ""  # the bare fact that opens an extractive answer, before the sentences saying it
    titles: list[TitleFinding] = field(default_factory=list)  # a job posting's masculine-only titles
    validated: ValidatedMark | None = None  # served from a validated answer
    trace: dict[str, Any] = field(default_factory=dict)  # how ask reached the answer (assistant/tracing.py)

    @property
    def to_verify(self) -> int:
        return sum(1 for part in self.parts if not part.supported)

    @property
    def paragraphs(self) -> list[list[AnswerPart]]:
        """The parts grouped as the answer lays them out: the fact, then each supporting sentence."""
        grouped: list[list[AnswerPart]] = []
        for part in self.parts:
            if part.new_paragraph or not grouped:
                grouped.append([])
            grouped[-1].append(part)
        return grouped

    def as_json(self) -> dict[str, Any]:
        """The API and CLI shape: the ``balise ask`` contract keys first, then the rest of the story."""
        data: dict[str, Any] = {
            "answer": self.text,
            "citations": [c.as_contract() for c in self.citations],
            "backend": self.backend,
            "disclosure": self.disclosure,
            "masked": dict(self.masked),
            "status": self.status,
            "task": self.task,
            "notice": self.notice,
            "model": self.model,
            "kind": self.kind,
            "footprint": {
                "tokens_in": self.footprint.tokens_in,
                "tokens_out": self.footprint.tokens_out,
                "wh": self.footprint.wh,
                "gco2e": self.footprint.gco2e,
            },
            "to_verify": [part.text for part in self.parts if not part.supported],
            "caution": self.caution,
            "provenance": self.provenance,
            "output_id": self.output_id,
            "conversation_id": self.conversation_id,
        }
        if self.policy is not None:
            data["policy"] = {
                "outcome": self.policy.outcome,
                "explanation": self.policy.explanation,
                "requirement": self.policy.requirement,
                "decision_id": self.policy.decision_id,
                "contest_url": self.policy.contest_url or None,
            }
        if self.message:
            data["message"] = self.message
        if self.validated is not None:
            data["validated"] = {
                "answer_id": self.validated.answer_id,
                "validated_at": self.validated.validated_at.isoformat(),
                "score": self.validated.score,
            }
        if self.readability is not None:
            data["readability"] = {"kandel_moles": self.readability.score, "level": self.readability.level}
        if self.changes is not None:
            data["changes"] = [{"op": s.op, "text": s.text} for s in self.changes]
        if self.titles:
            data["masculine_titles"] = [
                {"masculine": t.masculine, "feminine": t.feminine, "hint": t.hint} for t in self.titles
            ]
        if self.diagnostics is not None:
            data["diagnostics"] = [
                {"kind": d.kind, "excerpt": d.excerpt, "advice": d.advice, "rewritten": d.rewritten}
                for d in self.diagnostics
            ]
        return data

    def details(self) -> dict[str, Any]:
        """What the history keeps to show this result again (the answer text is stored beside it)."""
        data = self.as_json()
        data.pop("answer")
        data["citations"] = [
            {**c.as_contract(), "number": c.number, "chunk_id": c.chunk_id, "verified": c.verified}
            for c in self.citations
        ]
        data["parts"] = [
            {
                "text": p.text,
                "numbers": list(p.numbers),
                "supported": p.supported,
                "new_paragraph": p.new_paragraph,
            }
            for p in self.parts
        ]
        data["fact"] = self.fact
        data["label"] = self.label
        data["options"] = self.options
        if self.trace:  # how ask reached it: a reviewer who rejects the answer reads it (output_trace.py)
            data["trace"] = self.trace
        return data
