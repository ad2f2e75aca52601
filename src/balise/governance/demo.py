"""The demo municipality's governance: its register entered, people named, its systems assessed.

Idempotent like ``balise demo``: roles and the assessment are added only where none exist.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.db import scope_session
from balise.governance.adoption_demo import ensure_adoption_demo
from balise.governance.adoption_facts import LIVE
from balise.governance.assessment import privacy_items, save_assessment, suggested_answers
from balise.governance.models import AISystem, Assessment
from balise.governance.register import sync_register
from balise.governance.roadmap_demo import ensure_roadmap_demo
from balise.governance.roles import add_role, designate_privacy_officer, designated_privacy_officer, roles_of
from balise.governance.shadow_demo import ensure_shadow_demo
from balise.pilot.demo import ensure_pilot_demo
from balise.tenancy import Tenant
from balise.tenancy.models import User

MANAGER = "gestionnaire@demo.balise.ca"
PRIVACY_OFFICER = "vie-privee@demo.balise.ca"
# The document assistant as its manager assessed it: staff only, no decision, masked information.
ASK_ANSWERS = {
    "audience": "staff",
    "decision": "no",
    "automated": "no",
    "personal": "general",
    "vulnerable": "no",
    "reversibility": "easy",
    "reach": "few",
    "hosting": "local",
    "model": "open",
    "unreviewed": "no",
    "domain": "no",
    "review": "yes",
    "sources": "yes",
    "masking": "yes",
    "label": "yes",
    "tests": "yes",
    "bias": "no",
    "complaints": "yes",
    "training": "yes",
    "exit": "yes",
    "audit": "yes",
}


AUDIENCES = {"task:citizen": "citizens", "task:images": "public"}


def _assess_the_rest(session: Session) -> None:
    """Every other system in use assessed like the document assistant, its checklist complete, so
    that the register's systems are all assessed and the gates' example is the assistant alone."""
    assessed = set(session.scalars(select(Assessment.system_id)))
    live = select(AISystem).where(AISystem.status.in_(LIVE), AISystem.key != "task:ask")
    for system in session.scalars(live):
        if system.id in assessed:
            continue
        answers = ASK_ANSWERS | suggested_answers(system) | {"audience": AUDIENCES.get(system.key, "staff")}
        save_assessment(session, system, answers, {key for key, _ in privacy_items(system)}, actor="demo")


def ensure_governance_demo(session: Session, tenant: Tenant) -> None:
    scope_session(session, tenant.id)
    sync_register(session, tenant, actor="demo")
    manager = session.scalars(select(User).where(User.email == MANAGER)).first()
    officer = session.scalars(select(User).where(User.email == PRIVACY_OFFICER)).first()
    if officer is not None and designated_privacy_officer(session, tenant) is None:
        designate_privacy_officer(session, tenant, officer.id, actor="demo")
    for system in session.scalars(select(AISystem).where(AISystem.source == "balise_task")):
        if roles_of(session, system.id):
            continue
        system.owner_team = "Direction générale"
        if manager is not None:
            add_role(
                session,
                system,
                role="responsible",
                person=manager.display_name,
                user_id=manager.id,
                actor="demo",
            )
        if officer is not None:
            add_role(
                session,
                system,
                role="privacy_officer",
                person=officer.display_name,
                user_id=officer.id,
                actor="demo",
            )
    ask = session.scalars(select(AISystem).where(AISystem.key == "task:ask")).first()
    if (
        ask is not None
        and session.scalars(select(Assessment).where(Assessment.system_id == ask.id)).first() is None
    ):
        save_assessment(
            session, ask, ASK_ANSWERS, {"officer_consulted", "inventory", "security"}, actor="demo"
        )
    _assess_the_rest(session)
    ensure_shadow_demo(session, tenant)
    ensure_roadmap_demo(session, tenant)

    ensure_adoption_demo(session, tenant.id)
    ensure_pilot_demo(session, tenant)
    session.flush()
