"""Governance workspace, cases side (G11, P2, L1): complaints about AI tools and the
confidentiality-incident register. The privacy officer runs both; managers handle the complaints
assigned to them."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from balise import governance as gov
from balise.db import Session
from balise.errors import Invalid
from balise.governance import complaints, incidents, service
from balise.governance.shadow_models import CONSEQUENCES
from balise.i18n import gettext_
from balise.tenancy import Role, has_role
from balise.web.deps import Principal, require, tenant_db
from balise.web.forms import form_of, require_any, saved_or_shown_again
from balise.web.templating import render

router = APIRouter(prefix="/gouvernance", tags=["governance"])
HANDLERS = require_any(Role.PRIVACY_OFFICER, Role.MANAGER)
OFFICERS = require_any(Role.PRIVACY_OFFICER)


@router.get("/plaintes", response_class=HTMLResponse)
def complaints_page(
    request: Request,
    statut: str = "",
    enregistre: int = 0,
    principal: Principal = Depends(HANDLERS),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    return render(
        request,
        "governance/complaints.html",
        {
            "complaints": gov.list_complaints(db, status=statut),
            "unassigned": [c for c in gov.list_complaints(db) if not c.assigned_to and c.status != "closed"],
            "stats": gov.statistics(db),
            "status_labels": complaints.STATUS_LABELS,
            "kinds": complaints.KINDS,
            "systems": {s.id: s.name for s in gov.list_systems(db)},
            "people": {p.id: p.display_name for p in service.staff(db, principal.tenant.id)},
            "today": service.today(),
            "chosen": statut,
            "officer": gov.designated_privacy_officer(db, principal.tenant),
            "officers": gov.privacy_officers(db, principal.tenant.id),
            "may_designate": has_role(principal.role, Role.ADMIN),
            "saved": bool(enregistre),
        },
    )


@router.post("/plaintes-responsable", response_model=None)
async def designate_officer(
    request: Request, principal: Principal = Depends(require(Role.ADMIN)), db: Session = Depends(tenant_db)
) -> Response:
    """The administrator names the person in charge of the protection of personal information."""
    form = await form_of(request)
    gov.designate_privacy_officer(
        db, db.merge(principal.tenant), str(form.get("user_id", "")), actor=principal.user.id
    )
    db.commit()
    return RedirectResponse("/gouvernance/plaintes?enregistre=1#responsable", status_code=303)


def _complaint_page(
    request: Request,
    db: Session,
    principal: Principal,
    complaint_id: str,
    *,
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    view = gov.open_complaint(db, complaint_id)
    return render(
        request,
        "governance/complaint.html",
        {
            "view": view,
            "c": view.complaint,
            "status_labels": complaints.STATUS_LABELS,
            "kinds": complaints.KINDS,
            "system": gov.get_system(db, view.complaint.system_id) if view.complaint.system_id else None,
            "people": service.staff(db, principal.tenant.id),
            "names": {p.id: p.display_name for p in service.staff(db, principal.tenant.id)},
            "error": error,
            "delivery_labels": gov.DELIVERY_LABELS,
        },
        status_code=status_code,
    )


@router.get("/plaintes/{complaint_id}", response_class=HTMLResponse)
def complaint_page(
    request: Request,
    complaint_id: str,
    principal: Principal = Depends(HANDLERS),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    return _complaint_page(request, db, principal, complaint_id)


@router.post("/plaintes/{complaint_id}", response_model=None)
async def complaint_action(
    request: Request,
    complaint_id: str,
    principal: Principal = Depends(HANDLERS),
    db: Session = Depends(tenant_db),
) -> Response:
    """One form per action: reply, note, status or assignment (``action`` says which)."""
    gov.open_complaint(db, complaint_id)  # another municipality's complaint is answered as missing
    form = await form_of(request)
    action = str(form.get("action", ""))

    def act() -> None:
        if action == "reply":
            gov.answer_resident(
                db, principal.tenant, complaint_id, str(form.get("body", "")), actor=principal.user.id
            )
        elif action == "note":
            gov.add_reply(db, complaint_id, str(form.get("body", "")), actor=principal.user.id, internal=True)
        elif action == "status":
            gov.set_status(db, complaint_id, str(form.get("status", "")), actor=principal.user.id)
        elif action == "assign":
            gov.assign(db, complaint_id, str(form.get("user_id", "")), actor=principal.user.id)
        else:
            raise Invalid("Unknown action. Reload the page and try again.")

    return saved_or_shown_again(
        db,
        act,
        then=f"/gouvernance/plaintes/{complaint_id}#historique",
        again=lambda error, status: _complaint_page(
            request, db, principal, complaint_id, error=error, status_code=status
        ),
    )


@router.post("/plaintes-rappels", response_model=None)
def reminders(principal: Principal = Depends(OFFICERS), db: Session = Depends(tenant_db)) -> Response:
    gov.send_reminders(db, principal.tenant.id)
    db.commit()
    return RedirectResponse("/gouvernance/plaintes?rappels=1", status_code=303)


# --- incidents ------------------------------------------------------------------------------------


@router.get("/incidents", response_class=HTMLResponse)
def incidents_page(
    request: Request,
    analyse: int = -1,
    principal: Principal = Depends(OFFICERS),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    proposed = gov.propose_from_signals(db, principal.tenant.id)
    db.commit()
    return render(
        request,
        "governance/incidents.html",
        {
            "incidents": gov.list_incidents(db),
            "status_labels": incidents.STATUS_LABELS,
            "source_labels": incidents.SOURCE_LABELS,
            "kinds": incidents.KINDS,
            "serious": gov.serious_risk,
            "proposed": proposed,
            "scanned": analyse,
        },
    )


@router.post("/incidents/analyse", response_model=None)
def scan(principal: Principal = Depends(OFFICERS), db: Session = Depends(tenant_db)) -> Response:
    """Reads recent public outputs for personal information; findings become proposals."""
    found = gov.scan_public_outputs(db, principal.tenant.id, actor=principal.user.id)
    db.commit()
    return RedirectResponse(f"/gouvernance/incidents?analyse={found}", status_code=303)


def _incident_page(
    request: Request,
    db: Session,
    principal: Principal,
    incident: gov.Incident | None,
    *,
    form: dict[str, object] | None = None,
    error: str = "",
    notice: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    values: dict[str, object] = {}
    if incident is not None:
        for name in (
            *incidents.TEXT_FIELDS,
            *incidents.SCALE_FIELDS,
            "people_affected",
            "status",
            "kind",
            "consequence",
        ):
            values[name] = getattr(incident, name)
        for name in incidents.DATE_FIELDS:
            day = getattr(incident, name)
            values[name] = day.isoformat() if day else ""
    values.update(form or {})
    return render(
        request,
        "governance/incident.html",
        {
            "incident": incident,
            "values": values,
            "error": error,
            "notice": notice,
            "scale": incidents.SCALE,
            "kinds": incidents.KINDS,
            "consequences": CONSEQUENCES,
            "status_labels": incidents.STATUS_LABELS,
            "source_labels": incidents.SOURCE_LABELS,
            "serious": gov.serious_risk(incident) if incident else False,
            "notices": gov.notices(incident, principal.tenant) if incident else [],
        },
        status_code=status_code,
    )


@router.get("/incidents/nouveau", response_class=HTMLResponse)
def new_incident(
    request: Request, principal: Principal = Depends(OFFICERS), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    return _incident_page(request, db, principal, None, form={"discovered_on": service.today().isoformat()})


@router.post("/incidents/nouveau", response_model=None)
async def create_incident(
    request: Request, principal: Principal = Depends(OFFICERS), db: Session = Depends(tenant_db)
) -> Response:
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: gov.save_incident(db, principal.tenant.id, form, actor=principal.user.id),
        then=lambda incident: f"/gouvernance/incidents/{incident.id}?enregistre=1",
        again=lambda error, status: _incident_page(
            request, db, principal, None, form=form, error=error, status_code=status
        ),
    )


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(
    request: Request,
    incident_id: str,
    enregistre: int = 0,
    principal: Principal = Depends(OFFICERS),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    notice = gettext_("The incident was saved.") if enregistre else ""
    return _incident_page(request, db, principal, gov.get_incident(db, incident_id), notice=notice)


@router.post("/incidents/{incident_id}", response_model=None)
async def update_incident(
    request: Request,
    incident_id: str,
    principal: Principal = Depends(OFFICERS),
    db: Session = Depends(tenant_db),
) -> Response:
    incident = gov.get_incident(db, incident_id)
    form = await form_of(request)

    def save() -> None:
        if form.get("action") == "dismiss":
            gov.dismiss(db, incident_id, actor=principal.user.id)
        else:
            gov.save_incident(db, principal.tenant.id, form, actor=principal.user.id, incident=incident)

    return saved_or_shown_again(
        db,
        save,
        then=f"/gouvernance/incidents/{incident_id}?enregistre=1",
        again=lambda error, status: _incident_page(
            request,
            db,
            principal,
            gov.get_incident(db, incident_id),
            form=form,
            error=error,
            status_code=status,
        ),
    )
