"""A worked Swiss example (L2): turns a municipality Swiss (Valais, LIPDA), writes its register of
processing activities from the AI register and a complete data-protection impact assessment per AI
system; ``balise demo`` makes a second, Swiss commune with it (``ensure_swiss_demo``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.db.session import scope_session
from balise.governance.dpia import save_dpia
from balise.governance.models import AISystem, SystemStatus
from balise.governance.processing import list_activities, prefill, save_activity
from balise.governance.register import sync_register
from balise.tenancy import Role, Tenant, create_tenant, create_user, membership_of
from balise.tenancy.jurisdiction import SWITZERLAND, save_jurisdiction
from balise.tenancy.models import User

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


SWISS_DEMO_SLUG = "demo-valais"
SWISS_DEMO_NAME = "Commune de démonstration (Valais)"
SWISS_DEMO_OFFICER = ("protection@demo-valais.balise.ch", "Conseillère à la protection des données")


def ensure_swiss_demo(session: Session, password: str) -> Tenant:
    """The demo's second, Swiss commune (``balise demo``): its privacy officer, Balise's tasks in its
    AI register, and its processing register and assessments filled in, so that L2 shows built.
    Idempotent; the caller commits. ``session`` is left scoped to this commune."""
    tenant = session.scalars(select(Tenant).where(Tenant.slug == SWISS_DEMO_SLUG)).first()
    if tenant is None:
        tenant = create_tenant(session, SWISS_DEMO_SLUG, SWISS_DEMO_NAME, region="CH-VS", actor="demo")
    email, name = SWISS_DEMO_OFFICER
    officer = session.scalars(select(User).where(User.email == email)).first()
    if officer is None or membership_of(session, officer.id, tenant.id) is None:
        create_user(
            session, tenant, email, password, Role.PRIVACY_OFFICER.value, display_name=name, actor="demo"
        )
    scope_session(session, tenant.id)
    sync_register(session, tenant, actor="demo")
    if not list_activities(session):
        make_swiss_example(session, tenant)
    return tenant
