"""The privacy settings page: who may open it, saving with French errors, and the test box."""

from __future__ import annotations

from sqlalchemy import select

from balise.audit.models import AuditEntry
from balise.db import open_session
from balise.guard.privacy import LABELS, load_settings
from tests.support.web import Member, csrf_of


def _save(member: Member, **form: object):  # type: ignore[no-untyped-def]
    data: dict[str, object] = {
        "csrf_token": csrf_of(member.client),
        "labels": list(LABELS),
        "retention_days": "30",
        **form,
    }
    return member.client.post("/confidentialite", data=data)


def test_only_the_privacy_officer_and_administrators_open_the_page(make_member):
    officer: Member = make_member("privacy_officer")
    page = officer.client.get("/confidentialite")
    assert page.status_code == 200
    assert page.text.count('name="labels"') == len(LABELS)
    assert "Numéros d’assurance sociale (Canada)" in page.text
    assert "Non masqués actuellement" not in page.text  # everything is masked by default
    assert make_member("admin", tenant=officer.tenant).client.get("/confidentialite").status_code == 200
    for role in ("employee", "reviewer", "manager"):
        refused = make_member(role, tenant=officer.tenant).client.get("/confidentialite")
        assert refused.status_code == 403 and "Accès refusé" in refused.text


def test_saving_the_settings_stores_them_audits_and_warns_about_unmasked_labels(make_member, engine):
    officer: Member = make_member("privacy_officer")
    labels = [label for label in LABELS if label != "LICENCE_PLATE"]
    response = _save(
        officer,
        labels=labels,
        deny_terms="Dossier Tremblay\n\n  Projet Castor ",
        allow_terms="Marie Maire",
        retention_days="90",
    )
    assert response.status_code == 200, response.text
    assert "ont été enregistrés" in response.text
    assert "Plaques d’immatriculation" in response.text.split("Non masqués actuellement")[1]
    with open_session(engine) as session:
        saved = load_settings(session, officer.tenant.id)
        audited = session.scalar(
            select(AuditEntry).where(
                AuditEntry.tenant_id == officer.tenant.id, AuditEntry.action == "privacy.settings_saved"
            )
        )
    assert saved.deny_terms == ("Dossier Tremblay", "Projet Castor")
    assert saved.allow_terms == ("Marie Maire",) and saved.retention_days == 90
    assert "LICENCE_PLATE" not in saved.labels
    assert audited is not None and audited.actor == officer.user.id
    again = officer.client.get("/confidentialite").text
    assert "Projet Castor" in again and 'value="90"' in again


def test_refused_values_come_back_in_french_with_the_form_filled(make_member, engine):
    officer: Member = make_member("privacy_officer")
    not_a_number = _save(officer, retention_days="trente", deny_terms="Projet Castor")
    assert not_a_number.status_code == 422
    assert "un nombre entier de jours" in not_a_number.text
    assert "Projet Castor" in not_a_number.text
    too_long = _save(officer, retention_days="99999")
    assert too_long.status_code == 422 and "99999" in too_long.text
    unknown = _save(officer, labels=["PERSON", "SHOE_SIZE"])
    assert unknown.status_code == 422 and "SHOE_SIZE" in unknown.text
    with open_session(engine) as session:
        assert load_settings(session, officer.tenant.id).retention_days == 30  # nothing saved
    forged = officer.client.post("/confidentialite", data={"labels": ["PERSON"], "retention_days": "30"})
    assert forged.status_code == 403


def test_the_test_box_shows_masked_spans_with_the_saved_lists(make_member):
    officer: Member = make_member("privacy_officer")
    _save(officer, deny_terms="Projet Castor", allow_terms="Marie Maire")
    text = "Marie Maire a écrit à jean.roy@example.org au sujet du Projet Castor."
    response = officer.client.post(
        "/confidentialite/essai", data={"csrf_token": csrf_of(officer.client), "text": text}
    )
    assert response.status_code == 200, response.text
    result = response.text.split('id="resultat"')[1]
    assert '<mark class="masked">' in result
    assert "[COURRIEL_1]" in result and "jean.roy@example.org" in result.split("Remplacé avant l’envoi")[-1]
    assert "[MASQUE_1]" in result  # the deny-list term
    assert "Marie Maire a écrit" in result  # allow-listed, sent as written


def test_the_test_box_refuses_empty_or_too_long_texts_in_french(make_member):
    admin: Member = make_member("admin")
    token = csrf_of(admin.client)
    empty = admin.client.post("/confidentialite/essai", data={"csrf_token": token, "text": "  "})
    assert empty.status_code == 422 and "Saisissez ou collez un texte" in empty.text
    too_long = admin.client.post("/confidentialite/essai", data={"csrf_token": token, "text": "a" * 5001})
    assert too_long.status_code == 422 and "5001 caractères" in too_long.text
    employee = make_member("employee", tenant=admin.tenant)
    refused = employee.client.post(
        "/confidentialite/essai", data={"csrf_token": csrf_of(employee.client), "text": "bonjour"}
    )
    assert refused.status_code == 403


def test_settings_of_one_municipality_do_not_reach_another(make_member):
    officer_a: Member = make_member("privacy_officer", name="Ville A")
    officer_b: Member = make_member("privacy_officer", name="Ville B")
    _save(officer_a, deny_terms="Secret de A", retention_days="7")
    page_b = officer_b.client.get("/confidentialite").text
    assert "Secret de A" not in page_b and 'value="30"' in page_b
