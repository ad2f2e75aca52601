"""Pooling between municipalities (G16): managers export a pack (JSON or .zip) of what they built,
import another municipality's pack file, and publish or take packs in the deployment's shared
library (only published packs cross from one municipality to another, read-only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from balise import pooling
from balise.db import Session
from balise.errors import Invalid
from balise.i18n import gettext_
from balise.tenancy import Role
from balise.web.deps import Principal, tenant_db
from balise.web.forms import form_of, require_any, saved_or_shown_again
from balise.web.templating import render

router = APIRouter(tags=["pooling"])
MANAGERS = require_any(Role.MANAGER)


def _chosen(form: dict[str, Any]) -> list[str]:
    items = form.get("items", [])
    return [items] if isinstance(items, str) and items else list(items or [])


def _page(
    request: Request,
    principal: Principal,
    db: Session,
    *,
    form: dict[str, Any] | None = None,
    error: str = "",
    notice: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "pooling/page.html",
        {
            "offers": pooling.offers(db, principal.tenant),
            "kind_label": pooling.kind_label,
            "mine": pooling.published_packs(db, principal.tenant),
            "library": pooling.library(db, principal.tenant),
            "imports": pooling.imports(db),
            "cards": pooling.cards(db, principal.tenant),
            "form": form or {},
            "chosen": set(_chosen(form or {})),
            "error": error,
            "notice": notice,
        },
        status_code=status_code,
    )


def _arrived(done: pooling.PackImport) -> str:
    return f"/gouvernance/mutualisation/imports/{done.id}"


def _saved(
    request: Request,
    principal: Principal,
    db: Session,
    save: Callable[[], Any],
    then: str | Callable[[Any], str],
    form: dict[str, Any] | None = None,
) -> Response:
    """Saved and on to ``then``, or the page again with the French message (nothing half-saved)."""
    return saved_or_shown_again(
        db,
        save,
        then=then,
        again=lambda error, status: _page(request, principal, db, form=form, error=error, status_code=status),
    )


@router.get("/gouvernance/mutualisation", response_class=HTMLResponse)
def page(
    request: Request,
    publie: int = 0,
    retire: int = 0,
    fiche: int = 0,
    principal: Principal = Depends(MANAGERS),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    notice = ""
    if publie:
        notice = gettext_(
            "Version {version} of the pack is published: the other municipalities see it."
        ).format(version=publie)
    elif retire:
        notice = gettext_("The pack is withdrawn: the other municipalities no longer see it.")
    elif fiche == 1:
        notice = gettext_("The use-case card is published for the other municipalities.")
    elif fiche:
        notice = gettext_("The use-case card is withdrawn: the other municipalities no longer see it.")
    return _page(request, principal, db, notice=notice)


@router.post("/gouvernance/mutualisation/exporter", response_model=None)
async def export(
    request: Request, principal: Principal = Depends(MANAGERS), db: Session = Depends(tenant_db)
) -> Response:
    form = await form_of(request)
    as_zip = form.get("format") == "zip"
    name, chosen = str(form.get("name", "")), _chosen(form)
    try:
        document = (
            pooling.build_zip(db, principal.tenant, name, chosen)
            if as_zip
            else pooling.build_pack(db, principal.tenant, name, chosen).encode()
        )
    except Invalid as exc:
        return _page(request, principal, db, form=form, error=exc.localized(), status_code=exc.status)
    filename = f"paquet-{principal.tenant.slug}.{'zip' if as_zip else 'json'}"
    return Response(
        document,
        media_type="application/zip" if as_zip else "application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post("/gouvernance/mutualisation/publier", response_model=None)
async def publish(
    request: Request, principal: Principal = Depends(MANAGERS), db: Session = Depends(tenant_db)
) -> Response:
    form = await form_of(request)
    return _saved(
        request,
        principal,
        db,
        lambda: pooling.publish(
            db, principal.tenant, str(form.get("name", "")), _chosen(form), actor=principal.user.id
        ),
        lambda pack: f"/gouvernance/mutualisation?publie={pack.version}",
        form,
    )


@router.post("/gouvernance/mutualisation/importer", response_model=None)
def import_file(
    request: Request,
    file: Annotated[UploadFile | str | None, File()] = None,
    principal: Principal = Depends(MANAGERS),
    db: Session = Depends(tenant_db),
) -> Response:
    def imported() -> pooling.PackImport:
        if isinstance(file, str) or file is None or not file.filename:
            raise Invalid("Choose a pack file (.json or .zip) to import.")
        data = file.file.read(pooling.MAX_PACK_BYTES + 1)
        return pooling.import_pack(db, principal.tenant, data, actor=principal.user.id)

    return _saved(request, principal, db, imported, _arrived)


@router.get("/gouvernance/mutualisation/imports/{import_id}", response_class=HTMLResponse)
def import_page(
    request: Request,
    import_id: str,
    principal: Principal = Depends(MANAGERS),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    return render(
        request,
        "pooling/import.html",
        {
            "done": pooling.get_import(db, import_id),
            "kind_label": pooling.kind_label,
            "status_labels": pooling.STATUS_LABELS,
        },
    )


@router.post("/gouvernance/mutualisation/bibliotheque/{pack_id}/importer", response_model=None)
def import_shared(
    request: Request,
    pack_id: str,
    principal: Principal = Depends(MANAGERS),
    db: Session = Depends(tenant_db),
) -> Response:
    return _saved(
        request,
        principal,
        db,
        lambda: pooling.import_shared(db, principal.tenant, pack_id, actor=principal.user.id),
        _arrived,
    )


@router.post("/gouvernance/mutualisation/bibliotheque/{pack_id}/retirer", response_model=None)
def withdraw(
    request: Request,
    pack_id: str,
    principal: Principal = Depends(MANAGERS),
    db: Session = Depends(tenant_db),
) -> Response:
    return _saved(
        request,
        principal,
        db,
        lambda: pooling.withdraw(db, principal.tenant, pack_id, actor=principal.user.id),
        "/gouvernance/mutualisation?retire=1",
    )


@router.post("/gouvernance/mutualisation/cas-d-usage", response_model=None)
async def publish_card(
    request: Request, principal: Principal = Depends(MANAGERS), db: Session = Depends(tenant_db)
) -> Response:
    form = await form_of(request)
    return _saved(
        request,
        principal,
        db,
        lambda: pooling.publish_card(db, principal.tenant, form, actor=principal.user.id),
        "/gouvernance/mutualisation?fiche=1",
        form,
    )


@router.post("/gouvernance/mutualisation/cas-d-usage/{card_id}/retirer", response_model=None)
def withdraw_card(
    request: Request,
    card_id: str,
    principal: Principal = Depends(MANAGERS),
    db: Session = Depends(tenant_db),
) -> Response:
    return _saved(
        request,
        principal,
        db,
        lambda: pooling.withdraw_card(db, principal.tenant, card_id, actor=principal.user.id),
        "/gouvernance/mutualisation?fiche=2",
    )
