"""The demo's worked example (``balise demo``): a closed survey campaign answered by eight invented
staff members, so that a new user sees results above the threshold, a group still hidden and the
participation by group (G2, P7) before running a campaign of their own; and a maturity
self-assessment with its weakest dimensions (G5)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.db import scope_session
from balise.i18n import use_locale
from balise.survey.maturity import history, save_assessment
from balise.survey.service import close_campaign, create_campaign, open_campaign, questions_of, submit_answers
from balise.survey.tables import SurveyCampaign
from balise.tenancy import Tenant

NAME = "État des lieux avant le projet pilote (exemple)"
SOCIAL, WORKS, ADMIN, UNSAID = (
    "Services sociaux",
    "Services techniques et travaux publics",
    "Administration et finances",
    "Je préfère ne pas répondre",
)
ANSWERS: tuple[dict[str, object], ...] = tuple(
    {
        "tools_used": tools,
        "frequency": frequency,
        "knowledge": knowledge,
        "concerns": concerns,
        "training": ["Introduction à l’IA générative", "Protection des données et sécurité"],
        "service": service,
        "gender": gender,
    }
    for tools, frequency, knowledge, concerns, service, gender in (
        (["ChatGPT"], "Chaque semaine", "De base", ["Des réponses erronées"], SOCIAL, "Femme"),
        (
            ["ChatGPT", "Microsoft Copilot"],
            "Chaque jour",
            "Intermédiaire",
            ["Les renseignements personnels"],
            SOCIAL,
            "Femme",
        ),
        (
            ["Aucun outil d’IA"],
            "Jamais",
            "Aucune connaissance",
            ["Des changements dans mon emploi"],
            SOCIAL,
            "Femme",
        ),
        (["Un outil de traduction (DeepL ou un autre)"], "Chaque mois", "De base", [], SOCIAL, "Homme"),
        (["ChatGPT"], "Quelques fois par année", "De base", ["Le coût environnemental"], SOCIAL, "Femme"),
        (["Microsoft Copilot"], "Chaque semaine", "Intermédiaire", [], WORKS, "Homme"),
        (["Aucun outil d’IA"], "Jamais", "Aucune connaissance", ["Un service moins humain"], ADMIN, UNSAID),
        (
            ["ChatGPT", "Le Chat (Mistral)"],
            "Chaque jour",
            "Avancée",
            ["Des réponses erronées"],
            UNSAID,
            "Femme",
        ),
    )
)


MATURITY = {
    "strategy": "2",
    "governance": "3",
    "data": "3",
    "skills": "1",
    "infrastructure": "2",
    "ethics": "3",
}


def ensure_demo_survey(session: Session, tenant: Tenant) -> SurveyCampaign | None:
    """Adds the closed example campaign and the example assessment once (idempotent); the caller
    commits. Returns the campaign made, if any."""
    scope_session(session, tenant.id)
    if not history(session):
        save_assessment(
            session,
            tenant,
            {**MATURITY, "note": "Exemple : autoévaluation avant la campagne de formation."},
            actor="demo",
            example=True,
        )
    if session.scalar(select(SurveyCampaign.id).where(SurveyCampaign.name == NAME)) is not None:
        return None
    with use_locale("fr"):
        campaign = create_campaign(session, tenant, NAME, actor="demo", example=True)
    open_campaign(session, campaign, actor="demo")
    by_key = {q.key: q for q in questions_of(session, campaign.id)}
    for answers in ANSWERS:
        form = {
            f"q-{by_key[key].id}": [v for v in value if v in by_key[key].choices]
            if isinstance(value, list)
            else value
            for key, value in answers.items()
        }
        submit_answers(session, campaign, form)
    close_campaign(session, campaign, actor="demo")
    return campaign
