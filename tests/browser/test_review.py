"""Human review as people do it: submit, review with edits, approve, export; a rejected result stays in."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, select

from balise.db import open_session
from balise.review import read_custom_properties, save_output
from balise.tenancy import Tenant, User
from tests.browser.conftest import check_accessibility, sign_in, visit

pytestmark = pytest.mark.browser

PROVENANCE = {
    "model": "extractif",
    "backend": "generative",
    "sources": [{"document_id": "d1", "title": "Règlement 2024-12 sur l’arrosage", "page": 2}],
    "masked": {"PERSON": 0},
    "created_at": "2026-11-21T09:00:00+00:00",
}


def _save(engine: Engine, email: str, text: str, purpose: str = "public") -> str:
    """An output saved the way the assistant saves it, in the browser server's database."""
    with open_session(engine) as session:
        tenant = session.scalars(select(Tenant).where(Tenant.slug == "demo")).one()
        user = session.scalars(select(User).where(User.email == email)).one()
        output = save_output(
            session,
            tenant_id=tenant.id,
            author_id=user.id,
            task="draft",
            text=text,
            purpose=purpose,
            provenance=PROVENANCE,
        )
        session.commit()
        return output.id


def _switch(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    sign_in(page, email)


def test_submission_review_with_edits_approval_and_export(page, server_engine):
    text = "L’arrosage est permis les jours pairs de 20 h à 22 h."
    output_id = _save(server_engine, "employe@demo.balise.ca", text)

    sign_in(page, "employe@demo.balise.ca")
    visit(page, "/resultats")
    page.get_by_role("link", name="Rédaction — L’arrosage est permis").first.click()
    page.wait_for_url(f"**/resultats/{output_id}")
    check_accessibility(page)
    assert "doit l’approuver avant" in page.get_by_role("region", name="Exporter").inner_text()
    assert "Texte produit avec l’aide de l’IA générative (modèle extractif" in page.content()

    page.get_by_label("Communication publique").check()
    page.get_by_label("Réviseur·e", exact=True).select_option(label="Rémi Réviseur")
    page.get_by_label("Échéance (facultative)").fill((date.today() + timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Soumettre pour révision").click()
    assert "soumis pour révision" in page.get_by_role("status").first.inner_text()
    check_accessibility(page)

    _switch(page, "reviseur@demo.balise.ca")
    visit(page, "/notifications")
    page.get_by_role("link", name="Un résultat a été soumis à votre révision.").first.click()
    page.wait_for_url(f"**/revision/{output_id}")
    check_accessibility(page)
    page.get_by_label("Texte du résultat").fill("L’arrosage est permis les jours pairs de 19 h à 21 h.")
    page.get_by_role("button", name="Enregistrer mes modifications").click()
    page.wait_for_url(f"**/revision/{output_id}")
    check_accessibility(page)
    changes = page.get_by_role("region", name="Texte et vos modifications")
    assert changes.locator("del").first.text_content() == "[supprimé : 20]"
    assert changes.locator("ins").first.text_content() == "[ajouté : 19]"
    page.get_by_label("Commentaire à l’auteur").fill("Horaire corrigé selon le règlement.")
    page.get_by_role("button", name="Approuver").click()
    assert "décision a été enregistrée" in page.get_by_role("status").first.inner_text()
    check_accessibility(page)

    _switch(page, "employe@demo.balise.ca")
    visit(page, "/notifications")
    assert "Votre résultat a été approuvé." in page.get_by_role("main").inner_text()
    visit(page, f"/resultats/{output_id}")
    assert "Révisé et approuvé par Rémi Réviseur." in page.get_by_role("region", name="Mention").inner_text()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger en Word (.docx)").click()
    data = download_info.value.path().read_bytes()
    properties = read_custom_properties(data)
    assert properties["balise:reviewed_by"] == "Rémi Réviseur"
    assert properties["balise:review_status"] == "approved"
    markdown = page.request.get(f"/resultats/{output_id}/export.md")
    assert markdown.status == 200
    assert "19 h à 21 h" in markdown.text() and "reviewed_by: Rémi Réviseur" in markdown.text()


def test_rejected_output_cannot_be_exported(page, server_engine):
    output_id = _save(server_engine, "employe@demo.balise.ca", "Réponse à vérifier.", purpose="internal")
    sign_in(page, "employe@demo.balise.ca")
    visit(page, f"/resultats/{output_id}")
    page.get_by_label("Usage interne").check()
    page.get_by_role("button", name="Soumettre pour révision").click()
    page.wait_for_url(f"**/resultats/{output_id}?soumis=1")

    _switch(page, "reviseur@demo.balise.ca")
    visit(page, "/revision")
    page.get_by_role("link", name="Rédaction — Réponse à vérifier.").click()
    page.wait_for_url(f"**/revision/{output_id}")
    page.get_by_role("button", name="Rejeter").click()
    assert "Expliquez votre décision" in page.get_by_role("alert").inner_text()
    check_accessibility(page)
    page.get_by_label("Commentaire à l’auteur").fill("Source périmée.")
    page.get_by_role("button", name="Rejeter").click()
    page.wait_for_url(f"**/revision/{output_id}?decide=1")

    _switch(page, "employe@demo.balise.ca")
    visit(page, f"/resultats/{output_id}")
    export = page.get_by_role("region", name="Exporter")
    assert "rejeté par un réviseur" in export.inner_text()
    assert export.get_by_role("link").count() == 0
    refused = page.request.get(f"/resultats/{output_id}/export.docx")
    assert refused.status == 409
    visit(page, f"/resultats/{output_id}/export.md")
    assert "ne peut être ni exporté ni publié" in page.get_by_role("alert").inner_text()
