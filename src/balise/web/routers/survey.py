"""The staff survey pages for managers (G2): campaigns, the questionnaire edited while in draft, the
link to share, results by group (from five people up) and the comparison of two campaigns."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from balise import survey
from balise.db import Session
from balise.errors import NotFound
from balise.survey.questionnaire import KINDS, TOPICS
from balise.tenancy import Role
from balise.web.deps import Principal, tenant_db
from balise.web.forms import form_of, require_any, saved_or_shown_again
from balise.web.templating import render

router = APIRouter(prefix="/gouvernance/sondages", tags=["governance"])
MANAGERS = require_any(Role.MANAGER)
LABELS: dict[str, Any] = {
    "status_labels": survey.STATUS_LABELS,
    "kinds": KINDS,
    "topics": TOPICS,
    "threshold": survey.THRESHOLD,
}


def _list_page(request: Request, db: Session, error: str = "", status_code: int = 200) -> HTMLResponse:
    return render(
        request,
        "survey/campaigns.html",
        {"campaigns": survey.list_campaigns(db), "error": error, **LABELS},
        status_code=status_code,
    )


@router.get("", response_class=HTMLResponse)
def campaigns_page(
    request: Request, _p: Principal = Depends(MANAGERS), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    return _list_page(request, db)


@router.post("", response_model=None)
async def new_campaign(
    request: Request, principal: Principal = Depends(MANAGERS), db: Session = Depends(tenant_db)
) -> Response:
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: survey.create_campaign(
            db,
            principal.tenant,
            str(form.get("name", "")),
            copy_from=str(form.get("copy_from", "")),
            actor=principal.user.id,
        ),
        then=lambda campaign: f"/gouvernance/sondages/{campaign.id}",
        again=lambda error, status: _list_page(request, db, error, status),
    )


def _campaign_page(
    request: Request, db: Session, campaign_id: str, error: str = "", status_code: int = 200
) -> HTMLResponse:
    campaign = survey.get_campaign(db, campaign_id)
    answers, groups = survey.campaign_results(db, campaign)
    base = str(request.base_url).rstrip("/")
    return render(
        request,
        "survey/campaign.html",
        {
            "campaign": campaign,
            "questions": survey.questions_of(db, campaign.id),
            "answers": answers,
            "groups": groups,
            "link": f"{base}/public/{request.state.principal.tenant.slug}/sondage/{campaign.token}",
            "error": error,
            **LABELS,
        },
        status_code=status_code,
    )


@router.get("/comparer", response_class=HTMLResponse)
def comparison_page(
    request: Request,
    avant: str = "",
    apres: str = "",
    _p: Principal = Depends(MANAGERS),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    comparison = survey.compare(db, survey.get_campaign(db, avant), survey.get_campaign(db, apres))
    return render(request, "survey/comparison.html", {"comparison": comparison, **LABELS})


@router.get("/{campaign_id}", response_class=HTMLResponse)
def campaign_page(
    request: Request, campaign_id: str, _p: Principal = Depends(MANAGERS), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    return _campaign_page(request, db, campaign_id)


STATES = {"ouvrir": survey.open_campaign, "fermer": survey.close_campaign}


@router.post("/{campaign_id}/questions", response_model=None)
async def change_question(
    request: Request,
    campaign_id: str,
    principal: Principal = Depends(MANAGERS),
    db: Session = Depends(tenant_db),
) -> Response:
    """Saves, adds (no ``question_id``) or, with the « supprimer » button, deletes a question."""
    form = await form_of(request)
    campaign = survey.get_campaign(db, campaign_id)
    question_id = str(form.get("question_id", ""))

    def save() -> None:
        if form.get("supprimer"):
            survey.delete_question(db, campaign, question_id, actor=principal.user.id)
        else:
            survey.save_question(db, campaign, question_id, form, actor=principal.user.id)

    return saved_or_shown_again(
        db,
        save,
        then=f"/gouvernance/sondages/{campaign_id}",
        again=lambda error, status: _campaign_page(request, db, campaign_id, error, status),
    )


@router.post("/{campaign_id}/{state}", response_model=None)
def change_state(
    request: Request,
    campaign_id: str,
    state: str,
    principal: Principal = Depends(MANAGERS),
    db: Session = Depends(tenant_db),
) -> Response:
    """Opens (``ouvrir``) or closes (``fermer``) the campaign."""
    act = STATES.get(state)
    if act is None:
        raise NotFound("This page does not exist. Go back to the campaign.")
    campaign = survey.get_campaign(db, campaign_id)
    return saved_or_shown_again(
        db,
        lambda: act(db, campaign, actor=principal.user.id),
        then=f"/gouvernance/sondages/{campaign_id}",
        again=lambda error, status: _campaign_page(request, db, campaign_id, error, status),
    )
