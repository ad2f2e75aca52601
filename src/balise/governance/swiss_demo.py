"""A worked Swiss example (L2): turns a municipality Swiss (Valais, LIPDA), writes its register of
processing activities from the AI register and a complete data-protection impact assessment per AI
system. ``balise demo`` keeps its one Quebec municipality; this is for a test or a second, Swiss one.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.governance.dpia import save_dpia
from balise.governance.models import AISystem, SystemStatus
from balise.governance.processing import list_activities, prefill, save_activity
from balise.tenancy import Tenant
from balise.tenancy.jurisdiction import SWITZERLAND, save_jurisdiction

LIPDA = "Loi sur l'information du public, la protection des données et l'archivage (LIPDA, Valais)"
COMPLETION = {
    "controller": "Commune, administration communale; conseiller à la protection des données de la commune.",
    "data_subjects": "Habitantes et habitants qui écrivent à la commune; personnel communal.",
    "data_categories": "Identité et coordonnées; contenu des demandes; aucune donnée sensible visée.",
    "recipients": "Personnel communal autorisé; aucun tiers sans base légale.",
    "security": "Accès par rôle, masquage des données personnelles avant tout modèle, journal d'audit, "
    "chiffrement des données des habitants.",
    "abroad_guarantees": "Pays à protection adéquate (annexe 1 de l'OPDo); clauses contractuelles types.",
}
DPIA = {
    "description": "Réponses aux questions des habitants et rédaction de courriers à partir des documents "
    "de la commune; le personnel relit chaque réponse.",
    "high_risk": "no",
    "risks": "Erreur de contenu; divulgation de données personnelles dans un texte généré.",
    "measures": "Masquage avant tout modèle, relecture humaine, réponses validées, journal d'audit.",
    "residual_risk": "low",
}


def make_swiss_example(session: Session, tenant: Tenant, *, actor: str = "demo") -> int:
    """Switzerland (VS), one complete register entry and assessment per AI system; returns the entries."""
    save_jurisdiction(session, tenant, SWITZERLAND, canton="VS", cantonal_law=LIPDA, actor=actor)
    prefill(session, tenant, actor=actor)
    for activity in list_activities(session):
        form = {name: getattr(activity, name) for name in ("name", "system_id", "purpose", "retention")}
        form["purpose"] = form["purpose"] or "Répondre aux habitants et préparer les courriers de la commune."
        form["abroad_countries"] = activity.abroad_countries
        save_activity(session, tenant.id, {**form, **COMPLETION}, actor=actor, activity_id=activity.id)
    systems = session.scalars(select(AISystem).where(AISystem.status != SystemStatus.RETIRED.value))
    for system in systems:
        save_dpia(session, system, DPIA, actor=actor)
    return len(list_activities(session))
