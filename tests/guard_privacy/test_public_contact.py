"""The municipality's public contact details are public information: left as written, shown as public."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

from balise.db import tenant_session
from balise.guard.privacy import PrivacyGuard, PrivacySettings, load_settings
from balise.guard.privacy.public import public_spans
from balise.tenancy import PublicContact, Tenant, public_contact, set_public_contact
from tests.support.web import app, csrf_of, make_member  # noqa: F401  (shared fixtures)

CITY_HALL = PublicContact(
    phone="819 555-0100",
    email="info@saint-balise.exemple.ca",
    address="100, place de l'Hôtel-de-Ville, Saint-Balise",
    website="https://saint-balise.exemple.ca",
)
QUESTION = (
    "L'hôtel de ville, au 100, place de l'Hôtel-de-Ville, est-il ouvert ? J'ai appelé le +1 (819) 555-0100 "
    "et écrit à info@saint-balise.exemple.ca. Adresse : 100 place de l'Hôtel-de-Ville, Saint-Balise. "
    "Je suis Jean Tremblay, 514 444-2323, 12 rue des Érables."
)


def test_public_values_are_found_however_they_are_written() -> None:
    found = [QUESTION[a:b] for a, b in public_spans(QUESTION, CITY_HALL.values())]
    assert found == [
        "100, place de l'Hôtel-de-Ville",
        "+1 (819) 555-0100",
        "info@saint-balise.exemple.ca",
        "100 place de l'Hôtel-de-Ville, Saint-Balise",
    ]
    assert public_spans("Appelez le 819 555-0101.", CITY_HALL.values()) == []


def test_the_preview_leaves_city_hall_unmasked_and_masks_the_person(guard: PrivacyGuard) -> None:
    settings = PrivacySettings(public_terms=tuple(CITY_HALL.values()))
    preview = guard.preview(QUESTION, settings)
    assert "ADDRESS" in preview.counts and preview.counts["ADDRESS"] == 1  # only the resident's address
    assert preview.counts["PHONE"] == 1 and "EMAIL" not in preview.counts
    assert "555-0100" in preview.text and "info@saint-balise" in preview.text
    assert "Tremblay" not in preview.text and "444-2323" not in preview.text and "Érables" not in preview.text
    assert len(preview.public) == 4
    without = guard.preview(QUESTION)
    assert without.counts["ADDRESS"] >= 2 and without.counts["PHONE"] == 2  # what the list changes
    prompt = guard.protect([{"role": "user", "content": QUESTION}], settings)
    assert "555-0100" in prompt.messages[0]["content"] and "444-2323" not in prompt.messages[0]["content"]


def test_load_settings_prefills_the_public_contact(
    engine: Engine, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    with tenant_session(tenant.id, engine) as session:
        assert load_settings(session, tenant.id).public_terms == ()  # only the default emergency number
        stored = session.get(Tenant, tenant.id)
        assert stored is not None
        set_public_contact(session, stored, CITY_HALL, actor="test")
        session.commit()
    with tenant_session(tenant.id, engine) as session:
        settings = load_settings(session, tenant.id)
        stored = session.get(Tenant, tenant.id)
        assert stored is not None and public_contact(stored) == CITY_HALL
    assert set(settings.public_terms) == {*CITY_HALL.values()} - {"911"} and settings.allow_terms == ()


def test_the_test_box_shows_city_hall_as_public(make_member, engine: Engine) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    officer = make_member("privacy_officer")
    with tenant_session(officer.tenant.id, engine) as session:
        tenant = session.get(Tenant, officer.tenant.id)
        assert tenant is not None
        set_public_contact(session, tenant, CITY_HALL, actor="test")
        session.commit()
    page = officer.client.post(
        "/confidentialite/essai", data={"csrf_token": csrf_of(officer.client), "text": QUESTION}
    ).text
    assert page.count('class="public-info"') == 4 and "Coordonnées publiques de la municipalité" in page
    assert "[ADRESSE_1]" in page and "[ADRESSE_2]" not in page and "[PERSONNE_1]" in page
