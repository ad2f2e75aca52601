"""The demo municipality's roadmap: the first three steps done with their evidence, the pilot under
way, the last two led and dated; Urbanisme as the pilot service with two resource persons, and one in
Communications. Idempotent like ``balise demo``: nothing is added once a step has been written on."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from balise.governance.roadmap import add_resource_person, resource_persons, save_step, steps
from balise.governance.roles import members_with
from balise.tenancy import Role, Tenant

OWNER = "gestionnaire@demo.balise.ca"
EVIDENCE = {
    "state_of_play": "Sondage auprès du personnel (printemps) et séance de formation du conseil municipal.",
    "strategic_discussion": "Résolution du conseil; chargée de projet nommée; mémento adopté.",
    "choices": "Politique d'utilisation, classification des données et fournisseurs évalués dans Balise.",
    "pilot": "Service de l'urbanisme : processus des permis cartographiés, temps mesurés avant et après.",
}
PERSONS = (
    ("Émilie Employée", "Urbanisme", True, "Répond aux questions de ses collègues sur l'assistant."),
    ("Rémi Réviseur", "Urbanisme", True, "Anime le partage d'expérience mensuel."),
    ("Geneviève Gestionnaire", "Communications", False, "Relaie les bonnes pratiques de rédaction."),
)


def ensure_roadmap_demo(session: Session, tenant: Tenant) -> None:
    if any(step.row is not None for step in steps(session)):
        return
    people = members_with(session, tenant.id, Role.EMPLOYEE)  # this municipality's, not a namesake's
    owner = next((u.id for u in people if u.email == OWNER), "")
    today = date.today()
    for offset, step in enumerate(steps(session)):
        evidence = EVIDENCE.get(step.key, "")
        status = "done" if evidence and step.key != "pilot" else ("in_progress" if evidence else "todo")
        due = (today + timedelta(days=60 * (offset - 2))).isoformat()
        form = {"owner_id": owner, "due_on": due, "status": status, "evidence": evidence}
        save_step(session, tenant.id, step.key, form, actor="demo")
    if not resource_persons(session):
        for name, service, pilot, note in PERSONS:
            form = {"name": name, "service": service, "pilot": "1" if pilot else "", "note": note}
            add_resource_person(session, tenant.id, form, actor="demo")
