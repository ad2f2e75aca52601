"""The citizen assistant: one more caller of the assistant's ask task, for residents.

What it adds around :func:`balise.assistant.ask` is only what a resident needs: the question is
masked on arrival, questions that belong to a person are redirected before retrieval, retrieval is
limited to reviewer-approved public documents, every answer carries the AI disclosure and the human
channels, and the exchange is kept (masked) for the retention period. The pipeline itself (policy,
retrieval, guard, gateway, citations, disclosure, audit) is the staff assistant's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.assistant import Options, Requester, SourceView, TaskResult, ask, source_view
from balise.assistant.errors import SourceNotFound
from balise.assistant.tracing import policy_of
from balise.citizen.approvals import approved_document_ids, is_approved
from balise.citizen.channels import human_contact, redirect_message
from balise.citizen.errors import EmptyQuestion, QuestionTooLong
from balise.citizen.masking import mask_resident_text
from balise.citizen.models import CitizenExchange
from balise.citizen.retention import ensure_scheduled
from balise.citizen.scope import Reason, out_of_scope
from balise.documents import Document
from balise.gateway import strip_markers
from balise.i18n import _
from balise.tenancy import CITIZEN_CLASSIFICATIONS, Tenant, tenant_by_slug

MAX_QUESTION_CHARS = 1000
UNKEPT = "[…]"
"""Stored instead of a question the privacy guard could not check: nothing unchecked is kept."""
ACTOR = "citizen"
CAUTION_REASON = "caution"
"""Kept in an answered exchange's ``reason`` (empty for other answers) so the page shows it again."""


def session_hash(session_id: str) -> str:
    return hashlib.sha256(("citizen-session:" + session_id).encode()).hexdigest()


@dataclass(frozen=True)
class PublicCitation:
    """A source of the answer as residents see it: a public link and the document's date."""

    document_id: str
    title: str
    page: int | None
    quote: str
    url: str
    date: str

    def as_contract(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "title": self.title,
            "page": self.page,
            "quote": self.quote,
            "url": self.url,
            "date": self.date,
        }


@dataclass
class CitizenAnswer:
    """The citizen API's answer; ``as_contract`` gives the DESIGN.md keys first."""

    answer: str
    citations: list[PublicCitation]
    disclosure: str
    human_contact: dict[str, Any]
    redirected_to_human: bool
    reason: str = ""
    exchange_id: str = ""
    masked: dict[str, int] = field(default_factory=dict)
    question: str = ""
    caution: bool = False  # the stated answer's support is weak: shown « à vérifier » (added key)
    validated: str = ""  # « Réponse validée le … » when staff checked this answer (added key)

    def as_contract(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "citations": [c.as_contract() for c in self.citations],
            "disclosure": self.disclosure,
            "human_contact": self.human_contact,
            "redirected_to_human": self.redirected_to_human,
            "reason": self.reason,
            "exchange_id": self.exchange_id,
            "masked": dict(self.masked),
            "caution": self.caution,
            "validated": self.validated,
        }


def _check(question: str) -> str:
    question = question.strip()
    if not question:
        raise EmptyQuestion("Your question is empty. Write it in the box, then send it.")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionTooLong(
            "Your question is too long ({n} characters). Keep it under {max} characters, or contact a "
            "person at city hall.",
            n=len(question),
            max=MAX_QUESTION_CHARS,
        )
    return question


def _disclosure(tenant: Tenant, result: TaskResult | None) -> str:
    if result is not None and result.validated is not None:
        checked = _("Answer checked by the staff of {tenant}. Check the cited source, or ask a person.")
        return f"{result.disclosure}. {checked.format(tenant=tenant.name)}"
    text = _(
        "Automatic answer from the AI assistant of {tenant}, not from a person. It can be wrong: check the "
        "cited source, or ask a person."
    ).format(tenant=tenant.name)
    return f"{text} {result.disclosure}" if result is not None and result.disclosure else text


def _citations(session: Session, tenant: Tenant, result: TaskResult) -> list[PublicCitation]:
    ids = {c.document_id for c in result.citations if c.document_id}
    dates: dict[str, datetime] = {
        d.id: d.updated_at for d in session.scalars(select(Document).where(Document.id.in_(ids)))
    }
    shown: list[PublicCitation] = []
    seen: set[tuple[str, int | None]] = set()
    for c in result.citations:
        if not c.document_id or not c.verified or (c.document_id, c.page) in seen:
            continue
        seen.add((c.document_id, c.page))
        url = f"/public/{tenant.slug}/sources/{c.chunk_id}?q={quote(c.quote[:300])}"
        date = dates[c.document_id].date().isoformat() if c.document_id in dates else ""
        shown.append(PublicCitation(c.document_id, c.title, c.page, c.quote, url, date))
    return shown


