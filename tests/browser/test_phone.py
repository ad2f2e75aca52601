"""On a 390-px phone every staff page fits the screen; the provenance never covers its buttons."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PAGE_TIMEOUT_MS, check_accessibility, sign_in, visit

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


ROLES = (
    "employe@demo.balise.ca",
    "reviseur@demo.balise.ca",
    "gestionnaire@demo.balise.ca",
    "vie-privee@demo.balise.ca",
    "admin@demo.balise.ca",
)
# Pages reached from within other pages rather than from the menu.
EXTRA_PAGES = ("/", "/notifications", "/gouvernance/conformite?format=rapport")
FIRST_OF = {  # a list page, and the first link to one of its items
    "/documents": "main a[href^='/documents/']:not([href*='?'])",
    "/gouvernance/registre": "main a[href^='/gouvernance/registre/']",
    "/assistant": "nav.assistant-tabs a",
}


def _staff_pages(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Every page of the menu (folded groups included), the assistant's tabs and one item of each list."""
    hrefs = "els => els.map(e => e.getAttribute('href'))"
    paths = list(EXTRA_PAGES) + page.eval_on_selector_all(".main-nav a", hrefs)
    for listing, selector in FIRST_OF.items():
        if listing in paths:
            page.goto(listing)
            found = [h for h in page.eval_on_selector_all(selector, hrefs) if h and h != listing]
            paths += found if listing == "/assistant" else found[:1]
    return list(dict.fromkeys(paths))


def test_every_staff_page_fits_a_phone_for_every_role(browser, server):  # type: ignore[no-untyped-def]
    """No sideways scrolling at 390 px on any staff page; the menu is folded and says « Notifications »
    once; every page passes axe-core."""
    too_wide: list[str] = []
    for email in ROLES:
        context = browser.new_context(base_url=server, locale="fr-CA", viewport=PHONE)
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        page = context.new_page()
        try:
            sign_in(page, email)
            menu = page.locator(".main-nav").bounding_box()
            assert menu is not None and menu["height"] <= 260, f"{email}: the menu is {menu} tall"
            assert page.get_by_role("link", name="Notifications").count() == 1
            for path in _staff_pages(page):
                visit(page, path)
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE["width"]:
                    too_wide.append(f"{email} {path}: {width} px")
        finally:
            context.close()
    assert not too_wide, "pages wider than a 390-px phone:\n" + "\n".join(too_wide)


def test_a_policy_rule_id_is_never_cut_mid_word(browser, server):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server, locale="fr-CA", viewport=PHONE)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    try:
        sign_in(page, "admin@demo.balise.ca")
        visit(page, "/politique")
        ids = page.locator("code.rule-id")
        assert ids.count() > 3
        for i in range(ids.count()):
            lines = ids.nth(i).evaluate("e => e.getClientRects().length")
            assert lines == 1, f"{ids.nth(i).inner_text()} is cut over {lines} lines"
    finally:
        context.close()
