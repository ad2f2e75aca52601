"""The staff survey's public page (G2): opened by the campaign's link, without signing in, answered
anonymously. A cookie per campaign, set once answered, keeps a browser from answering twice; it
holds no identifier, only that this browser answered."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from balise import survey
from balise.db import Session
from balise.errors import BaliseError
from balise.governance.service import public_tenant
from balise.survey.questionnaire import TOPICS
from balise.web.citizen_web import check_rate, client_address
from balise.web.deps import CSRF_COOKIE, get_db
from balise.web.forms import anonymous_form_page, form_of

router = APIRouter(prefix="/public", tags=["public"])
ANSWERED_SECONDS = 365 * 24 * 3600


def _cookie(campaign: survey.SurveyCampaign) -> str:
    return f"balise_sondage_{campaign.id[:12]}"


def _page(
    request: Request,
    db: Session,
    slug: str,
    token: str,
    *,
    error: str = "",
    thanks: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    tenant = public_tenant(db, slug)
    campaign = survey.campaign_by_token(db, token)
    response = anonymous_form_page(
        request,
        "survey/answer.html",
        {
            "tenant": tenant,
            "campaign": campaign,
            "questions": survey.questions_of(db, campaign.id),
            "topics": TOPICS,
            "error": error,
            "thanks": thanks,
            "answered": _cookie(campaign) in request.cookies,
        },
        status_code=status_code,
    )
    response.headers["Referrer-Policy"] = "no-referrer"  # the link is the campaign's key
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/{slug}/sondage/{token}", response_class=HTMLResponse)
def answer_page(request: Request, slug: str, token: str, db: Session = Depends(get_db)) -> HTMLResponse:
    return _page(request, db, slug, token)


@router.post("/{slug}/sondage/{token}", response_class=HTMLResponse)
async def answer(request: Request, slug: str, token: str, db: Session = Depends(get_db)) -> HTMLResponse:
    form = await form_of(request)
    public_tenant(db, slug)
    campaign = survey.campaign_by_token(db, token)
    try:
        check_rate(request, request.cookies.get(CSRF_COOKIE, client_address(request)), "survey")
        survey.submit_answers(db, campaign, form, answered_before=_cookie(campaign) in request.cookies)
    except BaliseError as exc:
        db.rollback()
        return _page(request, db, slug, token, error=exc.localized(), status_code=exc.status)
    db.commit()
    response = _page(request, db, slug, token, thanks=True)
    response.set_cookie(
        _cookie(campaign),
        "1",
        max_age=ANSWERED_SECONDS,
        path=f"/public/{slug}/sondage/{token}",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response
