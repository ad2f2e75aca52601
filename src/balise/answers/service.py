"""Validated answers as staff keep them: written for a frequent question or promoted from an approved
output, edited, re-validated, listed; and what an evaluation set may grow from (the caller commits)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from balise import audit
from balise.answers.errors import AnswerNotFound, AnswerRefused
from balise.answers.matching import question_vector
from balise.answers.models import ValidatedAnswer
from balise.answers.status import ACTIVE, refresh
from balise.bounds import whole_number
from balise.classification import rank
from balise.db import utcnow
from balise.documents import Chunk, Document
from balise.gateway import strip_markers
from balise.review import Output
from balise.review.models import Status as ReviewStatus
from balise.tenancy import Tenant

DEFAULT_VALIDITY_DAYS = 180
MAX_VALIDITY_DAYS = 1095
MAX_QUESTION_CHARS = 1000
MAX_ANSWER_CHARS = 8000


@dataclass(frozen=True)
class Draft:
    """What a person gives for a validated answer: the question, the answer and the documents it rests on."""

    question: str
    answer: str
    document_ids: Sequence[str]
    validity_days: int = DEFAULT_VALIDITY_DAYS


def _masked_question(session: Session, tenant: Tenant, text: str) -> str:
    """The question as stored: masked like a resident's (it is matched against residents' masked text)."""
    # Imported here: the citizen package runs the ask task, which reads the validated answers.
    from balise.citizen.masking import mask_resident_text

    masked = mask_resident_text(session, tenant, text)
    if masked is None:
        raise AnswerRefused(
            "The privacy check is unavailable, so the question was not saved. Try again in a moment."
        )
    return masked.text


def _checked(draft: Draft) -> tuple[str, str, list[str], int]:
    question, answer = " ".join(draft.question.split()), draft.answer.strip()
    if not question or not answer:
        raise AnswerRefused("Write both the question and the answer, then save again.")
    if len(question) > MAX_QUESTION_CHARS or len(answer) > MAX_ANSWER_CHARS:
        raise AnswerRefused(
            "The question must stay under {q} characters and the answer under {a}. Shorten them.",
            q=MAX_QUESTION_CHARS,
            a=MAX_ANSWER_CHARS,
        )
    ids = list(dict.fromkeys(i for i in draft.document_ids if i))
    if not ids:
        raise AnswerRefused("Choose at least one source document the answer rests on.")
    return question, answer, ids, _days(draft.validity_days)


def validity_days(text: str) -> int:
    """The number of days a person typed, checked: 1 to ``MAX_VALIDITY_DAYS``."""
    return _days(whole_number(text, minimum=1, maximum=MAX_VALIDITY_DAYS) or 0)


def _days(days: int) -> int:
    if not 1 <= days <= MAX_VALIDITY_DAYS:
        raise AnswerRefused(
            "An answer stays valid from 1 to {max} days. Choose a number in that range.",
            max=MAX_VALIDITY_DAYS,
        )
    return days


def _sources(session: Session, document_ids: Sequence[str]) -> tuple[list[dict[str, Any]], str]:
    """Each document as the person may read it, with the version checked and its first passage."""
    documents = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(document_ids)))}
    missing = [i for i in document_ids if i not in documents]
    if missing or not document_ids:
        raise AnswerRefused("A chosen source document does not exist or you may not read it. Choose another.")
    sources: list[dict[str, Any]] = []
    for document_id in document_ids:
        document = documents[document_id]
        first = session.scalar(
            select(Chunk).where(Chunk.document_id == document_id).order_by(Chunk.ordinal).limit(1)
        )
        sources.append(
            {
                "document_id": document.id,
                "sha256": document.sha256,
                "title": document.title,
                "page": first.page if first else None,
                "chunk_id": first.id if first else "",
            }
        )
    classification = max((d.classification for d in documents.values()), key=rank)
    return sources, classification


def _fill(session: Session, tenant: Tenant, answer: ValidatedAnswer, draft: Draft, actor: str) -> None:
    question, text, ids, days = _checked(draft)
    answer.question = _masked_question(session, tenant, question)
    answer.answer = text
    answer.sources, answer.classification = _sources(session, ids)
    answer.vector, answer.embedder = question_vector(answer.question)
    _validate(answer, actor, days)


def _validate(answer: ValidatedAnswer, actor: str, days: int) -> None:
    answer.validated_at = utcnow()
    answer.expires_at = answer.validated_at + timedelta(days=days)
    answer.validated_by = actor
    answer.status, answer.status_reason = ACTIVE, ""


def _audit(session: Session, answer: ValidatedAnswer, action: str, actor: str) -> None:
    audit.record(
        session,
        action,
        actor=actor,
        tenant_id=answer.tenant_id,
        target_type="validated_answer",
        target_id=answer.id,
        details={"sources": len(answer.sources), "origin": answer.origin},
    )


def create(
    session: Session, tenant: Tenant, draft: Draft, *, actor: str, output_id: str | None = None
) -> ValidatedAnswer:
    """A new validated answer, active at once, by ``actor``; from an approved output when ``output_id``."""
    answer = ValidatedAnswer(
        tenant_id=tenant.id, origin="review" if output_id else "staff", output_id=output_id
    )
    _fill(session, tenant, answer, draft, actor)
    session.add(answer)
    session.flush()
    _audit(session, answer, "answers.created", actor)
    return answer


def promotable(session: Session, output_id: str) -> Output:
    """An output a reviewer approved, answering a question: the only kind that may become validated."""
    output = session.get(Output, output_id)
    if output is None or output.status != ReviewStatus.APPROVED.value or output.task != "ask":
        raise AnswerRefused("Only an approved answer to a question can become a validated answer.")
    return output


def from_output(session: Session, output: Output) -> Draft:
    """The draft a promotion starts from: the approved text (without markers) and the sources it cites."""
    ids = [s["document_id"] for s in output.provenance.get("sources", []) if s.get("document_id")]
    return Draft("", strip_markers(output.text), ids)


def get(session: Session, answer_id: str) -> ValidatedAnswer:
    answer = session.get(ValidatedAnswer, answer_id)
    if answer is None:
        raise AnswerNotFound("This validated answer does not exist or you may not read it.")
    return answer


def edit(session: Session, tenant: Tenant, answer_id: str, draft: Draft, *, actor: str) -> ValidatedAnswer:
    """New text or sources: checked again by ``actor``, so validated again from today."""
    answer = get(session, answer_id)
    _fill(session, tenant, answer, draft, actor)
    _audit(session, answer, "answers.edited", actor)
    return answer


def revalidate(
    session: Session, answer_id: str, *, actor: str, days: int = DEFAULT_VALIDITY_DAYS
) -> ValidatedAnswer:
    """``actor`` checked the answer against its sources as they are today: served again from now."""
    answer = get(session, answer_id)
    answer.sources, answer.classification = _sources(session, [s["document_id"] for s in answer.sources])
    _validate(answer, actor, _days(days))
    _audit(session, answer, "answers.revalidated", actor)
    return answer


def listing(session: Session) -> list[ValidatedAnswer]:
    """Every validated answer the session may read, statuses brought up to date, those needing staff first."""
    answers = refresh(session, list(session.scalars(select(ValidatedAnswer))))
    return sorted(answers, key=lambda a: (a.status == ACTIVE, a.expires_at))


def status_counts(session: Session) -> Counter[str]:
    """How many validated answers of each status the session's municipality has."""
    rows = session.execute(select(ValidatedAnswer.status, func.count()).group_by(ValidatedAnswer.status))
    return Counter({status: count for status, count in rows})


@dataclass(frozen=True)
class ValidatedItem:
    """A validated answer as an evaluation item: the question, the documents expected, the answer."""

    answer_id: str
    question: str
    source_ids: tuple[str, ...]
    answer: str


def validated_items(session: Session) -> list[ValidatedItem]:
    """The active validated answers of the session's municipality, for growing an evaluation set."""
    answers = refresh(session, list(session.scalars(select(ValidatedAnswer))))
    return [
        ValidatedItem(a.id, a.question, tuple(s["document_id"] for s in a.sources), a.answer)
        for a in answers
        if a.status == ACTIVE
    ]
