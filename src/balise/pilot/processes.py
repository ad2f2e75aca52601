"""The pilot service's time-consuming processes (G15, G20): each mapped with its steps, the minutes
one occurrence takes and how often it happens a month, measured before the pilot; then how it was
redesigned (steps removed or simplified, not the old process with AI added) and its minutes after.

Time per month is minutes × occurrences; the gain is only counted once the after is measured.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.bounds import check_length
from balise.errors import Invalid, NotFound
from balise.i18n import gettext_
from balise.pilot.tables import PilotProcess

MAX_TEXT = 4000
MAX_MINUTES = 10_000.0
"""A week of one person's work for one occurrence: more is a typing slip."""
MAX_OCCURRENCES = 100_000.0


def _number(text: str, label: str, maximum: float, *, required: bool) -> float | None:
    cleaned = text.strip().replace(",", ".").replace(" ", "").replace("\u202f", "").replace("\xa0", "")
    if not cleaned:
        if required:
            raise Invalid("Write the {field}.", field=label)
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise Invalid("The {field} must be a number, such as 12 or 7.5.", field=label) from None
    if not 0 <= value <= maximum:  # also refuses nan and inf
        raise Invalid("The {field} must be a number from 0 to {max}.", field=label, max=int(maximum))
    return value


@dataclass(frozen=True)
class Measured:
    """A process and its time per month before and after (``None`` until the after is measured)."""

    process: PilotProcess

    @property
    def before(self) -> float:
        return self.process.minutes_before * self.process.occurrences

    @property
    def after(self) -> float | None:
        p = self.process
        return None if p.minutes_after is None else p.minutes_after * p.occurrences

    @property
    def gain(self) -> float | None:
        return None if self.after is None else self.before - self.after

    @property
    def redesigned(self) -> bool:
        return bool(self.process.redesign.strip())


def processes(session: Session) -> list[Measured]:
    """The municipality's processes by service and name."""
    found = session.scalars(select(PilotProcess))
    return [Measured(p) for p in sorted(found, key=lambda p: (p.service.casefold(), p.name.casefold()))]


def get_process(session: Session, process_id: str) -> PilotProcess:
    process = session.get(PilotProcess, process_id)
    if process is None:
        raise NotFound("This process is not mapped in this municipality. Go back to the list.")
    return process


def _fields(form: Mapping[str, str]) -> dict[str, object]:
    name, service = form.get("name", "").strip(), form.get("service", "").strip()
    if not name or not service:
        raise Invalid("Write the process's name and its service.")
    check_length(name, 200, gettext_("Name"))
    check_length(service, 120, gettext_("Service"))
    steps, redesign = form.get("steps", "").strip(), form.get("redesign", "").strip()
    check_length(steps, MAX_TEXT, gettext_("Steps"))
    check_length(redesign, MAX_TEXT, gettext_("Redesign"))
    after = _number(form.get("minutes_after", ""), gettext_("minutes after"), MAX_MINUTES, required=False)
    if after is not None and not redesign:
        raise Invalid(
            "Say how the process was redesigned before giving its time after: which steps were removed "
            "or simplified, not only that AI was added."
        )
    return {
        "name": name,
        "service": service,
        "steps": steps,
        "redesign": redesign,
        "minutes_before": _number(
            form.get("minutes_before", ""), gettext_("minutes per occurrence"), MAX_MINUTES, required=True
        ),
        "occurrences": _number(
            form.get("occurrences", ""), gettext_("occurrences per month"), MAX_OCCURRENCES, required=True
        ),
        "minutes_after": after,
    }


def _stage(process: PilotProcess) -> str:
    if process.minutes_after is not None:
        return "measured_after"
    return "redesigned" if process.redesign.strip() else "measured_before"


def save_process(
    session: Session, tenant_id: str, form: Mapping[str, str], *, actor: str, process_id: str = ""
) -> PilotProcess:
    """Maps a new process (no ``process_id``) or records its redesign and its time after."""
    fields = _fields(form)
    process = get_process(session, process_id) if process_id else PilotProcess(tenant_id=tenant_id)
    for key, value in fields.items():
        setattr(process, key, value)
    if not process_id:
        session.add(process)
    session.flush()
    audit.record(
        session,
        "pilot.process_saved" if process_id else "pilot.process_added",
        actor=actor,
        tenant_id=tenant_id,
        target_type="pilot_process",
        target_id=process.id,
        details={"service": process.service, "status": _stage(process)},
    )
    return process


def remove_process(session: Session, tenant_id: str, process_id: str, *, actor: str) -> None:
    process = get_process(session, process_id)
    session.delete(process)
    audit.record(
        session,
        "pilot.process_removed",
        actor=actor,
        tenant_id=tenant_id,
        target_type="pilot_process",
        target_id=process_id,
        details={"service": process.service},
    )


@dataclass(frozen=True)
class Totals:
    """The processes' minutes per month before and after, over those measured after only."""

    processes: int
    measured_after: int
    redesigned: int
    before: float
    """Minutes a month, every process."""
    before_measured: float
    """Minutes a month before, of the processes measured after (to compare like with like)."""
    after: float

    @property
    def gain(self) -> float:
        return self.before_measured - self.after

    @property
    def gain_hours(self) -> float:
        return self.gain / 60


def totals(measured: list[Measured]) -> Totals:
    done = [m for m in measured if m.after is not None]
    return Totals(
        processes=len(measured),
        measured_after=len(done),
        redesigned=sum(m.redesigned for m in measured),
        before=sum(m.before for m in measured),
        before_measured=sum(m.before for m in done),
        after=sum(m.after or 0.0 for m in done),
    )
