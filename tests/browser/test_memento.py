"""The memento as the demo's manager and employee use it: generated from the settings, exported as
Word and PDF (read back), adopted, then asked of the employee after sign-in and acknowledged; the
manager sees it. axe-core on every page."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader

from tests.browser.conftest import check_accessibility, sign_in, visit

pytestmark = pytest.mark.browser


def _switch(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    sign_in(page, email)


def _download(page, name: str) -> bytes:  # type: ignore[no-untyped-def]
    with page.expect_download() as download_info:
        page.get_by_role("link", name=name).click()
    return download_info.value.path().read_bytes()


def test_a_memento_generated_exported_adopted_then_acknowledged_at_sign_in(page):
    sign_in(page, "gestionnaire@demo.balise.ca")
    visit(page, "/gouvernance/memento")
    page.get_by_role("button", name="Générer une nouvelle version à partir des paramètres").click()
    page.wait_for_url(re.compile(r".*/gouvernance/memento/[0-9a-f]+\?enregistre=1"))
    check_accessibility(page)
    heading = page.get_by_role("heading", level=1).inner_text()
    number = re.search(r"version (\d+)", heading).group(1)  # type: ignore[union-attr]
    assert page.get_by_role("heading", name="Outils autorisés (D0)").is_visible()

    paragraphs = [p.text for p in Document(io.BytesIO(_download(page, "Word (DOCX)"))).paragraphs]
    assert "Directives pour tout le personnel (D1–D4)" in paragraphs
    assert f"Ville de Saint-Balise (démo), version {number}, pas encore adoptée" in paragraphs
    pdf = PdfReader(io.BytesIO(_download(page, "PDF")))
    text = " ".join(p.extract_text() for p in pdf.pages).replace("\n", " ")
    assert "Mémento sur l’utilisation de l’IA générative" in text and "Outils interdits" in text

    page.get_by_label("Adoptée le").fill(date.today().isoformat())
    page.get_by_role("button", name="Adopter cette version").click()
    page.wait_for_url(f"**/gouvernance/memento?adopte={number}")
    check_accessibility(page)
    assert f"La version {number} est adoptée" in page.get_by_role("status").inner_text()

    _switch(page, "employe@demo.balise.ca")
    banner = page.locator("#memento-banner")
    assert "Une nouvelle version du mémento sur l’IA est en vigueur." in banner.inner_text()
    banner.get_by_role(
        "link", name=f"Lire le mémento (version {number}) et en confirmer la prise de connaissance"
    ).click()
    page.wait_for_url("**/memento")
    check_accessibility(page)
    page.get_by_role("button", name="J’ai lu ce mémento et je m’engage à le respecter").click()
    page.wait_for_url("**/memento?merci=1")
    check_accessibility(page)
    assert "votre prise de connaissance est enregistrée" in page.get_by_role("status").inner_text()
    visit(page, "/")
    assert page.locator("#memento-banner").count() == 0

    _switch(page, "gestionnaire@demo.balise.ca")
    visit(page, "/gouvernance/memento")
    row = page.get_by_role("row", name=re.compile("Émilie Employée"))
    assert "Pas encore" not in row.inner_text()
    assert "Pas encore" in page.get_by_role("row", name=re.compile("Rémi Réviseur")).inner_text()
