"""Tenant-B objects for the strategy path's routes: a survey campaign and a resource person.

A survey's public token, a campaign's state and a roadmap step's key are not tenant data: the public
page takes a slug aimed at one that does not exist (``governance.NEUTRAL``), so it answers 404.
"""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from balise.governance.roadmap import add_resource_person
from balise.survey.service import create_campaign
from balise.tenancy import Tenant, User
from tests.tenancy.isolation import Factory


def _campaign(session: Session, tenant: Tenant, user: User) -> str:
    return create_campaign(session, tenant, f"Sondage secret de B {secrets.token_hex(4)}", actor="test").id


def _resource_person(session: Session, tenant: Tenant, user: User) -> str:
    form = {"name": "Personne secrète de B", "service": "Greffe"}
    return add_resource_person(session, tenant.id, form, actor="test").id


FACTORIES: dict[str, Factory] = {"campaign_id": _campaign, "person_id": _resource_person}
NEUTRAL = {"token": "jeton-inconnu", "state": "ouvrir", "step": "pilot"}
