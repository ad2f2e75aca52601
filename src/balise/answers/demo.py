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
        "Faut-il un permis pour abattre un arbre ?",
        "Oui. Un certificat d'autorisation, gratuit, est nécessaire pour abattre un arbre dont le tronc "
        "mesure plus de 10 cm de diamètre à 1,3 m du sol.",
    ),
    (
        "Quand ont lieu les inscriptions aux activités de loisirs ?",
        "Les inscriptions à la programmation d'automne ont lieu du 15 au 31 août, celles de l'hiver du "
        "1er au 15 décembre, et celles du camp de jour à partir du 1er avril.\n\n"
        "Elles se font en ligne sur le portail Loisirs ou au centre communautaire.",
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
