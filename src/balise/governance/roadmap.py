"""The strategic roadmap (G14) and the resource persons (G18): the Valais guide's six steps as a
checklist each municipality walks — an owner, a due date, a status and the evidence of each step —
and, per service, the people who promote good use of AI, the pilot service's first.

A step has no row until someone writes on it: the six are always shown, in the guide's order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.bounds import check_length, optional_date
from balise.errors import Invalid, NotFound
from balise.governance.roadmap_models import ResourcePerson, RoadmapStep
from balise.governance.roles import check_member
from balise.i18n import N_, gettext_

STEPS = {
    "state_of_play": (
        N_("State of play and training"),
        N_("Which tools staff already use, for what; the survey; training for the council and staff."),
    ),
    "strategic_discussion": (
        N_("Preliminary strategic discussion and roadmap"),
        N_("The council's first discussion, a project lead, the memento, internal communication."),
    ),
    "choices": (
        N_("Ethical and technical choices"),
        N_("Uses allowed and forbidden, data classification, tools and vendors assessed."),
    ),
    "pilot": (
        N_("A test with a pilot service"),
        N_(
            "A motivated service, its resource persons, its time-consuming processes measured before "
            "and after."
        ),
    ),
    "pooling": (
        N_("Pooling and strategic choices"),
        N_("What to share with other municipalities, what to extend to every service."),
    ),
    "interim_review": (
        N_("Interim review"),
        N_(
            "Improvements against resources invested, challenges, staff sentiment; told to staff and "
            "residents."
        ),
    ),
}
"""The six steps of the Valais guide, in its order: (title, what the step covers)."""
STATUS_LABELS = {"todo": N_("To do"), "in_progress": N_("In progress"), "done": N_("Done")}
MAX_TEXT = 4000


@dataclass(frozen=True)
class Step:
    """A step as shown: its key, title, scope, and what the municipality wrote (or nothing yet)."""

    key: str
    title: str
    scope: str
    row: RoadmapStep | None

    @property
    def status(self) -> str:
        return self.row.status if self.row else "todo"


def steps(session: Session) -> list[Step]:
    """The six steps of the session's municipality, in the guide's order."""
    rows = {row.step: row for row in session.scalars(select(RoadmapStep))}
    return [Step(key, title, scope, rows.get(key)) for key, (title, scope) in STEPS.items()]


def save_step(
    session: Session, tenant_id: str, key: str, form: Mapping[str, str], *, actor: str
) -> RoadmapStep:
    """Records a step's owner, due date, status and evidence."""
    if key not in STEPS:
        raise NotFound("This step is not one of the roadmap's six. Go back to the roadmap.")
    status = form.get("status", "todo")
    if status not in STATUS_LABELS:
        raise Invalid("Choose the step's status among To do, In progress and Done.")
    owner = form.get("owner_id", "").strip() or None
    if owner is not None:
        check_member(session, tenant_id, owner)
    evidence = form.get("evidence", "").strip()
    check_length(evidence, MAX_TEXT, gettext_("Evidence"))
    due = optional_date(form.get("due_on", ""), gettext_("due date"))
    if status == "done" and not evidence and key == "interim_review":
        # Here, not at the top: the pilot's report reads the governance package, which reads this module.
        from balise.pilot.report import review_evidence

        evidence = review_evidence(session)  # the interim review, once issued, shows step 6 is done
    if status == "done" and not evidence:
        raise Invalid(
            "A step is done when its evidence says so: write what shows it (a decision, a document, a "
            "link) before marking it done."
        )
    row = session.scalar(select(RoadmapStep).where(RoadmapStep.step == key))
    if row is None:
        row = RoadmapStep(tenant_id=tenant_id, step=key)
        session.add(row)
    row.owner_id, row.due_on, row.status, row.evidence = owner, due, status, evidence
    session.flush()
    audit.record(
        session,
        "governance.roadmap_step",
        actor=actor,
        tenant_id=tenant_id,
        target_type="roadmap_step",
        target_id=key,
        details={"status": status, "owner_id": owner, "due_on": due.isoformat() if due else None},
    )
    return row


def resource_persons(session: Session) -> list[ResourcePerson]:
    """The pilot service's persons first, then by service and name."""
    found = session.scalars(select(ResourcePerson))
    return sorted(found, key=lambda p: (not p.pilot, p.service.casefold(), p.name.casefold()))


def add_resource_person(
    session: Session, tenant_id: str, form: Mapping[str, str], *, actor: str
) -> ResourcePerson:
    service, name = form.get("service", "").strip(), form.get("name", "").strip()
    if not service or not name:
        raise Invalid("Write the service and the person's name.")
    check_length(service, 120, gettext_("Service"))
    check_length(name, 200, gettext_("Name"))
    note = form.get("note", "").strip()
    check_length(note, MAX_TEXT, gettext_("Role"))
    person = ResourcePerson(
        tenant_id=tenant_id, service=service, name=name, pilot=bool(form.get("pilot")), note=note
    )
    session.add(person)
    session.flush()
    audit.record(
        session,
        "governance.resource_person_added",
        actor=actor,
        tenant_id=tenant_id,
        target_type="resource_person",
        target_id=person.id,
        details={"service": service, "pilot": person.pilot},
    )
    return person


def remove_resource_person(session: Session, tenant_id: str, person_id: str, *, actor: str) -> None:
    person = session.scalar(select(ResourcePerson).where(ResourcePerson.id == person_id))
    if person is None:
        raise NotFound("This resource person is no longer listed. Go back to the roadmap.")
    session.delete(person)
    audit.record(
        session,
        "governance.resource_person_removed",
        actor=actor,
        tenant_id=tenant_id,
        target_type="resource_person",
        target_id=person_id,
        details={"service": person.service},
    )


@dataclass(frozen=True)
class RoadmapFacts:
    """What the conformity view reads of the roadmap (G14) and the resource persons (G18)."""

    done: int = 0
    planned: int = 0
    """Steps with an owner and a due date (done or not)."""
    pilot_services: tuple[str, ...] = ()
    pilot_persons: int = 0
    persons: int = 0
    services: int = 0


def roadmap_facts(session: Session) -> RoadmapFacts:
    walked = [s.row for s in steps(session) if s.row is not None]
    persons = resource_persons(session)
    pilots = sorted({p.service for p in persons if p.pilot})
    return RoadmapFacts(
        done=sum(row.status == "done" for row in walked),
        planned=sum(bool(row.owner_id and row.due_on) for row in walked),
        pilot_services=tuple(pilots),
        pilot_persons=sum(p.pilot for p in persons),
        persons=len(persons),
        services=len({p.service.casefold() for p in persons}),
    )
