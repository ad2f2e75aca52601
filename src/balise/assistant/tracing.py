"""A compact trace of how the ask task reached its answer (P4), for tracing an error to its source.

It says which validated answer came closest (and whether it was close enough), which passages search
returned with their scores, and what the reader made of them (its backend, confidence, the bare fact,
caution, the quotes it chose). It holds ids, scores and passages of the library, never the asker's
words: the caller stores it beside the masked question, under that question's retention.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from balise.answers import Match
from balise.assistant.results import TaskResult
from balise.gateway import Completion
from balise.i18n import N_

QUOTE_CHARS = 300
NEAR_MISS = 0.05
"""A validated answer this close below its threshold is worth a look: it may answer the question."""
LOW_CONFIDENCE = 0.5

Finding = tuple[str, str]
"""(what the trace shows, an English msgid; the fix it calls for, one of ``FIXES`` or empty)."""
FIXES = {
    "validated": N_("Write a validated answer for this question"),
    "document": N_("Add or publish a document that answers it"),
    "policy": N_("Review the usage policy's rule"),
}


def considered(result: TaskResult, match: Match | None) -> None:
    """The closest validated answer, its score and the threshold it had to reach."""
    if match is not None:
        result.trace["validated"] = {
            "answer_id": match.answer.id,
            "question": match.answer.question,
            "score": match.score,
            "threshold": match.threshold,
            "served": match.served,
            "validated_at": match.answer.validated_at.date().isoformat(),
        }


def searched(result: TaskResult, asked: str, hits: Sequence[Any]) -> None:
    """What search was given and the passages it returned, in order, with their fused scores."""
    result.trace["searched"] = asked
    result.trace["passages"] = [
        {
            "rank": n,
            "chunk_id": hit.chunk_id,
            "document_id": hit.document_id,
            "title": hit.title,
            "page": hit.page,
            "score": round(float(hit.score), 4),
        }
        for n, hit in enumerate(hits, start=1)
    ]


def read(result: TaskResult, completion: Completion) -> None:
    """What the reader (or model) answered from: its kind, confidence, fact, caution and chosen quotes."""
    result.trace["reader"] = {
        "backend": completion.backend,
        "kind": completion.kind,
        "confidence": None if completion.confidence is None else round(completion.confidence, 4),
        "fact": completion.fact,
        "caution": completion.caution,
        "quotes": [
            {"chunk_id": c.chunk_id, "quote": c.quote[:QUOTE_CHARS]} for c in completion.citations[:3]
        ],
    }


def policy_of(result: TaskResult) -> dict[str, Any]:
    """The usage policy's decision on the question: allow, or the rule that warned or blocked."""
    note = result.policy
    if note is None:
        return {"outcome": "allow"}
    return {"outcome": note.outcome, "requirement": note.requirement, "explanation": note.explanation}


def trace_findings(steps: dict[str, Any]) -> list[Finding]:
    """Where an answer went wrong, step by step, as far as its trace tells (the callers add what they
    alone know: a resident's feedback, an evaluation's expected document)."""
    found: list[Finding] = []
    if steps.get("policy", {}).get("outcome") == "block":
        found.append((N_("The usage policy blocked the question."), "policy"))
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
    return found
