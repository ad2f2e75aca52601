"""The demo municipality's adoption step: two suppliers assessed (Balise itself and the model server,
plus a foreign cloud offer for comparison), and a complete adoption case for every system in use, so
that a new user sees worked examples and the gates have nothing left to ask.

Idempotent like ``balise demo``: a supplier is assessed once, a case is written only where none exists.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.governance.adoption import case_of, save_case
from balise.governance.adoption_facts import LIVE
from balise.governance.adoption_models import VendorAssessment
from balise.governance.models import AISystem, SystemSource
from balise.governance.vendors import save_vendor

BALISE = {
    "name": "Balise (logiciel libre)",
    "hosting": "on_premises",
    "jurisdiction": "Serveurs de la municipalité; droit québécois (loi 25).",
    "training_reuse": "no",
    "retention": "Selon le calendrier de conservation de la municipalité; rien n’est gardé ailleurs.",
    "certifications": "Sans objet (logiciel installé sur place); journal d’audit chaîné.",
    "subcontractors": "Aucun.",
    "export_formats": "JSON, CSV, Eurocities, PDF; base de données PostgreSQL.",
    "exit_clause": "Licence libre: la municipalité garde le code et ses données sans préavis.",
    "openai_compatible": "yes",
    "interoperability": "API compatible OpenAI, formats ouverts, plusieurs fournisseurs de modèles.",
    "price": "Aucune licence; temps du personnel informatique pour l’exploitation.",
    "score_hosting": "4",
    "score_data_use": "4",
    "score_exit": "4",
    "score_interoperability": "4",
    "score_security": "3",
    "score_price": "4",
}
MODEL_SERVER = BALISE | {
    "name": "Serveur de modèles ouverts de la municipalité",
    "certifications": "Sans objet; serveur dans la salle informatique, accès par rôle.",
    "export_formats": "Poids du modèle ouvert; aucun contenu conservé par le serveur.",
    "exit_clause": "Modèle ouvert: remplaçable par tout serveur compatible OpenAI.",
    "price": "Matériel amorti sur 5 ans et électricité (voir la page de consommation).",
    "score_security": "3",
    "score_price": "3",
}
FOREIGN_CLOUD = {
    "name": "Offre infonuagique étrangère (exemple de comparaison)",
    "hosting": "abroad",
    "jurisdiction": "États-Unis; soumis au CLOUD Act.",
    "training_reuse": "unknown",
    "retention": "30 jours pour la détection des abus.",
    "certifications": "ISO 27001, SOC 2 type II.",
    "subcontractors": "Hébergeur infonuagique et sous-traitants de modération.",
    "export_formats": "Historique en JSON.",
    "exit_clause": "Résiliation en tout temps; suppression des données sur demande.",
    "openai_compatible": "yes",
    "interoperability": "API propriétaire compatible OpenAI.",
    "price": "Par jeton, en dollars américains; tarifs modifiables par le fournisseur.",
    "score_hosting": "1",
    "score_data_use": "1",
    "score_exit": "2",
    "score_interoperability": "3",
    "score_security": "4",
    "score_price": "2",
}
COUNCIL = {"council_date": date(2026, 2, 10).isoformat(), "council_resolution": "CM-2026-014"}
COMMON = {
    "alternatives": (
        "Continuer sans IA (charge actuelle maintenue); un service infonuagique étranger (écarté: "
        "données hors Québec et réutilisation incertaine, voir l’évaluation des fournisseurs)."
    ),
    "budget_licences": "0",
    "budget_hours": "120",
    "budget_training": "2500",
    "success_measures": (
        "Temps gagné déclaré après chaque tâche; part des textes approuvés sans modification majeure; "
        "plaintes reçues."
    ),
    "environmental_cost": (
        "Environ 0,3 Wh par demande selon la page de consommation, soit moins de 5 kWh par an au volume "
        "prévu; serveur existant."
    ),
    "acceptability_method": "Présentation au comité consultatif citoyen et sondage en ligne.",
    "acceptability_result": (
        "Accueil favorable, à condition qu’une personne relise tout texte destiné au public et qu’on "
        "puisse toujours parler à quelqu’un."
    ),
    "staff_autonomy": "La personne reste l’autrice: elle relit, corrige et décide de ce qui sort.",
    "staff_workload": "Moins de recherche et de premières versions; temps de relecture ajouté.",
    "dehumanisation": "Aucun échange avec un résident n’est remplacé; le contact humain reste offert.",
    "public_service": "Réponses plus rapides et plus claires; sources citées et vérifiables.",
    **COUNCIL,
}


def _vendor(session: Session, tenant_id: str, form: dict[str, str]) -> VendorAssessment:
    found = session.scalars(select(VendorAssessment).where(VendorAssessment.name == form["name"])).first()
    return found or save_vendor(session, tenant_id, form, actor="demo")


def _case(system: AISystem) -> dict[str, Any]:
    return COMMON | {"objectives": system.purpose, "need": system.description or system.purpose}


def ensure_adoption_demo(session: Session, tenant_id: str) -> None:
    """Vendors assessed and linked; a complete case for each system in use that has none."""
    balise = _vendor(session, tenant_id, BALISE)
    server = _vendor(session, tenant_id, MODEL_SERVER)
    _vendor(session, tenant_id, FOREIGN_CLOUD)
    for system in session.scalars(select(AISystem).where(AISystem.status.in_(LIVE))):
        if system.vendor_assessment_id is None and not system.no_vendor:
            system.vendor_assessment_id = server.id if system.source == SystemSource.MODEL else balise.id
        if case_of(session, system.id) is None:
            save_case(session, system, _case(system), actor="demo")
    session.flush()
