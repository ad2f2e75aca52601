"""The demo municipality's pilot: two processes of its pilot service (Urbanisme), one measured before,
redesigned and measured after, one only measured before; the interim review issued with its
challenges; both communications drafted from it, approved by the demo manager and published.
Idempotent like ``balise demo``: nothing is added once a process is mapped."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from balise.governance.roles import members_with
from balise.pilot import communications
from balise.pilot.processes import processes, save_process
from balise.pilot.report import interim_report, save_review
from balise.tenancy import Role, Tenant

MANAGER = "gestionnaire@demo.balise.ca"
PROCESSES = (
    {
        "name": "Réponse aux demandes de renseignements sur les permis",
        "service": "Urbanisme",
        "steps": "Lire la demande\nChercher le règlement applicable\nRédiger la réponse\nFaire relire",
        "minutes_before": "35",
        "occurrences": "60",
        "redesign": (
            "Une fiche par type de demande remplace la recherche dans le règlement; l'assistant propose "
            "la réponse à partir des fiches et la relecture ne porte plus que sur les cas atypiques."
        ),
        "minutes_after": "15",
    },
    {
        "name": "Procès-verbal du comité d'urbanisme",
        "service": "Urbanisme",
        "steps": "Prendre des notes\nMettre au propre\nFaire valider par la présidence",
        "minutes_before": "180",
        "occurrences": "2",
    },
)
CHALLENGES = (
    "Les fiches par type de demande ont pris plus de temps à écrire que prévu.\n"
    "Deux personnes du service doutaient de la qualité des réponses : la relecture a été gardée "
    "pour les cas atypiques."
)


def ensure_pilot_demo(session: Session, tenant: Tenant) -> None:
    if processes(session):
        return
    managers = members_with(session, tenant.id, Role.MANAGER)  # this municipality's, not a namesake's
    manager = next((u for u in managers if u.email == MANAGER), None)
    if manager is None:
        return
    for form in PROCESSES:
        save_process(session, tenant.id, form, actor="demo")
    save_review(
        session, tenant.id, {"challenges": CHALLENGES, "issued_on": date.today().isoformat()}, actor="demo"
    )
    report = interim_report(session, tenant)
    for audience in communications.AUDIENCES:
        communications.draft_from_report(session, tenant.id, audience, report, actor="demo")
        communications.approve(session, tenant.id, audience, actor=manager.id)
        communications.publish(session, tenant.id, audience, actor=manager.id)
