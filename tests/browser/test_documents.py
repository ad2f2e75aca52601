"""The document library as an administrator uses it: a mixed upload, live statuses, reclassify, delete."""

from __future__ import annotations

import pytest

from tests.browser.conftest import check_accessibility, sign_in, visit
from tests.documents.samples import DEMO

pytestmark = pytest.mark.browser

NOTE = (
    "# Déneigement\n\n## Stationnement\n\nLe stationnement de nuit est interdit du 1er décembre au 31 mars.\n"
)


def test_upload_several_files_follow_each_status_then_reclassify_and_delete(page):
    sign_in(page, "admin@demo.balise.ca")
    visit(page, "/documents")
    page.get_by_label("Fichiers", exact=True).set_input_files(
        [
            {"name": "deneigement.md", "mimeType": "text/markdown", "buffer": NOTE.encode()},
            {
                "name": "permis.pdf",
                "mimeType": "application/pdf",
                # A copy of a demo PDF made distinct (the demo library already holds the original,
                # and an identical file is not ingested twice): a trailing comment keeps it valid.
                "buffer": (DEMO / "reglement-2025-03-permis-renovation.pdf").read_bytes() + b"\n% copie\n",
            },
            {"name": "vide.txt", "mimeType": "text/plain", "buffer": b""},
            {"name": "abime.pdf", "mimeType": "application/pdf", "buffer": b"pas un pdf"},
        ]
    )
    page.locator("#classification").select_option(label="Interne")
    page.get_by_label("Service responsable").fill("Travaux publics")
    page.get_by_role("button", name="Ajouter à la bibliothèque").click()

    batch = page.locator("#lot")
    batch.get_by_text("Fichiers traités : 4 sur 4").wait_for(timeout=120_000)  # htmx polls every 2 s
    check_accessibility(page)
    rows = batch.get_by_role("row")
    assert "Échec" in rows.filter(has_text="vide.txt").inner_text()
    assert "vide (0 octet)" in rows.filter(has_text="vide.txt").inner_text()
    assert "pas un PDF valide" in rows.filter(has_text="abime.pdf").inner_text()
    assert "Prêt" in rows.filter(has_text="deneigement.md").inner_text()
    assert "Prêt" in rows.filter(has_text="permis.pdf").inner_text()

    batch.get_by_role("link", name="deneigement.md").click()
    page.wait_for_url("**/documents/*")
    check_accessibility(page)
    assert "Stationnement" in page.get_by_role("table").inner_text()
    page.get_by_label("Classification", exact=True).select_option(label="Confidentiel")
    page.get_by_role("button", name="Changer la classification").click()
    assert "de Interne à Confidentiel" in page.get_by_role("status").first.inner_text()
    check_accessibility(page)

    page.get_by_role("link", name="Supprimer ce document").click()
    page.wait_for_url("**/suppression")
    check_accessibility(page)
    page.get_by_role("button", name="Supprimer définitivement").click()
    page.wait_for_url("**/documents?message=deleted")
    assert "ont été supprimés" in page.get_by_role("status").first.inner_text()
    check_accessibility(page)
    assert page.get_by_role("link", name="Déneigement").count() == 0


def test_an_employee_uploads_only_public_or_internal_and_filters_the_list(page):
    sign_in(page, "employe@demo.balise.ca")
    visit(page, "/documents")
    options = page.locator("#classification option").all_inner_texts()
    assert options == ["Public", "Interne"]
    page.get_by_label("Le titre contient").fill("aucun-titre-pareil")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/documents?**")
    assert "Aucun document ne correspond" in page.get_by_role("table").inner_text()
    check_accessibility(page)
