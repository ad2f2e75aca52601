"""Training's pages: managers record sessions with attendance (privacy officers read), every employee
takes the quiz (a failure shows what was wrong, then a retry passes) and reads the resources, which
only managers edit."""

from __future__ import annotations

import re

from balise.training.quiz import filled_in
from tests.support.web import Member, csrf_of


def test_a_manager_records_a_session_with_attendance(make_member) -> None:
    manager: Member = make_member("manager", name="Ville de Formation")
    employee = make_member("employee", tenant=manager.tenant)
    officer = make_member("privacy_officer", tenant=manager.tenant)
    form = {
        "csrf_token": csrf_of(manager.client),
        "title": "Atelier du conseil",
        "audience": "council",
        "format": "in_person",
        "held_on": "2026-11-20",
        "minutes": "45",
        "attended": [employee.user.id],
    }
    saved = manager.client.post("/gouvernance/formations", data=form, follow_redirects=False)
    assert saved.status_code == 303
    page = officer.client.get("/gouvernance/formations").text
    assert "Atelier du conseil" in page and "Membres du conseil" in page and "45 min" in page
    session_id = re.search(r'href="/gouvernance/formations/(\w+)"', page).group(1)  # type: ignore[union-attr]
    detail = officer.client.get(f"/gouvernance/formations/{session_id}").text
    assert "<li>employee Ville</li>" in detail and 'name="attended"' not in detail  # read only
    refused = officer.client.post(
        "/gouvernance/formations", data={**form, "csrf_token": csrf_of(officer.client)}
    )
    assert refused.status_code == 403
    assert employee.client.get("/gouvernance/formations").status_code == 403
    wrong = manager.client.post("/gouvernance/formations", data={**form, "minutes": "beaucoup"})
    assert wrong.status_code == 422 and "La durée est un nombre entier de minutes" in wrong.text


def test_an_employee_fails_the_quiz_sees_why_then_passes(make_member) -> None:
    employee: Member = make_member("employee", name="Ville du Quiz")
    page = employee.client.get("/formation/quiz").text
    assert "Puis-je coller le courriel d’un citoyen dans un outil d’IA public" in page
    failed = employee.client.post(
        "/formation/quiz",
        data={"csrf_token": csrf_of(employee.client), **filled_in(3)},
        follow_redirects=True,
    ).text
    assert "Non réussi : 5 bonnes réponses sur 8" in failed
    assert "La bonne réponse : Non : j’utilise l’outil approuvé par la municipalité" in failed
    assert "Le courriel d’un citoyen contient des renseignements personnels." in failed
    passed = employee.client.post(
        "/formation/quiz",
        data={"csrf_token": csrf_of(employee.client), **filled_in(0)},
        follow_redirects=True,
    ).text
    assert "Réussi : 8 bonnes réponses sur 8" in passed
    history = employee.client.get("/formation/quiz").text
    assert "8 sur 8" in history and "5 sur 8" in history and "non réussi" in history
    partial = employee.client.post(
        "/formation/quiz", data={"csrf_token": csrf_of(employee.client), "verify": "0"}
    )
    assert partial.status_code == 422 and "Répondez à toutes les questions" in partial.text


def test_everyone_reads_the_resources_and_only_managers_edit_them(make_member) -> None:
    manager: Member = make_member("manager", name="Ville des Ressources")
    employee = make_member("employee", tenant=manager.tenant)
    listing = employee.client.get("/formation/ressources").text
    for title in ("Glossaire de l’IA générative", "Guide de rédaction des requêtes", "Canevas de discussion"):
        assert title in listing
    glossary = employee.client.get("/formation/ressources/glossary").text
    assert "Hallucination" in glossary and 'name="body"' not in glossary
    refused = employee.client.post(
        "/formation/ressources/glossary",
        data={"csrf_token": csrf_of(employee.client), "title": "X", "body": "Y"},
    )
    assert refused.status_code == 403
    saved = manager.client.post(
        "/formation/ressources/glossary",
        data={
            "csrf_token": csrf_of(manager.client),
            "title": "Notre glossaire",
            "body": "- Requête : la demande",
        },
        follow_redirects=True,
    ).text
    assert "Notre glossaire" in saved and "<li>Requête : la demande</li>" in saved
    assert "Notre glossaire" in employee.client.get("/formation/ressources").text
    assert employee.client.get("/formation/ressources/inconnue").status_code == 404
