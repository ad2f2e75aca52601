"""Governance items a municipality shares (G16, G3): its vendor assessments, so a neighbour starts
from facts already gathered about a supplier, and the entries of its AI register, in the field names
of the Eurocities algorithmic-register schema so a pack reads like the registers cities publish.

Both arrive as the importing municipality's own: a register entry as a planned, unpublished system
with nobody named responsible; a vendor assessment as written, which its managers may then revise.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from balise.errors import BaliseError, Invalid
from balise.governance.models import SystemSource, SystemStatus
from balise.governance.register import EUROCITIES_VERSION, eurocities_json, list_systems, save_system
from balise.governance.vendors import CRITERIA, TEXT_FIELDS, checked_values, list_vendors, save_vendor
from balise.i18n import N_, gettext_
from balise.pooling.kinds.base import ADDED, PRESENT, REFUSED, Kind, Offer, check_texts
from balise.tenancy import Tenant

MAX_TEXT = 5_000
_VENDOR_INVALID = N_("A vendor assessment of the pack is not in the format Balise exports.")
_SYSTEM_INVALID = N_("A register entry of the pack is not in the Eurocities format Balise exports.")


def _vendor_content(vendor: Any) -> dict[str, Any]:
    return {
        **{name: getattr(vendor, name) for name in TEXT_FIELDS},
        "scores": {c.key: vendor.scores[c.key] for c in CRITERIA if c.key in vendor.scores},
    }


def _vendor_form(content: dict[str, Any]) -> dict[str, Any]:
    scores = content.get("scores") or {}
    return {
        **{name: content.get(name, "") for name in TEXT_FIELDS},
        **{f"score_{key}": str(points) for key, points in scores.items()},
    }


def _vendor_offers(session: Session, tenant: Tenant) -> list[Offer]:
    return [Offer("vendor", v.id, v.name, _vendor_content(v)) for v in list_vendors(session)]


def _check_vendor(content: dict[str, Any]) -> None:
    check_texts(content, {name: 200 if name == "name" else MAX_TEXT for name in TEXT_FIELDS}, _VENDOR_INVALID)
    scores = content.get("scores", {})
    if not isinstance(scores, dict) or not set(scores) <= {c.key for c in CRITERIA}:
        raise Invalid(_VENDOR_INVALID)
    if any(isinstance(points, bool) or not isinstance(points, int) for points in scores.values()):
        raise Invalid(_VENDOR_INVALID)
    checked_values(_vendor_form(content))


def _add_vendor(session: Session, tenant: Tenant, content: dict[str, Any], actor: str) -> tuple[str, str]:
    name = content["name"].strip().lower()
    same = next((v for v in list_vendors(session) if v.name.strip().lower() == name), None)
    if same is not None:
        if _vendor_content(same) == _clean_vendor(content):
            return PRESENT, ""
        return REFUSED, gettext_(
            "An assessment of this supplier already exists here with other facts or scores; nothing was "
            "overwritten. Compare them on the suppliers page."
        )
    save_vendor(session, tenant.id, _vendor_form(content), actor=actor)
    return ADDED, ""


def _clean_vendor(content: dict[str, Any]) -> dict[str, Any]:
    values, scores = checked_values(_vendor_form(content))
    return {**values, "scores": scores}


# --- register entries, in the Eurocities schema's field names ---------------------------------------

SYSTEM_FIELDS = {
    "name": "name",
    "description_short": "purpose",
    "description": "description",
    "department": "owner_team",
    "provider": "supplier",
    "source_data": "data_used",
    "human_intervention": "human_oversight",
    "risks": "risks",
    "monitoring": "mitigations",
    "lawful_basis": "lawful_basis",
}
"""Each Eurocities field a pack carries and the register field it fills."""
_LIMITS = {"name": 200, "department": 200, "provider": 200}


def _system_offers(session: Session, tenant: Tenant) -> list[Offer]:
    """The entries the municipality wrote; Balise's own tasks and models every deployment has."""
    systems = [s for s in list_systems(session) if s.source == SystemSource.MANUAL.value]
    rows = eurocities_json(tenant, systems, url="", complaint_url="", contact_email="")
    return [
        Offer(
            "register_entry",
            system.id,
            system.name,
            {
                **{field: row[field] for field in SYSTEM_FIELDS},
                "category": row["category"],
                "status": row["status"],
                "standard_version": EUROCITIES_VERSION,
            },
        )
        for system, row in zip(systems, rows, strict=True)
    ]


def _check_system(content: dict[str, Any]) -> None:
    check_texts(content, {f: _LIMITS.get(f, MAX_TEXT) for f in SYSTEM_FIELDS}, _SYSTEM_INVALID)
    category = content.get("category", [])
    if (
        not isinstance(category, list)
        or len(category) > 1
        or not all(isinstance(c, str) and len(c) <= 80 for c in category)
    ):
        raise Invalid(_SYSTEM_INVALID)
    if not str(content.get("name", "")).strip() or not str(content.get("description_short", "")).strip():
        raise Invalid(_SYSTEM_INVALID)


def _system_form(content: dict[str, Any]) -> dict[str, str]:
    return {
        **{field: str(content.get(source, "")).strip() for source, field in SYSTEM_FIELDS.items()},
        "category": (content.get("category") or [""])[0].strip(),
        "status": SystemStatus.PLANNED.value,
    }


def _add_system(session: Session, tenant: Tenant, content: dict[str, Any], actor: str) -> tuple[str, str]:
    form = _system_form(content)
    same = next((s for s in list_systems(session) if s.name.strip().lower() == form["name"].lower()), None)
    if same is not None:
        if all(getattr(same, field) == form[field] for field in (*SYSTEM_FIELDS.values(), "category")):
            return PRESENT, ""
        return REFUSED, gettext_(
            "Your register already has a system with this name described otherwise; nothing was "
            "overwritten. Compare them in the register."
        )
    try:
        save_system(session, tenant.id, form, actor=actor)
    except BaliseError as exc:
        return REFUSED, exc.localized()
    return ADDED, ""


GOVERNANCE_KINDS: dict[str, Kind] = {
    "vendor": Kind(N_("Vendor assessment"), _vendor_offers, _check_vendor, _add_vendor),
    "register_entry": Kind(N_("AI register entry (Eurocities)"), _system_offers, _check_system, _add_system),
}
