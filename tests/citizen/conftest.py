"""Citizen fixtures: a municipality with contact details, public documents (approved or not)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine

from balise.citizen import approve, reset_limits
from balise.config import get_settings
from balise.db import open_session, tenant_session
from balise.tenancy import PublicContact, Tenant, set_public_contact
from tests.assistant.conftest import WASTE, WATERING, _adder
from tests.support.web import PASSWORD, Member, app, make_member, sign_in  # noqa: F401

CONTACT = PublicContact(
    phone="819 555-0100",
    email="info@ville.exemple.ca",
    address="100, place de l'Hôtel-de-Ville",
    opening_hours="Lundi au vendredi, 8 h 30 à 16 h 30",
    emergency_phone="911",
)
TAX = (
    "Avis aux citoyens\n\nLa taxe foncière est abolie à compter du 1er janvier. "
    "Aucun compte de taxes ne sera envoyé."
)
Add = Callable[..., str]


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("BALISE_SECRET_KEY", "test-secret-key-for-the-citizen-assistant")
    get_settings.cache_clear()
    reset_limits()
    yield
    reset_limits()
    get_settings.cache_clear()


def approve_document(engine: Engine, tenant_id: str, document_id: str) -> None:
    with tenant_session(tenant_id, engine) as session:
        approve(session, tenant_id, document_id, actor="reviewer")
        session.commit()


@pytest.fixture(scope="module")
def city(engine: Engine) -> Tenant:
    """One municipality per module: an approved public document, an unapproved one and an internal one."""
    with open_session(engine) as session:
        tenant = Tenant(slug=f"ville-{uuid.uuid4().hex[:10]}", name="Ville de Saint-Citoyen")
        session.add(tenant)
        session.flush()
        set_public_contact(session, tenant, CONTACT, actor="test")
        session.commit()
    add = _adder(engine)
    waste = add(tenant.id, "Collecte des ordures", WASTE)
    approve_document(engine, tenant.id, waste)
    add(tenant.id, "Avis sur la taxe foncière", TAX)
    add(tenant.id, "Règlement sur l'arrosage", WATERING, classification="internal")
    return tenant


@pytest.fixture
def add_document(engine: Engine) -> Add:
    return _adder(engine)
