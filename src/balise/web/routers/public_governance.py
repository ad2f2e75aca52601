"""Public governance pages, no sign-in (P3, G11, P2): the municipality's AI register for residents
with its open-data exports, and the form to complain about an AI tool."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from balise.db import Session
from balise.errors import BaliseError
from balise.formatting import day
from balise.governance import eurocities_json, follow_up, public_csv, public_json, submit_complaint
from balise.governance.complaints import KINDS
from balise.governance.complaints import STATUS_LABELS as STATUS_LABELS_COMPLAINTS
from balise.governance.hosting import HOSTING_LABELS
from balise.governance.models import STATUS_LABELS
from balise.governance.roles import ROLE_KINDS
from balise.governance.service import complaint_choices, public_register, public_tenant
from balise.pilot.communications import published_for_residents
from balise.web.citizen_web import check_rate, client_address
from balise.web.deps import CSRF_COOKIE, get_db
from balise.web.forms import anonymous_form_page
from balise.web.templating import render

router = APIRouter(prefix="/public", tags=["public"])


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/{slug}/transparence", response_model=None)
def transparency(
    request: Request, slug: str, format: str = "html", db: Session = Depends(get_db)
) -> Response:
    """The register as residents read it; ``?format=json|csv|eurocities`` gives the open data."""
    register = public_register(db, slug)
    page = f"{_base(request)}/public/{slug}/transparence"
    complaint_url = f"{_base(request)}/public/{slug}/plainte"
    if format == "json":
        return JSONResponse(public_json(register.tenant, register.systems, complaint_url))
    if format == "csv":
        return Response(
            public_csv(register.systems),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="registre-ia-{slug}.csv"'},
        )
    if format == "eurocities":
        rows = eurocities_json(
            register.tenant,
            register.systems,
            url=page,
            complaint_url=complaint_url,
            contact_email=register.contact.email,
        )
        return Response(json.dumps(rows, ensure_ascii=False), media_type="application/json")
    return render(
        request,
        "public/transparence.html",
        {
            "tenant": register.tenant,
            "systems": register.systems,
            "contact": register.contact,
            "roles": register.roles,
            "role_kinds": ROLE_KINDS,
            "status_labels": STATUS_LABELS,
            "hosting_labels": HOSTING_LABELS,
            "level_names": {1: "I", 2: "II", 3: "III", 4: "IV"},
            "communication": published_for_residents(db),
        },
    )


def _form_page(
    request: Request,
    db: Session,
    slug: str,
    *,
    values: dict[str, str] | None = None,
    error: str = "",
    received: tuple[str, str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    tenant, systems = complaint_choices(db, slug)
    return anonymous_form_page(
        request,
        "public/plainte.html",
        {
            "tenant": tenant,
            "systems": systems,
            "kinds": KINDS,
            "values": values or {},
            "error": error,
            "received": received,
        },
        status_code=status_code,
    )


@router.get("/{slug}/plainte", response_class=HTMLResponse)
def complaint_form(
    request: Request, slug: str, systeme: str = "", db: Session = Depends(get_db)
) -> HTMLResponse:
    return _form_page(request, db, slug, values={"system_id": systeme, "kind": "complaint"})


@router.post("/{slug}/plainte", response_class=HTMLResponse)
def file_complaint(
    request: Request,
    slug: str,
    kind: Annotated[str, Form()] = "complaint",
    system_id: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    phone: Annotated[str, Form()] = "",
    message: Annotated[str, Form()] = "",
    db: Session = Depends(get_db),
) -> HTMLResponse:
    """Files the complaint; refused input comes back in the form with the reason, nothing lost."""
    values = {
        "kind": kind,
        "system_id": system_id,
        "name": name,
        "email": email,
        "phone": phone,
        "message": message,
    }
    tenant, _systems = complaint_choices(db, slug)
    client = client_address(request)
    try:
        # The form's own cookie stands for the session: a browser that keeps it counts as one resident.
        check_rate(request, request.cookies.get(CSRF_COOKIE, client), "complaint")
        filed = submit_complaint(
            db,
            tenant,
            kind=kind,
            system_id=system_id,
            name=name,
            email=email,
            phone=phone,
            message=message,
            client=client,
        )
    except BaliseError as exc:
        db.rollback()
        return _form_page(request, db, slug, values=values, error=exc.localized(), status_code=exc.status)
    db.commit()
    link = f"{_base(request)}/public/{slug}/plainte/suivi/{filed.token}"
    received = (filed.complaint.reference, day(filed.complaint.due_date), link)
    return _form_page(request, db, slug, received=received)


@router.get("/{slug}/plainte/suivi/{token}", response_class=HTMLResponse)
def complaint_follow_up(
    request: Request, slug: str, token: str, db: Session = Depends(get_db)
) -> HTMLResponse:
    """The resident's own page: the complaint's state and the answers sent, opened by their link."""
    tenant = public_tenant(db, slug)
    item = follow_up(db, token[:100])
    response = render(
        request,
        "public/plainte_suivi.html",
        {"tenant": tenant, "item": item, "status_labels": STATUS_LABELS_COMPLAINTS},
    )
    response.headers["Referrer-Policy"] = "no-referrer"  # the link is the resident's key
    response.headers["Cache-Control"] = "no-store"
    return response
