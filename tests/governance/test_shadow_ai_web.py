"""The AI tools page through the web app: roles, the form and its French errors, the downloads, the
stable address without a session, and the unsanctioned-tool incident."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.support.web import Member, csrf_of


def _feed(page: str, name: str) -> str:
    found = re.search(rf'<code id="feed-{name}">([^<]+)</code>', page)
    assert found, page
    return found.group(1).replace("&amp;", "&")


def test_managers_edit_privacy_officers_read_and_employees_are_refused(make_member) -> None:
    manager: Member = make_member("manager")
    officer = make_member("privacy_officer", tenant=manager.tenant)
    employee = make_member("employee", tenant=manager.tenant)
    assert "Ajouter un service" in manager.client.get("/gouvernance/outils-ia").text
    read = officer.client.get("/gouvernance/outils-ia")
    assert read.status_code == 200 and "Ajouter un service" not in read.text
    assert read.headers["referrer-policy"] == "no-referrer"
    refused = officer.client.post(
        "/gouvernance/outils-ia",
        data={"csrf_token": csrf_of(officer.client), "name": "X", "status": "forbidden", "domains": "x.ai"},
    )
    assert refused.status_code == 403
    assert employee.client.get("/gouvernance/outils-ia").status_code == 403
    assert "Outils d’IA permis et interdits" in manager.client.get("/").text


def test_a_forbidden_service_reaches_every_blocklist_and_its_stable_address(make_member) -> None:
    manager: Member = make_member("manager")
    other: Member = make_member("manager", name="Ville voisine")
    client = manager.client
    bad = client.post(
        "/gouvernance/outils-ia",
        data={
            "csrf_token": csrf_of(client),
            "name": "Outil douteux",
            "status": "forbidden",
            "domains": "outil-douteux.ai\nhttps//mauvais",
        },
    )
    assert bad.status_code == 422
    assert "« https//mauvais » n’est pas un nom de domaine" in bad.text and "Outil douteux" in bad.text
    added = client.post(
        "/gouvernance/outils-ia",
        data={
            "csrf_token": csrf_of(client),
            "name": "Outil douteux",
            "status": "forbidden",
            "domains": "outil-douteux.ai",
            "note": "Conserve les textes collés.",
        },
        follow_redirects=False,
    )
    assert added.status_code == 303 and added.headers["location"] == "/gouvernance/outils-ia?enregistre=1"
    page = client.get("/gouvernance/outils-ia").text
    assert "Aucune liste de blocage n’a encore été remise aux TI" in page
    expected = {
        "hosts": ("text/plain", "0.0.0.0 outil-douteux.ai"),
        "rpz": ("text/dns", "*.outil-douteux.ai CNAME ."),
        "squid": ("text/plain", "acl balise_forbidden dstdomain .outil-douteux.ai"),
        "chrome": ("application/json", '"outil-douteux.ai"'),
    }
    anonymous = TestClient(client.app)
    slug = manager.tenant.slug
    for name, (media_type, line) in expected.items():
        got = client.get(f"/gouvernance/outils-ia/liste-de-blocage/{name}")
        assert got.headers["content-type"].startswith(media_type) and line in got.text
        assert got.headers["content-disposition"].startswith("attachment; filename=")
        url = _feed(page, name)
        assert url.startswith(f"http://testserver/public/{slug}/liste-de-blocage/{name}?cle=")
        fetched = anonymous.get(url.removeprefix("http://testserver"))
        assert fetched.status_code == 200 and line in fetched.text
    assert "Ville" in client.get("/gouvernance/outils-ia/liste-de-blocage/hosts").text.splitlines()[0]
    key = _feed(page, "hosts").split("cle=")[1]
    wrong = anonymous.get(f"/public/{slug}/liste-de-blocage/hosts?cle=pas-la-cle")
    assert wrong.status_code == 403 and "n’a pas de clé, ou une clé périmée" in wrong.text
    across = anonymous.get(f"/public/{other.tenant.slug}/liste-de-blocage/hosts?cle={key}")
    assert across.status_code == 403 and "outil-douteux" not in across.text
    assert anonymous.get(f"/public/inconnue/liste-de-blocage/hosts?cle={key}").status_code == 404
    assert anonymous.get(f"/public/{slug}/liste-de-blocage/pac?cle={key}").status_code == 404
    rotated = client.post(
        "/gouvernance/outils-ia/cle", data={"csrf_token": csrf_of(client)}, follow_redirects=False
    )
    assert rotated.status_code == 303
    assert anonymous.get(f"/public/{slug}/liste-de-blocage/hosts?cle={key}").status_code == 403
    assert "Dernière remise le" in client.get("/gouvernance/outils-ia").text


def test_consequences_and_the_unsanctioned_tool_incident(make_member) -> None:
    manager: Member = make_member("manager")
    officer = make_member("privacy_officer", tenant=manager.tenant)
    none = manager.client.post(
        "/gouvernance/outils-ia/consequences", data={"csrf_token": csrf_of(manager.client)}
    )
    assert none.status_code == 422 and "Cochez au moins une conséquence" in none.text
    saved = manager.client.post(
        "/gouvernance/outils-ia/consequences",
        data={
            "csrf_token": csrf_of(manager.client),
            "consequences": ["reminder", "disciplinary"],
            "consequences_note": "Rappel d’abord.",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    read = officer.client.get("/gouvernance/outils-ia").text
    assert "Rappel des règles" in read and "Mesure disciplinaire" in read and "Rappel d’abord." in read
    form = officer.client.get("/gouvernance/incidents/nouveau").text
    assert "Outil non autorisé" in form and "Conséquence appliquée à la personne" in form
    created = officer.client.post(
        "/gouvernance/incidents/nouveau",
        data={
            "csrf_token": csrf_of(officer.client),
            "kind": "unsanctioned_tool",
            "consequence": "reminder",
            "circumstances": "Un courriel reformulé dans un service interdit.",
            "status": "open",
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    incident = officer.client.get(created.headers["location"]).text
    assert re.search(r'<option value="unsanctioned_tool" selected>', incident)
    assert re.search(r'<option value="reminder" selected>', incident)
    assert "Outil non autorisé" in officer.client.get("/gouvernance/incidents").text


def test_editing_or_removing_a_forbidden_service_puts_the_blocklist_out_of_date(make_member) -> None:
    manager: Member = make_member("manager")
    client = manager.client
    client.post(
        "/gouvernance/outils-ia",
        data={"csrf_token": csrf_of(client), "name": "Grok", "status": "forbidden", "domains": "grok.com"},
    )
    service_id = re.search(
        r'href="/gouvernance/outils-ia/([0-9a-f]{32})"', client.get("/gouvernance/outils-ia").text
    )
    assert service_id
    path = f"/gouvernance/outils-ia/{service_id.group(1)}"
    client.get("/gouvernance/outils-ia/liste-de-blocage/squid")
    assert "Dernière remise le" in client.get("/gouvernance/outils-ia").text
    bad = client.post(
        path, data={"csrf_token": csrf_of(client), "name": "Grok", "status": "forbidden", "domains": "grok"}
    )
    assert bad.status_code == 422 and "« grok » n’est pas un nom de domaine" in bad.text
    saved = client.post(
        path,
        data={
            "csrf_token": csrf_of(client),
            "name": "Grok",
            "status": "forbidden",
            "domains": "grok.com x.ai",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert "a changé depuis la dernière remise" in client.get("/gouvernance/outils-ia").text
    assert ".x.ai" in client.get("/gouvernance/outils-ia/liste-de-blocage/squid").text
    removed = client.post(f"{path}/retirer", data={"csrf_token": csrf_of(client)}, follow_redirects=False)
    assert removed.status_code == 303 and client.get(path).status_code == 404
    assert "a changé depuis la dernière remise" in client.get("/gouvernance/outils-ia").text
    assert "grok.com" not in client.get("/gouvernance/outils-ia/liste-de-blocage/hosts").text
