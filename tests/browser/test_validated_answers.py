"""Validated answers and answer traces on the demo: a resident gets the demo's validated answer with
its date, a reviewer sees the list and the trace of that answer, asks it again; axe-core on each page."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from balise.citizen import CitizenExchange
from balise.db import open_session
from tests.browser.conftest import PAGE_TIMEOUT_MS, check_accessibility, sign_in, visit

pytestmark = pytest.mark.browser

QUESTION = "Ai-je besoin d'un permis pour abattre un arbre ?"


@pytest.fixture
def resident(browser, server):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server, locale="fr-CA", bypass_csp=True)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def test_a_resident_gets_the_validated_answer_and_a_reviewer_traces_it(
    resident, page, server_engine: Engine
) -> None:  # type: ignore[no-untyped-def]
    visit(resident, "/public/demo/assistant")
    resident.get_by_role("button", name="J’ai compris, utiliser l’assistant").click()
    resident.get_by_label("Votre question").fill(QUESTION)
    resident.get_by_role("button", name="Envoyer", exact=True).click()
    last = resident.locator("#derniere-reponse")
    last.get_by_text(QUESTION).wait_for()
    assert "Réponse validée le " in last.inner_text() and "10 cm" in last.inner_text()
    check_accessibility(resident)
    with open_session(server_engine) as session:
        exchange_id = session.scalars(
            select(CitizenExchange.id)
            .where(CitizenExchange.question == QUESTION)
            .order_by(CitizenExchange.created_at.desc())
        ).first()
    sign_in(page, "reviseur@demo.balise.ca")
    visit(page, "/reponses-validees")
    assert "Faut-il un permis pour abattre un arbre ?" in page.get_by_role("main").inner_text()
    check_accessibility(page)
    page.get_by_role("link", name="Rédiger une réponse validée").click()
    page.get_by_label("Question que posent les citoyens ou les employés").wait_for()
    check_accessibility(page)
    visit(page, f"/citoyens/echanges/{exchange_id}/trace")
    main = page.get_by_role("main").inner_text()
    assert QUESTION in main and "Réponse validée la plus proche" in main and "(donnée)" in main
    check_accessibility(page)
    page.get_by_role("button", name="Poser de nouveau cette question maintenant").click()
    page.get_by_role("heading", name="Posée de nouveau maintenant").wait_for()
    check_accessibility(page)
