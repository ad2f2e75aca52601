"""Staff survey campaigns (G2): created by a manager from the default questionnaire (or another
campaign's questions, so before and after compare), edited while in draft, opened with a public link,
answered anonymously, closed.

Anonymity: an answer is stored with its campaign only — no account, session, address or time. To
keep a person from answering twice by accident, the public page sets a cookie per campaign once
answered and refuses a second answer from that browser; this is honest but not proof against a
person who clears cookies or uses a second device, which one shared link cannot prevent without
tying answers to people. An answer is not audited one by one: an audit entry's time and request id
would tie it to the web logs; the number of answers is audited when the campaign closes.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from balise import audit
from balise.bounds import check_length
from balise.db.base import utcnow
from balise.errors import BaliseError, Invalid, NotFound
from balise.i18n import N_, gettext_
from balise.survey.questionnaire import DEFAULTS, KINDS, MULTIPLE, TEXT, TOPICS
from balise.survey.tables import SurveyCampaign, SurveyQuestion, SurveyResponse
from balise.tenancy import Tenant

DRAFT, OPEN, CLOSED = "draft", "open", "closed"
STATUS_LABELS: dict[str, str] = {DRAFT: N_("In preparation"), OPEN: N_("Open"), CLOSED: N_("Closed")}
MAX_NAME = 120
MAX_PROMPT = 500
MAX_CHOICES = 20
MAX_TEXT_ANSWER = 2000


class AlreadyAnswered(BaliseError):
    status = 409
    code = "already_answered"


def create_campaign(
    session: Session, tenant: Tenant, name: str, *, actor: str, copy_from: str = "", example: bool = False
) -> SurveyCampaign:
    """A draft campaign with the default questionnaire in the current language, or the questions of
    ``copy_from`` (another campaign of the municipality)."""
    name = name.strip()
    if not name:
        raise Invalid("Give the campaign a name, for example “Before the pilot”.")
    check_length(name, MAX_NAME, gettext_(N_("Name")))
    campaign = SurveyCampaign(
        tenant_id=tenant.id, name=name, token=secrets.token_urlsafe(24), status=DRAFT, example=example
    )
    session.add(campaign)
    session.flush()
    if copy_from:
        source = questions_of(session, get_campaign(session, copy_from).id)
        rows = [(q.key, q.topic, q.kind, q.prompt, list(q.choices)) for q in source]
    else:
        rows = [
            (d.key, d.topic, d.kind, gettext_(d.prompt), [gettext_(c) for c in d.choices]) for d in DEFAULTS
        ]
    for position, (key, topic, kind, prompt, choices) in enumerate(rows):
        session.add(
            SurveyQuestion(
                tenant_id=tenant.id,
                campaign_id=campaign.id,
                position=position,
                key=key,
                topic=topic,
                kind=kind,
                prompt=prompt,
                choices=choices,
            )
        )
    session.flush()
    _audit(session, campaign, "survey.campaign_created", actor, questions=len(rows))
    return campaign


def _audit(session: Session, campaign: SurveyCampaign, action: str, actor: str, **details: Any) -> None:
    audit.record(
        session,
        action,
        actor=actor,
        tenant_id=campaign.tenant_id,
        target_type="survey_campaign",
        target_id=campaign.id,
        details=details,
    )


def get_campaign(session: Session, campaign_id: str) -> SurveyCampaign:
    campaign = session.get(SurveyCampaign, campaign_id)
    if campaign is None:
        raise NotFound("This survey campaign does not exist in this municipality. Go back to the list.")
    return campaign


def list_campaigns(session: Session) -> list[tuple[SurveyCampaign, int]]:
    """The municipality's campaigns, newest first, each with its number of answers."""
    counts = dict(
        session.execute(
            select(SurveyResponse.campaign_id, func.count()).group_by(SurveyResponse.campaign_id)
        ).all()
    )
    campaigns = session.scalars(select(SurveyCampaign).order_by(SurveyCampaign.created_at.desc()))
    return [(c, int(counts.get(c.id, 0))) for c in campaigns]


def questions_of(session: Session, campaign_id: str) -> list[SurveyQuestion]:
    return list(
        session.scalars(
            select(SurveyQuestion)
            .where(SurveyQuestion.campaign_id == campaign_id)
            .order_by(SurveyQuestion.position)
        )
    )


def responses_of(session: Session, campaign_id: str) -> list[SurveyResponse]:
    return list(session.scalars(select(SurveyResponse).where(SurveyResponse.campaign_id == campaign_id)))


def _editable(campaign: SurveyCampaign) -> None:
    if campaign.status != DRAFT:
        raise Invalid(
            "The questionnaire can only be changed before the campaign opens: answers already given "
            "would no longer match. Create a new campaign with the same questions to change them."
        )


