"""A question the municipality already answered: the validated answer, served as its staff checked it.

The ask task looks here before searching: when a validated answer matches closely enough (see
``balise.answers.matching``), the person gets that answer with its sources and its validation date,
and nothing is sent to a model. The usage policy has already read the question (the pipeline runs it
first), and the serving is audited.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from balise import audit
from balise.answers import Match
from balise.assistant.pipeline import Requester
from balise.assistant.results import AnswerPart, ShownCitation, TaskResult, ValidatedMark
from balise.formatting import day
from balise.i18n import _

BACKEND = "validated"


def validated_notice(validated_at_day: str) -> str:
    """« Réponse validée le 7 décembre 2026 », in the reader's language."""
    return _("Validated answer on {date}").format(date=validated_at_day)


def serve(session: Session, who: Requester, result: TaskResult, match: Match) -> None:
    """Fills ``result`` with the validated answer of ``match`` and audits it; the caller commits."""
    answer = match.answer
    numbers = tuple(range(1, len(answer.sources) + 1))
    paragraphs = [p.strip() for p in answer.answer.split("\n\n") if p.strip()]
    result.text = answer.answer
    result.parts = [
        AnswerPart(text, numbers if n == len(paragraphs) - 1 else (), True, n > 0)
        for n, text in enumerate(paragraphs)
    ]
    result.citations = [
        ShownCitation(n, s["chunk_id"], s["document_id"], s["title"], s["page"], "", True)
        for n, s in enumerate(answer.sources, start=1)
    ]
    result.backend = result.kind = BACKEND
    notice = validated_notice(day(answer.validated_at))
    result.notice = result.disclosure = notice
    result.label = _("Validated answer")
    result.validated = ValidatedMark(answer.id, answer.validated_at, match.score)
    audit.record(
        session,
        "answers.served",
        actor=who.actor,
        tenant_id=who.tenant.id,
        target_type="validated_answer",
        target_id=answer.id,
        details={"score": match.score, "citations": len(result.citations), "tool": who.tool},
    )
