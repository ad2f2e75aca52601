"""Governance workspace, adoption side (G1, G3, G17, P1, P8, G19): each system's adoption case with
the council's document, and the vendor assessments the systems and models name. Managers edit;
privacy officers read."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from balise import governance as gov
from balise.db import Session
from balise.governance import adoption, vendors
from balise.governance.hosting import HOSTING_LABELS
from balise.i18n import gettext_
from balise.tenancy import Role
from balise.web.deps import Principal, tenant_db
from balise.web.forms import form_of, require_any, saved_or_shown_again
from balise.web.templating import render

router = APIRouter(prefix="/gouvernance", tags=["governance"])

READERS = require_any(Role.MANAGER, Role.PRIVACY_OFFICER)
EDITORS = require_any(Role.MANAGER)


def _case_values(case: Any) -> dict[str, Any]:
    if case is None:
        return {}
    values: dict[str, Any] = {
        name: getattr(case, name) for name in (*adoption.TEXT_FIELDS, *adoption.NUMBER_FIELDS)
    }
    values["council_date"] = case.council_date.isoformat() if case.council_date else ""
    return {k: "" if v is None else v for k, v in values.items()}


def _adoption_page(
    request: Request,
    db: Session,
    principal: Principal,
    system: gov.AISystem,
    *,
    form: dict[str, Any] | None = None,
    error: str = "",
    notice: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    case = adoption.case_of(db, system.id)
    return render(
        request,
        "governance/adoption.html",
        {
            "system": system,
            "case": case,
            "values": form if form is not None else _case_values(case),
            "missing": adoption.missing_of(case),
            "text_fields": adoption.TEXT_FIELDS,
            "number_fields": adoption.NUMBER_FIELDS,
            "error": error,
            "notice": notice,
            "can_edit": principal.has(Role.MANAGER),
        },
        status_code=status_code,
    )


@router.get("/registre/{system_id}/adoption", response_class=HTMLResponse)
def adoption_page(
    request: Request,
    system_id: str,
    enregistre: int = 0,
    principal: Principal = Depends(READERS),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    notice = gettext_("The adoption case was saved.") if enregistre else ""
    return _adoption_page(request, db, principal, gov.get_system(db, system_id), notice=notice)


async def _document(request: Request) -> adoption.Document | None:
    upload = (await request.form()).get("council_document")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    return adoption.Document(upload.filename, await upload.read(adoption.MAX_DOCUMENT_BYTES + 1))


@router.post("/registre/{system_id}/adoption", response_model=None)
async def save_adoption(
    request: Request,
    system_id: str,
    principal: Principal = Depends(EDITORS),
    db: Session = Depends(tenant_db),
) -> Response:
    system = gov.get_system(db, system_id)
    form = await form_of(request)
    document = await _document(request)
    return saved_or_shown_again(
        db,
        lambda: adoption.save_case(db, system, form, actor=principal.user.id, document=document),
        then=f"/gouvernance/registre/{system_id}/adoption?enregistre=1",
        again=lambda error, status: _adoption_page(
            request, db, principal, gov.get_system(db, system_id), form=form, error=error, status_code=status
        ),
    )


@router.get("/registre/{system_id}/adoption/document", response_model=None)
def council_document(
    system_id: str, principal: Principal = Depends(READERS), db: Session = Depends(tenant_db)
) -> Response:
    case, content = adoption.council_document(db, system_id)
    # The name as uploaded (accents included) in RFC 6266's UTF-8 form; headers themselves are ASCII.
    suffix = case.document_name.rsplit(".", 1)[-1]
    disposition = f"attachment; filename=\"conseil.{suffix}\"; filename*=UTF-8''{quote(case.document_name)}"
    return Response(content, media_type=case.document_type, headers={"Content-Disposition": disposition})


def _vendor_page(
    request: Request,
    principal: Principal,
    vendor: vendors.VendorAssessment | None,
    *,
    form: dict[str, Any] | None = None,
    error: str = "",
    notice: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    if form is None and vendor is not None:
        form = {name: getattr(vendor, name) for name in vendors.TEXT_FIELDS}
        form.update({f"score_{k}": str(v) for k, v in vendor.scores.items()})
    return render(
        request,
        "governance/vendor.html",
        {
            "vendor": vendor,
            "values": form or {},
            "score": vendors.score_of(vendor.scores) if vendor else None,
            "missing": vendors.missing_of(vendor) if vendor else [],
            "criteria": vendors.CRITERIA,
            "max_points": vendors.MAX_POINTS,
            "field_labels": vendors.FIELD_LABELS,
            "answer_labels": vendors.ANSWER_LABELS,
            "hosting_labels": HOSTING_LABELS,
            "error": error,
            "notice": notice,
            "can_edit": principal.has(Role.MANAGER),
        },
        status_code=status_code,
    )


@router.get("/fournisseurs", response_class=HTMLResponse)
def vendors_page(
    request: Request, principal: Principal = Depends(READERS), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    found = vendors.list_vendors(db)
    return render(
        request,
        "governance/vendors.html",
        {
            "vendors": [(v, vendors.score_of(v.scores), vendors.is_complete(v)) for v in found],
            "criteria": vendors.CRITERIA,
            "max_points": vendors.MAX_POINTS,
            "hosting_labels": HOSTING_LABELS,
            "can_edit": principal.has(Role.MANAGER),
        },
    )


@router.get("/fournisseurs/nouveau", response_class=HTMLResponse)
def new_vendor(request: Request, principal: Principal = Depends(EDITORS)) -> HTMLResponse:
    return _vendor_page(request, principal, None)


@router.post("/fournisseurs/nouveau", response_model=None)
async def create_vendor(
    request: Request, principal: Principal = Depends(EDITORS), db: Session = Depends(tenant_db)
) -> Response:
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: vendors.save_vendor(db, principal.tenant.id, form, actor=principal.user.id),
        then=lambda vendor: f"/gouvernance/fournisseurs/{vendor.id}?enregistre=1",
        again=lambda error, status: _vendor_page(
            request, principal, None, form=form, error=error, status_code=status
        ),
    )


@router.get("/fournisseurs/{vendor_id}", response_class=HTMLResponse)
def vendor_page(
    request: Request,
    vendor_id: str,
    enregistre: int = 0,
    principal: Principal = Depends(READERS),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    notice = gettext_("The vendor assessment was saved.") if enregistre else ""
    return _vendor_page(request, principal, vendors.get_vendor(db, vendor_id), notice=notice)


@router.post("/fournisseurs/{vendor_id}", response_model=None)
async def update_vendor(
    request: Request,
    vendor_id: str,
    principal: Principal = Depends(EDITORS),
    db: Session = Depends(tenant_db),
) -> Response:
    vendor = vendors.get_vendor(db, vendor_id)
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: vendors.save_vendor(db, principal.tenant.id, form, actor=principal.user.id, vendor=vendor),
        then=f"/gouvernance/fournisseurs/{vendor_id}?enregistre=1",
        again=lambda error, status: _vendor_page(
            request, principal, vendors.get_vendor(db, vendor_id), form=form, error=error, status_code=status
        ),
    )
