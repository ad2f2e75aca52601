"""Maintenance mode in a browser: the banner is announced and accessible, a change is refused in
French, and the pages read as before once it is off (issue 22)."""

from __future__ import annotations

from pathlib import Path

import pytest

from balise.operations.maintenance import set_maintenance
from tests.browser.conftest import check_accessibility, sign_in, visit

pytestmark = pytest.mark.browser


def test_banner_on_every_page_and_changes_refused(page, server_data_dir: Path):
    sign_in(page, "gestionnaire@demo.balise.ca")
    set_maintenance(server_data_dir, True, "Mise à jour vers 2.1, retour à 7 h.")
    try:
        for path in ("/", "/compte/jetons", "/public/demo/assistant", "/public/demo/plainte"):
            visit(page, path)
            assert "Mise à jour vers 2.1" in page.get_by_role("status").first.inner_text()
        visit(page, "/compte/jetons")
        page.get_by_label("Nom du jeton").fill("tableur")
        page.get_by_role("button", name="Créer un jeton").click()
        page.get_by_role("heading", level=1).wait_for()
        assert "maintenance" in page.locator("main").inner_text()
        assert page.locator("code.token").count() == 0
        check_accessibility(page)
    finally:
        set_maintenance(server_data_dir, False)
    visit(page, "/")
    assert page.locator("#maintenance").count() == 0
