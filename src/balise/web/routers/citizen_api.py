"""The citizen JSON API (DESIGN.md stable contract) used by the embeddable widget.

``POST /api/public/{slug}/ask`` with ``{question, session_id}`` answers ``{answer, citations,
disclosure, human_contact, redirected_to_human}`` (plus ``reason`` and ``exchange_id``). Browsers may
call it from Balise itself or from the sites the municipality allowed (CORS); any other origin is
refused before anything runs. The widget collects consent before its first call.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from balise import citizen
from balise.citizen.service import MAX_QUESTION_CHARS
from balise.errors import BaliseError
from balise.i18n import _
from balise.tenancy import public_contact
from balise.web.citizen_web import PublicDb, check_rate, tenant_of

router = APIRouter(tags=["citizen api"])

ACTIONS = ("ask", "feedback", "escalate", "config")


class AskBody(BaseModel):
    question: str = Field(max_length=MAX_QUESTION_CHARS * 4)
    session_id: str = Field(min_length=8, max_length=100)


class FeedbackBody(BaseModel):
    session_id: str = Field(min_length=8, max_length=100)
    exchange_id: str = Field(max_length=32)
    value: str = Field(max_length=16)
    message: str = Field(default="", max_length=4000)


class EscalateBody(BaseModel):
    session_id: str = Field(min_length=8, max_length=100)
    message: str = Field(default="", max_length=4000)
    contact: str = Field(default="", max_length=300)


def _own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


def _cors(request: Request, response: Response) -> Response:
    """Echoes an allowed Origin; refuses the call (403) from any other site."""
    origin = request.headers.get("origin")
    settings = citizen.load_citizen_settings(tenant_of(request))
    if not citizen.origin_allowed(settings, origin, _own_origin(request)):
        response = JSONResponse(
            {
                "error": "origin_not_allowed",
                "message": _(
                    "This site may not use the municipality's assistant. The municipality can allow it in "
                    "Balise's citizen-assistant settings."
                ),
            },
            status_code=403,
        )
    elif origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept-Language"
        response.headers["Access-Control-Max-Age"] = "600"
    response.headers["Vary"] = "Origin"
    return response


def _json(request: Request, data: dict[str, Any], status_code: int = 200) -> Response:
    return _cors(request, JSONResponse(data, status_code=status_code))


def _failure(request: Request, exc: BaliseError) -> Response:
    return _json(request, {"error": exc.code, "message": exc.localized()}, exc.status)


@router.options("/api/public/{slug}/{action}", include_in_schema=False)
def preflight(request: Request, db: PublicDb, action: str) -> Response:
    return _cors(request, Response(status_code=204 if action in ACTIONS else 404))


@router.post("/api/public/{slug}/ask")
def ask(request: Request, db: PublicDb, body: AskBody) -> Response:
    """A resident's question: an answer from published documents, or the person to reach."""
    origin_check = _cors(request, Response())
    if origin_check.status_code == 403:
        return origin_check
    try:
        check_rate(request, body.session_id)
        reply = citizen.answer(db, tenant_of(request), body.question, body.session_id)
    except BaliseError as exc:
        db.rollback()
        return _failure(request, exc)
    db.commit()
    return _json(request, reply.as_contract())


@router.post("/api/public/{slug}/feedback")
def feedback(request: Request, db: PublicDb, body: FeedbackBody) -> Response:
    origin_check = _cors(request, Response())
    if origin_check.status_code == 403:
        return origin_check
    try:
        check_rate(request, body.session_id, "feedback")
        created = citizen.give_feedback(
            db, tenant_of(request), body.session_id, body.exchange_id, body.value, body.message
        )
    except BaliseError as exc:
        db.rollback()
        return _failure(request, exc)
    db.commit()
    data: dict[str, Any] = {"recorded": True}
    if created is not None:
        data.update(_created(request, created))
    return _json(request, data)


def _created(request: Request, created: citizen.Created) -> dict[str, Any]:
    slug = tenant_of(request).slug
    return {
        "reference": created.request.reference,
        "follow_up_url": f"{_own_origin(request)}/public/{slug}/suivi/{created.token}",
        "reply_days": created.reply_days,
        "message": _(
            "Your request {reference} was sent to a person at city hall, who will answer within {days} "
            "working days on the follow-up page, or by the contact you gave."
        ).format(reference=created.request.reference, days=created.reply_days),
    }


@router.post("/api/public/{slug}/escalate")
def escalate(request: Request, db: PublicDb, body: EscalateBody) -> Response:
    """« Parler à une personne »: a request for staff with the conversation (pseudonymised)."""
    origin_check = _cors(request, Response())
    if origin_check.status_code == 403:
        return origin_check
    try:
        check_rate(request, body.session_id)
        created = citizen.escalate(
            db, tenant_of(request), body.session_id, message=body.message, contact=body.contact
        )
    except BaliseError as exc:
        db.rollback()
        return _failure(request, exc)
    db.commit()
    return _json(request, _created(request, created))


@router.get("/api/public/{slug}/config")
def config(request: Request, db: PublicDb) -> Response:
    """What the widget shows before any question: the AI statement, consent texts and human channels."""
    tenant = tenant_of(request)
    base = f"{_own_origin(request)}/public/{tenant.slug}"
    contact = public_contact(tenant)
    return _json(
        request,
        {
            "tenant": tenant.name,
            "max_chars": MAX_QUESTION_CHARS,
            "contact": citizen.human_contact(tenant),
            "links": {
                "page": base + "/assistant",
                "person": base + "/personne",
                "complaint": base + "/plainte",
            },
            "texts": {
                "open": _("Virtual assistant"),
                "close": _("Close"),
                "title": _("Virtual assistant of {tenant}").format(tenant=tenant.name),
                "ai_statement": _(
                    "You are about to talk with an artificial intelligence (AI) system, not a person."
                ),
                "can": _(
                    "It can answer general questions from the municipality's published information, "
                    "with a link to each source."
                ),
                "cannot": _(
                    "It cannot see your file, take a request, make a decision or handle an emergency, "
                    "and it can be wrong."
                ),
                "privacy": _(
                    "Do not type personal information: it is masked, and conversations are deleted after "
                    "{days} days."
                ).format(days=citizen.load_citizen_settings(tenant).retention_days),
                "consent": _("I understand, use the assistant"),
                "decline": _("No thanks, talk to a person"),
                "question": _("Your question"),
                "send": _("Send"),
                "sources": _("Sources"),
                "useful": _("Useful"),
                "not_useful": _("Not useful"),
                "problem": _("Report a problem"),
                "thanks": _("Thank you for your feedback."),
                "person": _("Talk to a person"),
                "phone": _("Phone"),
                "email": _("E-mail"),
                "address": _("Counter"),
                "hours": _("Opening hours"),
                "emergency": _("Emergency"),
                "write": _("Write to a person"),
                "complaint": _("Complaint about this AI tool"),
                "waiting": _("Searching the published information…"),
                "error": _("The assistant cannot answer right now. A person can help you."),
                "published": _("published"),
                "caution": _("To verify:")
                + " "
                + _(
                    "the document found speaks only partly of your question. Check the source, or ask a "
                    "person at city hall."
                ),
            },
            "emergency_phone": contact.emergency_phone or "911",
        },
    )