def _question_fields(form: Mapping[str, Any]) -> tuple[str, str, str, list[str]]:
    prompt = str(form.get("prompt", "")).strip()
    if not prompt:
        raise Invalid("Write the question.")
    check_length(prompt, MAX_PROMPT, gettext_(N_("Question")))
    kind = str(form.get("kind", ""))
    if kind not in KINDS:
        raise Invalid("Choose the kind of answer from the list.")
    topic = str(form.get("topic", ""))
    if topic not in TOPICS:
        raise Invalid("Choose the question's group from the list.")
    choices = list(dict.fromkeys(c.strip() for c in str(form.get("choices", "")).splitlines() if c.strip()))
    if kind == TEXT:
        choices = []
    elif len(choices) < 2:
        raise Invalid("Give at least two choices, one per line.")
    elif len(choices) > MAX_CHOICES:
        raise Invalid("Give at most {max} choices.", max=MAX_CHOICES)
    for choice in choices:
        check_length(choice, MAX_PROMPT, gettext_(N_("Choices")))
    return prompt, kind, topic, choices


def save_question(
    session: Session, campaign: SurveyCampaign, question_id: str, form: Mapping[str, Any], *, actor: str
) -> SurveyQuestion:
    """Changes a question (``question_id``) or adds one (empty id) while the campaign is a draft."""
    _editable(campaign)
    prompt, kind, topic, choices = _question_fields(form)
    if question_id:
        question = _question(session, campaign, question_id)
    else:
        last = session.scalar(
            select(func.max(SurveyQuestion.position)).where(SurveyQuestion.campaign_id == campaign.id)
        )
        question = SurveyQuestion(
            tenant_id=campaign.tenant_id, campaign_id=campaign.id, position=(last or 0) + 1
        )
        session.add(question)
    question.prompt, question.kind, question.topic, question.choices = prompt, kind, topic, choices
    session.flush()
    action = "survey.question_changed" if question_id else "survey.question_added"
    _audit(session, campaign, action, actor, question=question.id)
    return question


def _question(session: Session, campaign: SurveyCampaign, question_id: str) -> SurveyQuestion:
    question = session.get(SurveyQuestion, question_id)
    if question is None or question.campaign_id != campaign.id:
        raise NotFound("This question is not in the campaign. Reload the page.")
    return question


def delete_question(session: Session, campaign: SurveyCampaign, question_id: str, *, actor: str) -> None:
    _editable(campaign)
    session.delete(_question(session, campaign, question_id))
    session.flush()
    _audit(session, campaign, "survey.question_deleted", actor, question=question_id)


def open_campaign(session: Session, campaign: SurveyCampaign, *, actor: str) -> None:
    """From draft to open: the public link starts accepting answers."""
    if campaign.status != DRAFT:
        raise Invalid("Only a draft campaign can be opened.")
    if not questions_of(session, campaign.id):
        raise Invalid("Add at least one question before opening the campaign.")
    campaign.status, campaign.opened_at = OPEN, utcnow()
    _audit(session, campaign, "survey.campaign_opened", actor)


def close_campaign(session: Session, campaign: SurveyCampaign, *, actor: str) -> None:
    if campaign.status != OPEN:
        raise Invalid("Only an open campaign can be closed.")
    campaign.status, campaign.closed_at = CLOSED, utcnow()
    _audit(
        session, campaign, "survey.campaign_closed", actor, answers=len(responses_of(session, campaign.id))
    )


def campaign_by_token(session: Session, token: str) -> SurveyCampaign:
    """The campaign of a public link (the session is scoped to the link's municipality)."""
    campaign = session.scalar(select(SurveyCampaign).where(SurveyCampaign.token == token[:64]))
    if campaign is None or not token:
        raise NotFound(
            "This survey link is not valid. Check that it was copied whole, or ask the person who sent it."
        )
    return campaign


def _answer_of(question: SurveyQuestion, raw: Any) -> str | list[str] | None:
    given = raw if isinstance(raw, list) else [] if raw is None else [raw]
    values = [str(v).strip() for v in given if str(v).strip()]
    if not values:
        return None
    if question.kind == TEXT:
        check_length(values[0], MAX_TEXT_ANSWER, question.prompt)
        return values[0]
    if any(v not in question.choices for v in values):
        raise Invalid("An answer is not among the question's choices. Reload the page and answer again.")
    if question.kind == MULTIPLE:
        return list(dict.fromkeys(values))
    return values[0]


def submit_answers(
    session: Session, campaign: SurveyCampaign, form: Mapping[str, Any], *, answered_before: bool = False
) -> SurveyResponse:
    """Stores one anonymous response: fields ``q-<question id>``; unanswered questions are left out.
    ``answered_before``: this browser carries the campaign's cookie of an answer already given."""
    if campaign.status == DRAFT:
        raise Invalid("This survey is not open yet. Come back once it opens.", status=409)
    if campaign.status == CLOSED:
        raise Invalid("This survey is closed: thank you, answers are no longer collected.", status=409)
    if answered_before:
        raise AlreadyAnswered("You have already answered this survey from this browser: thank you.")
    answers: dict[str, Any] = {}
    for question in questions_of(session, campaign.id):
        value = _answer_of(question, form.get(f"q-{question.id}"))
        if value is not None:
            answers[question.id] = value
    if not answers:
        raise Invalid("Answer at least one question before sending.")
    response = SurveyResponse(tenant_id=campaign.tenant_id, campaign_id=campaign.id, answers=answers)
    session.add(response)
    session.flush()
    return response
