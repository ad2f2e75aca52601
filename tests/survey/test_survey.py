"""The staff survey's service (G2): the default questionnaire in French, editing only in draft,
anonymous answers (no person stored), the threshold of five, the profile's small groups hidden, the
comparison of two campaigns, and the conformity view's G2 and P7."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, select

from balise.audit.models import AuditEntry
from balise.db import tenant_session
from balise.errors import Invalid
from balise.governance.service import conformity_rows
from balise.i18n import use_locale
from balise.survey import (
    AlreadyAnswered,
    SurveyResponse,
    campaign_results,
    close_campaign,
    compare,
    create_campaign,
    delete_question,
    open_campaign,
    questions_of,
    save_question,
    submit_answers,
)
from balise.survey.tables import SurveyCampaign
from balise.tenancy import Tenant


def _by_key(session: Any, campaign: SurveyCampaign) -> dict[str, Any]:
    return {q.key: q for q in questions_of(session, campaign.id) if q.key}


def _plain(text: str) -> str:
    """Babel writes « 80 % » with a narrow no-break space."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def _answer(session: Any, campaign: SurveyCampaign, **by_key: Any) -> None:
    questions = _by_key(session, campaign)
    submit_answers(session, campaign, {f"q-{questions[k].id}": v for k, v in by_key.items()})


