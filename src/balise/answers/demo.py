"""The demo municipality's worked example: two validated answers on its citizens' FAQ."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from balise.answers.models import ValidatedAnswer
from balise.answers.service import Draft, create
from balise.db.session import scope_session
from balise.documents import Document
from balise.tenancy import Tenant

FAQ_SOURCE_END = "faq-citoyens.md"
EXAMPLES = (
    (
        "Quelles sont les heures d'ouverture de l'hôtel de ville ?",
        "L'hôtel de ville (100, place de l'Hôtel-de-Ville) est ouvert du lundi au jeudi de 8 h 30 à 12 h "
        "et de 13 h à 16 h 30, et le vendredi de 8 h 30 à 12 h. Il est fermé les jours fériés et du "
        "24 décembre au 2 janvier.",
    ),
    (
        "Quand passe la collecte des ordures et du recyclage ?",
        "Les ordures ménagères sont ramassées toutes les deux semaines : le lundi dans le secteur Nord, le "
        "mardi dans le secteur Sud. Le recyclage (bac bleu) est ramassé chaque mercredi.\n\n"
        "Sortez vos bacs au plus tôt à 19 h la veille et au plus tard à 7 h le jour de la collecte.",
    ),
)


def ensure_demo_answers(session: Session, tenant: Tenant) -> int:
    """Adds the examples once the FAQ is ingested and when the demo has no validated answer yet;
    returns how many were added (the caller commits)."""
    scope_session(session, tenant.id)
    if session.scalar(select(func.count(ValidatedAnswer.id))):
        return 0
    faq = session.scalars(
        select(Document).where(Document.source.endswith(FAQ_SOURCE_END), Document.status == "ready")
    ).first()
    if faq is None:
        return 0
    for question, answer in EXAMPLES:
        create(session, tenant, Draft(question, answer, [faq.id]), actor="demo")
    return len(EXAMPLES)
