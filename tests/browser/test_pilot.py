"""The pilot as the demo's manager walks it: a process mapped with its time before, then its redesign
and its time after; the interim review written, exported as Word and PDF and read back; the residents'
communication the demo published on the transparency page. axe-core on every page."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from pypdf import PdfReader

from tests.browser.conftest import check_accessibility, sign_in, visit

pytestmark = pytest.mark.browser


def _download(page, name: str) -> bytes:  # type: ignore[no-untyped-def]
    with page.expect_download() as download_info:
        page.get_by_role("link", name=name).click()
    return download_info.value.path().read_bytes()


def test_a_process_measured_before_and_after_then_the_review_exported(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "gestionnaire@demo.balise.ca")
    page.get_by_role("link", name="Processus du pilote").click()
    page.wait_for_url("**/gouvernance/processus")
    check_accessibility(page)

    new = page.get_by_role("region", name="Cartographier un processus chronophage")
    new.get_by_label("Processus", exact=True).fill("Réservation des salles communales")
    new.get_by_label("Service", exact=True).fill("Urbanisme")
    new.get_by_label("Étapes, une par ligne").fill("Lire la demande\nVérifier le calendrier\nRépondre")
    new.get_by_label("Minutes par occurrence avant").fill("20")
    new.get_by_label("Occurrences par mois").fill("30")
    new.get_by_role("button", name="Cartographier ce processus").click()
    page.wait_for_url(re.compile(r".*/gouvernance/processus\?enregistre=1#processus-\w+"))
    check_accessibility(page)
    assert "Le processus est enregistré." in page.get_by_role("status").inner_text()

    card = page.locator(
        "section.card", has=page.get_by_role("heading", name=re.compile("Réservation des salles"))
    )
    assert "Pas encore repensé." in card.inner_text()
    card.get_by_label("Minutes par occurrence après").fill("5")
    card.get_by_role("button", name="Enregistrer « Réservation des salles communales »").click()
    assert "Dites comment le processus a été repensé" in page.get_by_role("alert").inner_text()
    check_accessibility(page)
    card = page.locator(
        "section.card", has=page.get_by_role("heading", name=re.compile("Réservation des salles"))
    )
    card.get_by_label(re.compile("Comment le processus a été repensé")).fill(
        "Un calendrier en ligne remplace les échanges de courriels."
    )
    card.get_by_label("Minutes par occurrence après").fill("5")
    card.get_by_role("button", name="Enregistrer « Réservation des salles communales »").click()
    page.wait_for_url(re.compile(r".*enregistre=1#processus-\w+"))
    row = page.get_by_role("row", name=re.compile("Réservation des salles communales"))
    assert row.inner_text().split("\t")[-1].strip() == "7,5"  # (20 − 5) × 30 minutes a month

    page.get_by_role("link", name="Le rapport de bilan intermédiaire").click()
    page.wait_for_url("**/gouvernance/bilan")
    check_accessibility(page)
    page.get_by_label("Défis rencontrés pendant le pilote").fill("Former tout le service au calendrier.")
    page.get_by_role("button", name="Enregistrer le bilan").click()
    page.wait_for_url("**/gouvernance/bilan?enregistre=1#defis")
    check_accessibility(page)

    document = Document(io.BytesIO(_download(page, "Word (DOCX)")))
    assert "Former tout le service au calendrier." in [p.text for p in document.paragraphs]
    assert any(
        "Réservation des salles communales" in c.text for r in document.tables[0].rows for c in r.cells
    )
    pdf = PdfReader(io.BytesIO(_download(page, "PDF")))
    text = " ".join(p.extract_text() for p in pdf.pages).replace("\n", " ")
    assert "Bilan intermédiaire du projet pilote" in text and "Former tout le service" in text

    assert "Publiée le" in page.locator("#communication-population").inner_text()
    visit(page, "/public/demo/transparence")
    assert "Résultats du projet pilote d’IA" in page.get_by_role("main").inner_text()
