"""Pooling as two municipalities of one deployment use it: the demo's manager downloads a pack, the
manager of a second municipality (made here through the service layer) imports the file and sees
what arrived, then takes the demo's published pack from the shared library; a .zip pack of the demo's
vendor assessment and memento text arrives the same way. axe-core on every page."""

from __future__ import annotations

import io
import json
import os
import re
import zipfile

import pytest
from sqlalchemy import Engine

from balise.db import open_session, tenant_session
from balise.guard.policy import Policy, default_policy, save_policy
from balise.tenancy import create_tenant, create_user
from tests.browser.conftest import check_accessibility, sign_in, visit

pytestmark = pytest.mark.browser

PASSWORD = "mot-de-passe-voisin-2026"
LEFT_OUT = "x5-search-engine"


def _neighbour(engine: Engine) -> str:
    """A second municipality whose policy lacks one built-in rule, so the demo's rule can arrive."""
    suffix = os.urandom(3).hex()
    email = f"gestion-{suffix}@voisin.exemple.ca"
    with open_session(engine) as session:
        tenant = create_tenant(session, f"voisin-{suffix}", f"Village voisin {suffix}", actor="test")
        create_user(session, tenant, email, PASSWORD, "manager", display_name="Victor Voisin", actor="test")
        session.commit()
        tenant_id = tenant.id
    with tenant_session(tenant_id, engine) as session:
        rules = tuple(r for r in default_policy().rules if r.id != LEFT_OUT)
        save_policy(session, tenant_id, Policy(rules=rules), actor="test")
        session.commit()
    return email


def _outcomes(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    rows = page.locator("table tbody tr")
    return {
        rows.nth(i).locator("th").inner_text(): rows.nth(i).locator("td").nth(1).inner_text()
        for i in range(rows.count())
    }


def test_a_pack_exported_by_one_municipality_is_imported_by_another(page, server_engine, tmp_path):
    neighbour = _neighbour(server_engine)
    sign_in(page, "gestionnaire@demo.balise.ca")
    visit(page, "/gouvernance/mutualisation")
    assert (
        "Règles d'utilisation et questions d'exemple"
        in page.get_by_role("table", name="Vos paquets publiés").inner_text()
    )
    page.get_by_label("Nom du paquet").fill("Règle sur les moteurs de recherche")
    page.get_by_label(f"Règle de la politique d’utilisation : {LEFT_OUT}").check()
    page.get_by_label("Jeu d’évaluation : Questions des citoyens (exemple)").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger le fichier du paquet").click()
    pack = tmp_path / "paquet.json"
    pack.write_bytes(download_info.value.path().read_bytes())
    manifest = json.loads(pack.read_text(encoding="utf-8"))
    assert manifest["origin"]["municipality"] == "Ville de Saint-Balise (démo)"
    assert [i["kind"] for i in manifest["items"]] == ["policy_rule", "eval_set"]

    page.context.clear_cookies()
    sign_in(page, neighbour, PASSWORD)
    visit(page, "/gouvernance/mutualisation")
    assert (
        "Ville de Saint-Balise (démo)"
        in page.get_by_role("table", name="Paquets publiés par d’autres municipalités").inner_text()
    )
    assert "Réponses aux questions fréquentes des résidents" in page.locator("article").first.inner_text()
    page.get_by_label("Fichier du paquet (.json ou .zip)").set_input_files(str(pack))
    page.get_by_role("button", name="Importer", exact=True).first.click()
    page.wait_for_url(re.compile(r".*/gouvernance/mutualisation/imports/[0-9a-f]+"))
    check_accessibility(page)
    arrived = _outcomes(page)
    assert arrived[LEFT_OUT] == "Ajouté à cette municipalité"
    assert arrived["Questions des citoyens (exemple)"] == "Refusé"  # this library lacks its documents
    assert "faq-citoyens.md" in page.locator("table tbody").inner_text()

    page.get_by_role("link", name="Retour à la mutualisation").click()
    page.get_by_role(
        "button", name="Importer le paquet « Règles d'utilisation et questions d'exemple »"
    ).click()
    page.wait_for_url(re.compile(r".*/gouvernance/mutualisation/imports/[0-9a-f]+"))
    check_accessibility(page)
    assert _outcomes(page)[LEFT_OUT] == "Déjà présent"
    visit(page, "/gouvernance/mutualisation")
    imported = page.get_by_role("table", name="Paquets importés").inner_text()
    assert imported.count("Ville de Saint-Balise (démo)") == 2


def test_a_zip_pack_of_a_vendor_assessment_and_the_memento_arrives_elsewhere(page, server_engine, tmp_path):
    neighbour = _neighbour(server_engine)
    sign_in(page, "gestionnaire@demo.balise.ca")
    visit(page, "/gouvernance/mutualisation")
    check_accessibility(page)
    page.get_by_label("Nom du paquet").fill("Fournisseur et mémento")
    page.get_by_label("Évaluation des fournisseurs : Balise (logiciel libre)").check()
    page.get_by_label(re.compile(r"Texte du mémento sur l’IA : Mémento sur l’IA, version \d+")).check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger en .zip").click()
    assert download_info.value.suggested_filename.endswith(".zip")
    pack = tmp_path / "paquet.zip"
    pack.write_bytes(download_info.value.path().read_bytes())
    with zipfile.ZipFile(io.BytesIO(pack.read_bytes())) as archive:
        names = archive.namelist()
    assert names == ["items/001-vendor.json", "items/002-memento.json", "manifest.json"]

    page.context.clear_cookies()
    sign_in(page, neighbour, PASSWORD)
    visit(page, "/gouvernance/mutualisation")
    page.get_by_label("Fichier du paquet (.json ou .zip)").set_input_files(str(pack))
    page.get_by_role("button", name="Importer", exact=True).first.click()
    page.wait_for_url(re.compile(r".*/gouvernance/mutualisation/imports/[0-9a-f]+"))
    check_accessibility(page)
    arrived = _outcomes(page)
    assert arrived["Balise (logiciel libre)"] == "Ajouté à cette municipalité"
    (memento,) = [title for title in arrived if title.startswith("Mémento sur l’IA")]
    assert arrived[memento] == "Ajouté à cette municipalité"
    assert "adoptez-la sur la page du mémento" in page.locator("table tbody").inner_text()