def test_a_campaign_starts_from_the_guides_topics_in_french_and_is_edited_only_in_draft(
    engine: Engine, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    with tenant_session(tenant.id, engine) as session, use_locale("fr"):
        campaign = create_campaign(session, tenant, "Avant le projet pilote", actor="manager")
        questions = questions_of(session, campaign.id)
        assert {q.topic for q in questions} == {
            "tools",
            "tasks",
            "skills",
            "needs",
            "concerns",
            "training",
            "profile",
        }
        tools = _by_key(session, campaign)["tools_used"]
        assert tools.prompt.startswith("Quels outils d’IA") and "Aucun outil d’IA" in tools.choices
        save_question(
            session,
            campaign,
            tools.id,
            {
                "prompt": "Quels outils utilisez-vous ?",
                "kind": "multiple",
                "topic": "tools",
                "choices": "ChatGPT\nCopilot\n\nCopilot\nAucun outil",
            },
            actor="manager",
        )
        assert tools.choices == ["ChatGPT", "Copilot", "Aucun outil"]
        with pytest.raises(Invalid, match="au moins deux choix"):
            save_question(
                session,
                campaign,
                tools.id,
                {"prompt": "Q", "kind": "single", "topic": "tools", "choices": "Seul"},
                actor="manager",
            )
        added = save_question(
            session,
            campaign,
            "",
            {"prompt": "Une idée ?", "kind": "text", "topic": "needs", "choices": "x"},
            actor="manager",
        )
        assert added.choices == [] and questions_of(session, campaign.id)[-1].id == added.id
        delete_question(session, campaign, added.id, actor="manager")
        assert len(questions_of(session, campaign.id)) == len(questions)
        with pytest.raises(Invalid, match="pas encore ouvert"):
            _answer(session, campaign, frequency="Jamais")
        open_campaign(session, campaign, actor="manager")
        with pytest.raises(Invalid, match="avant l’ouverture"):
            delete_question(session, campaign, tools.id, actor="manager")
        copy = create_campaign(session, tenant, "Après", copy_from=campaign.id, actor="manager")
        assert _by_key(session, copy)["tools_used"].prompt == "Quels outils utilisez-vous ?"


def test_answers_are_anonymous_and_shown_from_five_people_up(
    engine: Engine, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    with tenant_session(tenant.id, engine) as session, use_locale("fr"):
        campaign = create_campaign(session, tenant, "État des lieux", actor="manager")
        open_campaign(session, campaign, actor="manager")
        for _ in range(4):
            _answer(
                session,
                campaign,
                tools_used=["ChatGPT", "Microsoft Copilot"],
                frequency="Chaque semaine",
                service="Services sociaux",
            )
        with pytest.raises(Invalid, match="Répondez à au moins une question"):
            submit_answers(session, campaign, {})
        with pytest.raises(Invalid, match="pas parmi les choix"):
            _answer(session, campaign, frequency="Toujours")
        with pytest.raises(AlreadyAnswered):
            submit_answers(session, campaign, {}, answered_before=True)
        count, groups = campaign_results(session, campaign)
        tools = next(g for g in groups if g.topic == "tools")
        assert count == 4 and tools.respondents == 4 and not tools.shown and tools.results == []
        _answer(
            session, campaign, frequency="Jamais", task_time="Les procès-verbaux", service="Services sociaux"
        )
        count, groups = campaign_results(session, campaign)
        tools = next(g for g in groups if g.topic == "tools")
        assert count == 5 and tools.shown
        frequency = next(r for r in tools.results if r.question.key == "frequency")
        assert "<svg" in frequency.svg and "<script" not in frequency.svg and 'role="img"' in frequency.svg
        weekly = next(b for b in frequency.bars if b.label == "Chaque semaine")
        assert weekly.count == 4 and _plain(weekly.share) == "80 %"
        assert next(g for g in groups if g.topic == "skills").shown is False
        tasks = next(g for g in groups if g.topic == "tasks")
        assert not tasks.shown and tasks.respondents == 1
        profile = next(g for g in groups if g.topic == "profile")
        service = profile.results[0]
        assert {b.label: b.count for b in service.bars}["Services sociaux"] == 5
        assert {b.label: b.count for b in service.bars}["Autre service"] is None  # 0 < 5: not told
        columns = {c["name"] for c in inspect(engine).get_columns("survey_responses")}
        assert columns == {"id", "tenant_id", "campaign_id", "answers"}  # no person, no time
        stored = session.scalars(select(SurveyResponse)).all()
        assert all(set(r.answers) <= {q.id for q in questions_of(session, campaign.id)} for r in stored)
        close_campaign(session, campaign, actor="manager")
        audited = session.scalars(
            select(AuditEntry).where(AuditEntry.tenant_id == tenant.id).order_by(AuditEntry.seq)
        ).all()
        assert [e.action for e in audited] == [
            "survey.campaign_created",
            "survey.campaign_opened",
            "survey.campaign_closed",
        ]  # no entry per answer: its time would point at a person in the web logs
        assert audited[-1].details["answers"] == 5
        with pytest.raises(Invalid, match="est fermé"):
            _answer(session, campaign, frequency="Jamais")
        session.commit()
        rows = {row.id: row for row in conformity_rows(session, tenant)}
        assert rows["G2"].status == "in_place" and "5 réponses anonymes" in rows["G2"].evidence
        assert "Services sociaux : 5" in _plain(rows["P7"].evidence)


def test_two_campaigns_compare_side_by_side_only_above_the_threshold(
    engine: Engine, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    with tenant_session(tenant.id, engine) as session, use_locale("fr"):
        before = create_campaign(session, tenant, "Avant", actor="manager")
        after = create_campaign(session, tenant, "Après", copy_from=before.id, actor="manager")
        open_campaign(session, before, actor="manager")
        open_campaign(session, after, actor="manager")
        for i in range(5):
            _answer(
                session, before, knowledge="Aucune connaissance" if i < 4 else "De base", frequency="Jamais"
            )
            _answer(session, after, knowledge="De base" if i < 3 else "Avancée")
        _answer(session, after, knowledge="Avancée")
        comparison = compare(session, before, after)
        knowledge = next(c for c in comparison.compared if c.prompt.startswith("Comment évaluez-vous"))
        rows = {label: (_plain(a), _plain(b)) for label, a, b in knowledge.rows}
        assert rows["Aucune connaissance"] == ("80 %", "0 %") and rows["De base"] == ("20 %", "50 %")
        assert rows["Avancée"] == ("0 %", "50 %") and "<svg" in knowledge.svg
        assert "Outils déjà utilisés" in comparison.hidden  # the tools: 5 before, none after
        assert all(not c.prompt.startswith("Combien de fois") for c in comparison.compared)
