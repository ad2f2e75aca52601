"""Texts a municipality shares (G16, G14, G21): its memento, which arrives as a new draft version the
importing municipality reads, edits and adopts itself (never adopted automatically), and the learning
resources it rewrote, which take the place of the shipped texts only where no one rewrote them yet.

The self-check quiz is not packed: its scenarios are Balise's own and every municipality has them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.errors import Invalid
from balise.i18n import N_, gettext_
from balise.memento import current, import_version, versions
from balise.memento.service import MAX_BODY, MAX_SECTIONS, MAX_TITLE
from balise.pooling.kinds.base import ADDED, PRESENT, REFUSED, Kind, Offer, check_texts
from balise.tenancy import Tenant
from balise.training.resources import MAX_BODY as RESOURCE_BODY
from balise.training.resources import MAX_TITLE as RESOURCE_TITLE
from balise.training.resources import SHIPPED, ensure_resources, save_resource
from balise.training.tables import LearningResource

_MEMENTO_INVALID = N_("A memento text of the pack is not in the format Balise exports.")
_RESOURCE_INVALID = N_("A learning resource of the pack is not in the format Balise exports.")


def _memento_offers(session: Session, tenant: Tenant) -> list[Offer]:
    """The memento in force, or the newest draft before any adoption."""
    found = versions(session)
    version = current(session) or (found[0] if found else None)
    if version is None:
        return []
    parts = [{"key": str(s.get("key", "")), "title": s["title"], "body": s["body"]} for s in version.sections]
    title = gettext_("AI memento, version {number}").format(number=version.number)
    return [Offer("memento", version.id, title, {"sections": parts})]


def _check_memento(content: dict[str, Any]) -> None:
    parts = content.get("sections")
    if not isinstance(parts, list) or not 0 < len(parts) <= MAX_SECTIONS:
        raise Invalid(_MEMENTO_INVALID)
    for part in parts:
        if not isinstance(part, dict) or not str(part.get("title", "")).strip():
            raise Invalid(_MEMENTO_INVALID)
        check_texts(part, {"key": 40, "title": MAX_TITLE, "body": MAX_BODY}, _MEMENTO_INVALID)


def _add_memento(session: Session, tenant: Tenant, content: dict[str, Any], actor: str) -> tuple[str, str]:
    parts = [
        {"key": str(s.get("key", "")), "title": s["title"].strip(), "body": s.get("body", "").strip()}
        for s in content["sections"]
    ]
    if any(version.sections == parts for version in versions(session)):
        return PRESENT, ""
    import_version(session, tenant, parts, actor=actor)
    return ADDED, gettext_("A new draft version: read it, edit it and adopt it on the memento page.")


def _resource_offers(session: Session, tenant: Tenant) -> list[Offer]:
    """Only the resources the municipality rewrote: the shipped texts every municipality has."""
    edited = (
        select(LearningResource).where(LearningResource.edited_at.is_not(None)).order_by(LearningResource.key)
    )
    return [
        Offer("learning_resource", r.key, r.title, {"key": r.key, "title": r.title, "body": r.body})
        for r in session.scalars(edited)
        if r.key in SHIPPED
    ]


def _check_resource(content: dict[str, Any]) -> None:
    if content.get("key") not in SHIPPED:
        raise Invalid(_RESOURCE_INVALID)
    check_texts(content, {"title": RESOURCE_TITLE, "body": RESOURCE_BODY}, _RESOURCE_INVALID)
    if not content.get("title", "").strip() or not content.get("body", "").strip():
        raise Invalid(_RESOURCE_INVALID)


def _add_resource(session: Session, tenant: Tenant, content: dict[str, Any], actor: str) -> tuple[str, str]:
    mine = {r.key: r for r in ensure_resources(session, tenant.id, actor=actor)}[content["key"]]
    if (mine.title, mine.body) == (content["title"].strip(), content["body"].strip()):
        return PRESENT, ""
    if mine.edited_at is not None:
        return REFUSED, gettext_(
            "Your municipality already rewrote this learning resource; nothing was overwritten. Copy what "
            "you want from the pack on the resources page."
        )
    save_resource(session, tenant.id, content["key"], content, actor=actor)
    return ADDED, ""


TEXT_KINDS: dict[str, Kind] = {
    "memento": Kind(N_("AI memento text"), _memento_offers, _check_memento, _add_memento),
    "learning_resource": Kind(N_("Learning resource"), _resource_offers, _check_resource, _add_resource),
}
