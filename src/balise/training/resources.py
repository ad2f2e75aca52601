"""The learning resources (G21): four pages shipped with Balise, copied into a municipality's own
pages the first time anyone opens them, then edited by its managers.

The shipped texts are files in ``texts/<language>/<key>.md``: the copy is made in the language of the
person who opens the pages first, so a French-speaking municipality gets the French glossary.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.bounds import check_length
from balise.db.base import utcnow
from balise.errors import Invalid, NotFound
from balise.i18n import N_, current_locale, gettext_
from balise.training.tables import LearningResource

TEXTS = Path(__file__).parent / "texts"
SHIPPED: dict[str, str] = {
    "glossary": N_("Glossary of generative AI"),
    "prompting": N_("Guide to writing prompts"),
    "data_protection": N_("Data protection and security basics"),
    "discussion": N_("Team discussion canvas"),
}
"""Each shipped resource's key and title, in the order the pages list them."""
MAX_TITLE = 200
MAX_BODY = 20_000


def shipped_text(key: str) -> str:
    folder = TEXTS / current_locale.get()
    return (folder if folder.is_dir() else TEXTS / "fr").joinpath(f"{key}.md").read_text(encoding="utf-8")


def ensure_resources(session: Session, tenant_id: str, *, actor: str) -> list[LearningResource]:
    """The municipality's resources in the shipped order, the missing shipped ones copied first."""
    have = {r.key: r for r in session.scalars(select(LearningResource))}
    added = [key for key in SHIPPED if key not in have]
    for key in added:
        have[key] = LearningResource(
            tenant_id=tenant_id, key=key, title=gettext_(SHIPPED[key]), body=shipped_text(key)
        )
        session.add(have[key])
    if added:
        audit.record(
            session,
            "training.resources_seeded",
            actor=actor,
            tenant_id=tenant_id,
            target_type="learning_resource",
            details={"count": len(added)},
        )
        session.flush()
    return [have[key] for key in SHIPPED] + [r for k, r in have.items() if k not in SHIPPED]


def get_resource(session: Session, key: str) -> LearningResource:
    resource = session.scalars(select(LearningResource).where(LearningResource.key == key)).first()
    if resource is None:
        raise NotFound("This learning resource does not exist. Go back to the list of resources.")
    return resource


def open_resource(session: Session, key: str) -> LearningResource:
    """The resource as a reader opens it: each opening is counted (the conformity view's G21)."""
    resource = get_resource(session, key)
    resource.reads += 1
    session.flush()
    return resource


def save_resource(
    session: Session, tenant_id: str, key: str, form: Mapping[str, Any], *, actor: str
) -> LearningResource:
    """A manager's edit: the title and text replace the previous ones (the audit log keeps when)."""
    resource = get_resource(session, key)
    title = str(form.get("title", "")).strip()
    body = str(form.get("body", "")).strip()
    if not title or not body:
        raise Invalid("Give the resource a title and a text.")
    check_length(title, MAX_TITLE, gettext_("Title"))
    check_length(body, MAX_BODY, gettext_("Text"))
    resource.title, resource.body = title, body
    resource.edited_by, resource.edited_at = actor, utcnow()
    audit.record(
        session,
        "training.resource_edited",
        actor=actor,
        tenant_id=tenant_id,
        target_type="learning_resource",
        target_id=resource.id,
        details={"key": key},
    )
    session.flush()
    return resource