def _record(
    session: Session,
    tenant: Tenant,
    session_id: str,
    question: str,
    reply: CitizenAnswer,
    trace: dict[str, Any] | None = None,
) -> CitizenAnswer:
    exchange = CitizenExchange(
        trace=trace or {},
        tenant_id=tenant.id,
        session_hash=session_hash(session_id),
        question=question,
        answer=reply.answer,
        outcome="redirected" if reply.redirected_to_human else "answered",
        reason=CAUTION_REASON if reply.caution else reply.reason,
        citations=[c.as_contract() for c in reply.citations],
        masked=reply.masked,
    )
    session.add(exchange)
    session.flush()
    reply.exchange_id = exchange.id
    audit.record(
        session,
        "citizen.asked",
        actor=ACTOR,
        tenant_id=tenant.id,
        target_type="citizen_exchange",
        target_id=exchange.id,
        details={
            "outcome": exchange.outcome,
            "reason": reply.reason,
            "citations": len(reply.citations),
            "masked": reply.masked,
        },
    )
    return reply


def _redirect(tenant: Tenant, reason: Reason, masked: dict[str, int], question: str) -> CitizenAnswer:
    return CitizenAnswer(
        answer=redirect_message(tenant, reason),
        citations=[],
        disclosure=_disclosure(tenant, None),
        human_contact=human_contact(tenant, reason),
        redirected_to_human=True,
        reason=reason,
        masked=masked,
        question=question,
    )


def answer(session: Session, tenant: Tenant, question: str, session_id: str) -> CitizenAnswer:
    """A resident's answer from approved public documents, or the person to reach; the caller commits."""
    question = _check(question)
    ensure_scheduled(session, tenant.id)
    masked = mask_resident_text(session, tenant, question)
    if masked is None:
        return _record(session, tenant, session_id, UNKEPT, _redirect(tenant, "unavailable", {}, UNKEPT))
    scope = out_of_scope(masked.text)
    if scope is not None:
        reply = _redirect(tenant, scope.reason, masked.counts, masked.text)
        return _record(session, tenant, session_id, masked.text, reply)
    result = ask_as_resident(session, tenant, masked.text)
    reason: Reason | None = None
    if result.status == "blocked":
        reason = "policy"
    elif result.status == "unavailable":
        reason = "unavailable"
    citations = _citations(session, tenant, result) if reason is None else []
    if reason is None and not citations:
        reason = "no_answer"
    trace = {**result.trace, "policy": policy_of(result), "status": result.status}
    if reason is not None:
        reply = _redirect(tenant, reason, masked.counts, masked.text)
        return _record(session, tenant, session_id, masked.text, reply, trace)
    reply = CitizenAnswer(
        answer=resident_text(result),
        citations=citations,
        disclosure=_disclosure(tenant, result),
        human_contact=human_contact(tenant),
        redirected_to_human=False,
        masked=masked.counts,
        question=masked.text,
        caution=result.caution,
        validated=(result.notice or "") if result.validated is not None else "",
    )
    return _record(session, tenant, session_id, masked.text, reply, trace)


def ask_as_resident(session: Session, tenant: Tenant, masked_question: str) -> TaskResult:
    """The ask task as a resident runs it: public, reviewer-approved documents only."""
    who = Requester(
        tenant,
        None,
        CITIZEN_CLASSIFICATIONS,
        document_ids=approved_document_ids(session),
        anonymous=ACTOR,
        tool="citizen",
    )
    # A warning asks staff to confirm they know the rule; a resident's question is answered from
    # published information only, so a warning does not stop it (a block does).
    return ask(session, who, masked_question, Options(confirmed=True))


def resident_text(result: TaskResult) -> str:
    """The answer as residents read it: one paragraph per sentence, without markers (sources are
    listed below it), each said once, and never opening on the bare fact (« mardi ») that staff see
    above the sentence saying it."""
    paragraphs: list[str] = []
    for paragraph in result.paragraphs:
        text = " ".join(part.text for part in paragraph)
        if text and text != result.fact and text not in paragraphs:
            paragraphs.append(text)
    return "\n\n".join(paragraphs) or strip_markers(result.text)


def session_exchanges(session: Session, session_id: str, limit: int = 20) -> list[CitizenExchange]:
    """The resident's conversation so far (masked), oldest first, for the page without JavaScript."""
    rows = session.scalars(
        select(CitizenExchange)
        .where(CitizenExchange.session_hash == session_hash(session_id))
        .order_by(CitizenExchange.created_at.desc())
        .limit(limit)
    )
    return list(reversed(list(rows)))


@dataclass(frozen=True)
class PublicSource:
    view: SourceView
    date: str


def public_source(session: Session, chunk_id: str, quote_text: str = "") -> PublicSource:
    """A cited passage for residents: only from an approved public document, with its date.

    The session is a resident's (:func:`open_public`): it reads public documents only.
    """
    view = source_view(session, chunk_id, quote_text)
    if not is_approved(session, view.document_id):
        raise SourceNotFound(
            "This source is not published. It may have been withdrawn; ask a person at city hall."
        )
    document = session.get(Document, view.document_id)
    return PublicSource(view, document.updated_at.date().isoformat() if document else "")


def open_public(session: Session, slug: str) -> Tenant:
    """The municipality of a public address, with ``session`` limited to it and to what residents may read."""
    from balise.db import scope_session

    tenant = tenant_by_slug(session, slug)
    scope_session(session, tenant.id, CITIZEN_CLASSIFICATIONS)
    return tenant
