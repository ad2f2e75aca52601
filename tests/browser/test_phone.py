"""On a 390-px phone the answer's provenance stays inside the page and never covers its buttons."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PAGE_TIMEOUT_MS, check_accessibility

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_the_provenance_block_fits_a_phone_and_leaves_submit_for_review_tappable(browser, server):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server, locale="fr-CA", viewport=PHONE)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto("/connexion")
        page.get_by_label("Adresse courriel").fill("employe@demo.balise.ca")
        page.get_by_label("Mot de passe").fill("balise-demo-2026")
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url("**/")
        page.goto("/assistant/question")
        page.get_by_label("Votre question").fill("Quand a lieu la collecte des ordures ménagères ?")
        page.get_by_role("button", name="Envoyer").click()
        page.locator("#assistant-outcome").wait_for(timeout=120_000)
        page.wait_for_load_state()
        page.get_by_text("Provenance lisible par machine").click()  # open the block
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']}-px phone"
        submit = page.get_by_role("link", name="Soumettre pour révision")
        submit.scroll_into_view_if_needed()
        box = submit.bounding_box()
        assert box is not None
        on_top = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y)?.closest('a')?.textContent ?? ''",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        assert "Soumettre pour révision" in on_top  # a tap lands on the link, not on the block
        check_accessibility(page)
    finally:
        context.close()
