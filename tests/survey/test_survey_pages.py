"""The staff survey's pages: a manager creates, edits and opens a campaign; staff answer through its
public link without signing in (once per browser); a wrong link is a French 404; results appear from
five answers up; two campaigns compare; employees cannot reach the managers' pages."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from balise.citizen.ratelimit import reset_limits
from tests.support.web import Member, csrf_of


def _post(member: Member, path: str, **data: object):  # type: ignore[no-untyped-def]
    return member.client.post(
        path, data={"csrf_token": csrf_of(member.client), **data}, follow_redirects=False
    )


def _answer(app: object, link: str, choice: str) -> str:
    """One person, in a browser of their own, answers the frequency question with ``choice``."""
    person = TestClient(app, headers={"accept": "text/html"})  # type: ignore[arg-type]
    page = person.get(link)
    assert page.status_code == 200 and "sans connexion" not in page.text
    field = re.search(r'name="(q-[0-9a-f]{32})" value="' + re.escape(choice) + '"', page.text)
    assert field, page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    sent = person.post(link, data={"csrf_token": csrf.group(1), field.group(1): choice})
    assert sent.status_code == 200 and "enregistrées de façon anonyme" in sent.text, sent.text
    again = person.post(link, data={"csrf_token": csrf.group(1), field.group(1): choice})
    assert again.status_code == 409 and "déjà répondu" in again.text
    return sent.text


def test_a_campaign_is_shared_answered_anonymously_and_its_results_shown_from_five(
    app: object, make_member: Callable[..., Member]
) -> None:
    reset_limits()
    manager = make_member("manager")
    employee = make_member("employee", tenant=manager.tenant)
    assert employee.client.get("/gouvernance/sondages").status_code == 403
    assert "Aucune campagne" in manager.client.get("/gouvernance/sondages").text
    refused = _post(manager, "/gouvernance/sondages", name=" ")
    assert refused.status_code == 422 and "Donnez un nom" in refused.text
    created = _post(manager, "/gouvernance/sondages", name="Avant le projet pilote")
    assert created.status_code == 303
    page_url = created.headers["location"]
    page = manager.client.get(page_url).text
    assert "Quels outils d’IA avez-vous déjà utilisés" in page and "Ouvrir la campagne" in page
    first = re.search(r'name="question_id" value="([0-9a-f]{32})"', page)
    assert first
    edited = _post(
        manager,
        f"{page_url}/questions",
        question_id=first.group(1),
        prompt="Quels outils utilisez-vous déjà ?",
        kind="multiple",
        topic="tools",
        choices="ChatGPT\nCopilot\nAucun outil",
    )
    assert edited.status_code == 303
    assert "Quels outils utilisez-vous déjà ?" in manager.client.get(page_url).text
    last = re.findall(r'name="question_id" value="([0-9a-f]{32})"', manager.client.get(page_url).text)[-1]
    assert _post(manager, f"{page_url}/questions", question_id=last, supprimer="1").status_code == 303
    assert f'value="{last}"' not in manager.client.get(page_url).text
    link = re.search(r'/public/[^"/]+/sondage/[A-Za-z0-9_-]+', manager.client.get(page_url).text)
    assert link is None  # no link before the campaign opens
    assert _post(manager, f"{page_url}/ouvrir").status_code == 303
    opened = manager.client.get(page_url).text
    found = re.search(r'href="https?://[^/]+(/public/[^"/]+/sondage/[A-Za-z0-9_-]+)"', opened)
    assert found and "Fermer la campagne" in opened
    link = found.group(1)
    late = _post(
        manager, f"{page_url}/questions", question_id=first.group(1), prompt="X", kind="text", topic="tools"
    )
    assert late.status_code == 422 and "avant l’ouverture" in late.text
    for _ in range(4):
        _answer(app, link, "Chaque semaine")
    four = manager.client.get(page_url).text
    assert 'id="hidden-tools"' in four and "4 personnes ont répondu à ce groupe" in four
    assert "<svg" not in four
    _answer(app, link, "Jamais")
    five = manager.client.get(page_url).text
    assert 'id="hidden-tools"' not in five and 'id="hidden-tasks"' in five
    svg = five[five.index("<svg") : five.index("</svg>")]
    assert 'role="img"' in svg and "<script" not in svg
    assert "Données : Combien de fois" in five or "Combien de fois utilisez-vous" in five
    assert "<td>80 %</td>" in five.replace("\u202f", " ").replace("\xa0", " ")
    assert _post(manager, f"{page_url}/fermer").status_code == 303
    closed = TestClient(app, headers={"accept": "text/html"}).get(link)  # type: ignore[arg-type]
    assert closed.status_code == 200 and "Ce sondage est fermé" in closed.text
    after = _post(manager, "/gouvernance/sondages", name="Après", copy_from=page_url.rsplit("/", 1)[1])
    comparison = manager.client.get(
        f"/gouvernance/sondages/comparer?avant={page_url.rsplit('/', 1)[1]}"
        f"&apres={after.headers['location'].rsplit('/', 1)[1]}"
    )
    assert comparison.status_code == 200 and "Outils déjà utilisés" in comparison.text


def test_a_wrong_survey_link_is_a_french_404(app: object, make_member: Callable[..., Member]) -> None:
    manager = make_member("manager")
    anonymous = TestClient(app, headers={"accept": "text/html"})  # type: ignore[arg-type]
    wrong = anonymous.get(f"/public/{manager.tenant.slug}/sondage/pas-le-bon-jeton")
    assert wrong.status_code == 404 and "Ce lien de sondage n’est pas valide" in wrong.text
    created = _post(manager, "/gouvernance/sondages", name="Brouillon")
    token = re.search(r"/sondage/([A-Za-z0-9_-]+)", manager.client.get(created.headers["location"]).text)
    assert token is None  # a draft shows no link
    assert _post(manager, f"{created.headers['location']}/inconnu").status_code == 404
    other = make_member("manager", name="Autre ville")
    assert other.client.get(created.headers["location"]).status_code == 404
