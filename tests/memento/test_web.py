"""The memento's pages: roles, generate, edit, adopt, export, and the employee asked until they
acknowledge; the conformity view counts them."""

from __future__ import annotations

import io
import re
from datetime import date

from docx import Document
from fastapi.testclient import TestClient
from pypdf import PdfReader

from balise.db import open_session
from balise.tenancy import create_api_token
from tests.support.web import Member, csrf_of

BANNER = "Une nouvelle version du mémento sur l’IA est en vigueur."


def _generate(manager: Member) -> str:
    response = manager.client.post(
        "/gouvernance/memento/generer", data={"csrf_token": csrf_of(manager.client)}, follow_redirects=False
    )
    assert response.status_code == 303
    return response.headers["location"].split("/")[-1].split("?")[0]


def _adopt(manager: Member, version_id: str, on: str) -> TestClient:
    return manager.client.post(
        f"/gouvernance/memento/{version_id}/adopter",
        data={"csrf_token": csrf_of(manager.client), "adopted_on": on},
        follow_redirects=False,
    )


def test_only_managers_and_privacy_officers_manage_it(make_member) -> None:
    manager: Member = make_member("manager")
    officer = make_member("privacy_officer", tenant=manager.tenant)
    employee = make_member("employee", tenant=manager.tenant)
    assert manager.client.get("/gouvernance/memento").status_code == 200
    assert officer.client.get("/gouvernance/memento").status_code == 200
    assert employee.client.get("/gouvernance/memento").status_code == 403
    refused = officer.client.post(
        "/gouvernance/memento/generer", data={"csrf_token": csrf_of(officer.client)}
    )
    assert refused.status_code == 403
    assert "La municipalité n’a pas encore adopté son mémento." in employee.client.get("/memento").text


def test_generated_edited_adopted_exported_and_acknowledged(app, engine, make_member) -> None:
    manager: Member = make_member("manager", name="Ville de Trois-Mementos")
    employee = make_member("employee", tenant=manager.tenant)
    first = _generate(manager)
    page = manager.client.get(f"/gouvernance/memento/{first}?enregistre=1").text
    assert "Cette version a été enregistrée." in page and "Outils autorisés (D0)" in page
    assert BANNER not in employee.client.get("/").text  # nothing adopted: nothing asked

    form = manager.client.get(f"/gouvernance/memento/{first}").text
    fields = dict(re.findall(r'name="(title_\d+)" value="([^"]*)"', form))
    saved = manager.client.post(
        f"/gouvernance/memento/{first}",
        data={
            "csrf_token": csrf_of(manager.client),
            **fields,
            **{f"body_{i}": "Texte" for i in range(len(fields))},
            "body_0": "Texte adopté par le conseil.",
            "note": "Revu par la direction",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    second = saved.headers["location"].split("/")[-1].split("?")[0]
    assert second != first
    empty = manager.client.post(
        f"/gouvernance/memento/{first}", data={"csrf_token": csrf_of(manager.client), "body_0": "sans titre"}
    )
    assert empty.status_code == 422 and "a besoin d’un titre" in empty.text

    assert _adopt(manager, second, "pas une date").status_code == 422
    adopted = _adopt(manager, second, date.today().isoformat())
    assert adopted.status_code == 303
    listing = manager.client.get(adopted.headers["location"]).text
    assert "La version 2 est adoptée" in listing and "Revu par la direction" in listing
    assert "Pas encore" in listing  # nobody acknowledged yet

    docx = manager.client.get(f"/gouvernance/memento/{second}/export?format=docx")
    assert 'filename="memento-' in docx.headers["content-disposition"]
    paragraphs = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert "Texte adopté par le conseil." in paragraphs
    assert any(p.startswith("Ville de Trois-Mementos, version 2, adoptée le") for p in paragraphs)
    pdf = manager.client.get(f"/gouvernance/memento/{second}/export?format=pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert "Texte adopté par le conseil." in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    html = manager.client.get(f"/gouvernance/memento/{second}/export?format=html")
    assert "Texte adopté par le conseil." in html.text
    assert manager.client.get(f"/gouvernance/memento/{second}/export?format=odt").status_code == 422

    home = employee.client.get("/").text
    assert BANNER in home and 'href="/memento"' in home
    with open_session(engine) as session:  # an API token is never held up by the memento
        token = create_api_token(
            session, session.merge(employee.tenant), session.merge(employee.user), "outil"
        ).token
        session.commit()
    assert TestClient(app).get("/api/me", headers={"authorization": f"Bearer {token}"}).status_code == 200
    read = employee.client.get("/memento").text
    assert "Texte adopté par le conseil." in read and "J’ai lu ce mémento" in read
    stale = employee.client.post(
        "/memento/prise-de-connaissance", data={"csrf_token": csrf_of(employee.client), "version_id": first}
    )
    assert stale.status_code == 422 and "version plus récente" in stale.text
    done = employee.client.post(
        "/memento/prise-de-connaissance",
        data={"csrf_token": csrf_of(employee.client), "version_id": second},
        follow_redirects=False,
    )
    assert done.headers["location"] == "/memento?merci=1"
    assert (
        "Merci : votre prise de connaissance est enregistrée." in employee.client.get("/memento?merci=1").text
    )
    assert BANNER not in employee.client.get("/").text
    listing = manager.client.get("/gouvernance/memento").text
    assert "Prise de connaissance : 1 sur 2 personnes." in listing

    rows = manager.client.get("/gouvernance/conformite?format=json").json()["requirements"]
    g6 = next(r for r in rows if r["id"] == "G6")
    g14 = next(r for r in rows if r["id"] == "G14")
    assert g6["status"] == "attention" and "1 sur 2 personnes" in g6["evidence"]
    assert g14["status"] == "attention" and "version 2" in g14["evidence"]
