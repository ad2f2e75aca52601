"""The gates (G1, G3, L1 s. 63.5 and s. 70.1, L2 art. 12 and 22): a system goes into pilot or production
only when its adoption case, its impact assessment, its privacy checklist and its vendor assessment
are complete. For a Swiss municipality the Law 25 checklist is replaced by the nLPD's instruments: a
complete data-protection impact assessment (art. 22) and an entry of the processing register (art. 12).

The one place the rule lives: the register's :func:`save_system` calls :func:`check_move` before it
changes anything, and the system page asks :func:`missing_for` to show what is left, with links.
Every move is audited, a refused one too: its entry is committed before the error is raised, since
the web layer rolls back on every user error.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from balise import audit
from balise.errors import Invalid
from balise.governance.adoption import case_of
from balise.governance.adoption import missing_of as adoption_missing
from balise.governance.assessment import assessments_of, privacy_items
from balise.governance.dpia import dpia_of
from balise.governance.dpia import missing_of as dpia_missing
from balise.governance.hosting import leaves_quebec
from balise.governance.models import STATUS_LABELS, AISystem, SystemStatus
from balise.governance.processing import activities_by_system
from balise.governance.vendors import missing_of as vendor_missing
from balise.governance.vendors import vendor_of
from balise.i18n import gettext_
from balise.tenancy import Tenant
from balise.tenancy.jurisdiction import is_swiss

GATED = frozenset({SystemStatus.PILOT.value, SystemStatus.PRODUCTION.value})


@dataclass(frozen=True)
class Missing:
    """One prerequisite still to complete, in the reader's language, and the page where to do it."""

    text: str
    href: str


class MoveRefused(Invalid):
    """A move to pilot or production before the prerequisites are complete (409: the record's state
    forbids it, which tells the system page to list the prerequisites with their links)."""

    status = 409
    code = "move_refused"


def _names(labels: list[str]) -> str:
    return "; ".join(gettext_(label) for label in labels)


def missing_for(session: Session, system: AISystem) -> list[Missing]:
    """Every prerequisite of pilot and production this system still lacks."""
    base = f"/gouvernance/registre/{system.id}"
    missing: list[Missing] = []
    incomplete = adoption_missing(case_of(session, system.id))
    if incomplete:
        text = gettext_("Adoption case, still to fill: {fields}").format(fields=_names(incomplete))
        missing.append(Missing(text, f"{base}/adoption"))
    tenant = session.get(Tenant, system.tenant_id)
    swiss = tenant is not None and is_swiss(tenant)
    latest = next(iter(assessments_of(session, system.id)), None)
    if latest is None:
        missing.append(Missing(gettext_("Impact assessment: not done yet"), f"{base}/evaluation"))
    elif not swiss and leaves_quebec(system.hosting) and not latest.leaves_quebec:
        text = gettext_("Impact assessment: to do again, the hosting now takes data out of Quebec")
        missing.append(Missing(text, f"{base}/evaluation"))
    if swiss:
        missing += _swiss_missing(session, system)
    elif latest is not None:
        unchecked = [label for key, label in privacy_items(system) if not latest.privacy.get(key)]
        if unchecked:
            text = gettext_("Privacy checklist, still to complete: {items}").format(items=_names(unchecked))
            missing.append(Missing(text, f"{base}/evaluation"))
    if not system.no_vendor:
        vendor = vendor_of(session, system)
        if vendor is None:
            text = gettext_("Vendor assessment: none linked (or declare the system built in-house)")
            missing.append(Missing(text, "/gouvernance/fournisseurs"))
        else:
            left = vendor_missing(vendor)
            if left:
                text = gettext_("Vendor assessment of {name}, still to fill: {fields}").format(
                    name=vendor.name, fields=_names(left)
                )
                missing.append(Missing(text, f"/gouvernance/fournisseurs/{vendor.id}"))
    return missing


def _swiss_missing(session: Session, system: AISystem) -> list[Missing]:
    """nLPD: the data-protection impact assessment (art. 22) and the processing register's entry (art. 12)."""
    missing: list[Missing] = []
    left = dpia_missing(dpia_of(session, system.id))
    if left:
        text = gettext_("Data-protection impact assessment (nLPD art. 22), still to fill: {fields}").format(
            fields=_names(left)
        )
        missing.append(Missing(text, f"/gouvernance/registre/{system.id}/aipd"))
    if system.id not in activities_by_system(session):
        text = gettext_("Register of processing activities (nLPD art. 12): no entry names this system")
        missing.append(Missing(text, "/gouvernance/traitements"))
    return missing


def _record(session: Session, tenant_id: str, system_id: str, action: str, **details: object) -> None:
    audit.record(
        session,
        f"governance.{action}",
        actor=str(details.pop("actor")),
        tenant_id=tenant_id,
        target_type="ai_system",
        target_id=system_id,
        details=details,
    )


def check_move(session: Session, tenant_id: str, system: AISystem | None, before: str, *, actor: str) -> None:
    """Let the move from ``before`` to ``system.status`` through (audited), or refuse it.

    Called once the record's new values are flushed, so that a vendor linked or a hosting changed in
    the same form counts. A refusal rolls back the caller's transaction (as the web layer does on any
    user error), commits its audit entry alone and raises
    :class:`MoveRefused` with the list of what is missing. ``system`` is ``None`` for a new record
    asked to start in pilot or production, which is refused: its adoption case does not exist yet.
    """
    status = system.status if system is not None else ""
    if system is not None and (status == before or status not in GATED):
        if status != before:
            _record(session, tenant_id, system.id, "system_moved", actor=actor, before=before, after=status)
        return
    missing = missing_for(session, system) if system is not None else []
    if system is not None and not missing:
        _record(session, tenant_id, system.id, "system_moved", actor=actor, before=before, after=status)
        return
    system_id = system.id if system is not None else ""
    session.rollback()
    _record(
        session,
        tenant_id,
        system_id,
        "system_move_refused",
        actor=actor,
        before=before,
        after=status,
        missing=len(missing),
    )
    session.commit()
    if system is None:
        raise MoveRefused(
            "A new system starts as planned: save it so, then complete its adoption case, its impact "
            "assessment and its vendor assessment before moving it to pilot or production."
        )
    raise MoveRefused(
        "The system cannot move to “{stage}” yet. Still missing: {missing}.",
        stage=gettext_(STATUS_LABELS[SystemStatus(status)]),
        missing=" — ".join(m.text for m in missing),
    )
