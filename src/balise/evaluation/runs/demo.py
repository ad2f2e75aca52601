"""The demo's worked example (``balise demo``): a small evaluation set on the demo library and one
run of it, a real measurement of the demo as it answers, so that a new user sees the dashboard, a
run and its failed questions before writing a set of their own."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.db import scope_session
from balise.evaluation.runs.runner import run_set
from balise.evaluation.runs.sets import ItemDraft, add_items, create_set
from balise.evaluation.runs.tables import EvalItem, EvalRun, EvalSet
from balise.tenancy import Tenant

NAME = "Questions des citoyens (exemple)"
FAQ = "faq-citoyens.md"
ITEMS = (
    ItemDraft("Quelles sont les heures d'ouverture de l'hôtel de ville ?", (FAQ,)),
    ItemDraft("Quand ont lieu les collectes des déchets et du recyclage ?", (FAQ,)),
    ItemDraft("Faut-il un permis pour abattre un arbre ?", (FAQ,)),
    ItemDraft("Quand dois-je payer mon compte de taxes ?", (FAQ,)),
    ItemDraft("Quand ont lieu les inscriptions aux activités de loisirs ?", (FAQ,)),
    ItemDraft("Quand ai-je le droit d'arroser ma pelouse ?", ("reglement-2024-12-arrosage.docx",)),
    ItemDraft("Quel est l'horaire des vols de l'aéroport de Montréal ?", abstain=True),
)


def ensure_demo_evaluation(session: Session, tenant: Tenant) -> EvalRun | None:
    """Adds the set once and runs it once (idempotent); the caller commits. Needs the demo library
    loaded, as its questions name its documents; returns the run made, if any."""
    scope_session(session, tenant.id)
    eval_set = session.scalar(select(EvalSet).where(EvalSet.name == NAME))
    if eval_set is None:
        eval_set = create_set(
            session,
            tenant,
            NAME,
            description="Un petit jeu d'exemple sur la bibliothèque de démonstration.",
            actor="demo",
        )
    # A set left without its questions (a demo stopped half-way) gets them now: a run needs them.
    if session.scalar(select(EvalItem.id).where(EvalItem.set_id == eval_set.id).limit(1)) is None:
        add_items(session, eval_set, ITEMS, origin="manual", actor="demo")
        session.commit()  # the questions are asked in a session of their own
    if session.scalar(select(EvalRun.id).where(EvalRun.set_id == eval_set.id).limit(1)) is not None:
        return None
    return run_set(session, tenant, eval_set, trigger="demo", actor="demo")
