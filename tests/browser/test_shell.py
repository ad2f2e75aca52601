"""The web shell as a person uses it: sign in, navigate, switch language, sign out."""

from __future__ import annotations

import pytest

from tests.browser.conftest import check_accessibility, sign_in, visit

pytestmark = pytest.mark.browser


def test_wrong_password_then_sign_in_and_walk_every_menu_page(page):
    visit(page, "/connexion")
    page.get_by_label("Adresse courriel").fill("admin@demo.balise.ca")
    page.get_by_label("Mot de passe").fill("pas-le-bon-mot")
    page.get_by_role("button", name="Se connecter").click()
    assert "Courriel ou mot de passe incorrect" in page.get_by_role("alert").inner_text()
    check_accessibility(page)

    sign_in(page, "admin@demo.balise.ca")
    assert "Bienvenue" in page.get_by_role("heading", level=1).inner_text()
    nav = page.get_by_role("navigation", name="Navigation principale")
    assert nav.get_by_role("link", name="Journal d’audit").count() == 0  # folded in « Gouvernance »
    nav.get_by_text("Gouvernance").click()
    assert nav.get_by_role("link", name="Journal d’audit").is_visible()
    targets = page.eval_on_selector_all(".main-nav a", "els => els.map(e => e.getAttribute('href'))")
    assert "/journal" in targets and "/notifications" not in targets  # the header has its own link
    for target in targets:
        visit(page, target)
        assert page.get_by_role("heading", level=1).count() == 1


def test_switch_language_and_sign_out(page):
    sign_in(page, "employe@demo.balise.ca")
    page.get_by_role("link", name="English").click()
    page.locator('html[lang="en"]').wait_for(state="attached")  # the English page, not the old one
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Welcome" in page.get_by_role("heading", level=1).inner_text()
    check_accessibility(page)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/connexion")
    assert page.get_by_role("heading", name="Sign in to Balise").is_visible()
    page.get_by_role("link", name="Français").click()
    page.get_by_role("heading", name="Connexion à Balise").wait_for()  # is_visible() would not wait
    assert page.get_by_role("heading", name="Connexion à Balise").is_visible()


def test_reviewer_does_not_see_the_audit_log_and_gets_a_french_403(page):
    sign_in(page, "reviseur@demo.balise.ca")
    nav = page.get_by_role("navigation", name="Navigation principale")
    assert nav.get_by_role("link", name="Journal d’audit").count() == 0
    visit(page, "/journal")
    assert "Accès refusé" in page.get_by_role("heading", level=1).inner_text()


def test_api_tokens_page_creates_a_token_shown_once(page):
    sign_in(page, "gestionnaire@demo.balise.ca")
    visit(page, "/compte/jetons")
    page.get_by_label("Nom du jeton").fill("tableur")
    page.get_by_role("button", name="Créer un jeton").click()
    assert page.locator("code.token").inner_text().startswith("bal_")
    check_accessibility(page)
    visit(page, "/compte/jetons")
    assert page.locator("code.token").count() == 0


def test_staff_pages_run_under_a_policy_without_inline_style(page):
    """The policy enforced as a browser enforces it: no page, Swagger UI and htmx included, needs an
    inline style or script (a violation shows in the console, and the styling or feature is lost)."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    sign_in(page, "admin@demo.balise.ca")
    for path in (
        "/",
        "/assistant/question",
        "/resultats",
        "/gouvernance/plaintes",
        "/confidentialite",
        "/modeles",
        "/docs",
        "/api/public/docs",
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert page.locator("#swagger-ui .information-container").count() == 1  # Swagger UI started
    visit(page, "/citoyens/parametres")  # the mail server form, checked by axe-core
    visit(page, "/gouvernance/plaintes")  # the designation of the privacy officer
    assert refused == []
